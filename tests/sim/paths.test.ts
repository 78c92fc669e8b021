import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import type { InstanceEvent } from '../../src/lib/engine/types';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { indexWorkflow } from '../../src/lib/sim/model-index';
import { generatePaths, type TestPath } from '../../src/lib/sim/paths';
import { chain, player } from './fixtures';

/** Replays a path on a fresh interpreter; returns the states entered and transitions taken. */
function drive(workflow: Workflow, p: TestPath) {
	const entered = new Set<string>();
	const taken = new Set<string>();
	const onEvent = (e: InstanceEvent) => {
		if (e.kind === 'entered') entered.add(e.state);
		if (e.kind === 'transition') taken.add(e.transition);
	};
	const it = createInterpreter(workflow, { replay: true, onEvent });
	it.start();
	for (const s of p.steps) it.send(s.event);
	return { entered, taken, snapshot: it.snapshot() };
}

type Payloads = Record<string, Record<string, unknown>[]>;
const allExamples: [string, Workflow, Payloads][] = [...examples.map((e) => [e.id, e.workflow, e.payloads] as [string, Workflow, Payloads]), ['player', player, {}]];

describe.each(allExamples)('generated paths of %s', (_name, workflow, payloads) => {
	const index = indexWorkflow(workflow);
	const result = generatePaths(workflow, { payloads });

	it('reaches every state, and each state path really ends in that state', () => {
		expect(result.unreachedStates).toEqual([]);
		const targets = index.states.filter((s) => s.type !== 'history').map((s) => s.path);
		expect(result.statePaths.map((p) => (p.goal.kind === 'state' ? p.goal.state : ''))).toEqual(targets);
		for (const p of result.statePaths) {
			const { entered } = drive(workflow, p);
			expect(entered.has((p.goal as { state: string }).state)).toBe(true);
		}
	});

	it('covers every transition when the covering paths are replayed', () => {
		expect(result.uncoveredTransitions).toEqual([]);
		const taken = new Set<string>();
		for (const p of result.transitionPaths) for (const t of drive(workflow, p).taken) taken.add(t);
		for (const t of index.transitions) expect(taken, t.id).toContain(t.id);
		expect(result.truncated).toBe(false);
	});

	it('gives a shortest path to each state (no state path is longer than breadth-first distance)', () => {
		for (const p of result.statePaths) {
			// Dropping the last input must not already reach the state.
			if (p.steps.length === 0) continue;
			const shorter = { ...p, steps: p.steps.slice(0, -1) };
			expect(drive(workflow, shorter).entered.has((p.goal as { state: string }).state)).toBe(false);
		}
	});
});

describe('path generation details', () => {
	it('needs three rounds of PLAY to pass the FINISH guard, and finds that path', () => {
		const r = generatePaths(player);
		const loading = r.statePaths.find((p) => p.goal.kind === 'state' && p.goal.state === 'loading')!;
		// PLAY ×3 (with a way back to idle between them), PAUSE, FINISH: 7 inputs at least.
		expect(loading.steps).toHaveLength(7);
		expect(loading.steps.at(-1)!.event.type).toBe('FINISH');
		expect(loading.steps.filter((s) => s.event.type === 'PLAY')).toHaveLength(3);
		expect(loading.steps.at(-1)!.context).toEqual({ plays: 3 });
	});

	it('fires delays as timer inputs at their due time', () => {
		const r = generatePaths(player);
		const covering = r.transitionPaths.find((p) => p.transitions.includes('playing.video.hd|after:3000|0'))!;
		const timer = covering.steps.find((s) => s.source === 'timer')!;
		expect(timer.event.type).toBe('after.3000.playing.video.hd');
		expect(timer.time).toBeGreaterThanOrEqual(3000);
	});

	it('respects the node cap on a large machine and says so', () => {
		const r = generatePaths(chain(300), { maxNodes: 50 });
		expect(r.truncated).toBe(true);
		expect(r.explored).toBeLessThanOrEqual(50);
		expect(r.statePaths.length).toBeLessThanOrEqual(50);
		expect(r.unreachedStates.length).toBe(300 - r.statePaths.length);
		expect(r.unreachedStates.every((u) => u.reason === 'cap')).toBe(true);
	});

	it('respects the depth cap', () => {
		const r = generatePaths(chain(100), { maxDepth: 10 });
		expect(r.truncated).toBe(true);
		expect(Math.max(...r.statePaths.map((p) => p.steps.length))).toBeLessThanOrEqual(10);
		expect(r.statePaths.length).toBe(11);
	});

	it('respects the path cap and reports what it left uncovered', () => {
		const r = generatePaths(player, { maxPaths: 1 });
		expect(r.transitionPaths.length).toBe(1);
		expect(r.truncated).toBe(true);
		expect(r.uncoveredTransitions.length).toBeGreaterThan(0);
		expect(r.uncoveredTransitions.every((u) => u.reason === 'cap')).toBe(true);
	});

	it('reports a transition whose guard never passes as uncovered because of its guard', () => {
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'g',
			name: 'g',
			initial: 'a',
			context: { n: 0 },
			states: { a: { on: { GO: [{ target: 'b', guard: 'context.n > 5' }], INC: { effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } }, b: {} }
		};
		const r = generatePaths(wf, { maxDepth: 4 });
		expect(r.uncoveredTransitions).toEqual([{ transition: 'a|on:GO|0', reason: 'cap' }]);
		expect(r.unreachedStates.map((u) => u.state)).toEqual(['b']);
		// With enough depth the counter gets there.
		const deeper = generatePaths(wf, { maxDepth: 10 });
		expect(deeper.uncoveredTransitions).toEqual([]);
		expect(deeper.statePaths.find((p) => (p.goal as { state: string }).state === 'b')!.steps.length).toBe(7);
	});

	it('uses payloads supplied for guards that read the event', () => {
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'p',
			name: 'p',
			initial: 'a',
			states: { a: { on: { ANSWER: [{ target: 'b', guard: 'event.text = "yes"' }] } }, b: {} }
		};
		expect(generatePaths(wf).uncoveredTransitions).toEqual([{ transition: 'a|on:ANSWER|0', reason: 'guard' }]);
		const r = generatePaths(wf, { payloads: { ANSWER: [{ text: 'no' }, { text: 'yes' }] } });
		expect(r.uncoveredTransitions).toEqual([]);
		expect(r.statePaths[1].steps[0].event).toEqual({ type: 'ANSWER', text: 'yes' });
	});
});
