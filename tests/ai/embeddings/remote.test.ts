/**
 * Remote embeddings against the mock LLM server, which speaks OpenAI's `/v1/embeddings`
 * (also Ollama's OpenAI-compatible one) and Gemini's `batchEmbedContents` wire formats.
 */
import { describe, expect, inject, it } from 'vitest';
import { createServer } from 'node:net';
import { createRemoteEmbedder, type EmbeddingProviderConfig, type RemoteOptions } from '$lib/ai/embeddings/remote';
import { createMemoryEmbeddingCache, embedTexts, EmbeddingError, type RemoteModelRef } from '$lib/ai/embeddings';
import { mockEmbedding } from '../../mocks/embeddings';
import { mockSession } from '../../mocks/client';
import { outcome } from '../../effects/helpers';

const mock = inject('mockLlmUrl');
const KEY = 'sk-proj-embedKEY1234567890';

type Body = Record<string, unknown>;
const norm = (v: Float32Array) => Math.hypot(...v);
const unit = (v: number[]) => {
	const n = Math.hypot(...v);
	return v.map((x) => x / n);
};
/** The vector the mock makes for a text, as the client should return it (unit length). */
function expected(text: string, dims: number) {
	return unit(mockEmbedding(text, dims));
}
function close(a: Float32Array, b: number[]) {
	expect(a.length).toBe(b.length);
	let worst = 0;
	for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
	expect(worst).toBeLessThan(1e-5);
}

function embedder(ref: Omit<RemoteModelRef, 'kind' | 'provider'>, cfg: EmbeddingProviderConfig, o: RemoteOptions = {}) {
	const waits: number[] = [];
	const e = createRemoteEmbedder({ kind: 'remote', provider: 'p', ...ref }, cfg, {
		sleep: async (ms) => {
			waits.push(ms);
		},
		...o
	});
	return { e, waits };
}

describe('OpenAI /v1/embeddings', () => {
	it('sends the model, the texts and float encoding with a bearer key; returns unit vectors in input order', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const texts = ['A cat sleeps all day.', 'Trains leave Paris at noon.', 'Ünïcödé 世界'];
		const v = await e.embed(texts);
		expect(v).toHaveLength(3);
		texts.forEach((t, i) => close(v[i], expected(t, 1536)));
		for (const x of v) expect(norm(x)).toBeCloseTo(1, 5);
		expect(e.dims).toBe(1536);
		const [req] = await s.requests();
		expect(req.path).toBe('/openai/v1/embeddings');
		expect(req.body).toEqual({ model: 'text-embedding-3-small', input: texts, encoding_format: 'float' });
		expect(req.auth).toBe('ok');
		expect(req.headerNames).toContain('authorization');
	});

	it('asks for fewer dimensions when the base says so', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'text-embedding-3-large', dimensions: 256 }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const [v] = await e.embed(['hello']);
		expect(v).toHaveLength(256);
		expect((await s.requests())[0].body).toMatchObject({ dimensions: 256 });
	});

	it('sends at most 96 texts per request and keeps the order across batches', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'text-embedding-3-small', dimensions: 64 }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const texts = Array.from({ length: 200 }, (_, i) => `document number ${i} about topic ${i % 7}`);
		const v = await e.embed(texts);
		expect((await s.requests()).map((r) => (r.body as { input: string[] }).input.length)).toEqual([96, 96, 8]);
		texts.forEach((t, i) => close(v[i], expected(t, 64)));
	});

	it('embedTexts: cached and repeated texts are not sent again; progress counts the texts computed', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'text-embedding-3-small', dimensions: 32 }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const cache = createMemoryEmbeddingCache();
		const progress: [number, number][] = [];
		const first = await embedTexts(e, ['alpha', 'beta', 'alpha', ''], { cache, onProgress: (d, t) => progress.push([d, t]) });
		expect((await s.requests()).map((r) => (r.body as { input: string[] }).input)).toEqual([['alpha', 'beta']]);
		expect(first[0]).toEqual(first[2]);
		expect([...first[3]]).toEqual(new Array(32).fill(0));
		expect(progress).toEqual([
			[0, 2],
			[2, 2]
		]);
		const again = await embedTexts(e, ['beta', 'gamma'], { cache });
		expect((await s.requests()).map((r) => (r.body as { input: string[] }).input)).toEqual([['alpha', 'beta'], ['gamma']]);
		expect(again[0]).toEqual(first[1]);
	});

	it('a refused key is explained without the key; a key echoed by the server is removed', async () => {
		const s = mockSession(mock);
		const bad = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s.openai, apiKey: 'sk-wrong-key-123456', name: 'OpenAI' });
		const r = await outcome(bad.e.embed(['x']));
		expect(!r.ok && r.error.message).toBe('OpenAI refused the key (HTTP 401) (Incorrect API key provided.). Check the key in Settings → Providers.');
		expect(!r.ok && (r.error as EmbeddingError).code).toBe('auth');

		await s.script([{ scenario: 'echo-key' }]);
		const echo = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY, name: 'OpenAI' });
		const r2 = await outcome(echo.e.embed(['x']));
		expect(!r2.ok && r2.error.message).toMatch(/^OpenAI refused the key \(HTTP 401\)/);
		expect(!r2.ok && r2.error.message).not.toContain(KEY);
		expect(!r2.ok && r2.error.message).not.toContain(KEY.slice(0, 12));
	});

	it('429: waits for Retry-After and tries again; a Retry-After longer than the cap gives up at once', async () => {
		const s = mockSession(mock);
		await s.script([{ scenario: 'rate-limited', times: 2 }]);
		const { e, waits } = embedder({ model: 'text-embedding-3-small', dimensions: 8 }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const [v] = await e.embed(['ok now']);
		close(v, expected('ok now', 8));
		expect(waits).toEqual([1000, 1000]);
		expect((await s.requests()).map((r) => r.status)).toEqual([429, 429, 200]);

		const s2 = mockSession(mock);
		await s2.script([{ scenario: 'rate-limited-long' }]);
		const long = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s2.openai, apiKey: KEY, name: 'OpenAI' });
		const r = await outcome(long.e.embed(['x']));
		expect(!r.ok && (r.error as EmbeddingError).code).toBe('rate_limit');
		expect(!r.ok && r.error.message).toMatch(/^OpenAI is rate limiting requests \(HTTP 429\) \(Rate limit reached for requests\)\. Wait a moment/);
		expect(long.waits).toEqual([]);
		expect(await s2.requests()).toHaveLength(1);
	});

	it('5xx is retried with backoff, then reported', async () => {
		const s = mockSession(mock);
		await s.script([{ scenario: 'server-error' }]);
		const { e, waits } = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY, name: 'OpenAI' }, { maxRetries: 2 });
		const r = await outcome(e.embed(['x']));
		expect(!r.ok && r.error.message).toBe('OpenAI answered HTTP 500 (The server had an error while processing your request.).');
		expect(waits).toEqual([500, 1000]);
		expect(await s.requests()).toHaveLength(3);
	});

	it('an unknown model (404), a malformed answer and the API’s own validation error are explained', async () => {
		const s = mockSession(mock);
		await s.script([
			{ match: 'four-oh-four', reply: { status: 404, message: 'The model `text-embedding-9` does not exist or you do not have access to it.', code: 'model_not_found' } },
			{ match: 'short', reply: { json: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }] } } }
		]);
		const { e } = embedder({ model: 'text-embedding-9' }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY, name: 'OpenAI' });
		const r404 = await outcome(e.embed(['four-oh-four']));
		expect(!r404.ok && r404.error.message).toMatch(/^OpenAI has no embedding model "text-embedding-9" \(HTTP 404\)/);
		const short = await outcome(e.embed(['short', 'answer']));
		expect(!short.ok && short.error.message).toBe('OpenAI answered with something that is not a list of 2 embeddings.');
		expect(!short.ok && (short.error as EmbeddingError).code).toBe('bad_response');
	});

	it('cancel stops the request', async () => {
		const s = mockSession(mock);
		await s.script([{ reply: { delayMs: 3000 } }]);
		const { e } = embedder({ model: 'text-embedding-3-small' }, { kind: 'openai', baseUrl: s.openai, apiKey: KEY });
		const c = new AbortController();
		const p = outcome(e.embed(['slow'], c.signal));
		await expect.poll(async () => (await s.requests()).length).toBe(1);
		c.abort();
		const r = await p;
		expect(!r.ok && (r.error as EmbeddingError).code).toBe('cancelled');
		await expect.poll(async () => (await s.requests())[0].aborted).toBe(true);
	});

	it('a server that cannot be reached is explained (down, or CORS), with the Ollama fix', async () => {
		const port = await new Promise<number>((resolve) => {
			const srv = createServer();
			srv.listen(0, '127.0.0.1', () => {
				const p = (srv.address() as { port: number }).port;
				srv.close(() => resolve(p));
			});
		});
		const { e } = embedder({ model: 'nomic-embed-text' }, { kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, name: 'Ollama' });
		const r = await outcome(e.embed(['x']));
		expect(!r.ok && (r.error as EmbeddingError).code).toBe('cors');
		expect(!r.ok && r.error.message).toMatch(new RegExp(`^Ollama at http://127.0.0.1:${port} could not be reached from the browser .*OLLAMA_ORIGINS`));
	});
});

describe('OpenAI-compatible servers (Ollama)', () => {
	it('no key, no authorization header; the /v1 suffix is added when the base URL lacks it', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'nomic-embed-text' }, { kind: 'openai-compatible', baseUrl: s.ollama.replace(/\/v1$/, '') });
		const [v] = await e.embed(['llamas graze']);
		close(v, expected('llamas graze', 768));
		const [req] = await s.requests();
		expect(req.path).toBe('/ollama/v1/embeddings');
		expect(req.auth).toBe('none');
		expect(req.headerNames).not.toContain('authorization');
	});

	it('a server without a base URL is a setup error, not a request to nowhere', async () => {
		const { e } = embedder({ model: 'nomic-embed-text' }, { kind: 'openai-compatible', name: 'My Ollama' });
		const r = await outcome(e.embed(['x']));
		expect(!r.ok && r.error.message).toBe('My Ollama has no base URL; set one in Settings → Providers (for Ollama: http://localhost:11434/v1).');
	});
});

describe('Gemini batchEmbedContents', () => {
	it('one request per 100 texts, the model in the path and in each request, the key in a header; reduced sizes are normalized here', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'gemini-embedding-001', dimensions: 768 }, { kind: 'google', baseUrl: s.google, apiKey: 'AIzaSyEmbedTestKey0000000000' });
		const texts = Array.from({ length: 250 }, (_, i) => `passage ${i}`);
		const v = await e.embed(texts);
		const reqs = await s.requests();
		expect(reqs.map((r) => r.path)).toEqual(new Array(3).fill('/google/v1beta/models/gemini-embedding-001:batchEmbedContents'));
		expect(reqs.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([100, 100, 50]);
		expect((reqs[0].body as { requests: Body[] }).requests[0]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'passage 0' }] }, outputDimensionality: 768 });
		expect(reqs[0].headerNames).toContain('x-goog-api-key');
		expect(reqs[0].path).not.toContain('key=');
		// the mock answers 768 dimensions with vectors of length 2.5, as Gemini does not normalize them
		for (const x of v) expect(norm(x)).toBeCloseTo(1, 5);
		texts.forEach((t, i) => close(v[i], expected(t, 768)));
	});

	it('a model given as models/… is not doubled; the default size is the model’s', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'models/text-embedding-004' }, { kind: 'google', baseUrl: s.google, apiKey: 'AIzaSyEmbedTestKey0000000000' });
		const [v] = await e.embed(['hello']);
		expect(v).toHaveLength(768);
		expect((await s.requests())[0].path).toBe('/google/v1beta/models/text-embedding-004:batchEmbedContents');
	});

	it('Gemini’s 400 API_KEY_INVALID is a refused key', async () => {
		const s = mockSession(mock);
		const { e } = embedder({ model: 'gemini-embedding-001' }, { kind: 'google', baseUrl: s.google, apiKey: 'AIza-bad-key-000000' });
		const r = await outcome(e.embed(['x']));
		expect(!r.ok && (r.error as EmbeddingError).code).toBe('auth');
		expect(!r.ok && r.error.message).toBe('Gemini refused the key (HTTP 400) (API key not valid. Please pass a valid API key.). Check the key in Settings → Providers.');
	});
});

describe('providers without embeddings', () => {
	it('Anthropic and in-browser chat models are refused with what to choose instead', () => {
		expect(() => createRemoteEmbedder({ kind: 'remote', provider: 'a', model: 'claude' }, { kind: 'anthropic' })).toThrow(/Anthropic has no embeddings API/);
		expect(() => createRemoteEmbedder({ kind: 'remote', provider: 'w', model: 'x' }, { kind: 'webllm' })).toThrow(/do not make embeddings/);
	});
});
