import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { generatePaths } from '../../src/lib/sim/paths';

/** A flat machine: n states, each with a few events to other states; some states final. */
const flatMachine = fc
	.integer({ min: 1, max: 9 })
	.chain((n) =>
		fc.record({
			n: fc.constant(n),
			edges: fc.array(fc.tuple(fc.nat(n - 1), fc.constantFrom('A', 'B', 'C'), fc.nat(n - 1)), { maxLength: 20 }),
			finals: fc.array(fc.nat(n - 1), { maxLength: 2 })
		})
	);

function build({ n, edges, finals }: { n: number; edges: [number, string, number][]; finals: number[] }): Workflow {
	const states: Workflow['states'] = {};
	for (let i = 0; i < n; i++) states[`s${i}`] = finals.includes(i) && i !== 0 ? { type: 'final' } : {};
	for (const [from, ev, to] of edges) {
		const s = states[`s${from}`];
		if (s.type === 'final') continue;
		s.on ??= {};
		if (!s.on[ev]) s.on[ev] = `s${to}`;
	}
	return { format: 'fsm-studio/workflow', version: 1, id: 'p', name: 'p', initial: 's0', states };
}

/** Breadth-first distances over the plain graph: the oracle for a flat machine without guards. */
function distances(wf: Workflow): Map<string, number> {
	const d = new Map<string, number>([['s0', 0]]);
	const queue = ['s0'];
	while (queue.length) {
		const s = queue.shift()!;
		for (const target of Object.values(wf.states[s].on ?? {}) as string[]) {
			if (!d.has(target)) {
				d.set(target, d.get(s)! + 1);
				queue.push(target);
			}
		}
	}
	return d;
}

describe('path generation (property)', () => {
	it('reaches exactly the states a graph search reaches, each by a shortest path, and covers every transition out of them', () => {
		fc.assert(
			fc.property(flatMachine, (spec) => {
				const wf = build(spec);
				const dist = distances(wf);
				const r = generatePaths(wf);
				expect(r.truncated).toBe(false);
				const reached = new Map(r.statePaths.map((p) => [(p.goal as { state: string }).state, p.steps.length]));
				expect(reached).toEqual(dist);
				const expectedTransitions = [...dist.keys()].flatMap((s) => Object.keys(wf.states[s].on ?? {}).map((ev) => `${s}|on:${ev}|0`));
				const covered = new Set(r.transitionPaths.flatMap((p) => p.transitions));
				for (const t of expectedTransitions) expect(covered.has(t)).toBe(true);
				expect(r.uncoveredTransitions.every((u) => u.reason === 'source-unreached')).toBe(true);
				expect(r.unreachedStates.map((u) => u.state).sort()).toEqual(Object.keys(wf.states).filter((s) => !dist.has(s)).sort());
			}),
			{ numRuns: 150, seed: 5 }
		);
	});
});
