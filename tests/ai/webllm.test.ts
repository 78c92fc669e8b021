import { afterEach, describe, expect, it } from 'vitest';
import { buildCatalog, detectGpu, type WebLlmModelRecord } from '$lib/ai/webllm/catalog';
import { setWebLlmBackend, realBackend, engineFor, type WebLlmBackend, type WebLlmEngine, type LoadProgress } from '$lib/ai/webllm/engine';
import { createProvider, type Part } from '$lib/ai';

const records: WebLlmModelRecord[] = [
	{ model_id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f16_1-MLC', vram_required_MB: 944.6, low_resource_required: true, required_features: ['shader-f16'] },
	{ model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1060.2, low_resource_required: true },
	{ model_id: 'SmolLM2-135M-Instruct-q0f32-MLC', model: 'x', vram_required_MB: 629.4, low_resource_required: true },
	{ model_id: 'Hermes-3-Llama-3.1-8B-q4f32_1-MLC', model: 'x', vram_required_MB: 5779.3 },
	{ model_id: 'snowflake-arctic-embed-m-q0f32-MLC-b4', model: 'x', vram_required_MB: 539, model_type: 1 }
];

/** A fake of web-llm's engine interface (the GPU boundary): OpenAI-style chunks, reload progress, interrupt. */
function fakeBackend(script: (req: Record<string, unknown>) => string[], opts: { cached?: string[]; usage?: boolean } = {}) {
	const log: string[] = [];
	const requests: Record<string, unknown>[] = [];
	let interrupted = false;
	const cached = new Set(opts.cached ?? []);
	const backend: WebLlmBackend = {
		async create(modelId, onProgress) {
			log.push(`create ${modelId}`);
			for (const p of [0, 0.5, 1]) onProgress({ progress: p, text: `Fetching param cache[${p * 10}/10]`, timeElapsed: p });
			cached.add(modelId);
			const engine: WebLlmEngine = {
				chat: {
					completions: {
						async create(req) {
							requests.push(req);
							interrupted = false;
							const pieces = script(req);
							return (async function* () {
								for (const [i, p] of pieces.entries()) {
									if (interrupted) {
										yield { choices: [{ index: 0, delta: {}, finish_reason: 'abort' }] };
										return;
									}
									await new Promise((r) => setTimeout(r, 1));
									yield { id: 'chatcmpl-x', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: p }, finish_reason: i === pieces.length - 1 ? 'stop' : null }] };
								}
								if (opts.usage !== false) yield { id: 'chatcmpl-x', choices: [], usage: { prompt_tokens: 11, completion_tokens: pieces.length, total_tokens: 11 + pieces.length } };
							})();
						}
					}
				},
				async reload(m) {
					log.push(`reload ${m}`);
				},
				interruptGenerate() {
					interrupted = true;
					log.push('interrupt');
				},
				async unload() {}
			};
			return { engine, dispose: () => log.push(`dispose ${modelId}`) };
		},
		isCached: async (id) => cached.has(id),
		remove: async (id) => void cached.delete(id),
		models: async () => records
	};
	return { backend, log, requests };
}

const withGpu = (f16: boolean) => {
	Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => ({ features: new Set(f16 ? ['shader-f16'] : []), info: { vendor: 'google', architecture: 'swiftshader' } }) } }, configurable: true });
};

afterEach(() => setWebLlmBackend(realBackend));

describe('in-browser model catalog', () => {
	it('lists chat models by VRAM with approximate download size; without shader-f16 only q4f32 builds run', () => {
		const c = buildCatalog(records, { webgpu: true, shaderF16: false });
		expect(c.map((m) => m.id)).toEqual(['SmolLM2-135M-Instruct-q0f32-MLC', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', 'Hermes-3-Llama-3.1-8B-q4f32_1-MLC']);
		const byId = Object.fromEntries(c.map((m) => [m.id, m]));
		expect(byId['Qwen2.5-0.5B-Instruct-q4f16_1-MLC'].runnable).toBe(false);
		expect(byId['Qwen2.5-0.5B-Instruct-q4f32_1-MLC']).toMatchObject({ runnable: true, downloadMB: 270, vramMB: 1060, nativeTools: false });
		expect(byId['Hermes-3-Llama-3.1-8B-q4f32_1-MLC'].nativeTools).toBe(true);
		expect(buildCatalog(records, { webgpu: true, shaderF16: true }).every((m) => m.runnable)).toBe(true);
		expect(buildCatalog(records, { webgpu: false, shaderF16: false }).some((m) => m.runnable)).toBe(false);
	});
	it('detects WebGPU, a missing adapter, and shader-f16', async () => {
		expect(await detectGpu({})).toMatchObject({ webgpu: false, reason: expect.stringMatching(/no WebGPU/) });
		expect(await detectGpu({ gpu: { requestAdapter: async () => null } })).toMatchObject({ webgpu: false, reason: expect.stringMatching(/hardware acceleration/) });
		expect(await detectGpu({ gpu: { requestAdapter: async () => ({ features: new Set(['shader-f16']) }) } })).toMatchObject({ webgpu: true, shaderF16: true });
	});
});

describe('web-llm provider (fake engine at the GPU boundary)', () => {
	const collect = async (it: AsyncIterable<Part>) => {
		const out: Part[] = [];
		for await (const p of it) out.push(p);
		return out;
	};

	it('streams text and usage, sends json_object + schema for JSON output', async () => {
		withGpu(true);
		const f = fakeBackend(() => ['{"ok"', ': true}'], { cached: ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC'] });
		setWebLlmBackend(f.backend);
		const ps = await collect(createProvider({ kind: 'webllm' }).stream({ model: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', messages: [{ role: 'user', content: 'ok?' }], responseSchema: { type: 'object' }, maxTokens: 20 }));
		expect(ps.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('{"ok": true}');
		expect(ps).toContainEqual({ type: 'usage', inputTokens: 11, outputTokens: 2 });
		expect(ps.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
		expect(f.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_tokens: 20, response_format: { type: 'json_object', schema: '{"type":"object"}' } });
	});

	it('a model that is not downloaded is refused with where to download it (no silent download)', async () => {
		withGpu(true);
		const f = fakeBackend(() => ['x']);
		setWebLlmBackend(f.backend);
		const ps = await collect(createProvider({ kind: 'webllm' }).stream({ model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', messages: [{ role: 'user', content: 'x' }] }));
		expect(ps).toEqual([{ type: 'error', error: expect.objectContaining({ kind: 'unavailable', message: expect.stringMatching(/Settings → Providers → In-browser models/) }) }]);
		expect(f.log).toEqual([]);
	});

	it('emulates tools with a { tool, arguments } schema on models without native tool calls', async () => {
		withGpu(false);
		const f = fakeBackend(() => ['{"tool": "weather", ', '"arguments": {"city": "Oslo"}}'], { cached: ['Qwen2.5-0.5B-Instruct-q4f32_1-MLC'] });
		setWebLlmBackend(f.backend);
		const c = await createProvider({ kind: 'webllm' }).complete({ model: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [{ name: 'weather', parameters: { type: 'object' } }] });
		expect(c.toolCalls).toEqual([{ id: expect.any(String), name: 'weather', arguments: { city: 'Oslo' } }]);
		expect(c.finishReason).toBe('tool-calls');
		const rf = f.requests[0].response_format as { schema: string };
		expect(JSON.parse(rf.schema).properties.tool.enum).toEqual(['weather', 'answer']);
	});

	it('downloads with progress, and an abort interrupts generation', async () => {
		withGpu(true);
		const f = fakeBackend(() => Array.from({ length: 200 }, () => 'tok '));
		setWebLlmBackend(f.backend);
		const progress: LoadProgress[] = [];
		await engineFor('SmolLM2-135M-Instruct-q0f32-MLC', { download: true, onProgress: (p) => progress.push(p) });
		expect(progress.map((p) => p.progress)).toEqual([0, 0.5, 1]);
		const ctl = new AbortController();
		let n = 0;
		const run = collect(
			(async function* () {
				for await (const p of createProvider({ kind: 'webllm' }).stream({ model: 'SmolLM2-135M-Instruct-q0f32-MLC', messages: [{ role: 'user', content: 'go' }] }, ctl.signal)) {
					if (++n === 5) ctl.abort(new Error('stop'));
					yield p;
				}
			})()
		);
		await expect(run).rejects.toThrow('stop');
		expect(f.log).toContain('interrupt');
	});

	it('without WebGPU, says so in words', async () => {
		Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
		const ps = await collect(createProvider({ kind: 'webllm' }).stream({ model: 'm', messages: [] }));
		expect(ps[0]).toMatchObject({ type: 'error', error: { kind: 'unavailable', message: expect.stringMatching(/cannot run here: This browser has no WebGPU/) } });
	});
});
