// Engine benchmarks: transitions per second on several machines, replay time, and heap per
// 10,000 started instances.
// Run: npm run bench engine   (node --expose-gc, so global.gc is there)
import type { Report } from '../report';
import { compile, createInterpreter, replayInputs, type Machine, type RecordedInput } from '../../../src/lib/engine';
import type { Workflow, StateNodeSpec } from '../../../src/lib/model/types';
import door from '../../../src/lib/examples/smart-door.json';
import { compileExpr } from '../../../src/lib/expr';

const OPEN = { type: 'OPEN' };
const CLOSE = { type: 'CLOSE' };

const doc = (states: Record<string, StateNodeSpec>, initial: string, context?: Record<string, unknown>): Workflow => ({
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'bench',
	name: 'Bench',
	initial,
	context,
	states
});

const toggle = doc({ a: { on: { A: 'b' } }, b: { on: { B: 'a' } } }, 'a');

const guardedAssign = doc(
	{
		a: { on: { A: { target: 'b', guard: 'context.n >= 0 and event.type = "A"', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } },
		b: { on: { B: { target: 'a', guard: 'context.n >= 0', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } }
	},
	'a',
	{ n: 0 }
);

// 3 levels of compound states with a parallel region active beside the one that moves:
// app > main (parallel) > { fetch > (idle > a/b), ui > (panel: x/y) }.
const nested = doc(
	{
		app: {
			initial: 'main',
			states: {
				main: {
					type: 'parallel',
					states: {
						fetch: {
							initial: 'idle',
							states: { idle: { initial: 'a', states: { a: { on: { A: 'b' } }, b: { on: { B: 'a' } } } } }
						},
						ui: { initial: 'x', states: { x: { on: { C: 'y' } }, y: { on: { D: 'x' } } } }
					},
					on: { RESET: 'main' }
				}
			}
		}
	},
	'app'
);

function rate(wf: Workflow | Machine, n: number, events: [object, object], label: string, report: Report, extra?: Record<string, unknown>): void {
	const run = (count: number): number => {
		const it = createInterpreter(wf);
		it.start();
		const [e1, e2] = events;
		const t0 = performance.now();
		for (let i = 0; i < count; i += 2) {
			it.send(e1 as { type: string });
			it.send(e2 as { type: string });
		}
		const ms = performance.now() - t0;
		if (it.snapshot().status !== 'active') throw new Error(`${label}: instance ended (${JSON.stringify(it.snapshot().error)})`);
		return (count / ms) * 1000;
	};
	run(Math.min(n, 200_000)); // warm up
	const samples = [run(n), run(n), run(n)].sort((a, b) => a - b);
	report(label, samples[1], label.endsWith('_events') ? 'events/s' : 'transitions/s', { samples: samples.map(Math.round), ...extra });
}

export default async function (report: Report): Promise<void> {
	// Memory first, before the throughput runs leave garbage behind.
	instancesHeap(report);
	rate(toggle, 4_000_000, [{ type: 'A' }, { type: 'B' }], 'engine.toggle', report);
	rate(guardedAssign, 1_000_000, [{ type: 'A' }, { type: 'B' }], 'engine.guarded_assign', report);

	// Same machine with the closure fast path off: every guard/assign through jsonata.
	const slow = compileSlow(guardedAssign);
	rate(slow, 100_000, [{ type: 'A' }, { type: 'B' }], 'engine.guarded_assign_jsonata', report, { note: 'fast path disabled' });

	// nested: A/B move app.main.fetch.idle.a <-> b while the ui region stays active.
	rate(nested, 1_000_000, [{ type: 'A' }, { type: 'B' }], 'engine.nested', report);
	// Both regions move on every event (an event handled twice, two transitions counted).
	const both = doc(
		{ p: { type: 'parallel', states: { r1: { initial: 'a', states: { a: { on: { A: 'b' } }, b: { on: { B: 'a' } } } }, r2: { initial: 'a', states: { a: { on: { A: 'b' } }, b: { on: { B: 'a' } } } } } } },
		'p'
	);
	rate(both, 1_000_000, [{ type: 'A' }, { type: 'B' }], 'engine.parallel_events', report, { note: 'events/s; each event takes two transitions' });

	// With an onEvent listener that keeps only the inputs (what an event-sourcing runtime does).
	{
		const inputs: unknown[] = [];
		const it = createInterpreter(toggle, {
			onEvent: (e) => {
				if (e.kind === 'input') inputs.push(e);
			}
		});
		it.start();
		const n = 1_000_000;
		const A = { type: 'A' };
		const B = { type: 'B' };
		let best = 0;
		for (let w = 0; w < 3; w++) {
			inputs.length = 0;
			const t0 = performance.now();
			for (let i = 0; i < n; i += 2) {
				it.send(A);
				it.send(B);
			}
			best = Math.max(best, (n / (performance.now() - t0)) * 1000);
		}
		report('engine.toggle_with_onEvent', best, 'transitions/s', { note: 'every input, entered, exited and transition event reported' });
	}

	// Rebuild an instance from 100,000 recorded inputs (the smart door: guard, assign, log, timer).
	{
		const inputs: RecordedInput[] = [];
		let time = 0;
		const clock = { now: () => time, setTimeout: () => 0, clearTimeout: () => undefined };
		const live = createInterpreter(door as Workflow, {
			clock,
			onEvent: (e) => {
				if (e.kind === 'input') inputs.push(e);
			}
		});
		live.start();
		for (let i = 0; i < 50_000; i++) {
			time += 10;
			live.send(OPEN);
			time += 10;
			live.send(CLOSE);
		}
		const times: number[] = [];
		for (let w = 0; w < 3; w++) {
			const t0 = performance.now();
			const rebuilt = replayInputs(door as Workflow, inputs, undefined, { startTime: 0 });
			times.push(performance.now() - t0);
			if (rebuilt.context.opens !== live.snapshot().context.opens) throw new Error('replay differs from the live run');
		}
		report('engine.replay_100k_ms', Math.min(...times), 'ms', { inputs: inputs.length, note: 'engine only, no storage' });
	}

}

/** The guarded-assign workflow with every expression forced through jsonata (slow path). */
function compileSlow(wf: Workflow): ReturnType<typeof compile> {
	const m = compile(wf);
	for (const node of m.nodes) {
		for (const list of node.on?.values() ?? []) {
			for (const t of list) {
				if (t.guard) {
					const g = compileExpr(t.guard.source, { fastPath: false });
					if (g.ok) t.guard = g;
				}
				for (const e of t.effects) {
					if (e.assignExprs) e.assignExprs = e.assignExprs.map((x) => {
						const c = compileExpr(x.source, { fastPath: false });
						return c.ok ? c : x;
					});
				}
			}
		}
	}
	return m;
}

/** Heap for 10,000 started instances of the smart door (one shared compiled machine). */
function instancesHeap(report: Report): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) {
		report('engine.instances_10k_mb', NaN, 'MB', { note: 'run with --expose-gc' });
		return;
	}
	const machine = compile(door as Workflow);
	const settle = (): number => {
		gc();
		gc();
		return process.memoryUsage().heapUsed;
	};
	// Warm up first so compiled code and feedback vectors are not counted as instance memory.
	for (let i = 0; i < 2_000; i++) {
		const it = createInterpreter(machine);
		it.start();
		it.send('OPEN');
		it.stop();
	}
	const before = settle();
	const keep = [];
	for (let i = 0; i < 10_000; i++) {
		const it = createInterpreter(machine);
		it.start();
		it.send('OPEN'); // each instance moves once and holds its own context and a pending timer record
		keep.push(it);
	}
	const after = settle();
	report('engine.instances_10k_mb', (after - before) / 1024 / 1024, 'MB', { instances: keep.length, bytesPerInstance: Math.round((after - before) / keep.length) });
	for (const it of keep) it.stop();
}
