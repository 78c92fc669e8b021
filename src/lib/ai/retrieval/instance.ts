/**
 * One knowledge service per workspace in this thread, set up for where it runs: in a
 * browser (page worker or runtime worker) with the app's ONNX Runtime files, pdfjs and the
 * providers of Settings; in Node with whatever the caller configured.
 */
import type { KnowledgeService, KnowledgeServiceOptions } from './service';

const services = new Map<string, Promise<KnowledgeService>>();
let defaults: Partial<KnowledgeServiceOptions> | undefined;

const inBrowser = () => typeof self !== 'undefined' && typeof (self as { location?: unknown }).location !== 'undefined' && typeof process === 'undefined';

/** Options every service created later gets (tests, or a worker entry with its own setup). */
export function setKnowledgeDefaults(o: Partial<KnowledgeServiceOptions> | undefined): void {
	defaults = o;
}

/** The workspace's knowledge service in this thread (created on first use). */
export function getKnowledgeService(workspaceId = 'default'): Promise<KnowledgeService> {
	let s = services.get(workspaceId);
	if (!s) {
		s = (async () => {
			const [{ KnowledgeService }, env] = await Promise.all([import('./service'), inBrowser() ? import('./browser-env').then((m) => m.browserKnowledgeOptions()) : Promise.resolve({})]);
			const svc = new KnowledgeService({ ...env, ...(defaults ?? {}), workspaceId });
			return svc;
		})();
		services.set(workspaceId, s);
		s.catch(() => services.delete(workspaceId));
	}
	return s;
}

/** Closes and forgets the services of this thread (tests). */
export async function closeKnowledgeServices(): Promise<void> {
	for (const s of services.values()) (await s.catch(() => undefined))?.close();
	services.clear();
}
