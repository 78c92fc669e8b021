/** A small picture of a workflow for the home page: boxes and lines from its layout. */
import type { Workflow } from '../model/types';
import { allStatePaths, listTransitions, stateAt, stateType } from '../model/tree';

export interface PreviewBox {
	x: number;
	y: number;
	w: number;
	h: number;
	kind: 'atomic' | 'final' | 'compound' | 'parallel' | 'history' | 'initial';
	depth: number;
}
export interface Preview {
	boxes: PreviewBox[];
	lines: [number, number, number, number][];
	/** viewBox: x y w h */
	view: [number, number, number, number];
}

const W = 140;
const H = 44;

/** Absolute boxes of every state; states without a layout get a grid slot. */
export function absoluteBoxes(wf: Workflow): Map<string, PreviewBox> {
	const out = new Map<string, PreviewBox>();
	let slot = 0;
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p)!;
		const l = wf.layout?.[p];
		const parent = p.includes('.') ? out.get(p.slice(0, p.lastIndexOf('.'))) : undefined;
		const type = stateType(s);
		const rel = l ?? { x: (slot % 4) * 220 + 20, y: Math.floor(slot / 4) * 120 + 40 };
		if (!l) slot++;
		const container = type === 'compound' || type === 'parallel';
		out.set(p, {
			x: (parent?.x ?? 0) + rel.x,
			y: (parent?.y ?? 0) + rel.y,
			w: l?.width ?? (container ? 360 : W),
			h: l?.height ?? (container ? 220 : H),
			kind: p === wf.initial ? 'initial' : type,
			depth: p.split('.').length - 1
		});
	}
	return out;
}

export function computePreview(wf: Workflow): Preview {
	const boxes = absoluteBoxes(wf);
	const lines: Preview['lines'] = [];
	for (const t of listTransitions(wf)) {
		const a = boxes.get(t.source);
		const b = t.targets[0] ? boxes.get(t.targets[0]) : undefined;
		if (!a || !b || a === b) continue;
		lines.push([a.x + a.w / 2, a.y + a.h / 2, b.x + b.w / 2, b.y + b.h / 2].map(Math.round) as [number, number, number, number]);
		if (lines.length >= 200) break;
	}
	const all = [...boxes.values()];
	if (all.length === 0) return { boxes: [], lines: [], view: [0, 0, 400, 240] };
	const minX = Math.min(...all.map((b) => b.x)) - 20;
	const minY = Math.min(...all.map((b) => b.y)) - 20;
	const maxX = Math.max(...all.map((b) => b.x + b.w)) + 20;
	const maxY = Math.max(...all.map((b) => b.y + b.h)) + 20;
	return { boxes: all.slice(0, 400).map((b) => ({ ...b, x: Math.round(b.x), y: Math.round(b.y) })), lines, view: [minX, minY, maxX - minX, maxY - minY].map(Math.round) as Preview['view'] };
}
