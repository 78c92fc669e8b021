/**
 * Remote embedding APIs, on fetch: OpenAI `/v1/embeddings` (also any OpenAI-compatible
 * server: Ollama, LM Studio, llama.cpp, OpenRouter) and Gemini `batchEmbedContents`.
 * 429 and 5xx are retried (honouring `Retry-After`, capped); every error is a sentence
 * that never contains the key.
 */
import { EmbeddingError, modelKey, type Embedder, type RemoteModelRef } from './types';

/** The provider settings an embedder needs (the shape of Settings → Providers). */
export interface EmbeddingProviderConfig {
	kind: 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'webllm';
	baseUrl?: string;
	apiKey?: string;
	headers?: Record<string, string>;
	/** Shown in messages ("OpenAI", "My Ollama"). */
	name?: string;
}

export interface RemoteOptions {
	fetch?: typeof fetch;
	/** Waits between retries (tests pass a fake). */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	maxRetries?: number;
	/** Longest wait for a `Retry-After` before giving up. */
	maxRetryAfterMs?: number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
	new Promise<void>((resolve, reject) => {
		const t = setTimeout(resolve, ms);
		signal?.addEventListener('abort', () => {
			clearTimeout(t);
			reject(new EmbeddingError('Embedding was cancelled.', 'cancelled'));
		});
	});

/** Removes anything key-like from a provider's message (OpenAI echoes part of a wrong key). */
export function redactSecrets(text: string, key?: string): string {
	let s = text;
	if (key && key.length >= 4) s = s.split(key).join('[key]');
	return s
		.replace(/\b(sk|pk|rk|sess|key|AIza)[-_A-Za-z0-9*.]{6,}/g, '[key]')
		.replace(/Bearer\s+\S+/gi, 'Bearer [key]');
}

function joinUrl(base: string, path: string): string {
	return base.replace(/\/+$/, '') + path;
}

function openAiUrl(cfg: EmbeddingProviderConfig): string {
	const base = cfg.baseUrl || (cfg.kind === 'openai' ? 'https://api.openai.com/v1' : '');
	if (!base) throw new EmbeddingError(`${cfg.name ?? 'This provider'} has no base URL; set one in Settings → Providers (for Ollama: http://localhost:11434/v1).`, 'provider');
	return /\/v\d+[a-z]*\/?$/i.test(base) ? joinUrl(base, '/embeddings') : joinUrl(base, '/v1/embeddings');
}

function geminiUrl(cfg: EmbeddingProviderConfig, model: string): string {
	const base = cfg.baseUrl || 'https://generativelanguage.googleapis.com';
	const root = /\/v\d+(beta)?\/?$/i.test(base) ? base : joinUrl(base, '/v1beta');
	return joinUrl(root, `/models/${encodeURIComponent(model.replace(/^models\//, ''))}:batchEmbedContents`);
}

function retryAfterMs(res: Response): number | undefined {
	const h = res.headers.get('retry-after');
	if (!h) return undefined;
	const s = Number(h);
	if (Number.isFinite(s)) return Math.max(0, s * 1000);
	const d = Date.parse(h);
	return Number.isFinite(d) ? Math.max(0, d - Date.now()) : undefined;
}

class RemoteEmbedder implements Embedder {
	readonly key: string;
	dims?: number;
	readonly batchSize: number;
	private readonly fetch: typeof fetch;
	private readonly sleep: NonNullable<RemoteOptions['sleep']>;
	constructor(
		readonly ref: RemoteModelRef,
		private readonly cfg: EmbeddingProviderConfig,
		private readonly o: RemoteOptions = {}
	) {
		this.key = modelKey(ref);
		if (cfg.kind === 'anthropic') throw new EmbeddingError('Anthropic has no embeddings API. Choose an OpenAI, Gemini or OpenAI-compatible (Ollama) provider, or a model in this browser.', 'unsupported');
		if (cfg.kind === 'webllm') throw new EmbeddingError('In-browser chat models (web-llm) do not make embeddings. Choose an embedding model that runs in this browser instead.', 'unsupported');
		this.batchSize = cfg.kind === 'google' ? 100 : 96;
		this.fetch = o.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
		this.sleep = o.sleep ?? defaultSleep;
	}

	private get who(): string {
		return this.cfg.name ?? (this.cfg.kind === 'google' ? 'Gemini' : this.cfg.kind === 'openai' ? 'OpenAI' : 'The embedding server');
	}

	private request(texts: string[]): { url: string; init: RequestInit } {
		const headers: Record<string, string> = { 'content-type': 'application/json', ...(this.cfg.headers ?? {}) };
		if (this.cfg.kind === 'google') {
			if (this.cfg.apiKey) headers['x-goog-api-key'] = this.cfg.apiKey;
			const model = `models/${this.ref.model.replace(/^models\//, '')}`;
			return {
				url: geminiUrl(this.cfg, this.ref.model),
				init: {
					method: 'POST',
					headers,
					body: JSON.stringify({
						requests: texts.map((text) => ({
							model,
							content: { parts: [{ text }] },
							...(this.ref.dimensions ? { outputDimensionality: this.ref.dimensions } : {})
						}))
					})
				}
			};
		}
		if (this.cfg.apiKey) headers.authorization = `Bearer ${this.cfg.apiKey}`;
		return {
			url: openAiUrl(this.cfg),
			init: {
				method: 'POST',
				headers,
				body: JSON.stringify({
					model: this.ref.model,
					input: texts,
					encoding_format: 'float',
					...(this.ref.dimensions ? { dimensions: this.ref.dimensions } : {})
				})
			}
		};
	}

	private parse(body: unknown, n: number): Float32Array[] {
		const bad = () => new EmbeddingError(`${this.who} answered with something that is not a list of ${n} embeddings.`, 'bad_response');
		let vectors: unknown[];
		if (this.cfg.kind === 'google') {
			const e = (body as { embeddings?: { values?: unknown }[] })?.embeddings;
			if (!Array.isArray(e)) throw bad();
			vectors = e.map((x) => x?.values);
		} else {
			const d = (body as { data?: { embedding?: unknown; index?: number }[] })?.data;
			if (!Array.isArray(d)) throw bad();
			const sorted = d.every((x) => typeof x?.index === 'number') ? [...d].sort((a, b) => a.index! - b.index!) : d;
			vectors = sorted.map((x) => x?.embedding);
		}
		if (vectors.length !== n) throw bad();
		return vectors.map((v) => {
			if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number')) throw bad();
			const f = Float32Array.from(v as number[]);
			let norm = 0;
			for (const x of f) norm += x * x;
			norm = Math.sqrt(norm);
			if (norm > 0) for (let i = 0; i < f.length; i++) f[i] /= norm;
			return f;
		});
	}

	private async errorFor(res: Response): Promise<EmbeddingError> {
		let detail = '';
		let reason = '';
		try {
			const text = await res.text();
			try {
				const j = JSON.parse(text) as { error?: { message?: string; details?: { reason?: string }[] } | string; message?: string };
				detail = (typeof j.error === 'string' ? j.error : j.error?.message) ?? j.message ?? '';
				if (typeof j.error === 'object') reason = j.error?.details?.find((d) => d?.reason)?.reason ?? '';
			} catch {
				detail = text.slice(0, 200);
			}
		} catch {
			/* no body */
		}
		detail = redactSecrets(detail, this.cfg.apiKey).trim();
		const tail = detail ? ` (${detail})` : '';
		// Gemini answers a wrong key with 400 and the reason API_KEY_INVALID
		if (res.status === 401 || res.status === 403 || reason === 'API_KEY_INVALID') {
			return new EmbeddingError(`${this.who} refused the key (HTTP ${res.status})${tail}. Check the key in Settings → Providers.`, 'auth');
		}
		if (res.status === 404) return new EmbeddingError(`${this.who} has no embedding model "${this.ref.model}" (HTTP 404)${tail}. Check the model name.`, 'provider');
		if (res.status === 429) return new EmbeddingError(`${this.who} is rate limiting requests (HTTP 429)${tail}. Wait a moment and try again.`, 'rate_limit', retryAfterMs(res));
		return new EmbeddingError(`${this.who} answered HTTP ${res.status}${tail}.`, res.status >= 500 ? 'network' : 'provider');
	}

	private async call(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
		const maxRetries = this.o.maxRetries ?? 3;
		const cap = this.o.maxRetryAfterMs ?? 20_000;
		for (let attempt = 0; ; attempt++) {
			const { url, init } = this.request(texts);
			let res: Response;
			try {
				res = await this.fetch(url, { ...init, signal });
			} catch (e) {
				if (signal?.aborted) throw new EmbeddingError('Embedding was cancelled.', 'cancelled');
				const origin = new URL(url).origin;
				const page = typeof location !== 'undefined' ? location.protocol : '';
				if (page === 'https:' && url.startsWith('http:')) {
					throw new EmbeddingError(`${this.who} at ${origin} is plain http:// and this page is https://, so the browser blocks it (mixed content). Serve it over https, or open FSM Studio over http://localhost.`, 'cors');
				}
				throw new EmbeddingError(
					`${this.who} at ${origin} could not be reached from the browser (${redactSecrets((e as Error)?.message ?? String(e), this.cfg.apiKey)}): the server is down, or it does not allow this page's origin (CORS). For Ollama, start it with OLLAMA_ORIGINS set to this site's origin.`,
					'cors'
				);
			}
			if (res.ok) {
				let body: unknown;
				try {
					body = await res.json();
				} catch {
					throw new EmbeddingError(`${this.who} answered with something that is not JSON.`, 'bad_response');
				}
				return this.parse(body, texts.length);
			}
			const err = await this.errorFor(res);
			const retryable = res.status === 429 || res.status >= 500;
			if (!retryable || attempt >= maxRetries) throw err;
			const wait = err.retryAfterMs ?? Math.min(8000, 500 * 2 ** attempt);
			if (wait > cap) throw err;
			await this.sleep(wait, signal);
		}
	}

	async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
		const out: Float32Array[] = [];
		for (let i = 0; i < texts.length; i += this.batchSize) {
			if (signal?.aborted) throw new EmbeddingError('Embedding was cancelled.', 'cancelled');
			const vs = await this.call(texts.slice(i, i + this.batchSize), signal);
			if (vs.length) this.dims = vs[0].length;
			out.push(...vs);
		}
		return out;
	}
}

export function createRemoteEmbedder(ref: RemoteModelRef, cfg: EmbeddingProviderConfig, options?: RemoteOptions): Embedder {
	return new RemoteEmbedder(ref, cfg, options);
}
