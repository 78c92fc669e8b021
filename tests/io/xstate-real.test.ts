/**
 * The XState exports checked by XState v5 itself: every export loads (XState's
 * `createMachine` accepts it), XState's interpreter and FSM Studio's engine go through the
 * same states with the same context on the same events and clock advances, and the JSON
 * config imports back unchanged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';
import { exportXStateJson, importXState } from '../../src/lib/io/xstate';
import { ALL_FIELDS, arbWorkflow, semantic } from './helpers';
import { cleanXStateExports, loadXStateExport, traceEngine, traceXState, type Step } from './tools/xstate';

afterAll(() => cleanXStateExports());

const wf = (states: Workflow['states'], extra: Partial<Workflow> = {}): Workflow => ({ format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'W', initial: Object.keys(states)[0], states, ...extra });

async function sameRun(w: Workflow, script: Step[]) {
	const { machine, text } = await loadXStateExport(w);
	const theirs = await traceXState(machine, script);
	const ours = await traceEngine(w, script);
	expect(theirs, `${w.name}\n${JSON.stringify(script)}\n${text.slice(text.indexOf('export const config'), text.indexOf('export const machine'))}`).toEqual(ours);
}

const events = (w: Workflow) => {
	const names = new Set<string>();
	const visit = (n: { on?: Record<string, unknown>; states?: Record<string, unknown> }) => {
		for (const k of Object.keys(n.on ?? {})) names.add(k);
		for (const c of Object.values(n.states ?? {})) visit(c as never);
	};
	visit(w as never);
	return [...names];
};

const script = (w: Workflow, seed: number): Step[] => {
	const names = events(w);
	return fc.sample(
		fc.array(
			fc.oneof(
				{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), event: fc.constantFrom(...(names.length ? names : ['NONE'])), x: fc.integer({ min: 0, max: 1 }) }) },
				{ weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(50, 100, 250, 1000, 6000) }) }
			),
			{ minLength: 3, maxLength: 20 }
		),
		{ numRuns: 1, seed }
	)[0];
};

describe('XState v5 runs the XState export as FSM Studio does', { timeout: 120_000 }, () => {
	it('a root transition with a plain target loads (XState wants ".a" from the root)', async () => {
		const w = wf({ a: { on: { NEXT: 'b' } }, b: {} }, { on: { R: 'a' } });
		await sameRun(w, [{ kind: 'send', event: 'NEXT', x: 0 }, { kind: 'send', event: 'R', x: 0 }]);
	});

	it('names with backslashes and dots in ids are escaped the way XState reads them', async () => {
		const w = wf({ 'c\\d': { id: 'step.one', on: { GO: '.in\\\\ner' }, initial: 'x', states: { x: {}, 'in\\ner': { on: { BACK: '#step\\.one' } } } }, e: {} });
		await sameRun(w, [{ kind: 'send', event: 'GO', x: 0 }, { kind: 'send', event: 'BACK', x: 0 }]);
	});

	it('random workflows with awkward names', async () => {
		const samples = fc.sample(arbWorkflow(1, true), { numRuns: Number(process.env.IO_XSTATE_SAMPLES ?? 80) / 2, seed: 4242 });
		for (const [i, w] of samples.entries()) {
			const json = JSON.stringify(w);
			if (!json.includes('"invoke"') && !json.includes('"always"')) await sameRun(w, script(w, 2000 + i));
		}
	});

	it('the examples', async () => {
		for (const [i, ex] of examples.entries()) await sameRun(ex.workflow, script(ex.workflow, i));
	});

	it('random workflows', async () => {
		const samples = fc.sample(arbWorkflow(), { numRuns: Number(process.env.IO_XSTATE_SAMPLES ?? 80), seed: 424242 });
		// Without invokes (the XState export leaves their actors for the user to write) and
		// without "always" (a guarded eventless loop hangs XState; FSM Studio stops it with an error).
		let ran = 0;
		for (const [i, w] of samples.entries()) {
			const json = JSON.stringify(w);
			if (json.includes('"invoke"') || json.includes('"always"')) continue;
			await sameRun(w, script(w, 1000 + i));
			ran++;
		}
		expect(ran).toBeGreaterThan(samples.length / 4);
	});

	it('the JSON config imports back unchanged', () => {
		for (const ex of examples) {
			const back = importXState(exportXStateJson(ex.workflow).text);
			expect(back.ok && semantic(back.workflow, { keep: ALL_FIELDS })).toEqual(semantic(ex.workflow, { keep: ALL_FIELDS }));
		}
	});
});
