import type { Problem } from '../model/types';

/**
 * Which canvas element a problem is about: its `transition` or `state`, or else what its JSON
 * path points into (`["states","a","states","b","on","GO",0]` → the transition `a.b|on:GO|0`).
 */
export function problemTarget(p: Problem): { node?: string; edge?: string } {
	if (p.transition) return { edge: p.transition };
	if (p.state) return { node: p.state };
	const keys: string[] = [];
	let i = 0;
	const path = p.path ?? [];
	while (i + 1 < path.length && path[i] === 'states') {
		keys.push(String(path[i + 1]));
		i += 2;
	}
	const state = keys.join('.');
	const kind = path[i];
	if (kind === 'on' || kind === 'after') {
		const key = path[i + 1];
		if (key !== undefined) {
			const index = typeof path[i + 2] === 'number' ? (path[i + 2] as number) : 0;
			return { edge: `${state}|${kind}:${key}|${index}` };
		}
	}
	if (kind === 'always' || kind === 'onDone' || kind === 'onError') {
		const index = typeof path[i + 1] === 'number' ? (path[i + 1] as number) : 0;
		return { edge: `${state}|${kind}|${index}` };
	}
	return state ? { node: state } : {};
}
