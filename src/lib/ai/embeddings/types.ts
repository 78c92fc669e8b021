/** Which model turns text into vectors. */

/** A model run in the browser by transformers.js (`feature-extraction`, mean pooling). */
export interface LocalModelRef {
	kind: 'local';
	/** Model id ("Xenova/all-MiniLM-L6-v2"), or a name for a model given by URL. */
	model: string;
	/**
	 * Where its files come from: the Hugging Face hub (default), a URL (`url`: the folder
	 * holding config.json, tokenizer.json and onnx/), or this app's own `/models/` folder
	 * (no network beyond the app; for offline deployments).
	 */
	source?: 'hub' | 'url' | 'app';
	url?: string;
	/** Weights to load: q8 (quantized, default, `onnx/model_quantized.onnx`) or fp32 / fp16. */
	dtype?: 'q8' | 'fp32' | 'fp16';
	/** auto: WebGPU when the browser has an adapter, else WebAssembly. */
	device?: 'auto' | 'wasm' | 'webgpu';
}

/** A model behind a provider from Settings → Providers (OpenAI, Gemini, OpenAI-compatible such as Ollama). */
export interface RemoteModelRef {
	kind: 'remote';
	/** Provider id from Settings → Providers. */
	provider: string;
	model: string;
	/** Requested output size, where the API supports it (OpenAI text-embedding-3, Gemini). */
	dimensions?: number;
}

export type EmbeddingModelRef = LocalModelRef | RemoteModelRef;

export const DEFAULT_LOCAL_MODEL: LocalModelRef = { kind: 'local', model: 'Xenova/all-MiniLM-L6-v2', source: 'hub', dtype: 'q8', device: 'auto' };

/** A stable name for a model's vector space: vectors of different keys never mix. */
export function modelKey(ref: EmbeddingModelRef): string {
	if (ref.kind === 'remote') return `remote:${ref.provider}:${ref.model}${ref.dimensions ? `@${ref.dimensions}` : ''}`;
	const where = ref.source === 'url' ? `url:${ref.url ?? ''}` : ref.source === 'app' ? 'app' : 'hub';
	return `local:${where}:${ref.model}:${ref.dtype ?? 'q8'}`;
}

/** The model as a person reads it. */
export function modelLabel(ref: EmbeddingModelRef): string {
	if (ref.kind === 'remote') return `${ref.model} (${ref.provider})`;
	const where = ref.source === 'url' ? ` from ${ref.url}` : ref.source === 'app' ? ' (served by this app)' : '';
	return `${ref.model}${where}, in this browser`;
}

/** Progress of loading a local model (per file, bytes). */
export interface ModelLoadProgress {
	model: string;
	file?: string;
	status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
	loaded?: number;
	total?: number;
	/** 0–100 over all files, when known. */
	progress?: number;
}

/** Turns texts into unit vectors. */
export interface Embedder {
	readonly key: string;
	/** Vector size, known after the first call (or from the model's config). */
	dims?: number;
	/** How many texts go to the model in one call. */
	readonly batchSize: number;
	embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
	/** Loads the model (a download, and the runtime's start-up the first time) without embedding anything. */
	ready?(): Promise<void>;
	dispose?(): Promise<void>;
}

export class EmbeddingError extends Error {
	constructor(
		message: string,
		readonly code: 'model_load' | 'network' | 'cors' | 'auth' | 'rate_limit' | 'bad_response' | 'unsupported' | 'cancelled' | 'provider',
		readonly retryAfterMs?: number
	) {
		super(message);
		this.name = 'EmbeddingError';
	}
}
