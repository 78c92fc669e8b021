import * as Comlink from 'comlink';
import type { SimApi } from './protocol';

export type SimClient = Comlink.Remote<SimApi>;

const clients = new Map<string, { worker: Worker; api: SimClient; ready: Promise<unknown> }>();

/**
 * The simulator worker of a workspace, created on first use; `ready` resolves once the
 * sessions saved in the workspace are resumed. Pass callbacks with `Comlink.proxy(fn)`.
 */
export function getSim(workspaceId = 'default'): { api: SimClient; ready: Promise<unknown> } {
	let c = clients.get(workspaceId);
	if (!c) {
		const worker = new Worker(new URL('../../workers/sim.worker.ts', import.meta.url), { type: 'module', name: `fsm-sim:${workspaceId}` });
		const api = Comlink.wrap<SimApi>(worker);
		c = { worker, api, ready: api.init({ workspaceId }) };
		clients.set(workspaceId, c);
	}
	return { api: c.api, ready: c.ready };
}

export { Comlink };
