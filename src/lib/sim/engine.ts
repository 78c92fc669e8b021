// The one place the simulator imports the engine's implementation (everything else codes
// against src/lib/engine/types.ts), so tests and workers can swap the factory if needed.
import { createInterpreter as engineCreateInterpreter } from '../engine';
import type { Interpreter, InterpreterOptions } from '../engine/types';
import type { Workflow } from '../model/types';

export type CreateInterpreter = (workflow: Workflow, options?: InterpreterOptions) => Interpreter;

export const createInterpreter: CreateInterpreter = engineCreateInterpreter;

/** Input the engine records when a state's invoke finishes (see decisions.md). */
export function invokeDoneEvent(state: string): string {
	return `done.invoke.${state}`;
}

/** Input the engine records when a state's invoke (or an async effect of it) fails. */
export function invokeErrorEvent(state: string): string {
	return `error.invoke.${state}`;
}
