import type { InstanceEvent } from '../engine/types';
import type { StatePath, TransitionId } from '../model/types';
import type { WorkflowIndex } from './model-index';

export interface StateCoverage {
	visits: number;
	/** Total time spent in the state (ms of the instance's clock); open visits count up to `now`. */
	totalMs: number;
	/** totalMs / visits (0 when never visited). */
	meanMs: number;
}

/** Coverage of one or several logs: what the canvas heat map draws. */
export interface Coverage {
	states: Record<StatePath, StateCoverage>;
	transitions: Record<TransitionId, number>;
	/** States of the workflow never entered (dimmed on the canvas); empty without an index. */
	unvisitedStates: StatePath[];
	/** Transitions of the workflow never taken. */
	untakenTransitions: TransitionId[];
}

/**
 * Accumulates coverage incrementally, so a live run updates it per event instead of
 * rescanning a long log.
 */
export class CoverageCounter {
	private states = new Map<StatePath, { visits: number; totalMs: number; enteredAt?: number }>();
	private transitions = new Map<TransitionId, number>();
	private lastTime = 0;

	add(e: InstanceEvent): void {
		this.lastTime = Math.max(this.lastTime, e.time);
		if (e.kind === 'entered') {
			const s = this.states.get(e.state) ?? { visits: 0, totalMs: 0 };
			s.visits++;
			s.enteredAt = e.time;
			this.states.set(e.state, s);
		} else if (e.kind === 'exited') {
			const s = this.states.get(e.state);
			if (s && s.enteredAt !== undefined) {
				s.totalMs += e.time - s.enteredAt;
				s.enteredAt = undefined;
			}
		} else if (e.kind === 'transition') {
			this.transitions.set(e.transition, (this.transitions.get(e.transition) ?? 0) + 1);
		}
	}

	addAll(events: Iterable<InstanceEvent>): this {
		for (const e of events) this.add(e);
		return this;
	}

	/** The figures so far; `now` closes open visits (defaults to the last event's time). */
	result(index?: WorkflowIndex, now = this.lastTime): Coverage {
		const states: Record<StatePath, StateCoverage> = {};
		for (const [path, s] of this.states) {
			const total = s.totalMs + (s.enteredAt !== undefined ? Math.max(0, now - s.enteredAt) : 0);
			states[path] = { visits: s.visits, totalMs: total, meanMs: s.visits ? total / s.visits : 0 };
		}
		const transitions: Record<TransitionId, number> = Object.fromEntries(this.transitions);
		return {
			states,
			transitions,
			unvisitedStates: index ? index.states.filter((s) => s.type !== 'history' && !states[s.path]).map((s) => s.path) : [],
			untakenTransitions: index ? index.transitions.filter((t) => !transitions[t.id]).map((t) => t.id) : []
		};
	}
}

/** Coverage of one or more complete logs. */
export function coverageOf(logs: InstanceEvent[][], index?: WorkflowIndex, now?: number): Coverage {
	if (logs.length <= 1) return new CoverageCounter().addAll(logs[0] ?? []).result(index, now);
	const counters = logs.map((l) => new CoverageCounter().addAll(l).result(undefined, now));
	const states: Record<StatePath, StateCoverage> = {};
	const transitions: Record<TransitionId, number> = {};
	for (const c of counters) {
		for (const [p, s] of Object.entries(c.states)) {
			const acc = (states[p] ??= { visits: 0, totalMs: 0, meanMs: 0 });
			acc.visits += s.visits;
			acc.totalMs += s.totalMs;
		}
		for (const [t, n] of Object.entries(c.transitions)) transitions[t] = (transitions[t] ?? 0) + n;
	}
	for (const s of Object.values(states)) s.meanMs = s.visits ? s.totalMs / s.visits : 0;
	return {
		states,
		transitions,
		unvisitedStates: index ? index.states.filter((s) => s.type !== 'history' && !states[s.path]).map((s) => s.path) : [],
		untakenTransitions: index ? index.transitions.filter((t) => !transitions[t.id]).map((t) => t.id) : []
	};
}
