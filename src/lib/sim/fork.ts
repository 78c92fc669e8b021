import type { InstanceEvent } from '../engine/types';
import type { Workflow } from '../model/types';
import { VirtualClock } from './clock';
import { DebugSession, type SessionOptions } from './debug-session';
import { TimeTravel } from './timetravel';

/**
 * "Restart from here": fork a recorded log. The new session's log is the entries up to the
 * end of the macrostep that contains `position` (the shared prefix), and its state is rebuilt
 * by replaying the inputs of that prefix, so no effect of the prefix runs again. The session
 * is returned unstarted (start it once its prefix is stored, so its own entries follow).
 */
export function forkFromLog(
	workflow: Workflow,
	log: InstanceEvent[],
	position: number,
	options: Omit<SessionOptions, 'from'> & { timeTravel?: TimeTravel } = {}
): DebugSession {
	const tt = options.timeTravel ?? new TimeTravel(workflow, { createInterpreter: options.createInterpreter }).appendAll(log);
	const inputs = tt.inputsAt(position);
	const end = Math.min(log.length, tt.endOfInput(inputs));
	const prefix = log.slice(0, end);
	const snapshot = tt.snapshotAfter(inputs);
	const { timeTravel: _unused, ...rest } = options;
	void _unused;
	const last = prefix.at(-1);
	return new DebugSession(workflow, {
		...rest,
		clock: rest.clock ?? new VirtualClock(last ? last.time : 0),
		from: { log: prefix, snapshot }
	});
}
