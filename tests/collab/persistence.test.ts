import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openWorkflowDoc } from '../../src/lib/collab/persistence';
import { readWorkflow, writeWorkflow } from '../../src/lib/collab/binding';
import { addState, addTransition } from '../../src/lib/collab/ops';
import {
	createWorkflow, duplicateWorkflow, listWorkflows, loadWorkflow, purgeDeleted, renameWorkflow,
	restoreWorkflow, softDeleteWorkflow, WorkspaceDb
} from '../../src/lib/collab/workspace';
import { examples } from '../../src/lib/examples';

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('persistence', () => {
	it('reopening a document gives back every edit', async () => {
		const a = openWorkflowDoc('p1', { broadcast: false });
		await a.ready;
		writeWorkflow(a.doc, examples[0].workflow);
		addState(a.doc, { key: 'extra', position: { x: 5, y: 6 } });
		addTransition(a.doc, 'extra', 'open', 'GO');
		const before = readWorkflow(a.doc);
		await tick();
		await a.destroy();
		const b = openWorkflowDoc('p1', { broadcast: false });
		await b.ready;
		expect(readWorkflow(b.doc)).toEqual(before);
		await b.destroy();
	});

	it('edits made before the load finished are kept, not lost or written early', async () => {
		const a = openWorkflowDoc('p2', { broadcast: false });
		writeWorkflow(a.doc, examples[0].workflow);
		await a.ready;
		await tick();
		await a.destroy();
		const b = openWorkflowDoc('p2', { broadcast: false });
		await b.ready;
		expect(readWorkflow(b.doc).name).toBe('Smart door');
		await b.destroy();
	});

	it('an edit is committed once destroy() resolves: an unload right after cannot lose it', async () => {
		// A page unload aborts every transaction still running. Record the ones opened while
		// the document is open and abort those that have not finished when destroy() resolves.
		const proto = (globalThis as unknown as { IDBDatabase: { prototype: IDBDatabase } }).IDBDatabase.prototype;
		const transaction = proto.transaction;
		const opened: IDBTransaction[] = [];
		proto.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
			const tx = transaction.apply(this, args);
			opened.push(tx);
			return tx;
		};
		try {
			const a = openWorkflowDoc('p-unload', { broadcast: false });
			await a.ready;
			writeWorkflow(a.doc, examples[0].workflow);
			a.doc.getMap('workflow').set('name', 'Renamed door');
			await a.destroy();
			let aborted = 0;
			for (const tx of opened) {
				try {
					tx.abort();
					aborted++;
				} catch {
					// already committed: what destroy() promises
				}
			}
			expect(aborted).toBe(0);
		} finally {
			proto.transaction = transaction;
		}
		const b = openWorkflowDoc('p-unload', { broadcast: false });
		await b.ready;
		expect(readWorkflow(b.doc).name).toBe('Renamed door');
		expect(Object.keys(readWorkflow(b.doc).states)).toEqual(Object.keys(examples[0].workflow.states));
		await b.destroy();
	});

	it('workspace: create, rename, duplicate, delete with undo, purge', async () => {
		const db = new WorkspaceDb('ws-test');
		const m = await createWorkflow(examples[0].workflow, undefined, db);
		expect((await listWorkflows(db)).map((w) => w.name)).toEqual(['Smart door']);
		expect(m.stateCount).toBe(3);
		expect(m.preview.boxes.length).toBe(3);
		await renameWorkflow(m.id, 'Front door', db);
		expect((await loadWorkflow(m.id)).name).toBe('Front door');
		const copy = await duplicateWorkflow(m.id, db);
		expect(copy.name).toBe('Front door (copy)');
		expect((await loadWorkflow(copy.id)).states).toEqual(examples[0].workflow.states);
		await softDeleteWorkflow(m.id, db);
		expect((await listWorkflows(db)).map((w) => w.id)).toEqual([copy.id]);
		await restoreWorkflow(m.id, db);
		expect((await listWorkflows(db)).length).toBe(2);
		await softDeleteWorkflow(m.id, db);
		expect(await purgeDeleted(0, db)).toBe(1);
		expect((await db.workflows.toArray()).map((w) => w.id)).toEqual([copy.id]);
		expect(Object.keys((await loadWorkflow(m.id)).states ?? {})).toEqual([]);
	});
});

describe('storage failures', () => {
	it('a failed write is reported to the user, not swallowed', async () => {
		const errors: string[] = [];
		const a = openWorkflowDoc('p-fail', { broadcast: false, onError: (m) => errors.push(m) });
		await a.ready;
		const proto = (globalThis as unknown as { IDBObjectStore: { prototype: { add: (...x: unknown[]) => unknown } } }).IDBObjectStore.prototype;
		const add = proto.add;
		proto.add = () => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
		try {
			writeWorkflow(a.doc, examples[0].workflow);
		} finally {
			proto.add = add;
		}
		expect(errors.length).toBeGreaterThan(0);
		expect(errors[0]).toMatch(/storage is full/i);
		await a.destroy();
	});
});
