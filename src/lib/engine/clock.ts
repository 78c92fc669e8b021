/** Time for the engine: the wall clock by default, and the built-in `delay` effect. */
import { createExecutor } from '../effects/executor';
import type { Clock, RunEffect } from './types';

export { systemClock } from '../effects/clock';

/**
 * Effect runner used when no `runEffect` is given: only `delay`, run by the effects'
 * own `delay` kind on the interpreter's clock; any other effect fails with "no handler".
 */
export function builtinRunEffect(clock: Clock): RunEffect {
	let run: RunEffect | undefined;
	return (effect, scope) => {
		if (effect.type !== 'delay') return Promise.reject(new Error(`no handler for effect type ${effect.type}`));
		run ??= createExecutor({ clock }).run;
		return run(effect, scope);
	};
}
