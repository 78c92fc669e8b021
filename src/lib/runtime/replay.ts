import { createInterpreter, type EngineInterpreter, type Machine } from '../engine';
import type { EventObject, PersistedSnapshot } from '../engine/types';
import type { Workflow } from '../model/types';
import { stableStringify } from '../effects/hash';

/** One recorded input: the event and when it was applied. */
export interface RecordedInput {
	time: number;
	event: EventObject;
}

/**
 * Rebuilds an instance from its recorded inputs, optionally on top of a persisted snapshot.
 * The engine runs in replay mode (no timers, no effects) and applies each input at its
 * recorded time, so timers' start times come out exactly as in the live run.
 */
export function replayInstance(
	workflow: Workflow | Machine,
	inputs: RecordedInput[],
	opts: { snapshot?: PersistedSnapshot; startedAt?: number } = {}
): EngineInterpreter {
	const it = createInterpreter(workflow, { replay: true, ...(opts.snapshot ? { snapshot: opts.snapshot } : {}) });
	// Entering the initial state happens at the live start time, so timers armed there get
	// the same startedAt; a snapshot restores its own timers.
	if (opts.snapshot) it.startAt(opts.snapshot.timers[0]?.startedAt ?? inputs[0]?.time ?? 0);
	else it.startAt(opts.startedAt ?? inputs[0]?.time ?? 0);
	for (const input of inputs) it.replayInput(input);
	return it;
}

/** The parts of a persisted snapshot that define the state (not bookkeeping like handles). */
export function sameState(a: PersistedSnapshot, b: PersistedSnapshot): boolean {
	const pick = (s: PersistedSnapshot) => ({
		value: s.value,
		context: s.context,
		status: s.status === 'stopped' ? 'active' : s.status,
		error: s.error ?? null,
		output: s.output ?? null,
		configuration: [...s.configuration].sort(),
		history: s.history,
		timers: [...s.timers].sort((x, y) => (x.state + x.event).localeCompare(y.state + y.event)),
		seq: s.seq,
		results: s.results ?? null,
		sends: s.sends ?? null
	});
	return stableStringify(pick(a)) === stableStringify(pick(b));
}

