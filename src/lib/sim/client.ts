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

/**
 * The simulator of a workspace with its worker started later: by `start()` (once the page has
 * drawn what it shows first) or by the first call through `api`. `ready` waits for the start.
 */
export function deferredSim(workspaceId = 'default'): { api: SimClient; ready: Promise<unknown>; start: () => void } {
	let conn: { api: SimClient; ready: Promise<unknown> } | undefined;
	let started!: () => void;
	const whenStarted = new Promise<void>((r) => (started = r));
	const start = () => {
		conn ??= getSim(workspaceId);
		started();
		return conn;
	};
	// forwards every method call to the worker's API, starting the worker on the first one
	const api = new Proxy({} as SimClient, {
		get: (_, name) => (name === 'then' || typeof name !== 'string' ? undefined : (...args: unknown[]) => (start().api as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args))
	});
	return { api, ready: whenStarted.then(() => start().ready), start };
}

export { Comlink };
