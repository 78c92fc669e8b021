import type { StatePath, TransitionId } from '../../model/types';

/**
 * What the simulator asks the canvas to draw. The designer maps it onto its nodes and
 * edges; every field is optional so a canvas can support a subset.
 */
export interface SimOverlay {
	/** States active in the shown moment (live, or the log entry clicked). */
	activeStates: StatePath[];
	/** Transitions taken in the last macrostep shown. */
	activeTransitions: TransitionId[];
	/** Hover highlight from the timeline or the generated tests. */
	highlightStates: StatePath[];
	highlightTransitions: TransitionId[];
	/** Breakpoints set on states and transitions. */
	breakpoints: { states: StatePath[]; transitions: TransitionId[] };
	/** Coverage heat map: visits and mean time per state, counts per transition; states never reached are dimmed. */
	coverage?: {
		states: Record<StatePath, { visits: number; meanMs: number }>;
		transitions: Record<TransitionId, number>;
		unvisited: StatePath[];
		untaken?: TransitionId[];
	};
	/** Set while a past moment is shown instead of the live state. */
	moment?: { position: number };
}

export const emptyOverlay: SimOverlay = {
	activeStates: [],
	activeTransitions: [],
	highlightStates: [],
	highlightTransitions: [],
	breakpoints: { states: [], transitions: [] }
};
