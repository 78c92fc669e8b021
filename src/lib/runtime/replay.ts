import { createInterpreter } from '../engine';
import type { Clock, EventObject, Interpreter, PersistedSnapshot } from '../engine/types';
import type { Workflow } from '../model/types';

/** One recorded input: the event and when it was applied. */
export interface RecordedInput {
	time: number;
	event: EventObject;
}

/**
 * Rebuilds an instance from its recorded inputs, optionally on top of a persisted snapshot.
 * The engine runs in replay mode (no timers, no effects); its clock reads the recorded time
 * of the input being applied, so timers' start times come out exactly as in the live run.
 */
export function replayInstance(
	workflow: Workflow,
	inputs: RecordedInput[],
	opts: { snapshot?: PersistedSnapshot; startedAt?: number } = {}
): Interpreter {
	let now = opts.startedAt ?? inputs[0]?.time ?? 0;
	const clock: Clock = {
		now: () => now,
		setTimeout: () => 0,
		clearTimeout: () => {}
	};
	const it = createInterpreter(workflow, { replay: true, clock, ...(opts.snapshot ? { snapshot: opts.snapshot } : {}) });
	it.start();
	for (const input of inputs) {
		now = input.time;
		it.send(input.event);
	}
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
		seq: s.seq
	});
	return stableStringify(pick(a)) === stableStringify(pick(b));
}

function stableStringify(v: unknown): string {
	return JSON.stringify(v, (_k, x) =>
		x && typeof x === 'object' && !Array.isArray(x)
			? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
			: x
	);
}
