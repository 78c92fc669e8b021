/**
 * The instance host: the one place that wires the engine, the effects executor and the
 * event store for running instances. Both the runtime (`Runtime`, wall clock) and the
 * simulator (`SimHost`, a virtual clock per instance, breakpoints, stubs) are instance hosts;
 * they differ only in what they build around each instance and in their API.
 *
 * What every host does the same way:
 * - effects run through one executor per workspace and run mode (or per instance, when the
 *   instance has its own clock), with the run mode's handlers (the AI and MCP providers
 *   when live, simulated answers otherwise), extra handlers (stubs) on top, and run info
 *   (instance, workflow, budget) on every scope;
 * - every run's log starts with its run mode;
 * - every event an instance reports is appended to the store, numbered, and counted; a
 *   snapshot is saved every `snapshotEvery` inputs;
 * - instance summaries are written to the registry at once when status or running change,
 *   otherwise at most once a second;
 * - updates reach the UI at most every `updateInterval` ms (16: one per frame), and every
 *   `busyInterval` ms (100) while instances take many inputs (a load test), because drawing
 *   is what costs the page, not the message;
 * - restoring after a reload reads ahead and collects failures in the user's words.
 */
import { withRunInfo } from '../ai/run-info';
import { createExecutor, type ExecutorOptions } from '../effects/executor';
import { createMemoryCache, tieredCache } from '../effects/cache';
import { systemClock } from '../effects/clock';
import { createSharedResilience } from '../effects/resilience';
import { runModeLog, type RunMode } from '../effects/simulated';
import type { Clock, EventObject, InstanceEvent, PersistedSnapshot, RunEffect, Snapshot } from '../engine/types';
import type { Workflow } from '../model/types';
import { createEventStore, createIndexedDbCache, type EventStore } from '../store';
import type { InstanceRecord } from '../store/types';
import { handlersFor, liveHandlers, type Handlers } from './effect-handlers';
import { acquireWorkspaceLock, type Ownership } from './lock';

/** What a host drives for one instance: the engine's interpreter, or a debug session around it. */
export interface HostedRun {
	start(): unknown;
	send(event: EventObject): void;
	snapshot(): Snapshot;
	persist(): PersistedSnapshot;
	enabledEvents(): string[];
	subscribe(listener: () => void): () => void;
	stop(): void;
}

/** One instance as a host keeps it. */
export interface HostEntry<R extends HostedRun = HostedRun> {
	readonly id: string;
	record: InstanceRecord;
	mode: RunMode;
	/** The live run, or the replayed one of a stopped instance, or null before the first start. */
	run: R | null;
	live: boolean;
	/** Where a stopped instance resumes from. */
	paused: PersistedSnapshot | null;
	/** Inputs applied (the engine's input seq). */
	inputs: number;
	/** Highest log seq (written or queued). */
	lastSeq: number;
	sinceSnapshot: number;
	wantSnapshot: boolean;
}

export interface InstanceHostOptions {
	/** Workspace whose database holds the instances (default 'default'). */
	workspaceId?: string;
	/** The event store; `null` keeps everything in memory. Default: opens the workspace's store. */
	store?: EventStore | null;
	/** Wall clock: record times, the timers of updates and summaries, and instances without a clock of their own. */
	clock?: Clock;
	/** Replaces the executor of every run (tests). */
	runEffect?: RunEffect;
	/** Builds an executor (default `createExecutor`); tests pass a seed. */
	executor?: (options: ExecutorOptions) => RunEffect;
	/** Real handlers of live runs (default: the workspace's AI and MCP handlers). */
	handlers?: Handlers;
	/** A snapshot is saved every this many inputs of an instance (default 1000). */
	snapshotEvery?: number;
	/** Minimum ms between two updates to the UI (default 16: one per animation frame). */
	updateInterval?: number;
	/** Minimum ms between two updates while instances take many inputs (default 100). */
	busyInterval?: number;
	/**
	 * The workspace's plugins (Logger, Audit: `createPluginSink` of src/lib/plugins), created on
	 * the first recorded event; every recorded event of every instance is handed to them.
	 */
	plugins?: (workspaceId: string) => HostPlugins;
	/**
	 * Take the workspace's Web Lock before restoring, so that only one tab runs (and writes)
	 * the workspace's instances at a time (default: false).
	 */
	exclusive?: boolean;
}

/** What a host hands every recorded event to (the plugin sink). */
export interface HostPlugins {
	observe(run: { instanceId: string; workflowId?: string; workflowName?: string; mode?: string }, e: InstanceEvent): void;
}

/** Inputs per update above which a host is busy (updates slow down to `busyInterval`). */
const BUSY_INPUTS = 20;

let idCounter = 0;
/** A new instance id: `<prefix>-<time><counter><random>`. */
export function newInstanceId(prefix: string, now = Date.now()): string {
	const rand = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
	return `${prefix}-${Math.floor(now).toString(36)}${(idCounter++ % 1296).toString(36)}${rand}`;
}

/** Newest first; instances created in the same millisecond in a stable order. */
export function newestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
	return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export abstract class InstanceHost<R extends HostedRun, E extends HostEntry<R> = HostEntry<R>> {
	protected store: EventStore | null;
	protected readonly clock: Clock;
	protected workspaceId: string;
	protected readonly entries = new Map<string, E>();
	protected readonly lock: Ownership;
	private readonly customRunEffect: RunEffect | undefined;
	private readonly buildExecutor: (options: ExecutorOptions) => RunEffect;
	private live: Handlers | undefined;
	private readonly executors = new Map<RunMode, RunEffect>();
	private readonly snapshotEvery: number;
	private readonly updateInterval: number;
	private readonly busyInterval: number;

	private dirty = new Set<string>();
	private removed = new Set<string>();
	private updateTimer: unknown = null;
	private lastUpdate = -Infinity;
	private inputsSinceUpdate = 0;
	private busy = false;
	/** Since the last update, has anything but an effect's progress (streamed tokens …) happened? */
	private urgent = false;
	private updateDue = Infinity;
	private summaryTimer: unknown = null;
	private summaryDirty = new Set<string>();
	private readonly summaryKeys = new Map<string, string>();
	protected closed = false;
	private readonly pluginsFor: ((workspaceId: string) => HostPlugins) | undefined;
	private plugins: HostPlugins | undefined;

	constructor(options: InstanceHostOptions) {
		this.pluginsFor = options.plugins;
		this.workspaceId = options.workspaceId ?? 'default';
		this.store = options.store === undefined ? createEventStore({ workspaceId: this.workspaceId }) : options.store;
		this.clock = options.clock ?? systemClock;
		this.customRunEffect = options.runEffect;
		this.buildExecutor = options.executor ?? ((o) => createExecutor(o).run);
		this.live = options.handlers;
		this.snapshotEvery = options.snapshotEvery ?? 1000;
		this.updateInterval = options.updateInterval ?? 16;
		this.busyInterval = Math.max(this.updateInterval, options.busyInterval ?? 100);
		this.lock = acquireWorkspaceLock(this.workspaceId, options.exclusive ?? false);
	}

	// ---- effects -------------------------------------------------------------------

	/**
	 * The effect runner of one instance. Instances on the host's clock without extra handlers
	 * share one executor per run mode: circuit breakers, rate limiters and bulkheads are shared
	 * by key across the workspace, and live cached results persist in the workspace's db.
	 * Simulated runs have their own, in memory, so a simulated answer never opens a live
	 * breaker or is served to a live run. An instance with its own clock (the simulator's
	 * virtual time) or its own handlers (`extend`: stubs on top of the mode's handlers) gets an
	 * executor of its own.
	 */
	protected runEffectFor(entry: HostEntry<R>, clock: Clock = this.clock, extend?: (handlers: Handlers) => Handlers): RunEffect {
		let run = this.customRunEffect;
		if (!run) {
			const shared = clock === this.clock && !extend;
			run = shared ? this.executors.get(entry.mode) : undefined;
			if (!run) {
				const live = entry.mode === 'live';
				this.live ??= liveHandlers(this.workspaceId);
				const handlers = handlersFor(entry.mode, this.workspaceId, this.live);
				run = this.buildExecutor({
					clock,
					shared: createSharedResilience(),
					cache: live && shared && this.store ? tieredCache(createMemoryCache(), createIndexedDbCache(this.store.db)) : createMemoryCache(),
					handlers: extend ? extend(handlers) : handlers
				});
				if (shared) this.executors.set(entry.mode, run);
			}
		}
		const { workflow } = entry.record;
		// AI effects record usage per run and apply the workflow's budget.
		return withRunInfo(run, { instanceId: entry.id, workflowId: workflow.id, workflowName: workflow.name, budget: workflow.budget });
	}

	// ---- registry ------------------------------------------------------------------

	/** Adds a new instance to the registry (and the store). */
	protected register(entry: E): E {
		this.store?.createInstance(entry.record);
		if (this.store) entry.record = this.store.getInstance(entry.id) ?? entry.record;
		this.entries.set(entry.id, entry);
		this.markDirty(entry.id);
		return entry;
	}

	/** A new registry record. */
	protected newRecord(id: string, workflow: Workflow, mode: RunMode, extra: Partial<InstanceRecord> = {}): InstanceRecord {
		const now = this.clock.now();
		return {
			id,
			mode,
			workflowId: workflow.id,
			workflowName: workflow.name,
			workflow,
			createdAt: now,
			updatedAt: now,
			status: 'stopped',
			lastSeq: 0,
			inputs: 0,
			value: null,
			context: workflow.context ?? {},
			running: false,
			...extra
		};
	}

	protected entry(id: string): E {
		const e = this.entries.get(id);
		if (!e) throw new Error(this.unknownInstance(id));
		return e;
	}

	/** The message for an id that names no instance. */
	protected unknownInstance(id: string): string {
		return `There is no instance "${id}".`;
	}

	/**
	 * Wires a run into the host: what it reports is recorded, and after each step it may be
	 * snapshotted and is marked for the next update.
	 */
	protected attach(entry: E, run: R): R {
		entry.run = run;
		entry.live = true;
		entry.paused = null;
		entry.record.running = true;
		run.subscribe(() => {
			if (entry.run !== run) return;
			if (entry.wantSnapshot && this.store) {
				entry.wantSnapshot = false;
				entry.sinceSnapshot = 0;
				this.store.saveSnapshot(entry.id, run.persist());
			}
			this.markDirty(entry.id);
		});
		return run;
	}

	/** The `onEvent` of a run: ignores a run that has been replaced (stopped, then resumed). */
	protected sink(entry: E, owner: () => R | null): (e: InstanceEvent) => void {
		return (e) => {
			const run = owner();
			if (run !== null && entry.run !== run) return;
			this.record(entry, e);
		};
	}

	/** Records the run mode as the first entry of a run's log. */
	protected recordRunMode(entry: E, time = this.clock.now()): void {
		this.record(entry, runModeLog(entry.mode, time));
	}

	/** Appends one event of an instance to its log (and to subscribers' streams). */
	protected record(entry: E, e: InstanceEvent): void {
		if (this.store) entry.lastSeq = this.store.append(entry.id, e);
		else entry.lastSeq++;
		if (this.pluginsFor) {
			this.plugins ??= this.pluginsFor(this.workspaceId);
			this.plugins.observe({ instanceId: entry.id, workflowId: entry.record.workflowId, workflowName: entry.record.workflowName, mode: entry.mode }, e);
		}
		this.observe(entry, e, entry.lastSeq);
		if (e.kind === 'input') {
			entry.inputs = e.seq;
			this.inputsSinceUpdate++;
			if (++entry.sinceSnapshot >= this.snapshotEvery) entry.wantSnapshot = true;
		}
		// A model streaming tokens reports progress hundreds of times a second: that alone is
		// drawn at the busy pace, not once a frame (its text reaches the UI through the timeline).
		this.markDirty(entry.id, !(e.kind === 'effect' && e.phase === 'progress'));
	}

	/** Called with every recorded event (streams to subscribers, per-host bookkeeping). */
	protected observe(entry: E, e: InstanceEvent, seq: number): void {
		void entry;
		void e;
		void seq;
	}

	/** Saves a snapshot of an instance now (when it is stopped). */
	protected saveSnapshot(entry: E, snapshot: PersistedSnapshot): void {
		entry.sinceSnapshot = 0;
		entry.wantSnapshot = false;
		this.store?.saveSnapshot(entry.id, snapshot);
	}

	/** Stops an instance's run without recording anything (shutdown, delete). */
	protected detach(entry: E): void {
		const run = entry.run;
		entry.run = null;
		if (entry.live) run?.stop();
		entry.live = false;
	}

	protected forget(id: string): void {
		this.entries.delete(id);
		this.dirty.delete(id);
		this.summaryDirty.delete(id);
		this.summaryKeys.delete(id);
		this.removed.add(id);
		this.scheduleUpdate();
	}

	// ---- restore -------------------------------------------------------------------

	/**
	 * Rebuilds instances from the store, reading ahead (IndexedDB serves several reads at once
	 * while the engine replays one). Returns the ids rebuilt and the failures, in words.
	 */
	protected async restoreEach<S>(
		records: InstanceRecord[],
		read: (record: InstanceRecord) => Promise<S> | undefined,
		rebuild: (record: InstanceRecord, source: S | undefined) => void | Promise<void>
	): Promise<{ restored: string[]; errors: { instanceId: string; message: string }[] }> {
		const restored: string[] = [];
		const errors: { instanceId: string; message: string }[] = [];
		const reads = new Map<string, Promise<S>>();
		const prefetch = (i: number) => {
			const r = records[i];
			if (!r) return;
			const p = read(r);
			if (!p) return;
			p.catch(() => {});
			reads.set(r.id, p);
		};
		const AHEAD = 16;
		for (let i = 0; i < AHEAD; i++) prefetch(i);
		for (let i = 0; i < records.length; i++) {
			const record = records[i];
			prefetch(i + AHEAD);
			try {
				const pending = reads.get(record.id);
				reads.delete(record.id);
				await rebuild(record, pending ? await pending : undefined);
				restored.push(record.id);
			} catch (err) {
				errors.push({ instanceId: record.id, message: `Instance ${record.id} could not be restored: ${err instanceof Error ? err.message : String(err)}` });
			}
			this.dirty.add(record.id);
		}
		if (records.length) this.scheduleUpdate();
		return { restored, errors };
	}

	// ---- updates -------------------------------------------------------------------

	protected markDirty(id: string, urgent = true): void {
		if (this.closed) return;
		this.dirty.add(id);
		this.scheduleUpdate(urgent);
	}

	/** Sends an update soon: within a frame, or at the busy pace for progress-only changes (`urgent` false). */
	protected scheduleUpdate(urgent = true): void {
		if (this.closed) return;
		if (urgent) this.urgent = true;
		const interval = this.busy || !this.urgent ? this.busyInterval : this.updateInterval;
		const due = this.lastUpdate + interval;
		if (this.updateTimer !== null) {
			// already due sooner (or as soon): keep it; an urgent change brings a slow one forward
			if (due >= this.updateDue) return;
			this.clock.clearTimeout(this.updateTimer);
		}
		this.updateDue = due;
		const wait = Math.max(0, due - this.clock.now());
		this.updateTimer = this.clock.setTimeout(() => this.flushUpdate(), wait);
	}

	/** Sends the pending update now (and writes the summaries it carries). */
	protected flushUpdate(): void {
		if (this.updateTimer !== null) this.clock.clearTimeout(this.updateTimer);
		this.updateTimer = null;
		this.updateDue = Infinity;
		this.urgent = false;
		this.lastUpdate = this.clock.now();
		this.busy = this.inputsSinceUpdate > BUSY_INPUTS;
		this.inputsSinceUpdate = 0;
		const dirty = this.dirty;
		this.dirty = new Set();
		const removed = [...this.removed];
		this.removed.clear();
		for (const id of dirty) {
			const entry = this.entries.get(id);
			if (entry) this.saveSummary(entry);
		}
		this.publish(dirty, removed);
	}

	/** Tells the UI what changed (instances by id, deleted ids). */
	protected abstract publish(dirty: Set<string>, removed: string[]): void;

	/** The instance's registry summary fields (written to the store). */
	protected summaryOf(entry: E): Partial<InstanceRecord> {
		const s = entry.run?.snapshot();
		let status = s?.status ?? 'stopped';
		if (!entry.live && status === 'active') status = 'stopped';
		return {
			status,
			value: s?.value ?? null,
			context: s?.context ?? entry.record.context,
			error: s?.error,
			inputs: entry.inputs,
			running: entry.live && status === 'active',
			...(entry.record.startedAt !== undefined ? { startedAt: entry.record.startedAt } : {})
		};
	}

	/**
	 * Writes an instance's summary to the registry: at once when its status or running flag
	 * changed (a reload depends on them), otherwise at most once a second (a put rewrites the
	 * whole record, workflow included, and replay is the source of truth anyway).
	 */
	private saveSummary(entry: E): void {
		if (!this.store) return;
		const s = this.summaryOf(entry);
		const key = `${s.status}|${s.running}`;
		if (this.summaryKeys.get(entry.id) !== key) {
			this.summaryKeys.set(entry.id, key);
			this.summaryDirty.delete(entry.id);
			this.store.updateInstance(entry.id, s);
			return;
		}
		this.summaryDirty.add(entry.id);
		this.summaryTimer ??= this.clock.setTimeout(() => this.flushSummaries(), 1000);
	}

	/** Writes an instance's summary now (after a user's action a reload must see). */
	protected saveSummaryNow(entry: E): void {
		this.summaryDirty.delete(entry.id);
		this.store?.updateInstance(entry.id, this.summaryOf(entry));
	}

	protected flushSummaries(): void {
		if (this.summaryTimer !== null) this.clock.clearTimeout(this.summaryTimer);
		this.summaryTimer = null;
		const ids = this.summaryDirty;
		this.summaryDirty = new Set();
		for (const id of ids) {
			const entry = this.entries.get(id);
			if (entry) this.store?.updateInstance(id, this.summaryOf(entry));
		}
	}

	/**
	 * Stops updates and timers, saves the latest summaries while the instances are still live,
	 * then stops every run (detached: shutting down is not a user's stop, so nothing is logged).
	 */
	protected async shutdown(opts: { closeStore: boolean }): Promise<void> {
		if (this.updateTimer !== null) this.flushUpdate();
		this.flushSummaries();
		this.closed = true;
		for (const e of this.entries.values()) this.detach(e);
		if (opts.closeStore) await this.store?.close();
		else await this.store?.flush();
		this.lock.release();
	}
}
