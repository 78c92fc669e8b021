/**
 * The web-llm engine, in its own worker (src/workers/webllm.worker.ts), loaded on first
 * use. One engine per page or worker; it holds one model at a time. The factory can be
 * replaced (tests use a fake that implements web-llm's engine interface).
 */

/** The part of web-llm's `MLCEngineInterface` that FSM Studio uses. */
export interface WebLlmEngine {
	chat: {
		completions: {
			create(request: Record<string, unknown>): Promise<AsyncIterable<Record<string, unknown>>>;
		};
	};
	reload(modelId: string): Promise<void>;
	interruptGenerate(): void;
	unload(): Promise<void>;
}

export interface LoadProgress {
	/** 0…1 */
	progress: number;
	text: string;
	timeElapsed: number;
}

export interface WebLlmBackend {
	/** Creates an engine with `modelId` loaded (downloading it when not cached). */
	create(modelId: string, onProgress: (p: LoadProgress) => void): Promise<{ engine: WebLlmEngine; dispose(): void }>;
	/** Whether a model's files are in the browser's cache. */
	isCached(modelId: string): Promise<boolean>;
	/** Deletes a model's files from the cache. */
	remove(modelId: string): Promise<void>;
	/** web-llm's model list. */
	models(): Promise<import('./catalog').WebLlmModelRecord[]>;
}

type WebLlm = typeof import('@mlc-ai/web-llm');
let lib: Promise<WebLlm> | undefined;
const load = () => (lib ??= import('@mlc-ai/web-llm'));

/** The real backend: web-llm in a dedicated worker. */
export const realBackend: WebLlmBackend = {
	async create(modelId, onProgress) {
		const w = await load();
		const worker = new Worker(new URL('../../../workers/webllm.worker.ts', import.meta.url), { type: 'module', name: 'fsm-webllm' });
		try {
			const engine = await w.CreateWebWorkerMLCEngine(worker, modelId, { initProgressCallback: (r) => onProgress({ progress: r.progress, text: r.text, timeElapsed: r.timeElapsed }) });
			return { engine: engine as unknown as WebLlmEngine, dispose: () => worker.terminate() };
		} catch (e) {
			worker.terminate();
			throw e;
		}
	},
	async isCached(modelId) {
		return (await load()).hasModelInCache(modelId);
	},
	async remove(modelId) {
		await (await load()).deleteModelAllInfoInCache(modelId);
	},
	async models() {
		return (await load()).prebuiltAppConfig.model_list as never;
	}
};

let backend: WebLlmBackend = realBackend;
let current: { modelId: string; ready: Promise<{ engine: WebLlmEngine; dispose(): void }> } | undefined;

/** Replaces the backend (tests: a fake engine at the GPU boundary). */
export function setWebLlmBackend(b: WebLlmBackend): void {
	current = undefined;
	backend = b;
}

export function webLlmBackend(): WebLlmBackend {
	return backend;
}

/**
 * The engine with `modelId` loaded. `download: false` refuses a model that is not cached
 * (a workflow must not start a multi-gigabyte download by itself).
 */
export async function engineFor(modelId: string, options: { download?: boolean; onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {}): Promise<WebLlmEngine> {
	if (current?.modelId === modelId) return (await current.ready).engine;
	if (!options.download && !(await backend.isCached(modelId)))
		throw new Error(`${modelId} is not downloaded yet — download it in Settings → Providers → In-browser models.`);
	if (current) {
		const old = current;
		current = undefined;
		old.ready.then((e) => e.dispose()).catch(() => {});
	}
	const entry = { modelId, ready: backend.create(modelId, options.onProgress ?? (() => {})) };
	current = entry;
	const onAbort = () => {
		// Cancelling a download ends its worker: nothing else stops web-llm's fetches.
		if (current === entry) current = undefined;
		entry.ready.then((e) => e.dispose()).catch(() => {});
	};
	options.signal?.addEventListener('abort', onAbort, { once: true });
	try {
		const ready = await entry.ready;
		if (options.signal?.aborted) throw options.signal.reason;
		return ready.engine;
	} catch (e) {
		if (current === entry) current = undefined;
		throw e;
	} finally {
		options.signal?.removeEventListener('abort', onAbort);
	}
}

/** Unloads the current model (frees GPU memory). */
export async function unloadEngine(): Promise<void> {
	const c = current;
	current = undefined;
	if (c) (await c.ready.catch(() => undefined))?.dispose();
}
