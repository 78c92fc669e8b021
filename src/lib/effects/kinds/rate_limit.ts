import { z } from 'zod';
import { EffectError } from '../errors';
import type { Reservation } from '../resilience';
import { base, defineKind, effectRef, keyField, resilienceKey } from './common';

const schema = z.object({
	type: z.literal('rate_limit'),
	...base,
	key: keyField,
	algorithm: z
		.enum(['token_bucket', 'sliding_window'])
		.default('token_bucket')
		.describe('token_bucket: bursts up to `burst`, refilled at limit per interval; sliding_window: at most `limit` in any window'),
	limit: z.number().positive().describe('Calls allowed per interval'),
	intervalMs: z.number().positive().default(1000).describe('Interval (token refill period, or window length) in ms'),
	burst: z.number().positive().optional().describe('Token bucket capacity (default: limit)'),
	onLimit: z.enum(['wait', 'reject']).default('wait').describe('When no slot is free: wait for one, or fail with rate_limited'),
	maxWaitMs: z.number().nonnegative().optional().describe('Fail instead of waiting longer than this'),
	effect: effectRef.describe('The limited effect')
});

/** Admits calls at a configured rate, per shared key (workspace, tenant, provider …). */
export const rate_limit = defineKind({
	schema,
	category: 'resilience',
	label: 'Rate limit',
	description: 'Let calls through at a fixed rate',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const key = resilienceKey(ctx, 'rate_limit', p.key, p.effect);
		const limiter =
			p.algorithm === 'token_bucket'
				? ctx.shared.tokenBucket(key, p.limit, p.intervalMs, p.burst ?? p.limit)
				: ctx.shared.slidingWindow(key, p.limit, p.intervalMs);
		const res: Reservation | undefined = limiter.reserve(ctx.clock.now(), p.onLimit);
		const limited = () =>
			new EffectError('rate_limited', `Rate limit "${key}" reached (${p.limit} per ${p.intervalMs} ms)`, { data: { key } });
		if (!res) throw limited();
		if (res.waitMs <= 0) return ctx.child(p.effect, 'effect');
		if (p.maxWaitMs !== undefined && res.waitMs > p.maxWaitMs) {
			res.cancel();
			throw limited();
		}
		ctx.progress({ rateLimit: key, waitMs: res.waitMs });
		return ctx.sleep(res.waitMs).then(
			() => ctx.child(p.effect, 'effect'),
			(e) => {
				res.cancel();
				throw e;
			}
		);
	}
});
