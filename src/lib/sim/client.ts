import * as Comlink from 'comlink';
import type { SimApi } from './protocol';

export type SimClient = Comlink.Remote<SimApi>;

const clients = new Map<string, { worker: Worker; api: SimClient; ready: Promise<unknown> }>();

/** Why the simulator cannot run on this page, in the user's words (see `getSim`). */
export class SimUnavailableError extends Error {
	override name = 'SimUnavailableError';
}

function unavailable(e: unknown): SimUnavailableError {
	// (the advice — own tab, allow-same-origin — is the Run panel's, which loads on first use)
	const opaque = (globalThis as { origin?: string }).origin === 'null' || (e as { name?: string })?.name === 'SecurityError';
	return new SimUnavailableError(`Runs cannot start here: ${opaque ? 'this page is in a sandboxed frame, where the browser lets no background worker (the simulator) start' : `the browser refused to start the simulator (${(e as Error)?.message ?? e})`}.`);
}

/**
 * The simulator worker of a workspace, created on first use; `ready` resolves once the
 * sessions saved in the workspace are resumed. Pass callbacks with `Comlink.proxy(fn)`.
 * Throws a `SimUnavailableError` where the browser refuses the worker (a frame sandboxed
 * without allow-same-origin has an opaque origin and cannot start module workers).
 */
export function getSim(workspaceId = 'default'): { api: SimClient; ready: Promise<unknown> } {
	let c = clients.get(workspaceId);
	if (!c) {
		let worker: Worker;
		try {
			worker = new Worker(new URL('../../workers/sim.worker.ts', import.meta.url), { type: 'module', name: `fsm-sim:${workspaceId}` });
		} catch (e) {
			throw unavailable(e);
		}
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
		if (!conn) {
			try {
				conn = getSim(workspaceId);
			} catch (e) {
				// every call and `ready` say why; starting itself never throws (it runs from effects)
				const failed = Promise.reject(e);
				failed.catch(() => {});
				const api = new Proxy({} as SimClient, { get: (_, name) => (name === 'then' || typeof name !== 'string' ? undefined : () => Promise.reject(e)) });
				conn = { api, ready: failed };
			}
		}
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
