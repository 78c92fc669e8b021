import { describe, expect, it } from 'vitest';
import { reduceAiProgress, aiTotals, describeAiUsage, type AiSpanSummary } from '$lib/ai/usage/aggregate';

describe('AI progress aggregation (Run panel, timeline)', () => {
	it('folds text, attempts, usage, tools and quality; a new attempt restarts the text', () => {
		let s: AiSpanSummary | undefined;
		for (const p of [
			{ kind: 'attempt', index: 0, provider: 'A', model: 'a', outcome: 'started' },
			{ kind: 'text', delta: 'Hel' },
			{ kind: 'usage', provider: 'A', model: 'a', inputTokens: 10, outputTokens: 2, costUsd: 0.001, estimated: true },
			{ kind: 'attempt', index: 0, provider: 'A', model: 'a', outcome: 'error', error: 'HTTP 529' },
			{ kind: 'attempt', index: 1, provider: 'B', model: 'b', outcome: 'started' },
			{ kind: 'text', delta: '{"ok":' },
			{ kind: 'text', delta: 'true}' },
			{ kind: 'tool', step: 1, name: 'weather', arguments: {}, output: 1 },
			{ kind: 'usage', provider: 'B', model: 'b', inputTokens: 20, outputTokens: 5, cachedInputTokens: 4, costUsd: 0.002 },
			{ kind: 'attempt', index: 1, provider: 'B', model: 'b', outcome: 'ok' },
			{ kind: 'quality', score: 0.5, checks: [] },
			{ token: 'not ours' }
		])
			s = reduceAiProgress(s, p);
		expect(s).toMatchObject({ text: '{"ok":true}', inputTokens: 30, outputTokens: 7, cachedInputTokens: 4, estimated: true, quality: 0.5, tools: [{ step: 1, name: 'weather', ok: true }] });
		expect(s!.costUsd).toBeCloseTo(0.003, 10);
		expect(s!.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['A:error', 'B:ok']);
		expect(describeAiUsage(s!)).toBe('37 tokens · $0.0030 (estimated)');
		expect(reduceAiProgress(undefined, { token: 'x' })).toBeUndefined();
	});
	it('sums per state and per run', () => {
		const a = reduceAiProgress(undefined, { kind: 'usage', provider: 'A', model: 'a', inputTokens: 1, outputTokens: 1, costUsd: 1 });
		const b = reduceAiProgress(undefined, { kind: 'usage', provider: 'A', model: 'a', inputTokens: 2, outputTokens: 2, costUsd: 2 });
		const t = aiTotals([{ state: 'x', ai: a }, { state: 'x', ai: b }, { state: 'y', ai: a }, { state: 'z' }]);
		expect(t.run.costUsd).toBe(4);
		expect(t.byState.x.inputTokens).toBe(3);
		expect(Object.keys(t.byState)).toEqual(['x', 'y']);
	});
});

describe('run totals kept by the timeline', () => {
	it('count every usage report once, per state in the order states first used a model, including spans beyond the rows shown', async () => {
		const { TimelineBuilder } = await import('$lib/sim/timeline');
		const t = new TimelineBuilder();
		const ev = (spanId: string, state: string, phase: 'start' | 'progress' | 'end', data?: unknown) =>
			({ kind: 'effect', time: 0, phase, effect: 'call_llm', effectType: 'call_llm', spanId, traceId: 't', state, data }) as never;
		for (let i = 0; i < 30; i++) {
			const state = i % 3 === 0 ? 'b' : 'a';
			t.add(ev(`s${i}`, state, 'start'));
			t.add(ev(`s${i}`, state, 'progress', { kind: 'text', delta: 'hi' }));
			t.add(ev(`s${i}`, state, 'progress', { kind: 'usage', provider: 'p', model: 'm', inputTokens: 10, outputTokens: 2, costUsd: 0.001, ...(i === 29 ? { estimated: true } : {}) }));
			// an agent step's lane on a coordination span is not counted twice
			t.add(ev(`s${i}`, state, 'progress', { kind: 'agent', agent: 'x', step: 1, phase: 'end' }));
			t.add(ev(`s${i}`, state, 'end'));
		}
		expect(t.rows(5)).toHaveLength(5);
		expect(t.ai!.calls).toBe(30);
		expect(t.ai!.run).toMatchObject({ inputTokens: 300, outputTokens: 60, estimated: true });
		expect(t.ai!.run.costUsd).toBeCloseTo(0.03, 12);
		expect(Object.keys(t.ai!.byState)).toEqual(['b', 'a']);
		expect(t.ai!.byState.b).toMatchObject({ inputTokens: 100, outputTokens: 20, estimated: false });
		expect(t.ai!.byState.a).toMatchObject({ inputTokens: 200, outputTokens: 40, estimated: true });
	});

	it('formats costs with three significant digits below a cent', async () => {
		const { formatUsd } = await import('$lib/ai/usage/aggregate');
		expect([0, 0.000779, 0.000045, 1e-7, 0.0123, 1.256].map(formatUsd)).toEqual(['$0', '$0.000779', '$0.000045', '$0.0000001', '$0.0123', '$1.26']);
	});
});
