/**
 * Transitions in words for the Run panel, coverage and breakpoints: `closed —OPEN→ open`
 * instead of the internal id `closed|on:OPEN|0`.
 */
import type { WorkflowIndex } from '../model-index';

/** A trigger as written on the canvas: `on:OPEN` → `OPEN`, `after:1500` → `after 1.5 s`. */
export function triggerWords(trigger: string): string {
	if (trigger.startsWith('on:')) return trigger.slice(3);
	if (trigger.startsWith('after:')) {
		const ms = Number(trigger.slice(6));
		return `after ${ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`}`;
	}
	return trigger;
}

/** `closed —OPEN→ open`; the second alternative of a trigger gets `(2)`; no target: `(stays)`. */
export function transitionWords(id: string, index?: WorkflowIndex): string {
	const info = index?.transitionById.get(id);
	const parts = id.split('|');
	const source = info?.source ?? parts[0] ?? '';
	const trigger = info?.trigger ?? parts[1] ?? '';
	const alt = info?.index ?? Number(parts[2] ?? 0);
	const targets = info ? info.targets : [];
	const to = info ? (targets.length ? targets.map((t) => t.replace(/^#/, '').replace(/^\./, '')).join(', ') : '(stays)') : '…';
	return `${source || '(any state)'} —${triggerWords(trigger)}${alt > 0 ? ` (${alt + 1})` : ''}→ ${to}`;
}
