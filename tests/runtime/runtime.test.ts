import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { databaseName } from '../../src/lib/store';
import { createRuntime, type Runtime, type RuntimeUpdate } from '../../src/lib/runtime';
import { createEventStore } from '../../src/lib/store';
import { examples } from '../../src/lib/examples';
import { FakeClock } from './fake-clock';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;
const open: Runtime[] = [];
const dbs: string[] = [];
let n = 0;

function workspace() {
	const id = `rt${++n}-${Date.now()}`;
	dbs.push(databaseName(id));
	return id;
}
function runtime(opts: Parameters<typeof createRuntime>[0] = {}) {
	const rt = createRuntime(opts);
	open.push(rt);
	return rt;
}
afterEach(async () => {
	for (const rt of open.splice(0)) await rt.dispose();
	for (const name of dbs.splice(0)) await Dexie.delete(name);
});
/** A light switch: no timers, so moving the fake clock only moves the updates. */
const toggle = {
	format: 'fsm-studio/workflow' as const,
	version: 1 as const,
	id: 'toggle',
	name: 'Toggle',
	initial: 'off',
	context: { flips: 0 },
	states: {
		off: { on: { FLIP: { target: 'on', effects: [{ type: 'assign', set: { flips: 'context.flips + 1' } }] } } },
		on: { on: { FLIP: { target: 'off', effects: [{ type: 'assign', set: { flips: 'context.flips + 1' } }] } } }
	}
};

describe('runtime registry', () => {
	it('runs the smart door: send, state, enabled events, log in IndexedDB', async () => {
		const rt = runtime({ workspaceId: workspace(), clock: new FakeClock() });
		const wf = await rt.loadWorkflow(door);
		expect(wf).toBe('smart-door');
		const id = await rt.createInstance(wf);
		expect((await rt.getInstance(id)).enabledEvents.sort()).toEqual(['LOCK', 'OPEN']);
		const after = await rt.send(id, { type: 'OPEN' });
		expect(after).toMatchObject({ value: 'open', status: 'active', running: true, inputs: 1, enabledEvents: ['CLOSE'] });
		expect(after.context).toMatchObject({ opens: 1 });
		expect(await rt.getSnapshot(id)).toMatchObject({ value: 'open' });
		expect(await rt.enabledEvents(id)).toEqual(['CLOSE']);

		const log = await rt.getLog(id);
		expect(log.map((r) => r.seq)).toEqual(log.map((_, i) => i + 1));
		const inputs = log.filter((r) => r.kind === 'input');
		expect(inputs.map((r) => r.type)).toEqual(['OPEN']);
		expect(log.some((r) => r.kind === 'transition' && r.type === 'OPEN')).toBe(true);
		expect(log.some((r) => r.kind === 'entered' && r.type === 'open')).toBe(true);
		const newest = await rt.getLog(id, { order: 'desc', limit: 1 });
		expect(newest[0].seq).toBe(log.length);
		const onlyInputs = await rt.getLog(id, { kinds: ['input'] });
		expect(onlyInputs).toHaveLength(1);
		const jsonl = (await rt.exportLog(id)).trim().split('\n');
		expect(jsonl).toHaveLength(log.length);
		expect(JSON.parse(jsonl[0]).seq).toBe(1);
	});

	it('keeps many instances, newest first, each with its own state', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock });
		const wf = await rt.loadWorkflow(door);
		const ids: string[] = [];
		for (let i = 0; i < 30; i++) {
			ids.push(await rt.createInstance(wf, { id: `door-${i}` }));
			clock.advance(1);
		}
		await rt.send('door-3', 'OPEN');
		await rt.send('door-7', 'LOCK');
		const list = await rt.listInstances({ workflowId: wf });
		expect(list).toHaveLength(30);
		expect(list[0].id).toBe('door-29');
		expect(list.find((i) => i.id === 'door-3')?.value).toBe('open');
		expect(list.find((i) => i.id === 'door-7')?.value).toBe('locked');
		expect(list.filter((i) => i.value === 'closed')).toHaveLength(28);
		expect(await rt.listInstances({ workflowId: 'other' })).toEqual([]);
	});

	it('rejects an invalid workflow with a path-addressed message, and unknown ids', async () => {
		const rt = runtime({ store: null });
		await expect(rt.loadWorkflow({ ...door, states: { closed: { on: { OPEN: 'nowhere' } } } })).rejects.toThrow(/not valid|nowhere/);
		await expect(rt.createInstance('missing')).rejects.toThrow(/No workflow "missing"/);
		await expect(rt.send('nope', 'OPEN')).rejects.toThrow(/no instance "nope"/);
	});

	it('fires `after` timers through the injected clock and records them as inputs', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock });
		const id = await rt.createInstance(await rt.loadWorkflow(door));
		await rt.send(id, 'OPEN');
		clock.advance(4999);
		expect((await rt.getInstance(id)).value).toBe('open');
		clock.advance(1);
		expect((await rt.getInstance(id)).value).toBe('closed');
		const inputs = await rt.getLog(id, { kinds: ['input'] });
		expect(inputs).toHaveLength(2);
		expect(inputs[1].time).toBe(inputs[0].time + 5000);
	});

	it('stops and resumes an instance', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock });
		const id = await rt.createInstance(await rt.loadWorkflow(door));
		await rt.send(id, 'OPEN');
		const stopped = await rt.stop(id);
		expect(stopped).toMatchObject({ running: false, status: 'stopped', value: 'open', enabledEvents: [] });
		await expect(rt.send(id, 'CLOSE')).rejects.toThrow(/not running/);
		clock.advance(10_000);
		expect((await rt.getInstance(id)).value).toBe('open');
		// Resuming re-arms the timer relative to when it started: it is overdue, so it fires now.
		const resumed = await rt.start(id);
		expect(resumed).toMatchObject({ running: true, status: 'active', value: 'open' });
		clock.advance(0);
		const after = await rt.getInstance(id);
		expect(after).toMatchObject({ value: 'closed', inputs: 2 });
		expect(after.context).toMatchObject({ opens: 1 });
	});

	it('creates an instance without starting it, with context overrides', async () => {
		const rt = runtime({ store: null, clock: new FakeClock() });
		const id = await rt.createInstance(await rt.loadWorkflow(door), { start: false, context: { locked: true } });
		expect(await rt.getInstance(id)).toMatchObject({ running: false, status: 'stopped', enabledEvents: [] });
		await rt.start(id);
		await rt.send(id, 'OPEN');
		expect((await rt.getInstance(id)).value).toBe('closed');
		await expect(rt.getLog(id)).rejects.toThrow(/no event log/);
	});

	it('deletes an instance with its log', async () => {
		const ws = workspace();
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: ws, clock });
		const id = await rt.createInstance(await rt.loadWorkflow(door));
		await rt.send(id, 'OPEN');
		await rt.flush();
		const updates: RuntimeUpdate[] = [];
		await rt.subscribe((u) => updates.push(u));
		await rt.deleteInstance(id);
		expect(await rt.listInstances()).toEqual([]);
		const store = createEventStore({ workspaceId: ws });
		await store.ready;
		expect(await store.db.events.count()).toBe(0);
		store.db.close();
		clock.advance(16);
		expect(updates.some((u) => u.removed.includes(id))).toBe(true);
	});

	it('sends many events and pumps n events in chunks', async () => {
		const rt = runtime({ workspaceId: workspace(), clock: new FakeClock(), chunk: 500 });
		const id = await rt.createInstance(await rt.loadWorkflow(door));
		const r1 = await rt.sendMany(id, ['OPEN', 'CLOSE', 'OPEN']);
		expect(r1.sent).toBe(3);
		expect(r1.snapshot.value).toBe('open');
		const r2 = await rt.pump(id, 2001);
		expect(r2.sent).toBe(2001);
		const s = await rt.getInstance(id);
		expect(s.inputs).toBe(2004);
		// From open, CLOSE and OPEN alternate: 1001 CLOSE and 1000 more OPEN.
		expect(s.context.opens).toBe(2 + 1000);
		expect(await rt.flush()).toBe(true);
		expect(await rt.getLog(id, { kinds: ['input'] })).toHaveLength(2004);
	});
});

describe('runtime updates', () => {
	it('sends everything first, then only what changed: one update per frame, fewer under load', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock });
		const wf = await rt.loadWorkflow(toggle);
		const a = await rt.createInstance(wf, { id: 'a' });
		await rt.createInstance(wf, { id: 'b' });
		const updates: { at: number; u: RuntimeUpdate }[] = [];
		await rt.subscribe((u) => updates.push({ at: clock.now(), u }));
		clock.advance(16);
		expect(updates).toHaveLength(1);
		expect(updates[0].u.instances.map((i) => i.id).sort()).toEqual(['a', 'b']);
		// One event per millisecond for 64 ms: an update every 16 ms (the first at once).
		for (let i = 0; i < 64; i++) {
			await rt.send(a, 'FLIP');
			clock.advance(1);
		}
		const calm = updates.slice(1);
		expect(calm.map(({ u }) => u.instances[0].inputs)).toEqual([1, 16, 32, 48, 64]);
		for (const { u } of calm) expect(u.instances.map((i) => i.id)).toEqual(['a']);
		for (let i = 1; i < updates.length; i++) expect(updates[i].at - updates[i - 1].at).toBe(16);
		// Hundreds of events per millisecond (a load test): an update every 100 ms.
		const before = updates.length;
		for (let i = 0; i < 40; i++) {
			await rt.sendMany(a, Array(100).fill('FLIP'));
			clock.advance(10);
		}
		clock.advance(100);
		const busy = updates.slice(before);
		expect(busy.length).toBeGreaterThanOrEqual(4);
		expect(busy.length).toBeLessThanOrEqual(6);
		for (let i = before + 1; i < updates.length; i++) expect(updates[i].at - updates[i - 1].at).toBeGreaterThanOrEqual(100);
		expect(updates.at(-1)!.u.instances[0].inputs).toBe(64 + 4000);
		// Nothing changes, nothing is sent.
		clock.advance(1000);
		expect(updates.slice(before)).toHaveLength(busy.length);
	});

	it('tells subscribers when saving fails (quota) and when a retry succeeded', async () => {
		const proto = (globalThis as unknown as { IDBObjectStore: { prototype: IDBObjectStore } }).IDBObjectStore.prototype;
		const realAdd = proto.add;
		let full = false;
		proto.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
			if (full && this.name === 'events') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
			return realAdd.apply(this, args);
		};
		try {
			const clock = new FakeClock();
			const rt = runtime({ workspaceId: workspace(), clock });
			const id = await rt.createInstance(await rt.loadWorkflow(door));
			const updates: RuntimeUpdate[] = [];
			await rt.subscribe((u) => updates.push(u));
			await rt.flush();
			full = true;
			await rt.send(id, 'OPEN');
			expect(await rt.flush()).toBe(false);
			clock.advance(16);
			const failed = updates.find((u) => u.storeError);
			expect(failed?.storeError).toMatchObject({ code: 'quota', name: 'QuotaExceededError' });
			expect(failed?.storeError?.message).toMatch(/quota/);
			full = false;
			expect(await rt.retryWrites()).toBe(true);
			clock.advance(16);
			expect(updates.at(-1)?.storeError).toBeNull();
			expect((await rt.getLog(id, { kinds: ['input'] })).map((r) => r.type)).toEqual(['OPEN']);
		} finally {
			proto.add = realAdd;
		}
	});
});

describe('runtime event streams', () => {
	it('delivers the events of watched instances in seq order, batched, capped with a truncation notice', async () => {
		const clock = new FakeClock();
		const rt = runtime({ workspaceId: workspace(), clock });
		const wf = await rt.loadWorkflow(door);
		const a = await rt.createInstance(wf, { id: 'a' });
		const b = await rt.createInstance(wf, { id: 'b' });
		const updates: RuntimeUpdate[] = [];
		const sub = await rt.subscribe((u) => updates.push(u), { events: ['a'] });
		await rt.send(a, 'OPEN');
		await rt.send(b, 'OPEN');
		clock.advance(16);
		const got = updates.flatMap((u) => u.events?.a ?? []);
		expect(got.map((r) => r.kind)).toEqual(['input', 'exited', 'transition', 'entered', 'log']);
		expect(got[0]).toMatchObject({ instanceId: 'a', type: 'OPEN', inputSeq: 1 });
		expect(updates.some((u) => u.events?.b)).toBe(false);
		// The streamed events are the stored ones.
		const stored = await rt.getLog(a, { from: got[0].seq });
		expect(stored.map(({ seq, kind, type }) => ({ seq, kind, type }))).toEqual(got.map(({ seq, kind, type }) => ({ seq, kind, type })));

		await rt.watch(sub, ['b'], 3);
		updates.length = 0;
		await rt.sendMany(b, ['CLOSE', 'OPEN']);
		clock.advance(16);
		expect(updates.flatMap((u) => u.events?.b ?? [])).toHaveLength(3);
		expect(updates.some((u) => u.truncated?.includes('b'))).toBe(true);
		await rt.watch(sub, []);
		updates.length = 0;
		await rt.send(b, 'CLOSE');
		clock.advance(16);
		expect(updates.some((u) => u.events)).toBe(false);
	});
});

describe('finished instances', () => {
	it('reports a done instance as not running, before and after a restore', async () => {
		const ws = workspace();
		const flow = {
			format: 'fsm-studio/workflow' as const,
			version: 1 as const,
			id: 'flow',
			name: 'Flow',
			initial: 'a',
			states: { a: { on: { GO: 'b' } }, b: { type: 'final' as const } }
		};
		const clock = new FakeClock();
		const rt1 = runtime({ workspaceId: ws, clock });
		const id = await rt1.createInstance(await rt1.loadWorkflow(flow));
		const done = await rt1.send(id, 'GO');
		expect(done).toMatchObject({ status: 'done', running: false, enabledEvents: [] });
		await rt1.dispose();
		const rt2 = runtime({ workspaceId: ws, clock });
		expect(await rt2.getInstance(id)).toMatchObject({ status: 'done', running: false, value: 'b' });
	});
});

describe('runtime updates while an effect streams', () => {
	it('sends progress-only changes at the busy pace (100 ms), and anything else within a frame', async () => {
		const clock = new FakeClock();
		let scope: import('../../src/lib/effects/run-types').EffectScope | undefined;
		const rt = runtime({
			workspaceId: workspace(),
			clock,
			// the effect never finishes by itself; the test reports its progress
			runEffect: (_e, s) => {
				scope = s;
				return new Promise(() => {});
			}
		});
		const wf = await rt.loadWorkflow({
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'stream-updates',
			name: 'Stream',
			initial: 'write',
			context: {},
			states: {
				write: { invoke: { type: 'call_llm', provider: 'OpenAI', prompt: 'Write', assignTo: 'story' }, onDone: 'done' },
				done: { type: 'final' }
			}
		} as never);
		const id = await rt.createInstance(wf, { id: 's' });
		const updates: number[] = [];
		await rt.subscribe(() => updates.push(clock.now()));
		clock.advance(16);
		expect(scope).toBeDefined();
		const before = updates.length;
		// a token a millisecond for 500 ms
		for (let i = 0; i < 500; i++) {
			scope!.report({ kind: 'effect', time: clock.now(), phase: 'progress', effect: 'call_llm', effectType: 'call_llm', spanId: 'x', traceId: scope!.traceId, state: 'write', data: { delta: 'w ' } });
			clock.advance(1);
		}
		const streaming = updates.slice(before);
		expect(streaming.length).toBeGreaterThanOrEqual(4);
		expect(streaming.length).toBeLessThanOrEqual(6);
		for (let i = 1; i < streaming.length; i++) expect(streaming[i] - streaming[i - 1]).toBeGreaterThanOrEqual(100);
		// an input while the slow update waits: it is sent within a frame, not at the slow pace
		scope!.report({ kind: 'effect', time: clock.now(), phase: 'progress', effect: 'call_llm', effectType: 'call_llm', spanId: 'x', traceId: scope!.traceId, state: 'write', data: { delta: 'w ' } });
		clock.advance(1);
		const n = updates.length;
		const sentAt = clock.now();
		await rt.send(id, 'NOTHING');
		clock.advance(16);
		expect(updates.length).toBe(n + 1);
		expect(updates.at(-1)! - sentAt).toBeLessThanOrEqual(16);
	});
});
