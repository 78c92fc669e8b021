import { describe, expect, inject, it } from 'vitest';
import { createProvider, ProviderError, type Part, type ProviderConfig } from '$lib/ai';
import { mockSession } from '../mocks/client';

const base = inject('mockLlmUrl');

async function parts(config: ProviderConfig, request: Parameters<ReturnType<typeof createProvider>['stream']>[0], signal?: AbortSignal) {
	const out: Part[] = [];
	for await (const p of createProvider(config).stream(request, signal)) out.push(p);
	return out;
}
const text = (ps: Part[]) => ps.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');
const of = <T extends Part['type']>(ps: Part[], t: T) => ps.filter((p): p is Extract<Part, { type: T }> => p.type === t);
const user = (content: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content }] });

describe('OpenAI Chat Completions', () => {
	it('reads text, then keeps reading after finish_reason for the usage chunk (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'openai', baseUrl: s.openai, apiKey: 'sk-test' }, user('[mock:openai-fixture] hi'));
		expect(text(ps)).toBe('The door is open.');
		expect(of(ps, 'usage')).toEqual([{ type: 'usage', inputTokens: 19, outputTokens: 4 }]);
		expect(ps.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
		// usage arrives after the finish chunk on the wire but is reported before `finish`
		expect(ps.map((p) => p.type)).toEqual(['text-delta', 'text-delta', 'text-delta', 'usage', 'finish']);
	});

	it('sends include_usage, max_completion_tokens, stop, json_schema and tools; the key only in Authorization', async () => {
		const s = mockSession(base);
		await parts(
			{ kind: 'openai', baseUrl: s.openai, apiKey: 'sk-test' },
			{
				model: 'gpt-4o-mini',
				messages: [
					{ role: 'system', content: 'Be brief.' },
					{ role: 'user', content: 'Weather?' }
				],
				temperature: 0.2,
				maxTokens: 50,
				stop: ['END'],
				responseSchema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
				tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } }]
			}
		);
		const [req] = await s.requests();
		const body = req.body as Record<string, unknown>;
		expect(body.stream).toBe(true);
		expect(body.stream_options).toEqual({ include_usage: true });
		expect(body.max_completion_tokens).toBe(50);
		expect(body.stop).toEqual(['END']);
		expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'response', strict: true } });
		expect((body.tools as unknown[])[0]).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
		expect(JSON.stringify(body)).not.toContain('sk-test');
		expect(req.headerNames).toContain('authorization');
	});

	it('assembles tool-call arguments sent as fragments keyed by index (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' }, user('[mock:openai-tools-fixture]'));
		expect(of(ps, 'tool-call')).toEqual([
			{ type: 'tool-call', id: 'call_DdmO9pD3xa9XTPNJ32zg2hcA', name: 'get_weather', arguments: { location: 'Paris, France' } },
			{ type: 'tool-call', id: 'call_ABC2', name: 'get_time', arguments: {} }
		]);
		expect(of(ps, 'usage')[0]).toMatchObject({ inputTokens: 82, outputTokens: 31, cachedInputTokens: 64 });
		expect(ps.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
	});

	it('OpenRouter: skips comment lines and takes the provider’s own cost (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'openai-compatible', baseUrl: s.openrouter, apiKey: 'k' }, { ...user('[mock:openrouter-fixture]'), model: 'openai/gpt-4o-mini' });
		expect(text(ps)).toBe('Bonjour à tous');
		expect(of(ps, 'usage')[0]).toEqual({ type: 'usage', inputTokens: 12, outputTokens: 3, costUsd: 0.0000036 });
	});

	it('OpenRouter: an error event mid-stream ends in an error part after the text so far', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'openai-compatible', baseUrl: s.openrouter, apiKey: 'k' }, user('[mock:openrouter-error-fixture]'));
		expect(text(ps)).toBe('Partial');
		const err = of(ps, 'error')[0].error;
		expect(err.kind).toBe('stream');
		expect(err.message).toContain('Provider disconnected unexpectedly');
		expect(err.transient).toBe(true);
	});

	it('generated stream: tool calls and usage in the same shape as the recorded one', async () => {
		const s = mockSession(base);
		await s.script([{ reply: { text: 'Checking.', toolCalls: [{ name: 'lookup', arguments: { q: 'ünï', n: 3 } }], usage: { input: 10, output: 5, cached: 2, reasoning: 1 } } }]);
		const ps = await parts({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' }, user('x'));
		expect(text(ps)).toBe('Checking.');
		expect(of(ps, 'tool-call')[0]).toMatchObject({ name: 'lookup', arguments: { q: 'ünï', n: 3 } });
		expect(of(ps, 'usage')[0]).toEqual({ type: 'usage', inputTokens: 10, outputTokens: 5, cachedInputTokens: 2, reasoningTokens: 1 });
	});

	it('lists models from /models', async () => {
		const s = mockSession(base);
		expect(await createProvider({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' }).listModels!()).toEqual(['gpt-4.1-nano', 'gpt-4o-mini']);
	});
});

describe('Anthropic Messages', () => {
	it('reads the full event sequence with pings and split tool arguments (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' }, { ...user('[mock:anthropic-tools-fixture]'), model: 'claude-sonnet-4-5' });
		expect(text(ps)).toBe('Okay, let me check the weather.');
		expect(of(ps, 'tool-call')).toEqual([{ type: 'tool-call', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: { location: 'San Francisco, CA', unit: 'fahrenheit' } }]);
		// input = uncached + cache reads; output from the cumulative message_delta
		expect(of(ps, 'usage')[0]).toEqual({ type: 'usage', inputTokens: 600, outputTokens: 89, cachedInputTokens: 128 });
		expect(ps.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
	});

	it('sends the version and browser-access headers, system apart, tool results as user turns', async () => {
		const s = mockSession(base);
		await parts(
			{ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'sk-ant-test' },
			{
				model: 'claude-haiku-4-5',
				messages: [
					{ role: 'system', content: 'Sys' },
					{ role: 'user', content: 'Q' },
					{ role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'f', arguments: { a: 1 } }] },
					{ role: 'tool', toolCallId: 't1', content: '{"ok":true}' }
				],
				temperature: 1.5,
				stop: ['###']
			}
		);
		const [req] = await s.requests();
		expect(req.headerNames).toEqual(expect.arrayContaining(['x-api-key', 'anthropic-version', 'anthropic-dangerous-direct-browser-access']));
		const body = req.body as Record<string, unknown>;
		expect(body.system).toBe('Sys');
		expect(body.max_tokens).toBe(4096);
		expect(body.temperature).toBe(1);
		expect(body.stop_sequences).toEqual(['###']);
		expect(body.messages).toEqual([
			{ role: 'user', content: [{ type: 'text', text: 'Q' }] },
			{ role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
			{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: '{"ok":true}' }] }
		]);
	});

	it('JSON output through a forced tool, streamed as text', async () => {
		const s = mockSession(base);
		const schema = { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } }, required: ['city', 'n'] };
		await s.script([{ reply: { json: { city: 'Zürich', n: 7 } } }]);
		const provider = createProvider({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' });
		const c = await provider.complete({ ...user('city?'), model: 'claude-haiku-4-5', responseSchema: schema });
		expect(JSON.parse(c.text)).toEqual({ city: 'Zürich', n: 7 });
		expect(c.toolCalls).toEqual([]);
		expect(c.finishReason).toBe('stop');
		const [req] = await s.requests();
		expect((req.body as Record<string, unknown>).tool_choice).toEqual({ type: 'tool', name: 'json_answer' });
	});

	it('an overloaded_error event mid-stream is a transient error (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' }, user('[mock:anthropic-overloaded-fixture]'));
		expect(text(ps)).toBe('Let me');
		const err = of(ps, 'error')[0].error;
		expect(err.kind).toBe('overloaded');
		expect(err.transient).toBe(true);
	});

	it('explains an organisation that forbids browser access', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' }, user('[mock:org-no-browser]'));
		const err = of(ps, 'error')[0].error;
		expect(err.status).toBe(401);
		expect(err.message).toContain('CORS requests are not allowed for this Organization');
	});
});

describe('Google Gemini', () => {
	it('reads whole GenerateContentResponse events; last usageMetadata wins; thoughts are reasoning (recorded stream)', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'google', baseUrl: s.google, apiKey: 'k' }, { ...user('[mock:google-fixture]'), model: 'gemini-2.5-flash' });
		expect(text(ps)).toBe('The answer is forty-two.');
		expect(of(ps, 'usage')).toEqual([{ type: 'usage', inputTokens: 9, outputTokens: 34, reasoningTokens: 28 }]);
		expect(ps.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
	});

	it('sends the key in x-goog-api-key, never in the URL; JSON via responseJsonSchema; tools as functionDeclarations', async () => {
		const s = mockSession(base);
		const schema = { type: 'object', properties: { ok: { type: 'boolean' } } };
		const c = await createProvider({ kind: 'google', baseUrl: s.google, apiKey: 'AIzaTEST' }).complete({
			model: 'gemini-2.5-flash',
			messages: [
				{ role: 'system', content: 'S' },
				{ role: 'user', content: 'Q' }
			],
			responseSchema: schema,
			maxTokens: 64,
			tools: [{ name: 'f', parameters: { type: 'object' } }]
		});
		expect(JSON.parse(c.text)).toEqual({ ok: true });
		const [req] = await s.requests();
		expect(req.path).toBe('/google/v1beta/models/gemini-2.5-flash:streamGenerateContent');
		expect(req.headerNames).toContain('x-goog-api-key');
		const body = req.body as Record<string, any>;
		expect(body.systemInstruction).toEqual({ parts: [{ text: 'S' }] });
		expect(body.generationConfig).toEqual({ maxOutputTokens: 64, responseMimeType: 'application/json', responseJsonSchema: schema });
		expect(body.tools[0].functionDeclarations[0].name).toBe('f');
	});

	it('reads a function call (recorded stream)', async () => {
		const s = mockSession(base);
		const c = await createProvider({ kind: 'google', baseUrl: s.google, apiKey: 'k' }).complete(user('[mock:google-tools-fixture]'));
		expect(c.toolCalls).toEqual([{ id: 'call_1', name: 'get_weather', arguments: { location: 'Paris' } }]);
		expect(c.finishReason).toBe('tool-calls');
	});

	it('a bad key is a 400 API_KEY_INVALID, classified as auth', async () => {
		const s = mockSession(base);
		const ps = await parts({ kind: 'google', baseUrl: s.google, apiKey: 'AIza-bad-key' }, user('x'));
		const err = of(ps, 'error')[0].error;
		expect(err.kind).toBe('auth');
		expect(err.message).not.toContain('AIza-bad-key');
	});
});

describe('every adapter', () => {
	const kinds: [string, (s: ReturnType<typeof mockSession>) => ProviderConfig][] = [
		['openai', (s) => ({ kind: 'openai', baseUrl: s.openai, apiKey: 'k' })],
		['openrouter', (s) => ({ kind: 'openai-compatible', baseUrl: s.openrouter, apiKey: 'k' })],
		['anthropic', (s) => ({ kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'k' })],
		['google', (s) => ({ kind: 'google', baseUrl: s.google, apiKey: 'k' })]
	];
	for (const [name, config] of kinds) {
		it(`${name}: multi-byte characters split across network chunks come out whole`, async () => {
			const s = mockSession(base);
			const ps = await parts(config(s), user('[mock:multibyte]'));
			expect(text(ps)).toBe('Grüße, 世界! 🦊 naïve café — ünïcödé ✓');
			expect(text(ps)).not.toContain('\uFFFD');
		});

		it(`${name}: a JSON answer split every 3 bytes parses whole`, async () => {
			const s = mockSession(base);
			const c = await createProvider(config(s)).complete({ ...user('[mock:split-json]'), responseSchema: { type: 'object', properties: { answer: { type: 'string' } } } });
			expect(JSON.parse(c.text)).toEqual({ answer: 'São Paulo ☀', n: 42, tags: ['ü', '✓'] });
		});

		it(`${name}: 429 with Retry-After is rate_limited with the wait`, async () => {
			const s = mockSession(base);
			const ps = await parts(config(s), user('[mock:rate-limited]'));
			expect(ps).toHaveLength(1);
			const err = of(ps, 'error')[0].error;
			expect(err).toBeInstanceOf(ProviderError);
			expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 1000 });
		});

		it(`${name}: 500 is a transient server error; 400 is not transient`, async () => {
			const s = mockSession(base);
			const e500 = of(await parts(config(s), user('[mock:server-error]')), 'error')[0].error;
			expect(e500).toMatchObject({ kind: 'server', status: 500, transient: true });
			const e400 = of(await parts(config(s), user('[mock:bad-request]')), 'error')[0].error;
			expect(e400).toMatchObject({ kind: 'bad_request', status: 400, transient: false });
		});

		it(`${name}: a bad key is a non-transient auth error whose message does not contain the key`, async () => {
			const s = mockSession(base);
			const key = 'sk-bad-PLANTED-0123456789';
			const err = of(await parts({ ...config(s), apiKey: key }, user('x')), 'error')[0].error;
			expect(err.kind).toBe('auth');
			expect(err.transient).toBe(false);
			expect(err.message).not.toContain(key);
		});

		it(`${name}: an error mid-stream keeps the text so far and ends in an error`, async () => {
			const s = mockSession(base);
			const ps = await parts(config(s), user('[mock:mid-stream-error]'));
			expect(text(ps)).toBe('This answer ');
			expect(ps.at(-1)!.type).toBe('error');
		});

		it(`${name}: a dropped connection ends in an error, not a silent finish`, async () => {
			const s = mockSession(base);
			const ps = await parts(config(s), user('[mock:dropped-connection]'));
			expect(ps.at(-1)!.type).toBe('error');
		});

		it(`${name}: aborting closes the connection (the mock sees it) and throws the reason`, async () => {
			const s = mockSession(base);
			const ctl = new AbortController();
			const got: Part[] = [];
			const run = (async () => {
				for await (const p of createProvider(config(s)).stream(user('[mock:slow]'), ctl.signal)) {
					got.push(p);
					if (got.length === 3) ctl.abort(new Error('left the state'));
				}
			})();
			await expect(run).rejects.toThrow('left the state');
			await expect.poll(async () => (await s.requests())[0]?.aborted, { timeout: 3000 }).toBe(true);
			expect((await s.requests())[0].finished).toBe(false);
		});
	}
});

describe('createProvider', () => {
	it('refuses an OpenAI-compatible provider without a base URL, in words', () => {
		expect(() => createProvider({ kind: 'openai-compatible' })).toThrow(/needs a base URL/);
	});
	it('a server that is not there is a network error naming the address without its query', async () => {
		const ps = await parts({ kind: 'google', baseUrl: 'http://127.0.0.1:9/v1beta', apiKey: 'k' }, user('x'));
		const err = of(ps, 'error')[0].error;
		expect(err.kind).toBe('network');
		expect(err.message).toContain('http://127.0.0.1:9/v1beta/models/gpt-4o-mini:streamGenerateContent');
		expect(err.message).not.toContain('alt=sse');
	});
});
