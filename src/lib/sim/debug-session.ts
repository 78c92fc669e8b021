import type {
	EffectScope,
	EventObject,
	InstanceEvent,
	Interpreter,
	PersistedSnapshot,
	RunEffect,
	Snapshot
} from '../engine/types';
import type { StatePath, TransitionId, Workflow } from '../model/types';
import { Breakpoints, type BreakpointHit } from './breakpoints';
import { VirtualClock } from './clock';
import { CoverageCounter, type Coverage } from './coverage';
import { createInterpreter as defaultCreate, type CreateInterpreter } from './engine';
import { indexWorkflow, type WorkflowIndex } from './model-index';
import { PendingQueue, type PendingItem } from './pending';
import { forkFromLog } from './fork';
import { probeEvent, type EventProbe } from './probe';
import { TimeTravel, type Moment } from './timetravel';
import { TimelineBuilder } from './timeline';

export type { BreakpointHit, EventProbe, PendingItem };

export interface SessionOptions {
	createInterpreter?: CreateInterpreter;
	/** The real effects executor; the session gates its results while paused. */
	runEffect?: RunEffect;
	clock?: VirtualClock;
	/** Called with every log entry and its 1-based position (e.g. to write it to the event store). */
	onEvent?: (e: InstanceEvent, position: number) => void;
	/** Start paused (events queue up until stepped). */
	paused?: boolean;
	/** Take a checkpoint for time travel every this many inputs (default 500). */
	checkpointEvery?: number;
	/** Start from a recorded history instead of the initial state (fork, reload). */
	from?: { log: InstanceEvent[]; snapshot: PersistedSnapshot };
	/** Called with each checkpoint taken (e.g. to save it as an event-store snapshot). */
	onCheckpoint?: (inputs: number, snapshot: PersistedSnapshot) => void;
	/** Keep the log entries in memory (default true; a bench may turn it off). */
	keepLog?: boolean;
	index?: WorkflowIndex;
}

type Listener = (s: DebugSession) => void;

/**
 * A debug session around one engine interpreter: pause/resume, single-stepping through a
 * queue of pending inputs (user events, due timers, finished effects), a virtual clock for
 * `after` delays, breakpoints on states and transitions, time travel and forking.
 *
 * Breakpoints pause *after* the macrostep that hit them (a macrostep runs to completion,
 * as in any statechart); everything that would enter the instance afterwards waits in the
 * pending queue until stepped or resumed.
 */
export class DebugSession {
	readonly workflow: Workflow;
	readonly clock: VirtualClock;
	readonly index: WorkflowIndex;
	readonly log: InstanceEvent[] = [];
	readonly breakpoints = new Breakpoints();
	readonly timeTravel: TimeTravel;
	readonly timeline = new TimelineBuilder();
	readonly coverageCounter = new CoverageCounter();
	paused: boolean;
	hit: BreakpointHit | undefined;
	/** Position of the last log entry. */
	position = 0;
	private readonly queue = new PendingQueue();
	private interpreter: Interpreter;
	private create: CreateInterpreter;
	private listeners = new Set<Listener>();
	private inputsSinceCheckpoint = 0;
	private readonly checkpointEvery: number;
	private readonly keepLog: boolean;
	private readonly sink?: SessionOptions['onEvent'];
	private readonly onCheckpoint?: SessionOptions['onCheckpoint'];
	private delivering = 0;
	private started = false;
	private readonly realRunEffect?: RunEffect;

	constructor(workflow: Workflow, options: SessionOptions = {}) {
		this.workflow = workflow;
		this.create = options.createInterpreter ?? defaultCreate;
		this.clock = options.clock ?? new VirtualClock(0);
		this.index = options.index ?? indexWorkflow(workflow);
		this.paused = options.paused ?? false;
		this.checkpointEvery = options.checkpointEvery ?? 500;
		this.keepLog = options.keepLog ?? true;
		this.sink = options.onEvent;
		this.onCheckpoint = options.onCheckpoint;
		this.realRunEffect = options.runEffect;
		this.timeTravel = new TimeTravel(workflow, { createInterpreter: this.create, every: this.checkpointEvery });
		this.clock.onDue = (fire, due, timer) => this.admit({ kind: 'timer', label: `timer due at ${due} ms`, time: due }, fire, timer);
		this.clock.onClear = (timer) => {
			if (this.queue.dropTimer(timer)) this.notify();
		};

		if (options.from) {
			for (const e of options.from.log) this.record(e, false);
			this.timeTravel.addCheckpoint(this.timeTravel.inputCount, options.from.snapshot);
			const last = options.from.log.at(-1);
			if (last && last.time > this.clock.now()) this.clock.set(last.time);
		}
		this.interpreter = this.create(workflow, {
			clock: this.clock,
			runEffect: this.realRunEffect ? (effect, scope) => this.runEffect(effect, scope) : undefined,
			onEvent: (e) => this.record(e, true),
			snapshot: options.from?.snapshot
		});
		this.interpreter.subscribe(() => this.afterMacrostep());
	}

	/**
	 * Records an entry that is not the engine's (the run mode at the start of a run) as if the
	 * instance had reported it: it is numbered, kept in the log and passed to `onEvent`.
	 */
	note(e: InstanceEvent): void {
		this.record(e, true);
		this.notify();
	}

	/** Enter the initial state (or resume the recorded one). */
	start(): this {
		if (this.started) return this;
		this.started = true;
		this.delivering++;
		try {
			this.interpreter.start();
		} finally {
			this.delivering--;
		}
		if (this.timeTravel.inputCount === 0) this.timeTravel.addCheckpoint(0, this.interpreter.persist());
		this.notify();
		return this;
	}

	private record(e: InstanceEvent, live: boolean) {
		this.position++;
		if (this.keepLog) this.log.push(e);
		this.timeTravel.append(e, this.position);
		this.timeline.add(e);
		this.coverageCounter.add(e);
		if (e.kind === 'input') this.inputsSinceCheckpoint++;
		if (live) {
			this.sink?.(e, this.position);
			this.checkBreakpoint(e);
			// Effects report while they run (streamed text, agents' lanes) outside any macrostep: let watchers see it.
			if (e.kind === 'effect' && this.delivering === 0) this.notify();
		}
	}

	private checkBreakpoint(e: InstanceEvent) {
		const hit = this.breakpoints.hitBy(e, this.position);
		if (hit) {
			this.hit = hit;
			this.paused = true;
		}
	}

	private afterMacrostep() {
		if (this.inputsSinceCheckpoint >= this.checkpointEvery) {
			this.inputsSinceCheckpoint = 0;
			const snap = this.interpreter.persist();
			this.timeTravel.addCheckpoint(this.timeTravel.inputCount, snap);
			this.onCheckpoint?.(this.timeTravel.inputCount, snap);
		}
		if (this.delivering === 0) this.notify();
	}

	/** Either deliver now, or hold in the pending queue (paused, or others already waiting). */
	private admit(item: Omit<PendingItem, 'id'>, deliver: () => void, timer?: number) {
		if (!this.paused && this.queue.length === 0) {
			this.run(deliver);
			return;
		}
		this.queue.push(item, deliver, timer);
		this.notify();
	}

	private run(deliver: () => void) {
		this.delivering++;
		try {
			deliver();
		} finally {
			this.delivering--;
		}
		this.notify();
	}

	private runEffect(effect: Parameters<RunEffect>[0], scope: EffectScope): Promise<unknown> {
		// Not a spread: the engine's `context` is a getter that must stay live.
		const gatedScope: EffectScope = {
			get context() {
				return scope.context;
			},
			event: scope.event,
			signal: scope.signal,
			state: scope.state,
			traceId: scope.traceId,
			emit: (event) => scope.emit(event),
			report: (e) => scope.report(e),
			send: (event) => this.admit({ kind: 'event', label: event.type, event, time: this.clock.now() }, () => scope.send(event)),
			assign: (patch) => this.admit({ kind: 'effect', label: `${effect.type} assign`, time: this.clock.now() }, () => scope.assign(patch))
		};
		const label = effect.id ?? effect.type;
		return this.realRunEffect!(effect, gatedScope).then(
			(value) => this.gate(`${label} done`, () => value),
			(error) =>
				this.gate(`${label} failed`, () => {
					throw error;
				})
		);
	}

	/** Hold an effect's outcome while paused; the engine sees it when it is stepped. */
	private gate<T>(label: string, outcome: () => T): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			this.admit({ kind: 'effect', label, time: this.clock.now() }, () => {
				try {
					resolve(outcome());
				} catch (err) {
					reject(err);
				}
			});
		});
	}

	/** Send an event: delivered now when running, queued when paused. */
	send(event: EventObject | string): void {
		const ev = typeof event === 'string' ? { type: event } : event;
		this.admit({ kind: 'event', label: ev.type, event: ev, time: this.clock.now() }, () => this.interpreter.send(ev));
	}

	pause(): void {
		this.paused = true;
		this.notify();
	}

	/** Run again: deliver the pending queue in order until empty or a breakpoint pauses again. */
	async resume(): Promise<void> {
		this.paused = false;
		this.hit = undefined;
		while (!this.paused && this.queue.length) await this.deliverNext();
		this.notify();
	}

	/** Deliver exactly one pending item (stays paused). Returns false when nothing was pending. */
	async step(): Promise<boolean> {
		this.paused = true;
		this.hit = undefined;
		if (!this.queue.length) return false;
		await this.deliverNext();
		this.paused = true;
		this.notify();
		return true;
	}

	private async deliverNext() {
		const item = this.queue.shift();
		if (!item) return;
		const before = this.timeTravel.inputCount;
		this.run(item.deliver);
		if (item.kind === 'effect') {
			// The engine reacts to a settled promise a few microtasks later.
			for (let i = 0; i < 20 && this.timeTravel.inputCount === before; i++) await Promise.resolve();
		}
	}

	/** Drop a pending item without delivering it. */
	dropPending(id: number): void {
		this.queue.drop(id);
		this.notify();
	}

	get pending(): PendingItem[] {
		return this.queue.view();
	}

	/** Fast-forward the virtual clock; due `after` timers fire (or queue, when paused). */
	advance(ms: number): number {
		const fired = this.clock.advance(ms);
		this.notify();
		return fired;
	}

	/** Fast-forward to the next pending timer. */
	advanceToNext(): number {
		const fired = this.clock.advanceToNext();
		this.notify();
		return fired;
	}

	toggleStateBreakpoint(state: StatePath, on?: boolean): void {
		this.breakpoints.toggle('state', state, on);
		this.notify();
	}

	toggleTransitionBreakpoint(transition: TransitionId, on?: boolean): void {
		this.breakpoints.toggle('transition', transition, on);
		this.notify();
	}

	snapshot(): Snapshot {
		return this.interpreter.snapshot();
	}

	persist(): PersistedSnapshot {
		return this.interpreter.persist();
	}

	enabledEvents(): string[] {
		return this.interpreter.enabledEvents();
	}

	/** Wildcard descriptors of the active states (`*`, `error.*`): events beyond `enabledEvents()` they accept. */
	enabledDescriptors(): string[] {
		return this.interpreter.enabledDescriptors();
	}

	/**
	 * Would this event be taken now? Probes a throw-away replay-mode copy of the instance, so
	 * guards are evaluated by the engine itself and nothing runs or is recorded. With `at`, the
	 * copy starts from that snapshot instead (a past moment, read only).
	 */
	probe(event: EventObject | string, at?: { snapshot: PersistedSnapshot; now: number }): EventProbe {
		const ev = typeof event === 'string' ? { type: event } : event;
		return probeEvent(this.create, this.workflow, this.index, at?.snapshot ?? this.interpreter.persist(), at?.now ?? this.clock.now(), ev);
	}

	/** The events a snapshot (a past moment) accepts, probed as `probe` does, and its wildcard descriptors. */
	enabledAt(snapshot: PersistedSnapshot, now: number): { enabled: EventProbe[]; descriptors: string[] } {
		const copy = this.create(this.workflow, { replay: true, clock: new VirtualClock(now), snapshot });
		copy.start();
		const types = copy.enabledEvents();
		const descriptors = copy.enabledDescriptors();
		copy.stop();
		return { enabled: types.map((type) => this.probe({ type }, { snapshot, now })), descriptors };
	}

	/** State and context right after log position `position`. */
	at(position: number): Moment {
		return this.timeTravel.at(position);
	}

	coverage(): Coverage {
		return this.coverageCounter.result(this.index, this.clock.now());
	}

	/**
	 * "Restart from here": a new (started) session whose log starts with this log up to the
	 * end of the macrostep containing `position` and which continues live from that state.
	 */
	fork(position: number, options: Omit<SessionOptions, 'from'> = {}): DebugSession {
		if (!this.keepLog) throw new Error('fork needs the log: create the session with keepLog: true');
		return forkFromLog(this.workflow, this.log, position, {
			createInterpreter: this.create,
			runEffect: this.realRunEffect,
			index: this.index,
			checkpointEvery: this.checkpointEvery,
			...options,
			timeTravel: this.timeTravel
		}).start();
	}

	subscribe(listener: Listener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private notify() {
		for (const l of this.listeners) l(this);
	}

	stop(): void {
		this.interpreter.stop();
		this.queue.clear();
		this.clock.onDue = undefined;
		this.clock.onClear = undefined;
		this.notify();
	}
}

