import { describe, expect, it } from 'vitest';
import { toDesignerOverlay } from '../../src/lib/sim/ui/canvas-overlay';
import { describeEntry, visibleRange } from '../../src/lib/sim/ui/log-format';
import { emptyOverlay } from '../../src/lib/sim/ui/overlay';

describe('event log rows', () => {
	it('describes each kind of entry in words', () => {
		expect(describeEntry({ kind: 'input', seq: 3, time: 0, event: { type: 'TICKET', text: 'hi' } })).toBe('#3 TICKET {"text":"hi"}');
		expect(describeEntry({ kind: 'transition', time: 0, event: 'OPEN', transition: 'closed|on:OPEN|0', source: 'closed', targets: ['open'] })).toBe('closed → open on OPEN');
		expect(describeEntry({ kind: 'transition', time: 0, event: 'X', transition: '|on:X|0', source: '', targets: [] })).toBe('(root) → (stays) on X');
		expect(
			describeEntry({ kind: 'effect', time: 0, phase: 'error', effect: 'e', effectType: 'http', spanId: 's', traceId: 't', error: 'HTTP 503', durationMs: 12.4 })
		).toBe('http error: HTTP 503 (12 ms)');
		expect(describeEntry({ kind: 'status', time: 0, status: 'error', error: { message: 'boom' } })).toBe('status error: boom');
	});

	it('renders only the rows in view, plus overscan, within the log', () => {
		expect(visibleRange(0, 240, 24, 1000, 5)).toEqual({ start: 0, end: 15 });
		expect(visibleRange(24 * 500, 240, 24, 1000, 5)).toEqual({ start: 495, end: 515 });
		expect(visibleRange(24 * 995, 240, 24, 1000, 5)).toEqual({ start: 990, end: 1000 });
		expect(visibleRange(0, 240, 24, 0, 5)).toEqual({ start: 0, end: 0 });
	});
});

describe('canvas overlay', () => {
	it('marks hover, breakpoints and a past moment, and draws a heat map with badges when asked', () => {
		const o = toDesignerOverlay({
			...emptyOverlay,
			activeStates: ['open'],
			highlightStates: ['closed'],
			breakpoints: { states: ['locked'], transitions: [] },
			moment: { position: 5 },
			coverage: {
				states: { closed: { visits: 10, meanMs: 1500 }, open: { visits: 2, meanMs: 200 } },
				transitions: {},
				unvisited: ['locked']
			}
		});
		expect(o.classes).toEqual({
			closed: 'sim-highlight sim-heat-5',
			locked: 'sim-breakpoint sim-unvisited',
			open: 'sim-moment sim-heat-1'
		});
		expect(o.badges).toEqual({ closed: '×10 · 1.5 s', open: '×2 · 200 ms' });
	});

	it('marks transitions (edge ids are transition ids): taken last, hovered, breakpoints, counts and never taken', () => {
		const o = toDesignerOverlay({
			...emptyOverlay,
			activeTransitions: ['closed|on:OPEN|0'],
			highlightTransitions: ['open|on:CLOSE|0'],
			breakpoints: { states: [], transitions: ['closed|on:OPEN|0'] },
			coverage: { states: {}, transitions: { 'closed|on:OPEN|0': 4 }, unvisited: [], untaken: ['closed|on:LOCK|0'] }
		});
		expect(o.edgeClasses).toEqual({
			'closed|on:OPEN|0': 'sim-taken sim-breakpoint',
			'open|on:CLOSE|0': 'sim-highlight',
			'closed|on:LOCK|0': 'sim-untaken'
		});
		expect(o.edgeBadges).toEqual({ 'closed|on:OPEN|0': '×4' });
	});

	it('adds nothing without coverage, moment or highlight', () => {
		expect(toDesignerOverlay({ ...emptyOverlay, activeStates: ['a'] })).toEqual({ classes: {}, badges: {} });
	});
});
