import { createExecutor } from '../effects/executor';
import { createEventStore } from '../store';
import { SimHost } from './host';

/** The SimHost as the worker runs it: real effects executor on each session's clock, Dexie store. */
export function createSimHost(): SimHost {
	return new SimHost({
		runEffectFor: (clock, handlers) => createExecutor({ clock, handlers }).run,
		openStore: (workspaceId) => createEventStore({ workspaceId })
	});
}
