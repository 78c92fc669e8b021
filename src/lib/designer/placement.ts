/**
 * Where states go on the canvas without auto-layout: the size a state will take before it is
 * drawn, a free spot for a new state near where it was asked for, and containers (compound and
 * parallel states) that always enclose their children with padding. Pure; positions are
 * relative to the parent state, as in `workflow.layout`.
 */
import type { LayoutEntry, StateNodeSpec, Workflow } from '../model/types';
import { allStatePaths, keyOf, listTransitions, parentPath, stateAt, stateType } from '../model/tree';

export const NODE_W = 140;
export const NODE_H = 44;
export const CONTAINER_PAD = { top: 44, left: 20, right: 20, bottom: 20 };
export const CONTAINER_MIN = { width: 240, height: 140 };

export interface Size {
	width: number;
	height: number;
}
export interface Rect extends Size {
	x: number;
	y: number;
}

const isContainer = (s: StateNodeSpec) => {
	const t = stateType(s);
	return t === 'compound' || t === 'parallel';
};

/**
 * The size an atomic state is drawn at (its name, the effect chips below it), close enough to
 * keep states apart before the canvas has measured them.
 */
export function estimateStateSize(key: string, s: StateNodeSpec): Size {
	const width = Math.max(120, Math.min(220, 40 + key.length * 7.8));
	const chips = [...(s.entry ?? []), ...(s.invoke ? [s.invoke] : []), ...(s.exit ?? [])];
	let height = 40;
	if (stateType(s) === 'final' || stateType(s) === 'history') height += 14;
	if (chips.length) {
		const inner = width - 24;
		let rows = 1;
		let line = 0;
		for (const c of chips) {
			const w = Math.min(inner, 30 + String(c?.type ?? '').length * 6.2);
			if (line && line + w > inner) {
				rows++;
				line = 0;
			}
			line += w + 3;
		}
		height += 6 + rows * 19;
	}
	return { width: Math.round(width), height: Math.round(height) };
}

/** The size of a drawn state: its stored size (containers), a measured size, or an estimate. */
export function sizeOf(wf: Workflow, path: string, measured?: Map<string, Size>): Size {
	const l = wf.layout?.[path];
	const s = stateAt(wf, path);
	if (s && isContainer(s)) return { width: l?.width ?? CONTAINER_MIN.width, height: l?.height ?? CONTAINER_MIN.height };
	return measured?.get(path) ?? (s ? estimateStateSize(keyOf(path), s) : { width: NODE_W, height: NODE_H });
}

function overlaps(a: Rect, b: Rect, gap: number): boolean {
	return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/** The rectangles of the states directly inside `parent` ('' = top level), except `skip`. */
export function siblingRects(wf: Workflow, parent: string, skip?: string, measured?: Map<string, Size>): Rect[] {
	const children = parent ? Object.keys(stateAt(wf, parent)?.states ?? {}).map((k) => `${parent}.${k}`) : Object.keys(wf.states);
	const out: Rect[] = [];
	for (const p of children) {
		if (p === skip) continue;
		const l = wf.layout?.[p];
		if (!l || !Number.isFinite(l.x) || !Number.isFinite(l.y)) continue;
		out.push({ x: l.x, y: l.y, ...sizeOf(wf, p, measured) });
	}
	return out;
}

/**
 * The spot nearest to `want` where a state of `size` covers no sibling (with a gap), searched
 * on a grid in growing rings; `min` keeps children clear of their container's header.
 */
export function freeSpot(want: { x: number; y: number }, size: Size, others: Rect[], opts: { gap?: number; grid?: number; min?: { x: number; y: number } } = {}): { x: number; y: number } {
	const gap = opts.gap ?? 24;
	const grid = opts.grid ?? 20;
	const min = opts.min ?? { x: -Infinity, y: -Infinity };
	const start = { x: Math.max(min.x, Math.round(want.x / grid) * grid), y: Math.max(min.y, Math.round(want.y / grid) * grid) };
	const free = (x: number, y: number) => x >= min.x && y >= min.y && !others.some((o) => overlaps({ x, y, ...size }, o, gap));
	if (free(start.x, start.y)) return start;
	for (let ring = 1; ring < 200; ring++) {
		let best: { x: number; y: number; d: number } | null = null;
		for (let i = -ring; i <= ring; i++) {
			for (const [dx, dy] of [
				[i, -ring],
				[i, ring],
				[-ring, i],
				[ring, i]
			]) {
				const x = start.x + dx * grid;
				const y = start.y + dy * grid;
				if (!free(x, y)) continue;
				const d = Math.hypot(x - want.x, y - want.y);
				if (!best || d < best.d) best = { x, y, d };
			}
		}
		if (best) return { x: best.x, y: best.y };
	}
	return start;
}

/**
 * Layout changes that make every container enclose its children with padding: children left of
 * or above the padding move in (and the container moves out by as much, so nothing moves on
 * screen), and containers grow to their children. Deepest containers first, so growth
 * propagates up. Returns only the entries that change.
 */
export function fitContainers(wf: Workflow, measured?: Map<string, Size>): Record<string, LayoutEntry> {
	const layout: Record<string, LayoutEntry> = {};
	const get = (p: string): LayoutEntry | undefined => layout[p] ?? wf.layout?.[p];
	const changed = new Set<string>();
	const containers = allStatePaths(wf)
		.filter((p) => isContainer(stateAt(wf, p)!))
		.sort((a, b) => b.split('.').length - a.split('.').length);
	for (const c of containers) {
		const kids = Object.keys(stateAt(wf, c)!.states ?? {}).map((k) => `${c}.${k}`);
		const rects: { p: string; r: Rect }[] = [];
		for (const k of kids) {
			const l = get(k);
			if (!l || !Number.isFinite(l.x) || !Number.isFinite(l.y)) continue;
			const size = isContainer(stateAt(wf, k)!) ? { width: l.width ?? CONTAINER_MIN.width, height: l.height ?? CONTAINER_MIN.height } : sizeOf(wf, k, measured);
			rects.push({ p: k, r: { x: l.x, y: l.y, ...size } });
		}
		const own = get(c) ?? { x: 0, y: 0 };
		let { x, y } = own;
		let width = own.width ?? CONTAINER_MIN.width;
		let height = own.height ?? CONTAINER_MIN.height;
		if (rects.length) {
			const dx = Math.max(0, CONTAINER_PAD.left - Math.min(...rects.map((e) => e.r.x)));
			const dy = Math.max(0, CONTAINER_PAD.top - Math.min(...rects.map((e) => e.r.y)));
			if (dx || dy) {
				for (const e of rects) {
					e.r.x += dx;
					e.r.y += dy;
					layout[e.p] = { ...get(e.p)!, x: e.r.x, y: e.r.y };
					changed.add(e.p);
				}
				x -= dx;
				y -= dy;
			}
			width = Math.max(width, ...rects.map((e) => e.r.x + e.r.width + CONTAINER_PAD.right));
			height = Math.max(height, ...rects.map((e) => e.r.y + e.r.height + CONTAINER_PAD.bottom));
		}
		width = Math.max(CONTAINER_MIN.width, Math.ceil(width));
		height = Math.max(CONTAINER_MIN.height, Math.ceil(height));
		if (x !== own.x || y !== own.y || width !== own.width || height !== own.height) {
			layout[c] = { ...own, x, y, width, height };
			changed.add(c);
		}
	}
	return Object.fromEntries([...changed].map((p) => [p, layout[p]]));
}

/** States with no position yet (imported, pasted from another tool). */
export function unplacedStates(wf: Workflow): string[] {
	return allStatePaths(wf).filter((p) => {
		const l = wf.layout?.[p];
		return !l || !Number.isFinite(l.x) || !Number.isFinite(l.y);
	});
}

/** Positions for the few unplaced states of a laid-out workflow: free spots among their siblings. */
export function placeMissing(wf: Workflow, measured?: Map<string, Size>): Record<string, LayoutEntry> {
	const out: Record<string, LayoutEntry> = {};
	const work: Workflow = { ...wf, layout: { ...(wf.layout ?? {}) } };
	for (const p of unplacedStates(wf)) {
		const parent = parentPath(p);
		const others = siblingRects(work, parent, p, measured);
		const size = sizeOf(work, p, measured);
		const right = others.length ? Math.max(...others.map((o) => o.x + o.width)) + 60 : parent ? CONTAINER_PAD.left : 0;
		const top = others.length ? Math.min(...others.map((o) => o.y)) : parent ? CONTAINER_PAD.top : 0;
		const spot = freeSpot({ x: right, y: top }, size, others, { min: parent ? { x: CONTAINER_PAD.left, y: CONTAINER_PAD.top } : undefined });
		out[p] = { x: spot.x, y: spot.y };
		work.layout![p] = out[p];
	}
	return out;
}

/**
 * A quick layered layout (milliseconds, no ELK) for opening a small workflow that has no
 * positions: in each container, states go in columns by their distance from the initial state
 * along transitions, one below the other; containers are sized around their children, the
 * regions of a parallel state stacked. Auto-layout (ELK) remains one click away.
 */
export function quickLayout(wf: Workflow): Record<string, LayoutEntry> {
	const out: Record<string, LayoutEntry> = {};
	const trans = listTransitions(wf);
	const GAP_X = 90;
	const GAP_Y = 40;
	// the child of `parent` that contains `path` (or is it)
	const childOf = (parent: string, path: string): string | null => {
		const prefix = parent ? parent + '.' : '';
		if (!path.startsWith(prefix) || path === parent) return null;
		const rest = path.slice(prefix.length).split('.')[0];
		return prefix + rest;
	};
	/** Lays out the children of `parent` ('' = top level); returns the size they take. */
	const place = (parent: string, origin: { x: number; y: number }): Size => {
		const spec = parent ? stateAt(wf, parent)! : undefined;
		const keys = Object.keys(parent ? (spec!.states ?? {}) : wf.states);
		if (!keys.length) return { width: 0, height: 0 };
		const paths = keys.map((k) => (parent ? `${parent}.${k}` : k));
		const sizes = new Map<string, Size>();
		for (const p of paths) {
			const s = stateAt(wf, p)!;
			if (isContainer(s)) {
				const inner = place(p, { x: CONTAINER_PAD.left, y: CONTAINER_PAD.top });
				sizes.set(p, {
					width: Math.max(CONTAINER_MIN.width, inner.width + CONTAINER_PAD.left + CONTAINER_PAD.right),
					height: Math.max(CONTAINER_MIN.height, inner.height + CONTAINER_PAD.top + CONTAINER_PAD.bottom)
				});
			} else sizes.set(p, estimateStateSize(keyOf(p), s));
		}
		if (spec && stateType(spec) === 'parallel') {
			// regions one below the other, as wide as the widest
			const w = Math.max(...paths.map((p) => sizes.get(p)!.width));
			let y = origin.y;
			for (const p of paths) {
				out[p] = { x: origin.x, y, ...(isContainer(stateAt(wf, p)!) ? { width: w, height: sizes.get(p)!.height } : {}) };
				y += sizes.get(p)!.height + GAP_Y / 2;
			}
			return { width: w, height: y - GAP_Y / 2 - origin.y };
		}
		// columns: breadth-first from the initial child over transitions between siblings
		const first = parent ? (spec!.initial ? `${parent}.${spec!.initial}` : paths[0]) : wf.initial && wf.states[wf.initial] ? wf.initial : paths[0];
		const next = new Map<string, string[]>(paths.map((p) => [p, []]));
		for (const t of trans) {
			const a = t.source ? childOf(parent, t.source) : null;
			if (!a) continue;
			for (const target of t.targets) {
				const b = target ? childOf(parent, target) : null;
				if (b && b !== a && !next.get(a)!.includes(b)) next.get(a)!.push(b);
			}
		}
		const column = new Map<string, number>([[first, 0]]);
		const queue = [first];
		while (queue.length) {
			const p = queue.shift()!;
			for (const q of next.get(p) ?? []) {
				if (!column.has(q)) {
					column.set(q, column.get(p)! + 1);
					queue.push(q);
				}
			}
		}
		let last = Math.max(...column.values());
		for (const p of paths) if (!column.has(p)) column.set(p, ++last);
		const cols: string[][] = [];
		for (const p of paths) (cols[column.get(p)!] ??= []).push(p);
		let x = origin.x;
		let height = 0;
		for (const col of cols.filter(Boolean)) {
			let y = origin.y;
			const w = Math.max(...col.map((p) => sizes.get(p)!.width));
			for (const p of col) {
				const size = sizes.get(p)!;
				out[p] = { x, y, ...(isContainer(stateAt(wf, p)!) ? { width: size.width, height: size.height } : {}) };
				y += size.height + GAP_Y;
			}
			height = Math.max(height, y - GAP_Y - origin.y);
			x += w + GAP_X;
		}
		return { width: x - GAP_X - origin.x, height };
	};
	place('', { x: 0, y: 0 });
	return out;
}
