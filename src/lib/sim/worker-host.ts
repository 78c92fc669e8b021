import { createExecutor } from '../effects/executor';
import { createEventStore } from '../store';
import { SimHost } from './host';

/**
 * The SimHost as the worker runs it: the effects executor on each session's clock, with the
 * run mode's handlers (simulated answers, or the workspace's AI and MCP handlers when live)
 * and the user's stubs; Dexie store.
 */
export function createSimHost(): SimHost {
	return new SimHost({
		runEffectFor: (clock, handlers) => createExecutor({ clock, handlers }).run,
		openStore: (workspaceId) => createEventStore({ workspaceId })
	});
}
