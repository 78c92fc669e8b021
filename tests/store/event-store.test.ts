import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { EventStoreDb, createEventStore, databaseName, legacyDatabaseName, migrateLegacyDatabase, type EventStore } from '../../src/lib/store';
import type { InstanceEvent } from '../../src/lib/engine/types';
import { examples } from '../../src/lib/examples';

const door = examples[0].workflow;
let n = 0;
const stores: EventStore[] = [];
function open(opts: Parameters<typeof createEventStore>[0] = {}) {
	const s = createEventStore({ workspaceId: `t${++n}-${Date.now()}`, ...opts });
	stores.push(s);
	return s;
}
afterEach(async () => {
	for (const s of stores.splice(0)) {
		s.db.close();
		await Dexie.delete(s.db.name);
	}
});

function newInstance(s: EventStore, id = 'i1') {
	return s.createInstance({
		id,
		workflowId: door.id,
		workflowName: door.name,
		workflow: door,
		createdAt: Date.now(),
		updatedAt: Date.now(),
		status: 'active',
		inputs: 0,
		value: 'closed',
		context: {},
		running: true
	});
}
const input = (seq: number, type: string): InstanceEvent => ({ kind: 'input', seq, time: 1000 + seq, event: { type } });

describe('event store', () => {
	it('names one database per workspace, in a family no other database of the app belongs to', () => {
		expect(databaseName()).toBe('fsm-studio-ws-default');
		expect(databaseName('team')).toBe('fsm-studio-ws-team');
		// The workflow list and the workflows' documents cannot be opened by a workspace name.
		for (const ws of ['workspace', 'wf-0123', 'ws-x', '.ai']) {
			expect(databaseName(ws)).not.toBe('fsm-studio-workspace');
			expect(databaseName(ws).startsWith('fsm-studio-wf-')).toBe(false);
			expect(databaseName(ws).startsWith('fsm-studio.')).toBe(false);
		}
	});

	it('moves a workspace’s events from the old database name, once, and leaves other databases of that name alone', async () => {
		const ws = `legacy-${Math.random().toString(36).slice(2)}`;
		// An event store written by an older version under `fsm-studio-<workspace>`.
		const old = new EventStoreDb(ws, { name: legacyDatabaseName(ws) });
		await old.open();
		await old.instances.put({ id: 'i1', workflowId: 'door', workflowName: 'Door', workflow: {} as never, createdAt: 1, updatedAt: 1, status: 'active', lastSeq: 2, inputs: 1, value: 'open', context: {}, running: true });
		await old.events.put({ instanceId: 'i1', seq: 1, last: 2, events: [{ time: 1, kind: 'input', type: 'OPEN', payload: { type: 'OPEN' }, inputSeq: 1 }, { time: 1, kind: 'entered', type: 'open', payload: { state: 'open' } }] });
		await old.inputs.put({ instanceId: 'i1', seq: 1, last: 1, times: [1], events: [{ type: 'OPEN' }] });
		await old.settings.put({ key: 'k', value: 42 });
		old.close();

		const s = createEventStore({ workspaceId: ws });
		await s.ready;
		expect(s.getInstance('i1')).toMatchObject({ value: 'open', lastSeq: 2 });
		expect((await s.getLog('i1')).map((r) => r.type)).toEqual(['OPEN', 'open']);
		expect((await s.readReplay('i1', { full: true })).inputs.map((i) => i.event.type)).toEqual(['OPEN']);
		expect(await s.db.settings.get('k')).toEqual({ key: 'k', value: 42 });
		expect(await Dexie.exists(legacyDatabaseName(ws))).toBe(false);
		await s.close();
		// Opening it again copies nothing twice.
		expect(await migrateLegacyDatabase(ws)).toBe('none');

		// The workflow list is `fsm-studio-workspace`: a workspace named "workspace" leaves it alone.
		const list = new Dexie(legacyDatabaseName('workspace'));
		list.version(1).stores({ workflows: 'id' });
		await list.open();
		await list.table('workflows').put({ id: 'w1', name: 'Mine' });
		list.close();
		const named = createEventStore({ workspaceId: 'workspace' });
		await named.ready;
		expect(named.instances()).toEqual([]);
		await named.close();
		const again = new Dexie(legacyDatabaseName('workspace'));
		await again.open();
		expect(await again.table('workflows').toArray()).toEqual([{ id: 'w1', name: 'Mine' }]);
		again.close();
		await Dexie.delete(legacyDatabaseName('workspace'));
		await Dexie.delete(databaseName('workspace'));
	});

	it('creates every table', async () => {
		const s = open();
		await s.ready;
		expect(s.db.tables.map((t) => t.name).sort()).toEqual(
			['audit', 'events', 'inputs', 'instances', 'llmCache', 'settings', 'snapshots', 'vectors'].sort()
		);
	});

	it('appends events with a gapless per-instance seq, batched into one transaction', async () => {
		const s = open();
		await s.ready;
		newInstance(s, 'a');
		newInstance(s, 'b');
		for (let i = 1; i <= 100; i++) {
			s.append('a', input(i, i % 2 ? 'OPEN' : 'CLOSE'));
			s.append('a', { kind: 'entered', time: 5, state: i % 2 ? 'open' : 'closed' });
			s.append('b', input(i, 'LOCK'));
		}
		expect(s.stats().pending).toBe(300);
		expect(await s.flush()).toBe(true);
		expect(s.stats()).toMatchObject({ pending: 0, written: 300, transactions: 1 });
		const a = await s.getLog('a');
		expect(a.map((r) => r.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
		expect(a[0]).toMatchObject({ instanceId: 'a', seq: 1, kind: 'input', type: 'OPEN', payload: { type: 'OPEN' }, inputSeq: 1, time: 1001 });
		expect(a[1]).toMatchObject({ seq: 2, kind: 'entered', type: 'open', payload: { state: 'open' } });
		expect(a[1].inputSeq).toBeUndefined();
		expect((await s.getLog('b')).length).toBe(100);
		expect(s.getInstance('a')?.lastSeq).toBe(200);
		expect((await s.db.instances.get('a'))?.lastSeq).toBe(200);
	});

	it('splits large bursts into batches of maxBatch, in order', async () => {
		const s = open({ maxBatch: 40 });
		await s.ready;
		newInstance(s);
		for (let i = 1; i <= 100; i++) s.append('i1', input(i, 'X'));
		await s.flush();
		expect(s.stats().transactions).toBe(3);
		expect((await s.getLog('i1')).map((r) => r.inputSeq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
	});

	it('stores consecutive events as segments and reads across segment borders', async () => {
		const s = open({ segmentSize: 7 });
		await s.ready;
		newInstance(s);
		for (let i = 1; i <= 20; i++) s.append('i1', input(i, 'E' + i));
		await s.flush();
		for (let i = 21; i <= 30; i++) s.append('i1', input(i, 'E' + i));
		await s.flush();
		const segs = await s.db.events.toArray();
		expect(segs.map((x) => [x.seq, x.last])).toEqual([[1, 7], [8, 14], [15, 20], [21, 27], [28, 30]]);
		expect((await s.getLog('i1', { from: 6, limit: 10 })).map((r) => r.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
		expect((await s.getLog('i1', { order: 'desc', from: 22, limit: 9 })).map((r) => r.seq)).toEqual([22, 21, 20, 19, 18, 17, 16, 15, 14]);
		expect((await s.getLog('i1')).map((r) => r.inputSeq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		expect((await s.readReplay('i1', { full: true, upToInput: 25 })).inputs.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
	});

	it('queries the log newest first, by kind, with a limit and a start', async () => {
		const s = open();
		await s.ready;
		newInstance(s);
		for (let i = 1; i <= 10; i++) {
			s.append('i1', input(i, 'E' + i));
			s.append('i1', { kind: 'log', time: i, message: 'm' + i });
		}
		const newest = await s.getLog('i1', { order: 'desc', limit: 3 });
		expect(newest.map((r) => r.seq)).toEqual([20, 19, 18]);
		const inputs = await s.getLog('i1', { kinds: ['input'], from: 5, limit: 2 });
		expect(inputs.map((r) => r.type)).toEqual(['E3', 'E4']);
		const before = await s.getLog('i1', { order: 'desc', from: 10, limit: 2, kinds: ['log'] });
		expect(before.map((r) => r.seq)).toEqual([10, 8]);
	});

	it('exports an instance log as JSON Lines', async () => {
		const s = open();
		await s.ready;
		newInstance(s);
		s.append('i1', input(1, 'OPEN'));
		s.append('i1', { kind: 'transition', time: 2, event: 'OPEN', transition: 'closed|on:OPEN|0', source: 'closed', targets: ['open'] });
		const text = await s.exportLog('i1');
		const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
		expect(lines).toEqual([
			{ instanceId: 'i1', seq: 1, time: 1001, kind: 'input', type: 'OPEN', payload: { type: 'OPEN' } },
			{ instanceId: 'i1', seq: 2, time: 2, kind: 'transition', type: 'OPEN', payload: { event: 'OPEN', transition: 'closed|on:OPEN|0', source: 'closed', targets: ['open'] } }
		]);
		expect(text.endsWith('\n')).toBe(true);
	});

	it('reads the latest snapshot and only the inputs after it for replay', async () => {
		const s = open();
		await s.ready;
		newInstance(s);
		const snap = (seq: number) => ({ value: 'closed', context: {}, status: 'active' as const, configuration: ['closed'], history: {}, timers: [], seq });
		for (let i = 1; i <= 10; i++) {
			s.append('i1', input(i, 'E' + i));
			s.append('i1', { kind: 'entered', time: 0, state: 'x' });
			if (i === 4 || i === 7) s.saveSnapshot('i1', snap(i));
		}
		const r = await s.readReplay('i1');
		expect(r.snapshot?.seq).toBe(14);
		expect(r.snapshot?.snapshot.seq).toBe(7);
		expect(r.inputs.map((x) => x.event.type)).toEqual(['E8', 'E9', 'E10']);
		expect(r.inputs.map((x) => [x.seq, x.time])).toEqual([[8, 1008], [9, 1009], [10, 1010]]);
		const full = await s.readReplay('i1', { full: true });
		expect(full.snapshot).toBeUndefined();
		expect(full.inputs.length).toBe(10);
	});

	it('keeps only the newest snapshots of an instance', async () => {
		const s = open();
		await s.ready;
		newInstance(s, 'a');
		newInstance(s, 'b');
		const snap = (seq: number) => ({ value: 'closed', context: {}, status: 'active' as const, configuration: ['closed'], history: {}, timers: [], seq });
		for (let i = 1; i <= 5; i++) {
			s.append('a', input(i, 'E'));
			s.saveSnapshot('a', snap(i));
			await s.flush();
		}
		s.append('b', input(1, 'E'));
		s.saveSnapshot('b', snap(1));
		await s.flush();
		const rows = await s.db.snapshots.toArray();
		expect(rows.map((r) => [r.instanceId, r.snapshot.seq])).toEqual([['a', 4], ['a', 5], ['b', 1]]);
		expect((await s.readReplay('a')).snapshot?.snapshot.seq).toBe(5);
	});

	it('keeps seq numbering and the registry across reopen', async () => {
		const name = `reopen-${Date.now()}`;
		const s1 = createEventStore({ workspaceId: name });
		await s1.ready;
		newInstance(s1);
		s1.append('i1', input(1, 'OPEN'));
		s1.append('i1', input(2, 'CLOSE'));
		s1.updateInstance('i1', { value: 'closed', inputs: 2 });
		await s1.close();
		const s2 = open({ workspaceId: name });
		await s2.ready;
		expect(s2.instances().map((r) => [r.id, r.lastSeq, r.inputs])).toEqual([['i1', 2, 2]]);
		expect(s2.append('i1', input(3, 'OPEN'))).toBe(3);
		await s2.flush();
		expect((await s2.getLog('i1')).length).toBe(3);
	});

	it('deletes an instance with its log and snapshots', async () => {
		const s = open();
		await s.ready;
		newInstance(s, 'a');
		newInstance(s, 'b');
		s.append('a', input(1, 'X'));
		s.append('b', input(1, 'Y'));
		s.saveSnapshot('a', { value: 'x', context: {}, status: 'active', configuration: [], history: {}, timers: [], seq: 1 });
		await s.flush();
		await s.deleteInstance('a');
		expect(await s.getLog('a')).toEqual([]);
		expect((await s.getLog('b')).map((r) => r.type)).toEqual(['Y']);
		expect(await s.db.events.count()).toBe(1);
		expect(await s.db.inputs.count()).toBe(1);
		expect(await s.db.snapshots.count()).toBe(0);
		expect(s.instances().map((r) => r.id)).toEqual(['b']);
		expect(await s.db.instances.count()).toBe(1);
	});

	it('rejects a duplicate instance id', async () => {
		const s = open();
		await s.ready;
		newInstance(s);
		expect(() => newInstance(s)).toThrow(/already exists/);
	});
});
