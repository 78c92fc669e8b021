import type { InstanceEvent } from '../../engine/types';

/** One line of the event log, in words. */
export function describeEntry(e: InstanceEvent): string {
	switch (e.kind) {
		case 'input': {
			const { type, ...rest } = e.event;
			const payload = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
			return `#${e.seq} ${type}${payload}`;
		}
		case 'transition':
			return `${e.source || '(root)'} → ${e.targets.join(', ') || '(stays)'} on ${e.event}`;
		case 'entered':
			return `entered ${e.state}`;
		case 'exited':
			return `exited ${e.state}`;
		case 'effect':
			return `${e.effectType} ${e.phase}${e.error ? `: ${e.error}` : ''}${e.durationMs !== undefined ? ` (${Math.round(e.durationMs)} ms)` : ''}${e.cached ? ' (cached)' : ''}`;
		case 'emit':
			return `emitted ${e.event.type}`;
		case 'log':
			return e.message;
		case 'status':
			return `status ${e.status}${e.error ? `: ${e.error.message}` : ''}`;
	}
}

export const logKinds: InstanceEvent['kind'][] = ['input', 'transition', 'entered', 'exited', 'effect', 'emit', 'log', 'status'];

/** The first and last row to render for a scroll position (with overscan). */
export function visibleRange(scrollTop: number, height: number, rowHeight: number, total: number, overscan = 10): { start: number; end: number } {
	const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
	const end = Math.min(total, Math.ceil((scrollTop + height) / rowHeight) + overscan);
	return { start, end: Math.max(start, end) };
}
