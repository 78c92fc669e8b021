import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../src/lib/designer/auto-layout';
import { examples } from '../../src/lib/examples';
import { NODE_H, NODE_W, buildGraph } from '../../src/lib/designer/graph';

function overlaps(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) {
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

describe('auto-layout (ELK)', () => {
	it('places every state of every example without overlapping siblings, containers around children', async () => {
		for (const ex of examples) {
			const layout = await autoLayout(ex.workflow, new Map());
			const wf = { ...ex.workflow, layout };
			const { nodes } = buildGraph(wf);
			expect(Object.keys(layout).sort()).toEqual(nodes.map((n) => n.id).sort());
			const boxes = nodes.map((n) => ({ id: n.id, parent: n.parentId ?? '', x: n.position.x, y: n.position.y, w: n.width ?? NODE_W, h: n.height ?? NODE_H }));
			for (const a of boxes)
				for (const b of boxes) if (a !== b && a.parent === b.parent) expect(overlaps(a, b), `${ex.id}: ${a.id} overlaps ${b.id}`).toBe(false);
			for (const c of boxes.filter((b) => b.parent)) {
				const p = boxes.find((b) => b.id === c.parent)!;
				expect(c.x + c.w, `${c.id} inside ${p.id}`).toBeLessThanOrEqual(p.w);
				expect(c.y + c.h).toBeLessThanOrEqual(p.h);
			}
		}
		// CPU-bound (ELK lays out every example in turn): past 20 s at load 25–30.
	}, 120_000);
});
