import { z } from 'zod';
import { EffectError, matchesErrorFilter, toEffectError } from '../errors';
import { isThenable } from '../maybe';
import type { MaybePromise } from '../types';
import { base, defineKind, effectRef } from './common';

const schema = z.object({
	type: z.literal('retry'),
	...base,
	effect: effectRef.describe('The effect to try again when it fails'),
	maxAttempts: z.number().int().positive().optional().describe('Total attempts, the first included (default 3)'),
	times: z.number().int().nonnegative().optional().describe('Retries after the first attempt (maxAttempts = times + 1)'),
	backoff: z
		.object({
			initialMs: z.number().nonnegative().default(200).describe('Wait before the first retry'),
			factor: z.number().min(1).default(2).describe('Each wait is this many times the previous one'),
			maxMs: z.number().nonnegative().default(30_000).describe('Upper bound of a wait'),
			jitter: z
				.enum(['full', 'equal', 'none'])
				.default('full')
				.describe('full: random in [0, wait]; equal: wait/2 + random in [0, wait/2]; none: exactly the wait')
		})
		.prefault({})
		.describe('Exponential backoff between attempts'),
	retryOn: z
		.array(z.string())
		.optional()
		.describe('Errors to retry: codes (network, timeout, http_status, rate_limited …), http_5xx, http_429, or * (default: retryable errors — network, timeout, 5xx/408/429, …)')
});

type Params = z.output<typeof schema>;

/** The wait before retry number `attempt` (1 = the first retry), jitter included. */
export function backoffDelay(b: Params['backoff'], attempt: number, random: () => number): number {
	const base = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, attempt - 1));
	const d = b.jitter === 'full' ? random() * base : b.jitter === 'equal' ? base / 2 + (random() * base) / 2 : base;
	return Math.round(d);
}

/** Tries an effect again, with exponential backoff and jitter, for errors worth retrying. */
export const retry = defineKind({
	schema,
	category: 'composition',
	label: 'Retry',
	description: 'Try an effect again when it fails, waiting longer each time',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const max = p.maxAttempts ?? (p.times !== undefined ? p.times + 1 : 3);
		let attempt = 1;
		const shouldRetry = (e: EffectError) =>
			e.code !== 'cancelled' && (p.retryOn ? p.retryOn.some((f) => matchesErrorFilter(e, f)) : e.retryable);
		const onError = (e: unknown): MaybePromise<unknown> => {
			const err = toEffectError(e);
			if (ctx.aborted || !shouldRetry(err)) throw err;
			if (attempt >= max)
				throw new EffectError(err.code, `${err.message} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`, {
					status: err.status,
					data: err.data,
					cause: err
				});
			const delayMs = backoffDelay(p.backoff, attempt, () => ctx.random());
			ctx.record('retry', { attempt, nextAttempt: attempt + 1, maxAttempts: max, delayMs, code: err.code }, err.message);
			attempt++;
			return ctx.sleep(delayMs).then(go);
		};
		const go = (): MaybePromise<unknown> => {
			let r: unknown;
			try {
				r = ctx.child(p.effect, 'effect');
			} catch (e) {
				return onError(e);
			}
			return isThenable(r) ? Promise.resolve(r).then(undefined, onError) : r;
		};
		return go();
	}
});
