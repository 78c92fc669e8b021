import { describe, expect, it } from 'vitest';
import { floatingEdge, type Rect } from '../../src/lib/designer/edge-geometry';
import { estimateLabelSize, placeLabels, shortGuard } from '../../src/lib/designer/label-placement';

const box = (x: number, y: number): Rect => ({ x, y, w: 120, h: 40 });
const intersects = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
	Math.abs(a.x - b.x) * 2 < a.w + b.w && Math.abs(a.y - b.y) * 2 < a.h + b.h;

describe('transition labels never sit on one another', () => {
	it('two edges crossing at their middles: the labels slide apart along their edges', () => {
		// an X: a→d and b→c cross at the same middle point
		const a = box(0, 0), b = box(400, 0), c = box(0, 300), d = box(400, 300);
		const g1 = floatingEdge(a, d, 0, false);
		const g2 = floatingEdge(b, c, 0, false);
		expect(Math.abs(g1.labelX - g2.labelX) + Math.abs(g1.labelY - g2.labelY)).toBeLessThan(1);
		const size = estimateLabelSize('onError', 'context.x > 1', 1);
		const places = placeLabels([{ id: 'x', geometry: g1, ...size }, { id: 'y', geometry: g2, ...size }], [a, b, c, d]);
		const p = places.get('x')!, q = places.get('y')!;
		expect(intersects({ ...p, ...size }, { ...q, ...size })).toBe(false);
		// both stay on their own edge: on the line between the two centres
		for (const [pt, g] of [[p, g1], [q, g2]] as const) {
			const s = g.at(0), e = g.at(1);
			const cross = (e.x - s.x) * (pt.y - s.y) - (e.y - s.y) * (pt.x - s.x);
			expect(Math.abs(cross) / Math.hypot(e.x - s.x, e.y - s.y)).toBeLessThan(1);
		}
	});

	it('twelve labels on parallel edges between the same rows stay apart, and a free label keeps its middle', () => {
		const items = Array.from({ length: 12 }, (_, i) => {
			const g = floatingEdge(box(i * 30, 0), box(i * 30 + 10, 400), 0, false);
			return { id: `e${i}`, geometry: g, ...estimateLabelSize(`EVENT_${i}`, undefined, 0) };
		});
		const places = placeLabels(items);
		const rects = items.map((it) => ({ ...places.get(it.id)!, w: it.w, h: it.h }));
		for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(intersects(rects[i], rects[j]), `${i}/${j}`).toBe(false);
		const lone = floatingEdge(box(0, 0), box(500, 0), 0, false);
		expect(placeLabels([{ id: 'a', geometry: lone, w: 40, h: 20 }]).get('a')).toEqual({ x: lone.labelX, y: lone.labelY });
	});

	it('shows a guard shortened', () => {
		expect(shortGuard('context.locked   = false')).toBe('context.locked = false');
		expect(shortGuard('$count(context.items[status = "open"]) > 3 and context.ok')).toBe('$count(context.items[st…');
	});
});
