/**
 * A small, separate transcription of the W3C SCXML Recommendation, Appendix D ("Algorithm
 * for SCXML Interpretation"), function by function, for differential tests of the engine.
 * It reads a workflow document itself (it shares no code with the engine) and keeps the
 * pseudo-code's names and structure; only the data model is reduced to what the random
 * workflows use: a counter `n`, guards and effects from fixed lists, and a trace of
 * entry/exit/transition effects in execution order.
 *
 * FSM Studio's documented departures from Appendix D are marked `FSM:` where they apply:
 * - getTransitionDomain uses XState v5's rule: a transition whose targets as written are
 *   all its source or the source's descendants stays in the source, whatever its type,
 *   unless `reenter`; computeEntrySet then does not re-enter the source itself, and a
 *   parallel domain has its regions entered by default (XState's `ancestors.push(domain)`).
 * - a state's transitions are its onDone/onError first, then its `on` keys in document
 *   order (each key's alternatives in order); `always` transitions are eventless.
 * - nameMatch: the engine's own `after.*`/`fsm.*` events match only exactly (none occur
 *   here).
 * - a history state without a default target enters its parent's initial state.
 * - a parallel root (workflow `type: "parallel"`) ends when all its regions are final.
 * - done events: `done.state.<parent>` for a final state's compound parent; then every
 *   parallel state the entry completes, up the chain (Appendix D checks only the
 *   grandparent, which misses a parallel state completed by a nested parallel region; the
 *   Recommendation's text, section 3.4, and XState raise it); a final state right inside a
 *   parallel state counts as a finished region.
 * - the root's own transitions (`on` at the top level) have the root as their domain.
 */
import type { StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../src/lib/model/types';

type Kind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history' | 'scxml';

export interface RState {
	id: string;
	kind: Kind;
	parallelRoot?: boolean;
	parent: RState | null;
	children: RState[];
	order: number;
	initial: RState | null;
	transitions: RTransition[];
	onentry: Action[];
	onexit: Action[];
	history?: 'shallow' | 'deep';
	historyDefault?: RTransition;
	xid?: string;
}

export interface RTransition {
	source: RState;
	/** null: eventless. */
	event: string[] | null;
	/** Exact names (onDone/onError): no descriptor matching. */
	exact: boolean;
	cond: ((n: number, ev: Ev) => boolean) | null;
	targetIds: string[];
	target: RState[];
	reenter: boolean;
	actions: Action[];
	label: string;
}

export interface Ev {
	name: string;
	ok?: boolean;
}

type Action = { kind: 'assign' } | { kind: 'raise'; event: string } | { kind: 'log'; text: string };

/** The guards and effects the random workflows use, with their meaning. */
export const GUARDS: Record<string, (n: number, ev: Ev) => boolean> = {
	'context.n < 3': (n) => n < 3,
	'context.n % 2 = 0': (n) => n % 2 === 0,
	'event.ok = true': (_n, ev) => ev.ok === true,
	'context.n > 4 or event.ok = true': (n, ev) => n > 4 || ev.ok === true
};

function actionsOf(list: unknown): Action[] {
	const out: Action[] = [];
	for (const e of (list as { type: string; [k: string]: unknown }[] | undefined) ?? []) {
		if (e.type === 'assign') out.push({ kind: 'assign' });
		else if (e.type === 'raise') out.push({ kind: 'raise', event: String(e.event) });
		else if (e.type === 'log') out.push({ kind: 'log', text: String(e.message) });
		else throw new Error(`reference: effect ${e.type} is not modelled`);
	}
	return out;
}

function specs(config: TransitionConfig | undefined): TransitionSpec[] {
	if (config === undefined) return [];
	if (typeof config === 'string') return [{ target: config }];
	return Array.isArray(config) ? config : [config];
}

/** Builds the reference's tree from a workflow document (targets are `#id` only). */
export function buildDocument(wf: Workflow): RState {
	let order = 0;
	const byId = new Map<string, RState>();
	const pending: RTransition[] = [];
	const root: RState = { id: '', kind: 'scxml', parallelRoot: wf.type === 'parallel', parent: null, children: [], order: order++, initial: null, transitions: [], onentry: [], onexit: [] };
	const mkTransitions = (s: RState, spec: { on?: Record<string, TransitionConfig>; always?: TransitionConfig; onDone?: TransitionConfig }) => {
		const add = (event: string[] | null, exact: boolean, config: TransitionConfig | undefined, trigger: string) => {
			specs(config).forEach((t, i) => {
				const targets = t.target === undefined ? [] : Array.isArray(t.target) ? t.target : [t.target];
				const tr: RTransition = {
					source: s,
					event,
					exact,
					cond: t.guard === undefined ? null : GUARDS[t.guard],
					targetIds: targets,
					target: [],
					reenter: t.reenter === true,
					actions: actionsOf(t.effects),
					label: `${s.id}|${trigger}|${i}`
				};
				if (t.guard !== undefined && !tr.cond) throw new Error(`reference: guard ${t.guard} is not modelled`);
				s.transitions.push(tr);
				pending.push(tr);
			});
		};
		// FSM: onDone first (done.state.<path> for compound and parallel states).
		if (spec.onDone !== undefined) add([`done.state.${s.id}`], true, spec.onDone, 'onDone');
		for (const key of Object.keys(spec.on ?? {})) add(key.split(/\s+/).filter(Boolean), false, spec.on![key], `on:${key}`);
		if (spec.always !== undefined) add(null, false, spec.always, 'always');
	};
	const visit = (parent: RState, states: Record<string, StateNodeSpec>) => {
		for (const key of Object.keys(states)) {
			const spec = states[key];
			const id = parent.id ? `${parent.id}.${key}` : key;
			const hasKids = !!spec.states && Object.keys(spec.states).length > 0;
			const kind: Kind = spec.type === 'history' ? 'history' : spec.type === 'final' ? 'final' : spec.type === 'parallel' ? 'parallel' : hasKids ? 'compound' : 'atomic';
			const s: RState = { id, kind, parent, children: [], order: order++, initial: null, transitions: [], onentry: actionsOf(spec.entry), onexit: actionsOf(spec.exit), xid: spec.id };
			if (kind === 'history') s.history = spec.history ?? 'shallow';
			parent.children.push(s);
			if (spec.id) byId.set(spec.id, s);
			if (kind === 'history') {
				if (spec.target !== undefined) {
					const tr: RTransition = { source: s, event: null, exact: false, cond: null, targetIds: [spec.target], target: [], reenter: false, actions: [], label: `${id}|history` };
					s.historyDefault = tr;
					pending.push(tr);
				}
				continue;
			}
			if (hasKids) visit(s, spec.states!);
			if (kind === 'compound') s.initial = s.children.find((c) => c.id === `${id}.${spec.initial}`) ?? s.children.find((c) => c.kind !== 'history')!;
			mkTransitions(s, spec);
		}
	};
	visit(root, wf.states);
	if (!root.parallelRoot) root.initial = root.children.find((c) => c.id === wf.initial)!;
	mkTransitions(root, { on: wf.on });
	for (const t of pending) {
		t.target = t.targetIds.map((x) => {
			const s = x.startsWith('#') ? byId.get(x.slice(1)) : undefined;
			if (!s) throw new Error(`reference: target ${x} must be an #id`);
			return s;
		});
	}
	return root;
}

// ---------------------------------------------------------------- helpers of Appendix D

const isAtomicState = (s: RState) => s.kind === 'atomic' || s.kind === 'final';
const isCompoundState = (s: RState) => s.kind === 'compound' || (s.kind === 'scxml' && !s.parallelRoot);
const isParallelState = (s: RState) => s.kind === 'parallel' || (s.kind === 'scxml' && !!s.parallelRoot);
const isHistoryState = (s: RState) => s.kind === 'history';
const isFinalState = (s: RState) => s.kind === 'final';
const isSCXMLElement = (s: RState | null) => s !== null && s.kind === 'scxml';
const isCompoundStateOrScxmlElement = (s: RState) => s.kind === 'compound' || s.kind === 'scxml';
const documentOrder = (a: RState, b: RState) => a.order - b.order;
const entryOrder = documentOrder;
const exitOrder = (a: RState, b: RState) => b.order - a.order;

function isDescendant(state1: RState, state2: RState): boolean {
	for (let p = state1.parent; p; p = p.parent) if (p === state2) return true;
	return false;
}

function getChildStates(state1: RState): RState[] {
	return state1.children.filter((c) => c.kind !== 'history');
}

function getProperAncestors(state1: RState, state2: RState | null): RState[] {
	const out: RState[] = [];
	if (state2 !== null && (state2 === state1 || isDescendant(state2, state1))) return out;
	for (let p = state1.parent; p && p !== state2; p = p.parent) out.push(p);
	return out;
}

/** SCXML 3.12.1: a descriptor matches when its tokens are a prefix of the event's; `*` matches all. */
function nameMatch(t: RTransition, name: string): boolean {
	if (t.exact) return t.event!.includes(name);
	return t.event!.some((d) => {
		if (d === name) return true;
		if (name.startsWith('after.') || name.startsWith('fsm.')) return false; // FSM: private events
		if (d === '*') return true;
		const dt = d.split('.');
		if (dt[dt.length - 1] === '*') dt.pop();
		const et = name.split('.');
		return dt.length <= et.length && dt.every((x, i) => x === et[i]);
	});
}

class OrderedSet<T> {
	private items: T[] = [];
	add(x: T) {
		if (!this.items.includes(x)) this.items.push(x);
	}
	delete(x: T) {
		const i = this.items.indexOf(x);
		if (i >= 0) this.items.splice(i, 1);
	}
	union(xs: Iterable<T>) {
		for (const x of xs) this.add(x);
	}
	isMember(x: T) {
		return this.items.includes(x);
	}
	some(f: (x: T) => boolean) {
		return this.items.some(f);
	}
	every(f: (x: T) => boolean) {
		return this.items.every(f);
	}
	hasIntersection(other: OrderedSet<T>) {
		return this.items.some((x) => other.isMember(x));
	}
	isEmpty() {
		return this.items.length === 0;
	}
	toList() {
		return [...this.items];
	}
}

// ---------------------------------------------------------------- the interpreter

export class Reference {
	configuration = new OrderedSet<RState>();
	historyValue = new Map<string, RState[]>();
	internalQueue: Ev[] = [];
	running = true;
	n = 0;
	trace: string[] = [];
	microsteps = 0;

	constructor(
		readonly doc: RState,
		readonly maxMicrosteps = 100
	) {}

	/** interpret(doc), up to waiting for the first external event. */
	start(): void {
		const init: RTransition = {
			source: this.doc,
			event: null,
			exact: false,
			cond: null,
			targetIds: [],
			target: this.doc.parallelRoot ? getChildStates(this.doc) : [this.doc.initial!],
			reenter: false,
			actions: [],
			label: 'init'
		};
		this.enterStates([init]);
		this.macrostep();
	}

	/** One external event: mainEventLoop's body after `externalQueue.dequeue()`. */
	send(externalEvent: Ev): void {
		if (!this.running) return;
		this.microsteps = 0;
		const enabledTransitions = this.selectTransitions(externalEvent);
		if (!enabledTransitions.isEmpty()) this.microstep(enabledTransitions.toList(), externalEvent);
		this.macrostep();
	}

	/** The inner loop of mainEventLoop: eventless transitions and internal events. */
	private macrostep(): void {
		let macrostepDone = false;
		while (this.running && !macrostepDone) {
			let enabledTransitions = this.selectEventlessTransitions();
			let event: Ev = { name: '' };
			if (enabledTransitions.isEmpty()) {
				if (this.internalQueue.length === 0) macrostepDone = true;
				else {
					event = this.internalQueue.shift()!;
					enabledTransitions = this.selectTransitions(event);
				}
			}
			if (!enabledTransitions.isEmpty()) this.microstep(enabledTransitions.toList(), event);
		}
		if (!this.running) this.exitInterpreter();
	}

	private exitInterpreter(): void {
		const statesToExit = this.configuration.toList().sort(exitOrder);
		for (const s of statesToExit) {
			for (const content of s.onexit) this.executeContent(content, { name: '' });
			this.configuration.delete(s);
		}
	}

	private conditionMatch(t: RTransition, ev: Ev): boolean {
		return t.cond === null || t.cond(this.n, ev);
	}

	selectEventlessTransitions(): OrderedSet<RTransition> {
		let enabledTransitions = new OrderedSet<RTransition>();
		const atomicStates = this.configuration.toList().filter(isAtomicState).sort(documentOrder);
		for (const state of atomicStates) {
			loop: for (const s of [state, ...getProperAncestors(state, null)]) {
				for (const t of s.transitions) {
					if (t.event === null && this.conditionMatch(t, { name: '' })) {
						enabledTransitions.add(t);
						break loop;
					}
				}
			}
		}
		enabledTransitions = this.removeConflictingTransitions(enabledTransitions);
		return enabledTransitions;
	}

	selectTransitions(event: Ev): OrderedSet<RTransition> {
		let enabledTransitions = new OrderedSet<RTransition>();
		const atomicStates = this.configuration.toList().filter(isAtomicState).sort(documentOrder);
		for (const state of atomicStates) {
			loop: for (const s of [state, ...getProperAncestors(state, null)]) {
				for (const t of s.transitions) {
					if (t.event !== null && nameMatch(t, event.name) && this.conditionMatch(t, event)) {
						enabledTransitions.add(t);
						break loop;
					}
				}
			}
		}
		enabledTransitions = this.removeConflictingTransitions(enabledTransitions);
		return enabledTransitions;
	}

	removeConflictingTransitions(enabledTransitions: OrderedSet<RTransition>): OrderedSet<RTransition> {
		const filteredTransitions = new OrderedSet<RTransition>();
		for (const t1 of enabledTransitions.toList()) {
			let t1Preempted = false;
			const transitionsToRemove = new OrderedSet<RTransition>();
			for (const t2 of filteredTransitions.toList()) {
				if (this.computeExitSet([t1]).hasIntersection(this.computeExitSet([t2]))) {
					if (isDescendant(t1.source, t2.source)) transitionsToRemove.add(t2);
					else {
						t1Preempted = true;
						break;
					}
				}
			}
			if (!t1Preempted) {
				for (const t3 of transitionsToRemove.toList()) filteredTransitions.delete(t3);
				filteredTransitions.add(t1);
			}
		}
		return filteredTransitions;
	}

	microstep(enabledTransitions: RTransition[], event: Ev): void {
		if (++this.microsteps > this.maxMicrosteps) throw new Error('reference: did not settle');
		this.exitStates(enabledTransitions, event);
		this.executeTransitionContent(enabledTransitions, event);
		this.enterStates(enabledTransitions, event);
	}

	exitStates(enabledTransitions: RTransition[], event: Ev): void {
		const statesToExit = this.computeExitSet(enabledTransitions).toList().sort(exitOrder);
		for (const s of statesToExit) {
			for (const h of s.children.filter(isHistoryState)) {
				const f = h.history === 'deep' ? (s0: RState) => isAtomicState(s0) && isDescendant(s0, s) : (s0: RState) => s0.parent === s;
				this.historyValue.set(h.id, this.configuration.toList().filter(f));
			}
		}
		for (const s of statesToExit) {
			for (const content of s.onexit) this.executeContent(content, event);
			this.configuration.delete(s);
		}
	}

	computeExitSet(transitions: RTransition[]): OrderedSet<RState> {
		const statesToExit = new OrderedSet<RState>();
		for (const t of transitions) {
			if (t.target.length > 0) {
				const domain = this.getTransitionDomain(t);
				for (const s of this.configuration.toList()) if (isDescendant(s, domain!)) statesToExit.add(s);
			}
		}
		return statesToExit;
	}

	executeTransitionContent(enabledTransitions: RTransition[], event: Ev): void {
		for (const t of enabledTransitions) {
			this.trace.push(`t:${t.label}`);
			for (const content of t.actions) this.executeContent(content, event);
		}
	}

	enterStates(enabledTransitions: RTransition[], event: Ev = { name: 'fsm.init' }): void {
		const statesToEnter = new OrderedSet<RState>();
		const statesForDefaultEntry = new OrderedSet<RState>();
		this.computeEntrySet(enabledTransitions, statesToEnter, statesForDefaultEntry);
		for (const s of statesToEnter.toList().sort(entryOrder)) {
			this.configuration.add(s);
			for (const content of s.onentry) this.executeContent(content, event);
			if (isFinalState(s)) {
				if (isSCXMLElement(s.parent) && !this.doc.parallelRoot) {
					this.running = false;
				} else {
					const parent = s.parent!;
					if (isCompoundState(parent)) this.internalQueue.push({ name: `done.state.${parent.id}` });
					// FSM (as XState): every parallel state this completes, up the chain, is done.
					for (let anc: RState | null = isParallelState(parent) ? parent : parent.parent; anc && isParallelState(anc); anc = anc.parent) {
						if (!getChildStates(anc).every((c) => this.isInFinalState(c))) break;
						if (isSCXMLElement(anc)) {
							this.running = false; // FSM: parallel root
							break;
						}
						this.internalQueue.push({ name: `done.state.${anc.id}` });
					}
				}
			}
		}
	}

	computeEntrySet(transitions: RTransition[], statesToEnter: OrderedSet<RState>, statesForDefaultEntry: OrderedSet<RState>): void {
		for (const t of transitions) {
			const ancestor = this.getTransitionDomain(t);
			for (const s of t.target) {
				// FSM (XState v5): a transition that stays in its source does not re-enter it.
				if (s === t.source && s === ancestor && !t.reenter && !isHistoryState(s)) this.addDefaultDescendants(s, statesToEnter, statesForDefaultEntry);
				else this.addDescendantStatesToEnter(s, statesToEnter, statesForDefaultEntry);
			}
			for (const s of this.getEffectiveTargetStates(t).toList()) this.addAncestorStatesToEnter(s, ancestor!, statesToEnter, statesForDefaultEntry);
			// FSM (XState v5): a parallel domain's regions are all exited; enter the others by default.
			if (ancestor && isParallelState(ancestor)) {
				for (const child of getChildStates(ancestor)) {
					if (!statesToEnter.some((s) => s === child || isDescendant(s, child))) this.addDescendantStatesToEnter(child, statesToEnter, statesForDefaultEntry);
				}
			}
		}
	}

	addDescendantStatesToEnter(state: RState, statesToEnter: OrderedSet<RState>, statesForDefaultEntry: OrderedSet<RState>): void {
		if (isHistoryState(state)) {
			const remembered = this.historyValue.get(state.id);
			if (remembered) {
				for (const s of remembered) this.addDescendantStatesToEnter(s, statesToEnter, statesForDefaultEntry);
				for (const s of remembered) this.addAncestorStatesToEnter(s, state.parent!, statesToEnter, statesForDefaultEntry);
			} else {
				const targets = this.historyDefaultTargets(state);
				for (const s of targets) this.addDescendantStatesToEnter(s, statesToEnter, statesForDefaultEntry);
				for (const s of targets) this.addAncestorStatesToEnter(s, state.parent!, statesToEnter, statesForDefaultEntry);
			}
		} else {
			statesToEnter.add(state);
			this.addDefaultDescendants(state, statesToEnter, statesForDefaultEntry);
		}
	}

	/** The part of addDescendantStatesToEnter after `statesToEnter.add(state)`. */
	private addDefaultDescendants(state: RState, statesToEnter: OrderedSet<RState>, statesForDefaultEntry: OrderedSet<RState>): void {
		if (isCompoundState(state)) {
			statesForDefaultEntry.add(state);
			for (const s of [state.initial!]) this.addDescendantStatesToEnter(s, statesToEnter, statesForDefaultEntry);
			for (const s of [state.initial!]) this.addAncestorStatesToEnter(s, state, statesToEnter, statesForDefaultEntry);
		} else if (isParallelState(state)) {
			for (const child of getChildStates(state)) {
				if (!statesToEnter.some((s) => isDescendant(s, child))) this.addDescendantStatesToEnter(child, statesToEnter, statesForDefaultEntry);
			}
		}
	}

	/** FSM: a history state without a default enters its parent's initial state. */
	private historyDefaultTargets(h: RState): RState[] {
		if (h.historyDefault) return h.historyDefault.target;
		const p = h.parent!;
		return isParallelState(p) ? getChildStates(p) : [p.initial!];
	}

	addAncestorStatesToEnter(state: RState, ancestor: RState, statesToEnter: OrderedSet<RState>, statesForDefaultEntry: OrderedSet<RState>): void {
		for (const anc of getProperAncestors(state, ancestor)) {
			statesToEnter.add(anc);
			if (isParallelState(anc)) {
				for (const child of getChildStates(anc)) {
					if (!statesToEnter.some((s) => isDescendant(s, child))) this.addDescendantStatesToEnter(child, statesToEnter, statesForDefaultEntry);
				}
			}
		}
	}

	isInFinalState(s: RState): boolean {
		if (isCompoundState(s)) return getChildStates(s).some((c) => isFinalState(c) && this.configuration.isMember(c));
		if (isParallelState(s)) return getChildStates(s).every((c) => this.isInFinalState(c));
		return isFinalState(s) && this.configuration.isMember(s); // FSM: a final state right inside a parallel state is a finished region
	}

	getTransitionDomain(t: RTransition): RState | null {
		const tstates = this.getEffectiveTargetStates(t);
		if (tstates.isEmpty()) return null;
		// FSM (XState v5's rule, in place of `t.type == "internal" and isCompoundState(t.source)`),
		// applied to the targets as written.
		if (!t.reenter && t.target.every((s) => s === t.source || isDescendant(s, t.source))) return t.source;
		return this.findLCCA([t.source, ...tstates.toList()]);
	}

	findLCCA(stateList: RState[]): RState {
		for (const anc of getProperAncestors(stateList[0], null).filter(isCompoundStateOrScxmlElement)) {
			if (stateList.slice(1).every((s) => isDescendant(s, anc))) return anc;
		}
		// FSM: the root's own transitions (the root is the source) have the root as domain.
		return this.doc;
	}

	getEffectiveTargetStates(transition: RTransition): OrderedSet<RState> {
		const targets = new OrderedSet<RState>();
		for (const s of transition.target) {
			if (isHistoryState(s)) {
				const remembered = this.historyValue.get(s.id);
				if (remembered) targets.union(remembered);
				else if (s.historyDefault) targets.union(this.getEffectiveTargetStates(s.historyDefault).toList());
				else targets.union(this.historyDefaultTargets(s));
			} else targets.add(s);
		}
		return targets;
	}

	executeContent(content: Action, event: Ev): void {
		if (content.kind === 'assign') this.n++;
		else if (content.kind === 'raise') this.internalQueue.push({ name: content.event });
		else this.trace.push(content.text.replace('{{ event.type }}', event.name));
	}

	/** Active states (paths), sorted. */
	activeStates(): string[] {
		return this.configuration
			.toList()
			.filter((s) => s.kind !== 'scxml')
			.map((s) => s.id)
			.sort();
	}
}
