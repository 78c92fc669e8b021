/**
 * The Knowledge page's handle on the knowledge worker of a workspace (one per page).
 * Pass callbacks with `Comlink.proxy(fn)`; send file bytes with `Comlink.transfer`.
 */
import * as Comlink from 'comlink';
import type { KnowledgeService } from './service';

export type KnowledgeClient = Comlink.Remote<KnowledgeService>;

const clients = new Map<string, Promise<{ worker: Worker; api: KnowledgeClient }>>();

export function getKnowledgeClient(workspaceId = 'default'): Promise<KnowledgeClient> {
	let c = clients.get(workspaceId);
	if (!c) {
		c = new Promise((resolve, reject) => {
			const worker = new Worker(new URL('../../../workers/knowledge.worker.ts', import.meta.url), { type: 'module', name: `fsm-knowledge:${workspaceId}` });
			// the worker exposes its service once the service is built
			const onMessage = (e: MessageEvent) => {
				if ((e.data as { type?: string })?.type !== 'fsm-knowledge-ready') return;
				worker.removeEventListener('message', onMessage);
				resolve({ worker, api: Comlink.wrap<KnowledgeService>(worker) });
			};
			worker.addEventListener('message', onMessage);
			worker.addEventListener('error', (e) => reject(new Error(`The knowledge worker could not start: ${e.message || 'unknown error'}`)), { once: true });
		});
		clients.set(workspaceId, c);
		c.catch(() => clients.delete(workspaceId));
	}
	return c.then((x) => x.api);
}

export function closeKnowledgeClient(workspaceId = 'default'): void {
	const c = clients.get(workspaceId);
	clients.delete(workspaceId);
	void c?.then((x) => {
		x.api[Comlink.releaseProxy]();
		x.worker.terminate();
	});
}
