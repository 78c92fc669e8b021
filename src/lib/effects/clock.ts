import type { Clock } from './run-types';
import type { Cancellation } from './cancellation';
import { cancelledError } from './errors';

/**
 * The wall clock: `Date.now` and the global timers, looked up at each call, so fake timers
 * in tests (`vi.useFakeTimers()`) drive it too. The one real clock of the app: the engine,
 * the executor and the instance hosts use it unless a clock is injected.
 */
export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)
};

/** Waits `ms` on `clock`; the timer is cleared and the promise rejected if `c` aborts. */
export function sleep(clock: Clock, ms: number, c: Cancellation): Promise<void> {
	if (c.aborted) return Promise.reject(cancelledError(c.reason));
	return new Promise<void>((resolve, reject) => {
		const handle = clock.setTimeout(() => {
			off();
			resolve();
		}, Math.max(0, ms));
		const off = c.onAbort((r) => {
			clock.clearTimeout(handle);
			reject(cancelledError(r));
		});
	});
}
