/**
 * XState code read with a real parser (acorn + its TypeScript plugin): typed code, comments,
 * regular expressions, `setup(…).createMachine(…)`, and real machines from XState's own
 * examples (tests/fixtures/xstate). Nothing in the code is ever run; code that cannot be
 * carried over is listed as lost with its line.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { importXStateCode } from '../../src/lib/io/xstate';
import type { ImportResult } from '../../src/lib/io/types';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'xstate', 'examples');

function ok(r: ImportResult) {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r;
}

describe('XState code import', () => {
	it('reads typed code: types: {} as {…}, assign<Ctx, Ev>(…), createMachine<Ctx>(…), a regex with "}" in an arrow function, a comment that mentions createMachine( first', async () => {
		const r = ok(
			await importXStateCode(`// Build it with createMachine( … ) from xstate.
/* createMachine({ states: { wrong: {} } }) */
import { createMachine, assign } from 'xstate';
type Ctx = { text: string; n: number };
type Ev = { type: 'TYPE'; text: string } | { type: 'CLEAR' };
const valid = (s: string) => /^[^}]*}?$/.test(s);
export const machine = createMachine<Ctx, Ev>({
  types: {} as { context: Ctx; events: Ev },
  id: 'editor',
  initial: 'idle',
  context: { text: '', n: 0 } satisfies Ctx,
  states: {
    idle: {
      on: {
        TYPE: { target: 'typing', guard: ({ event }) => /}/.test(event.text), actions: assign<Ctx, Ev>({ text: ({ event }) => (event as { text: string }).text }) },
        CLEAR: 'idle'
      }
    },
    typing: { after: { 500: 'idle' }, on: { CLEAR: { target: 'idle' } } }
  }
} as const);`)
		);
		expect(Object.keys(r.workflow.states)).toEqual(['idle', 'typing']);
		expect(r.workflow.context).toEqual({ text: '', n: 0 });
		expect(r.workflow.states.typing).toEqual({ after: { '500': 'idle' }, on: { CLEAR: { target: 'idle' } } });
		expect(r.workflow.states.idle.on!.TYPE).toEqual({ target: 'typing' });
		const lost = r.lost.map((l) => `${l.line}: ${l.message}`);
		expect(lost).toEqual([
			expect.stringMatching(/^15: "guard": "\(\{ event \}\) => \/\}\/.test\(event.text\)" is code/),
			expect.stringMatching(/^15: "actions": "assign<Ctx, Ev>\(/)
		]);
	});

	it('reads a config given as a variable, through setup(…).createMachine(…)', async () => {
		const r = ok(await importXStateCode(`import { setup } from 'xstate';
const config = { id: 'm', initial: 'a', states: { a: { on: { GO: 'b' } }, b: { type: 'final' } } } as const;
export const m = setup({ actions: { notify: () => {} } }).createMachine(config);`));
		expect(r.workflow.states).toEqual({ a: { on: { GO: 'b' } }, b: { type: 'final' } });
	});

	it('never runs the code', async () => {
		const g = globalThis as Record<string, unknown>;
		delete g.__fsmRan;
		const r = ok(await importXStateCode(`createMachine({ initial: 'a', context: { x: (() => { globalThis.__fsmRan = 1; return 1; })() }, states: { a: { entry: () => { globalThis.__fsmRan = 2; } } } })`));
		expect(g.__fsmRan).toBeUndefined();
		expect(r.lost.map((l) => l.message).join()).toMatch(/is code, not data/);
	});

	it('says where TypeScript it cannot read is', async () => {
		const r = await importXStateCode('const m = createMachine({\n  states: { a: {} }\n  initial: "a"\n});');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^Line 3: the code cannot be read/) });
	});

	it("imports every machine of XState's examples, listing what is code with its line", async () => {
		const files = readdirSync(DIR).filter((f) => f.endsWith('.ts.txt'));
		expect(files.length).toBe(18);
		for (const f of files) {
			const r = await importXStateCode(readFileSync(join(DIR, f), 'utf8'));
			expect(r.ok, `${f}: ${JSON.stringify(!r.ok && r.errors)}`).toBe(true);
			if (!r.ok) continue;
			expect(Object.keys(r.workflow.states).length, f).toBeGreaterThan(0);
			for (const l of r.lost) expect(l.line, `${f}: ${l.message}`).toBeGreaterThan(0);
		}
	});

	it('keeps what the examples say: states, nesting, events, delays, final states, tags', async () => {
		const read = async (f: string) => ok(await importXStateCode(readFileSync(join(DIR, f), 'utf8'))).workflow;
		expect((await read('toggleMachine.ts.txt')).states).toEqual({ inactive: { on: { toggle: 'active' } }, active: { on: { toggle: 'inactive' } } });
		const tic = await read('ticTacToeMachine.ts.txt');
		expect(tic.states.gameOver.states!.winner.tags).toEqual(['winner']);
		expect(tic.states.playing.always).toEqual([{ target: 'gameOver.winner' }, { target: 'gameOver.draw' }]);
		const parallel = await read('workflow-parallel.ts.txt');
		expect(Object.values(parallel.states).some((s) => s.type === 'parallel')).toBe(true);
	});

	it('the parser is loaded only when code is imported (not with the io module)', async () => {
		const out = await build({ entryPoints: [join(import.meta.dirname, '../../src/lib/io/index.ts')], bundle: true, splitting: true, format: 'esm', write: false, outdir: 'out', metafile: true, logLevel: 'silent', external: ['jsonata', 'zod', 'fflate'] });
		const entry = Object.values(out.metafile.outputs).find((o) => o.entryPoint?.endsWith('src/lib/io/index.ts'))!;
		const inputs = Object.keys(entry.inputs);
		expect(inputs.some((i) => i.includes('node_modules/acorn'))).toBe(false);
		expect(inputs.some((i) => i.includes('code-reader'))).toBe(false);
		const all = Object.values(out.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
		expect(all.some((i) => i.includes('node_modules/acorn'))).toBe(true);
	});
});
