// The one place the simulator imports the engine's implementation (everything else codes
// against src/lib/engine/types.ts), so tests and workers can swap the factory if needed.
import { createInterpreter as engineCreateInterpreter } from '../engine';
import type { Interpreter, InterpreterOptions } from '../engine/types';
import type { Workflow } from '../model/types';
import { doneInvokeEvent, errorInvokeEvent } from '../model/events';

export type CreateInterpreter = (workflow: Workflow, options?: InterpreterOptions) => Interpreter;

export const createInterpreter: CreateInterpreter = engineCreateInterpreter;

/** Input the engine records when a state's invoke finishes (see decisions.md). */
export const invokeDoneEvent = doneInvokeEvent;

/** Input the engine records when a state's invoke fails. */
export const invokeErrorEvent = errorInvokeEvent;
