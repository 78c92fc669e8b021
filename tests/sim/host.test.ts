import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { createEventStore, type EventStore } from '../../src/lib/store';
import { SimHost } from '../../src/lib/sim/host';
import type { SessionView } from '../../src/lib/sim/protocol';
import { ring } from './fixtures';
import { createRuntime } from '../../src/lib/runtime';
import { FakeClock } from '../runtime/fake-clock';

const door = examples.find((e) => e.id === 'smart-door')!.workflow as Workflow;
let ws = 0;
const stores: EventStore[] = [];
const hosts: SimHost[] = [];
const openStore = (id: string) => {
	const s = createEventStore({ workspaceId: id });
	stores.push(s);
	return s;
};

const track = (h: SimHost) => {
	hosts.push(h);
	return h;
};

afterEach(async () => {
	for (const h of hosts.splice(0)) await h.close();
	for (const s of stores.splice(0)) await s.close();
});

describe('sim host', () => {
	it('writes the session log to the event store and resumes it after a "reload"', async () => {
		const workspaceId = `sim-host-${++ws}`;
		const a = track(new SimHost({ openStore }));
		await a.init({ workspaceId });
		const id = await a.start(door);
		await a.send(id, { type: 'OPEN' });
		await a.advance(id, 1000);
		await a.toggleBreakpoint(id, 'state', 'locked');
		await a.flush();
		const before = await a.view(id);
		expect(before.value).toBe('open');
		const store = stores[0];
		const rows = await store.getLog(id);
		expect(rows.length).toBe(before.logSize);
		// The simulator's own: the runtime of the workspace neither lists nor resumes it.
		expect(store.getInstance(id)?.host).toBe('simulator');
		const rt = createRuntime({ workspaceId, exclusive: false });
		expect((await rt.ready()).restored).toBe(0);
		expect(await rt.listInstances()).toEqual([]);
		await rt.dispose();

		// A new host on the same workspace = the page was reloaded.
		const b = track(new SimHost({ openStore }));
		const { resumed, errors } = await b.init({ workspaceId });
		expect(errors).toEqual([]);
		// Resumed when its workflow is opened.
		expect(resumed).toEqual([]);
		expect(await b.list('some-other-workflow')).toEqual([]);
		expect((await b.list(door.id)).map((v) => v.id)).toEqual([id]);
		const after = await b.view(id);
		expect(after.value).toBe('open');
		expect(after.context).toEqual(before.context);
		expect(after.breakpoints.states).toEqual(['locked']);
		expect(after.logSize).toBe(before.logSize);
		expect(after.now).toBe(1000);
		// The pending delay was re-armed relative to its recorded start (t=0): 4 s to go.
		await b.advance(id, 3999);
		expect((await b.view(id)).value).toBe('open');
		await b.advance(id, 1);
		expect((await b.view(id)).value).toBe('closed');
		// And the breakpoint still works.
		await b.send(id, { type: 'LOCK' });
		const v = await b.view(id);
		expect(v.paused).toBe(true);
		expect(v.hit).toMatchObject({ kind: 'state', id: 'locked' });
	});

	it('an instance started while the workspace database is still opening is saved and resumed after a "reload"', async () => {
		// The designer's Start button can be pressed before the worker's init has opened the
		// store (Comlink delivers init first, but start runs during init's awaits).
		const workspaceId = `sim-host-${++ws}`;
		const a = track(new SimHost({ openStore }));
		const initialising = a.init({ workspaceId });
		const started = a.start(door);
		const [, id] = await Promise.all([initialising, started]);
		await a.send(id, { type: 'OPEN' });
		await a.flush();
		expect(stores[0].getInstance(id)?.host).toBe('simulator');
		const logSize = (await a.view(id)).logSize;
		expect((await stores[0].getLog(id)).length).toBe(logSize);

		const b = track(new SimHost({ openStore }));
		await b.init({ workspaceId });
		expect((await b.list(door.id)).map((v) => v.id)).toEqual([id]);
		expect((await b.view(id)).value).toBe('open');
	});

	it('resumes sessions an older version listed in the settings table, and moves them into their records', async () => {
		const workspaceId = `sim-host-${++ws}`;
		// What an older version left behind: a session's log and record, and the list of sessions.
		const a = track(new SimHost({ openStore }));
		await a.init({ workspaceId });
		const id = await a.start(door, { id: 'sim-legacy-1' });
		await a.send(id, { type: 'OPEN' });
		await a.close();
		const old = stores[0];
		old.updateInstance(id, { host: undefined, session: undefined, mode: undefined, running: false });
		old.createInstance({ ...old.getInstance(id)!, id: 'sim-legacy-stopped', status: 'stopped', session: undefined, host: undefined });
		await old.db.settings.put({ key: 'sim:sessions', value: [{ id, paused: true, breakpoints: { states: ['locked'], transitions: [] }, now: 1234, stubs: {} }] });
		await old.flush();

		const b = track(new SimHost({ openStore }));
		await b.init({ workspaceId });
		const [v] = await b.list(door.id);
		expect(v).toMatchObject({ id, value: 'open', paused: true, now: 1234, breakpoints: { states: ['locked'] }, mode: 'simulated' });
		const store = stores[1];
		expect(await store.db.settings.get('sim:sessions')).toBeUndefined();
		expect(store.getInstance(id)).toMatchObject({ host: 'simulator', session: { paused: true } });
		expect(store.getInstance('sim-legacy-stopped')?.host).toBe('simulator');
	});

	it('forks: the new instance is stored with the shared prefix', async () => {
		const workspaceId = `sim-host-${++ws}`;
		const h = track(new SimHost({ openStore }));
		await h.init({ workspaceId });
		const id = await h.start(door);
		for (const type of ['OPEN', 'CLOSE', 'LOCK']) await h.send(id, { type });
		const page = await h.logPage(id, 0, 1000, { kinds: ['input'] });
		const close = page.rows.find((r) => r.entry.kind === 'input' && r.entry.event.type === 'CLOSE')!;
		const fid = await h.fork(id, close.position);
		const fv = await h.view(fid);
		expect(fv.value).toBe('closed');
		expect(fv.forkOf).toEqual({ id, position: close.position });
		await h.send(fid, { type: 'OPEN' });
		await h.flush();
		const original = await stores[0].getLog(id);
		const forked = await stores[0].getLog(fid);
		const lock = original.findIndex((r) => r.kind === 'input' && r.type === 'LOCK');
		expect(forked.slice(0, lock).map((r) => [r.seq, r.kind, r.type, r.payload])).toEqual(original.slice(0, lock).map((r) => [r.seq, r.kind, r.type, r.payload]));
		expect(forked[lock]).toMatchObject({ kind: 'input', type: 'OPEN' });

		// After a reload the fork resumes where it was (its stored snapshot is a started state).
		const before = await h.view(fid);
		await h.close();
		const again = track(new SimHost({ openStore }));
		await again.init({ workspaceId });
		expect((await again.list(door.id)).map((v) => v.id).sort()).toEqual([id, fid].sort());
		const after = await again.view(fid);
		expect(after).toMatchObject({ value: 'open', context: before.context, forkOf: { id, position: close.position }, logSize: before.logSize });
	});

	it('filters and searches the log, pushes views to watchers, and reports moments', async () => {
		const clock = new FakeClock();
		const h = track(new SimHost({ pushEvery: 1, clock }));
		await h.init({ persist: false });
		const id = await h.start(door);
		const views: SessionView[] = [];
		await h.watch(id, (v) => views.push(v));
		await h.send(id, { type: 'OPEN' });
		expect(views.at(-1)!.value).toBe('closed');
		clock.advance(1);
		expect(views.at(-1)!.value).toBe('open');
		expect(views.at(-1)!.activeStates).toEqual(['open']);
		expect(views.at(-1)!.lastTransitions).toEqual(['closed|on:OPEN|0']);
		expect(views.at(-1)!.enabled.map((e) => e.type)).toEqual(['CLOSE']);
		const transitions = await h.logPage(id, 0, 10, { kinds: ['transition'] });
		expect(transitions.rows.every((r) => r.entry.kind === 'transition')).toBe(true);
		const search = await h.logPage(id, 0, 10, { search: 'door opened' });
		expect(search.total).toBe(1);
		expect(search.rows[0].entry.kind).toBe('log');
		const m = await h.at(id, 1);
		expect(m.value).toBe('closed');
		// a past moment carries its own enabled events (read only), not the live instance's
		expect(m.enabled!.map((e) => e.type)).toEqual(['OPEN', 'LOCK']);
		expect(views.at(-1)!.enabled.map((e) => e.type)).toEqual(['CLOSE']);
		expect(m.time).toBe(0);
	});

	it('pump sends events as fast as the worker can', async () => {
		const h = track(new SimHost());
		await h.init({ persist: false });
		const id = await h.start(ring(100));
		const r = await h.pump(id, 5000, 1000);
		expect(r.sent).toBe(5000);
		expect((await h.view(id)).context).toEqual({ n: 5000 });
	});

	it('in real time, the virtual clock follows the wall clock while running, and stops while paused', async () => {
		vi.useFakeTimers();
		try {
			const h = track(new SimHost());
			await h.init({ persist: false });
			const id = await h.start(door);
			await h.send(id, { type: 'OPEN' });
			await h.setRealtime(id, true);
			vi.advanceTimersByTime(4900);
			expect((await h.view(id)).value).toBe('open');
			await h.pause(id);
			vi.advanceTimersByTime(10_000);
			expect((await h.view(id)).value).toBe('open');
			expect((await h.view(id)).pending).toEqual([]);
			await h.resume(id);
			vi.advanceTimersByTime(200);
			const v = await h.view(id);
			expect(v.value).toBe('closed');
			expect(v.realtime).toBe(true);
		} finally {
			vi.useRealTimers();
		}
	});

	it('refuses a workflow that does not compile, with the engine\'s message, and registers nothing', async () => {
		const workspaceId = `sim-host-${++ws}`;
		const h = track(new SimHost({ openStore }));
		await h.init({ workspaceId });
		const broken = { ...door, states: { ...door.states, closed: { on: { OPEN: 'nowhere' } } } } as Workflow;
		await expect(h.start(broken)).rejects.toThrow(/nowhere/);
		expect(await h.list()).toEqual([]);
		expect(stores.at(-1)!.instances()).toEqual([]);
	});
});
