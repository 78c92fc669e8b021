import { describe, expect, it } from 'vitest';
import { CONTAINER_PAD, estimateStateSize, fitContainers, freeSpot, placeMissing, siblingRects, sizeOf, unplacedStates, type Rect } from '../../src/lib/designer/placement';
import { buildGraph } from '../../src/lib/designer/graph';
import type { Workflow } from '../../src/lib/model/types';

const wf = (states: Workflow['states'], layout: Workflow['layout'] = {}): Workflow => ({ format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'w', initial: Object.keys(states)[0], states, layout }) as Workflow;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('sizes before drawing', () => {
	it('grows with the name and the effect chips', () => {
		const short = estimateStateSize('a', {});
		const long = estimateStateSize('a_very_long_state_name_here', {});
		expect(long.width).toBeGreaterThan(short.width);
		expect(long.width).toBeLessThanOrEqual(220);
		const chips = estimateStateSize('a', { entry: [{ type: 'log' }, { type: 'assign' }, { type: 'http' }, { type: 'call_llm' }] });
		expect(chips.height).toBeGreaterThan(short.height + 19);
	});
});

describe('a free spot for a new state', () => {
	it('is where it was asked for when that is free, else the nearest spot covering nothing', () => {
		const others: Rect[] = [{ x: 0, y: 0, width: 140, height: 44 }];
		expect(freeSpot({ x: 400, y: 400 }, { width: 140, height: 44 }, others)).toEqual({ x: 400, y: 400 });
		const spot = freeSpot({ x: 10, y: 10 }, { width: 140, height: 44 }, others);
		expect(overlap({ ...spot, width: 140 + 24, height: 44 + 24 }, { x: -24, y: -24, width: 140 + 48, height: 44 + 48 })).toBe(false);
		expect(Math.hypot(spot.x - 10, spot.y - 10)).toBeLessThan(120);
	});

	it('never lands on any of many states, pressing S again and again at the same point', () => {
		const rects: Rect[] = [];
		for (let i = 0; i < 30; i++) {
			const size = { width: 140, height: 44 };
			const spot = freeSpot({ x: 200, y: 200 }, size, rects);
			for (const r of rects) expect(overlap({ ...spot, ...size }, r)).toBe(false);
			rects.push({ ...spot, ...size });
		}
	});

	it('keeps children below their container’s header', () => {
		const spot = freeSpot({ x: 0, y: 0 }, { width: 140, height: 44 }, [], { min: { x: CONTAINER_PAD.left, y: CONTAINER_PAD.top } });
		expect(spot.x).toBeGreaterThanOrEqual(CONTAINER_PAD.left);
		expect(spot.y).toBeGreaterThanOrEqual(CONTAINER_PAD.top);
	});
});

describe('containers enclose their children', () => {
	it('grows a compound to a child dropped past its edge, and moves in a child left of it without moving it on screen', () => {
		const w = wf(
			{ g: { type: 'compound', initial: 'a', states: { a: {}, b: {} } }, x: {} },
			{ g: { x: 100, y: 100, width: 300, height: 200 }, 'g.a': { x: -40, y: 60 }, 'g.b': { x: 500, y: 300 }, x: { x: 0, y: 600 } }
		);
		const fix = fitContainers(w);
		const after = { ...w.layout, ...fix };
		expect(after['g.a'].x).toBe(CONTAINER_PAD.left);
		// the container moved left by as much: a's absolute position is unchanged
		expect(after.g.x + after['g.a'].x).toBe(100 - 40);
		const b = sizeOf(w, 'g.b');
		expect(after.g.width).toBeGreaterThanOrEqual(after['g.b'].x + b.width + CONTAINER_PAD.right);
		expect(after.g.height).toBeGreaterThanOrEqual(after['g.b'].y + b.height + CONTAINER_PAD.bottom);
		// fitting again changes nothing
		expect(fitContainers({ ...w, layout: after })).toEqual({});
		// a state outside every container is never touched
		expect(fix.x).toBeUndefined();
	});

	it('regions of a parallel state: the parallel grows around its grown regions', () => {
		const w = wf(
			{ p: { type: 'parallel', states: { r1: { type: 'compound', initial: 'a', states: { a: {} } }, r2: { type: 'compound', initial: 'b', states: { b: {} } } } } },
			{ p: { x: 0, y: 0, width: 260, height: 160 }, 'p.r1': { x: 20, y: 50, width: 240, height: 140 }, 'p.r1.a': { x: 300, y: 50 }, 'p.r2': { x: 20, y: 220, width: 240, height: 140 }, 'p.r2.b': { x: 20, y: 60 } }
		);
		const after = { ...w.layout, ...fitContainers(w) };
		expect(after['p.r1'].width).toBeGreaterThan(300);
		expect(after.p.width).toBeGreaterThanOrEqual(after['p.r1'].x + after['p.r1'].width! + CONTAINER_PAD.right);
		expect(after.p.height).toBeGreaterThanOrEqual(after['p.r2'].y + after['p.r2'].height! + CONTAINER_PAD.bottom);
	});

	it('the canvas never draws a child outside its container, whatever is stored', () => {
		const w = wf({ g: { type: 'compound', initial: 'a', states: { a: {}, b: {} } } }, { g: { x: 0, y: 0, width: 200, height: 120 }, 'g.a': { x: 20, y: 50 }, 'g.b': { x: 420, y: 260 } });
		const { nodes } = buildGraph(w);
		const g = nodes.find((n) => n.id === 'g')!;
		const b = nodes.find((n) => n.id === 'g.b')!;
		expect(g.width!).toBeGreaterThanOrEqual(b.position.x + estimateStateSize('b', {}).width + CONTAINER_PAD.right);
		expect(g.height!).toBeGreaterThanOrEqual(b.position.y + estimateStateSize('b', {}).height + CONTAINER_PAD.bottom);
	});
});

describe('states without a position', () => {
	it('are found, and get free spots beside their siblings', () => {
		const w = wf({ a: {}, b: {}, c: {}, g: { type: 'compound', initial: 'x', states: { x: {}, y: {} } } }, { a: { x: 0, y: 0 }, b: { x: 200, y: 0 }, g: { x: 0, y: 200, width: 300, height: 200 }, 'g.x': { x: 20, y: 50 } });
		expect(unplacedStates(w)).toEqual(['c', 'g.y']);
		const placed = placeMissing(w);
		const all = { ...w, layout: { ...w.layout, ...placed } };
		for (const parent of ['', 'g']) {
			const rs = siblingRects(all, parent);
			for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) expect(overlap(rs[i], rs[j])).toBe(false);
		}
		expect(placed['g.y'].y).toBeGreaterThanOrEqual(CONTAINER_PAD.top);
	});
});

describe('a quick layout for a workflow without positions', async () => {
	const { examples } = await import('../../src/lib/examples');
	const { quickLayout } = await import('../../src/lib/designer/placement');
	const { allStatePaths } = await import('../../src/lib/model/tree');
	for (const ex of examples) {
		it(`places every state of "${ex.id}", siblings apart, containers around their children`, () => {
			const bare = { ...ex.workflow, layout: undefined } as Workflow;
			const layout = quickLayout(bare);
			const wf2 = { ...bare, layout };
			expect(Object.keys(layout).sort()).toEqual(allStatePaths(bare).sort());
			expect(fitContainers(wf2)).toEqual({});
			for (const parent of ['', ...allStatePaths(bare)]) {
				const rs = siblingRects(wf2, parent);
				for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) expect(overlap(rs[i], rs[j]), `${ex.id} in "${parent}"`).toBe(false);
			}
		});
	}

	it('puts states in columns by their distance from the initial state', () => {
		const w = wf({ a: { on: { GO: 'b' } }, b: { on: { GO: 'c' } }, c: { type: 'final' }, lone: {} });
		const l = quickLayout(w);
		expect(l.a.x).toBeLessThan(l.b.x);
		expect(l.b.x).toBeLessThan(l.c.x);
		expect(l.lone.x).toBeGreaterThan(l.c.x);
	});
});
