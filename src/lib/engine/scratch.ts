/**
 * Scratch space for one macrostep, pooled per machine: instances borrow it while they run
 * a macrostep, so an idle instance holds nothing but its own state.
 */
import { TIME_SOURCE, type ExprInput } from '../expr';
import type { Machine, StateNode, Transition } from './compile';
import type { EventObject } from './types';

export const INIT_EVENT: EventObject = Object.freeze({ type: 'fsm.init' });
export const RESUME_EVENT: EventObject = Object.freeze({ type: 'fsm.resume' });
export const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export interface Scratch {
	selected: Transition[];
	exitList: StateNode[];
	enter: Uint8Array;
	exit: Uint8Array;
	values: unknown[];
	input: ExprInput;
	internal: EventObject[];
}

const pools = new WeakMap<Machine, Scratch[]>();

export function poolOf(m: Machine): Scratch[] {
	let p = pools.get(m);
	if (!p) pools.set(m, (p = []));
	return p;
}

export function newScratch(n: number): Scratch {
	const marks = new Uint8Array(2 * n);
	return {
		selected: [],
		exitList: [],
		enter: marks.subarray(0, n),
		exit: marks.subarray(n),
		values: [],
		input: { context: EMPTY, event: INIT_EVENT, results: EMPTY, [TIME_SOURCE]: undefined },
		internal: []
	};
}

/** Empty an array in place; pop() is inlined, whereas writing `length` calls into the runtime. */
export function clear(a: unknown[]): void {
	while (a.length !== 0) a.pop();
}

/** After a failure mid-microstep, marks may be left set. */
export function resetScratch(sc: Scratch): void {
	sc.enter.fill(0);
	sc.exit.fill(0);
	sc.selected.length = 0;
	sc.exitList.length = 0;
	sc.values.length = 0;
	sc.internal.length = 0;
}

/** Test hook: every pooled scratch of this machine is clean (no marks leaked by a microstep). */
export function scratchIsClean(m: Machine): boolean {
	for (const sc of poolOf(m)) {
		if (sc.enter.some(Boolean) || sc.exit.some(Boolean)) return false;
		if (sc.internal.length || sc.values.length) return false;
	}
	return true;
}
