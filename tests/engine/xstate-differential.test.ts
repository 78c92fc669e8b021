import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GUARDS } from './scxml-reference';
import { idOf, randomChart } from './random-charts';
import { NAMES, compare, restrict } from './xstate-charts';

// Random statecharts run through FSM Studio's engine and through XState v5's own
// interpreter, wherever the two semantics agree (docs/format.md, "Where FSM Studio follows
// SCXML rather than XState"): charts are trimmed of transitions whose domain differs (XState's
// least common ancestor may be a parallel state), of root transitions with `reenter`, of
// history targets, and of event handlers inside a parallel state for events the parallel
// state or its ancestors also handle (XState selects per region), and of `always`
// transitions in more than one region of a parallel state (XState takes eventless
// transitions in the order states were entered, SCXML in document order). Wildcards are mapped so
// that XState tries them in FSM Studio's document order. After every event the state value,
// the context, the status and the order of entry/exit/transition effects must be the same.

describe('engine against XState v5’s interpreter', () => {
	it('agrees on random statecharts where the two semantics agree', () => {
		let events = 0;
		fc.assert(
			fc.property(
				fc.nat(),
				fc.array(fc.record({ type: fc.constantFrom(...NAMES, 'D'), ok: fc.boolean() }), { minLength: 1, maxLength: 20 }),
				(seed, evs) => {
					const wf = restrict(
						randomChart(seed, {
							events: ['A', 'B', 'C', 'A B', '*'],
							guards: Object.keys(GUARDS),
							history: false,
							parallelRoot: true,
							reenter: true,
							always: true,
							raise: ['A', 'B']
						})
					);
					events += compare(wf, evs);
				}
			),
			{ numRuns: Number(process.env.FC_RUNS ?? 300), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 5033 }
		);
		expect(events).toBeGreaterThan(1500);
	}, 120_000);

	it('the chart ids and paths line up (ids are paths with _)', () => {
		expect(idOf('a.b')).toBe('s_a_b');
	});
});
