import { compile, createInterpreter, type Machine } from '../engine';
import type { EventObject, Interpreter, PersistedSnapshot, Snapshot, InstanceEvent } from '../engine/types';
import { parseWorkflow } from '../model';
import type { Workflow } from '../model/types';
import type { EventStore } from '../store';
import { toStoredEvent } from '../store';
import type { InstanceRecord, LogQuery, StoreError, StoredEvent } from '../store/types';
import { InstanceHost, newInstanceId, newestFirst, type HostEntry, type InstanceHostOptions } from './host';
import { replayInstance, sameState } from './replay';
import type { CreateInstanceOptions, InstanceSummary, PumpResult, ReplayResult, RuntimeApi, RuntimeUpdate, SubscribeOptions } from './types';

export { newestFirst };

export interface RuntimeOptions extends InstanceHostOptions {
	/** Events sent between two yields to the event loop in `sendMany` / `pump` (default 2000). */
	chunk?: number;
}

type Entry = HostEntry<Interpreter>;

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const perfNow = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

function toEvent(e: EventObject | string): EventObject {
	return typeof e === 'string' ? { type: e } : e;
}

/**
 * The runtime: the instance host of the runtime worker. Instances run on the wall clock,
 * live by default; a stopped instance keeps its place and resumes, and every instance that
 * was running resumes after a reload. Plain TypeScript, so it runs in Node tests as well as
 * behind Comlink in the worker.
 */
export class Runtime extends InstanceHost<Interpreter> implements RuntimeApi {
	private readonly chunk: number;
	private readonly workflows = new Map<string, Workflow>();
	/** Compiled once per workflow definition, shared by its instances. */
	private readonly machines = new WeakMap<Workflow, Machine>();
	private readonly machinesByText = new Map<string, Machine>();
	private readonly restored: Promise<{ restored: number; errors: { instanceId: string; message: string }[] }>;

	private readonly subscribers = new Map<number, (u: RuntimeUpdate) => unknown>();
	private readonly needFull = new Set<number>();
	/** Per subscriber: which instances' events it receives, and the events waiting for the next update. */
	private readonly watches = new Map<number, { ids: Set<string> | 'all'; max: number; pending: Map<string, StoredEvent[]>; truncated: Set<string> }>();
	private nextSub = 1;
	private storeError: StoreError | null = null;
	private storeErrorChanged = false;
	private restoreErrors: { instanceId: string; message: string }[] = [];

	constructor(options: RuntimeOptions = {}) {
		super({ ...options, exclusive: options.exclusive ?? options.store !== null });
		this.chunk = options.chunk ?? 2000;
		this.store?.onError((e) => {
			this.storeError = e;
			this.storeErrorChanged = true;
			this.scheduleUpdate();
		});
		this.restored = this.lock.owned.then(() => this.restore());
	}

	// ---- registry ------------------------------------------------------------------

	private async restore() {
		const errors: { instanceId: string; message: string }[] = [];
		const store = this.store;
		if (!store) return { restored: 0, errors };
		try {
			await store.ready;
		} catch (err) {
			errors.push({ instanceId: '', message: `The event store could not be opened: ${err instanceof Error ? err.message : String(err)}` });
			this.restoreErrors = errors;
			this.scheduleUpdate();
			return { restored: 0, errors };
		}
		// Oldest first, so a workflow id maps to its most recently used definition. The
		// simulator's instances are its own (it resumes them when their workflow is opened).
		const records = store.instances().reverse().filter((r) => r.host !== 'simulator');
		const result = await this.restoreEach(
			records,
			(r) => (r.startedAt === undefined ? undefined : store.readReplay(r.id)),
			(record, src) => {
				const entry: Entry = { id: record.id, record, mode: record.mode ?? 'live', run: null, live: false, paused: null, inputs: record.inputs, lastSeq: record.lastSeq, sinceSnapshot: 0, wantSnapshot: false };
				this.entries.set(record.id, entry);
				this.workflows.set(record.workflowId, record.workflow);
				if (!src || record.startedAt === undefined) return;
				const interp = replayInstance(this.machineFor(record.workflow), src.inputs, { snapshot: src.snapshot?.snapshot, startedAt: record.startedAt });
				const persisted = interp.persist();
				entry.run = interp;
				entry.paused = persisted;
				entry.inputs = persisted.seq;
				entry.lastSeq = store.lastSeq(record.id);
				if (record.running && persisted.status === 'active') this.resume(entry);
			}
		);
		errors.push(...result.errors);
		this.restoreErrors = errors;
		// Instances never started count as registered, not restored.
		const restored = result.restored.filter((id) => this.entries.get(id)?.record.startedAt !== undefined).length;
		return { restored, errors };
	}

	/** Creates the live interpreter of an entry (from a snapshot when resuming). */
	private spawn(entry: Entry, snapshot?: PersistedSnapshot): Interpreter {
		let self: Interpreter | null = null;
		const interp = createInterpreter(this.machineFor(entry.record.workflow), {
			clock: this.clock,
			runEffect: this.runEffectFor(entry),
			...(snapshot ? { snapshot } : {}),
			onEvent: this.sink(entry, () => self)
		});
		self = interp;
		return this.attach(entry, interp);
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

	protected override observe(entry: Entry, e: InstanceEvent, seq: number): void {
		if (this.watches.size) this.forward(entry.id, seq, e);
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
		const s = entry.run?.snapshot();
		let status = s?.status ?? 'stopped';
		if (!entry.live && status === 'active') status = 'stopped';
		let enabled: string[] = [];
		if (entry.live && status === 'active' && entry.run) enabled = entry.run.enabledEvents();
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

	protected publish(dirty: Set<string>, removed: string[]): void {
		const changed: InstanceSummary[] = [];
		const now = this.clock.now();
		for (const id of dirty) {
			const entry = this.entries.get(id);
			if (!entry) continue;
			entry.record.updatedAt = now;
			changed.push(this.summary(entry));
		}
		const base: Omit<RuntimeUpdate, 'instances'> = { removed, time: now };
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
				all ??= this.sortedEntries().map((e) => (dirty.has(e.id) ? changed.find((c) => c.id === e.id)! : this.summary(e)));
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
		return this.lock.state();
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
		const id = opts.id ?? newInstanceId(workflowId, this.clock.now());
		if (this.entries.has(id)) throw new Error(`Instance "${id}" already exists.`);
		const mode = opts.mode ?? 'live';
		const record: InstanceRecord = this.newRecord(id, workflow, mode);
		const entry = this.register({ id, record, mode, run: null, live: false, paused: null, inputs: 0, lastSeq: 0, sinceSnapshot: 0, wantSnapshot: false });
		if (opts.start !== false) this.startEntry(entry);
		return id;
	}

	private startEntry(entry: Entry) {
		if (entry.live) return;
		if (entry.paused) {
			if (entry.paused.status === 'active') this.resume(entry);
			return;
		}
		if (entry.run) return;
		entry.record.startedAt = this.clock.now();
		// The log says how this run treats the outside world, before anything happens.
		this.recordRunMode(entry, entry.record.startedAt);
		this.spawn(entry).start();
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
		if (entry.live && entry.run) {
			const persisted = entry.run.persist();
			entry.run.stop();
			entry.live = false;
			entry.paused = persisted;
			entry.record.running = false;
			this.saveSnapshot(entry, persisted);
		}
		this.markDirty(instanceId);
		return this.summary(entry);
	}

	async deleteInstance(instanceId: string): Promise<void> {
		await this.restored;
		const entry = this.entry(instanceId);
		this.detach(entry);
		this.forget(instanceId);
		await this.store?.deleteInstance(instanceId);
	}

	private liveEntry(instanceId: string): Entry & { run: Interpreter } {
		const entry = this.entry(instanceId);
		if (!entry.live || !entry.run) throw new Error(`Instance "${instanceId}" is not running; start it first.`);
		return entry as Entry & { run: Interpreter };
	}

	async send(instanceId: string, event: EventObject | string): Promise<InstanceSummary> {
		await this.restored;
		const entry = this.liveEntry(instanceId);
		entry.run.send(toEvent(event));
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
			const type = entry.run?.enabledEvents()[0];
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
				if (!entry.live || !entry.run) break outer;
				const ev = next();
				if (!ev) break outer;
				entry.run.send(ev);
				sent++;
			}
			await tick();
			// Back-pressure: do not let unsaved events pile up without bound.
			if (this.store && this.store.stats().pending > 100_000) await this.store.settled();
		}
		return { sent, ms: perfNow() - t0, snapshot: entry.run!.snapshot() };
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
		if (entry.run) {
			const s = entry.run.snapshot();
			return !entry.live && s.status === 'active' ? { ...s, status: 'stopped' } : s;
		}
		return { value: entry.record.workflow.initial ?? {}, context: entry.record.context, status: 'stopped' };
	}

	async enabledEvents(instanceId: string): Promise<string[]> {
		await this.restored;
		const entry = this.entry(instanceId);
		return entry.live && entry.run ? entry.run.enabledEvents() : [];
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
		const live = entry.live && entry.run ? entry.run.persist() : entry.paused;
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
		await this.shutdown({ closeStore: true });
		this.subscribers.clear();
		this.watches.clear();
	}
}

/** Creates the runtime of a workspace. */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
	return new Runtime(options);
}
