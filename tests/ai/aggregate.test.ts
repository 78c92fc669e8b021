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
