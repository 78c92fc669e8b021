// Simulator figures in Node (the same code runs in the simulator worker):
//   sim.session_events_per_s   inputs/s through a DebugSession (log, coverage, timeline, checkpoints)
//   sim.timetravel_node_ms     state at entry 50,000 of a 100,000-entry log (from checkpoints)
//   sim.paths_ms               path generation for all bundled examples
import type { Workflow } from '../../../src/lib/model/types';
import { examples } from '../../../src/lib/examples';
import { DebugSession } from '../../../src/lib/sim/debug-session';
import { generatePaths } from '../../../src/lib/sim/paths';
import type { Report } from '../report';

function ring(n: number): Workflow {
	const states: Workflow['states'] = {};
	for (let i = 0; i < n; i++) states[`s${i}`] = { on: { NEXT: { target: `s${(i + 1) % n}`, effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] }, BACK: 's0' } };
	return { format: 'fsm-studio/workflow', version: 1, id: 'ring', name: 'Ring', initial: 's0', context: { n: 0 }, states };
}

export default async function (report: Report) {
	const wf = ring(100);
	const warm = new DebugSession(wf).start();
	for (let i = 0; i < 20_000; i++) warm.send({ type: 'NEXT' });

	const s = new DebugSession(wf).start();
	const n = 25_000;
	const t0 = performance.now();
	for (let i = 0; i < n; i++) s.send({ type: 'NEXT' });
	const ms = performance.now() - t0;
	report('sim.session_events_per_s', (n / ms) * 1000, 'events/s', { logEntries: s.position });

	const times: number[] = [];
	for (let i = 0; i < 20; i++) {
		const t = performance.now();
		s.at(50_000 + i * 7);
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	report('sim.timetravel_node_ms', times[10], 'ms', { logEntries: s.position, position: 50_000, max: times.at(-1) });

	const tp = performance.now();
	const stats = examples.map((e) => {
		const r = generatePaths(e.workflow, { payloads: e.payloads });
		return { id: e.id, explored: r.explored, states: r.statePaths.length, covering: r.transitionPaths.length };
	});
	report('sim.paths_ms', performance.now() - tp, 'ms', { examples: stats });
}
