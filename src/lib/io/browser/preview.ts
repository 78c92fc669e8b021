/** What the link preview shows: a tree of states with their transitions, and counts. Pure. */
import type { Workflow } from '../../model/types';
import { allTransitions, indexStates, stateType } from '../../model/tree';

export interface PreviewState {
	key: string;
	path: string;
	type: string;
	initial: boolean;
	transitions: { trigger: string; targets: string[]; guarded: boolean }[];
	children: PreviewState[];
}

export interface Preview {
	states: PreviewState[];
	stateCount: number;
	transitionCount: number;
	effectCount: number;
}

export function previewOf(w: Workflow): Preview {
	const index = indexStates(w);
	const transitions = allTransitions(w, index);
	const byPath = new Map<string, PreviewState>();
	const roots: PreviewState[] = [];
	let effects = 0;
	for (const e of index.entries) {
		const parent = e.parent ? index.byPath.get(e.parent)?.node : undefined;
		const initial = e.parent ? parent?.initial === e.key : w.initial === e.key;
		const ps: PreviewState = { key: e.key, path: e.path, type: stateType(e.node), initial, transitions: [], children: [] };
		effects += (e.node.entry?.length ?? 0) + (e.node.exit?.length ?? 0) + (e.node.invoke ? 1 : 0);
		byPath.set(e.path, ps);
		if (e.parent) byPath.get(e.parent)?.children.push(ps);
		else roots.push(ps);
	}
	for (const t of transitions) {
		effects += t.spec.effects?.length ?? 0;
		const owner = byPath.get(t.source);
		const targets = typeof t.spec.target === 'string' ? [t.spec.target] : Array.isArray(t.spec.target) ? t.spec.target : [];
		owner?.transitions.push({ trigger: t.trigger.replace(/^on:/, ''), targets, guarded: !!t.spec.guard });
	}
	return { states: roots, stateCount: index.entries.length, transitionCount: transitions.length, effectCount: effects };
}
