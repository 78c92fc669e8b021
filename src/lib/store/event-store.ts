import Dexie from 'dexie';
import type { InstanceEvent, PersistedSnapshot } from '../engine/types';
import { DEFAULT_WORKSPACE, EventStoreDb, migrateLegacyDatabase } from './db';
import type {
	EventSegment,
	InputSegment,
	InstanceRecord,
	LogQuery,
	RecordedInput,
	SegmentEvent,
	SnapshotRecord,
	StoreError,
	StoredEvent
} from './types';

export interface EventStoreOptions {
	workspaceId?: string;
	/** Most events written in one transaction (default 20,000). */
	maxBatch?: number;
	/** Most events in one stored segment (default 2,000). */
	segmentSize?: number;
	/** Snapshots kept per instance, newest first (default 2). */
	keepSnapshots?: number;
	/**
	 * When a flush starts after the first event is queued: `'microtask'` (default: right after
	 * the current task, so one synchronous burst of events is one transaction) or a delay in ms.
	 * While a transaction is in flight, new events accumulate and go in the next one.
	 */
	flushDelay?: 'microtask' | number;
	/** Called for every failed write or open; the events stay queued until `retry()`. */
	onError?: (e: StoreError) => void;
	/** Alternative IndexedDB implementation (tests). */
	indexedDB?: IDBFactory;
	IDBKeyRange?: typeof IDBKeyRange;
}

/** What replay needs: the instance, its latest snapshot (unless full) and the inputs after it. */
export interface ReplaySource {
	instance: InstanceRecord;
	snapshot?: SnapshotRecord;
	inputs: RecordedInput[];
}

export interface StoreStats {
	/** Events queued but not written yet. */
	pending: number;
	/** Events written since the store was opened. */
	written: number;
	/** Transactions committed since the store was opened. */
	transactions: number;
	/** Set while writes are paused after a failure. */
	error: StoreError | null;
}

/** Short label for the `type` column. */
function labelOf(e: InstanceEvent): string {
	switch (e.kind) {
		case 'input':
		case 'emit':
			return e.event.type;
		case 'transition':
			return e.event;
		case 'entered':
		case 'exited':
			return e.state;
		case 'effect':
			return `${e.effectType}:${e.phase}`;
		case 'log':
			return 'log';
		case 'status':
			return e.status;
	}
}

/** Turns an engine event into a row. */
export function toStoredEvent(instanceId: string, seq: number, e: InstanceEvent): StoredEvent {
	if (e.kind === 'input') {
		return { instanceId, seq, time: e.time, kind: 'input', type: e.event.type, payload: e.event, inputSeq: e.seq };
	}
	const { kind, time, ...rest } = e;
	return { instanceId, seq, time, kind, type: labelOf(e), payload: rest };
}

/** Turns a row back into the engine's event. */
export function toInstanceEvent(row: StoredEvent): InstanceEvent {
	if (row.kind === 'input') {
		return { kind: 'input', seq: row.inputSeq ?? 0, time: row.time, event: row.payload as InstanceEvent & { type: string } };
	}
	return { kind: row.kind, time: row.time, ...(row.payload as object) } as InstanceEvent;
}

function errorName(err: unknown): string {
	const seen = new Set<unknown>();
	const find = (x: unknown): string | undefined => {
		if (!x || typeof x !== 'object' || seen.has(x)) return undefined;
		seen.add(x);
		const o = x as { name?: unknown; inner?: unknown; failures?: unknown[]; error?: unknown };
		if (o.name === 'QuotaExceededError') return o.name;
		return (
			find(o.inner) ??
			(Array.isArray(o.failures) ? o.failures.map(find).find(Boolean) : undefined) ??
			find(o.error)
		);
	};
	const quota = find(err);
	if (quota) return quota;
	return (err as { name?: string })?.name ?? 'Error';
}

/** Builds the user-facing description of a failed write. */
export function describeStoreError(err: unknown, code: 'write' | 'open', instanceIds: string[], pending: number): StoreError {
	const name = errorName(err);
	const detail = err instanceof Error ? err.message : String(err);
	const isQuota = name === 'QuotaExceededError';
	const message = isQuota
		? `The browser refused to store more data (storage quota exceeded). ${pending} event(s) are kept in memory but not saved: free some space (delete old instances or site data), then retry.`
		: code === 'open'
			? `The event store could not be opened (${name}): events are not being saved. Private browsing or blocked storage can cause this.`
			: `Saving the event log failed (${name}: ${detail}). ${pending} event(s) are kept in memory but not saved; retry to save them.`;
	return { code: isQuota ? 'quota' : code, name, message, detail, instanceIds, pending, time: Date.now() };
}

/**
 * The event store of one workspace: an append queue that writes each instance's events
 * with a per-instance sequence number in batched transactions, periodic snapshots, the
 * instance registry, log queries and export.
 */
export class EventStore {
	readonly db: EventStoreDb;
	readonly ready: Promise<void>;
	private readonly maxBatch: number;
	private readonly segmentSize: number;
	private readonly keepSnapshots: number;
	private readonly flushDelay: 'microtask' | number;
	private readonly errorListeners = new Set<(e: StoreError) => void>();

	private records = new Map<string, InstanceRecord>();
	/** Last seq handed out per instance. */
	private seqs = new Map<string, number>();
	/** Last seq written per instance. */
	private writtenSeqs = new Map<string, number>();
	private deleted = new Set<string>();

	private rows: StoredEvent[] = [];
	private snaps: SnapshotRecord[] = [];
	private dirty = new Set<string>();
	private scheduled = false;
	private inflight: Promise<void> | null = null;
	private paused: StoreError | null = null;
	private waiters: (() => void)[] = [];
	/** Woken after every batch, written or failed. */
	private progress: (() => void)[] = [];
	private written = 0;
	private transactions = 0;
	/** Rows ever queued, and rows done with (written or dropped with a deleted instance). */
	private enqueued = 0;
	private done = 0;

	constructor(options: EventStoreOptions = {}) {
		const deps = {
			...(options.indexedDB ? { indexedDB: options.indexedDB } : {}),
			...(options.IDBKeyRange ? { IDBKeyRange: options.IDBKeyRange } : {})
		};
		this.workspaceId = options.workspaceId ?? DEFAULT_WORKSPACE;
		this.dexieDeps = deps;
		this.db = new EventStoreDb(this.workspaceId, deps);
		this.maxBatch = options.maxBatch ?? 20_000;
		this.segmentSize = options.segmentSize ?? 2_000;
		this.keepSnapshots = Math.max(1, options.keepSnapshots ?? 2);
		this.flushDelay = options.flushDelay ?? 'microtask';
		if (options.onError) this.errorListeners.add(options.onError);
		this.ready = this.open();
	}

	private readonly workspaceId: string;
	private readonly dexieDeps: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };

	private async open(): Promise<void> {
		try {
			// Events written by an older version under the old database name move here first.
			await migrateLegacyDatabase(this.workspaceId, this.dexieDeps);
			await this.db.open();
			const all = await this.db.instances.toArray();
			for (const r of all) {
				this.records.set(r.id, r);
				this.seqs.set(r.id, r.lastSeq);
				this.writtenSeqs.set(r.id, r.lastSeq);
			}
		} catch (err) {
			const e = describeStoreError(err, 'open', [], 0);
			this.emitError(e);
			throw err;
		}
	}

	/** Listen for write failures; returns an unsubscribe function. */
	onError(listener: (e: StoreError) => void): () => void {
		this.errorListeners.add(listener);
		return () => this.errorListeners.delete(listener);
	}

	private emitError(e: StoreError) {
		for (const l of this.errorListeners) l(e);
	}

	stats(): StoreStats {
		return { pending: this.rows.length, written: this.written, transactions: this.transactions, error: this.paused };
	}

	/** Registry entries, newest first. */
	instances(): InstanceRecord[] {
		return [...this.records.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
	}

	getInstance(id: string): InstanceRecord | undefined {
		return this.records.get(id);
	}

	/** Adds an instance to the registry (written with the next flush). */
	createInstance(record: Omit<InstanceRecord, 'lastSeq'> & { lastSeq?: number }): InstanceRecord {
		if (this.records.has(record.id)) throw new Error(`Instance "${record.id}" already exists.`);
		const full: InstanceRecord = { ...record, lastSeq: record.lastSeq ?? 0 };
		this.records.set(full.id, full);
		this.seqs.set(full.id, full.lastSeq);
		this.writtenSeqs.set(full.id, full.lastSeq);
		this.deleted.delete(full.id);
		this.dirty.add(full.id);
		this.schedule();
		return full;
	}

	/** Updates an instance's summary (coalesced; written with the next flush). */
	updateInstance(id: string, patch: Partial<Omit<InstanceRecord, 'id' | 'lastSeq'>>): void {
		const r = this.records.get(id);
		if (!r) return;
		Object.assign(r, patch, { updatedAt: patch.updatedAt ?? Date.now() });
		this.dirty.add(id);
		this.schedule();
	}

	/** Queues one engine event; returns its seq. */
	append(instanceId: string, e: InstanceEvent): number {
		if (this.deleted.has(instanceId)) return 0;
		const seq = (this.seqs.get(instanceId) ?? 0) + 1;
		this.seqs.set(instanceId, seq);
		this.rows.push(toStoredEvent(instanceId, seq, e));
		this.enqueued++;
		this.schedule();
		return seq;
	}

	/** Queues a snapshot covering everything appended so far for the instance. */
	saveSnapshot(instanceId: string, snapshot: PersistedSnapshot): void {
		if (this.deleted.has(instanceId)) return;
		const seq = this.seqs.get(instanceId) ?? 0;
		this.snaps.push({ instanceId, seq, time: Date.now(), snapshot });
		this.schedule();
	}

	/** Last seq handed out for an instance (written or not). */
	lastSeq(instanceId: string): number {
		return this.seqs.get(instanceId) ?? 0;
	}

	private schedule() {
		if (this.scheduled || this.inflight || this.paused) return;
		this.scheduled = true;
		const run = () => {
			this.scheduled = false;
			this.startFlush();
		};
		if (this.flushDelay === 'microtask') queueMicrotask(run);
		else setTimeout(run, this.flushDelay);
	}

	private hasWork() {
		return this.rows.length > 0 || this.snaps.length > 0 || this.dirty.size > 0;
	}

	private startFlush() {
		if (this.inflight || this.paused) return;
		if (!this.hasWork()) {
			this.release();
			return;
		}
		this.inflight = this.writeBatch().finally(() => {
			this.inflight = null;
			const p = this.progress;
			this.progress = [];
			for (const f of p) f();
			if (this.paused) return;
			if (this.hasWork()) this.startFlush();
			else this.release();
		});
	}

	private release() {
		const w = this.waiters;
		this.waiters = [];
		for (const f of w) f();
	}

	private async writeBatch(): Promise<void> {
		await this.ready.catch(() => undefined);
		const rows = this.rows.length > this.maxBatch ? this.rows.slice(0, this.maxBatch) : this.rows;
		const rest = rows === this.rows ? [] : this.rows.slice(this.maxBatch);
		const top = new Map<string, number>();
		for (const r of rows) top.set(r.instanceId, r.seq);
		const covered = (id: string) => Math.max(top.get(id) ?? 0, this.writtenSeqs.get(id) ?? 0);
		const snaps = this.snaps.filter((s) => s.seq <= covered(s.instanceId));
		const laterSnaps = this.snaps.filter((s) => s.seq > covered(s.instanceId));
		const ids = new Set([...this.dirty, ...top.keys()]);
		const instances: InstanceRecord[] = [];
		for (const id of ids) {
			const r = this.records.get(id);
			if (r && !this.deleted.has(id)) instances.push({ ...r, lastSeq: covered(id) });
		}
		this.rows = rest;
		this.snaps = laterSnaps;
		this.dirty = new Set();
		const { segments, inputs } = this.segment(rows);
		try {
			await this.db.transaction('rw', [this.db.events, this.db.inputs, this.db.snapshots, this.db.instances], async () => {
				if (segments.length) await this.db.events.bulkAdd(segments);
				if (inputs.length) await this.db.inputs.bulkAdd(inputs);
				if (snaps.length) {
					await this.db.snapshots.bulkPut(snaps);
					// Replay needs only the latest; keep one more in case the latest is unreadable.
					for (const id of new Set(snaps.map((x) => x.instanceId))) {
						const old = await this.db.snapshots
							.where('[instanceId+seq]')
							.between([id, Dexie.minKey], [id, Dexie.maxKey])
							.reverse()
							.offset(this.keepSnapshots)
							.primaryKeys();
						if (old.length) await this.db.snapshots.bulkDelete(old);
					}
				}
				if (instances.length) await this.db.instances.bulkPut(instances);
			});
			for (const [id, seq] of top) this.writtenSeqs.set(id, Math.max(seq, this.writtenSeqs.get(id) ?? 0));
			for (const i of instances) {
				const r = this.records.get(i.id);
				if (r) r.lastSeq = i.lastSeq;
			}
			this.written += rows.length;
			this.done += rows.length;
			this.transactions++;
		} catch (err) {
			// Nothing is dropped: the batch goes back to the head of the queue, writes pause
			// until retry(), and the user is told.
			this.rows = rows.concat(this.rows);
			this.snaps = snaps.concat(this.snaps);
			for (const i of instances) this.dirty.add(i.id);
			const e = describeStoreError(err, 'write', [...ids], this.rows.length);
			this.paused = e;
			this.emitError(e);
			this.release();
		}
	}

	/** Groups queued rows into per-instance segments of consecutive seqs. */
	private segment(rows: StoredEvent[]): { segments: EventSegment[]; inputs: InputSegment[] } {
		const byInstance = new Map<string, StoredEvent[]>();
		for (const r of rows) {
			let list = byInstance.get(r.instanceId);
			if (!list) byInstance.set(r.instanceId, (list = []));
			list.push(r);
		}
		const segments: EventSegment[] = [];
		const inputs: InputSegment[] = [];
		const size = this.segmentSize;
		for (const [instanceId, list] of byInstance) {
			for (let a = 0; a < list.length; a += size) {
				const part = list.slice(a, a + size);
				const events: SegmentEvent[] = new Array(part.length);
				for (let i = 0; i < part.length; i++) {
					const r = part[i];
					events[i] = r.inputSeq === undefined
						? { time: r.time, kind: r.kind, type: r.type, payload: r.payload }
						: { time: r.time, kind: r.kind, type: r.type, payload: r.payload, inputSeq: r.inputSeq };
				}
				segments.push({ instanceId, seq: part[0].seq, last: part[part.length - 1].seq, events });
			}
			let cur: InputSegment | null = null;
			for (const r of list) {
				if (r.inputSeq === undefined) continue;
				// Input seqs are consecutive; start a new segment if they ever are not.
				if (!cur || cur.last + 1 !== r.inputSeq || cur.times.length >= size) {
					cur = { instanceId, seq: r.inputSeq, last: r.inputSeq, times: [], events: [] };
					inputs.push(cur);
				}
				cur.last = r.inputSeq;
				cur.times.push(r.time);
				cur.events.push(r.payload as InputSegment['events'][number]);
			}
		}
		return { segments, inputs };
	}

	/** Resumes writing after a failure. */
	retry(): Promise<boolean> {
		this.paused = null;
		this.startFlush();
		return this.flush();
	}

	/**
	 * Resolves once everything queued so far is written, or writes are paused by a failure;
	 * true when nothing is left unsaved.
	 */
	async flush(): Promise<boolean> {
		while (!this.paused && (this.hasWork() || this.inflight || this.scheduled)) {
			this.kick();
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
		return !this.paused && !this.hasWork();
	}

	private kick() {
		if (!this.inflight && !this.scheduled) this.startFlush();
	}

	/**
	 * Resolves once the events queued before this call are written (later ones may still be
	 * queued), so reads stay fast while a load test keeps appending.
	 */
	async settled(): Promise<boolean> {
		const target = this.enqueued;
		while (!this.paused && this.done < target) {
			this.kick();
			await new Promise<void>((resolve) => this.progress.push(resolve));
		}
		return this.done >= target;
	}

	/** Reads an instance's log from IndexedDB (after writing what was queued before the call). */
	async getLog(instanceId: string, q: LogQuery = {}): Promise<StoredEvent[]> {
		await this.ready;
		await this.settled();
		const limit = q.limit ?? Infinity;
		const kinds = q.kinds && q.kinds.length ? new Set(q.kinds) : null;
		const out: StoredEvent[] = [];
		const pageSegments = 16;
		const take = (seg: EventSegment, i: number) => {
			const e = seg.events[i];
			if (kinds && !kinds.has(e.kind)) return;
			const row: StoredEvent = { instanceId, seq: seg.seq + i, time: e.time, kind: e.kind, type: e.type, payload: e.payload };
			if (e.inputSeq !== undefined) row.inputSeq = e.inputSeq;
			out.push(row);
		};
		if (q.order !== 'desc') {
			let from = Math.max(1, q.from ?? 1);
			while (out.length < limit) {
				const segs = await this.db.events
					.where('[instanceId+last]')
					.between([instanceId, from], [instanceId, Infinity], true, true)
					.limit(pageSegments)
					.toArray();
				for (const seg of segs) {
					for (let i = Math.max(0, from - seg.seq); i < seg.events.length && out.length < limit; i++) take(seg, i);
					from = seg.last + 1;
				}
				if (segs.length < pageSegments) break;
			}
		} else {
			let hi = q.from ?? Infinity;
			while (out.length < limit && hi >= 1) {
				const segs = await this.db.events
					.where('[instanceId+seq]')
					.between([instanceId, -Infinity], [instanceId, hi], true, true)
					.reverse()
					.limit(pageSegments)
					.toArray();
				for (const seg of segs) {
					for (let i = Math.min(seg.events.length - 1, hi - seg.seq); i >= 0 && out.length < limit; i--) take(seg, i);
					hi = seg.seq - 1;
				}
				if (segs.length < pageSegments) break;
			}
		}
		return out;
	}

	/** An instance's whole log as JSON Lines, one event per line, in seq order. */
	async exportLog(instanceId: string): Promise<string> {
		const parts: string[] = [];
		let from = 1;
		for (;;) {
			const rows = await this.getLog(instanceId, { from, limit: 20_000 });
			for (const r of rows) {
				parts.push(JSON.stringify({ instanceId: r.instanceId, seq: r.seq, time: r.time, kind: r.kind, type: r.type, payload: r.payload }));
			}
			if (rows.length < 20_000) break;
			from = rows[rows.length - 1].seq + 1;
		}
		return parts.length ? parts.join('\n') + '\n' : '';
	}

	/** Reads what replay needs: the latest snapshot (unless `full`) and the inputs after it. */
	async readReplay(instanceId: string, opts: { full?: boolean; upToInput?: number } = {}): Promise<ReplaySource> {
		await this.ready;
		await this.settled();
		const instance = this.records.get(instanceId) ?? (await this.db.instances.get(instanceId));
		if (!instance) throw new Error(`No instance "${instanceId}" in the event store.`);
		return this.db.transaction('r', [this.db.inputs, this.db.snapshots], async () => {
			const snapshot = opts.full
				? undefined
				: await this.db.snapshots
						.where('[instanceId+seq]')
						.between([instanceId, Dexie.minKey], [instanceId, Dexie.maxKey])
						.last();
			const after = snapshot ? snapshot.snapshot.seq : 0;
			const upTo = opts.upToInput ?? Infinity;
			const segs = await this.db.inputs
				.where('[instanceId+last]')
				.between([instanceId, after + 1], [instanceId, Infinity], true, true)
				.toArray();
			const inputs: RecordedInput[] = [];
			for (const seg of segs) {
				for (let i = 0; i < seg.events.length; i++) {
					const seq = seg.seq + i;
					if (seq > after && seq <= upTo) inputs.push({ seq, time: seg.times[i], event: seg.events[i] });
				}
			}
			return { instance, snapshot, inputs };
		});
	}

	/** Removes an instance, its log and its snapshots. */
	async deleteInstance(instanceId: string): Promise<void> {
		await this.ready;
		this.deleted.add(instanceId);
		this.records.delete(instanceId);
		this.seqs.delete(instanceId);
		this.writtenSeqs.delete(instanceId);
		const before = this.rows.length;
		this.rows = this.rows.filter((r) => r.instanceId !== instanceId);
		this.done += before - this.rows.length;
		this.snaps = this.snaps.filter((s) => s.instanceId !== instanceId);
		this.dirty.delete(instanceId);
		if (this.inflight) await this.inflight;
		await this.db.transaction('rw', [this.db.events, this.db.inputs, this.db.snapshots, this.db.instances], async () => {
			await this.db.events.where('[instanceId+seq]').between([instanceId, Dexie.minKey], [instanceId, Dexie.maxKey]).delete();
			await this.db.inputs.where('[instanceId+seq]').between([instanceId, Dexie.minKey], [instanceId, Dexie.maxKey]).delete();
			await this.db.snapshots.where('[instanceId+seq]').between([instanceId, Dexie.minKey], [instanceId, Dexie.maxKey]).delete();
			await this.db.instances.delete(instanceId);
		});
	}

	/** Estimated storage use, when the browser tells. */
	async usage(): Promise<{ usage?: number; quota?: number }> {
		const nav = (globalThis as { navigator?: { storage?: { estimate?: () => Promise<StorageEstimate> } } }).navigator;
		if (!nav?.storage?.estimate) return {};
		const e = await nav.storage.estimate();
		return { usage: e.usage, quota: e.quota };
	}

	async close(): Promise<void> {
		await this.flush();
		this.db.close();
	}
}

/** Opens (or creates) the event store of a workspace. */
export function createEventStore(options: EventStoreOptions = {}): EventStore {
	return new EventStore(options);
}
