/**
 * Pure helpers over a Workflow's JSON: state paths, target resolution and the flat list of
 * transitions (each with its TransitionId). No Yjs here, so the designer and tests share it.
 */
import type { StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../model/types';

export function parentPath(path: string): string {
	const i = path.lastIndexOf('.');
	return i < 0 ? '' : path.slice(0, i);
}
export function keyOf(path: string): string {
	const i = path.lastIndexOf('.');
	return i < 0 ? path : path.slice(i + 1);
}
export function joinPath(parent: string, key: string): string {
	return parent ? `${parent}.${key}` : key;
}
export function isSelfOrDescendant(path: string, ancestor: string): boolean {
	return path === ancestor || path.startsWith(ancestor + '.');
}

/** The state at a path, or undefined. */
export function stateAt(wf: Workflow, path: string): StateNodeSpec | undefined {
	if (!path) return undefined;
	let states: Record<string, StateNodeSpec> | undefined = wf.states;
	let s: StateNodeSpec | undefined;
	for (const k of path.split('.')) {
		s = states?.[k];
		if (!s) return undefined;
		states = s.states;
	}
	return s;
}

/** Children map of a path ('' = top level). */
export function childrenAt(wf: Workflow, path: string): Record<string, StateNodeSpec> | undefined {
	return path ? stateAt(wf, path)?.states : wf.states;
}

/** Effective type: explicit, or inferred (`compound` with children, else `atomic`). */
export function stateType(s: StateNodeSpec): NonNullable<StateNodeSpec['type']> {
	if (s.type) return s.type;
	return s.states && Object.keys(s.states).length > 0 ? 'compound' : 'atomic';
}

/** Every state path, parents before children. */
export function allStatePaths(wf: Workflow): string[] {
	const out: string[] = [];
	const walk = (states: Record<string, StateNodeSpec> | undefined, parent: string) => {
		for (const [k, s] of Object.entries(states ?? {})) {
			const p = joinPath(parent, k);
			out.push(p);
			walk(s.states, p);
		}
	};
	walk(wf.states, '');
	return out;
}

/** Map of explicit state ids (`id` field) to paths. */
export function idIndex(wf: Workflow): Map<string, string> {
	const m = new Map<string, string>();
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p);
		if (s?.id) m.set(s.id, p);
	}
	return m;
}

/**
 * Resolves a target as XState v5 does: `#id`, `.child` of the source, or a sibling key
 * (optionally followed by `.child` segments). Returns the state path, or null.
 */
export function resolveTarget(wf: Workflow, source: string, target: string, ids = idIndex(wf)): string | null {
	if (!target) return null;
	let base: string;
	let rest: string;
	if (target.startsWith('#')) {
		const [id, ...more] = target.slice(1).split('.');
		const p = ids.get(id);
		if (p === undefined) return null;
		base = p;
		rest = more.join('.');
		const full = rest ? `${base}.${rest}` : base;
		return stateAt(wf, full) ? full : null;
	}
	if (target.startsWith('.')) {
		base = source;
		rest = target.slice(1);
	} else {
		base = parentPath(source);
		rest = target;
	}
	const full = joinPath(base, rest);
	return stateAt(wf, full) ? full : null;
}

/** The shortest target string that reaches `to` from `from`, or null if it needs an `#id`. */
export function relativeTarget(from: string, to: string): string | null {
	const base = parentPath(from);
	if (from && to.startsWith(from + '.')) return '.' + to.slice(from.length + 1);
	if (!base) return to;
	if (to.startsWith(base + '.')) return to.slice(base.length + 1);
	return null;
}

export function toSpecs(config: TransitionConfig | undefined): TransitionSpec[] {
	if (config === undefined || config === null) return [];
	if (typeof config === 'string') return [{ target: config }];
	if (Array.isArray(config)) return config.map((c) => (typeof c === 'string' ? { target: c } : c));
	return [config];
}

/** Writes alternatives back in the most compact equivalent form. */
export function fromSpecs(specs: TransitionSpec[]): TransitionConfig | undefined {
	if (specs.length === 0) return undefined;
	if (specs.length === 1) {
		const s = specs[0];
		const keys = Object.keys(s).filter((k) => (s as Record<string, unknown>)[k] !== undefined);
		if (keys.length === 1 && keys[0] === 'target' && typeof s.target === 'string') return s.target;
		return s;
	}
	return specs;
}

export interface FlatTransition {
	id: string;
	source: string;
	/** `on:EVENT`, `always`, `after:<ms>`, `onDone`, `onError`. */
	trigger: string;
	/** What the user reads on the edge. */
	label: string;
	index: number;
	spec: TransitionSpec;
	/** Resolved target paths (empty for a targetless transition); null entries do not resolve. */
	targets: (string | null)[];
}

export function triggerLabel(trigger: string): string {
	if (trigger.startsWith('on:')) return trigger.slice(3);
	if (trigger.startsWith('after:')) return `after ${formatMs(Number(trigger.slice(6)))}`;
	return trigger;
}

function formatMs(ms: number): string {
	if (!Number.isFinite(ms)) return '?';
	if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
	return `${ms}ms`;
}

/** Every transition of the workflow, with ids as in `transitionId()`. */
export function listTransitions(wf: Workflow): FlatTransition[] {
	const ids = idIndex(wf);
	const out: FlatTransition[] = [];
	const add = (source: string, trigger: string, config: TransitionConfig | undefined) => {
		toSpecs(config).forEach((spec, index) => {
			const t = spec.target;
			const list = t === undefined ? [] : Array.isArray(t) ? t : [t];
			out.push({
				id: `${source}|${trigger}|${index}`,
				source,
				trigger,
				label: triggerLabel(trigger),
				index,
				spec,
				targets: list.map((x) => resolveTarget(wf, source, x, ids))
			});
		});
	};
	for (const [ev, c] of Object.entries(wf.on ?? {})) add('', `on:${ev}`, c);
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p)!;
		for (const [ev, c] of Object.entries(s.on ?? {})) add(p, `on:${ev}`, c);
		if (s.always !== undefined) add(p, 'always', s.always);
		for (const [ms, c] of Object.entries(s.after ?? {})) add(p, `after:${ms}`, c);
		if (s.onDone !== undefined) add(p, 'onDone', s.onDone);
		if (s.onError !== undefined) add(p, 'onError', s.onError);
	}
	return out;
}

export function parseTransitionId(id: string): { source: string; trigger: string; index: number } {
	const a = id.indexOf('|');
	const b = id.lastIndexOf('|');
	return { source: id.slice(0, a), trigger: id.slice(a + 1, b), index: Number(id.slice(b + 1)) };
}

/** Finds a transition by id. */
export function findTransition(wf: Workflow, id: string): FlatTransition | undefined {
	return listTransitions(wf).find((t) => t.id === id);
}
