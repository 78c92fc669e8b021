import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { costOf, pricesOf, GENAI_PRICES_VERSION, isLocalUrl, estimateTokens } from '$lib/ai/usage/prices';
import { RunBudget } from '$lib/ai/usage/budget';

describe('prices', () => {
	it('records the bundled genai-prices version', () => {
		const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
		expect(pkg.dependencies['@pydantic/genai-prices']).toBe(GENAI_PRICES_VERSION);
	});
	it('prices known models per provider, cached input at the cache-read price', async () => {
		const c = await costOf({ providerKind: 'openai', model: 'gpt-4o-mini' }, { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 200 });
		expect(c.source).toBe('prices');
		expect(c.costUsd).toBeCloseTo(800 * 0.15e-6 + 200 * 0.075e-6 + 500 * 0.6e-6, 12);
		const a = await costOf({ providerKind: 'anthropic', model: 'claude-haiku-4-5' }, { inputTokens: 1e6, outputTokens: 0 });
		expect(a.costUsd).toBeGreaterThan(0);
	});
	it('unknown models cost nothing but say so', async () => {
		expect(await costOf({ providerKind: 'openai', model: 'no-such-model-xyz' }, { inputTokens: 10, outputTokens: 10 })).toMatchObject({ costUsd: 0, source: 'unknown' });
		expect(await pricesOf({ providerKind: 'openai', model: 'no-such-model-xyz' })).toBeUndefined();
	});
	it('local addresses are local', () => {
		for (const u of ['http://localhost:11434/v1', 'http://127.0.0.1:1234/v1', 'http://[::1]:8080', 'http://192.168.1.20:8080/v1', 'http://nas.local/v1']) expect(isLocalUrl(u)).toBe(true);
		for (const u of ['https://api.openai.com/v1', 'https://openrouter.ai/api/v1', undefined]) expect(isLocalUrl(u)).toBe(false);
	});
	it('prices per million tokens for budgets', async () => {
		expect(await pricesOf({ providerKind: 'openai', model: 'gpt-4o-mini' })).toEqual({ inputPerMTok: expect.closeTo(0.15, 9), outputPerMTok: expect.closeTo(0.6, 9) });
		expect(await pricesOf({ providerKind: 'webllm', model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' })).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
	});
	it('estimates tokens', () => {
		expect(estimateTokens('')).toBe(0);
		expect(estimateTokens('The quick brown fox jumps over the lazy dog.')).toBeGreaterThan(5);
	});
});

describe('run budget', () => {
	it('refuses the call whose worst case exceeds the tokens left, and says what to change', () => {
		const b = new RunBudget({ maxTokens: 1000 });
		b.charge({ inputTokens: 400, outputTokens: 100, costUsd: 0 });
		expect(() => b.check({ model: 'm', inputTokens: 100, maxOutputTokens: 400 })).not.toThrow();
		expect(() => b.check({ model: 'm', inputTokens: 100, maxOutputTokens: 401 })).toThrow(/500 of 1,000 tokens used.*Raise the workflow's budget.maxTokens/);
	});
	it('refuses on cost with the model’s prices', () => {
		const b = new RunBudget({ maxCostUsd: 0.01 });
		expect(() => b.check({ model: 'm', inputTokens: 1000, maxOutputTokens: 1000, inputPerMTok: 1, outputPerMTok: 4 })).not.toThrow();
		b.charge({ inputTokens: 0, outputTokens: 0, costUsd: 0.006 });
		expect(() => b.check({ model: 'm', inputTokens: 1000, maxOutputTokens: 1000, inputPerMTok: 1, outputPerMTok: 4 })).toThrow(/cost budget would be exceeded/);
	});
});
