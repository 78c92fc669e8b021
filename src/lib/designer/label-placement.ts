/**
 * Transition labels that never sit on one another: each label slides along its own edge (and,
 * when the whole edge is crowded, steps off it a little) to the first spot that overlaps no
 * label placed before it and no state. Pure and synchronous; the canvas runs it for drawn
 * graphs up to a few hundred transitions.
 */
import type { EdgeGeometry, Rect } from './edge-geometry';

export interface LabelItem {
	id: string;
	geometry: EdgeGeometry;
	/** Estimated label size, px. */
	w: number;
	h: number;
}

/** Where along the edge a label may go, best first (the middle). */
const ALONG = [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75];
const MARGIN = 2;

/** The label's text width at the canvas's label font (600 11px; the guard in 10–11px mono). */
export function estimateLabelSize(label: string, guard: string | undefined, effects: number, badge?: string): { w: number; h: number } {
	let w = 14 + label.length * 6.8;
	if (guard) w += 4 + guard.length * 6.7;
	if (effects) w += 4 + 12 + String(effects).length * 6.5;
	if (badge) w += 4 + 10 + badge.length * 6;
	return { w: Math.ceil(w), h: 20 };
}

function overlap(a: Rect, b: Rect): number {
	const x = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
	const y = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
	return x > 0 && y > 0 ? x * y : 0;
}

/**
 * Label centres by edge id. `obstacles` are the states' rectangles (flow coordinates); a label
 * whose every candidate spot is crowded takes the least crowded one.
 */
export function placeLabels(items: LabelItem[], obstacles: Rect[] = []): Map<string, { x: number; y: number }> {
	const out = new Map<string, { x: number; y: number }>();
	const placed: Rect[] = [];
	// Labels in reading order: the result does not depend on the order edges arrive in.
	const order = items
		.map((it) => ({ it, mid: it.geometry.at(0.5) }))
		.sort((a, b) => a.mid.y - b.mid.y || a.mid.x - b.mid.x || (a.it.id < b.it.id ? -1 : 1));
	for (const { it } of order) {
		const g = it.geometry;
		const candidates: { x: number; y: number }[] = [];
		for (const t of ALONG) candidates.push(g.at(t));
		// crowded along the whole edge: step off it, above and below its middle
		const mid = g.at(0.5);
		for (const k of [1, -1, 2, -2]) candidates.push({ x: mid.x, y: mid.y + k * (it.h + MARGIN) });
		let best = candidates[0];
		let bestCost = Infinity;
		for (const [i, c] of candidates.entries()) {
			const r = { x: c.x - it.w / 2 - MARGIN, y: c.y - it.h / 2 - MARGIN, w: it.w + 2 * MARGIN, h: it.h + 2 * MARGIN };
			let cost = 0;
			for (const p of placed) cost += overlap(r, p) * 4;
			for (const o of obstacles) cost += overlap(r, o);
			// prefer spots near the middle when costs tie
			cost += i * 0.01;
			if (cost < bestCost) {
				bestCost = cost;
				best = c;
				if (cost < 1) break;
			}
		}
		out.set(it.id, { x: Math.round(best.x * 10) / 10, y: Math.round(best.y * 10) / 10 });
		placed.push({ x: best.x - it.w / 2, y: best.y - it.h / 2, w: it.w, h: it.h });
	}
	return out;
}

/** A guard as the canvas shows it: whitespace collapsed, at most `max` characters (… at the cut). */
export function shortGuard(expr: string, max = 24): string {
	const s = expr.replace(/\s+/g, ' ').trim();
	return s.length <= max ? s : s.slice(0, max - 1).trimEnd() + '…';
}
