/**
 * Workflow → Svelte Flow nodes and edges. Pure; the canvas reconciles the result with
 * what Svelte Flow holds so unchanged nodes keep their identity (and measured size).
 */
import type { Edge, Node } from '@xyflow/svelte';
import type { EffectSpec, Problem, Severity, Workflow } from '../model/types';
import { problemTarget } from './problem-target';
import { effectOutline, effectSummary, type EffectSlot } from './effect-tree';
import { allStatePaths, keyOf, listTransitions, parentPath, stateAt, stateType } from '../model/tree';

import { CONTAINER_MIN, CONTAINER_PAD, NODE_H, NODE_W, estimateStateSize } from './placement';

export { CONTAINER_PAD, NODE_H, NODE_W };

export interface EffectChip {
	type: string;
	phase: 'entry' | 'invoke' | 'exit';
	/** For composers: the nesting in short (`retry › timeout › call_llm`). */
	summary?: string;
	/** The whole tree, one line per effect (for the tooltip). */
	outline?: string;
}

export interface StateNodeData extends Record<string, unknown> {
	key: string;
	path: string;
	type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
	initial: boolean;
	/** Child of a parallel state: drawn as a dashed region. */
	region: boolean;
	chips: EffectChip[];
	delays: string[];
	severity?: Severity;
	problemCount: number;
	active: boolean;
	description?: string;
	/** History states: deep (H*) or shallow (H). */
	deep?: boolean;
}

export interface TransitionEdgeData extends Record<string, unknown> {
	label: string;
	trigger: string;
	/** The guard expression, when the transition has one. */
	guard?: string;
	effects: number;
	/** Position among edges between the same two states, centred on 0. */
	offset: number;
	selfLoop: boolean;
	severity?: Severity;
	/** true when the pair's canonical direction is target→source (so offsets mirror). */
	flipped: boolean;
}

export type StateNode = Node<StateNodeData, 'state' | 'container'>;
export type TransitionEdge = Edge<TransitionEdgeData, 'transition'>;

function worst(a: Severity | undefined, b: Severity): Severity {
	const rank = { error: 3, warning: 2, info: 1 } as const;
	return !a || rank[b] > rank[a] ? b : a;
}

function chipsOf(entry: EffectSpec[] | undefined, invoke: EffectSpec | undefined, exit: EffectSpec[] | undefined, slotsOf?: (t: string) => EffectSlot[]): EffectChip[] {
	const chips: EffectChip[] = [];
	const chip = (e: EffectSpec | undefined, phase: EffectChip['phase']) => {
		const type = String(e?.type ?? '?');
		const c: EffectChip = { type, phase };
		if (e && slotsOf?.(type).length) {
			c.summary = effectSummary(e, slotsOf);
			c.outline = effectOutline(e, slotsOf).join('\n');
		}
		chips.push(c);
	};
	for (const e of entry ?? []) chip(e, 'entry');
	if (invoke) chip(invoke, 'invoke');
	for (const e of exit ?? []) chip(e, 'exit');
	return chips;
}

export interface GraphOptions {
	problems?: Problem[];
	active?: Set<string>;
	selectedNodes?: Set<string>;
	selectedEdges?: Set<string>;
	/** Effect slots of a kind, once the effect kinds have loaded: chips then show nesting. */
	slotsOf?: (type: string) => EffectSlot[];
}

/**
 * The drawn size of a container: its stored size, grown to enclose its children with padding
 * (a child dropped near its edge, a region added to a parallel state never spills out).
 */
function containerSize(wf: Workflow, path: string, positions: Map<string, { x: number; y: number }>, memo: Map<string, { width: number; height: number }>): { width: number; height: number } {
	const known = memo.get(path);
	if (known) return known;
	const s = stateAt(wf, path)!;
	const l = wf.layout?.[path];
	let w = l?.width ?? Math.max(CONTAINER_MIN.width, 320);
	let h = l?.height ?? Math.max(CONTAINER_MIN.height, 180);
	for (const [k, child] of Object.entries(s.states ?? {})) {
		const cp = `${path}.${k}`;
		const pos = positions.get(cp)!;
		const ct = stateType(child);
		const size = ct === 'compound' || ct === 'parallel' ? containerSize(wf, cp, positions, memo) : estimateStateSize(k, child);
		w = Math.max(w, pos.x + size.width + CONTAINER_PAD.right);
		h = Math.max(h, pos.y + size.height + CONTAINER_PAD.bottom);
	}
	const out = { width: Math.ceil(w), height: Math.ceil(h) };
	memo.set(path, out);
	return out;
}

/** Positions (relative to the parent) for every state; unplaced states get grid slots. */
export function positionsOf(wf: Workflow): Map<string, { x: number; y: number }> {
	const out = new Map<string, { x: number; y: number }>();
	const slots = new Map<string, number>();
	for (const p of allStatePaths(wf)) {
		const l = wf.layout?.[p];
		if (l && Number.isFinite(l.x) && Number.isFinite(l.y)) {
			out.set(p, { x: l.x, y: l.y });
			continue;
		}
		const parent = parentPath(p);
		const n = slots.get(parent) ?? 0;
		slots.set(parent, n + 1);
		const cols = parent ? 2 : 5;
		out.set(p, parent ? { x: CONTAINER_PAD.left + (n % cols) * (NODE_W + 40), y: CONTAINER_PAD.top + Math.floor(n / cols) * (NODE_H + 60) } : { x: (n % cols) * (NODE_W + 100), y: Math.floor(n / cols) * (NODE_H + 100) });
	}
	return out;
}

export function buildGraph(wf: Workflow, opts: GraphOptions = {}): { nodes: StateNode[]; edges: TransitionEdge[] } {
	const stateSev = new Map<string, Severity>();
	const stateCount = new Map<string, number>();
	const transSev = new Map<string, Severity>();
	for (const p of opts.problems ?? []) {
		const t = problemTarget(p);
		if (t.edge) transSev.set(t.edge, worst(transSev.get(t.edge), p.severity));
		else if (t.node) {
			stateSev.set(t.node, worst(stateSev.get(t.node), p.severity));
			stateCount.set(t.node, (stateCount.get(t.node) ?? 0) + 1);
		}
	}
	const positions = positionsOf(wf);
	const sizes = new Map<string, { width: number; height: number }>();
	const nodes: StateNode[] = [];
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p)!;
		const type = stateType(s);
		const parent = parentPath(p);
		const parentSpec = parent ? stateAt(wf, parent) : undefined;
		const isContainer = type === 'compound' || type === 'parallel';
		const initial = parent ? parentSpec?.initial === keyOf(p) : wf.initial === p;
		const size = isContainer ? containerSize(wf, p, positions, sizes) : undefined;
		const node: StateNode = {
			id: p,
			type: isContainer ? 'container' : 'state',
			position: positions.get(p)!,
			data: {
				key: keyOf(p),
				path: p,
				type,
				initial,
				region: !!parentSpec && stateType(parentSpec) === 'parallel',
				chips: chipsOf(s.entry, s.invoke, s.exit, opts.slotsOf),
				delays: Object.keys(s.after ?? {}),
				severity: stateSev.get(p),
				problemCount: stateCount.get(p) ?? 0,
				active: opts.active?.has(p) ?? false,
				description: s.description,
				...(type === 'history' ? { deep: s.history === 'deep' } : {})
			},
			...(parent ? { parentId: parent } : {}),
			...(size ? { width: size.width, height: size.height } : {}),
			...(opts.selectedNodes?.has(p) ? { selected: true } : {}),
			ariaLabel: `${type === 'final' ? 'Final state' : isContainer ? (type === 'parallel' ? 'Parallel state' : 'Compound state') : 'State'} ${keyOf(p)}${initial ? ', initial' : ''}`
		} as StateNode;
		if (isContainer) node.zIndex = -1 + p.split('.').length;
		nodes.push(node);
	}
	const edges: TransitionEdge[] = [];
	const groups = new Map<string, TransitionEdge[]>();
	for (const t of listTransitions(wf)) {
		if (!t.source) continue;
		t.targets.forEach((target, i) => {
			if (!target) return;
			const id = t.targets.length > 1 ? `${t.id}>${i}` : t.id;
			const e: TransitionEdge = {
				id,
				type: 'transition',
				source: t.source,
				target,
				data: {
					label: t.label,
					trigger: t.trigger,
					guard: typeof t.spec.guard === 'string' && t.spec.guard.trim() ? t.spec.guard.trim() : undefined,
					effects: t.spec.effects?.length ?? 0,
					offset: 0,
					selfLoop: t.source === target,
					severity: transSev.get(t.id),
					flipped: t.source > target
				},
				...(opts.selectedEdges?.has(id) ? { selected: true } : {}),
				ariaLabel: `Transition ${t.label} from ${t.source} to ${target}`
			} as TransitionEdge;
			const key = t.source < target ? `${t.source}\n${target}` : `${target}\n${t.source}`;
			const g = groups.get(key) ?? [];
			g.push(e);
			groups.set(key, g);
			edges.push(e);
		});
	}
	for (const g of groups.values()) {
		g.forEach((e, i) => {
			e.data!.offset = e.data!.selfLoop ? i : i - (g.length - 1) / 2;
		});
	}
	return { nodes, edges };
}

/** Transition id of an edge id (edges of multi-target transitions carry `>index`). */
export function transitionOfEdge(edgeId: string): string {
	const i = edgeId.lastIndexOf('>');
	return i > edgeId.lastIndexOf('|') ? edgeId.slice(0, i) : edgeId;
}

function same(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Keeps the previous object for every node that did not change, and carries over what
 * Svelte Flow measured, so a change to one state does not re-render or re-measure the rest.
 */
export function reconcileNodes(prev: StateNode[], next: StateNode[]): StateNode[] {
	const byId = new Map(prev.map((n) => [n.id, n]));
	const out = next.map((n) => {
		const p = byId.get(n.id);
		if (!p) return n;
		if (
			p.type === n.type && p.parentId === n.parentId && p.zIndex === n.zIndex && p.position.x === n.position.x && p.position.y === n.position.y &&
			p.width === n.width && p.height === n.height && !!p.selected === !!n.selected && p.zIndex === n.zIndex && same(p.data, n.data)
		)
			return p;
		return { ...n, measured: p.measured };
	});
	return sameItems(prev, out) ? prev : out;
}

/** Same objects in the same order: the caller can keep the old array (no work for Svelte Flow). */
function sameItems<T>(a: T[], b: T[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function reconcileEdges(prev: TransitionEdge[], next: TransitionEdge[]): TransitionEdge[] {
	const byId = new Map(prev.map((e) => [e.id, e]));
	const out = next.map((e) => {
		const p = byId.get(e.id);
		if (p && p.source === e.source && p.target === e.target && !!p.selected === !!e.selected && same(p.data, e.data)) return p;
		return e;
	});
	return sameItems(prev, out) ? prev : out;
}
