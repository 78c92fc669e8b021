import { describe, expect, it } from 'vitest';
import { borderPoint, floatingEdge, selfLoop } from '../../src/lib/designer/edge-geometry';

const A = { x: 0, y: 0, w: 100, h: 50 };
const B = { x: 300, y: 0, w: 100, h: 50 };

function nums(path: string) {
	return path.match(/-?\d+(\.\d+)?/g)!.map(Number);
}

describe('edge geometry', () => {
	it('a straight edge leaves and enters at the facing borders', () => {
		const g = floatingEdge(A, B, 0, false);
		const [sx, sy, ex, ey] = nums(g.path);
		expect(sx).toBeCloseTo(103, 0);
		expect(sy).toBeCloseTo(25, 0);
		expect(ex).toBeCloseTo(297, 0);
		expect(ey).toBeCloseTo(25, 0);
		expect(g.labelX).toBeCloseTo(200, 0);
	});

	it('edges between the same pair bend to different sides, and A→B mirrors B→A', () => {
		const up = floatingEdge(A, B, -0.5, false);
		const down = floatingEdge(A, B, 0.5, false);
		expect(up.labelY).toBeLessThan(25);
		expect(down.labelY).toBeGreaterThan(25);
		// the reverse edge with the same offset, flipped, bends to the same side as A→B
		const rev = floatingEdge(B, A, 0.5, true);
		expect(rev.labelY).toBeCloseTo(down.labelY, 5);
	});

	it('border points stay on the rectangle (plus the gap)', () => {
		const p = borderPoint(A, { x: 50, y: 500 }, 0);
		expect(p).toEqual({ x: 50, y: 50 });
		const q = borderPoint(A, { x: 1000, y: 25 }, 0);
		expect(q).toEqual({ x: 100, y: 25 });
	});

	it('self-loops grow with their index', () => {
		const a = selfLoop(A, 0);
		const b = selfLoop(A, 1);
		expect(a.labelY).toBeLessThan(0);
		expect(b.labelY).toBeLessThan(a.labelY);
		expect(b.labelX).toBeGreaterThan(a.labelX);
	});
});
