import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseWorkflow } from '../../src/lib/model/parse';
import type { Workflow } from '../../src/lib/model/types';
import { activePaths, borderPoint, buildScene } from '../../src/lib/embed/viewer/scene';

function load(name: string): Workflow {
	const r = parseWorkflow(readFileSync(`src/lib/examples/${name}.json`, 'utf8'));
	if (!r.ok) throw new Error(r.errors[0].message);
	return r.workflow;
}

describe('viewer scene', () => {
	it('places states at their own layout and draws one edge per transition target', () => {
		const scene = buildScene(load('smart-door'));
		const byPath = Object.fromEntries(scene.states.map((s) => [s.path, s]));
		expect(Object.keys(byPath).sort()).toEqual(['closed', 'locked', 'open']);
		expect(byPath.open.rect.x).toBe(320);
		expect(byPath.open.rect.y).toBe(-80);
		expect(byPath.closed.initial).toBe(true);
		expect(byPath.open.effects).toEqual(['log']);
		const labels = scene.edges.map((e) => `${e.source}-${e.label}->${e.target}`).sort();
		expect(labels).toEqual(['closed-LOCK->locked', 'closed-OPEN->open', 'locked-UNLOCK->closed', 'open-CLOSE->closed', 'open-after 5s->closed']);
		for (const e of scene.edges) {
			// every edge starts on its source's border and ends on its target's border
			const s = byPath[e.source].rect;
			const t = byPath[e.target].rect;
			const onBorder = (p: { x: number; y: number }, r: typeof s) =>
				(Math.abs(p.x - r.x) < 0.01 || Math.abs(p.x - r.x - r.width) < 0.01 || Math.abs(p.y - r.y) < 0.01 || Math.abs(p.y - r.y - r.height) < 0.01) &&
				p.x >= r.x - 0.01 && p.x <= r.x + r.width + 0.01 && p.y >= r.y - 0.01 && p.y <= r.y + r.height + 0.01;
			expect(onBorder(e.points[0], s)).toBe(true);
			expect(onBorder(e.points[e.points.length - 1], t)).toBe(true);
		}
	});

	it('lays out a workflow without positions, children inside their containers', () => {
		const parsed = parseWorkflow({
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'n',
			initial: 'a',
			states: {
				a: { on: { GO: 'b' } },
				b: { initial: 'x', states: { x: { on: { NEXT: 'y' } }, y: { type: 'final' } }, onDone: 'c' },
				c: { type: 'final' }
			}
		});
		if (!parsed.ok) throw new Error(parsed.errors[0].message);
		const scene = buildScene(parsed.workflow);
		const r = Object.fromEntries(scene.states.map((s) => [s.path, s.rect]));
		for (const child of ['b.x', 'b.y']) {
			expect(r[child].x).toBeGreaterThanOrEqual(r.b.x);
			expect(r[child].y).toBeGreaterThanOrEqual(r.b.y);
			expect(r[child].x + r[child].width).toBeLessThanOrEqual(r.b.x + r.b.width);
			expect(r[child].y + r[child].height).toBeLessThanOrEqual(r.b.y + r.b.height);
		}
		// columns follow the transitions from the initial state
		expect(r.a.x).toBeLessThan(r.b.x);
		expect(r.b.x).toBeLessThan(r.c.x);
		// no two top-level states overlap
		const top = ['a', 'b', 'c'].map((p) => r[p]);
		for (let i = 0; i < top.length; i++)
			for (let j = i + 1; j < top.length; j++) {
				const A = top[i], B = top[j];
				expect(A.x + A.width <= B.x || B.x + B.width <= A.x || A.y + A.height <= B.y || B.y + B.height <= A.y).toBe(true);
			}
		expect(scene.bounds.width).toBeGreaterThan(0);
	});

	it('turns a state value into the active paths, ancestors included', () => {
		expect(activePaths('idle')).toEqual(['idle']);
		expect(activePaths({ player: { on: 'playing' } }).sort()).toEqual(['player', 'player.on', 'player.on.playing']);
		expect(activePaths({ a: 'x', b: 'y' }).sort()).toEqual(['a', 'a.x', 'b', 'b.y']);
	});

	it('finds where a line leaves a rectangle', () => {
		const r = { x: 0, y: 0, width: 100, height: 40 };
		expect(borderPoint(r, { x: 300, y: 20 })).toEqual({ x: 100, y: 20 });
		expect(borderPoint(r, { x: 50, y: -100 })).toEqual({ x: 50, y: 0 });
	});
});
