import { compile, createInterpreter, type Machine } from '../engine';
import type { Clock, EventObject, InstanceEvent, Interpreter, PersistedSnapshot, RunEffect, Snapshot } from '../engine/types';
import { createExecutor, createMemoryCache, createSharedResilience, tieredCache } from '../effects';
import { runModeLog, type RunMode } from '../effects/simulated';
import { parseWorkflow } from '../model';
import type { Workflow } from '../model/types';
import { createEventStore, createIndexedDbCache, toStoredEvent, type EventStore } from '../store';
import type { InstanceRecord, LogQuery, StoreError, StoredEvent } from '../store/types';
import { handlersFor, liveHandlers, type Handlers } from './effect-handlers';
import { withRunInfo } from '../ai/run-info';
import { replayInstance, sameState } from './replay';
import type { CreateInstanceOptions, InstanceSummary, PumpResult, ReplayResult, RuntimeApi, RuntimeUpdate, SubscribeOptions } from './types';

export interface RuntimeOptions {
	/** Workspace whose database holds the instances (default 'default'). */
	workspaceId?: string;
	/** The event store; `null` keeps everything in memory. Default: opens the workspace's store. */
	store?: EventStore | null;
	/** Wall clock for `after` timers (default: the real one). */
	clock?: Clock;
	/** Runs effects other than the engine's built-ins, in every mode (default: the effects executor on `clock`). */
	runEffect?: RunEffect;
	/** Real handlers of live runs (default: the workspace's AI and MCP handlers). */
	handlers?: Handlers;
	/** A snapshot is saved every this many inputs of an instance (default 1000). */
	snapshotEvery?: number;
	/** Minimum ms between two update messages (default 16: one per animation frame). */
	updateInterval?: number;
	/** Events sent between two yields to the event loop in `sendMany` / `pump` (default 2000). */
	chunk?: number;
	/**
	 * Take the workspace's Web Lock before restoring, so that only one tab runs (and writes)
	 * the workspace's instances at a time (default: when `navigator.locks` exists and a store is used).
	 */
	exclusive?: boolean;
}

interface LockManagerLike {
	request(name: string, options: { mode: 'exclusive'; ifAvailable?: boolean }, cb: (lock: unknown) => Promise<void>): Promise<void>;
}

interface Entry {
	record: InstanceRecord;
	mode: RunMode;
	/** Live interpreter, or the replayed one of a stopped instance, or null before the first start. */
	interp: Interpreter | null;
	live: boolean;
	/** Where a stopped instance resumes from. */
	paused: PersistedSnapshot | null;
	inputs: number;
	lastSeq: number;
	sinceSnapshot: number;
	wantSnapshot: boolean;
}

const realClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const perfNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function toEvent(e: EventObject | string): EventObject {
	return typeof e === 'string' ? { type: e } : e;
}

/** Newest first; instances created in the same millisecond in a stable order. */
export function newestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
	return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

let idCounter = 0;
function newInstanceId(workflowId: string): string {
	const rand = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
	return `${workflowId}-${Date.now().toString(36)}${(idCounter++ % 1296).toString(36)}${rand}`;
}

/**
 * The runtime: a registry of running instances wiring the engine, the effects executor and
 * the event store, with updates batched for the UI. Plain TypeScript, so it runs in Node
 * tests as well as behind Comlink in the worker.
 */
export class Runtime implements RuntimeApi {
	private readonly store: EventStore | null;
	private readonly clock: Clock;
	private readonly workspaceId: string;
	private readonly customRunEffect: RunEffect | undefined;
	private readonly liveHandlers: Handlers;
	private readonly executors = new Map<RunMode, RunEffect>();
	private readonly snapshotEvery: number;
	private readonly updateInterval: number;
	private readonly chunk: number;
	private readonly workflows = new Map<string, Workflow>();
	/** Compiled once per workflow definition, shared by its instances. */
	private readonly machines = new WeakMap<Workflow, Machine>();
	private readonly machinesByText = new Map<string, Machine>();
	private readonly entries = new Map<string, Entry>();
	private readonly restored: Promise<{ restored: number; errors: { instanceId: string; message: string }[] }>;

	private readonly subscribers = new Map<number, (u: RuntimeUpdate) => unknown>();
	private readonly needFull = new Set<number>();
	/** Per subscriber: which instances' events it receives, and the events waiting for the next update. */
	private readonly watches = new Map<number, { ids: Set<string> | 'all'; max: number; pending: Map<string, StoredEvent[]>; truncated: Set<string> }>();
	private nextSub = 1;
	private dirty = new Set<string>();
	private removed = new Set<string>();
	private updateTimer: ReturnType<typeof setTimeout> | null = null;
	private summaryTimer: ReturnType<typeof setTimeout> | null = null;
	private summaryDirty = new Set<string>();
	private readonly summaryKeys = new Map<string, string>();
	private lastUpdate = 0;
	private storeError: StoreError | null = null;
	private storeErrorChanged = false;
	private restoreErrors: { instanceId: string; message: string }[] = [];
	private readonly owned: Promise<void>;
	private ownershipState: 'owner' | 'waiting' | 'unsupported' = 'unsupported';
	private ownershipKnown!: Promise<void>;
	private releaseLock: (() => void) | null = null;

	constructor(options: RuntimeOptions = {}) {
		this.store = options.store === undefined ? createEventStore({ workspaceId: options.workspaceId }) : options.store;
		this.clock = options.clock ?? realClock;
		this.workspaceId = options.workspaceId ?? 'default';
		this.customRunEffect = options.runEffect;
		this.liveHandlers = options.handlers ?? liveHandlers(this.workspaceId);
		this.snapshotEvery = options.snapshotEvery ?? 1000;
		this.updateInterval = options.updateInterval ?? 16;
		this.chunk = options.chunk ?? 2000;
		this.store?.onError((e) => {
			this.storeError = e;
			this.storeErrorChanged = true;
			this.scheduleUpdate();
		});
		const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
		const exclusive = options.exclusive ?? (!!locks && !!this.store);
		this.owned = exclusive && locks ? this.acquire(locks, `fsm-studio-runtime:${options.workspaceId ?? 'default'}`) : Promise.resolve();
		this.restored = this.owned.then(() => this.restore());
	}

	// ---- ownership -----------------------------------------------------------------

	/** Holds the workspace lock for the runtime's lifetime; resolves once it is held. */
	private acquire(locks: LockManagerLike, name: string): Promise<void> {
		let known!: () => void;
		this.ownershipKnown = new Promise<void>((r) => (known = r));
		const hold = () =>
			new Promise<void>((release) => {
				this.releaseLock = release;
			});
		return new Promise<void>((owned) => {
			locks
				.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
					if (!lock) {
						this.ownershipState = 'waiting';
						known();
						// Another tab runs this workspace: wait for it to close.
						await locks.request(name, { mode: 'exclusive' }, async () => {
							this.ownershipState = 'owner';
							owned();
							await hold();
						});
						return;
					}
					this.ownershipState = 'owner';
					known();
					owned();
					await hold();
				})
				.catch(() => {
					this.ownershipState = 'unsupported';
					known();
					owned();
				});
		});
	}

	/**
	 * One executor per workspace and run mode: circuit breakers, rate limiters and bulkheads
	 * are shared by every instance of a mode (by key), and live cached results persist in the
	 * workspace's db. Simulated runs get their own, in memory, so a simulated answer never
	 * opens a live breaker or is served from the cache to a live run.
	 */
	private runEffectFor(mode: RunMode): RunEffect {
		if (this.customRunEffect) return this.customRunEffect;
		let run = this.executors.get(mode);
		if (!run) {
			const live = mode === 'live';
			run = createExecutor({
				clock: this.clock,
				shared: createSharedResilience(),
				cache: live && this.store ? tieredCache(createMemoryCache(), createIndexedDbCache(this.store.db)) : createMemoryCache(),
				handlers: handlersFor(mode, this.workspaceId, this.liveHandlers)
			}).run;
			this.executors.set(mode, run);
		}
		return run;
	}

	// ---- registry ------------------------------------------------------------------

	private async restore() {
		const errors: { instanceId: string; message: string }[] = [];
		if (!this.store) return { restored: 0, errors };
		try {
			await this.store.ready;
		} catch (err) {
			errors.push({ instanceId: '', message: `The event store could not be opened: ${err instanceof Error ? err.message : String(err)}` });
			this.restoreErrors = errors;
			return { restored: 0, errors };
		}
		let restored = 0;
		// Oldest first, so a workflow id maps to its most recently used definition.
		const records = this.store.instances().reverse();
		// Read ahead: IndexedDB serves several reads at once while the engine replays one.
		const store = this.store;
		const reads = new Map<string, ReturnType<EventStore['readReplay']>>();
		const prefetch = (i: number) => {
			const r = records[i];
			if (!r || r.startedAt === undefined) return;
			const p = store.readReplay(r.id);
			p.catch(() => {});
			reads.set(r.id, p);
		};
		const AHEAD = 16;
		for (let i = 0; i < AHEAD; i++) prefetch(i);
		for (let i = 0; i < records.length; i++) {
			const record = records[i];
			prefetch(i + AHEAD);
			const entry: Entry = { record, mode: record.mode ?? 'live', interp: null, live: false, paused: null, inputs: record.inputs, lastSeq: record.lastSeq, sinceSnapshot: 0, wantSnapshot: false };
			this.entries.set(record.id, entry);
			this.workflows.set(record.workflowId, record.workflow);
			try {
				if (record.startedAt === undefined) continue;
				const src = await reads.get(record.id)!;
				reads.delete(record.id);
				const interp = replayInstance(
					this.machineFor(record.workflow),
					src.inputs,
					{ snapshot: src.snapshot?.snapshot, startedAt: record.startedAt }
				);
				const persisted = interp.persist();
				entry.interp = interp;
				entry.paused = persisted;
				entry.inputs = persisted.seq;
				entry.lastSeq = this.store.lastSeq(record.id);
				if (record.running && persisted.status === 'active') this.resume(entry);
				restored++;
			} catch (err) {
				errors.push({ instanceId: record.id, message: `Instance ${record.id} could not be restored: ${err instanceof Error ? err.message : String(err)}` });
			}
			this.dirty.add(record.id);
		}
		this.restoreErrors = errors;
		if (errors.length) this.scheduleUpdate();
		return { restored, errors };
	}

	private entry(instanceId: string): Entry {
		const e = this.entries.get(instanceId);
		if (!e) throw new Error(`There is no instance "${instanceId}".`);
		return e;
	}

	/** Creates the live interpreter of an entry (from a snapshot when resuming). */
	private spawn(entry: Entry, snapshot?: PersistedSnapshot): Interpreter {
		const id = entry.record.id;
		let self: Interpreter | null = null;
		const interp = createInterpreter(this.machineFor(entry.record.workflow), {
			clock: this.clock,
			// AI effects record usage per run and apply the workflow's budget.
			runEffect: withRunInfo(this.runEffectFor(entry.mode), {
				instanceId: id,
				workflowId: entry.record.workflowId,
				workflowName: entry.record.workflowName,
				budget: entry.record.workflow.budget
			}),
			...(snapshot ? { snapshot } : {}),
			onEvent: (e: InstanceEvent) => {
				// A replaced interpreter (stopped, then resumed) must not write into the log.
				if (self !== null && entry.interp !== self) return;
				this.record(entry, e);
			}
		});
		self = interp;
		entry.interp = interp;
		entry.live = true;
		entry.paused = null;
		entry.record.running = true;
		interp.subscribe(() => {
			if (entry.interp !== interp) return;
			if (entry.wantSnapshot && this.store) {
				entry.wantSnapshot = false;
				entry.sinceSnapshot = 0;
				this.store.saveSnapshot(id, interp.persist());
			}
			this.markDirty(id);
		});
		return interp;
	}

	private machineFor(workflow: Workflow): Machine {
		let m = this.machines.get(workflow);
		if (m) return m;
		const text = JSON.stringify(workflow);
		m = this.machinesByText.get(text);
		if (!m) {
			m = compile(workflow);
			this.machinesByText.set(text, m);
			// The designer loads every edit: keep only the most recent definitions by text.
			if (this.machinesByText.size > 64) this.machinesByText.delete(this.machinesByText.keys().next().value!);
		}
		this.machines.set(workflow, m);
		return m;
	}

	private record(entry: Entry, e: InstanceEvent) {
		const id = entry.record.id;
		if (this.store) entry.lastSeq = this.store.append(id, e);
		else entry.lastSeq++;
		if (this.watches.size) this.forward(id, entry.lastSeq, e);
		if (e.kind === 'input') {
			entry.inputs = e.seq;
			if (++entry.sinceSnapshot >= this.snapshotEvery) entry.wantSnapshot = true;
		}
		this.markDirty(id);
	}

	/** Queues an event for subscribers watching its instance (capped per update). */
	private forward(id: string, seq: number, e: InstanceEvent) {
		let row: StoredEvent | null = null;
		for (const w of this.watches.values()) {
			if (w.ids !== 'all' && !w.ids.has(id)) continue;
			let list = w.pending.get(id);
			if (!list) w.pending.set(id, (list = []));
			if (list.length >= w.max) {
				w.truncated.add(id);
				continue;
			}
			row ??= toStoredEvent(id, seq, e);
			list.push(row);
		}
	}

	private resume(entry: Entry) {
		const from = entry.paused;
		if (!from) return;
		const interp = this.spawn(entry, { ...from, status: 'active' });
		interp.start();
	}

	private summary(entry: Entry): InstanceSummary {
		const r = entry.record;
		const s = entry.interp?.snapshot();
		let status = s?.status ?? 'stopped';
		if (!entry.live && status === 'active') status = 'stopped';
		let enabled: string[] = [];
		if (entry.live && status === 'active' && entry.interp) enabled = entry.interp.enabledEvents();
		return {
			id: r.id,
			workflowId: r.workflowId,
			workflowName: r.workflowName,
			createdAt: r.createdAt,
			updatedAt: r.updatedAt,
			status,
			mode: entry.mode,
			running: entry.live && status === 'active',
			value: s?.value ?? null,
			context: s?.context ?? r.context,
			...(s?.error ? { error: s.error } : {}),
			inputs: entry.inputs,
			lastSeq: entry.lastSeq,
			enabledEvents: enabled
		};
	}

	// ---- updates -------------------------------------------------------------------

	private markDirty(id: string) {
		this.dirty.add(id);
		this.scheduleUpdate();
	}

	private scheduleUpdate() {
		if (this.updateTimer !== null) return;
		const wait = Math.max(0, this.updateInterval - (perfNow() - this.lastUpdate));
		this.updateTimer = setTimeout(() => this.publish(), wait);
	}

	/**
	 * Writes an instance's summary to the registry: at once when its status or running flag
	 * changed (a reload depends on them), otherwise at most once a second (a put rewrites the
	 * whole record, workflow included, and replay is the source of truth anyway).
	 */
	private saveSummary(entry: Entry, s: InstanceSummary) {
		if (!this.store) return;
		const id = entry.record.id;
		const key = `${s.status}|${s.running}`;
		if (this.summaryKeys.get(id) !== key) {
			this.summaryKeys.set(id, key);
			this.summaryDirty.delete(id);
			this.writeSummary(entry, s);
			return;
		}
		this.summaryDirty.add(id);
		this.summaryTimer ??= setTimeout(() => this.flushSummaries(), 1000);
	}

	private flushSummaries() {
		this.summaryTimer = null;
		const ids = this.summaryDirty;
		this.summaryDirty = new Set();
		for (const id of ids) {
			const entry = this.entries.get(id);
			if (entry) this.writeSummary(entry, this.summary(entry));
		}
	}

	private writeSummary(entry: Entry, s: InstanceSummary) {
		this.store?.updateInstance(entry.record.id, {
			status: s.status,
			value: s.value,
			context: s.context,
			error: s.error,
			inputs: s.inputs,
			running: s.running,
			...(entry.record.startedAt !== undefined ? { startedAt: entry.record.startedAt } : {})
		});
	}

	private publish() {
		this.updateTimer = null;
		this.lastUpdate = perfNow();
		const dirty = this.dirty;
		this.dirty = new Set();
		const changed: InstanceSummary[] = [];
		for (const id of dirty) {
			const entry = this.entries.get(id);
			if (!entry) continue;
			const s = this.summary(entry);
			changed.push(s);
			entry.record.updatedAt = s.updatedAt = Date.now();
			this.saveSummary(entry, s);
		}
		const removed = [...this.removed];
		this.removed.clear();
		const base: Omit<RuntimeUpdate, 'instances'> = { removed, time: Date.now() };
		if (this.storeErrorChanged) {
			base.storeError = this.storeError;
			this.storeErrorChanged = false;
		}
		if (this.restoreErrors.length) {
			base.restoreErrors = this.restoreErrors;
			this.restoreErrors = [];
		}
		let all: InstanceSummary[] | null = null;
		for (const [subId, cb] of this.subscribers) {
			let instances = changed;
			const w = this.watches.get(subId);
			const hasEvents = !!w && w.pending.size > 0;
			if (this.needFull.has(subId)) {
				all ??= this.sortedEntries().map((e) => (dirty.has(e.record.id) ? changed.find((c) => c.id === e.record.id)! : this.summary(e)));
				instances = all;
			} else if (!changed.length && !removed.length && !hasEvents && !('storeError' in base) && !base.restoreErrors) continue;
			const update: RuntimeUpdate = { ...base, instances };
			if (w && hasEvents) {
				update.events = Object.fromEntries(w.pending);
				if (w.truncated.size) update.truncated = [...w.truncated];
				w.pending = new Map();
				w.truncated = new Set();
				if (w.ids !== 'all' && w.ids.size === 0) this.watches.delete(subId);
			}
			if (this.needFull.has(subId)) update.storeError = this.storeError;
			this.needFull.delete(subId);
			try {
				Promise.resolve(cb(update)).catch(() => this.subscribers.delete(subId));
			} catch {
				this.subscribers.delete(subId);
			}
		}
	}

	private sortedEntries(): Entry[] {
		return [...this.entries.values()].sort((a, b) => newestFirst(a.record, b.record));
	}

	// ---- API -----------------------------------------------------------------------

	async ready() {
		return this.restored;
	}

	async ownership(): Promise<'owner' | 'waiting' | 'unsupported'> {
		if (this.ownershipKnown) await this.ownershipKnown;
		return this.ownershipState;
	}

	async loadWorkflow(input: Workflow | unknown): Promise<string> {
		await this.restored;
		const parsed = parseWorkflow(input);
		if (!parsed.ok) {
			const lines = parsed.errors.slice(0, 10).map((e) => `${e.path.length ? e.path.join('.') + ': ' : ''}${e.message}`);
			throw new Error(`The workflow is not valid:\n${lines.join('\n')}`);
		}
		// Compiling here reports expression errors at load rather than at first use.
		this.machineFor(parsed.workflow);
		this.workflows.set(parsed.workflow.id, parsed.workflow);
		return parsed.workflow.id;
	}

	async createInstance(workflowId: string, opts: CreateInstanceOptions = {}): Promise<string> {
		await this.restored;
		const wf = this.workflows.get(workflowId);
		if (!wf) throw new Error(`No workflow "${workflowId}" is loaded; call loadWorkflow first.`);
		const workflow: Workflow = opts.context ? { ...wf, context: { ...(wf.context ?? {}), ...opts.context } } : wf;
		const id = opts.id ?? newInstanceId(workflowId);
		if (this.entries.has(id)) throw new Error(`Instance "${id}" already exists.`);
		const now = this.clock.now();
		const mode = opts.mode ?? 'live';
		const record: InstanceRecord = {
			id,
			mode,
			workflowId,
			workflowName: wf.name,
			workflow,
			createdAt: now,
			updatedAt: now,
			status: 'stopped',
			lastSeq: 0,
			inputs: 0,
			value: null,
			context: workflow.context ?? {},
			running: false
		};
		this.store?.createInstance(record);
		const entry: Entry = { record: this.store?.getInstance(id) ?? record, mode, interp: null, live: false, paused: null, inputs: 0, lastSeq: 0, sinceSnapshot: 0, wantSnapshot: false };
		this.entries.set(id, entry);
		if (opts.start !== false) this.startEntry(entry);
		this.markDirty(id);
		return id;
	}

	private startEntry(entry: Entry) {
		if (entry.live) return;
		if (entry.paused) {
			if (entry.paused.status === 'active') this.resume(entry);
			return;
		}
		if (entry.interp) return;
		entry.record.startedAt = this.clock.now();
		// The log says how this run treats the outside world, before anything happens.
		this.record(entry, runModeLog(entry.mode, entry.record.startedAt));
		const interp = this.spawn(entry);
		interp.start();
	}

	async start(instanceId: string): Promise<InstanceSummary> {
		await this.restored;
		const entry = this.entry(instanceId);
		this.startEntry(entry);
		this.markDirty(instanceId);
		return this.summary(entry);
	}

	async stop(instanceId: string): Promise<InstanceSummary> {
		await this.restored;
		const entry = this.entry(instanceId);
		if (entry.live && entry.interp) {
			const persisted = entry.interp.persist();
			entry.interp.stop();
			entry.live = false;
			entry.paused = persisted;
			entry.record.running = false;
			this.store?.saveSnapshot(instanceId, persisted);
		}
		this.markDirty(instanceId);
		return this.summary(entry);
	}

	async deleteInstance(instanceId: string): Promise<void> {
		await this.restored;
		const entry = this.entry(instanceId);
		if (entry.live) entry.interp?.stop();
		entry.live = false;
		entry.interp = null;
		this.entries.delete(instanceId);
		this.dirty.delete(instanceId);
		this.removed.add(instanceId);
		this.scheduleUpdate();
		await this.store?.deleteInstance(instanceId);
	}

	private liveEntry(instanceId: string): Entry & { interp: Interpreter } {
		const entry = this.entry(instanceId);
		if (!entry.live || !entry.interp) throw new Error(`Instance "${instanceId}" is not running; start it first.`);
		return entry as Entry & { interp: Interpreter };
	}

	async send(instanceId: string, event: EventObject | string): Promise<InstanceSummary> {
		await this.restored;
		const entry = this.liveEntry(instanceId);
		entry.interp.send(toEvent(event));
		return this.summary(entry);
	}

	async sendMany(instanceId: string, events: (EventObject | string)[]): Promise<PumpResult> {
		await this.restored;
		let i = 0;
		return this.drive(instanceId, events.length, () => (i < events.length ? toEvent(events[i++]) : null));
	}

	async pump(instanceId: string, n: number): Promise<PumpResult> {
		await this.restored;
		const entry = this.liveEntry(instanceId);
		return this.drive(instanceId, n, () => {
			const type = entry.interp?.enabledEvents()[0];
			return type === undefined ? null : { type };
		});
	}

	/** Sends up to n events in chunks, yielding so the store and the UI keep up. */
	private async drive(instanceId: string, n: number, next: () => EventObject | null): Promise<PumpResult> {
		const entry = this.liveEntry(instanceId);
		const t0 = perfNow();
		let sent = 0;
		outer: while (sent < n) {
			const end = Math.min(n, sent + this.chunk);
			while (sent < end) {
				if (!entry.live || !entry.interp) break outer;
				const ev = next();
				if (!ev) break outer;
				entry.interp.send(ev);
				sent++;
			}
			await tick();
			// Back-pressure: do not let unsaved events pile up without bound.
			if (this.store && this.store.stats().pending > 100_000) await this.store.settled();
		}
		return { sent, ms: perfNow() - t0, snapshot: entry.interp!.snapshot() };
	}

	async listInstances(filter: { workflowId?: string } = {}): Promise<InstanceSummary[]> {
		await this.restored;
		return this.sortedEntries()
			.filter((e) => !filter.workflowId || e.record.workflowId === filter.workflowId)
			.map((e) => this.summary(e));
	}

	async getInstance(instanceId: string): Promise<InstanceSummary> {
		await this.restored;
		return this.summary(this.entry(instanceId));
	}

	async getSnapshot(instanceId: string): Promise<Snapshot> {
		await this.restored;
		const entry = this.entry(instanceId);
		if (entry.interp) {
			const s = entry.interp.snapshot();
			return !entry.live && s.status === 'active' ? { ...s, status: 'stopped' } : s;
		}
		return { value: entry.record.workflow.initial ?? {}, context: entry.record.context, status: 'stopped' };
	}

	async enabledEvents(instanceId: string): Promise<string[]> {
		await this.restored;
		const entry = this.entry(instanceId);
		return entry.live && entry.interp ? entry.interp.enabledEvents() : [];
	}

	private requireStore(): EventStore {
		if (!this.store) throw new Error('This runtime keeps no event log (it was created without an event store).');
		return this.store;
	}

	async getLog(instanceId: string, query: LogQuery = {}): Promise<StoredEvent[]> {
		await this.restored;
		return this.requireStore().getLog(instanceId, query);
	}

	async exportLog(instanceId: string): Promise<string> {
		await this.restored;
		return this.requireStore().exportLog(instanceId);
	}

	async replay(instanceId: string, opts: { full?: boolean } = {}): Promise<ReplayResult> {
		await this.restored;
		const store = this.requireStore();
		const entry = this.entry(instanceId);
		const live = entry.live && entry.interp ? entry.interp.persist() : entry.paused;
		const t0 = perfNow();
		const src = await store.readReplay(instanceId, { full: opts.full, ...(live ? { upToInput: live.seq } : {}) });
		const t1 = perfNow();
		const inputs = src.inputs;
		const interp = replayInstance(this.machineFor(entry.record.workflow), inputs, { snapshot: src.snapshot?.snapshot, startedAt: entry.record.startedAt });
		const persisted = interp.persist();
		const t2 = perfNow();
		return {
			snapshot: interp.snapshot(),
			persisted,
			inputs: inputs.length,
			fromSnapshot: !!src.snapshot,
			readMs: t1 - t0,
			replayMs: t2 - t1,
			matchesLive: live ? sameState(persisted, live) : null
		};
	}

	async flush(): Promise<boolean> {
		await this.restored;
		return this.store ? this.store.flush() : true;
	}

	async retryWrites(): Promise<boolean> {
		const ok = this.store ? await this.store.retry() : true;
		if (ok) {
			this.storeError = null;
			this.storeErrorChanged = true;
			this.scheduleUpdate();
		}
		return ok;
	}

	async subscribe(callback: (update: RuntimeUpdate) => void, opts: SubscribeOptions = {}): Promise<number> {
		const id = this.nextSub++;
		this.subscribers.set(id, callback);
		this.needFull.add(id);
		if (opts.events) this.setWatch(id, opts.events, opts.maxEvents);
		await this.restored;
		this.scheduleUpdate();
		return id;
	}

	private setWatch(subId: number, ids: string[] | 'all', max = 5000) {
		const prev = this.watches.get(subId);
		if (ids !== 'all' && ids.length === 0 && !prev?.pending.size) {
			this.watches.delete(subId);
			return;
		}
		// Events already queued are still delivered; the watch ends after the next update.
		this.watches.set(subId, { ids: ids === 'all' ? 'all' : new Set(ids), max, pending: prev?.pending ?? new Map(), truncated: prev?.truncated ?? new Set() });
	}

	async watch(subscriptionId: number, instanceIds: string[] | 'all', maxEvents?: number): Promise<void> {
		if (!this.subscribers.has(subscriptionId)) throw new Error(`There is no subscription ${subscriptionId}.`);
		this.setWatch(subscriptionId, instanceIds, maxEvents ?? this.watches.get(subscriptionId)?.max);
	}

	async unsubscribe(subscriptionId: number): Promise<void> {
		this.subscribers.delete(subscriptionId);
		this.needFull.delete(subscriptionId);
		this.watches.delete(subscriptionId);
	}

	/** Stops every instance's timers and closes the store (tests, worker shutdown). */
	async dispose(): Promise<void> {
		await this.restored;
		// Save the latest summaries while the instances are still live.
		if (this.updateTimer !== null) {
			clearTimeout(this.updateTimer);
			this.updateTimer = null;
			this.publish();
		}
		if (this.summaryTimer !== null) clearTimeout(this.summaryTimer);
		this.flushSummaries();
		for (const e of this.entries.values()) {
			const it = e.interp;
			// Detach first: shutting down is not a user's stop, so nothing goes into the log.
			e.interp = null;
			if (e.live) it?.stop();
			e.live = false;
		}
		if (this.updateTimer !== null) clearTimeout(this.updateTimer);
		this.updateTimer = null;
		this.subscribers.clear();
		this.watches.clear();
		await this.store?.close();
		this.releaseLock?.();
	}
}

/** Creates the runtime of a workspace. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
	return new Runtime(options);
}
