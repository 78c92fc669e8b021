/**
 * Positions for states a model wrote without any (drafts, added states): a layered layout
 * per level — columns by distance from the initial state along transitions — keeping every
 * position that already exists. Pure and deterministic; the designer's own auto-layout (ELK)
 * stays available for a nicer arrangement.
 */
import type { LayoutEntry, StateNodeSpec, Workflow } from '../model/types';
import { listTransitions, stateAt, stateType } from '../model/tree';

const NODE_W = 170;
const NODE_H = 56;
const GAP_X = 90;
const GAP_Y = 60;
const PAD = 30;
const HEADER = 46;

interface Size {
	width: number;
	height: number;
}

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
const isContainer = (s: StateNodeSpec) => {
	const t = stateType(s);
	return t === 'compound' || t === 'parallel';
};

/** Layout entries for every state that has none (and sizes for containers that need one). */
export function layoutMissing(wf: Workflow): Record<string, LayoutEntry> {
	const existing = wf.layout ?? {};
	const out: Record<string, LayoutEntry> = {};
	// sizes of containers, computed from what they hold
	const sizes = new Map<string, Size>();
	const trans = listTransitions(wf);
	const sizeOf = (path: string, s: StateNodeSpec): Size => {
		const l = existing[path];
		if (isContainer(s)) return sizes.get(path) ?? { width: l?.width ?? 360, height: l?.height ?? 220 };
		return { width: l?.width ?? NODE_W, height: l?.height ?? NODE_H };
	};

	function level(parent: string, states: Record<string, StateNodeSpec>, initial: string | undefined, parallel: boolean): void {
		const keys = Object.keys(states);
		// children first: a container's size depends on what it holds
		for (const k of keys) {
			const s = states[k];
			if (isContainer(s)) level(join(parent, k), s.states ?? {}, s.initial, stateType(s) === 'parallel');
		}
		const missing = keys.filter((k) => !existing[join(parent, k)]);
		if (!missing.length) return;
		const top = parent ? HEADER : 0;
		const left = parent ? PAD : 0;
		const placed = keys.filter((k) => existing[join(parent, k)]);
		let columns: string[][];
		if (parallel) columns = [keys];
		else {
			// distance from the initial state over transitions between siblings
			const depth = new Map<string, number>();
			const start = initial && states[initial] ? initial : keys[0];
			depth.set(start, 0);
			const queue = [start];
			const sibling = (p: string | null) => {
				if (p === null) return undefined;
				const rest = parent ? (p.startsWith(parent + '.') ? p.slice(parent.length + 1) : undefined) : p;
				return rest?.split('.')[0];
			};
			while (queue.length) {
				const k = queue.shift()!;
				const from = join(parent, k);
				for (const t of trans) {
					if (t.source !== from && !t.source.startsWith(from + '.')) continue;
					for (const target of t.targets) {
						const to = sibling(target);
						if (to && to in states && !depth.has(to)) {
							depth.set(to, depth.get(k)! + 1);
							queue.push(to);
						}
					}
				}
			}
			const last = Math.max(0, ...depth.values());
			for (const k of keys) if (!depth.has(k)) depth.set(k, last + 1);
			columns = [];
			for (const k of keys) (columns[depth.get(k)!] ??= []).push(k);
			columns = columns.filter(Boolean);
		}
		if (placed.length === 0) {
			let x = left;
			for (const col of columns) {
				let y = top + (parent ? PAD / 2 : 0);
				let w = 0;
				for (const k of col) {
					const size = sizeOf(join(parent, k), states[k]);
					out[join(parent, k)] = { x, y, ...(isContainer(states[k]) ? size : {}) };
					y += size.height + GAP_Y;
					w = Math.max(w, size.width);
				}
				x += w + GAP_X;
			}
		} else {
			// beside what is already there: a new column to the right, in column order
			const x = Math.max(...placed.map((k) => existing[join(parent, k)].x + sizeOf(join(parent, k), states[k]).width)) + GAP_X;
			let y = Math.min(...placed.map((k) => existing[join(parent, k)].y));
			for (const col of columns) {
				for (const k of col) {
					if (existing[join(parent, k)]) continue;
					const size = sizeOf(join(parent, k), states[k]);
					out[join(parent, k)] = { x, y, ...(isContainer(states[k]) ? size : {}) };
					y += size.height + GAP_Y;
				}
			}
		}
		// the container grows around its children
		if (parent && stateAt(wf, parent)) {
			let w = 0;
			let h = 0;
			for (const k of keys) {
				const l = out[join(parent, k)] ?? existing[join(parent, k)];
				const size = sizeOf(join(parent, k), states[k]);
				w = Math.max(w, l.x + size.width);
				h = Math.max(h, l.y + size.height);
			}
			const prev = existing[parent];
			const size = { width: Math.max(prev?.width ?? 0, w + PAD), height: Math.max(prev?.height ?? 0, h + PAD) };
			sizes.set(parent, size);
			if (prev && (prev.width !== size.width || prev.height !== size.height)) out[parent] = { ...prev, ...size };
		}
	}

	level('', wf.states ?? {}, wf.initial, wf.type === 'parallel');
	return out;
}

/** The workflow with positions for every state (existing ones kept). */
export function withLayout(wf: Workflow): Workflow {
	const add = layoutMissing(wf);
	if (!Object.keys(add).length) return wf;
	const layout = { ...(wf.layout ?? {}) };
	for (const [p, e] of Object.entries(add)) layout[p] = { ...(layout[p] ?? {}), ...e };
	return { ...wf, layout: Object.fromEntries(Object.entries(layout).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}
