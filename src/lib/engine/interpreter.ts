/**
 * The interpreter: one running instance of a compiled machine.
 *
 * SCXML's algorithm (microsteps with exit set / entry set in document order, macrosteps
 * that run eventless transitions and internal events to completion) with XState v5's
 * naming and transition-domain rules. All nondeterminism (external sends, timer firings,
 * async effect results, context patches) enters through one queue of inputs, each
 * reported as `{ kind: 'input' }` before it is processed, so a replay of the inputs
 * rebuilds the exact same state.
 */
import type { StatePath, StateValue, Workflow } from '../model/types';
import { DONE_INVOKE, ERROR_EFFECT, ERROR_INVOKE } from '../model/events';
import { TIME_SOURCE, truthy, type ExprInput } from '../expr';
import { compile, isDescendant, isInternalEvent, learnEventType, transitionDomain, type CompiledEffect, type Machine, type StateNode, type Transition } from './compile';
import { builtinRunEffect, systemClock } from './clock';
import { RunningEffects, errorMessage, type ScopeRecord } from './async-effects';
import { HistoryMemory } from './history';
import { PendingSends, type SendRecord } from './sends';
import { EMPTY, INIT_EVENT, RESUME_EVENT, clear, newScratch, poolOf, resetScratch, type Scratch } from './scratch';
import type {
	Clock,
	EventObject,
	InstanceEvent,
	InstanceStatus,
	Interpreter,
	InterpreterOptions,
	PersistedSnapshot,
	RunEffect,
	Snapshot
} from './types';

/** Raised inside a macrostep; turns the instance to status 'error'. */
class Failure {
	constructor(readonly info: NonNullable<Snapshot['error']>) {}
}

interface TimerRecord {
	state: StateNode;
	delay: number;
	startedAt: number;
	event: string;
	handle: unknown;
	cancelled: boolean;
}

type Origin = TimerRecord | ScopeRecord | SendRecord | null;

/** Inputs processed in one synchronous burst before yielding to the event loop. */
const DRAIN_BUDGET = 10_000;

let traceCounter = 0;

const machineCache = new WeakMap<Workflow, Machine>();

/** Compile once per workflow object (cached), or pass through an already compiled machine. */
export function machineOf(workflowOrMachine: Workflow | Machine): Machine {
	if ((workflowOrMachine as Machine).kind === 'fsm-studio/machine') return workflowOrMachine as Machine;
	const wf = workflowOrMachine as Workflow;
	let m = machineCache.get(wf);
	if (!m) {
		m = compile(wf);
		machineCache.set(wf, m);
	}
	return m;
}

export class EngineInterpreter implements Interpreter {
	readonly machine: Machine;
	private readonly clock: Clock;
	private readonly onEvent: ((e: InstanceEvent) => void) | undefined;
	private readonly runEffect: RunEffect | undefined;
	private readonly replay: boolean;
	private readonly maxMicrosteps: number;
	private readonly restoreFrom: PersistedSnapshot | undefined;

	private started = false;
	private status: InstanceStatus = 'active';
	private error: Snapshot['error'] = undefined;
	private output: unknown = undefined;
	private context: Record<string, unknown>;
	/** True while `context` may be seen outside (snapshots, scopes): copy before writing. */
	private contextShared = true;
	private results: Record<string, unknown> = EMPTY;
	private seq = 0;
	/** Active flag per state (document order). A packed SMI array: far smaller than a typed array for small machines. */
	private readonly active: number[];
	/** What history states remember (engine/history.ts); null until a state with history is exited. */
	private history: HistoryMemory | null = null;
	private timers: TimerRecord[] | null = null;
	/** Pending delayed sends (engine/sends.ts). */
	private sends: PendingSends | null = null;
	/** Running async effects (engine/async-effects.ts); null until the first one starts. */
	private scopes: RunningEffects | null = null;
	/** States entered in this macrostep that have an invoke, with the event that entered them. */
	private toInvoke: { state: StateNode; event: EventObject }[] | null = null;

	private processing = false;
	/** Set when a microstep reached the workflow's end; it ends once the microstep has entered everything. */
	private ending = false;
	private queue: EventObject[] | null = null;
	private origins: Origin[] | null = null;
	private preStart: EventObject[] | null = null;
	private listeners: ((s: Snapshot) => void)[] | null = null;
	private cached: Snapshot | null = null;
	private now = 0;
	private nowStale = false;
	private replayTime: number | undefined;
	private traceIdValue: string | undefined;
	/** Set while a long burst of queued inputs waits for its next slice. */
	private yieldHandle: unknown = undefined;

	// Scratch space borrowed from the machine's pool for one macrostep: no per-send array
	// churn, and nothing per instance beyond the active-state bitmap.
	private readonly pool: Scratch[];
	private selected!: Transition[];
	private exitList!: StateNode[];
	private enterMark!: Uint8Array;
	private exitMark!: Uint8Array;
	private assignScratch!: unknown[];
	private input!: ExprInput;
	private internal!: EventObject[];

	constructor(workflow: Workflow | Machine, options: InterpreterOptions = {}) {
		this.machine = machineOf(workflow);
		const base = options.clock ?? systemClock;
		this.replay = options.replay === true;
		this.clock = this.replay
			? { now: () => this.replayTime ?? base.now(), setTimeout: () => undefined, clearTimeout: () => undefined }
			: base;
		this.onEvent = options.onEvent;
		this.runEffect = options.runEffect;
		this.maxMicrosteps = options.maxMicrosteps ?? 1000;
		this.restoreFrom = options.snapshot;
		this.context = this.machine.initialContext;
		const n = this.machine.nodes.length;
		this.active = new Array<number>(n).fill(0);
		this.pool = poolOf(this.machine);
	}

	// ---------------------------------------------------------------- public API

	start(): void {
		if (this.started) return;
		this.started = true;
		this.processing = true;
		try {
			this.now = this.clock.now();
			if (this.restoreFrom) this.restore(this.restoreFrom);
			else {
				this.active[0] = 1;
				this.report({ kind: 'status', time: this.now, status: 'active' });
				this.macrostep(INIT_EVENT, this.machine.initTransition);
			}
		} catch (e) {
			this.fail(e);
		}
		this.processing = false;
		this.changed();
		const pending = this.preStart;
		this.preStart = null;
		// Events sent before start() queue behind what the start sent (FIFO).
		if (pending && this.status === 'active') {
			for (const e of pending) {
				(this.queue ??= []).push(e);
				(this.origins ??= []).push(null);
			}
		}
		this.drain();
	}

	send(event: EventObject | string): void {
		const ev: EventObject = typeof event === 'string' ? { type: event } : event;
		if (ev === null || typeof ev !== 'object' || typeof ev.type !== 'string' || ev.type === '') {
			throw new TypeError(`send() needs an event type: send('OPEN') or send({ type: 'OPEN', ... }), got ${JSON.stringify(event)}`);
		}
		if (!this.started) {
			(this.preStart ??= []).push(ev);
			return;
		}
		this.enqueue(ev, null);
	}

	isStarted(): boolean {
		return this.started;
	}

	/** Start with a given clock time (replay: when the live instance was started). */
	startAt(time: number): void {
		this.replayTime = time;
		this.start();
	}

	/** Replay one recorded input (replay mode): same processing, with the recorded time. */
	replayInput(input: { seq?: number; time: number; event: EventObject }): void {
		this.replayTime = input.time;
		if (!this.started) this.start();
		this.enqueue(input.event, null);
	}

	snapshot(): Snapshot {
		if (this.cached) return this.cached;
		this.contextShared = true;
		const s: Snapshot = { value: this.value(), context: this.context, status: this.status };
		if (this.error) s.error = this.error;
		if (this.output !== undefined) s.output = this.output;
		this.cached = s;
		return s;
	}

	persist(): PersistedSnapshot {
		const s = this.snapshot();
		const configuration: StatePath[] = [];
		for (const leaf of this.machine.leaves) if (this.active[leaf.index]) configuration.push(leaf.path);
		const history: Record<StatePath, StatePath[]> = this.history ? this.history.persist() : {};
		const timers = (this.timers ?? []).map((t) => ({ state: t.state.path, delay: t.delay, startedAt: t.startedAt, event: t.event }));
		const p: PersistedSnapshot = { ...s, configuration, history, timers, seq: this.seq };
		if (this.results !== EMPTY) p.results = this.results;
		if (this.sends !== null && this.sends.size > 0) p.sends = this.sends.persist();
		return p;
	}

	enabledEvents(): string[] {
		const out = new Set<string>();
		const nodes = this.machine.nodes;
		const named = this.machine.namedTypes;
		for (let i = 0; i < nodes.length; i++) {
			if (!this.active[i] || !nodes[i].on) continue;
			for (const type of nodes[i].on!.keys()) if (named.has(type) && !isInternalEvent(type)) out.add(type);
		}
		return [...out];
	}

	enabledDescriptors(): string[] {
		const out = new Set<string>();
		const nodes = this.machine.nodes;
		for (let i = 0; i < nodes.length; i++) {
			const w = nodes[i].wildcards;
			if (this.active[i] && w !== null) for (const d of w) out.add(d);
		}
		return [...out];
	}

	subscribe(listener: (s: Snapshot) => void): () => void {
		(this.listeners ??= []).push(listener);
		return () => {
			if (!this.listeners) return;
			const i = this.listeners.indexOf(listener);
			if (i >= 0) this.listeners.splice(i, 1);
			if (this.listeners.length === 0) this.listeners = null;
		};
	}

	/** Stop: cancel timers and effects. An active instance becomes 'stopped'; 'done' and 'error' stay. */
	stop(): void {
		if (this.status === 'stopped') return;
		this.started = true;
		this.cancelAll();
		this.queue = null;
		this.origins = null;
		if (this.status !== 'active') return;
		this.status = 'stopped';
		this.report({ kind: 'status', time: this.clock.now(), status: 'stopped' });
		this.changed();
	}

	// ---------------------------------------------------------------- queue

	private enqueue(event: EventObject, origin: Origin): void {
		if (this.status !== 'active') return;
		// Queue while processing, and behind inputs whose processing was deferred (FIFO).
		if (this.processing || this.yieldHandle !== undefined) {
			(this.queue ??= []).push(event);
			(this.origins ??= []).push(origin);
			return;
		}
		this.processing = true;
		this.process(event, origin);
		this.processing = false;
		this.drain();
	}

	private drain(): void {
		const queue = this.queue;
		const origins = this.origins;
		if (this.processing || queue === null || origins === null || queue.length === 0) return;
		this.processing = true;
		// Index walk, then one truncation: no shift() per event.
		let i = 0;
		for (; i < queue.length; i++) {
			if (this.status !== 'active') break;
			if (i === DRAIN_BUDGET && !this.replay) break;
			this.process(queue[i], origins[i]);
		}
		if (this.status === 'active' && i < queue.length) {
			// Events keep arriving synchronously (an effect or listener that sends on every
			// step): yield to the event loop instead of freezing the thread. Same order, so
			// the inputs and the state are exactly as without the pause.
			queue.splice(0, i);
			origins.splice(0, i);
			this.processing = false;
			this.yieldHandle = this.clock.setTimeout(() => {
				this.yieldHandle = undefined;
				this.drain();
			}, 0);
			return;
		}
		clear(queue);
		clear(origins);
		this.processing = false;
	}

	/** One input → one macrostep. Never throws. */
	private process(event: EventObject, origin: Origin): void {
		if (this.status !== 'active') return;
		if (origin !== null) {
			if (origin.cancelled) return; // its state was left: the result is stale
			if ('send' in origin) this.sends?.delivered(origin);
			else if ('controller' in origin && (event.type.startsWith(DONE_INVOKE) || event.type.startsWith('error.'))) this.scopes?.settle(origin);
		} else if (this.sends !== null && this.replay && this.sends.size > 0) this.sends.consumeReplayed(event, this.clock.now());
		const seq = ++this.seq;
		// Time is read once per input; without a listener nobody records it, so read it lazily.
		if (this.onEvent) {
			this.now = this.clock.now();
			this.report({ kind: 'input', seq, time: this.now, event });
		} else this.nowStale = true;
		try {
			this.macrostep(event, null);
		} catch (e) {
			this.fail(e);
		}
		this.changed();
	}

	// ---------------------------------------------------------------- macrostep

	private macrostep(event: EventObject, initial: Transition | null): void {
		const sc = this.pool.pop() ?? newScratch(this.machine.nodes.length);
		this.selected = sc.selected;
		this.exitList = sc.exitList;
		this.enterMark = sc.enter;
		this.exitMark = sc.exit;
		this.assignScratch = sc.values;
		this.input = sc.input;
		sc.input[TIME_SOURCE] = this;
		this.internal = sc.internal;
		let ok = false;
		try {
			this.runMacrostep(event, initial);
			ok = true;
		} finally {
			if (!ok) resetScratch(sc);
			sc.input.event = INIT_EVENT;
			sc.input.context = EMPTY;
			sc.input.results = EMPTY;
			sc.input[TIME_SOURCE] = undefined;
			this.pool.push(sc);
		}
	}

	private runMacrostep(event: EventObject, initial: Transition | null): void {
		let steps = 0;
		const sel = this.selected;
		if (initial) {
			clear(sel);
			sel.push(initial);
			this.microstep(sel, event);
		} else {
			const type = event.type;
			const dotted = type.indexOf('.') > 0;
			if (dotted && type === 'fsm.assign') this.applyPatch(event);
			else if (dotted && type === 'fsm.send') this.applySend(event);
			else if (dotted && type === 'fsm.cancel') this.cancelSend(String(event.sendid));
			else {
				if (dotted) {
					if (type.startsWith('after.')) this.consumeTimer(type);
					else if (type.startsWith(DONE_INVOKE)) this.consumeInvokeResult(event);
				}
				if (this.select(event)) this.microstep(sel, event);
				else if (dotted && type.startsWith('error.')) this.unhandledError(event);
			}
		}
		const hasAlways = this.machine.hasAlways;
		while (this.status === 'active') {
			if (hasAlways && this.selectEventless(event)) {
				if (++steps > this.maxMicrosteps) {
					const t = sel[0];
					throw new Failure({
						message: `Eventless transitions did not settle after ${this.maxMicrosteps} microsteps in state "${t.source.path}"`,
						state: t.source.path,
						transition: t.id
					});
				}
				this.microstep(sel, event);
				continue;
			}
			if (this.internal.length === 0) break;
			event = this.internal.shift()!;
			if (this.select(event)) {
				if (++steps > this.maxMicrosteps) {
					const t = sel[0];
					throw new Failure({
						message: `Raised events did not settle after ${this.maxMicrosteps} microsteps in state "${t.source.path}" (event "${event.type}")`,
						state: t.source.path,
						transition: t.id
					});
				}
				this.microstep(sel, event);
			}
		}
		clear(this.internal);
		if (this.toInvoke) {
			const list = this.toInvoke;
			this.toInvoke = null;
			// A state left and re-entered within the macrostep is listed twice: start the last entry.
			for (let i = 0; i < list.length && this.status === 'active'; i++) {
				const s = list[i].state;
				let last = true;
				for (let j = i + 1; j < list.length; j++) if (list[j].state === s) last = false;
				if (last && this.active[s.index]) this.startInvoke(s, list[i].event);
			}
		}
	}

	/** Fills `this.selected` with the enabled transitions for the event (SCXML selectTransitions). */
	private select(event: EventObject): boolean {
		const sel = this.selected;
		clear(sel);
		const type = event.type;
		const m = this.machine;
		if (!m.eventTypes.has(type) && !learnEventType(m, type)) return false;
		const leaves = m.leaves;
		const active = this.active;
		for (let i = 0; i < leaves.length; i++) {
			const leaf = leaves[i];
			if (!active[leaf.index]) continue;
			for (let s: StateNode | null = leaf; s !== null; s = s.parent) {
				let t: Transition | null = null;
				const list = s.on !== null ? s.on.get(type) : undefined;
				if (list !== undefined) t = this.firstEnabled(list, event);
				if (t !== null) {
					if (!sel.includes(t)) sel.push(t);
					break;
				}
			}
		}
		if (sel.length > 1) this.removeConflicts();
		return sel.length > 0;
	}

	private selectEventless(event: EventObject): boolean {
		const sel = this.selected;
		clear(sel);
		const leaves = this.machine.leaves;
		const active = this.active;
		for (let i = 0; i < leaves.length; i++) {
			const leaf = leaves[i];
			if (!active[leaf.index]) continue;
			for (let s: StateNode | null = leaf; s !== null; s = s.parent) {
				if (s.always === null) continue;
				const t = this.firstEnabled(s.always, event);
				if (t !== null) {
					if (!sel.includes(t)) sel.push(t);
					break;
				}
			}
		}
		if (sel.length > 1) this.removeConflicts();
		return sel.length > 0;
	}

	private firstEnabled(list: Transition[], event: EventObject): Transition | null {
		for (let i = 0; i < list.length; i++) {
			const t = list[i];
			if (t.guard === null) return t;
			const input = this.input;
			input.context = this.context;
			input.event = event;
			input.results = this.results;
			let v: unknown;
			try {
				v = t.guard.evaluate(input);
			} catch (e) {
				throw new Failure({ message: `Guard of transition ${t.id} failed: ${errorMessage(e)}`, state: t.source.path, transition: t.id });
			}
			if (v === true || (v !== false && truthy(v))) return t;
		}
		return null;
	}

	/**
	 * SCXML's removeConflictingTransitions (Appendix D): two transitions conflict when their
	 * exit sets intersect; then a descendant's preempts its ancestor's, otherwise the earlier
	 * (in the order the atomic states selected them) wins. A transition's exit set is the
	 * active states strictly inside its domain, so it is empty for a targetless transition
	 * and for one whose domain is an atomic state (an atomic self-transition: effects only);
	 * two non-empty exit sets intersect exactly when one domain contains the other.
	 */
	private removeConflicts(): void {
		const sel = this.selected;
		const kept: Transition[] = [];
		const domains: (StateNode | null)[] = [];
		for (const t1 of sel) {
			const d1 = t1.targets === null ? null : this.domainOf(t1);
			if (d1 === null || d1.regions.length === 0) {
				kept.push(t1);
				domains.push(null);
				continue;
			}
			let preempted = false;
			const toRemove: number[] = [];
			for (let j = 0; j < kept.length; j++) {
				const d2 = domains[j];
				if (d2 === null || (d1 !== d2 && !isDescendant(d1, d2) && !isDescendant(d2, d1))) continue;
				if (isDescendant(t1.source, kept[j].source)) toRemove.push(j);
				else {
					preempted = true;
					break;
				}
			}
			if (preempted) continue;
			for (let k = toRemove.length - 1; k >= 0; k--) {
				kept.splice(toRemove[k], 1);
				domains.splice(toRemove[k], 1);
			}
			kept.push(t1);
			domains.push(d1);
		}
		clear(sel);
		for (const t of kept) sel.push(t);
	}

	private domainOf(t: Transition): StateNode {
		if (t.domain !== null) return t.domain;
		return transitionDomain(t.source, t.targets!, this.effectiveTargets(t), t.reenter, this.machine.root);
	}

	private effectiveTargets(t: Transition): StateNode[] {
		const out: StateNode[] = [];
		for (const s of t.targets ?? []) {
			if (s.type !== 'history') out.push(s);
			else {
				const h = this.history?.get(s.path);
				if (h) out.push(...h);
				else if (s.historyDefault) out.push(...this.effectiveTargets(s.historyDefault));
				else if (s.parent) out.push(...this.defaultOf(s.parent));
			}
		}
		return out;
	}

	/** What entering `parent` by default enters directly: its initial child, or all regions. */
	private defaultOf(parent: StateNode): StateNode[] {
		if (parent.type === 'parallel') return parent.regions;
		return parent.initial ? [parent.initial] : [];
	}

	// ---------------------------------------------------------------- microstep

	private microstep(transitions: Transition[], event: EventObject): void {
		const m = this.machine;
		const nodes = m.nodes;
		const active = this.active;
		const exitList = this.exitList;
		clear(exitList);

		// Exit set, deepest/last first.
		if (transitions.length === 1) {
			const t = transitions[0];
			if (t.targets !== null) {
				const d = this.domainOf(t);
				for (let i = d.end; i > d.index; i--) if (active[i]) exitList.push(nodes[i]);
			}
		} else {
			const mark = this.exitMark;
			let lo = nodes.length;
			let hi = -1;
			for (const t of transitions) {
				if (t.targets === null) continue;
				const d = this.domainOf(t);
				for (let i = d.index + 1; i <= d.end; i++) if (active[i]) mark[i] = 1;
				if (d.index + 1 < lo) lo = d.index + 1;
				if (d.end > hi) hi = d.end;
			}
			for (let i = hi; i >= lo; i--) if (mark[i]) {
				mark[i] = 0;
				exitList.push(nodes[i]);
			}
		}

		// Entry set computed before exiting (history targets read the memory recorded below,
		// so record history first, as SCXML does).
		if (exitList.length > 0) {
			for (const s of exitList) if (s.historyChildren.length > 0) (this.history ??= new HistoryMemory()).record(s, this.machine.nodes, this.active);
		}
		const enter = this.enterMark;
		let lo = nodes.length;
		let hi = -1;
		let anyTargets = false;
		for (const t of transitions) {
			if (t.targets === null) continue;
			anyTargets = true;
			const domain = this.domainOf(t);
			for (const s of t.targets) {
				if (s.type !== 'history' && (t.source !== s || t.source !== domain || t.reenter)) {
					enter[s.index] = 1;
				}
				this.addDescendants(s);
			}
			const eff = t.hasHistoryTarget ? this.effectiveTargets(t) : t.targets;
			for (const s of eff) this.addAncestors(s, domain);
			if (domain.index + 1 < lo) lo = domain.index + 1;
			if (domain.end > hi) hi = domain.end;
			if (t.hasHistoryTarget) {
				// History entry marks the history's parent's descendants, which may lie above the domain.
				for (const s of t.targets) {
					const p = s.parent!;
					if (s.type === 'history' && p.index + 1 < lo) lo = p.index + 1;
					if (s.type === 'history' && p.end > hi) hi = p.end;
				}
			}
		}

		// Exit.
		const report = this.onEvent !== undefined;
		for (let k = 0; k < exitList.length; k++) {
			const s = exitList[k];
			if (s.exit.length > 0) this.runEffects(s.exit, event, s, null, true);
			if (this.timers !== null || this.scopes !== null) this.cancelState(s);
			active[s.index] = 0;
			if (report) this.report({ kind: 'exited', time: this.now, state: s.path });
		}

		// Transition effects.
		for (const t of transitions) {
			if (report && t !== m.initTransition) {
				this.report({ kind: 'transition', time: this.now, event: event.type, transition: t.id, source: t.source.path, targets: t.targetPaths as StatePath[] });
			}
			if (t.effects.length > 0) this.runEffects(t.effects, event, null, t);
		}

		// Enter, in document order.
		if (anyTargets) {
			for (let i = lo; i <= hi; i++) {
				if (!enter[i]) continue;
				enter[i] = 0;
				const s = nodes[i];
				if (active[i]) continue;
				active[i] = 1;
				if (report) this.report({ kind: 'entered', time: this.now, state: s.path });
				if (s.entry.length > 0) this.runEffects(s.entry, event, s, null);
				if (s.after !== null) this.armTimers(s);
				if (s.invoke !== null) (this.toInvoke ??= []).push({ state: s, event });
				if (s.type === 'final') this.enteredFinal(s, event);
			}
		}
		if (this.ending) this.end(event);
	}

	private addDescendants(s: StateNode): void {
		if (s.type === 'history') {
			const h = this.history?.get(s.path);
			const parent = s.parent!;
			const targets = h ?? (s.historyDefault ? this.effectiveTargets(s.historyDefault) : this.defaultOf(parent));
			for (const x of targets) {
				this.enterMark[x.index] = 1;
				this.addDescendants(x);
			}
			for (const x of targets) this.addAncestors(x, parent);
			return;
		}
		if (s.type === 'compound') {
			const init = s.initial!;
			this.enterMark[init.index] = 1;
			this.addDescendants(init);
		} else if (s.type === 'parallel') {
			for (const child of s.regions) {
				if (this.hasMarkedDescendant(child)) continue;
				this.enterMark[child.index] = 1;
				this.addDescendants(child);
			}
		}
	}

	private hasMarkedDescendant(s: StateNode): boolean {
		for (let i = s.index + 1; i <= s.end; i++) if (this.enterMark[i]) return true;
		return false;
	}

	/** Proper ancestors of s up to (excluding) `until`, plus default regions of parallel ancestors. */
	private addAncestors(s: StateNode, until: StateNode): void {
		if (until === s || isDescendant(until, s)) return; // SCXML getProperAncestors: empty set
		for (let anc = s.parent; anc !== null && anc !== until; anc = anc.parent) {
			this.enterMark[anc.index] = 1;
			if (anc.type === 'parallel') this.addMissingRegions(anc);
		}
		// A parallel domain (XState v5: a parallel source targeting its descendant) is not
		// re-entered, but its regions were all exited: enter the others by default.
		if (until.type === 'parallel') this.addMissingRegions(until);
	}

	private addMissingRegions(par: StateNode): void {
		for (const child of par.regions) {
			if (this.enterMark[child.index] || this.hasMarkedDescendant(child)) continue;
			this.enterMark[child.index] = 1;
			this.addDescendants(child);
		}
	}

	private isInFinalState(s: StateNode): boolean {
		if (s.type === 'compound') {
			for (const c of s.regions) if (this.active[c.index] && c.type === 'final') return true;
			return false;
		}
		if (s.type === 'parallel') {
			for (const c of s.regions) if (!this.isInFinalState(c)) return false;
			return true;
		}
		return s.type === 'final' && this.active[s.index] === 1;
	}

	private enteredFinal(s: StateNode, event: EventObject): void {
		const parent = s.parent!;
		const root = this.machine.root;
		let output: unknown = undefined;
		if (s.output !== null) output = this.evalOrFail(s.output, event, { message: '', state: s.path }, 'Output');
		if (parent === root && root.type !== 'parallel') {
			// A top-level final state ends the workflow.
			this.output = output;
			this.ending = true;
			return;
		}
		if (parent.type === 'compound') this.internal.push(output === undefined ? { type: parent.doneEvent } : { type: parent.doneEvent, output });
		// Every parallel state this completes is done too, up the chain (a final state right
		// inside a parallel state is a finished region); the root's completion ends the workflow.
		for (let anc: StateNode | null = parent.type === 'parallel' ? parent : parent.parent; anc !== null && anc.type === 'parallel'; anc = anc.parent) {
			if (!this.isInFinalState(anc)) break;
			if (anc === root) {
				this.ending = true;
				break;
			}
			this.internal.push({ type: anc.doneEvent });
		}
	}

	/**
	 * The workflow reached its end: as SCXML's exitInterpreter and XState do, every active
	 * state is left in exit order, running its exit effects (the state value still shows
	 * where it ended), then the instance is done.
	 */
	private end(event: EventObject): void {
		this.ending = false;
		const nodes = this.machine.nodes;
		const active = this.active;
		const report = this.onEvent !== undefined;
		for (let i = nodes.length - 1; i > 0; i--) {
			if (!active[i]) continue;
			const s = nodes[i];
			if (s.exit.length > 0) this.runEffects(s.exit, event, s, null, true);
			if (report) this.report({ kind: 'exited', time: this.now, state: s.path });
		}
		this.finish();
	}

	private finish(): void {
		this.cancelAll();
		this.status = 'done';
		clear(this.internal);
		this.report({ kind: 'status', time: this.now, status: 'done' });
	}

	// ---------------------------------------------------------------- effects

	private evalOrFail(expr: { evaluate(i: ExprInput): unknown; source: string }, event: EventObject, where: NonNullable<Snapshot['error']>, what: string): unknown {
		const input = this.input;
		input.context = this.context;
		input.event = event;
		input.results = this.results;
		try {
			return expr.evaluate(input);
		} catch (e) {
			throw new Failure({ ...where, message: `${what} failed: ${errorMessage(e)}` });
		}
	}

	/** Where an effect sits, for error reports (built only when something failed). */
	private static whereOf(eff: CompiledEffect, state: StateNode | null, t: Transition | null): NonNullable<Snapshot['error']> {
		const where: NonNullable<Snapshot['error']> = { message: '', effect: eff.label };
		if (state) where.state = state.path;
		if (t) {
			where.transition = t.id;
			where.state = t.source.path;
		}
		return where;
	}

	/**
	 * Runs a list of effects in order. Built-ins run here, synchronously; the rest go to
	 * runEffect. `exiting`: exit effects of `state`, whose async work must outlive the exit.
	 */
	private runEffects(list: CompiledEffect[], event: EventObject, state: StateNode | null, t: Transition | null, exiting = false): void {
		for (let i = 0; i < list.length; i++) {
			const eff = list[i];
			switch (eff.kind) {
				case 'assign':
					this.runAssign(eff, event, state, t);
					break;
				case 'log': {
					const message = eff.message ? (this.evalEffect(eff, (inp) => eff.message!.render(inp), event, state, t) as string) : '';
					if (this.onEvent) this.report({ kind: 'log', time: this.now, message });
					break;
				}
				case 'raise':
				case 'emit': {
					if (!eff.event) break;
					const ev = this.evalEffect(eff, eff.event, event, state, t) as EventObject;
					if (typeof ev.type !== 'string' || ev.type === '') {
						throw new Failure({ ...EngineInterpreter.whereOf(eff, state, t), message: `Effect ${eff.label} produced an event without a type` });
					}
					if (eff.kind === 'raise') this.internal.push(ev);
					else if (this.onEvent) this.report({ kind: 'emit', time: this.now, event: ev });
					break;
				}
				case 'send':
					this.runSend(eff, event, state, t);
					break;
				case 'cancel':
					if (eff.sendid) this.cancelSend(this.evalEffect(eff, (inp) => eff.sendid!.render(inp), event, state, t) as string);
					break;
				default:
					this.startAsync(eff, event, exiting ? null : state, t, false, state);
			}
		}
	}

	/** send: onto the external queue now, or after `delay` ms (a pending send outlives its state). */
	private runSend(eff: CompiledEffect, event: EventObject, state: StateNode | null, t: Transition | null): void {
		if (!eff.event) return;
		const ev = this.evalEffect(eff, eff.event, event, state, t) as EventObject;
		if (typeof ev.type !== 'string' || ev.type === '') {
			throw new Failure({ ...EngineInterpreter.whereOf(eff, state, t), message: `Effect ${eff.label} produced an event without a type` });
		}
		let delay = 0;
		const d = eff.delay;
		if (d !== undefined) {
			const v = typeof d === 'number' ? d : this.evalEffect(eff, (inp) => d.evaluate(inp), event, state, t);
			if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
				throw new Failure({ ...EngineInterpreter.whereOf(eff, state, t), message: `Effect ${eff.label}: the delay ${JSON.stringify(v) ?? 'undefined'} is not a number of milliseconds (0 or more)` });
			}
			delay = v;
		}
		this.scheduleSend(ev, delay, eff.sendId, this.time());
	}

	/**
	 * Puts an event on the external queue (it is processed after this macrostep and recorded
	 * as an input), or arms a pending send. A replay gets the event from the recorded inputs.
	 */
	private scheduleSend(event: EventObject, delay: number, id: string | undefined, startedAt: number): void {
		if (this.status !== 'active') return;
		if (delay <= 0) {
			if (!this.replay) this.enqueue(event, null);
			return;
		}
		(this.sends ??= new PendingSends(this.clock, this.replay, (rec) => this.enqueue(rec.event, rec))).add(event, delay, id, startedAt);
	}

	/** A send scheduled by an async effect: an `fsm.send` input, so a replay makes it too. */
	private applySend(event: EventObject): void {
		const ev = event.event as EventObject;
		const delay = typeof event.delay === 'number' && Number.isFinite(event.delay) && event.delay > 0 ? event.delay : 0;
		if (!ev || typeof ev !== 'object' || typeof ev.type !== 'string' || ev.type === '') return;
		this.scheduleSend(ev, delay, typeof event.id === 'string' && event.id ? event.id : undefined, this.time());
	}

	/** cancel: every pending send with that id is dropped; an unknown id is no error (SCXML). */
	private cancelSend(id: string): void {
		this.sends?.cancel(id);
	}

	private evalEffect(eff: CompiledEffect, fn: (input: ExprInput) => unknown, event: EventObject, state: StateNode | null, t: Transition | null): unknown {
		const input = this.input;
		input.context = this.context;
		input.event = event;
		input.results = this.results;
		try {
			return fn(input);
		} catch (e) {
			throw new Failure({ ...EngineInterpreter.whereOf(eff, state, t), message: `Effect ${eff.label} failed: ${errorMessage(e)}` });
		}
	}

	private runAssign(eff: CompiledEffect, event: EventObject, state: StateNode | null, t: Transition | null): void {
		const keys = eff.assignKeys!;
		const exprs = eff.assignExprs!;
		const values = this.assignScratch;
		const input = this.input;
		input.context = this.context;
		input.event = event;
		input.results = this.results;
		for (let i = 0; i < exprs.length; i++) {
			try {
				values[i] = exprs[i].evaluate(input);
			} catch (e) {
				clear(values);
				throw new Failure({ ...EngineInterpreter.whereOf(eff, state, t), message: `Effect ${eff.label} failed on "${keys[i]}": ${errorMessage(e)}` });
			}
		}
		const ctx = this.writableContext();
		for (let i = 0; i < keys.length; i++) ctx[keys[i]] = values[i];
		clear(values);
	}

	private writableContext(): Record<string, unknown> {
		if (this.contextShared) {
			this.context = { ...this.context };
			this.contextShared = false;
		}
		return this.context;
	}

	private applyPatch(event: EventObject): void {
		const patch = event.patch;
		if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return;
		const ctx = this.writableContext();
		for (const k of Object.keys(patch)) {
			if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
			ctx[k] = (patch as Record<string, unknown>)[k];
		}
	}

	private startInvoke(s: StateNode, event: EventObject): void {
		this.startAsync(s.invoke!, event, s, null, true);
	}

	/**
	 * Hands an effect to runEffect. `state` owns the scope (left → aborted; null: only stop()
	 * aborts it); `from` is the state it is reported under (error.effect.<path>).
	 */
	private startAsync(eff: CompiledEffect, event: EventObject, state: StateNode | null, t: Transition | null, isInvoke: boolean, from: StateNode | null = state): void {
		if (this.replay || this.status !== 'active') return;
		(this.scopes ??= this.runningEffects()).start(eff, event, state, from ?? t?.source ?? null, isInvoke);
	}

	private runningEffects(): RunningEffects {
		const host = {
			clock: this.clock,
			context: () => {
				this.contextShared = true;
				return this.context;
			},
			traceId: () => (this.traceIdValue ??= 'trace-' + (++traceCounter).toString(36)),
			enqueue: (e: EventObject, origin: ScopeRecord) => this.enqueue(e, origin),
			report: (e: InstanceEvent) => this.report(e),
			failOutside: (e: unknown) => this.failOutside(e)
		};
		return new RunningEffects(host, this.runEffect ?? builtinRunEffect(this.clock));
	}

	/** A done.invoke input: remember the output under the invoke's id (or the state path) for `results`. */
	private consumeInvokeResult(event: EventObject): void {
		const path = event.type.slice(DONE_INVOKE.length);
		const node = this.machine.byPath.get(path);
		const key = node?.invoke?.spec.id;
		this.results = { ...this.results, [typeof key === 'string' && key ? key : path]: event.output };
	}

	private unhandledError(event: EventObject): void {
		const type = event.type;
		const rest = type.startsWith(ERROR_INVOKE) ? type.slice(ERROR_INVOKE.length) : type.startsWith(ERROR_EFFECT) ? type.slice(ERROR_EFFECT.length) : undefined;
		const where = rest ? ` on state "${rest}"` : '';
		const info: NonNullable<Snapshot['error']> = {
			message:
				`Unhandled ${type.startsWith(ERROR_INVOKE) ? 'invoke' : 'effect'} failure${typeof event.effect === 'string' ? ` in ${event.effect}` : ''}: ${String(event.error ?? 'unknown error')}. ` +
				`To handle it, add an onError transition${where} (or on a state that contains it).`
		};
		if (rest !== undefined) info.state = rest;
		if (typeof event.effect === 'string') info.effect = event.effect;
		throw new Failure(info);
	}

	// ---------------------------------------------------------------- timers and cancellation

	/** Time of the input being processed (read once per input); `$now()`/`$millis()` use it. */
	time(): number {
		if (this.nowStale) {
			this.now = this.clock.now();
			this.nowStale = false;
		}
		return this.now;
	}

	private armTimers(s: StateNode): void {
		const now = this.time();
		for (const a of s.after!) this.armTimer(s, a.delay, a.event, now);
	}

	private armTimer(s: StateNode, delay: number, event: string, startedAt: number): void {
		if (this.status !== 'active') return; // stopped by a listener in the middle of a macrostep
		const rec: TimerRecord = { state: s, delay, startedAt, event, handle: undefined, cancelled: false };
		(this.timers ??= []).push(rec);
		if (this.replay) return;
		const remaining = Math.max(0, startedAt + delay - this.clock.now());
		rec.handle = this.clock.setTimeout(() => {
			if (!rec.cancelled) this.enqueue({ type: event }, rec);
		}, remaining);
	}

	/** An after.* input: its timer is no longer pending (also when sent by hand). */
	private consumeTimer(type: string): void {
		const timers = this.timers;
		if (!timers) return;
		for (let i = 0; i < timers.length; i++) {
			if (timers[i].event === type) {
				const rec = timers[i];
				rec.cancelled = true;
				if (rec.handle !== undefined) this.clock.clearTimeout(rec.handle);
				timers.splice(i, 1);
				break;
			}
		}
		if (timers.length === 0) this.timers = null;
	}

	private cancelState(s: StateNode): void {
		if (this.timers !== null) {
			const timers = this.timers;
			for (let i = timers.length - 1; i >= 0; i--) {
				const rec = timers[i];
				if (rec.state !== s) continue;
				rec.cancelled = true;
				if (rec.handle !== undefined) this.clock.clearTimeout(rec.handle);
				timers.splice(i, 1);
			}
			if (timers.length === 0) this.timers = null;
		}
		if (this.scopes !== null) this.scopes.abortState(s);
	}

	private cancelAll(): void {
		if (this.yieldHandle !== undefined) {
			this.clock.clearTimeout(this.yieldHandle);
			this.yieldHandle = undefined;
		}
		if (this.timers) for (const rec of this.timers) {
			rec.cancelled = true;
			if (rec.handle !== undefined) this.clock.clearTimeout(rec.handle);
		}
		this.timers = null;
		this.sends?.clear();
		this.sends = null;
		if (this.scopes) {
			const scopes = this.scopes;
			this.scopes = null;
			scopes.abortAll();
		}
		this.toInvoke = null;
	}

	// ---------------------------------------------------------------- status, snapshots

	private fail(e: unknown): void {
		this.ending = false;
		const info: NonNullable<Snapshot['error']> = e instanceof Failure ? e.info : { message: `Internal error: ${errorMessage(e)}` };
		this.cancelAll();
		this.status = 'error';
		this.error = info;
		this.report({ kind: 'status', time: this.clock.now(), status: 'error', error: info });
	}

	/** Errors thrown outside a macrostep (e.g. by a listener during a promise callback). */
	private failOutside(e: unknown): void {
		if (this.status !== 'active') return;
		this.fail(e);
		this.changed();
	}

	/** A throwing onEvent listener must not corrupt a microstep: its error is rethrown asynchronously. */
	private report(e: InstanceEvent): void {
		const on = this.onEvent;
		if (on === undefined) return;
		try {
			on(e);
		} catch (err) {
			queueMicrotask(() => {
				throw err;
			});
		}
	}

	private changed(): void {
		this.cached = null;
		const ls = this.listeners;
		if (ls === null) return;
		const snap = this.snapshot();
		for (const l of ls.slice()) {
			try {
				l(snap);
			} catch (e) {
				this.report({ kind: 'log', time: this.clock.now(), message: `A subscriber threw: ${errorMessage(e)}` });
			}
		}
	}

	private value(): StateValue {
		const root = this.machine.root;
		if (root.type === 'parallel') return this.valueOf(root);
		for (const c of root.regions) if (this.active[c.index]) return c.type === 'compound' || c.type === 'parallel' ? { [c.key]: this.valueOf(c) } : c.key;
		return {};
	}

	private valueOf(s: StateNode): StateValue {
		if (s.type === 'parallel') {
			const o: { [k: string]: StateValue } = {};
			for (const c of s.regions) o[c.key] = c.type === 'compound' || c.type === 'parallel' ? this.valueOf(c) : {};
			return o;
		}
		for (const c of s.regions) {
			if (!this.active[c.index]) continue;
			return c.type === 'compound' || c.type === 'parallel' ? { [c.key]: this.valueOf(c) } : c.key;
		}
		return {};
	}

	private restore(p: PersistedSnapshot): void {
		const m = this.machine;
		this.active[0] = 1;
		for (const path of p.configuration) {
			const node = m.byPath.get(path);
			if (!node) throw new Failure({ message: `Snapshot names state "${path}", which this workflow does not have` });
			for (let n: StateNode | null = node; n; n = n.parent) this.active[n.index] = 1;
		}
		this.context = p.context;
		this.contextShared = true;
		// 'stopped' is an operational state, not part of the machine: resuming makes it active.
		this.status = p.status === 'stopped' ? 'active' : p.status;
		this.error = p.error;
		this.output = p.output;
		this.seq = p.seq;
		if (p.results) this.results = p.results;
		this.history = HistoryMemory.restore(p.history, m.byPath);
		if (this.status !== 'active') return;
		for (const t of p.timers ?? []) {
			const node = m.byPath.get(t.state);
			if (node && this.active[node.index]) this.armTimer(node, t.delay, t.event, t.startedAt);
		}
		for (const s of p.sends ?? []) this.scheduleSend(s.event, s.delay, s.id, s.startedAt);
		for (const node of m.nodes) if (node.invoke && this.active[node.index]) this.startInvoke(node, RESUME_EVENT);
	}
}
