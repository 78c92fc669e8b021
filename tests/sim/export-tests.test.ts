import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { exportVitest } from '../../src/lib/sim/export-tests';
import { generatePaths } from '../../src/lib/sim/paths';
import { player } from './fixtures';

// The exported files for the bundled examples (and one nested/parallel fixture) are
// committed under tests/sim/generated/ and run by Vitest like any test; this test checks
// they are what the exporter produces today. Regenerate with UPDATE_GENERATED=1.
const dir = join(import.meta.dirname, 'generated');
type Payloads = Record<string, Record<string, unknown>[]>;
const cases: [string, Workflow, Payloads][] = [...examples.map((e) => [e.id, e.workflow, e.payloads] as [string, Workflow, Payloads]), ['player-fixture', player, {}]];

describe.each(cases)('exported Vitest file for %s', (id, workflow, payloads) => {
	const file = join(dir, `${id}.test.ts`);
	const paths = generatePaths(workflow, { payloads });
	const text = exportVitest(workflow, paths);

	it('is up to date with the exporter', () => {
		if (process.env.UPDATE_GENERATED) writeFileSync(file, text);
		expect(existsSync(file), `${file} is missing: run UPDATE_GENERATED=1 npx vitest run tests/sim/export-tests.test.ts`).toBe(true);
		expect(readFileSync(file, 'utf8')).toBe(text);
	});

	it('covers every state and transition of the workflow', () => {
		expect(paths.unreachedStates).toEqual([]);
		expect(paths.uncoveredTransitions).toEqual([]);
	});

	it('drives the workflow through the public engine API, with one test per path', () => {
		expect(text).toContain("import { createInterpreter } from '$lib/engine';");
		const count = (text.match(/^\tit\(/gm) ?? []).length;
		expect(count).toBe(paths.statePaths.length + paths.transitionPaths.length);
	});
});
