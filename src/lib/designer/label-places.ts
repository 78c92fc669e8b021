/**
 * The canvas's shared label places: Canvas computes where every transition label goes (so none
 * sits on another), each TransitionEdge reads its own place from this context.
 */
import { getContext, setContext } from 'svelte';
import type { InternalNode } from '@xyflow/svelte';
import { floatingEdge, selfLoop, type Rect } from './edge-geometry';
import type { TransitionEdge } from './graph';
import { estimateLabelSize, placeLabels, shortGuard, type LabelItem } from './label-placement';

export interface LabelPlaces {
	get(edgeId: string): { x: number; y: number } | undefined;
}

const KEY = Symbol('fsm-label-places');

export function setLabelPlaces(p: LabelPlaces): void {
	setContext(KEY, p);
}

export function getLabelPlaces(): LabelPlaces | undefined {
	return getContext<LabelPlaces | undefined>(KEY);
}

/** A drawn node's rectangle in flow coordinates. */
export function rectOf(n: InternalNode | undefined): Rect | null {
	if (!n) return null;
	const p = n.internals.positionAbsolute;
	return { x: p.x, y: p.y, w: n.measured.width ?? n.width ?? 140, h: n.measured.height ?? n.height ?? 44 };
}

/** Label centres for every edge whose both ends are drawn; states (not containers) are kept clear. */
export function computeLabelPlaces(edges: TransitionEdge[], lookup: Map<string, InternalNode>): Map<string, { x: number; y: number }> {
	const items: LabelItem[] = [];
	for (const e of edges) {
		const d = e.data;
		if (!d) continue;
		const a = rectOf(lookup.get(e.source));
		const b = rectOf(lookup.get(e.target));
		if (!a || !b) continue;
		const geometry = d.selfLoop ? selfLoop(a, d.offset) : floatingEdge(a, b, d.offset, d.flipped);
		items.push({ id: e.id, geometry, ...estimateLabelSize(d.label, d.guard ? `[${shortGuard(d.guard)}]` : undefined, d.effects) });
	}
	const obstacles: Rect[] = [];
	for (const n of lookup.values()) {
		if (n.type === 'container') continue;
		const r = rectOf(n);
		if (r) obstacles.push(r);
	}
	return placeLabels(items, obstacles);
}
