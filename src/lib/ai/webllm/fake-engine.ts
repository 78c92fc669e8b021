/**
 * A test double of web-llm at its engine boundary (what `CreateWebWorkerMLCEngine`,
 * `hasModelInCache`, `deleteModelAllInfoInCache` and `prebuiltAppConfig` give the app), for
 * browser tests on machines without a GPU fit for real models. It is never loaded unless a
 * test created the Cache Storage flag `FAKE_ENGINE_CACHE` (see ./engine.ts).
 *
 * It behaves like web-llm where the app can tell: "downloads" parameter shards into the same
 * Cache Storage caches (`webllm/model`, `webllm/config`) with their sizes, reports web-llm's
 * progress lines, resumes from the shards already cached, stops when cancelled, answers chat
 * completions as streamed OpenAI chunks with a usage chunk, and honours `interruptGenerate`.
 */
import { FAKE_ENGINE_CACHE, type LoadProgress, type WebLlmBackend, type WebLlmEngine } from './engine';
import type { WebLlmModelRecord } from './catalog';

/** What a test can tune (a JSON response at `/config` in the flag cache). */
export interface FakeEngineConfig {
	/** Parameter shards per model (default 10). */
	shards?: number;
	/** Milliseconds per shard (default 120). */
	shardMs?: number;
	/** Bytes each shard claims (default 32 MB). */
	shardBytes?: number;
	/** Milliseconds between streamed chunks (default 30). */
	tokenMs?: number;
}

/** Records in web-llm's ModelRecord shape (figures from web-llm's prebuilt list). */
const MODELS: WebLlmModelRecord[] = [
	{ model_id: 'SmolLM2-360M-Instruct-q4f16_1-MLC', model: 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f16_1-MLC', vram_required_MB: 376.06, low_resource_required: true, required_features: ['shader-f16'] },
	{ model_id: 'SmolLM2-360M-Instruct-q4f32_1-MLC', model: 'https://huggingface.co/mlc-ai/SmolLM2-360M-Instruct-q4f32_1-MLC', vram_required_MB: 579.61, low_resource_required: true },
	{ model_id: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC', model: 'https://huggingface.co/mlc-ai/Qwen2.5-0.5B-Instruct-q4f32_1-MLC', vram_required_MB: 1060.2, low_resource_required: true },
	{ model_id: 'Llama-3.2-1B-Instruct-q4f32_1-MLC', model: 'https://huggingface.co/mlc-ai/Llama-3.2-1B-Instruct-q4f32_1-MLC', vram_required_MB: 1128.82, low_resource_required: true }
];

const base = (id: string) => `https://huggingface.co/mlc-ai/${id}/resolve/main/`;

async function config(): Promise<Required<FakeEngineConfig>> {
	let c: FakeEngineConfig = {};
	try {
		const r = await (await caches.open(FAKE_ENGINE_CACHE)).match('/config');
		if (r) c = (await r.json()) as FakeEngineConfig;
	} catch {
		/* defaults */
	}
	return { shards: c.shards ?? 10, shardMs: c.shardMs ?? 120, shardBytes: c.shardBytes ?? 32 * 1024 * 1024, tokenMs: c.tokenMs ?? 30 };
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason);
		const t = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(t);
			reject(signal!.reason);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/** Word-ish pieces, like a tokenizer's output. */
function pieces(text: string): string[] {
	return text.match(/\s*\S+/g) ?? [];
}

function engine(modelId: string, tokenMs: number): WebLlmEngine {
	let interrupted = false;
	return {
		chat: {
			completions: {
				async create(req) {
					interrupted = false;
					const messages = (req.messages as { role: string; content: string }[]) ?? [];
					const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
					const format = req.response_format as { type?: string } | undefined;
					const answer = `Hello from ${modelId} on this GPU. You said: ${last}`;
					const out = pieces(format?.type === 'json_object' ? JSON.stringify({ answer }) : answer);
					const prompt = messages.reduce((n, m) => n + pieces(m.content ?? '').length + 4, 0);
					const head = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: modelId };
					return (async function* () {
						let sent = 0;
						for (const p of out) {
							await wait(tokenMs);
							if (interrupted) {
								yield { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'abort' }] };
								break;
							}
							sent++;
							yield { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: p }, finish_reason: null }] };
						}
						if (!interrupted) yield { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
						yield { ...head, choices: [], usage: { prompt_tokens: prompt, completion_tokens: sent, total_tokens: prompt + sent } };
					})();
				}
			}
		},
		async reload() {},
		interruptGenerate() {
			interrupted = true;
		},
		async unload() {}
	};
}

export function fakeWebLlmBackend(): WebLlmBackend {
	return {
		async create(modelId, onProgress: (p: LoadProgress) => void, signal) {
			if (!MODELS.some((m) => m.model_id === modelId)) throw new Error(`Cannot find model record in appConfig for ${modelId}. Please check if the model ID is correct and included in the model_list configuration.`);
			const c = await config();
			const model = await caches.open('webllm/model');
			const started = Date.now();
			const secs = () => Math.round((Date.now() - started) / 1000);
			let fetchedMB = 0;
			for (let i = 0; i < c.shards; i++) {
				const url = `${base(modelId)}params_shard_${i}.bin`;
				if (!(await model.match(url))) {
					await wait(c.shardMs, signal);
					await model.put(url, new Response(new Uint8Array(64), { headers: { 'content-type': 'application/octet-stream', 'content-length': String(c.shardBytes) } }));
				}
				fetchedMB += c.shardBytes / 1024 / 1024;
				const pct = Math.round(((i + 1) / c.shards) * 100);
				onProgress({ progress: (i + 1) / c.shards, timeElapsed: secs(), text: `Fetching param cache[${i + 1}/${c.shards}]: ${Math.round(fetchedMB)}MB fetched. ${pct}% completed, ${secs()} secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.` });
			}
			signal?.throwIfAborted();
			await (await caches.open('webllm/config')).put(`${base(modelId)}mlc-chat-config.json`, new Response(JSON.stringify({ model_type: 'fake', conv_template: {} }), { headers: { 'content-type': 'application/json' } }));
			onProgress({ progress: 1, timeElapsed: secs(), text: `Finish loading on WebGPU - fake engine` });
			return { engine: engine(modelId, c.tokenMs), dispose() {} };
		},
		async isCached(modelId) {
			return !!(await (await caches.open('webllm/config')).match(`${base(modelId)}mlc-chat-config.json`));
		},
		async remove(modelId) {
			for (const name of ['webllm/model', 'webllm/config', 'webllm/wasm']) {
				const cache = await caches.open(name);
				for (const req of await cache.keys()) if (req.url.startsWith(base(modelId))) await cache.delete(req);
			}
		},
		async models() {
			return MODELS;
		}
	};
}
