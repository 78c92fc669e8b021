/**
 * Auto-layout with ELK (layered), loaded only when the user asks for it. Returns positions
 * relative to each state's parent, and sizes for compound/parallel states.
 */
import type { LayoutEntry, Workflow } from '../model/types';
import { allStatePaths, listTransitions, stateAt, stateType } from '../model/tree';
import { CONTAINER_MIN, CONTAINER_PAD, estimateStateSize } from './placement';
import { keyOf } from '../model/tree';

interface ElkNode {
	id: string;
	width?: number;
	height?: number;
	x?: number;
	y?: number;
	children?: ElkNode[];
	edges?: { id: string; sources: string[]; targets: string[]; labels?: { text: string; width: number; height: number }[] }[];
	layoutOptions?: Record<string, string>;
}

export type Direction = 'RIGHT' | 'DOWN';

export function elkGraph(wf: Workflow, sizes: Map<string, { width: number; height: number }>, direction: Direction = 'RIGHT'): ElkNode {
	const byPath = new Map<string, ElkNode>();
	const root: ElkNode = {
		id: '__root__',
		children: [],
		edges: [],
		layoutOptions: {
			'elk.algorithm': 'layered',
			'elk.direction': direction,
			'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
			'elk.layered.spacing.nodeNodeBetweenLayers': '110',
			'elk.spacing.nodeNode': '60',
			'elk.spacing.edgeLabel': '8',
			'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
			'elk.edgeRouting': 'POLYLINE',
			// labels take room between layers, so they do not sit on each other
			'elk.edgeLabels.placement': 'CENTER',
			'elk.layered.edgeLabels.sideSelection': 'ALWAYS_UP'
		}
	};
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p)!;
		const t = stateType(s);
		const container = t === 'compound' || t === 'parallel';
		const size = sizes.get(p);
		const n: ElkNode = container
			? {
					id: p,
					children: [],
					layoutOptions: {
						'elk.layered.spacing.nodeNodeBetweenLayers': '90',
						'elk.spacing.nodeNode': '50',
						'elk.padding': `[top=${CONTAINER_PAD.top + 6},left=${CONTAINER_PAD.left + 10},bottom=${CONTAINER_PAD.bottom},right=${CONTAINER_PAD.right}]`,
						// an empty (or nearly empty) container keeps a usable size: never a strip
						'elk.nodeSize.constraints': '[MINIMUM_SIZE]',
						'elk.nodeSize.minimum': `(${CONTAINER_MIN.width}, ${CONTAINER_MIN.height})`,
						...(t === 'parallel' ? { 'elk.direction': direction === 'RIGHT' ? 'DOWN' : 'RIGHT' } : {})
					}
				}
			: { id: p, ...(size ?? estimateStateSize(keyOf(p), s)) };
		byPath.set(p, n);
		const parent = p.includes('.') ? byPath.get(p.slice(0, p.lastIndexOf('.')))! : root;
		parent.children!.push(n);
	}
	let i = 0;
	for (const t of listTransitions(wf)) {
		if (!t.source) continue;
		for (const target of t.targets) {
			if (!target || target === t.source) continue;
			// an edge into or out of one's own container would make ELK draw the container around itself
			if (target.startsWith(t.source + '.') || t.source.startsWith(target + '.')) continue;
			const text = t.label + (t.spec.guard ? ` [${t.spec.guard.slice(0, 24)}]` : '');
			root.edges!.push({ id: `e${i++}`, sources: [t.source], targets: [target], labels: [{ text, width: Math.min(220, 18 + text.length * 6.6), height: 20 }] });
		}
	}
	return root;
}

/** Runs ELK and returns the new layout of every state. */
export async function autoLayout(wf: Workflow, sizes: Map<string, { width: number; height: number }>, direction: Direction = 'RIGHT'): Promise<Record<string, LayoutEntry>> {
	const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
	const elk = new ELK();
	const out = (await elk.layout(elkGraph(wf, sizes, direction) as never)) as unknown as ElkNode;
	const layout: Record<string, LayoutEntry> = {};
	const containers = new Set(allStatePaths(wf).filter((p) => ['compound', 'parallel'].includes(stateType(stateAt(wf, p)!))));
	const walk = (n: ElkNode) => {
		for (const c of n.children ?? []) {
			const e: LayoutEntry = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
			if (containers.has(c.id)) {
				e.width = Math.round(c.width ?? 0);
				e.height = Math.round(c.height ?? 0);
			}
			layout[c.id] = e;
			walk(c);
		}
	};
	walk(out);
	return layout;
}
