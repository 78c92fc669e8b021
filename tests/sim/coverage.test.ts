import { describe, expect, it } from 'vitest';
import type { InstanceEvent } from '../../src/lib/engine/types';
import type { Workflow } from '../../src/lib/model/types';
import { coverageOf } from '../../src/lib/sim/coverage';
import { indexWorkflow } from '../../src/lib/sim/model-index';
import { examples } from '../../src/lib/examples';

const door = examples.find((e) => e.id === 'smart-door')!.workflow as Workflow;

describe('coverage from a log', () => {
	const log: InstanceEvent[] = [
		{ kind: 'entered', time: 0, state: 'closed' },
		{ kind: 'input', seq: 1, time: 100, event: { type: 'OPEN' } },
		{ kind: 'transition', time: 100, event: 'OPEN', transition: 'closed|on:OPEN|0', source: 'closed', targets: ['open'] },
		{ kind: 'exited', time: 100, state: 'closed' },
		{ kind: 'entered', time: 100, state: 'open' },
		{ kind: 'input', seq: 2, time: 400, event: { type: 'CLOSE' } },
		{ kind: 'transition', time: 400, event: 'CLOSE', transition: 'open|on:CLOSE|0', source: 'open', targets: ['closed'] },
		{ kind: 'exited', time: 400, state: 'open' },
		{ kind: 'entered', time: 400, state: 'closed' },
		{ kind: 'input', seq: 3, time: 500, event: { type: 'OPEN' } },
		{ kind: 'transition', time: 500, event: 'OPEN', transition: 'closed|on:OPEN|0', source: 'closed', targets: ['open'] },
		{ kind: 'exited', time: 500, state: 'closed' },
		{ kind: 'entered', time: 500, state: 'open' }
	];

	it('counts visits, mean time per state and transitions; unvisited states and untaken transitions listed', () => {
		const c = coverageOf([log], indexWorkflow(door), 600);
		expect(c.states.closed).toEqual({ visits: 2, totalMs: 200, meanMs: 100 });
		// The open visit still running is counted up to `now`.
		expect(c.states.open).toEqual({ visits: 2, totalMs: 400, meanMs: 200 });
		expect(c.transitions).toEqual({ 'closed|on:OPEN|0': 2, 'open|on:CLOSE|0': 1 });
		expect(c.unvisitedStates).toEqual(['locked']);
		expect(c.untakenTransitions.sort()).toEqual(['closed|on:LOCK|0', 'locked|on:UNLOCK|0', 'open|after:5000|0'].sort());
	});

	it('adds up several logs', () => {
		const c = coverageOf([log, log.slice(0, 5)], indexWorkflow(door), 600);
		expect(c.states.closed.visits).toBe(3);
		expect(c.transitions['closed|on:OPEN|0']).toBe(3);
	});
});
