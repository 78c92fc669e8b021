import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportVitest } from '$lib/sim/export-tests';
import { generatePaths } from '$lib/sim/paths';
import { instantiate, templates } from '$lib/templates';

// Each template's test paths, exported as a Vitest file (tests/templates/generated/) that
// drives the public engine API; this checks the files are what the exporter makes today and
// that the paths cover the whole workflow. Regenerate with
// UPDATE_GENERATED=1 npx vitest run tests/templates/paths.test.ts
const dir = join(import.meta.dirname, 'generated');

describe.each(templates.map((t) => [t.id, t] as const))('generated path tests of %s', (id, t) => {
	const workflow = instantiate(t);
	const paths = generatePaths(workflow, { payloads: t.payloads });
	const text = exportVitest(workflow, paths);
	const file = join(dir, `${id}.test.ts`);

	it('are up to date with the exporter', () => {
		if (process.env.UPDATE_GENERATED) {
			mkdirSync(dir, { recursive: true });
			writeFileSync(file, text);
		}
		expect(existsSync(file), `${file} is missing: run UPDATE_GENERATED=1 npx vitest run tests/templates/paths.test.ts`).toBe(true);
		expect(readFileSync(file, 'utf8')).toBe(text);
	});

	it('cover every state and transition', () => {
		expect(paths.unreachedStates).toEqual([]);
		expect(paths.uncoveredTransitions).toEqual([]);
		expect(paths.truncated).toBe(false);
	});
});
