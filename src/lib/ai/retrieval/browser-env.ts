/**
 * How the knowledge service runs in a browser (page worker or runtime worker): ONNX Runtime's
 * WebAssembly files served by this app (never a CDN), the app's own `/models/` folder for
 * models shipped with a deployment, pdfjs loaded only for PDFs, and remote embedding
 * providers from Settings → Providers.
 */
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { configureLocalRuntime } from '../embeddings/local';
import type { EmbeddingProviderConfig } from '../embeddings/remote';
import type { PdfJs } from './extract';
import type { KnowledgeServiceOptions } from './service';

/** The app's root URL, from this script's address (`…/_app/immutable/…` in a build). */
export function appRoot(): string {
	const href = self.location.href;
	const i = href.indexOf('/_app/');
	return i >= 0 ? href.slice(0, i) : self.location.origin;
}

let configured = false;

export function configureBrowserRuntime(appModelPath?: string): void {
	const abs = (u: string) => new URL(u, self.location.href).href;
	configureLocalRuntime({
		wasmPaths: { mjs: abs(ortMjs), wasm: abs(ortWasm) },
		// a path, not a URL: transformers.js treats URLs as remote and skips its local lookups
		appModelPath: appModelPath ?? `${new URL(appRoot()).pathname.replace(/\/$/, '')}/models/`,
		cacheModels: true,
		allowRemote: true
	});
	configured = true;
}

async function loadPdfJs(): Promise<PdfJs> {
	const [pdfjs, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
	pdfjs.GlobalWorkerOptions.workerSrc = new URL(worker.default, self.location.href).href;
	return pdfjs as unknown as PdfJs;
}

async function resolveProvider(idOrName: string): Promise<EmbeddingProviderConfig | undefined> {
	const { providerConfig, listProviders } = await import('../settings/providers');
	let id = idOrName;
	const byName = (await listProviders()).find((p) => p.id === idOrName || p.name.toLowerCase() === idOrName.toLowerCase());
	if (byName) id = byName.id;
	else return undefined;
	const { config, info } = await providerConfig(id);
	return { ...config, name: info.name };
}

export function browserKnowledgeOptions(): Partial<KnowledgeServiceOptions> {
	if (!configured) configureBrowserRuntime();
	return { loadPdfJs, resolveProvider };
}
