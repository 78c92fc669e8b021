import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import { createEventStore, describeStoreError, type StoreError } from '../../src/lib/store';
import { examples } from '../../src/lib/examples';

// fake-indexeddb has no quota; make its object stores refuse writes the way a full origin
// does in browsers: the request throws a DOMException named QuotaExceededError.
const proto = (globalThis as unknown as { IDBObjectStore: { prototype: IDBObjectStore } }).IDBObjectStore.prototype;
const realAdd = proto.add;
let full = false;
proto.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
	if (full && this.name === 'events') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
	return realAdd.apply(this, args);
};
afterEach(() => {
	full = false;
});

const door = examples[0].workflow;

describe('event store write failures', () => {
	it('surfaces a quota error to the user, keeps the events and writes them on retry', async () => {
		const errors: StoreError[] = [];
		const s = createEventStore({ workspaceId: `quota-${Date.now()}`, onError: (e) => errors.push(e) });
		await s.ready;
		s.createInstance({ id: 'i1', workflowId: door.id, workflowName: door.name, workflow: door, createdAt: 1, updatedAt: 1, status: 'active', inputs: 0, value: 'closed', context: {}, running: true });
		s.append('i1', { kind: 'input', seq: 1, time: 1, event: { type: 'OPEN' } });
		expect(await s.flush()).toBe(true);

		full = true;
		s.append('i1', { kind: 'input', seq: 2, time: 2, event: { type: 'CLOSE' } });
		s.append('i1', { kind: 'input', seq: 3, time: 3, event: { type: 'OPEN' } });
		expect(await s.flush()).toBe(false);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatchObject({ code: 'quota', name: 'QuotaExceededError', instanceIds: ['i1'], pending: 2 });
		expect(errors[0].message).toMatch(/storage quota exceeded/);
		expect(s.stats().error?.code).toBe('quota');
		expect(await s.db.events.count()).toBe(1); // the first flush's segment only
		// The instance row did not move ahead of its events.
		expect((await s.db.instances.get('i1'))?.lastSeq).toBe(1);

		// More events while paused are queued, not lost, and do not trigger a write.
		s.append('i1', { kind: 'input', seq: 4, time: 4, event: { type: 'CLOSE' } });
		expect(s.stats().pending).toBe(3);

		full = false;
		expect(await s.retry()).toBe(true);
		expect((await s.getLog('i1')).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
		expect(s.stats().error).toBeNull();
		s.db.close();
		await Dexie.delete(s.db.name);
	});

	it('reports other write failures as write errors', async () => {
		const errors: StoreError[] = [];
		const s = createEventStore({ workspaceId: `dup-${Date.now()}`, onError: (e) => errors.push(e) });
		await s.ready;
		// A row that already exists: a ConstraintError from IndexedDB.
		await s.db.events.add({ instanceId: 'x', seq: 1, last: 1, events: [{ time: 0, kind: 'log', type: 'log', payload: {} }] });
		s.append('x', { kind: 'log', time: 0, message: 'again' });
		expect(await s.flush()).toBe(false);
		expect(errors[0].code).toBe('write');
		expect(errors[0].message).toMatch(/Saving the event log failed/);
		s.db.close();
		await Dexie.delete(s.db.name);
	});
});

describe('describing store errors', () => {
	it('finds a quota error wrapped the ways Dexie and browsers wrap it', () => {
		const quota = new DOMException('full', 'QuotaExceededError');
		const shapes = [
			quota,
			{ name: 'AbortError', message: 'aborted', inner: quota },
			{ name: 'BulkError', message: '1 of 3 failed', failures: [null, { name: 'QuotaExceededError' }] },
			{ name: 'AbortError', message: 'aborted', inner: { name: 'UnknownError', error: quota } }
		];
		for (const err of shapes) expect(describeStoreError(err, 'write', ['i'], 5)).toMatchObject({ code: 'quota', name: 'QuotaExceededError', pending: 5 });
		const other = describeStoreError(new DOMException('disk I/O', 'UnknownError'), 'write', [], 2);
		expect(other).toMatchObject({ code: 'write', name: 'UnknownError' });
		expect(other.message).toContain('2 event(s) are kept in memory');
		expect(describeStoreError(new Error('blocked'), 'open', [], 0).message).toMatch(/could not be opened/);
	});
});
