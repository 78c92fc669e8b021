/**
 * Walking a workflow's state tree and resolving targets, XState v5 style.
 * Everything here is defensive: lint and the designer call it on documents that may not
 * have been through `parseWorkflow`, so missing or ill-typed fields are skipped, not trusted.
 */
import type {
	StateNodeSpec,
	StatePath,
	StateType,
	TransitionConfig,
	TransitionId,
	TransitionSpec,
	Workflow
} from './types';
import { transitionId } from './types';
import { escapeTargetSegment, resolveTargetWith, type TargetLookup } from './targets';

/** One state met while walking the tree. */
export interface StateEntry {
	/** `parent.child` path from the root. */
	path: StatePath;
	key: string;
	node: StateNodeSpec;
	/** Path of the parent state, `''` for top-level states. */
	parent: StatePath;
	depth: number;
	/** JSON path of the state in the document, e.g. `["states","a","states","b"]`. */
	jsonPath: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own enumerable keys of a record-like value, or none when it is not one. */
function keysOf(v: unknown): string[] {
	return isRecord(v) ? Object.keys(v) : [];
}

/** Children of a state (or the root) in document order. */
export function childStates(node: { states?: Record<string, StateNodeSpec> } | undefined): [string, StateNodeSpec][] {
	const states = node?.states;
	if (!isRecord(states)) return [];
	const out: [string, StateNodeSpec][] = [];
	for (const k of Object.keys(states)) {
		const child = states[k];
		if (isRecord(child)) out.push([k, child as StateNodeSpec]);
	}
	return out;
}

/** Every state in document order (depth first, parents before children). */
export function walkStates(workflow: Pick<Workflow, 'states'>): StateEntry[] {
	const out: StateEntry[] = [];
	const visit = (node: { states?: Record<string, StateNodeSpec> }, parent: StatePath, depth: number, jsonPath: string[]) => {
		for (const [key, child] of childStates(node)) {
			const path = parent ? `${parent}.${key}` : key;
			const jp = [...jsonPath, 'states', key];
			out.push({ path, key, node: child, parent, depth, jsonPath: jp });
			visit(child, path, depth + 1, jp);
		}
	};
	visit(workflow, '', 0, []);
	return out;
}

/** Every state path in document order, parents before children. */
export function allStatePaths(workflow: Pick<Workflow, 'states'>): StatePath[] {
	return walkStates(workflow).map((e) => e.path);
}

/** Index of states by path, plus explicit ids; built once per lint/parse. */
export interface StateIndex {
	byPath: Map<StatePath, StateEntry>;
	/** Explicit id → paths that declare it (more than one is a `duplicate-id` problem). */
	byId: Map<string, StatePath[]>;
	entries: StateEntry[];
	workflowId?: string;
}

export function indexStates(workflow: Pick<Workflow, 'states'> & { id?: string }): StateIndex {
	const entries = walkStates(workflow);
	const byPath = new Map<StatePath, StateEntry>();
	const byId = new Map<string, StatePath[]>();
	for (const e of entries) {
		byPath.set(e.path, e);
		const id = e.node.id;
		if (typeof id === 'string' && id) {
			const list = byId.get(id);
			if (list) list.push(e.path);
			else byId.set(id, [e.path]);
		}
	}
	return { byPath, byId, entries, workflowId: typeof workflow.id === 'string' ? workflow.id : undefined };
}

/** The state at a path (`a.b.c`), or undefined. `''` is the root and has no node. */
export function stateAt(workflow: Pick<Workflow, 'states'>, path: StatePath): StateNodeSpec | undefined {
	if (!path) return undefined;
	let node: StateNodeSpec | undefined;
	let states: unknown = workflow.states;
	for (const key of path.split('.')) {
		if (!isRecord(states) || !Object.hasOwn(states, key)) return undefined;
		node = states[key] as StateNodeSpec;
		if (!isRecord(node)) return undefined;
		states = node.states;
	}
	return node;
}

/** The state's type, inferred as the format says: `compound` with children, else `atomic`. */
export function stateType(node: StateNodeSpec): StateType {
	if (node.type === 'atomic' || node.type === 'compound' || node.type === 'parallel' || node.type === 'final' || node.type === 'history') {
		return node.type;
	}
	return keysOf(node.states).length > 0 ? 'compound' : 'atomic';
}

/** Parent path of a state path (`a.b` → `a`, `a` → `''`). */
export function parentPath(path: StatePath): StatePath {
	const i = path.lastIndexOf('.');
	return i < 0 ? '' : path.slice(0, i);
}

/** The last name of a path (`a.b` → `b`). */
export function keyOf(path: StatePath): string {
	const i = path.lastIndexOf('.');
	return i < 0 ? path : path.slice(i + 1);
}

/** The path of child `key` of `parent` (`''` is the root). */
export function joinPath(parent: StatePath, key: string): StatePath {
	return parent ? `${parent}.${key}` : key;
}

/** The children of a path (`''` = the top-level states), or undefined when there is no such state. */
export function childrenAt(workflow: Pick<Workflow, 'states'>, path: StatePath): Record<string, StateNodeSpec> | undefined {
	if (!path) return isRecord(workflow.states) ? workflow.states : undefined;
	const s = stateAt(workflow, path)?.states;
	return isRecord(s) ? s : undefined;
}

/** Ancestors from the parent up to the top-level state (the root `''` is not included). */
export function ancestors(path: StatePath): StatePath[] {
	const out: StatePath[] = [];
	for (let p = parentPath(path); p; p = parentPath(p)) out.push(p);
	return out;
}

/** True when `path` is `of` or inside it. */
export function isDescendantOrSelf(path: StatePath, of: StatePath): boolean {
	return of === '' || path === of || path.startsWith(of + '.');
}

const lookups = new WeakMap<StateIndex, TargetLookup>();

/** The resolver's view of an index (cached per index). */
export function targetLookup(index: StateIndex): TargetLookup {
	let l = lookups.get(index);
	if (!l) {
		l = {
			hasPath: (p) => index.byPath.has(p),
			pathOfId: (id) => index.byId.get(id)?.[0],
			workflowId: index.workflowId
		};
		lookups.set(index, l);
	}
	return l;
}

/**
 * Resolves a target written in state `source` (`''` for the root's own `on`) to a state
 * path, by the rules of `targets.ts` (XState v5's, with `\` escapes). Undefined when it
 * names no state.
 */
export function resolveTarget(
	indexOrWorkflow: StateIndex | (Pick<Workflow, 'states'> & { id?: string }),
	source: StatePath,
	target: string
): StatePath | undefined {
	if (typeof target !== 'string' || target === '') return undefined;
	const index = 'byPath' in indexOrWorkflow ? indexOrWorkflow : indexStates(indexOrWorkflow);
	return resolveTargetWith(targetLookup(index), source, target);
}

/** Targets written on a transition, as a list (empty when targetless). */
export function targetsOf(spec: TransitionSpec): string[] {
	const t = spec.target;
	if (typeof t === 'string') return [t];
	if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
	return [];
}

/** A transition config as its ordered list of alternatives. Non-transition values give []. */
export function normalizeTransitions(config: TransitionConfig | undefined): TransitionSpec[] {
	if (typeof config === 'string') return [{ target: config }];
	if (Array.isArray(config)) return config.flatMap((c) => (typeof c === 'string' ? [{ target: c }] : isRecord(c) ? [c as TransitionSpec] : []));
	if (isRecord(config)) return [config as TransitionSpec];
	return [];
}

/** One transition alternative with everything needed to point at it. */
export interface TransitionEntry {
	/** Source state path, `''` for the root's `on`. */
	source: StatePath;
	/** `on:<EVENT>`, `always`, `after:<ms>`, `onDone` or `onError`. */
	trigger: string;
	index: number;
	spec: TransitionSpec;
	id: TransitionId;
	/** JSON path of the alternative (of the config itself when written as a string or single object). */
	jsonPath: (string | number)[];
	/** JSON path of its target field (the config itself when written as a bare string). */
	targetPath: (string | number)[];
	/** How many alternatives the trigger has. */
	count: number;
}

function pushConfig(
	out: TransitionEntry[],
	source: StatePath,
	trigger: string,
	config: unknown,
	basePath: (string | number)[]
) {
	if (typeof config === 'string') {
		out.push({ source, trigger, index: 0, spec: { target: config }, id: transitionId(source, trigger, 0), jsonPath: basePath, targetPath: basePath, count: 1 });
	} else if (Array.isArray(config)) {
		config.forEach((alt, i) => {
			const jp = [...basePath, i];
			// Bare strings inside a list are not format v1, but lint reads them as XState would.
			if (typeof alt === 'string') {
				out.push({ source, trigger, index: i, spec: { target: alt }, id: transitionId(source, trigger, i), jsonPath: jp, targetPath: jp, count: config.length });
				return;
			}
			if (!isRecord(alt)) return;
			out.push({ source, trigger, index: i, spec: alt as TransitionSpec, id: transitionId(source, trigger, i), jsonPath: jp, targetPath: [...jp, 'target'], count: config.length });
		});
	} else if (isRecord(config)) {
		out.push({ source, trigger, index: 0, spec: config as TransitionSpec, id: transitionId(source, trigger, 0), jsonPath: basePath, targetPath: [...basePath, 'target'], count: 1 });
	}
}

/** Transitions of one state (or of the root when `node` is the workflow), in a fixed order. */
export function stateTransitions(
	source: StatePath,
	node: Pick<StateNodeSpec, 'on' | 'always' | 'after' | 'onDone' | 'onError'>,
	jsonPath: (string | number)[]
): TransitionEntry[] {
	const out: TransitionEntry[] = [];
	if (isRecord(node.on)) {
		for (const ev of Object.keys(node.on)) pushConfig(out, source, `on:${ev}`, node.on[ev], [...jsonPath, 'on', ev]);
	}
	if (node.always !== undefined) pushConfig(out, source, 'always', node.always, [...jsonPath, 'always']);
	if (isRecord(node.after)) {
		for (const ms of Object.keys(node.after)) pushConfig(out, source, `after:${ms}`, node.after[ms], [...jsonPath, 'after', ms]);
	}
	if (node.onDone !== undefined) pushConfig(out, source, 'onDone', node.onDone, [...jsonPath, 'onDone']);
	if (node.onError !== undefined) pushConfig(out, source, 'onError', node.onError, [...jsonPath, 'onError']);
	return out;
}

/** Every transition alternative of the workflow: the root's `on` first, then states in document order. */
export function allTransitions(workflow: Workflow, index: StateIndex = indexStates(workflow)): TransitionEntry[] {
	const out = stateTransitions('', { on: workflow.on }, []);
	for (const e of index.entries) out.push(...stateTransitions(e.path, e.node, e.jsonPath));
	return out;
}

/** Writes alternatives back in the most compact equivalent form (a bare target when that is all there is). */
export function compactTransitions(specs: TransitionSpec[]): TransitionConfig | undefined {
	if (specs.length === 0) return undefined;
	if (specs.length === 1) {
		const s = specs[0];
		const keys = Object.keys(s).filter((k) => (s as Record<string, unknown>)[k] !== undefined);
		if (keys.length === 1 && keys[0] === 'target' && typeof s.target === 'string') return s.target;
		return s;
	}
	return specs;
}

/** What a user reads for a trigger: the event, `after 5s`, `always`, `onDone`, `onError`. */
export function triggerLabel(trigger: string): string {
	if (trigger.startsWith('on:')) return trigger.slice(3);
	if (trigger.startsWith('after:')) {
		const ms = Number(trigger.slice(6));
		if (!Number.isFinite(ms)) return 'after ?';
		return `after ${ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`}`;
	}
	return trigger;
}

/** A transition with its targets resolved, as the designer draws it. */
export interface ResolvedTransition extends TransitionEntry {
	/** What a user reads on the edge (`triggerLabel`). */
	label: string;
	/** Resolved target paths, in the order written (empty when targetless); null where a target names no state. */
	targets: (StatePath | null)[];
}

/** Every transition of the workflow with its targets resolved: the root's `on` first, then states in document order. */
export function listTransitions(workflow: Workflow, index: StateIndex = indexStates(workflow)): ResolvedTransition[] {
	return allTransitions(workflow, index).map((t) => ({
		...t,
		label: triggerLabel(t.trigger),
		targets: targetsOf(t.spec).map((x) => resolveTarget(index, t.source, x) ?? null)
	}));
}

/** The parts of a transition id (`source|trigger|index`). */
export function parseTransitionId(id: TransitionId): { source: StatePath; trigger: string; index: number } {
	const a = id.indexOf('|');
	const b = id.lastIndexOf('|');
	return { source: id.slice(0, a), trigger: id.slice(a + 1, b), index: Number(id.slice(b + 1)) };
}

/** The transition with this id, resolved, or undefined. */
export function findTransition(workflow: Workflow, id: TransitionId): ResolvedTransition | undefined {
	return listTransitions(workflow).find((t) => t.id === id);
}

/** JSON path of a state path: `a.b` → `["states","a","states","b"]`. */
export function stateJsonPath(path: StatePath): string[] {
	if (!path) return [];
	const out: string[] = [];
	for (const k of path.split('.')) out.push('states', k);
	return out;
}

/** A JSON path as people read it: `states.open.on.CLOSE[0].target`. */
export function formatPath(path: readonly (string | number)[], max = 16): string {
	let s = '';
	const shown = path.length > max ? path.slice(path.length - max) : path;
	for (const p of shown) {
		if (typeof p === 'number') s += `[${p}]`;
		else if (/^[A-Za-z_$][\w$-]*$/.test(p) || /^\d+$/.test(p)) s += s ? `.${p}` : p;
		else s += `[${JSON.stringify(p)}]`;
	}
	if (shown !== path) s = `…${s[0] === '[' ? '' : '.'}${s}`;
	return s || '(document)';
}

function editDistance(a: string, b: string, max: number): number {
	if (Math.abs(a.length - b.length) > max) return max + 1;
	let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		let best = i;
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
			if (cur[j] < best) best = cur[j];
		}
		if (best > max) return max + 1;
		prev = cur;
	}
	return prev[b.length];
}

/** The candidate closest to `word` (case-insensitive edit distance), if close enough to be a likely typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
	const w = word.toLowerCase();
	const max = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
	let best: string | undefined;
	let bestD = max + 1;
	for (const c of candidates) {
		if (c === word) continue;
		const d = editDistance(w, c.toLowerCase(), max);
		if (d < bestD) {
			bestD = d;
			best = c;
		}
	}
	return best;
}

/** Targets a user could write from `source`: sibling keys, `.child` keys and `#ids`. */
export function targetCandidates(index: StateIndex, source: StatePath): string[] {
	const out: string[] = [];
	const base = source === '' ? '' : parentPath(source);
	for (const e of index.entries) {
		if (e.parent === base) out.push(escapeTargetSegment(e.key));
		if (source && e.parent === source) out.push(`.${escapeTargetSegment(e.key)}`);
	}
	for (const id of index.byId.keys()) out.push(`#${escapeTargetSegment(id)}`);
	return out;
}
