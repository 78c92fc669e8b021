/**
 * The simulator worker of the embedded studios. Runs of elements with `storage="none"` stay in
 * memory (gone with the page); those of `storage="local"` are kept in the page's own workspace
 * `embed`, like their workflows. One worker each, shared by the elements of a page.
 */
import * as Comlink from 'comlink';
import type { SimApi } from '../../sim/protocol';
import type { SimConnection } from '../../sim/ui/sim-controller.svelte';

const workers = new Map<string, { api: Comlink.Remote<SimApi>; ready: Promise<unknown> }>();

export function embedSim(persist: boolean): SimConnection {
	const key = persist ? 'local' : 'memory';
	let w = workers.get(key);
	if (!w) {
		const worker = new Worker(new URL('../../../workers/sim.worker.ts', import.meta.url), { type: 'module', name: `fsm-sim:embed-${key}` });
		const api = Comlink.wrap<SimApi>(worker);
		w = { api, ready: api.init({ workspaceId: 'embed', persist }) };
		workers.set(key, w);
	}
	return { api: w.api as unknown as SimConnection['api'], ready: w.ready, proxy: (fn) => Comlink.proxy(fn) };
}
