import type { Clock, EventObject, InstanceEvent, RunEffect } from '../engine/types';
import type { EffectHandler } from '../effects/types';
import { stubHandlers, type StubConfig } from './stubs';
import { runModeLog, runModeOf, type RunMode } from '../effects/simulated';
import { handlersFor, type Handlers } from '../runtime/effect-handlers';
import { withRunInfo } from '../ai/run-info';
import type { Workflow } from '../model/types';
import type { EventStore } from '../store/event-store';
import { toInstanceEvent } from '../store/event-store';
import { VirtualClock } from './clock';
import { coverageOf, type Coverage } from './coverage';
import { createInterpreter as defaultCreate, type CreateInterpreter } from './engine';
import { exportVitest } from './export-tests';
import { activeStates, indexWorkflow } from './model-index';
import { generatePaths, type PathOptions, type PathsResult } from './paths';
import type { LogFilter, LogRow, MomentView, SessionView, SimApi, StartOptions } from './protocol';
import { DebugSession, type EventProbe } from './session';
import type { Span } from './timeline';
import { TimeTravel } from './timetravel';

export interface SimHostOptions {
	createInterpreter?: CreateInterpreter;
	/** Builds the effects executor of a session, on the session's virtual clock, with extra handlers (stubs). */
	runEffectFor?: (clock: Clock, handlers: Record<string, EffectHandler<never>>) => RunEffect;
	/** The handlers of a run mode before stubs (default: simulated answers, or the workspace's AI and MCP handlers when live). */
	handlersFor?: (mode: RunMode, workspaceId: string) => Handlers;
	/** Opens the workspace's event store (omit to keep sessions in memory only). */
	openStore?: (workspaceId: string) => EventStore;
	/** Wall clock for record timestamps. */
	now?: () => number;
	/** Delay between pushed views, ms (default 16: about one per frame). */
	pushEvery?: number;
	/** Save a snapshot every this many inputs (default 500). */
	checkpointEvery?: number;
}

interface Entry {
	id: string;
	workflow: Workflow;
	session: DebugSession;
	createdAt: number;
	forkOf?: { id: string; position: number };
	stubs: StubConfig;
	mode: RunMode;
	/** The virtual clock follows the wall clock while running. */
	realtime?: boolean;
	lastTransitions: string[];
	collecting: string[];
	filterCache?: { key: string; size: number; positions: number[] };
	/** Guard probes of the enabled events, valid while no input has been applied since. */
	probeCache?: { key: string; enabled: EventProbe[] };
}

/** What is saved per session so a reload can resume it (kept in the store's settings table). */
interface SavedSession {
	id: string;
	paused: boolean;
	breakpoints: { states: string[]; transitions: string[] };
	forkOf?: { id: string; position: number };
	now: number;
	stubs?: StubConfig;
	/** Absent in sessions saved before run modes existed (they ran live). */
	mode?: RunMode;
	realtime?: boolean;
	/** Wall-clock time of the save, so a real-time session catches up after a reload. */
	savedAt?: number;
}

const SETTINGS_KEY = 'sim:sessions';

function entryText(e: InstanceEvent): string {
	return JSON.stringify(e).toLowerCase();
}

let idCounter = 0;
function newId(now: number): string {
	idCounter++;
	return `sim-${now.toString(36)}-${Math.random().toString(36).slice(2, 7)}${idCounter}`;
}

/**
 * The simulator's worker side: debug sessions by id, their event logs written to the
 * workspace's event store, throttled view pushes to the UI, and resume after a reload.
 * Runs unchanged in Node (tests) and in `src/workers/sim.worker.ts` (behind Comlink).
 */
export class SimHost implements SimApi {
	private entries = new Map<string, Entry>();
	/** Sessions saved by an earlier page, not rebuilt yet. */
	private saved = new Map<string, SavedSession>();
	private restoreErrors: { id: string; message: string }[] = [];
	private watchers = new Map<number, { id: string; callback: (v: SessionView) => void }>();
	private nextWatch = 1;
	private dirty = new Set<string>();
	private pushTimer: ReturnType<typeof setTimeout> | undefined;
	private store?: EventStore;
	private workspaceId = 'default';
	private readonly create: CreateInterpreter;
	private readonly now: () => number;
	private readonly pushEvery: number;
	private readonly checkpointEvery: number;

	constructor(private options: SimHostOptions = {}) {
		this.create = options.createInterpreter ?? defaultCreate;
		this.now = options.now ?? (() => Date.now());
		this.pushEvery = options.pushEvery ?? 16;
		this.checkpointEvery = options.checkpointEvery ?? 500;
	}

	async init(opts: { workspaceId?: string; persist?: boolean; resume?: 'all' | 'lazy' } = {}) {
		const resumed: string[] = [];
		this.workspaceId = opts.workspaceId ?? this.workspaceId;
		if (opts.persist === false || !this.options.openStore) return { resumed, errors: [] };
		if (!this.store) {
			this.store = this.options.openStore(opts.workspaceId ?? 'default');
			await this.store.ready;
			const saved = ((await this.store.db.settings.get(SETTINGS_KEY))?.value ?? []) as SavedSession[];
			for (const s of saved) if (!this.entries.has(s.id)) this.saved.set(s.id, s);
		}
		// Sessions are rebuilt when their workflow is opened (`list`), unless asked for all now.
		if (opts.resume === 'all') resumed.push(...(await this.resumeWhere(() => true)));
		return { resumed, errors: [...this.restoreErrors] };
	}

	/** Resumes the saved sessions that match; returns their ids. Failures go to `restoreErrors`. */
	private async resumeWhere(match: (workflowId: string | undefined) => boolean): Promise<string[]> {
		const done: string[] = [];
		for (const s of [...this.saved.values()]) {
			const record = this.store?.getInstance(s.id);
			if (!match(record?.workflowId)) continue;
			this.saved.delete(s.id);
			try {
				await this.resumeSaved(s);
				done.push(s.id);
			} catch (err) {
				this.restoreErrors.push({ id: s.id, message: `The simulated instance ${s.id} could not be resumed: ${err instanceof Error ? err.message : String(err)}` });
			}
		}
		return done;
	}

	/** Sessions that could not be resumed after a reload. */
	async errors(): Promise<{ id: string; message: string }[]> {
		return [...this.restoreErrors];
	}

	/** Rebuilds a session from its stored log: latest snapshot + the inputs after it. */
	private async resumeSaved(saved: SavedSession) {
		const store = this.store!;
		const rows = await store.getLog(saved.id);
		const record = store.getInstance(saved.id);
		if (!record) throw new Error(`The instance ${saved.id} is no longer in the event store.`);
		const log = rows.map(toInstanceEvent);
		const snaps = await store.db.snapshots.where('[instanceId+seq]').between([saved.id, 0], [saved.id, Infinity]).toArray();
		const tt = new TimeTravel(record.workflow, { createInterpreter: this.create, every: this.checkpointEvery }).appendAll(log);
		for (const s of snaps) tt.addCheckpoint(s.snapshot.seq, s.snapshot);
		const snapshot = tt.snapshotAfter(tt.inputCount);
		const clock = new VirtualClock(Math.max(saved.now, log.at(-1)?.time ?? 0));
		const mode = saved.mode ?? runModeOf(log) ?? 'live';
		const session = new DebugSession(record.workflow, {
			createInterpreter: this.create,
			clock,
			runEffect: this.runEffect(saved.id, record.workflow, clock, saved.stubs ?? {}, mode),
			paused: saved.paused,
			checkpointEvery: this.checkpointEvery,
			from: { log, snapshot },
			onEvent: (e) => this.onSessionEvent(saved.id, e),
			onCheckpoint: (_n, snap) => this.store?.saveSnapshot(saved.id, snap)
		});
		for (const s of saved.breakpoints.states) session.breakpoints.states.add(s);
		for (const t of saved.breakpoints.transitions) session.breakpoints.transitions.add(t);
		clock.set(Math.max(saved.now, clock.now()));
		this.add({ id: saved.id, workflow: record.workflow, session, createdAt: record.createdAt, forkOf: saved.forkOf, stubs: saved.stubs ?? {}, mode, realtime: saved.realtime, lastTransitions: [], collecting: [] });
		session.start();
		if (saved.realtime) {
			// Time went on while the page was closed.
			if (!session.paused && saved.savedAt) session.advance(Math.max(0, this.now() - saved.savedAt));
			this.ensureTicker();
		}
	}

	private add(entry: Entry) {
		this.entries.set(entry.id, entry);
		entry.session.subscribe(() => this.markDirty(entry.id));
	}

	private onSessionEvent(id: string, e: InstanceEvent) {
		const entry = this.entries.get(id);
		if (entry) {
			if (e.kind === 'input') entry.collecting = [];
			else if (e.kind === 'transition') {
				entry.collecting.push(e.transition);
				entry.lastTransitions = entry.collecting;
			}
		}
		if (this.store) {
			this.store.append(id, e);
			if (e.kind === 'status' && entry) {
				this.store.updateInstance(id, { status: e.status });
			}
		}
	}

	private entry(id: string): Entry {
		const e = this.entries.get(id);
		if (!e) throw new Error(`No simulated instance "${id}". Start one first.`);
		return e;
	}

	/** The executor of one session: its mode's handlers with the user's stubs on top, on the session's clock. */
	private runEffect(id: string, workflow: Workflow, clock: Clock, stubs: StubConfig, mode: RunMode): RunEffect | undefined {
		if (!this.options.runEffectFor) return undefined;
		const base = (this.options.handlersFor ?? handlersFor)(mode, this.workspaceId);
		const run = this.options.runEffectFor(clock, stubHandlers(stubs, base));
		return withRunInfo(run, { instanceId: id, workflowId: workflow.id, workflowName: workflow.name, budget: workflow.budget });
	}

	private newSession(id: string, workflow: Workflow, opts: { paused?: boolean; clock?: VirtualClock; stubs: StubConfig; mode: RunMode }) {
		const clock = opts.clock ?? new VirtualClock(0);
		return new DebugSession(workflow, {
			createInterpreter: this.create,
			clock,
			runEffect: this.runEffect(id, workflow, clock, opts.stubs, opts.mode),
			paused: opts.paused,
			checkpointEvery: this.checkpointEvery,
			onEvent: (e) => this.onSessionEvent(id, e),
			onCheckpoint: (_n, snap) => this.store?.saveSnapshot(id, snap)
		});
	}

	private register(id: string, workflow: Workflow, createdAt: number, mode: RunMode) {
		if (!this.store) return;
		this.store.createInstance({
			id,
			mode,
			workflowId: workflow.id,
			workflowName: workflow.name,
			workflow,
			createdAt,
			updatedAt: createdAt,
			status: 'active',
			inputs: 0,
			value: null,
			context: {},
			// The runtime worker resumes `running` instances; simulated ones are resumed here.
			running: false
		});
	}

	async start(workflow: Workflow, options: StartOptions = {}): Promise<string> {
		const id = options.id ?? newId(this.now());
		if (this.entries.has(id)) throw new Error(`An instance "${id}" already exists.`);
		const createdAt = this.now();
		const stubs = options.stubs ?? {};
		const mode = options.mode ?? 'simulated';
		// Compiling may fail (a workflow with errors): nothing is registered then.
		const session = this.newSession(id, workflow, { paused: options.paused, stubs, mode });
		this.register(id, workflow, createdAt, mode);
		this.add({ id, workflow, session, createdAt, stubs, mode, lastTransitions: [], collecting: [] });
		// The log says how this run treats the outside world, before anything happens.
		session.note(runModeLog(mode, session.clock.now()));
		session.start();
		await this.saveSessions();
		return id;
	}

	async list(workflowId?: string): Promise<SessionView[]> {
		if (this.saved.size) await this.resumeWhere((w) => !workflowId || w === workflowId);
		return [...this.entries.values()]
			.filter((e) => !workflowId || e.workflow.id === workflowId)
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
		if (persisted.status === 'active') {
			// State and context only change through inputs (and guards may read $now()): probe
			// once per input and clock time, not once per push.
			const key = `${s.timeTravel.inputCount}@${s.clock.now()}`;
			if (entry.probeCache?.key === key) enabled = entry.probeCache.enabled;
			else {
				enabled = s.enabledEvents().map((type) => s.probe({ type }));
				entry.probeCache = { key, enabled };
			}
		}
		const running = s.timeline.running;
		return {
			id: entry.id,
			workflowId: entry.workflow.id,
			workflowName: entry.workflow.name,
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
			paused: s.paused,
			hit: s.hit,
			pending: s.pending,
			now: s.clock.now(),
			timers: persisted.timers.map((t) => ({ state: t.state, event: t.event, due: t.startedAt + t.delay })),
			nextDue: s.clock.nextDue(),
			breakpoints: { states: [...s.breakpoints.states], transitions: [...s.breakpoints.transitions] },
			logSize: s.position,
			realtime: !!entry.realtime,
			inputs: s.timeTravel.inputCount,
			runningEffects: running
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

	private markDirty(id: string) {
		if (this.closed) return;
		this.dirty.add(id);
		if (this.pushTimer !== undefined) return;
		// Under load (many inputs per push) the UI gets ~10 views a second instead of ~60: the
		// canvas redraw per view is what costs the main thread, not the view itself.
		this.pushTimer = setTimeout(() => this.push(), this.busy ? Math.max(this.pushEvery, 100) : this.pushEvery);
	}

	private busy = false;
	private pushedInputs = new Map<string, number>();

	private push() {
		this.pushTimer = undefined;
		const ids = [...this.dirty];
		let inputs = 0;
		for (const id of ids) {
			const n = this.entries.get(id)?.session.timeTravel.inputCount ?? 0;
			inputs += n - (this.pushedInputs.get(id) ?? n);
			this.pushedInputs.set(id, n);
		}
		this.busy = inputs > 20;
		this.dirty.clear();
		for (const id of ids) {
			const entry = this.entries.get(id);
			if (!entry) continue;
			const watchers = [...this.watchers.values()].filter((w) => w.id === id);
			if (watchers.length) {
				const view = this.viewOf(entry);
				for (const w of watchers) w.callback(view);
			}
			if (this.store) {
				const snap = entry.session.snapshot();
				this.store.updateInstance(id, {
					status: snap.status,
					value: snap.value,
					context: snap.context,
					inputs: entry.session.timeTravel.inputCount,
					error: snap.error
				});
			}
		}
		// The saved list only needs the clock and the paused flag fresh: once a second is plenty.
		const now = this.now();
		if (now - this.lastSave >= 1000) {
			this.lastSave = now;
			this.saveSessions().catch((err) => console.warn('Could not save the simulator sessions', err));
		}
	}

	private lastSave = 0;

	/** Stops pushing and saving (the sessions stay in the store for the next page load). */
	async close(): Promise<void> {
		this.closed = true;
		if (this.ticker !== undefined) clearInterval(this.ticker);
		this.ticker = undefined;
		if (this.pushTimer !== undefined) clearTimeout(this.pushTimer);
		this.pushTimer = undefined;
		this.watchers.clear();
		for (const e of this.entries.values()) e.session.stop();
		this.entries.clear();
		await this.saving?.catch(() => undefined);
		await this.store?.flush();
	}

	async send(id: string, event: EventObject): Promise<void> {
		this.entry(id).session.send(event);
	}

	async pause(id: string): Promise<void> {
		this.entry(id).session.pause();
		await this.saveSessions();
	}

	async resume(id: string): Promise<void> {
		await this.entry(id).session.resume();
		await this.saveSessions();
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
		await this.saveSessions();
	}

	private ticker: ReturnType<typeof setInterval> | undefined;
	private lastTick = 0;
	private ensureTicker() {
		if (this.ticker !== undefined || this.closed) return;
		this.lastTick = this.now();
		this.ticker = setInterval(() => {
			const now = this.now();
			const elapsed = now - this.lastTick;
			this.lastTick = now;
			let any = false;
			for (const e of this.entries.values()) {
				if (!e.realtime) continue;
				any = true;
				if (!e.session.paused && e.session.snapshot().status === 'active') e.session.advance(elapsed);
			}
			if (!any) {
				clearInterval(this.ticker);
				this.ticker = undefined;
			}
		}, 100);
	}

	async toggleBreakpoint(id: string, kind: 'state' | 'transition', key: string, on?: boolean): Promise<void> {
		const s = this.entry(id).session;
		if (kind === 'state') s.toggleStateBreakpoint(key, on);
		else s.toggleTransitionBreakpoint(key, on);
		await this.saveSessions();
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
		const newIdValue = options.id ?? newId(this.now());
		const createdAt = this.now();
		const mode = options.mode ?? parent.mode;
		this.register(newIdValue, parent.workflow, createdAt, mode);
		const clock = new VirtualClock(0);
		const session = parent.session.fork(position, {
			clock,
			runEffect: this.runEffect(newIdValue, parent.workflow, clock, options.stubs ?? parent.stubs, mode),
			paused: options.paused ?? false,
			onEvent: (e) => this.onSessionEvent(newIdValue, e),
			onCheckpoint: (_n, snap) => this.store?.saveSnapshot(newIdValue, snap)
		});
		// The shared prefix is part of the new instance's log too (written to the store as is).
		if (this.store) {
			for (const e of session.log) this.store.append(newIdValue, e);
			this.store.saveSnapshot(newIdValue, session.persist());
		}
		const forkOf = { id, position };
		this.add({ id: newIdValue, workflow: parent.workflow, session, createdAt, forkOf, stubs: options.stubs ?? parent.stubs, mode, lastTransitions: [], collecting: [] });
		// From here on the copy runs in another mode: its log says so.
		if (mode !== parent.mode) session.note(runModeLog(mode, session.clock.now()));
		session.start();
		await this.saveSessions();
		return newIdValue;
	}

	async timeline(id: string, limit = 1000): Promise<{ spans: Span[]; total: number }> {
		const t = this.entry(id).session.timeline;
		return { spans: t.rows(limit).map((s) => ({ ...s, children: [] })), total: t.size };
	}

	async coverage(id: string | string[]): Promise<Coverage> {
		const ids = Array.isArray(id) ? id : [id];
		const entries = ids.map((i) => this.entry(i));
		if (entries.length === 1) return entries[0].session.coverage();
		return coverageOf(
			entries.map((e) => e.session.log),
			entries[0] ? indexWorkflow(entries[0].workflow) : undefined
		);
	}

	async generatePaths(workflow: Workflow, options: Omit<PathOptions, 'createInterpreter' | 'index'> = {}): Promise<PathsResult> {
		return generatePaths(workflow, { ...options, createInterpreter: this.create });
	}

	async exportVitest(workflow: Workflow, paths: PathsResult): Promise<string> {
		return exportVitest(workflow, paths);
	}

	async stop(id: string): Promise<void> {
		this.entry(id).session.stop();
		this.store?.updateInstance(id, { status: 'stopped' });
	}

	async remove(id: string): Promise<void> {
		const e = this.entries.get(id);
		if (!e) return;
		e.session.stop();
		this.entries.delete(id);
		for (const [n, w] of this.watchers) if (w.id === id) this.watchers.delete(n);
		if (this.store) await this.store.deleteInstance(id);
		await this.saveSessions();
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
		await this.saveSessions();
		await this.store?.flush();
	}

	private closed = false;
	private saving: Promise<void> | undefined;
	private async saveSessions(): Promise<void> {
		if (!this.store || this.closed) return;
		const value: SavedSession[] = [...this.saved.values()];
		value.push(...[...this.entries.values()]
			.filter((e) => e.session.snapshot().status !== 'stopped')
			.map((e) => ({
				id: e.id,
				paused: e.session.paused,
				breakpoints: { states: [...e.session.breakpoints.states], transitions: [...e.session.breakpoints.transitions] },
				forkOf: e.forkOf,
				now: e.session.clock.now(),
				stubs: e.stubs,
				mode: e.mode,
				realtime: e.realtime,
				savedAt: this.now()
			})));
		const prev = this.saving;
		this.saving = (async () => {
			await prev;
			await this.store!.db.settings.put({ key: SETTINGS_KEY, value });
		})();
		await this.saving;
	}
}
