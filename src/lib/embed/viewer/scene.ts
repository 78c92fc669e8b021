/**
 * What `<fsm-viewer>` draws, computed from a workflow without any DOM: every state as an
 * absolute rectangle (the workflow's own layout when every state has a position, else the
 * designer's quick layered layout), containers sized around their children, and every
 * transition as a polyline between the borders of its source and target with a label.
 * Pure, so it is unit-tested in Node and shared by nothing heavier than the model's tree.
 */
import type { LayoutEntry, StateValue, Workflow } from '../../model/types';
import { allStatePaths, keyOf, listTransitions, parentPath, stateAt, stateType, type ResolvedTransition } from '../../model/tree';
import { CONTAINER_MIN, estimateStateSize, fitContainers, quickLayout, unplacedStates, type Rect } from '../../designer/placement';

export interface SceneState {
	path: string;
	label: string;
	kind: ReturnType<typeof stateType>;
	/** Absolute rectangle on the canvas. */
	rect: Rect;
	depth: number;
	/** The initial child of its parent (or of the workflow). */
	initial: boolean;
	/** Effect types shown under the name (entry, invoke, exit). */
	effects: string[];
}

export interface SceneEdge {
	id: string;
	source: string;
	target: string;
	label: string;
	/** Polyline points, first on the source's border, last on the target's. */
	points: { x: number; y: number }[];
	labelAt: { x: number; y: number };
}

export interface Scene {
	states: SceneState[];
	edges: SceneEdge[];
	/** Bounding box of everything drawn. */
	bounds: Rect;
}

const isContainer = (k: string) => k === 'compound' || k === 'parallel';

/** Relative layout entries for every state: the document's own, or a quick layout when any is missing. */
export function layoutOf(wf: Workflow): Record<string, LayoutEntry> {
	const own = unplacedStates(wf).length === 0 ? { ...(wf.layout ?? {}) } : quickLayout(wf);
	return { ...own, ...fitContainers({ ...wf, layout: own }) };
}

/** Builds the scene of a (parsed) workflow. */
export function buildScene(wf: Workflow): Scene {
	const layout = layoutOf(wf);
	const rects = new Map<string, Rect>();
	const states: SceneState[] = [];
	for (const path of allStatePaths(wf)) {
		const spec = stateAt(wf, path)!;
		const kind = stateType(spec);
		const l = layout[path] ?? { x: 0, y: 0 };
		const parent = parentPath(path);
		const origin = parent ? rects.get(parent) ?? { x: 0, y: 0 } : { x: 0, y: 0 };
		const size = isContainer(kind)
			? { width: l.width ?? CONTAINER_MIN.width, height: l.height ?? CONTAINER_MIN.height }
			: estimateStateSize(keyOf(path), spec);
		const rect = { x: origin.x + l.x, y: origin.y + l.y, ...size };
		rects.set(path, rect);
		const parentSpec = parent ? stateAt(wf, parent) : undefined;
		const initialKey = parent ? parentSpec?.initial ?? (parentSpec && stateType(parentSpec) !== 'parallel' ? Object.keys(parentSpec.states ?? {})[0] : undefined) : wf.initial;
		const effects = [...(spec.entry ?? []), ...(spec.invoke ? [spec.invoke] : []), ...(spec.exit ?? [])].map((e) => String(e?.type ?? '?'));
		states.push({ path, label: keyOf(path), kind, rect, depth: path.split('.').length - 1, initial: initialKey === keyOf(path), effects: isContainer(kind) ? [] : effects });
	}
	const edges: SceneEdge[] = [];
	for (const t of listTransitions(wf)) edges.push(...edgesOf(t, rects));
	const all = [...rects.values()];
	const bounds = all.length
		? (() => {
				const x = Math.min(...all.map((r) => r.x));
				const y = Math.min(...all.map((r) => r.y));
				return { x, y, width: Math.max(...all.map((r) => r.x + r.width)) - x, height: Math.max(...all.map((r) => r.y + r.height)) - y };
			})()
		: { x: 0, y: 0, width: 0, height: 0 };
	return { states, edges, bounds };
}

function edgesOf(t: ResolvedTransition, rects: Map<string, Rect>): SceneEdge[] {
	const from = rects.get(t.source);
	if (!from) return []; // the workflow's own `on`: no box to start from
	const out: SceneEdge[] = [];
	t.targets.forEach((target, i) => {
		const to = target ? rects.get(target) : undefined;
		if (!target || !to) return;
		const id = t.targets.length > 1 ? `${t.id}#${i}` : t.id;
		if (target === t.source) {
			// a self-loop: an arc above the top edge
			const cx = from.x + from.width / 2;
			const y = from.y;
			const points = [
				{ x: cx - 18, y },
				{ x: cx - 26, y: y - 30 },
				{ x: cx + 26, y: y - 30 },
				{ x: cx + 18, y }
			];
			out.push({ id, source: t.source, target, label: t.label, points, labelAt: { x: cx, y: y - 36 } });
			return;
		}
		const inside = target.startsWith(t.source + '.'); // to a child, from its container's border
		const a = inside ? { x: from.x + 12, y: from.y + 22 } : centre(from);
		const b = centre(to);
		const p = inside ? a : borderPoint(from, b);
		const q = borderPoint(to, a);
		const mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
		out.push({ id, source: t.source, target, label: t.label, points: [p, q], labelAt: { x: mid.x, y: mid.y - 6 } });
	});
	return out;
}

const centre = (r: Rect) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 });

/** Where the line from the centre of `r` towards `toward` leaves the rectangle. */
export function borderPoint(r: Rect, toward: { x: number; y: number }): { x: number; y: number } {
	const c = centre(r);
	const dx = toward.x - c.x;
	const dy = toward.y - c.y;
	if (dx === 0 && dy === 0) return c;
	const sx = dx === 0 ? Infinity : r.width / 2 / Math.abs(dx);
	const sy = dy === 0 ? Infinity : r.height / 2 / Math.abs(dy);
	const s = Math.min(sx, sy);
	return { x: c.x + dx * s, y: c.y + dy * s };
}

/** Every active state path (leaves and their ancestors) of an XState-shaped state value. */
export function activePaths(value: StateValue | undefined, prefix = ''): string[] {
	if (value === undefined || value === null) return [];
	if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
	const out: string[] = [];
	for (const [k, v] of Object.entries(value)) {
		const p = prefix ? `${prefix}.${k}` : k;
		out.push(p, ...activePaths(v, p));
	}
	return out;
}
