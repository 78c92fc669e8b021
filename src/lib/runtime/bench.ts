import Dexie from 'dexie';
import { createInterpreter } from '../engine';
import type { InstanceEvent } from '../engine/types';
import { examples } from '../examples';
import { createEventStore, databaseName } from '../store';
import { createRuntime } from './runtime';

/**
 * Benchmarks of the event store and the runtime, run inside the worker in a real browser
 * (tests/bench/browser/store.bench.ts drives them through /run/bench).
 */
const door = examples.find((e) => e.id === 'smart-door')!.workflow;
const now = () => performance.now();
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

/** The events a live Smart door emits for `inputs` alternating OPEN / CLOSE inputs. */
function doorEvents(inputs: number): InstanceEvent[] {
	const out: InstanceEvent[] = [];
	const it = createInterpreter(door, { onEvent: (e) => out.push(e) });
	it.start();
	out.length = 0;
	for (let i = 0; i < inputs; i++) it.send(i % 2 ? 'CLOSE' : 'OPEN');
	it.stop();
	out.pop();
	return out;
}

export interface AppendBenchResult {
	events: number;
	ms: number;
	eventsPerSecond: number;
	transactions: number;
}

/** Appends `n` real Smart door events through the store's queue, `burst` per task, until written. */
export async function benchAppend(n = 200_000, burst = 5_000): Promise<AppendBenchResult> {
	const ws = `bench-append-${Date.now()}`;
	const store = createEventStore({ workspaceId: ws });
	await store.ready;
	const sample = doorEvents(2000);
	store.createInstance({ id: 'bench', workflowId: door.id, workflowName: door.name, workflow: door, createdAt: Date.now(), updatedAt: Date.now(), status: 'active', inputs: 0, value: 'closed', context: {}, running: true });
	await store.flush();
	let inputSeq = 0;
	const t0 = now();
	for (let i = 0; i < n; ) {
		const end = Math.min(n, i + burst);
		for (; i < end; i++) {
			const e = sample[i % sample.length];
			store.append('bench', e.kind === 'input' ? { ...e, seq: ++inputSeq } : e);
		}
		await tick();
	}
	const ok = await store.flush();
	const ms = now() - t0;
	if (!ok) throw new Error('The store reported a write error during the benchmark.');
	const { transactions, written } = store.stats();
	store.db.close();
	await Dexie.delete(store.db.name);
	return { events: written, ms, eventsPerSecond: (written / ms) * 1000, transactions };
}

export interface ReplayBenchResult {
	inputs: number;
	rows: number;
	buildMs: number;
	fullMs: number;
	fullReadMs: number;
	fullReplayMs: number;
	snapshotMs: number;
	restoreMs: number;
	matchesLive: boolean | null;
}

/** Runs a Smart door instance through `n` inputs, then rebuilds it from the store. */
export async function benchReplay(n = 100_000): Promise<ReplayBenchResult> {
	const workspaceId = `bench-replay-${Date.now()}`;
	const rt1 = createRuntime({ workspaceId });
	const id = await rt1.createInstance(await rt1.loadWorkflow(door), { id: 'bench' });
	const t0 = now();
	const pumped = await rt1.pump(id, n);
	await rt1.flush();
	const buildMs = now() - t0;
	const rows = (await rt1.getInstance(id)).lastSeq;
	if (pumped.sent !== n) throw new Error(`Only ${pumped.sent} of ${n} inputs were sent.`);
	await rt1.dispose();

	// A fresh runtime on the same workspace, as after a page reload.
	const t1 = now();
	const rt2 = createRuntime({ workspaceId });
	await rt2.ready();
	const restoreMs = now() - t1;
	const full = await rt2.replay(id, { full: true });
	const snap = await rt2.replay(id);
	await rt2.dispose();
	await Dexie.delete(databaseName(workspaceId));
	return {
		inputs: full.inputs,
		rows,
		buildMs,
		fullMs: full.readMs + full.replayMs,
		fullReadMs: full.readMs,
		fullReplayMs: full.replayMs,
		snapshotMs: snap.readMs + snap.replayMs,
		restoreMs,
		matchesLive: full.matchesLive && snap.matchesLive
	};
}
