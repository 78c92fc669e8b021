import type { EventObject, InstanceEvent, Interpreter, PersistedSnapshot } from '../engine/types';
import type { StatePath, StateValue, TransitionId, Workflow } from '../model/types';
import { VirtualClock } from './clock';
import { createInterpreter as defaultCreate, invokeDoneEvent, invokeErrorEvent, type CreateInterpreter } from './engine';
import { activeStates, indexWorkflow, type WorkflowIndex } from './model-index';
import { stableStringify } from '../effects/hash';

/** One input of a generated path, with what the engine did when it was applied. */
export interface PathStep {
	event: EventObject;
	/** How the input arises: a user event, a timer firing, an invoke finishing or failing. */
	source: 'event' | 'timer' | 'done' | 'error';
	/** Virtual time at which the input is applied (timers fire at their due time). */
	time: number;
	/** Transitions taken in the macrostep. */
	transitions: TransitionId[];
	/** States entered in the macrostep (including ones left again at once). */
	entered: StatePath[];
	/** State value after the macrostep. */
	value: StateValue;
	context: Record<string, unknown>;
	status: PersistedSnapshot['status'];
}

/** A generated test: a sequence of inputs from the initial state. */
export interface TestPath {
	id: string;
	/** `state:<path>` for shortest paths to states, `transitions` for covering paths. */
	goal: { kind: 'state'; state: StatePath } | { kind: 'transitions'; transitions: TransitionId[] };
	/** What the path drives through (for hover highlighting). */
	states: StatePath[];
	transitions: TransitionId[];
	steps: PathStep[];
}

export interface PathOptions {
	/** Most distinct (configuration, context) nodes to explore (default 2000). */
	maxNodes?: number;
	/** Longest path (in inputs) to explore (default 50). */
	maxDepth?: number;
	/** Most covering paths to return (default 200). */
	maxPaths?: number;
	/** Extra payloads to try per event type (the run panel's payload history, an example's samples); keys may be `done.invoke.<state>` with an `output`. */
	payloads?: Record<string, Record<string, unknown>[]>;
	createInterpreter?: CreateInterpreter;
	index?: WorkflowIndex;
}

export type MissReason = 'cap' | 'guard' | 'source-unreached' | 'not-triggered';

export interface PathsResult {
	initial: { value: StateValue; context: Record<string, unknown>; transitions: TransitionId[] };
	/** Shortest path to every reached state, in document order. */
	statePaths: TestPath[];
	/** A small set of paths that together take every reached transition. */
	transitionPaths: TestPath[];
	unreachedStates: { state: StatePath; reason: MissReason }[];
	uncoveredTransitions: { transition: TransitionId; reason: MissReason }[];
	/** True when a cap stopped the search before everything was covered. */
	truncated: boolean;
	/** Distinct nodes explored. */
	explored: number;
}

interface Node {
	persisted: PersistedSnapshot;
	key: string;
	parent: Node | null;
	step: PathStep | null;
	depth: number;
	time: number;
}

interface Candidate {
	event: EventObject;
	source: PathStep['source'];
	time: number;
}

function nodeKey(p: PersistedSnapshot): string {
	return stableStringify({
		c: [...p.configuration].sort(),
		x: p.context,
		h: p.history,
		t: p.timers.map((t) => [t.state, t.delay, t.event]).sort(),
		s: p.status
	});
}

function pathOf(node: Node): PathStep[] {
	const steps: PathStep[] = [];
	for (let n: Node | null = node; n && n.step; n = n.parent) steps.push(n.step);
	return steps.reverse();
}

/**
 * Explores the workflow's reachable configurations breadth-first by driving the real engine
 * in replay mode (so guards, `always`, history and parallel regions behave exactly as at run
 * time): each node is a persisted snapshot; its edges are the enabled events (payload-less,
 * plus any payloads given), the earliest pending timer, and the done/error results of active
 * invokes. Nodes are keyed by configuration + context + history + pending timers, so guards
 * on context are explored with the concrete contexts that occur. Breadth-first order makes
 * the first path found to each state and transition a shortest one.
 *
 * Limits (stated, not hidden): guards that read event payloads pass only with the payloads
 * supplied; invoke outputs are empty, so `onDone` guards on the output may stay uncovered;
 * such transitions are reported in `uncoveredTransitions` with reason `guard`.
 */
export function generatePaths(workflow: Workflow, options: PathOptions = {}): PathsResult {
	const create = options.createInterpreter ?? defaultCreate;
	const index = options.index ?? indexWorkflow(workflow);
	const maxNodes = options.maxNodes ?? 2000;
	const maxDepth = options.maxDepth ?? 50;
	const maxPaths = options.maxPaths ?? 200;
	const targetStates = index.states.filter((s) => s.type !== 'history').map((s) => s.path);
	const allTransitions = index.transitions.map((t) => t.id);

	let taken: TransitionId[] = [];
	let entered: StatePath[] = [];
	const clock = new VirtualClock(0);
	const onEvent = (e: InstanceEvent) => {
		if (e.kind === 'transition') taken.push(e.transition);
		else if (e.kind === 'entered') entered.push(e.state);
	};
	const open = (snapshot?: PersistedSnapshot): Interpreter => {
		const it = create(workflow, { replay: true, clock, onEvent, snapshot });
		it.start();
		return it;
	};

	const first = open();
	const rootPersisted = first.persist();
	const initialTransitions = taken;
	const initialEntered = entered;
	taken = [];
	entered = [];
	first.stop();
	const root: Node = { persisted: rootPersisted, key: nodeKey(rootPersisted), parent: null, step: null, depth: 0, time: 0 };

	const wanted = new Set<string>([...targetStates.map((s) => `s:${s}`), ...allTransitions.map((t) => `t:${t}`)]);
	let missing = wanted.size;
	const found = (key: string) => {
		if (wanted.delete(key)) missing--;
	};
	const everythingFound = () => missing === 0;
	const stateFound = new Map<StatePath, Node>();
	const transitionFound = new Map<TransitionId, Node>();
	const foundState = (s: StatePath, n: Node) => {
		if (stateFound.has(s)) return;
		stateFound.set(s, n);
		found(`s:${s}`);
	};
	const foundTransition = (t: TransitionId, n: Node) => {
		if (transitionFound.has(t)) return;
		transitionFound.set(t, n);
		found(`t:${t}`);
	};
	for (const s of activeStates(rootPersisted.configuration)) foundState(s, root);
	// States passed through inside a macrostep (e.g. left at once by `always`) count as reached.
	for (const s of initialEntered) foundState(s, root);
	for (const t of initialTransitions) foundTransition(t, root);

	const seen = new Set<string>([root.key]);
	let frontier: Node[] = [root];
	let explored = 1;
	let truncated = false;

	const candidatesOf = (node: Node, it: Interpreter): Candidate[] => {
		const out: Candidate[] = [];
		for (const type of it.enabledEvents()) {
			out.push({ event: { type }, source: 'event', time: node.time });
			for (const payload of options.payloads?.[type] ?? []) out.push({ event: { ...payload, type }, source: 'event', time: node.time });
		}
		const timers = node.persisted.timers;
		if (timers.length) {
			const due = Math.min(...timers.map((t) => t.startedAt + t.delay));
			for (const t of timers) {
				if (t.startedAt + t.delay === due) out.push({ event: { type: t.event }, source: 'timer', time: Math.max(node.time, due) });
			}
		}
		for (const s of activeStates(node.persisted.configuration)) {
			const info = index.stateByPath.get(s);
			const withPayloads = (type: string, source: Candidate['source']) => {
				out.push({ event: { type }, source, time: node.time });
				for (const payload of options.payloads?.[type] ?? []) out.push({ event: { ...payload, type }, source, time: node.time });
			};
			if (info?.hasInvoke) withPayloads(invokeDoneEvent(s), 'done');
			if (info?.hasInvoke || info?.hasOnError) withPayloads(invokeErrorEvent(s), 'error');
		}
		return out;
	};

	search: while (frontier.length && !everythingFound()) {
		const next: Node[] = [];
		for (const node of frontier) {
			if (node.persisted.status !== 'active') continue;
			if (node.depth >= maxDepth) {
				truncated = true;
				continue;
			}
			clock.set(node.time);
			const probe = open(node.persisted);
			const candidates = candidatesOf(node, probe);
			probe.stop();
			for (const c of candidates) {
				clock.set(c.time);
				const it = open(node.persisted);
				taken = [];
				entered = [];
				try {
					it.send(c.event);
				} catch {
					it.stop();
					continue;
				}
				const persisted = it.persist();
				const transitions = taken;
				const passed = entered;
				it.stop();
				const key = nodeKey(persisted);
				// Nothing happened (e.g. every guard failed): not a step worth taking. A timer that
				// fires without a transition still changes the node (the timer is gone).
				if (transitions.length === 0 && key === node.key) continue;
				const child: Node = {
					persisted,
					key,
					parent: node,
					depth: node.depth + 1,
					time: c.time,
					step: {
						event: c.event,
						source: c.source,
						time: c.time,
						transitions,
						entered: passed,
						value: persisted.value,
						context: persisted.context,
						status: persisted.status
					}
				};
				for (const t of transitions) foundTransition(t, child);
				for (const s of passed) foundState(s, child);
				for (const s of activeStates(persisted.configuration)) foundState(s, child);
				if (seen.has(key)) continue;
				seen.add(key);
				explored++;
				next.push(child);
				if (everythingFound()) break search;
				if (explored >= maxNodes) {
					truncated = true;
					break search;
				}
			}
		}
		frontier = next;
	}
	if (frontier.length && !everythingFound()) truncated = truncated || explored >= maxNodes;

	const makePath = (id: string, goal: TestPath['goal'], node: Node): TestPath => {
		const steps = pathOf(node);
		const states = new Set<StatePath>(activeStates(rootPersisted.configuration));
		const transitions = new Set<TransitionId>(initialTransitions);
		for (const s of initialEntered) states.add(s);
		for (const st of steps) {
			for (const t of st.transitions) transitions.add(t);
			for (const s of st.entered) states.add(s);
		}
		for (let n: Node | null = node; n; n = n.parent) for (const s of activeStates(n.persisted.configuration)) states.add(s);
		return { id, goal, states: [...states], transitions: [...transitions], steps };
	};

	const statePaths: TestPath[] = targetStates
		.filter((s) => stateFound.has(s))
		.map((s) => makePath(`state:${s}`, { kind: 'state', state: s }, stateFound.get(s)!));

	// Greedy set cover: longest candidate first, keep a path only if it takes something new.
	const candidates = [...new Set(transitionFound.values())].map((n) => makePath('', { kind: 'transitions', transitions: [] }, n));
	candidates.sort((a, b) => b.transitions.length - a.transitions.length || b.steps.length - a.steps.length);
	const covered = new Set<TransitionId>();
	const transitionPaths: TestPath[] = [];
	let pathCapHit = false;
	for (const c of candidates) {
		// Only the workflow's own transitions count (not the engine's initial `|init|…`).
		const fresh = c.transitions.filter((t) => !covered.has(t) && index.transitionById.has(t));
		if (fresh.length === 0) continue;
		if (transitionPaths.length >= maxPaths) {
			pathCapHit = true;
			break;
		}
		for (const t of c.transitions) covered.add(t);
		transitionPaths.push({ ...c, id: `transitions:${transitionPaths.length + 1}`, goal: { kind: 'transitions', transitions: fresh } });
	}

	const reason = (source: StatePath, guarded: boolean): MissReason => {
		if (source !== '' && !stateFound.has(source)) return truncated ? 'cap' : 'source-unreached';
		if (guarded) return truncated ? 'cap' : 'guard';
		return truncated ? 'cap' : 'not-triggered';
	};
	const uncoveredTransitions = index.transitions
		.filter((t) => !covered.has(t.id))
		.map((t) => ({
			transition: t.id,
			reason: transitionFound.has(t.id) && pathCapHit ? ('cap' as const) : reason(t.source, !!t.guard)
		}));
	const unreachedStates = targetStates
		.filter((s) => !stateFound.has(s))
		.map((state) => ({ state, reason: truncated ? ('cap' as const) : ('source-unreached' as const) }));

	return {
		initial: { value: rootPersisted.value, context: rootPersisted.context, transitions: initialTransitions },
		statePaths,
		transitionPaths,
		unreachedStates,
		uncoveredTransitions,
		truncated: truncated || pathCapHit,
		explored
	};
}
