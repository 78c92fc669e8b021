/**
 * The engine: `compile(workflow)` builds a machine definition once; `createInterpreter`
 * runs instances of it. Pure TypeScript: no DOM, Svelte, Dexie, Yjs or Comlink.
 */
import type { Workflow } from '../model/types';
import { EngineInterpreter } from './interpreter';
import type { Machine } from './compile';
import type { EventObject, InterpreterOptions, PersistedSnapshot } from './types';

export * from './types';
export { compile, WorkflowCompileError, isInternalEvent, type Machine, type StateNode, type Transition } from './compile';
export { EngineInterpreter, machineOf } from './interpreter';
export { systemClock, builtinRunEffect } from './clock';

/** Create an instance of a workflow (or of a machine from `compile`, to share it across many instances). */
export function createInterpreter(workflow: Workflow | Machine, options: InterpreterOptions = {}): EngineInterpreter {
	return new EngineInterpreter(workflow, options);
}

/** A recorded input, as reported by `onEvent` with `kind: 'input'`. */
export interface RecordedInput {
	seq: number;
	time: number;
	event: EventObject;
}

/**
 * Rebuild an instance from its recorded inputs (event sourcing): a fresh interpreter in
 * replay mode (no effects, no timers) fed the inputs in order. With a snapshot, only
 * inputs after `snapshot.seq` are applied. `startTime` is when the instance was started
 * (defaults to the first input's time); it only matters for pending timers' `startedAt`.
 */
export function replayInputs(
	workflow: Workflow | Machine,
	inputs: Iterable<RecordedInput>,
	snapshot?: PersistedSnapshot,
	options: { startTime?: number; maxMicrosteps?: number } = {}
): PersistedSnapshot {
	const it = new EngineInterpreter(workflow, { replay: true, snapshot, maxMicrosteps: options.maxMicrosteps });
	const after = snapshot?.seq ?? 0;
	const startTime = options.startTime;
	for (const input of inputs) {
		if (input.seq <= after) continue;
		if (!it.isStarted()) it.startAt(startTime ?? input.time);
		it.replayInput(input);
	}
	if (!it.isStarted()) it.startAt(startTime ?? 0);
	return it.persist();
}
