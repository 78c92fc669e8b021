/** Time for the engine: the wall clock by default, and the built-in `delay` effect. */
import type { Clock, RunEffect } from './types';

/** Wall clock used when no clock is injected. */
export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => setTimeout(fn, ms),
	clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
};

/** Built-in effect runner used when no `runEffect` is given: only `delay`. */
export function builtinRunEffect(clock: Clock): RunEffect {
	return (effect, scope) => {
		if (effect.type === 'delay') {
			const ms = Number(effect.ms ?? 0);
			return new Promise<unknown>((resolve, reject) => {
				if (scope.signal.aborted) return reject(new Error('aborted'));
				const h = clock.setTimeout(() => resolve(undefined), Number.isFinite(ms) && ms > 0 ? ms : 0);
				scope.signal.addEventListener('abort', () => clock.clearTimeout(h), { once: true });
			});
		}
		return Promise.reject(new Error(`no handler for effect type ${effect.type}`));
	};
}
