/** Paths of transition edges: floating between node borders, fanned out when several share a pair, loops for self-transitions. */
export interface Rect {
	x: number;
	y: number;
	w: number;
	h: number;
}
export interface EdgeGeometry {
	path: string;
	labelX: number;
	labelY: number;
	/** The point at `t` (0 = start, 1 = end) along the path: labels slide along it to avoid each other. */
	at(t: number): { x: number; y: number };
}

const GAP = 3;

/** Where the ray from the centre of `r` towards `p` leaves the rectangle. */
export function borderPoint(r: Rect, p: { x: number; y: number }, gap = GAP): { x: number; y: number } {
	const cx = r.x + r.w / 2;
	const cy = r.y + r.h / 2;
	const vx = p.x - cx;
	const vy = p.y - cy;
	if (vx === 0 && vy === 0) return { x: cx, y: r.y };
	const hw = r.w / 2 + gap;
	const hh = r.h / 2 + gap;
	const s = Math.min(vx === 0 ? Infinity : hw / Math.abs(vx), vy === 0 ? Infinity : hh / Math.abs(vy));
	return { x: cx + vx * s, y: cy + vy * s };
}

const f = (n: number) => Math.round(n * 10) / 10;

export function selfLoop(r: Rect, k: number): EdgeGeometry {
	const size = 34 + k * 22;
	const sx = r.x + r.w - 28 - k * 8;
	const sy = r.y - GAP;
	const ex = r.x + r.w + GAP;
	const ey = r.y + 22 + k * 8;
	const c1x = sx;
	const c1y = sy - size * 1.5;
	const c2x = ex + size * 1.5;
	const c2y = ey;
	return {
		path: `M ${f(sx)} ${f(sy)} C ${f(c1x)} ${f(c1y)} ${f(c2x)} ${f(c2y)} ${f(ex)} ${f(ey)}`,
		labelX: f(0.125 * sx + 0.375 * c1x + 0.375 * c2x + 0.125 * ex),
		labelY: f(0.125 * sy + 0.375 * c1y + 0.375 * c2y + 0.125 * ey),
		at: (t) => {
			const u = 1 - t;
			return {
				x: u * u * u * sx + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * ex,
				y: u * u * u * sy + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * ey
			};
		}
	};
}

/** An edge between two different rectangles; `offset` (0 = straight) bends it to one side. */
export function floatingEdge(a: Rect, b: Rect, offset: number, flipped: boolean): EdgeGeometry {
	const ca = { x: a.x + a.w / 2, y: a.y + a.h / 2 };
	const cb = { x: b.x + b.w / 2, y: b.y + b.h / 2 };
	let dx = cb.x - ca.x;
	let dy = cb.y - ca.y;
	const len = Math.hypot(dx, dy) || 1;
	dx /= len;
	dy /= len;
	// perpendicular in the pair's canonical direction, so A→B and B→A bend to opposite sides
	let nx = -dy;
	let ny = dx;
	if (flipped) {
		nx = -nx;
		ny = -ny;
	}
	const bend = offset * 70;
	const mx = (ca.x + cb.x) / 2 + nx * bend;
	const my = (ca.y + cb.y) / 2 + ny * bend;
	if (offset === 0) {
		const s = borderPoint(a, cb);
		const e = borderPoint(b, ca);
		return {
			path: `M ${f(s.x)} ${f(s.y)} L ${f(e.x)} ${f(e.y)}`,
			labelX: f((s.x + e.x) / 2),
			labelY: f((s.y + e.y) / 2),
			at: (t) => ({ x: s.x + (e.x - s.x) * t, y: s.y + (e.y - s.y) * t })
		};
	}
	const s = borderPoint(a, { x: mx, y: my });
	const e = borderPoint(b, { x: mx, y: my });
	return {
		path: `M ${f(s.x)} ${f(s.y)} Q ${f(mx)} ${f(my)} ${f(e.x)} ${f(e.y)}`,
		labelX: f(0.25 * s.x + 0.5 * mx + 0.25 * e.x),
		labelY: f(0.25 * s.y + 0.5 * my + 0.25 * e.y),
		at: (t) => {
			const u = 1 - t;
			return { x: u * u * s.x + 2 * u * t * mx + t * t * e.x, y: u * u * s.y + 2 * u * t * my + t * t * e.y };
		}
	};
}
