import type { Clock } from '../engine/types';
import type { Cancellation } from './cancellation';
import { cancelledError } from './errors';

/** Wall clock with sub-millisecond precision (durations of fast effects are not all 0). */
const origin = typeof performance !== 'undefined' ? performance.timeOrigin : 0;
export const systemClock: Clock = {
	now: typeof performance !== 'undefined' ? () => origin + performance.now() : () => Date.now(),
	setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
	clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>)
};

/** Clock using the global timers and Date.now — follows `vi.useFakeTimers()`. */
export const globalClock: Clock = {
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
