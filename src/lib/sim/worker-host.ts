import { createEventStore } from '../store';
import { SimHost } from './host';
import { createPluginSink } from '../plugins/sink';

/**
 * The SimHost as the worker runs it: each session's effects on its virtual clock, with the
 * run mode's handlers (simulated answers, or the workspace's AI and MCP handlers when live)
 * and the user's stubs; the workspace's Dexie store.
 */
export function createSimHost(): SimHost {
	return new SimHost({
		openStore: (workspaceId) => createEventStore({ workspaceId }),
		// written soon after each event: a page that closes takes the simulator's worker with it
		plugins: (workspaceId) => createPluginSink({ workspaceId, interval: 30 })
	});
}
