// AI layer figures against the mock LLM server (in-process): stream overhead from the first
// byte of the response to the first text delta on the receiving side of a MessageChannel
// (the worker boundary's mechanism), text relay throughput, and a cached call_llm.
import type { Report } from '../report';
import { startMockLlmServer } from '../../mocks/llm-server';
import { createExecutor, createMemoryCache } from '../../../src/lib/effects';
import { createAiHandlers } from '../../../src/lib/ai/handlers';
import { createChatService } from '../../../src/lib/ai/llm/chat';
import type { ProviderInfo } from '../../../src/lib/ai/settings/providers';
import type { EffectScope, InstanceEvent } from '../../../src/lib/engine/types';

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export default async function (report: Report) {
	const mock = await startMockLlmServer();
	const baseUrl = `${mock.url}/openai/v1`;
	const info: ProviderInfo = { id: 'bench', name: 'Bench', kind: 'openai', hasKey: true, createdAt: 0, updatedAt: 0 };
	const service = createChatService({
		resolve: async () => ({ config: { kind: 'openai', baseUrl, apiKey: 'sk-bench' }, info }),
		priceOverrides: async () => ({}),
		recordUsage: () => {}
	});
	const ex = createExecutor({ handlers: createAiHandlers({ workspaceId: 'bench', chatService: service }), cache: createMemoryCache() });

	// Instance events cross a MessageChannel, as they cross the worker boundary to the UI.
	const { port1, port2 } = new MessageChannel();
	let onUi: (e: InstanceEvent) => void = () => {};
	port2.onmessage = (m) => onUi(m.data as InstanceEvent);
	const scope = (): EffectScope => ({
		context: {},
		event: { type: 'GO' },
		signal: new AbortController().signal,
		state: 'asking',
		traceId: '0af7651916cd43dd8448eb211c80319c',
		send() {},
		emit() {},
		assign() {},
		report: (e) => port1.postMessage(e)
	});

	// First byte: when fetch resolves with the response (headers and the first event).
	const realFetch = globalThis.fetch;
	let firstByte = 0;
	globalThis.fetch = (async (...a: Parameters<typeof fetch>) => {
		const r = await realFetch(...a);
		firstByte = performance.now();
		return r;
	}) as typeof fetch;

	try {
		const overhead: number[] = [];
		for (let i = 0; i < 60; i++) {
			let first = 0;
			onUi = (e) => {
				if (!first && e.kind === 'effect' && e.phase === 'progress' && (e.data as { kind?: string })?.kind === 'text') first = performance.now();
			};
			await ex.run({ type: 'call_llm', provider: 'bench', model: 'gpt-4o-mini', prompt: `overhead ${i}` }, scope());
			await new Promise((r) => setTimeout(r, 5)); // this run's messages arrive before the next starts
			if (i >= 10 && first) overhead.push(first - firstByte);
		}
		report('ai.stream_overhead_ms', pct(overhead, 50), 'ms', { p95: Math.round(pct(overhead, 95) * 1000) / 1000, runs: overhead.length, note: 'first byte of the response → first text delta received across a MessageChannel' });

		// Relay: a long answer in one-character deltas, coalesced and posted across the channel.
		const text = 'x'.repeat(20_000);
		// 16 kB network reads, as a busy provider's stream arrives: the figure is our relay's capacity, not the mock's pacing.
		mock.script('relay', [{ reply: { text, deltaChars: 1, splitBytes: 16_384 } }]);
		const relayService = createChatService({
			resolve: async () => ({ config: { kind: 'openai', baseUrl: `${mock.url}/s/relay/openai/v1`, apiKey: 'sk-bench' }, info }),
			priceOverrides: async () => ({}),
			recordUsage: () => {}
		});
		const relayEx = createExecutor({ handlers: createAiHandlers({ workspaceId: 'bench', chatService: relayService }) });
		await new Promise((r) => setTimeout(r, 50)); // earlier runs' messages drain first
		let received = 0;
		let t0 = 0;
		let t1 = 0;
		onUi = (e) => {
			if (e.kind === 'effect' && e.phase === 'progress' && (e.data as { kind?: string })?.kind === 'text') {
				if (!t0) t0 = performance.now();
				received += (e.data as { delta: string }).delta.length;
				t1 = performance.now();
			}
		};
		const start = performance.now();
		await relayEx.run({ type: 'call_llm', provider: 'bench', model: 'gpt-4o-mini', prompt: 'relay' }, scope());
		await new Promise((r) => setTimeout(r, 20));
		if (received !== text.length) throw new Error(`relayed ${received} of ${text.length} characters`);
		report('ai.relay_tokens_per_s', (text.length / (t1 - start)) * 1000, 'tokens/s', { tokens: text.length, note: 'one-character deltas from the mock, through the adapter, chat service, coalescer and a MessageChannel' });

		// Cache hit: cache(call_llm) answered from memory.
		const spec = { type: 'cache', ttlMs: 600_000, effect: { type: 'call_llm', provider: 'bench', model: 'gpt-4o-mini', prompt: 'cached question' } };
		onUi = () => {};
		await ex.run(spec, scope());
		const hits: number[] = [];
		for (let i = 0; i < 2000; i++) {
			const a = performance.now();
			await ex.run(spec, scope());
			hits.push(performance.now() - a);
		}
		report('ai.cache_hit_ms', pct(hits.slice(200), 50), 'ms', { p95: Math.round(pct(hits.slice(200), 95) * 1000) / 1000 });
		if (mock.requests().filter((r) => JSON.stringify(r.body).includes('cached question')).length !== 1) throw new Error('the cache did not answer');
	} finally {
		globalThis.fetch = realFetch;
		port1.close();
		port2.close();
		await mock.close();
	}
}
