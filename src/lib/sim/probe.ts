import type { EventObject, PersistedSnapshot } from '../engine/types';
import { ancestors } from '../model/tree';
import type { TransitionId, Workflow } from '../model/types';
import { VirtualClock } from './clock';
import type { CreateInterpreter } from './engine';
import type { WorkflowIndex } from './model-index';

/** Whether an enabled event would be taken now, per transition alternative. */
export interface EventProbe {
	type: string;
	/** A transition would be taken with this payload. */
	passes: boolean;
	/** The transitions the engine took when probing. */
	transitions: TransitionId[];
	/** The event has at least one guarded alternative from the active states. */
	guarded: boolean;
}

/**
 * Would this event be taken now? Probes a throw-away replay-mode copy of the instance, so
 * guards are evaluated by the engine itself and nothing runs or is recorded.
 */
export function probeEvent(
	create: CreateInterpreter,
	workflow: Workflow,
	index: WorkflowIndex,
	state: PersistedSnapshot,
	now: number,
	event: EventObject
): EventProbe {
	const transitions: TransitionId[] = [];
	const copy = create(workflow, {
		replay: true,
		clock: new VirtualClock(now),
		snapshot: state,
		onEvent: (e) => {
			if (e.kind === 'transition') transitions.push(e.transition);
		}
	});
	copy.start();
	transitions.length = 0;
	try {
		copy.send(event);
	} catch {
		/* a failing guard expression counts as not passing */
	}
	copy.stop();
	const active = new Set(state.configuration.flatMap((leaf) => [leaf, ...ancestors(leaf)]));
	active.add('');
	const guarded = index.transitions.some((t) => t.event === event.type && active.has(t.source) && !!t.guard);
	return { type: event.type, passes: transitions.length > 0, transitions, guarded };
}

