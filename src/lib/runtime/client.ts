import * as Comlink from 'comlink';
import type { RuntimeApi } from './types';

export type RuntimeClient = Comlink.Remote<RuntimeApi>;

const clients = new Map<string, { worker: Worker; api: RuntimeClient }>();

/**
 * The runtime worker of a workspace, created on first use (one per workspace and page).
 * Pass callbacks with `Comlink.proxy(fn)`:
 *
 * ```ts
 * const rt = getRuntime();
 * const workflowId = await rt.loadWorkflow(workflow);          // throws with path-addressed messages
 * const id = await rt.createInstance(workflowId);              // started unless { start: false }
 * const sub = await rt.subscribe(Comlink.proxy((u) => render(u)), { events: [id] });
 * await rt.send(id, { type: 'OPEN' });
 * const newest = await rt.getLog(id, { order: 'desc', limit: 50 });
 * ```
 */
export function getRuntime(workspaceId = 'default'): RuntimeClient {
	let c = clients.get(workspaceId);
	if (!c) {
		// The worker reads its workspace from its name.
		const worker = new Worker(new URL('../../workers/runtime.worker.ts', import.meta.url), {
			type: 'module',
			name: `fsm-runtime:${workspaceId}`
		});
		c = { worker, api: Comlink.wrap<RuntimeApi>(worker) };
		clients.set(workspaceId, c);
	}
	return c.api;
}

/** Terminates a workspace's runtime worker (its instances resume on the next getRuntime). */
export function closeRuntime(workspaceId = 'default'): void {
	const c = clients.get(workspaceId);
	if (!c) return;
	c.api[Comlink.releaseProxy]();
	c.worker.terminate();
	clients.delete(workspaceId);
}

export { Comlink };
