/**
 * compile(workflow): the machine definition, built once and shared by every instance.
 * Everything that does not depend on an instance's configuration is precomputed here:
 * document order, descendant ranges, resolved targets, transition domains, compiled
 * expressions and templates, and the event → transitions maps.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../model/types';
import { transitionId } from '../model/types';
import { resolveTargetWith, type TargetLookup } from '../model/targets';
import { descriptorPrefix, doneInvokeEvent, doneStateEvent, errorEffectEvent, errorInvokeEvent, eventDescriptors, isPrivateEvent, isWildcardDescriptor, matchesEventDescriptor } from '../model/events';
import { compileExpr, type CompiledExpr, type CompiledTemplate, type ExprInput } from '../expr';
import { compileEffectSpec, UNSAFE_KEYS } from './builtins';

export type NodeType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface CompiledEffect {
	spec: EffectSpec;
	type: string;
	/** Human label: the effect's id, or where it sits (`open.entry[0] (log)`). */
	label: string;
	kind: 'assign' | 'log' | 'raise' | 'emit' | 'send' | 'cancel' | 'async';
	assignKeys?: string[];
	assignExprs?: CompiledExpr[];
	message?: CompiledTemplate;
	/** For raise/emit/send: builds the event object. */
	event?: (input: ExprInput) => { type: string; [k: string]: unknown };
	/** For send: the delay in milliseconds, or the JSONata expression that gives it. */
	delay?: number | CompiledExpr;
	/** For send: the send id (the effect's `id`) that `cancel` refers to. */
	sendId?: string;
	/** For cancel: the id of the pending send (a template). */
	sendid?: CompiledTemplate;
}

export interface StateNode {
	key: string;
	/** Dotted path from the root; '' for the root. */
	path: string;
	id?: string;
	parent: StateNode | null;
	type: NodeType;
	/** Document (pre-)order; descendants occupy (index, end]. */
	index: number;
	end: number;
	depth: number;
	children: StateNode[];
	/** Children that are not history pseudo-states. */
	regions: StateNode[];
	historyChildren: StateNode[];
	childByKey: Map<string, StateNode>;
	initial: StateNode | null;
	history: 'shallow' | 'deep';
	historyDefault: Transition | null;
	entry: CompiledEffect[];
	exit: CompiledEffect[];
	invoke: CompiledEffect | null;
	/**
	 * Event type → the transitions that event may take here, in priority order (this
	 * state's onDone/onError, then its `on` keys in document order, then its timers). Built
	 * for every event type the machine names; types first met at run time are added by
	 * `learnEventType`.
	 */
	on: Map<string, Transition[]> | null;
	/** The `on` keys as written (descriptors and their transitions), for event types met at run time. */
	keys: { descriptors: string[]; transitions: Transition[] }[] | null;
	/** Wildcard descriptors written here (`*`, `error.*`), for `enabledDescriptors()`. */
	wildcards: string[] | null;
	always: Transition[] | null;
	after: { delay: number; event: string; transitions: Transition[] }[] | null;
	output: CompiledExpr | null;
	doneEvent: string;
	spec: StateNodeSpec | null;
}

export interface Transition {
	id: string;
	/** Trigger as written: `on:EVENT`, `always`, `after:<ms>`, `onDone`, `onError`. */
	trigger: string;
	source: StateNode;
	guard: CompiledExpr | null;
	/** null = targetless. */
	targets: StateNode[] | null;
	/** Paths of the targets as written (frozen; [] when targetless), for telemetry. */
	targetPaths: readonly string[];
	effects: CompiledEffect[];
	reenter: boolean;
	/** Precomputed when no target is a history state. */
	domain: StateNode | null;
	hasHistoryTarget: boolean;
}

export interface Machine {
	readonly kind: 'fsm-studio/machine';
	workflow: Workflow;
	root: StateNode;
	/** All nodes in document order (root first). */
	nodes: StateNode[];
	/** Atomic and final nodes in document order. */
	leaves: StateNode[];
	byPath: Map<string, StateNode>;
	byId: Map<string, StateNode>;
	/** Every event name the document names (keys' names, done/error/timer events): `on` maps hold these. */
	eventTypes: Set<string>;
	/** The names written as names (not only as a wildcard's `error.*`): what `enabledEvents()` lists. */
	namedTypes: Set<string>;
	/** Names of descriptors (`error` for `error` and `error.*`) an unknown dotted event may continue. */
	descriptorPrefixes: Set<string>;
	/** Some state has a `*` key. */
	hasStar: boolean;
	/** Nodes with `on` keys. */
	keyed: StateNode[];
	/** Event types met at run time and added to the `on` maps (bounded). */
	dynamicTypes: Set<string>;
	/** Some state has eventless transitions. */
	hasAlways: boolean;
	/** The workflow's context, deep-frozen and shared by every instance until it assigns. */
	initialContext: Record<string, unknown>;
	/** Transition from the root into its initial state. */
	initTransition: Transition;
}

/** Thrown by compile() when the workflow cannot run; lists every problem with its JSON path. */
export class WorkflowCompileError extends Error {
	constructor(readonly problems: { path: (string | number)[]; message: string }[]) {
		super(
			`Workflow cannot be compiled:\n` +
				problems.map((p) => `- at ${p.path.length ? p.path.join('.') : '(root)'}: ${p.message}`).join('\n')
		);
		this.name = 'WorkflowCompileError';
	}
}

const INTERNAL_PREFIXES = ['done.', 'error.', 'after.', 'fsm.'];
/** True for engine-generated event types (done.*, error.*, after.*, fsm.*). */
export function isInternalEvent(type: string): boolean {
	for (const p of INTERNAL_PREFIXES) if (type.startsWith(p)) return true;
	return false;
}

export function isDescendant(a: StateNode, b: StateNode): boolean {
	return a.index > b.index && a.index <= b.end;
}

/** Compile a workflow into a shareable machine definition. Throws WorkflowCompileError. */
export function compile(workflow: Workflow): Machine {
	const problems: { path: (string | number)[]; message: string }[] = [];
	const nodes: StateNode[] = [];
	const byPath = new Map<string, StateNode>();
	const byId = new Map<string, StateNode>();

	const mkNode = (key: string, parent: StateNode | null, spec: StateNodeSpec | null): StateNode => {
		const path = parent === null ? '' : parent.path === '' ? key : parent.path + '.' + key;
		const hasChildren = !!spec?.states && typeof spec.states === 'object' && Object.keys(spec.states).length > 0;
		let type: NodeType = spec?.type ?? (hasChildren ? 'compound' : 'atomic');
		if (parent === null) type = workflow.type === 'parallel' ? 'parallel' : 'compound';
		if (type === 'compound' && !hasChildren) type = 'atomic';
		return {
			key,
			path,
			id: spec?.id,
			parent,
			type,
			index: 0,
			end: 0,
			depth: parent ? parent.depth + 1 : 0,
			children: [],
			regions: [],
			historyChildren: [],
			childByKey: new Map(),
			initial: null,
			history: spec?.history ?? 'shallow',
			historyDefault: null,
			entry: [],
			exit: [],
			invoke: null,
			on: null,
			keys: null,
			wildcards: null,
			always: null,
			after: null,
			output: null,
			doneEvent: doneStateEvent(path),
			spec
		};
	};

	// 1. Build the tree in document order.
	const rootSpec: StateNodeSpec = { states: workflow.states, initial: workflow.initial, on: workflow.on, type: workflow.type };
	const root = mkNode('', null, rootSpec);
	const specPath = (node: StateNode): (string | number)[] => {
		const out: (string | number)[] = [];
		for (let n: StateNode | null = node; n && n.parent; n = n.parent) out.unshift('states', n.key);
		return out;
	};
	const build = (node: StateNode): void => {
		node.index = nodes.length;
		nodes.push(node);
		if (node.path !== '') byPath.set(node.path, node);
		if (node.id !== undefined) {
			if (byId.has(node.id)) problems.push({ path: [...specPath(node), 'id'], message: `Duplicate state id "${node.id}"` });
			else byId.set(node.id, node);
		}
		const states = node.spec?.states;
		if (states && typeof states === 'object') {
			for (const key of Object.keys(states)) {
				if (UNSAFE_KEYS.has(key) || key.includes('.') || key.startsWith('#') || key === '') {
					problems.push({ path: [...specPath(node), 'states', key], message: `State key "${key}" is not allowed (no dots, no leading #, not __proto__/constructor/prototype)` });
					continue;
				}
				const child = mkNode(key, node, states[key]);
				node.children.push(child);
				node.childByKey.set(key, child);
				if (child.type === 'history') node.historyChildren.push(child);
				else node.regions.push(child);
				build(child);
			}
		}
		node.end = nodes.length - 1;
	};
	build(root);

	// 2. Targets, resolved by the model's resolver (the one lint and the designer use).
	const lookup: TargetLookup = {
		hasPath: (p) => byPath.has(p),
		pathOfId: (id) => byId.get(id)?.path,
		workflowId: typeof workflow.id === 'string' ? workflow.id : undefined
	};
	const resolveTarget = (source: StateNode, target: string): StateNode | null => {
		const path = resolveTargetWith(lookup, source.path, target);
		return path === undefined ? null : (byPath.get(path) ?? null);
	};

	const compileEffect = (owner: StateNode, where: string, i: number, spec: EffectSpec, path: (string | number)[]): CompiledEffect | null =>
		compileEffectSpec(spec, `${owner.path || '(root)'}.${where}[${i}] (${String(spec?.type)})`, path, problems);

	const compileEffects = (owner: StateNode, where: string, list: unknown, path: (string | number)[]): CompiledEffect[] => {
		if (list === undefined) return [];
		if (!Array.isArray(list)) {
			problems.push({ path, message: `"${where}" must be a list of effects` });
			return [];
		}
		const out: CompiledEffect[] = [];
		list.forEach((spec, i) => {
			const e = compileEffect(owner, where, i, spec as EffectSpec, [...path, i]);
			if (e) out.push(e);
		});
		return out;
	};

	const pendingDomains: Transition[] = [];
	const compileTransitions = (source: StateNode, trigger: string, config: TransitionConfig | undefined, path: (string | number)[]): Transition[] => {
		if (config === undefined || config === null) return [];
		const list: (string | TransitionSpec)[] = Array.isArray(config) ? config : [config];
		const out: Transition[] = [];
		list.forEach((item, i) => {
			const p = Array.isArray(config) ? [...path, i] : path;
			const spec: TransitionSpec = typeof item === 'string' ? { target: item } : item;
			if (!spec || typeof spec !== 'object') {
				problems.push({ path: p, message: 'A transition must be a target string or an object' });
				return;
			}
			let targets: StateNode[] | null = null;
			if (spec.target !== undefined && spec.target !== '') {
				const raw = Array.isArray(spec.target) ? spec.target : [spec.target];
				targets = [];
				for (const t of raw) {
					const node = typeof t === 'string' ? resolveTarget(source, t) : null;
					if (!node) problems.push({ path: [...p, ...(typeof item === 'string' ? [] : ['target'])], message: `Unknown target "${String(t)}" from state "${source.path || '(root)'}"` });
					else if (node === root) problems.push({ path: p, message: 'The root cannot be a target' });
					else targets.push(node);
				}
			}
			let guard: CompiledExpr | null = null;
			if (spec.guard !== undefined) {
				const g = compileExpr(spec.guard);
				if (!g.ok) problems.push({ path: [...p, 'guard'], message: g.message });
				else guard = g;
			}
			const t: Transition = {
				id: transitionId(source.path, trigger, i),
				trigger,
				source,
				guard,
				targets,
				effects: [],
				reenter: spec.reenter === true,
				domain: null,
				hasHistoryTarget: !!targets?.some((n) => n.type === 'history'),
				targetPaths: Object.freeze(targets ? targets.map((n) => n.path) : [])
			};
			t.effects = compileEffects(source, `${trigger}[${i}].effects`, spec.effects, [...p, 'effects']);
			pendingDomains.push(t);
			out.push(t);
		});
		return out;
	};

	// Event entries per node, in priority order: the state's own onDone/onError first, then
	// its `on` keys in document order, then its timers.
	type Entry = { exact: string[] | null; descriptors: string[]; ts: Transition[] };
	const entries = new Map<StateNode, { first: Entry[]; rest: Entry[]; last: Entry[] }>();
	const entriesOf = (node: StateNode) => {
		let e = entries.get(node);
		if (!e) entries.set(node, (e = { first: [], rest: [], last: [] }));
		return e;
	};
	const addExact = (node: StateNode, where: 'first' | 'last', types: string[], ts: Transition[]): void => {
		if (ts.length) entriesOf(node)[where].push({ exact: types, descriptors: [], ts });
	};
	const addKey = (node: StateNode, key: string, ts: Transition[]): void => {
		const descriptors = eventDescriptors(key);
		if (ts.length === 0 || descriptors.length === 0) return;
		entriesOf(node).rest.push({ exact: null, descriptors, ts });
		(node.keys ??= []).push({ descriptors, transitions: ts });
		for (const d of descriptors) if (isWildcardDescriptor(d) && !(node.wildcards ??= []).includes(d)) node.wildcards.push(d);
	};

	// 3. Per-node compilation.
	for (const node of nodes) {
		const spec = node.spec;
		if (!spec) continue;
		const sp = node.parent ? specPath(node) : [];
		if (node.type === 'history') {
			if (spec.target !== undefined) {
				const ts = compileTransitions(node, 'history', spec.target, [...sp, 'target']);
				node.historyDefault = ts[0] ?? null;
			}
			continue;
		}
		if (node.type === 'compound') {
			const init = node.parent === null ? workflow.initial : spec.initial;
			if (init !== undefined) {
				const c = node.childByKey.get(init);
				if (!c || c.type === 'history') problems.push({ path: node.parent ? [...sp, 'initial'] : ['initial'], message: `Initial state "${init}" is not a child of "${node.path || '(root)'}"` });
				else node.initial = c;
			} else {
				node.initial = node.regions[0] ?? null;
			}
			if (!node.initial) problems.push({ path: sp, message: `State "${node.path || '(root)'}" has no initial state` });
		}
		if (node.parent !== null) {
			node.entry = compileEffects(node, 'entry', spec.entry, [...sp, 'entry']);
			node.exit = compileEffects(node, 'exit', spec.exit, [...sp, 'exit']);
			if (spec.invoke !== undefined) {
				const inv = compileEffect(node, 'invoke', 0, spec.invoke, [...sp, 'invoke']);
				if (inv) {
					inv.label = typeof spec.invoke.id === 'string' && spec.invoke.id ? spec.invoke.id : `${node.path}.invoke (${inv.type})`;
					node.invoke = inv;
				}
			}
			if (spec.output !== undefined) {
				const o = compileExpr(spec.output);
				if (!o.ok) problems.push({ path: [...sp, 'output'], message: o.message });
				else node.output = o;
			}
		}
		if (spec.on && typeof spec.on === 'object') {
			for (const [ev, cfg] of Object.entries(spec.on)) {
				addKey(node, ev, compileTransitions(node, 'on:' + ev, cfg, [...sp, 'on', ev]));
			}
		}
		if (spec.always !== undefined && node.parent !== null) {
			const ts = compileTransitions(node, 'always', spec.always, [...sp, 'always']);
			if (ts.length) node.always = ts;
		}
		if (spec.after && typeof spec.after === 'object' && node.parent !== null) {
			node.after = [];
			for (const [ms, cfg] of Object.entries(spec.after)) {
				const delay = Number(ms);
				if (!Number.isFinite(delay) || delay < 0 || ms.trim() === '') {
					problems.push({ path: [...sp, 'after', ms], message: `Delay "${ms}" must be a number of milliseconds` });
					continue;
				}
				const event = `after.${ms}.${node.path}`;
				const ts = compileTransitions(node, 'after:' + ms, cfg, [...sp, 'after', ms]);
				addExact(node, 'last', [event], ts);
				node.after.push({ delay, event, transitions: ts });
			}
			if (node.after.length === 0) node.after = null;
		}
		if (node.parent !== null) {
			const done = compileTransitions(node, 'onDone', spec.onDone, [...sp, 'onDone']);
			const doneTypes: string[] = [];
			if (node.invoke) doneTypes.push(doneInvokeEvent(node.path));
			if (node.type === 'compound' || node.type === 'parallel') doneTypes.push(node.doneEvent);
			addExact(node, 'first', doneTypes, done);
			const err = compileTransitions(node, 'onError', spec.onError, [...sp, 'onError']);
			addExact(node, 'first', [errorInvokeEvent(node.path), errorEffectEvent(node.path)], err);
		}
	}

	if (root.type === 'parallel') {
		if (root.regions.length === 0 && problems.length === 0) problems.push({ path: ['states'], message: 'A parallel workflow needs at least one state' });
	} else if (!root.initial && problems.length === 0) problems.push({ path: ['initial'], message: 'The workflow has no initial state' });
	let initialContext: Record<string, unknown> = Object.freeze({});
	const ctx = workflow.context;
	if (ctx !== undefined && (ctx === null || typeof ctx !== 'object' || Array.isArray(ctx))) {
		problems.push({ path: ['context'], message: 'The context must be an object' });
	} else if (ctx !== undefined) {
		try {
			initialContext = deepFreeze(structuredClone(ctx));
		} catch (e) {
			problems.push({ path: ['context'], message: `The context must be plain data (${e instanceof Error ? e.message : String(e)})` });
		}
	}
	if (problems.length) throw new WorkflowCompileError(problems);

	for (const t of pendingDomains) if (!t.hasHistoryTarget && t.targets) t.domain = transitionDomain(t.source, t.targets, t.targets, t.reenter, root);

	// 4. Event maps: every event name the document names, mapped per state to the
	// transitions it may take there (descriptors expanded, in priority order).
	const eventTypes = new Set<string>();
	const namedTypes = new Set<string>();
	const descriptorPrefixes = new Set<string>();
	let hasStar = false;
	for (const e of entries.values()) {
		for (const entry of [...e.first, ...e.rest, ...e.last]) {
			if (entry.exact) for (const t of entry.exact) eventTypes.add(t);
			for (const d of entry.descriptors) {
				const p = descriptorPrefix(d);
				if (p === '') hasStar = true;
				else {
					eventTypes.add(p);
					descriptorPrefixes.add(p);
					if (!isWildcardDescriptor(d)) namedTypes.add(p);
				}
			}
		}
	}
	// Names that continue a descriptor's name after a dot (`error.x` for `error`).
	const extensions = new Map<string, string[]>();
	for (const t of eventTypes) {
		for (let i = t.indexOf('.'); i > 0; i = t.indexOf('.', i + 1)) {
			const p = t.slice(0, i);
			if (descriptorPrefixes.has(p)) {
				const l = extensions.get(p);
				if (l) l.push(t);
				else extensions.set(p, [t]);
			}
		}
	}
	const all = [...eventTypes];
	const keyed: StateNode[] = [];
	for (const [node, e] of entries) {
		const on = new Map<string, Transition[]>();
		const add = (type: string, ts: Transition[]) => {
			const l = on.get(type);
			on.set(type, l ? l.concat(ts) : ts.slice());
		};
		for (const entry of e.first) for (const t of entry.exact!) add(t, entry.ts);
		for (const entry of e.rest) {
			const types = new Set<string>();
			for (const d of entry.descriptors) {
				const p = descriptorPrefix(d);
				const candidates = p === '' ? all : [p, ...(extensions.get(p) ?? [])];
				for (const t of candidates) if (matchesEventDescriptor(d, t)) types.add(t);
			}
			for (const t of types) add(t, entry.ts);
		}
		for (const entry of e.last) for (const t of entry.exact!) add(t, entry.ts);
		if (on.size) node.on = on;
		if (node.keys) keyed.push(node);
	}

	const initTransition: Transition = {
		id: transitionId('', 'init', 0),
		trigger: 'init',
		source: root,
		guard: null,
		targets: root.type === 'parallel' ? root.regions.slice() : [root.initial!],
		effects: [],
		reenter: false,
		domain: root,
		hasHistoryTarget: false,
		targetPaths: Object.freeze(root.type === 'parallel' ? root.regions.map((r) => r.path) : [root.initial!.path])
	};

	return {
		kind: 'fsm-studio/machine',
		workflow,
		root,
		nodes,
		leaves: nodes.filter((n) => n.type === 'atomic' || n.type === 'final'),
		byPath,
		byId,
		eventTypes,
		namedTypes,
		descriptorPrefixes,
		hasStar,
		keyed,
		dynamicTypes: new Set(),
		hasAlways: nodes.some((n) => n.always !== null),
		initialContext,
		initTransition
	};
}

/** How many event types met at run time the `on` maps keep before starting over. */
const DYNAMIC_TYPES_LIMIT = 1000;

/**
 * An event type the document does not name: adds it to the `on` maps of the states whose
 * descriptors match it (`*`, or a name it continues after a dot). False when none does.
 */
export function learnEventType(m: Machine, type: string): boolean {
	if (m.dynamicTypes.has(type)) return true;
	if (isPrivateEvent(type)) return false;
	let candidate = m.hasStar;
	for (let i = type.indexOf('.'); !candidate && i > 0; i = type.indexOf('.', i + 1)) if (m.descriptorPrefixes.has(type.slice(0, i))) candidate = true;
	if (!candidate) return false;
	if (m.dynamicTypes.size >= DYNAMIC_TYPES_LIMIT) {
		for (const node of m.keyed) for (const t of m.dynamicTypes) node.on?.delete(t);
		m.dynamicTypes.clear();
	}
	let any = false;
	for (const node of m.keyed) {
		let list: Transition[] | null = null;
		for (const k of node.keys!) {
			for (const d of k.descriptors) {
				if (!matchesEventDescriptor(d, type)) continue;
				list = list ? list.concat(k.transitions) : k.transitions.slice();
				break;
			}
		}
		if (list) {
			(node.on ??= new Map()).set(type, list);
			any = true;
		}
	}
	m.dynamicTypes.add(type);
	return any;
}

/**
 * The transition domain: the state whose active descendants the transition exits.
 * XState v5's rule first: a transition whose targets, as written, are all its source or
 * the source's descendants stays inside the source (unless `reenter`). Otherwise SCXML's
 * least common *compound* ancestor of the source and the effective targets (a history
 * target's remembered states), or the root. A history target is never the source or its
 * descendant as written (it belongs to its parent), so a transition to the history of its
 * own region exits and re-enters what the history restores, as SCXML does.
 */
export function transitionDomain(source: StateNode, written: StateNode[], effective: StateNode[], reenter: boolean, root: StateNode): StateNode {
	if (!reenter && written.every((t) => t === source || isDescendant(t, source))) return source;
	for (let anc = source.parent; anc; anc = anc.parent) {
		if (anc.type !== 'compound') continue;
		if (effective.every((t) => isDescendant(t, anc!))) return anc;
	}
	return root;
}

function deepFreeze<T>(v: T): T {
	if (v && typeof v === 'object' && !Object.isFrozen(v)) {
		Object.freeze(v);
		for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
	}
	return v;
}
