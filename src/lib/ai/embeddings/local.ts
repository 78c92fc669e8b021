/**
 * Embeddings in this browser (or in Node) with transformers.js: `feature-extraction` with
 * mean pooling and L2 normalization, the way sentence-transformers models are used.
 * transformers.js is loaded on first use. Its settings are global, so model loads are
 * serialized and each sets the settings it needs first.
 */
import { EmbeddingError, modelKey, type Embedder, type LocalModelRef, type ModelLoadProgress } from './types';

/** How this environment runs transformers.js (set once by the worker entry or by tests). */
export interface LocalRuntime {
	/** Base of the `app` model source: a URL path (browser) or a folder (Node). */
	appModelPath?: string;
	/** ONNX Runtime's .mjs and .wasm, served by this app (never a CDN). */
	wasmPaths?: { mjs: string; wasm: string };
	/** Keep downloaded model files in Cache Storage for offline use (browser). */
	cacheModels?: boolean;
	/** Whether remote (hub, URL) models may be fetched at all. */
	allowRemote?: boolean;
}

let runtime: LocalRuntime = { allowRemote: true, cacheModels: true };

export function configureLocalRuntime(r: LocalRuntime): void {
	runtime = { ...runtime, ...r };
}

type Transformers = typeof import('@huggingface/transformers');
type Extractor = Awaited<ReturnType<Transformers['pipeline']>> & {
	(texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<{ data: Float32Array; dims: number[] }>;
	dispose(): Promise<void>;
};

let lib: Promise<Transformers> | undefined;
function transformers(): Promise<Transformers> {
	return (lib ??= import('@huggingface/transformers'));
}

let loadChain: Promise<unknown> = Promise.resolve();

async function hasWebGpu(): Promise<boolean> {
	const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
	if (!gpu) return false;
	try {
		return (await gpu.requestAdapter()) != null;
	} catch {
		return false;
	}
}

function describeLoadError(ref: LocalModelRef, e: unknown): string {
	const msg = (e as Error)?.message ?? String(e);
	const where =
		ref.source === 'url' ? `from ${ref.url}` : ref.source === 'app' ? 'from this app’s /models/ folder' : 'from the Hugging Face hub';
	if (/Failed to fetch|NetworkError|Load failed|fetch failed/i.test(msg)) {
		return `The embedding model ${ref.model} could not be downloaded ${where}: the network is unreachable or the server refused the browser (CORS). Check the connection or the model's address.`;
	}
	if (/404|not found|Could not locate file/i.test(msg)) {
		const file = msg.match(/"(https?:\/\/[^"]+)"/)?.[1];
		return `The embedding model ${ref.model} was not found ${where}${file ? ` (no ${file})` : ''}. Check its name; a model needs config.json, tokenizer.json and onnx/model${ref.dtype === 'fp32' ? '' : ref.dtype === 'fp16' ? '_fp16' : '_quantized'}.onnx.`;
	}
	if (/local models are disabled|remote models are disabled|allowRemoteModels/i.test(msg)) {
		return `The embedding model ${ref.model} is not available offline here, and downloading models is switched off.`;
	}
	return `The embedding model ${ref.model} could not be loaded ${where}: ${msg}`;
}

class LocalEmbedder implements Embedder {
	readonly key: string;
	dims?: number;
	readonly batchSize = 16;
	device = 'wasm';
	private extractor: Promise<Extractor> | undefined;
	constructor(
		readonly ref: LocalModelRef,
		private readonly onProgress?: (p: ModelLoadProgress) => void
	) {
		this.key = modelKey(ref);
	}

	private load(): Promise<Extractor> {
		if (this.extractor) return this.extractor;
		const ref = this.ref;
		const run = async (): Promise<Extractor> => {
			const t = await transformers();
			const env = t.env;
			const source = ref.source ?? 'hub';
			let id = ref.model;
			env.allowLocalModels = source === 'app';
			env.allowRemoteModels = source !== 'app' && runtime.allowRemote !== false;
			if (source === 'app') {
				if (!runtime.appModelPath) throw new Error('this app serves no models');
				env.localModelPath = runtime.appModelPath;
			} else if (source === 'url') {
				if (!ref.url || !/^https?:\/\//i.test(ref.url)) throw new Error('the model URL must start with http:// or https://');
				const u = new URL(ref.url.endsWith('/') ? ref.url : ref.url + '/');
				// the URL is the model folder: host + path up to it, then the last segment as the id
				const parts = u.pathname.split('/').filter(Boolean);
				id = parts.pop() ?? ref.model;
				env.remoteHost = `${u.origin}/${parts.map((p) => p + '/').join('')}`;
				env.remotePathTemplate = '{model}/';
			} else {
				env.remoteHost = 'https://huggingface.co/';
				env.remotePathTemplate = '{model}/resolve/{revision}/';
			}
			if (runtime.wasmPaths) {
				const onnx = env.backends.onnx as { wasm?: { wasmPaths?: unknown } };
				if (onnx.wasm) onnx.wasm.wasmPaths = { ...runtime.wasmPaths };
			}
			env.useBrowserCache = runtime.cacheModels !== false && typeof caches !== 'undefined';
			const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' && typeof self === 'undefined';
			let device: 'webgpu' | 'wasm' | 'cpu' = isNode ? 'cpu' : 'wasm';
			if (!isNode && ref.device !== 'wasm' && (ref.device === 'webgpu' || (await hasWebGpu()))) device = 'webgpu';
			const progress_callback = (p: { status: string; file?: string; loaded?: number; total?: number; progress?: number }) => {
				if (!this.onProgress || p.status === 'progress_total') return;
				this.onProgress({
					model: ref.model,
					file: p.file,
					status: p.status as ModelLoadProgress['status'],
					loaded: p.loaded,
					total: p.total,
					progress: p.progress
				});
			};
			const make = (d: typeof device) =>
				t.pipeline('feature-extraction', id, { dtype: ref.dtype ?? 'q8', device: d, progress_callback } as never) as unknown as Promise<Extractor>;
			const checked = (ex: Extractor) => {
				// transformers.js loads a pipeline without a tokenizer when tokenizer.json is missing
				if (!(ex as unknown as { tokenizer?: unknown }).tokenizer) throw new Error('Could not locate file: tokenizer.json');
				return ex;
			};
			try {
				const ex = checked(await make(device));
				this.device = device;
				return ex;
			} catch (e) {
				// a WebGPU adapter that cannot run the model: WebAssembly always can
				if (device !== 'webgpu') throw e;
				const ex = checked(await make('wasm'));
				this.device = 'wasm';
				return ex;
			}
		};
		const p = loadChain.then(run, run);
		loadChain = p.catch(() => {});
		this.extractor = p.catch((e) => {
			this.extractor = undefined;
			throw new EmbeddingError(describeLoadError(ref, e), 'model_load');
		});
		return this.extractor;
	}

	/** Loads the model (downloads it if needed) without embedding anything. */
	async ready(): Promise<void> {
		await this.load();
	}

	async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
		const ex = await this.load();
		const out: Float32Array[] = [];
		for (let i = 0; i < texts.length; i += this.batchSize) {
			if (signal?.aborted) throw new EmbeddingError('Embedding was cancelled.', 'cancelled');
			const batch = texts.slice(i, i + this.batchSize);
			const t = await ex(batch, { pooling: 'mean', normalize: true });
			const d = t.dims[t.dims.length - 1];
			this.dims = d;
			for (let b = 0; b < batch.length; b++) {
				const v = t.data.slice(b * d, (b + 1) * d);
				// a text of no known tokens pools to 0/0: keep it a zero vector
				for (let j = 0; j < d; j++) if (!Number.isFinite(v[j])) v[j] = 0;
				out.push(v);
			}
		}
		return out;
	}

	async dispose(): Promise<void> {
		const ex = await this.extractor?.catch(() => undefined);
		this.extractor = undefined;
		await ex?.dispose();
	}
}

export function createLocalEmbedder(ref: LocalModelRef, onProgress?: (p: ModelLoadProgress) => void): LocalEmbedder {
	return new LocalEmbedder(ref, onProgress);
}

export type { LocalEmbedder };
