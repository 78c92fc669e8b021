import 'fake-indexeddb/auto';
import { beforeEach, afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createExecutor } from '$lib/effects';
import { createAiHandlers, withRunInfo } from '$lib/ai/handlers';
import { createChatService } from '$lib/ai';
import { saveProvider, setWorkspaceDefault } from '$lib/ai/settings/providers';
import { createInterpreter } from '$lib/engine';
import { parseWorkflow } from '$lib/model';
import type { UsageRecord } from '$lib/store/ai-db';
import { mockSession } from '../mocks/client';
import { makeScope, outcome } from '../effects/helpers';
import { freshAiDb } from './helpers';
import { estimateMessagesTokens, estimateTokens } from '$lib/ai/usage/prices';
import { aiTotals } from '$lib/ai/usage/aggregate';
import { timelineOf } from '$lib/sim/timeline';

const base = inject('mockLlmUrl');
let s: ReturnType<typeof mockSession>;
let records: UsageRecord[];
let weather: Server;
let weatherUrl = '';

beforeAll(async () => {
	weather = createServer((req, res) => {
		const city = new URL(req.url ?? '/', 'http://x').searchParams.get('city');
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ city, sky: 'sunny', celsius: 21 }));
	});
	await new Promise<void>((r) => weather.listen(0, '127.0.0.1', r));
	weatherUrl = `http://127.0.0.1:${(weather.address() as { port: number }).port}/weather`;
});
afterAll(() => new Promise<void>((r) => weather.close(() => r())));

function executor() {
	const service = createChatService({ sleep: async () => {}, recordUsage: (r) => records.push(r) });
	return createExecutor({ handlers: createAiHandlers({ workspaceId: 'default', chatService: service }) });
}
const progressOf = (h: ReturnType<typeof makeScope>, kind: string) => h.effects().filter((e) => e.phase === 'progress' && (e.data as { kind?: string })?.kind === kind).map((e) => e.data as Record<string, unknown>);

beforeEach(async () => {
	const db = freshAiDb();
	s = mockSession(base);
	records = [];
	await saveProvider({ id: 'oa', name: 'OpenAI', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-good', defaultModel: 'gpt-4o-mini' }, db);
	await saveProvider({ id: 'an', name: 'Anthropic', kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'sk-ant', defaultModel: 'claude-haiku-4-5' }, db);
	await setWorkspaceDefault('default', { providerId: 'oa' }, db);
});

describe('call_llm', () => {
	it('templates the messages, streams coalesced text progress, reports usage and assigns the answer', async () => {
		await s.script([{ reply: { text: 'Hello Ada, the door is open. '.repeat(20), deltaChars: 1 } }]);
		const h = makeScope({ name: 'Ada' }, { type: 'ASK', q: 'door?' });
		const r = await executor().run({ type: 'call_llm', system: 'Greet {{ context.name }}.', prompt: 'Question: {{ event.q }}', temperature: 0, assignTo: 'reply' }, h.scope);
		expect(r).toBe('Hello Ada, the door is open. '.repeat(20));
		expect(h.patches).toEqual([{ reply: r }]);
		const [req] = await s.requests();
		expect((req.body as { messages: unknown }).messages).toEqual([
			{ role: 'system', content: 'Greet Ada.' },
			{ role: 'user', content: 'Question: door?' }
		]);
		const texts = progressOf(h, 'text');
		expect(texts.map((t) => t.delta).join('')).toBe(r);
		expect(texts.length).toBeLessThan(580 / 4); // 580 one-character deltas, coalesced
		expect(progressOf(h, 'usage')[0]).toMatchObject({ kind: 'usage', provider: 'OpenAI', model: 'gpt-4o-mini' });
		expect(progressOf(h, 'attempt').map((a) => a.outcome)).toEqual(['started', 'ok']);
		expect(records[0]).toMatchObject({ state: 'working', effect: 'call_llm', outcome: 'ok' });
	});

	it('JSON output: validated against the schema, one repair request with the errors, parsed value returned', async () => {
		await s.script([
			{ match: 'does not match the required JSON Schema', reply: { json: { category: 'billing', urgency: 'low' } } },
			{ reply: { text: '{"category": "invoices"}' } }
		]);
		const schema = { type: 'object', properties: { category: { enum: ['billing', 'technical'] }, urgency: { enum: ['low', 'high'] } }, required: ['category', 'urgency'] };
		const h = makeScope();
		const r = await executor().run({ type: 'call_llm', prompt: 'Triage', output: 'json', schema }, h.scope);
		expect(r).toEqual({ category: 'billing', urgency: 'low' });
		const reqs = await s.requests();
		expect(reqs).toHaveLength(2);
		const repair = JSON.stringify((reqs[1].body as { messages: unknown }).messages);
		expect(repair).toContain('/category');
		expect(repair).toContain('/urgency'.slice(1)); // the missing property is named
		expect((reqs[0].body as Record<string, any>).response_format.json_schema.schema).toEqual(schema);
	});

	it('JSON output that is still wrong after the repair fails with the validation errors', async () => {
		await s.script([{ reply: { text: 'not json at all' } }]);
		const r = await outcome(executor().run({ type: 'call_llm', prompt: 'x', output: 'json', schema: { type: 'object' } }, makeScope().scope));
		expect(!r.ok && r.error.message).toMatch(/does not match the schema, even after one repair request: The answer is not JSON/);
		expect(await s.requests()).toHaveLength(2);
	});

	it('the old `json: true` spelling still asks for JSON', async () => {
		const r = await executor().run({ type: 'call_llm', prompt: 'x', json: true }, makeScope().scope);
		expect(r).toEqual({});
	});

	it('falls back along the chain and records every attempt', async () => {
		await s.script([{ flavor: 'openai', scenario: 'overloaded' }]);
		const h = makeScope();
		const r = await executor().run({ type: 'call_llm', provider: 'oa', model: 'gpt-4o-mini', fallback: [{ provider: 'an', model: 'claude-haiku-4-5' }], prompt: 'hi' }, h.scope);
		expect(r).toBe('Mock answer to: hi');
		expect(progressOf(h, 'attempt').map((a) => `${a.provider} ${a.outcome}`)).toEqual(['OpenAI started', 'OpenAI error', 'Anthropic started', 'Anthropic ok']);
		expect(progressOf(h, 'usage').map((u) => u.provider)).toEqual(['OpenAI', 'Anthropic']);
	});

	it('tools are effects of the workflow: the model calls one, the effect runs with the arguments, each step is recorded', async () => {
		await s.script([
			{ match: 'sunny', reply: { text: 'It is sunny in Paris, 21 °C.' } },
			{ reply: { toolCalls: [{ name: 'weather', arguments: { city: 'Paris' } }] } }
		]);
		const h = makeScope();
		const r = await executor().run(
			{
				type: 'call_llm',
				prompt: 'Weather in Paris?',
				tools: [{ name: 'weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, effect: { type: 'http', url: `${weatherUrl}?city={{ results.args.city }}` } }]
			},
			h.scope
		);
		expect(r).toBe('It is sunny in Paris, 21 °C.');
		expect(progressOf(h, 'tool')).toEqual([{ kind: 'tool', step: 1, name: 'weather', arguments: { city: 'Paris' }, output: { city: 'Paris', sky: 'sunny', celsius: 21 } }]);
		expect(h.trace()).toContain('end call_llm/tool:weather:http');
		const reqs = await s.requests();
		const second = (reqs[1].body as { messages: Record<string, unknown>[] }).messages;
		expect(second.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ function: { name: 'weather' } }] });
		expect(second.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_mock1', content: JSON.stringify({ city: 'Paris', sky: 'sunny', celsius: 21 }) });
	});

	it('a model that keeps calling tools stops at maxSteps', async () => {
		await s.script([{ reply: { toolCalls: [{ name: 'noop', arguments: {} }] } }]);
		const r = await outcome(executor().run({ type: 'call_llm', prompt: 'loop', maxSteps: 3, tools: [{ name: 'noop', effect: { type: 'transform', expr: '"ok"' } }] }, makeScope().scope));
		expect(!r.ok && r.error.message).toMatch(/still asked for tools after 3 steps/);
		expect(await s.requests()).toHaveLength(3);
	});

	it('response checks give a quality score and fail the effect when it is too low', async () => {
		await s.script([{ reply: { text: 'Too short' } }]);
		const h = makeScope();
		const r = await outcome(
			executor().run(
				{ type: 'call_llm', prompt: 'x', checks: [{ type: 'minLength', value: 50 }, { type: 'regex', pattern: 'short' }, { type: 'expr', expr: '$contains(text, "Too")' }], minScore: 1 },
				h.scope
			)
		);
		expect(!r.ok && r.error.message).toMatch(/failed its checks \(quality 67%, needs 100%\): at least 50 characters \(9 characters\)/);
		expect(!r.ok && r.error.data).toMatchObject({ reason: 'checks', score: 2 / 3 });
		expect(progressOf(h, 'quality')[0]).toMatchObject({ score: 2 / 3 });
		const ok = await executor().run({ type: 'call_llm', prompt: 'x', checks: [{ type: 'minLength', value: 50 }, { type: 'regex', pattern: 'short' }], minScore: 0.5 }, makeScope().scope);
		expect(ok).toBe('Too short');
	});

	it('leaving the state aborts the HTTP stream (the mock sees the connection close)', async () => {
		const h = makeScope();
		const p = outcome(executor().run({ type: 'call_llm', prompt: '[mock:slow]' }, h.scope));
		await expect.poll(() => progressOf(h, 'text').length).toBeGreaterThan(0);
		h.controller.abort(new Error('state left'));
		const r = await p;
		expect(!r.ok && r.error.code).toBe('cancelled');
		await expect.poll(async () => (await s.requests())[0].aborted).toBe(true);
	});

	it('a cancelled call reports its estimated tokens before its span closes: they reach the span and the run totals, marked estimated', async () => {
		const h = makeScope();
		const p = outcome(executor().run({ type: 'call_llm', system: 'You are terse.', prompt: '[mock:slow] Tell me about slowness.' }, h.scope));
		await expect.poll(() => progressOf(h, 'text').map((t) => t.delta).join('').length, { timeout: 5000 }).toBeGreaterThan(40);
		h.controller.abort(new Error('state left'));
		const r = await p;
		expect(!r.ok && r.error.code).toBe('cancelled');
		const events = h.effects();
		const phases = events.map((e) => e.phase);
		// the usage arrives before the span closes, and nothing is recorded after it
		const usageAt = events.findIndex((e) => e.phase === 'progress' && (e.data as { kind?: string }).kind === 'usage');
		expect(usageAt).toBeGreaterThan(-1);
		expect(usageAt).toBeLessThan(phases.indexOf('cancel'));
		expect(phases.at(-1)).toBe('cancel');
		const [u] = progressOf(h, 'usage');
		expect(progressOf(h, 'usage')).toHaveLength(1);
		expect(u).toMatchObject({ kind: 'usage', provider: 'OpenAI', model: 'gpt-4o-mini', estimated: true });
		// the estimate is of what was sent and what had streamed: both messages, and at least the text seen so far
		const streamed = progressOf(h, 'text').map((t) => t.delta).join('');
		expect(u.inputTokens).toBe(estimateMessagesTokens([{ role: 'system', content: 'You are terse.' }, { role: 'user', content: '[mock:slow] Tell me about slowness.' }]));
		expect(u.outputTokens as number).toBeGreaterThanOrEqual(estimateTokens(streamed));
		expect(u.costUsd as number).toBeGreaterThan(0); // gpt-4o-mini is priced
		// the span in the Run panel and the run's totals
		const spans = timelineOf(h.events);
		expect(spans[0]).toMatchObject({ status: 'cancelled', ai: { inputTokens: u.inputTokens, outputTokens: u.outputTokens, estimated: true } });
		const totals = aiTotals(spans);
		expect(totals.run).toMatchObject({ inputTokens: u.inputTokens, outputTokens: u.outputTokens, costUsd: u.costUsd, estimated: true });
		expect(totals.byState.working).toMatchObject({ inputTokens: u.inputTokens, estimated: true });
		// the usage table holds the same call once, as cancelled
		await expect.poll(() => records.length).toBe(1);
		expect(records[0]).toMatchObject({ outcome: 'cancelled', estimated: true, inputTokens: u.inputTokens });
		expect(records[0].outputTokens).toBeGreaterThanOrEqual(u.outputTokens as number);
	});

	it('the cache keys on provider, model, parameters and messages — a hit sends nothing and never sees the key', async () => {
		const ex = executor();
		const spec = { type: 'cache', ttlMs: 60_000, effect: { type: 'call_llm', provider: 'oa', model: 'gpt-4o-mini', prompt: 'Capital of {{ context.country }}?' } };
		const a = await ex.run(spec, makeScope({ country: 'France' }).scope);
		const h = makeScope({ country: 'France' });
		const b = await ex.run(spec, h.scope);
		expect(b).toBe(a);
		expect(h.effects().find((e) => e.phase === 'end')?.cached).toBe(true);
		await ex.run(spec, makeScope({ country: 'Peru' }).scope);
		expect(await s.requests()).toHaveLength(2);
	});

	it('the run budget stops the call that would exceed it, before it is sent', async () => {
		const ex = executor();
		const info = { instanceId: `run-${Math.random()}`, workflowId: 'wf', budget: { maxTokens: 120 } };
		const run = withRunInfo(ex.run, info);
		await run({ type: 'call_llm', prompt: 'first', maxTokens: 100 }, makeScope().scope);
		const r = await outcome(run({ type: 'call_llm', prompt: 'second', maxTokens: 100 }, makeScope().scope));
		expect(!r.ok && r.error.message).toMatch(/token budget would be exceeded/);
		expect(!r.ok && r.error.data).toEqual({ reason: 'budget' });
		expect(await s.requests()).toHaveLength(1);
		expect(records[0]).toMatchObject({ instanceId: info.instanceId, workflowId: 'wf' });
	});

	it('without a provider, fails with what to do (no_provider)', async () => {
		freshAiDb();
		const r = await outcome(executor().run({ type: 'call_llm', prompt: 'x' }, makeScope().scope));
		expect(!r.ok && r.error.code).toBe('no_provider');
		expect(!r.ok && r.error.message).toMatch(/Settings → Providers/);
	});

	it('a rate limit that outlasts the chain is a rate_limited effect error (retry and onError can see it)', async () => {
		const r = await outcome(executor().run({ type: 'call_llm', provider: 'oa', model: 'gpt-4o-mini@rate-limited-long', prompt: 'x' }, makeScope().scope));
		expect(!r.ok && r.error.code).toBe('rate_limited');
	});

	it('in a workflow: a failed check routes through onError; a good answer through onDone into context', async () => {
		await s.script([
			{ match: 'good', reply: { json: { label: 'billing' } } },
			{ match: 'bad', reply: { json: { label: 'other' } } }
		]);
		const parsed = parseWorkflow({
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'triage',
			name: 'Triage',
			initial: 'idle',
			context: {},
			states: {
				idle: { on: { GO: 'classify' } },
				classify: {
					invoke: { type: 'call_llm', prompt: '{{ event.text }}', output: 'json', schema: { type: 'object', properties: { label: { type: 'string' } } }, checks: [{ type: 'expr', expr: 'answer.label = "billing"' }] },
					onDone: { target: 'done', effects: [{ type: 'assign', set: { label: 'event.output.label' } }] },
					onError: { target: 'review', effects: [{ type: 'assign', set: { why: 'event.error' } }] }
				},
				done: { type: 'final' },
				review: { type: 'final' }
			}
		});
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		for (const [text, state] of [['good', 'done'], ['bad', 'review']]) {
			const it = createInterpreter(parsed.workflow, { runEffect: executor().run });
			it.start();
			it.send({ type: 'GO', text });
			await expect.poll(() => it.snapshot().value, { timeout: 5000 }).toBe(state);
			if (state === 'done') expect(it.snapshot().context.label).toBe('billing');
			else expect(String(it.snapshot().context.why)).toMatch(/failed its checks/);
		}
	});
});
