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
const cases: [string, Workflow][] = [...examples.map((e) => [e.id, e.workflow] as [string, Workflow]), ['player-fixture', player]];

describe.each(cases)('exported Vitest file for %s', (id, workflow) => {
	const file = join(dir, `${id}.test.ts`);
	const text = exportVitest(workflow, generatePaths(workflow));

	it('is up to date with the exporter', () => {
		if (process.env.UPDATE_GENERATED) writeFileSync(file, text);
		expect(existsSync(file), `${file} is missing: run UPDATE_GENERATED=1 npx vitest run tests/sim/export-tests.test.ts`).toBe(true);
		expect(readFileSync(file, 'utf8')).toBe(text);
	});

	it('drives the workflow through the public engine API, with one test per path', () => {
		expect(text).toContain("import { createInterpreter } from '$lib/engine';");
		const paths = generatePaths(workflow);
		const count = (text.match(/^\tit\(/gm) ?? []).length;
		expect(count).toBe(paths.statePaths.length + paths.transitionPaths.length);
	});
});
