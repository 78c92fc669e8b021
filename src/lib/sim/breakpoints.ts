import type { InstanceEvent } from '../engine/types';
import type { StatePath, TransitionId } from '../model/types';

/** Where a session stopped: the breakpoint and the log entry that hit it. */
export interface BreakpointHit {
	kind: 'state' | 'transition';
	id: StatePath | TransitionId;
	/** Log position of the entry that hit it. */
	position: number;
}

/**
 * Breakpoints of a debug session: on entering a state, or on taking a transition. A session
 * pauses *after* the macrostep that hit one (a macrostep runs to completion, as in any
 * statechart); what would enter the instance afterwards waits in its pending queue.
 */
export class Breakpoints {
	readonly states = new Set<StatePath>();
	readonly transitions = new Set<TransitionId>();

	/** Sets (`on` true), clears (false) or flips (omitted) a breakpoint; returns whether it is set. */
	toggle(kind: 'state' | 'transition', key: string, on?: boolean): boolean {
		const set = kind === 'state' ? this.states : this.transitions;
		const want = on ?? !set.has(key);
		if (want) set.add(key);
		else set.delete(key);
		return want;
	}

	/** The breakpoint a log entry hits, if any. */
	hitBy(e: InstanceEvent, position: number): BreakpointHit | undefined {
		if (e.kind === 'entered' && this.states.has(e.state)) return { kind: 'state', id: e.state, position };
		if (e.kind === 'transition' && this.transitions.has(e.transition)) return { kind: 'transition', id: e.transition, position };
		return undefined;
	}

	/** As saved with a session. */
	toJSON(): { states: StatePath[]; transitions: TransitionId[] } {
		return { states: [...this.states], transitions: [...this.transitions] };
	}

	/** Sets the breakpoints saved with a session. */
	load(saved: { states?: StatePath[]; transitions?: TransitionId[] } | undefined): void {
		for (const s of saved?.states ?? []) this.states.add(s);
		for (const t of saved?.transitions ?? []) this.transitions.add(t);
	}
}
