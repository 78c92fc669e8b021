import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { createChatService, RunBudget, BudgetExceededError, ProviderError } from '$lib/ai';
import { saveProvider, setWorkspaceDefault, setPriceOverride } from '$lib/ai/settings/providers';
import type { AiDb, UsageRecord } from '$lib/store/ai-db';
import { mockSession } from '../mocks/client';
import { freshAiDb } from './helpers';

const base = inject('mockLlmUrl');
let db: AiDb;
let s: ReturnType<typeof mockSession>;
let slept: number[];
let records: UsageRecord[];
const service = () =>
	createChatService({
		sleep: async (ms) => void slept.push(ms),
		recordUsage: (r) => records.push(r)
	});
const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

beforeEach(async () => {
	db = freshAiDb();
	s = mockSession(base);
	slept = [];
	records = [];
	await saveProvider({ id: 'oa', name: 'OpenAI', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-good', defaultModel: 'gpt-4o-mini' }, db);
	await saveProvider({ id: 'an', name: 'Anthropic', kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'sk-ant-good', defaultModel: 'claude-haiku-4-5' }, db);
});

describe('chat service', () => {
	it('answers with the workspace default, streams text, records usage with cost from genai-prices', async () => {
		await setWorkspaceDefault('default', { providerId: 'oa' }, db);
		const deltas: string[] = [];
		const r = await service().chat({ request: ask('hello there'), onText: (d) => deltas.push(d), usage: { workflowId: 'wf', instanceId: 'i1', state: 'ask' } });
		expect(r.text).toBe('Mock answer to: hello there');
		expect(deltas.join('')).toBe(r.text);
		expect(r).toMatchObject({ provider: 'OpenAI', providerId: 'oa', model: 'gpt-4o-mini' });
		expect(r.usage.costSource).toBe('prices');
		expect(r.usage.pricesVersion).toBe('0.1.8');
		// gpt-4o-mini: $0.15 / $0.60 per million tokens
		expect(r.usage.costUsd).toBeCloseTo((r.usage.inputTokens * 0.15 + r.usage.outputTokens * 0.6) / 1e6, 12);
		expect(records).toHaveLength(1);
		expect(records[0]).toMatchObject({ workspaceId: 'default', workflowId: 'wf', instanceId: 'i1', state: 'ask', providerId: 'oa', model: 'gpt-4o-mini', outcome: 'ok', estimated: false });
	});

	it('finds a provider by name as well as by id', async () => {
		const r = await service().chat({ request: ask('x'), targets: [{ provider: 'anthropic' }] });
		expect(r.providerId).toBe('an');
		expect(r.model).toBe('claude-haiku-4-5');
	});

	it('without any provider, says what to do', async () => {
		freshAiDb();
		await expect(service().chat({ request: ask('x') })).rejects.toThrow(/No provider configured — add one in Settings → Providers/);
	});

	it('429 with Retry-After within the cap: waits, retries the same target once, then moves on', async () => {
		await s.script([{ flavor: 'openai', scenario: 'rate-limited' }]);
		const progress: unknown[] = [];
		const r = await service().chat({ request: ask('x'), targets: [{ provider: 'oa' }, { provider: 'an' }], onProgress: (p) => progress.push(p) });
		expect(r.providerId).toBe('an');
		expect(slept).toEqual([1000]);
		expect(r.attempts.map((a) => [a.provider, a.outcome, a.waitMs])).toEqual([
			['OpenAI', 'error', 1000],
			['OpenAI', 'error', undefined],
			['Anthropic', 'ok', undefined]
		]);
		expect(progress.filter((p) => (p as { kind: string }).kind === 'attempt')).toContainEqual(expect.objectContaining({ kind: 'attempt', index: 0, outcome: 'error', waitMs: 1000 }));
		expect((await s.requests()).map((q) => q.flavor)).toEqual(['openai', 'openai', 'anthropic']);
	});

	it('Retry-After beyond the cap: moves on at once', async () => {
		await s.script([{ flavor: 'openai', scenario: 'rate-limited-long' }]);
		const r = await service().chat({ request: ask('x'), targets: [{ provider: 'oa' }, { provider: 'an' }] });
		expect(r.providerId).toBe('an');
		expect(slept).toEqual([]);
	});

	it('5xx and overloaded move on; the chain ends with every failure named', async () => {
		await s.script([{ flavor: 'openai', scenario: 'server-error' }, { flavor: 'anthropic', scenario: 'overloaded' }]);
		const err = await service()
			.chat({ request: ask('x'), targets: [{ provider: 'oa' }, { provider: 'an' }] })
			.catch((e) => e);
		expect(err).toBeInstanceOf(ProviderError);
		expect(err.message).toMatch(/All 2 attempts failed — OpenAI gpt-4o-mini: .*HTTP 500.* · Anthropic claude-haiku-4-5: .*HTTP 529/);
		expect(await s.requests()).toHaveLength(2);
	});

	it('a 4xx other than 429 does not move on', async () => {
		await s.script([{ flavor: 'openai', scenario: 'bad-request' }]);
		const err = await service()
			.chat({ request: ask('x'), targets: [{ provider: 'oa' }, { provider: 'an' }] })
			.catch((e) => e);
		expect(err.kind).toBe('bad_request');
		expect((await s.requests()).map((q) => q.flavor)).toEqual(['openai']);
	});

	it('a stream that goes silent is a timeout and moves on', async () => {
		await s.script([{ flavor: 'openai', reply: { text: 'a b c d e f', delayMs: 400, deltaChars: 2 } }]);
		const r = await service().chat({ request: ask('x'), targets: [{ provider: 'oa' }, { provider: 'an' }], idleTimeoutMs: 150 });
		expect(r.providerId).toBe('an');
		expect(r.attempts[0].error).toMatch(/sent nothing for/);
		// nothing was generated before it went silent: nothing is counted for that attempt
		expect(r.attempts[0].usage).toMatchObject({ inputTokens: 0, outputTokens: 0, estimated: false });
	});

	it('aborting stops the stream, closes the connection and records an estimated, cancelled usage', async () => {
		const ctl = new AbortController();
		let n = 0;
		const p = service().chat({
			request: ask('[mock:slow]'),
			targets: [{ provider: 'oa' }],
			signal: ctl.signal,
			onText: () => {
				if (++n === 5) ctl.abort(new Error('state left'));
			}
		});
		await expect(p).rejects.toThrow('state left');
		await expect.poll(async () => (await s.requests())[0]?.aborted).toBe(true);
		expect(records[0]).toMatchObject({ outcome: 'cancelled', estimated: true });
		expect(records[0].outputTokens).toBeGreaterThan(0);
	});

	it('OpenRouter’s own cost wins; local servers cost nothing; overrides apply', async () => {
		await saveProvider({ id: 'or', name: 'OpenRouter', kind: 'openai-compatible', baseUrl: s.openrouter, apiKey: 'k' }, db);
		const r1 = await service().chat({ request: ask('[mock:openrouter-fixture]'), targets: [{ provider: 'or', model: 'openai/gpt-4o-mini' }] });
		expect(r1.usage).toMatchObject({ costUsd: 0.0000036, costSource: 'provider' });
		await saveProvider({ id: 'ol', name: 'Ollama', kind: 'openai-compatible', baseUrl: s.openai.replace('127.0.0.1', 'localhost'), defaultModel: 'llama3.2' }, db);
		const r2 = await service().chat({ request: ask('x'), targets: [{ provider: 'ol' }] });
		expect(r2.usage).toMatchObject({ costUsd: 0, costSource: 'local' });
		await setPriceOverride('gpt-4o-mini', { inputPerMTok: 1000, outputPerMTok: 2000 }, db);
		const r3 = await service().chat({ request: ask('x'), targets: [{ provider: 'oa' }] });
		expect(r3.usage.costSource).toBe('override');
		expect(r3.usage.costUsd).toBeCloseTo((r3.usage.inputTokens * 1000 + r3.usage.outputTokens * 2000) / 1e6, 10);
	});

	it('a budget stops the call that would exceed it before anything is sent', async () => {
		const budget = new RunBudget({ maxTokens: 300 });
		await service().chat({ request: { ...ask('x'), maxTokens: 100 }, targets: [{ provider: 'oa' }], budget });
		expect(budget.tokens).toBeGreaterThan(0);
		const before = (await s.requests()).length;
		await expect(service().chat({ request: { ...ask('x'), maxTokens: 290 }, targets: [{ provider: 'oa' }], budget })).rejects.toThrow(BudgetExceededError);
		await expect(service().chat({ request: { ...ask('x'), maxTokens: 290 }, targets: [{ provider: 'oa' }], budget })).rejects.toThrow(/token budget would be exceeded/);
		expect((await s.requests()).length).toBe(before);
	});

	it('a cost budget uses the model’s prices for the worst case', async () => {
		await setPriceOverride('gpt-4o-mini', { inputPerMTok: 10_000, outputPerMTok: 10_000 }, db);
		const budget = new RunBudget({ maxCostUsd: 0.5 });
		// worst case: (prompt ≈ 5 + 100 output) × $0.01 = $1.05 > $0.50
		await expect(service().chat({ request: { ...ask('x'), maxTokens: 100 }, targets: [{ provider: 'oa' }], budget })).rejects.toThrow(/cost budget would be exceeded/);
		expect(await s.requests()).toHaveLength(0);
	});
});
