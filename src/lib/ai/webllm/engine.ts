/**
 * The web-llm engine, in its own worker (src/workers/webllm.worker.ts), loaded on first
 * use. One engine per page or worker; it holds one model at a time. The backend can be
 * replaced (Node tests call `setWebLlmBackend`; browser tests flag the fake engine of
 * ./fake-engine.ts through Cache Storage — see `FAKE_ENGINE_CACHE`).
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
	/** Creates an engine with `modelId` loaded (downloading it when not cached); `signal` stops a download (files already fetched stay cached). */
	create(modelId: string, onProgress: (p: LoadProgress) => void, signal?: AbortSignal): Promise<{ engine: WebLlmEngine; dispose(): void }>;
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
	async create(modelId, onProgress, signal) {
		const w = await load();
		signal?.throwIfAborted();
		const worker = new Worker(new URL('../../../workers/webllm.worker.ts', import.meta.url), { type: 'module', name: 'fsm-webllm' });
		// Nothing else stops web-llm's fetches: a cancel ends the worker at once (not when the load is over).
		let onAbort = () => {};
		const aborted = new Promise<never>((_, reject) => {
			onAbort = () => {
				worker.terminate();
				reject(signal!.reason);
			};
			signal?.addEventListener('abort', onAbort, { once: true });
		});
		try {
			const engine = await Promise.race([w.CreateWebWorkerMLCEngine(worker, modelId, { initProgressCallback: (r) => onProgress({ progress: r.progress, text: r.text, timeElapsed: r.timeElapsed }) }), aborted]);
			return { engine: engine as unknown as WebLlmEngine, dispose: () => worker.terminate() };
		} catch (e) {
			worker.terminate();
			throw e;
		} finally {
			signal?.removeEventListener('abort', onAbort);
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

/**
 * Test-only switch for browser tests: when this origin's Cache Storage holds a cache with
 * this name, the fake engine of ./fake-engine.ts stands in for web-llm (in the page and in
 * every worker, which share Cache Storage). Only a test creates it (E2E: `page.evaluate(() =>
 * caches.open(name))`); the app never does, and the fake is a separate chunk loaded only then.
 * A JSON response stored in it under `/config` tunes the fake (see `FakeEngineConfig`). The
 * name must not start with the service worker's cache prefix, which it clears on activation.
 */
export const FAKE_ENGINE_CACHE = 'test-only:fsm-studio-fake-webllm-engine';

let explicit: WebLlmBackend | undefined;
let chosen: Promise<WebLlmBackend> | undefined;
let current: { modelId: string; ready: Promise<{ engine: WebLlmEngine; dispose(): void }> } | undefined;

/** Replaces the backend (Node tests: a fake engine at the GPU boundary; `realBackend` puts web-llm back). */
export function setWebLlmBackend(b: WebLlmBackend): void {
	current = undefined;
	explicit = b;
}

/** The backend of this page or worker: web-llm, unless a test switched in a fake. */
export function webLlmBackend(): Promise<WebLlmBackend> {
	if (explicit) return Promise.resolve(explicit);
	return (chosen ??= (async () => {
		const flagged = typeof caches !== 'undefined' && (await caches.has(FAKE_ENGINE_CACHE).catch(() => false));
		if (!flagged) return realBackend;
		const { fakeWebLlmBackend } = await import('./fake-engine');
		return fakeWebLlmBackend();
	})());
}

/**
 * The engine with `modelId` loaded. `download: false` refuses a model that is not cached
 * (a workflow must not start a multi-gigabyte download by itself).
 */
export async function engineFor(modelId: string, options: { download?: boolean; onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {}): Promise<WebLlmEngine> {
	if (current?.modelId === modelId) return (await current.ready).engine;
	const backend = await webLlmBackend();
	if (!options.download && !(await backend.isCached(modelId)))
		throw new Error(`${modelId} is not downloaded yet — download it in Settings → Providers → In-browser models.`);
	if (current) {
		const old = current;
		current = undefined;
		old.ready.then((e) => e.dispose()).catch(() => {});
	}
	const entry = { modelId, ready: backend.create(modelId, options.onProgress ?? (() => {}), options.signal) };
	current = entry;
	try {
		const ready = await entry.ready;
		if (options.signal?.aborted) {
			ready.dispose();
			throw options.signal.reason;
		}
		return ready.engine;
	} catch (e) {
		if (current === entry) current = undefined;
		throw e;
	}
}

/** Unloads the current model (frees GPU memory). */
export async function unloadEngine(): Promise<void> {
	const c = current;
	current = undefined;
	if (c) (await c.ready.catch(() => undefined))?.dispose();
}
