import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { indexWorkflow, statesOfValue, activeStates } from '../../src/lib/sim/model-index';

describe('workflow index', () => {
	it('lists nested states and every transition id with the shared id scheme', () => {
		const wf: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'x',
			name: 'x',
			initial: 'a',
			on: { RESET: 'a' },
			states: {
				a: { on: { GO: [{ target: 'b', guard: 'context.ok' }, { target: 'c' }] }, after: { '100': 'c' } },
				b: { type: 'parallel', states: { l: { initial: 'x', states: { x: {} } }, r: { initial: 'y', states: { y: {} } } }, onDone: 'c' },
				c: { type: 'final' }
			}
		};
		const ix = indexWorkflow(wf);
		expect(ix.states.map((s) => [s.path, s.type])).toEqual([
			['a', 'atomic'],
			['b', 'parallel'],
			['b.l', 'compound'],
			['b.l.x', 'atomic'],
			['b.r', 'compound'],
			['b.r.y', 'atomic'],
			['c', 'final']
		]);
		expect(ix.transitions.map((t) => t.id)).toEqual(['|on:RESET|0', 'a|on:GO|0', 'a|on:GO|1', 'a|after:100|0', 'b|onDone|0']);
		expect(ix.transitionById.get('a|on:GO|0')!.guard).toBe('context.ok');
	});

	it('derives active states from a state value and from a configuration', () => {
		expect(statesOfValue({ b: { l: 'x', r: 'y' } }).sort()).toEqual(['b', 'b.l', 'b.l.x', 'b.r', 'b.r.y']);
		expect([...activeStates(['b.l.x', 'b.r.y'])].sort()).toEqual(['b', 'b.l', 'b.l.x', 'b.r', 'b.r.y']);
	});
});
