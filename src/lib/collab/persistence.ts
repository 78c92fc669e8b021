/**
 * Opens the Y.Doc of one workflow: y-indexeddb persistence plus live sync with other tabs.
 *
 * y-indexeddb writes each update as it happens but lets failed writes become unhandled
 * rejections. We replace its update listener with one that reports every failure, and that
 * holds back writes until the initial load has finished (they are flushed right after).
 * `destroy()` resolves only once every write has committed: a caller that closes the doc
 * and then updates another database (the workflow list) or reloads the page cannot leave
 * the document behind — transactions of two databases commit in no fixed order, and a
 * page unload aborts the ones still running.
 */
import * as Y from 'yjs';
import { IndexeddbPersistence, storeState, PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import * as idb from 'lib0/indexeddb';
import { BroadcastProvider } from './broadcast';
import { compactHistory, needsCompaction, type CompactPolicy, type CompactResult } from './compact';

export const docDbName = (id: string) => `fsm-studio-wf-${id}`;

export interface OpenDoc {
	doc: Y.Doc;
	/** Resolves when the stored document has been loaded into `doc`. */
	ready: Promise<void>;
	/** What the history compaction on opening did, if it ran. */
	compaction?: CompactResult;
	/** Stops syncing and closes the database once every write made so far has committed. */
	destroy(): Promise<void>;
}

export interface OpenOptions {
	/** Reports storage failures (quota, blocked database, …). */
	onError?: (message: string, cause: unknown) => void;
	/** Live sync with other tabs (default true). */
	broadcast?: boolean;
	/** Compact a long history when opening (default true; see compact.ts). */
	compact?: boolean | CompactPolicy;
}

function describe(e: unknown): string {
	const name = (e as { name?: string })?.name;
	if (name === 'QuotaExceededError') return 'The browser storage is full: changes are not being saved. Free some space or export your work.';
	const msg = (e as { message?: string })?.message ?? String(e);
	return `Saving to browser storage failed: ${msg}`;
}

/** Opens (creating if needed) the stored document of a workflow. */
export function openWorkflowDoc(id: string, opts: OpenOptions = {}): OpenDoc {
	// gc off: deleted content stays, so any version in the history can be read back (history.ts)
	const doc = new Y.Doc({ gc: false });
	const report = (e: unknown) => opts.onError?.(describe(e), e);
	const p = new IndexeddbPersistence(docDbName(id), doc) as IndexeddbPersistence & {
		_storeUpdate: (u: Uint8Array, o: unknown) => void;
		_dbsize: number;
		_db: Promise<IDBDatabase>;
	};
	p._db.catch(report);
	doc.off('update', p._storeUpdate);
	const pending: Uint8Array[] = [];
	let trimTimer: ReturnType<typeof setTimeout> | null = null;
	// Writes not yet committed (or aborted); destroy() waits for them.
	const inflight = new Set<Promise<void>>();
	const track = (w: Promise<void>) => {
		inflight.add(w);
		void w.finally(() => inflight.delete(w));
	};
	const write = (update: Uint8Array) => {
		try {
			const [store] = idb.transact(p.db!, ['updates']);
			const tx = store.transaction;
			track(new Promise<void>((resolve) => {
				tx.addEventListener('complete', () => resolve());
				tx.addEventListener('abort', () => resolve());
			}));
			idb.addAutoKey(store, update as unknown as ArrayBuffer).catch(report);
			if (++p._dbsize >= PREFERRED_TRIM_SIZE) {
				if (trimTimer) clearTimeout(trimTimer);
				trimTimer = setTimeout(() => {
					trimTimer = null;
					track(storeState(p, false).catch(report));
				}, 1000);
			}
		} catch (e) {
			report(e);
		}
	};
	const onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === p) return;
		if (!p.synced || !p.db) pending.push(update);
		else write(update);
	};
	doc.on('update', onUpdate);
	let bc: BroadcastProvider | null = null;
	const result: OpenDoc = { doc, ready: null as unknown as Promise<void>, destroy };
	const ready = p.whenSynced.then(async () => {
		if (pending.length) write(Y.mergeUpdates(pending.splice(0)));
		if (opts.compact !== false) {
			const policy = typeof opts.compact === 'object' ? opts.compact : {};
			if (needsCompaction(doc, policy)) {
				try {
					result.compaction = compactHistory(doc, policy);
					// the stored updates still hold what was collected: replace them by the compact state
					const w = storeState(p, true);
					track(w.catch(report));
					await w;
				} catch (e) {
					report(e);
				}
			}
		}
		if (opts.broadcast !== false && typeof BroadcastChannel !== 'undefined') bc = new BroadcastProvider(`fsm-studio:${id}`, doc, report);
	});
	async function destroy() {
		if (trimTimer) clearTimeout(trimTimer);
		bc?.destroy();
		doc.off('update', onUpdate);
		while (inflight.size) await Promise.all(inflight);
		await p.destroy();
		doc.destroy();
	}
	result.ready = ready;
	return result;
}

/** Deletes the stored document of a workflow. */
export async function deleteWorkflowDoc(id: string): Promise<void> {
	await idb.deleteDB(docDbName(id));
}
