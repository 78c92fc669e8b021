import { runModeLog, runModeOf, type RunMode } from '../effects/simulated';
import type { EventObject, InstanceEvent, PersistedSnapshot } from '../engine/types';
import type { Workflow } from '../model/types';
import { InstanceHost, newInstanceId, type HostEntry, type InstanceHostOptions } from '../runtime/host';
import type { EventStore } from '../store/event-store';
import { toInstanceEvent } from '../store/event-store';
import type { InstanceRecord, SimSessionState } from '../store/types';
import { VirtualClock } from './clock';
import { coverageOf, type Coverage } from './coverage';
import { DebugSession } from './debug-session';
import { createInterpreter as defaultCreate, type CreateInterpreter } from './engine';
import { exportVitest } from './export-tests';
import { forkFromLog } from './fork';
import { activeStates, indexWorkflow } from './model-index';
import { generatePaths, type PathOptions, type PathsResult } from './paths';
import type { EventProbe } from './probe';
import type { LogFilter, LogRow, MomentView, SessionView, SimApi, StartOptions } from './protocol';
import { stubHandlers, type StubConfig } from './stubs';
import type { Span } from './timeline';
import type { AiRunTotals } from '../ai/usage/aggregate';
import { TimeTravel } from './timetravel';

export interface SimHostOptions extends Omit<InstanceHostOptions, 'store' | 'workspaceId' | 'updateInterval' | 'snapshotEvery' | 'exclusive'> {
	createInterpreter?: CreateInterpreter;
	/** Opens the workspace's event store (omit to keep sessions in memory only). */
	openStore?: (workspaceId: string) => EventStore;
	/** Delay between pushed views, ms (default 16: about one per frame). */
	pushEvery?: number;
	/** Save a snapshot (and keep a time-travel checkpoint) every this many inputs (default 500). */
	checkpointEvery?: number;
}

/** A simulated instance: a debug session on its own virtual clock. */
interface Entry extends HostEntry<DebugSession> {
	session: DebugSession;
	clock: VirtualClock;
	createdAt: number;
	forkOf?: { id: string; position: number };
	stubs: StubConfig;
	/** The virtual clock follows the wall clock while running. */
	realtime?: boolean;
	lastTransitions: string[];
	collecting: string[];
	filterCache?: { key: string; size: number; positions: number[] };
	/** Guard probes of the enabled events, valid while no input has been applied since. */
	probeCache?: { key: string; enabled: EventProbe[] };
}

/** Where sessions were listed before they were kept in their registry records (read once, then removed). */
const LEGACY_SESSIONS_KEY = 'sim:sessions';

function entryText(e: InstanceEvent): string {
	return JSON.stringify(e).toLowerCase();
}

/**
 * The simulator's instance host (the worker side of `SimApi`): debug sessions by id, each on
 * its own virtual clock with breakpoints, a pending queue, time travel and stubs, on top of
 * what every instance host does (effects, event store, summaries, batched pushes to the UI).
 * Sessions are resumed after a reload when their workflow is opened. Runs unchanged in Node
 * (tests) and in `src/workers/sim.worker.ts` (behind Comlink).
 */
export class SimHost extends InstanceHost<DebugSession, Entry> implements SimApi {
	/** Sessions kept in the store by an earlier page, not rebuilt yet. */
	private saved = new Map<string, InstanceRecord>();
	/** The workspace's store being opened by `init` (new instances wait for it). */
	private opening?: Promise<void>;
	private restoreErrors: { id: string; message: string }[] = [];
	private watchers = new Map<number, { id: string; callback: (v: SessionView) => void }>();
	private nextWatch = 1;
	private readonly create: CreateInterpreter;
	private readonly checkpointEvery: number;
	private readonly openStore?: (workspaceId: string) => EventStore;

	constructor(options: SimHostOptions = {}) {
		const checkpointEvery = options.checkpointEvery ?? 500;
		super({ ...options, store: null, updateInterval: options.pushEvery ?? 16, snapshotEvery: checkpointEvery });
		this.create = options.createInterpreter ?? defaultCreate;
		this.checkpointEvery = checkpointEvery;
		this.openStore = options.openStore;
	}

	protected override unknownInstance(id: string): string {
		return `No simulated instance "${id}". Start one first.`;
	}

	async init(opts: { workspaceId?: string; persist?: boolean; resume?: 'all' | 'lazy' } = {}) {
		const resumed: string[] = [];
		if (!this.store) this.workspaceId = opts.workspaceId ?? this.workspaceId;
		if (opts.persist === false || !this.openStore) return { resumed, errors: [] };
		if (!this.store) {
			const openStore = this.openStore;
			// Set before the first await: a start() that arrives while the database opens waits
			// for it, or its instance would run unregistered and be gone after a reload.
			this.opening ??= (async () => {
				const store = openStore(this.workspaceId);
				await store.ready;
				this.store = store;
				await this.adoptLegacySessions(store);
				for (const r of store.instances()) {
					if (r.host === 'simulator' && r.session && r.status !== 'stopped' && !this.entries.has(r.id)) this.saved.set(r.id, r);
				}
			})().catch((err) => {
				this.opening = undefined; // the next init tries again
				throw err;
			});
			await this.opening;
		}
		// Sessions are rebuilt when their workflow is opened (`list`), unless asked for all now.
		if (opts.resume === 'all') resumed.push(...(await this.resumeWhere(() => true)));
		return { resumed, errors: [...this.restoreErrors] };
	}

	/** Sessions saved by an older version in the settings table move into their registry records. */
	private async adoptLegacySessions(store: EventStore) {
		const row = await store.db.settings.get(LEGACY_SESSIONS_KEY);
		const list = (row?.value ?? []) as (SimSessionState & { id: string; mode?: RunMode })[];
		const listed = new Set<string>();
		for (const s of list) {
			const { id, mode, ...session } = s;
			listed.add(id);
			if (store.getInstance(id)) store.updateInstance(id, { host: 'simulator', session, ...(mode ? { mode } : {}) });
		}
		// Stopped sessions were not listed; their ids say where they came from.
		for (const r of store.instances()) if (!r.host && !listed.has(r.id) && r.id.startsWith('sim-')) store.updateInstance(r.id, { host: 'simulator' });
		if (row) await store.db.settings.delete(LEGACY_SESSIONS_KEY);
	}

	/** Resumes the saved sessions that match; returns their ids. Failures go to `restoreErrors`. */
	private async resumeWhere(match: (workflowId: string | undefined) => boolean): Promise<string[]> {
		const records = [...this.saved.values()].filter((r) => match(r.workflowId));
		for (const r of records) this.saved.delete(r.id);
		const store = this.store;
		if (!store || !records.length) return [];
		const { restored, errors } = await this.restoreEach(
			records,
			async (r) => ({
				rows: await store.getLog(r.id),
				snaps: await store.db.snapshots.where('[instanceId+seq]').between([r.id, 0], [r.id, Infinity]).toArray()
			}),
			(record, src) => this.resumeSaved(record, src!.rows.map(toInstanceEvent), src!.snaps.map((s) => s.snapshot))
		);
		for (const e of errors) {
			this.entries.delete(e.instanceId);
			this.restoreErrors.push({ id: e.instanceId, message: e.message.replace(/^Instance (\S+) could not be restored/, 'The simulated instance $1 could not be resumed') });
		}
		return restored;
	}

	/** Sessions that could not be resumed after a reload. */
	async errors(): Promise<{ id: string; message: string }[]> {
		return [...this.restoreErrors];
	}

	/** Rebuilds a session from its stored log: the latest checkpoint + the inputs after it. */
	private resumeSaved(record: InstanceRecord, log: InstanceEvent[], snaps: PersistedSnapshot[]) {
		const saved = record.session!;
		const tt = new TimeTravel(record.workflow, { createInterpreter: this.create, every: this.checkpointEvery }).appendAll(log);
		for (const s of snaps) tt.addCheckpoint(s.seq, s);
		const snapshot = tt.snapshotAfter(tt.inputCount);
		const mode = record.mode ?? runModeOf(log) ?? 'live';
		const clock = new VirtualClock(Math.max(saved.now, log.at(-1)?.time ?? 0));
		const entry = this.newEntry(record, { mode, clock, stubs: (saved.stubs ?? {}) as StubConfig, forkOf: saved.forkOf, realtime: saved.realtime });
		entry.inputs = tt.inputCount;
		entry.lastSeq = this.store?.lastSeq(record.id) ?? log.length;
		const session = this.newSession(entry, { paused: saved.paused, from: { log, snapshot } });
		session.breakpoints.load(saved.breakpoints);
		clock.set(Math.max(saved.now, clock.now()));
		this.entries.set(entry.id, entry);
		session.start();
		if (saved.realtime) {
			// Time went on while the page was closed.
			if (!session.paused && saved.savedAt) session.advance(Math.max(0, this.clock.now() - saved.savedAt));
			this.ensureTicker();
		}
	}

	private newEntry(record: InstanceRecord, o: { mode: RunMode; clock: VirtualClock; stubs: StubConfig; forkOf?: { id: string; position: number }; realtime?: boolean }): Entry {
		return {
			id: record.id,
			record,
			mode: o.mode,
			run: null,
			live: false,
			paused: null,
			inputs: 0,
			lastSeq: 0,
			sinceSnapshot: 0,
			wantSnapshot: false,
			session: undefined as unknown as DebugSession,
			clock: o.clock,
			createdAt: record.createdAt,
			forkOf: o.forkOf,
			stubs: o.stubs,
			realtime: o.realtime,
			lastTransitions: [],
			collecting: []
		};
	}

	/** The debug session of an entry, wired into the host (events recorded, pushes scheduled). */
	private newSession(entry: Entry, o: { paused?: boolean; from?: { log: InstanceEvent[]; snapshot: PersistedSnapshot } }): DebugSession {
		const session = new DebugSession(entry.record.workflow, {
			createInterpreter: this.create,
			clock: entry.clock,
			runEffect: this.sessionRunEffect(entry),
			paused: o.paused,
			checkpointEvery: this.checkpointEvery,
			from: o.from,
			onEvent: this.sink(entry, () => entry.session ?? null)
		});
		return this.adopt(entry, session);
	}

	private adopt(entry: Entry, session: DebugSession): DebugSession {
		entry.session = session;
		return this.attach(entry, session);
	}

	/** A session's effects: its run mode's handlers with its stubs on top, on its virtual clock. */
	private sessionRunEffect(entry: Entry) {
		return this.runEffectFor(entry, entry.clock, (handlers) => stubHandlers(entry.stubs, handlers));
	}

	protected override observe(entry: Entry, e: InstanceEvent): void {
		if (e.kind === 'input') entry.collecting = [];
		else if (e.kind === 'transition') {
			entry.collecting.push(e.transition);
			entry.lastTransitions = entry.collecting;
		}
	}

	/** The registry summary, with what a reload needs to rebuild the session as it was. */
	protected override summaryOf(entry: Entry): Partial<InstanceRecord> {
		const s = entry.session;
		const snap = s.snapshot();
		const session: SimSessionState = {
			paused: s.paused,
			breakpoints: s.breakpoints.toJSON(),
			now: s.clock.now(),
			stubs: entry.stubs,
			...(entry.forkOf ? { forkOf: entry.forkOf } : {}),
			...(entry.realtime ? { realtime: true } : {}),
			savedAt: this.clock.now()
		};
		return {
			status: snap.status,
			value: snap.value,
			context: snap.context,
			error: snap.error,
			inputs: s.timeTravel.inputCount,
			running: snap.status === 'active',
			session
		};
	}

	async start(workflow: Workflow, options: StartOptions = {}): Promise<string> {
		// a failed open is reported by init; the run still works, unsaved
		if (this.opening) await this.opening.catch(() => undefined);
		const id = options.id ?? newInstanceId('sim', this.clock.now());
		if (this.entries.has(id)) throw new Error(`An instance "${id}" already exists.`);
		const mode = options.mode ?? 'simulated';
		const record = this.newRecord(id, workflow, mode, { host: 'simulator', status: 'active', context: {} });
		const entry = this.newEntry(record, { mode, clock: new VirtualClock(0), stubs: options.stubs ?? {} });
		// Compiling may fail (a workflow with errors): nothing is registered then.
		const session = this.newSession(entry, { paused: options.paused });
		this.register(entry);
		// The log says how this run treats the outside world, before anything happens.
		session.note(runModeLog(mode, entry.clock.now()));
		session.start();
		this.saveSummaryNow(entry);
		return id;
	}

	async list(workflowId?: string): Promise<SessionView[]> {
		if (this.saved.size) await this.resumeWhere((w) => !workflowId || w === workflowId);
		return [...this.entries.values()]
			.filter((e) => !workflowId || e.record.workflowId === workflowId)
			.sort((a, b) => a.createdAt - b.createdAt)
			.map((e) => this.viewOf(e));
	}

	async view(id: string): Promise<SessionView> {
		return this.viewOf(this.entry(id));
	}

	private viewOf(entry: Entry): SessionView {
		const s = entry.session;
		const persisted = s.persist();
		let enabled: EventProbe[] = [];
		let descriptors: string[] = [];
		if (persisted.status === 'active') {
			// State and context only change through inputs (and guards may read $now()): probe
			// once per input and clock time, not once per push.
			const key = `${s.timeTravel.inputCount}@${s.clock.now()}`;
			if (entry.probeCache?.key === key) enabled = entry.probeCache.enabled;
			else {
				enabled = s.enabledEvents().map((type) => s.probe({ type }));
				entry.probeCache = { key, enabled };
			}
			descriptors = s.enabledDescriptors();
		}
		return {
			id: entry.id,
			workflowId: entry.record.workflowId,
			workflowName: entry.record.workflowName,
			createdAt: entry.createdAt,
			mode: entry.mode,
			forkOf: entry.forkOf,
			status: persisted.status,
			value: persisted.value,
			context: persisted.context,
			error: persisted.error,
			activeStates: [...activeStates(persisted.configuration)],
			lastTransitions: entry.lastTransitions,
			enabled,
			descriptors,
			paused: s.paused,
			hit: s.hit,
			pending: s.pending,
			now: s.clock.now(),
			timers: persisted.timers.map((t) => ({ state: t.state, event: t.event, due: t.startedAt + t.delay })),
			nextDue: s.clock.nextDue(),
			breakpoints: s.breakpoints.toJSON(),
			logSize: s.position,
			realtime: !!entry.realtime,
			inputs: s.timeTravel.inputCount,
			runningEffects: s.timeline.running
		};
	}

	async watch(id: string, callback: (view: SessionView) => void): Promise<number> {
		const n = this.nextWatch++;
		this.watchers.set(n, { id, callback });
		callback(this.viewOf(this.entry(id)));
		return n;
	}

	async unwatch(subscription: number): Promise<void> {
		this.watchers.delete(subscription);
	}

	protected publish(dirty: Set<string>): void {
		if (!this.watchers.size) return;
		for (const id of dirty) {
			const entry = this.entries.get(id);
			if (!entry) continue;
			let view: SessionView | undefined;
			for (const w of this.watchers.values()) {
				if (w.id !== id) continue;
				view ??= this.viewOf(entry);
				w.callback(view);
			}
		}
	}

	/** Stops pushing and saving (the sessions stay in the store for the next page load). */
	async close(): Promise<void> {
		if (this.closed) return;
		if (this.ticker !== undefined) this.clock.clearTimeout(this.ticker);
		this.ticker = undefined;
		this.watchers.clear();
		for (const e of this.entries.values()) this.saveSummaryNow(e);
		await this.shutdown({ closeStore: false });
		this.entries.clear();
	}

	async send(id: string, event: EventObject): Promise<void> {
		this.entry(id).session.send(event);
	}

	async pause(id: string): Promise<void> {
		const e = this.entry(id);
		e.session.pause();
		this.saveSummaryNow(e);
	}

	async resume(id: string): Promise<void> {
		const e = this.entry(id);
		await e.session.resume();
		this.saveSummaryNow(e);
	}

	async step(id: string): Promise<boolean> {
		return this.entry(id).session.step();
	}

	async dropPending(id: string, pendingId: number): Promise<void> {
		this.entry(id).session.dropPending(pendingId);
	}

	async advance(id: string, ms: number): Promise<number> {
		return this.entry(id).session.advance(ms);
	}

	async advanceToNext(id: string): Promise<number> {
		return this.entry(id).session.advanceToNext();
	}

	/** Real time: while running, the virtual clock follows the wall clock (fast-forward still works). */
	async setRealtime(id: string, on: boolean): Promise<void> {
		const e = this.entry(id);
		e.realtime = on;
		this.markDirty(id);
		if (on) this.ensureTicker();
		this.saveSummaryNow(e);
	}

	private ticker: unknown;
	private lastTick = 0;
	/** Every 100 ms of wall time, real-time sessions that run advance by the time that passed. */
	private ensureTicker() {
		if (this.ticker !== undefined || this.closed) return;
		this.lastTick = this.clock.now();
		const tick = () => {
			const now = this.clock.now();
			const elapsed = now - this.lastTick;
			this.lastTick = now;
			let any = false;
			for (const e of this.entries.values()) {
				if (!e.realtime) continue;
				any = true;
				if (!e.session.paused && e.session.snapshot().status === 'active') e.session.advance(elapsed);
			}
			this.ticker = any && !this.closed ? this.clock.setTimeout(tick, 100) : undefined;
		};
		this.ticker = this.clock.setTimeout(tick, 100);
	}

	async toggleBreakpoint(id: string, kind: 'state' | 'transition', key: string, on?: boolean): Promise<void> {
		const e = this.entry(id);
		if (kind === 'state') e.session.toggleStateBreakpoint(key, on);
		else e.session.toggleTransitionBreakpoint(key, on);
		this.saveSummaryNow(e);
	}

	async probe(id: string, event: EventObject): Promise<EventProbe> {
		return this.entry(id).session.probe(event);
	}

	async logPage(id: string, offset: number, limit: number, filter: LogFilter = {}): Promise<{ total: number; rows: LogRow[] }> {
		const entry = this.entry(id);
		const log = entry.session.log;
		const kinds = filter.kinds && filter.kinds.length ? new Set(filter.kinds) : undefined;
		const search = filter.search?.trim().toLowerCase();
		if (!kinds && !search) {
			const rows: LogRow[] = [];
			for (let i = offset; i < Math.min(log.length, offset + limit); i++) rows.push({ position: i + 1, entry: log[i] });
			return { total: log.length, rows };
		}
		const key = JSON.stringify([[...(kinds ?? [])].sort(), search ?? '']);
		let cache = entry.filterCache;
		if (!cache || cache.key !== key) cache = entry.filterCache = { key, size: 0, positions: [] };
		for (let i = cache.size; i < log.length; i++) {
			const e = log[i];
			if (kinds && !kinds.has(e.kind)) continue;
			if (search && !entryText(e).includes(search)) continue;
			cache.positions.push(i + 1);
		}
		cache.size = log.length;
		const rows = cache.positions.slice(offset, offset + limit).map((p) => ({ position: p, entry: log[p - 1] }));
		return { total: cache.positions.length, rows };
	}

	async at(id: string, position: number): Promise<MomentView> {
		const t0 = performance.now();
		const session = this.entry(id).session;
		const m = session.at(position);
		const ms = performance.now() - t0;
		const time = session.log[Math.min(position, session.log.length) - 1]?.time ?? 0;
		// The transitions of the macrostep that position belongs to.
		const tt = session.timeTravel;
		const from = tt.positionOfInput(m.inputs);
		const to = Math.min(tt.endOfInput(m.inputs), session.log.length);
		const transitions: string[] = [];
		for (let p = Math.max(1, from); p <= to; p++) {
			const e = session.log[p - 1];
			if (e?.kind === 'transition') transitions.push(e.transition);
		}
		return {
			position,
			inputs: m.inputs,
			value: m.snapshot.value,
			context: m.snapshot.context,
			status: m.snapshot.status,
			activeStates: [...activeStates(m.snapshot.configuration)],
			transitions,
			...(m.snapshot.status === 'active' ? session.enabledAt(m.snapshot, time) : {}),
			time,
			ms
		};
	}

	/** The moment right after input `n` (its whole macrostep), for stepping through time input by input. */
	async atInput(id: string, n: number): Promise<MomentView> {
		const tt = this.entry(id).session.timeTravel;
		const k = Math.max(0, Math.min(n, tt.inputCount));
		return this.at(id, Math.max(1, tt.endOfInput(k)));
	}

	async fork(id: string, position: number, options: StartOptions = {}): Promise<string> {
		const parent = this.entry(id);
		const newId = options.id ?? newInstanceId('sim', this.clock.now());
		if (this.entries.has(newId)) throw new Error(`An instance "${newId}" already exists.`);
		const mode = options.mode ?? parent.mode;
		const record = this.newRecord(newId, parent.record.workflow, mode, { host: 'simulator', status: 'active', context: {} });
		const entry = this.newEntry(record, { mode, clock: new VirtualClock(0), stubs: options.stubs ?? parent.stubs, forkOf: { id, position } });
		const session = forkFromLog(parent.record.workflow, parent.session.log, position, {
			createInterpreter: this.create,
			index: parent.session.index,
			checkpointEvery: this.checkpointEvery,
			timeTravel: parent.session.timeTravel,
			clock: entry.clock,
			runEffect: this.sessionRunEffect(entry),
			paused: options.paused ?? false,
			onEvent: this.sink(entry, () => entry.session ?? null)
		});
		this.adopt(entry, session);
		this.register(entry);
		// The shared prefix is part of the new instance's log too, then what it does itself.
		for (const e of session.log) this.record(entry, e);
		// From here on the copy runs in another mode: its log says so.
		if (mode !== parent.mode) session.note(runModeLog(mode, entry.clock.now()));
		session.start();
		this.saveSnapshot(entry, session.persist());
		this.saveSummaryNow(entry);
		return newId;
	}

	async timeline(id: string, limit = 1000): Promise<{ spans: Span[]; total: number; ai?: AiRunTotals }> {
		const t = this.entry(id).session.timeline;
		return { spans: t.rows(limit).map((s) => ({ ...s, children: [] })), total: t.size, ...(t.ai ? { ai: t.ai } : {}) };
	}

	async coverage(id: string | string[]): Promise<Coverage> {
		const ids = Array.isArray(id) ? id : [id];
		const entries = ids.map((i) => this.entry(i));
		if (entries.length === 1) return entries[0].session.coverage();
		return coverageOf(
			entries.map((e) => e.session.log),
			entries[0] ? indexWorkflow(entries[0].record.workflow) : undefined
		);
	}

	async generatePaths(workflow: Workflow, options: Omit<PathOptions, 'createInterpreter' | 'index'> = {}): Promise<PathsResult> {
		return generatePaths(workflow, { ...options, createInterpreter: this.create });
	}

	async exportVitest(workflow: Workflow, paths: PathsResult): Promise<string> {
		return exportVitest(workflow, paths);
	}

	async stop(id: string): Promise<void> {
		const e = this.entry(id);
		e.session.stop();
		this.saveSummaryNow(e);
	}

	async remove(id: string): Promise<void> {
		const e = this.entries.get(id);
		if (!e) return;
		this.detach(e);
		this.forget(id);
		for (const [n, w] of this.watchers) if (w.id === id) this.watchers.delete(n);
		if (this.store) await this.store.deleteInstance(id);
	}

	async pump(id: string, n: number, chunk = 2000): Promise<{ sent: number; ms: number; perSecond: number }> {
		const s = this.entry(id).session;
		const t0 = performance.now();
		let sent = 0;
		while (sent < n) {
			const end = Math.min(n, sent + chunk);
			for (; sent < end; sent++) {
				const type = s.enabledEvents()[0];
				if (!type) break;
				s.send({ type });
			}
			if (sent < end) break;
			// Yield so view pushes and store flushes interleave with the load.
			await new Promise((r) => setTimeout(r, 0));
		}
		const ms = performance.now() - t0;
		return { sent, ms, perSecond: ms > 0 ? (sent / ms) * 1000 : sent };
	}

	async flush(): Promise<void> {
		this.flushSummaries();
		await this.store?.flush();
	}
}
