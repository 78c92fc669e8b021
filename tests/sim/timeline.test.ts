import { describe, expect, it } from 'vitest';
import type { InstanceEvent } from '../../src/lib/engine/types';
import { TimelineBuilder } from '../../src/lib/sim/timeline';

type Phase = 'start' | 'progress' | 'retry' | 'end' | 'error' | 'cancel';
const fx = (time: number, phase: Phase, spanId: string, extra: Partial<Extract<InstanceEvent, { kind: 'effect' }>> = {}): InstanceEvent => ({
	kind: 'effect',
	time,
	phase,
	effect: extra.effect ?? spanId,
	effectType: extra.effectType ?? 'http',
	spanId,
	traceId: 't1',
	...extra
});

describe('effect timeline', () => {
	it('nests spans by parentSpanId, counts retries and marks errors and cancellations', () => {
		const tl = new TimelineBuilder();
		tl.addAll([
			fx(0, 'start', 'retry1', { effectType: 'retry', state: 'fetching' }),
			fx(0, 'start', 'a1', { parentSpanId: 'retry1' }),
			fx(10, 'error', 'a1', { error: 'HTTP 503', parentSpanId: 'retry1' }),
			fx(10, 'retry', 'retry1', { error: 'HTTP 503' }),
			fx(30, 'start', 'a2', { parentSpanId: 'retry1' }),
			fx(35, 'progress', 'a2', { parentSpanId: 'retry1', data: { bytes: 10 } }),
			fx(40, 'end', 'a2', { parentSpanId: 'retry1', durationMs: 10 }),
			fx(40, 'end', 'retry1', { durationMs: 40 }),
			fx(50, 'start', 'llm', { effectType: 'call_llm', state: 'answering' }),
			fx(60, 'cancel', 'llm')
		]);
		const rows = tl.rows();
		expect(rows.map((r) => [r.spanId, r.depth, r.status])).toEqual([
			['retry1', 0, 'ok'],
			['a1', 1, 'error'],
			['a2', 1, 'ok'],
			['llm', 0, 'cancelled']
		]);
		expect(tl.get('retry1')!.retries).toBe(1);
		expect(tl.get('a1')!.error).toBe('HTTP 503');
		expect(tl.get('a2')!.progress).toEqual({ bytes: 10 });
		expect(tl.get('a2')!.end).toBe(40);
		expect(tl.get('llm')!.end).toBe(60);
		expect(tl.get('llm')!.state).toBe('answering');
	});

	it('attaches children that arrive before their parent, and leaves running spans open', () => {
		const tl = new TimelineBuilder();
		tl.add(fx(1, 'start', 'child', { parentSpanId: 'p' }));
		expect(tl.roots().map((s) => s.spanId)).toEqual(['child']);
		tl.add(fx(0, 'start', 'p'));
		expect(tl.rows().map((s) => [s.spanId, s.depth])).toEqual([
			['p', 0],
			['child', 1]
		]);
		expect(tl.get('p')!.status).toBe('running');
		expect(tl.get('p')!.end).toBeUndefined();
	});
});

describe('effect timeline limits', () => {
	it('keeps a running count and returns only the latest trees when asked', () => {
		const tl = new TimelineBuilder();
		for (let i = 0; i < 10; i++) {
			tl.add(fx(i * 10, 'start', `p${i}`));
			tl.add(fx(i * 10, 'start', `c${i}`, { parentSpanId: `p${i}` }));
			if (i < 8) {
				tl.add(fx(i * 10 + 5, 'end', `c${i}`));
				tl.add(fx(i * 10 + 5, 'end', `p${i}`));
			}
		}
		expect(tl.running).toBe(4);
		expect(tl.size).toBe(20);
		expect(tl.rows(5).map((r) => r.spanId)).toEqual(['p7', 'c7', 'p8', 'c8', 'p9', 'c9']);
		expect(tl.rows()).toHaveLength(20);
	});
});
