import { z } from 'zod';
import { toEffectError } from '../errors';
import { isThenable } from '../maybe';
import { base, defineKind, effectRef, keyField, resilienceKey } from './common';

const schema = z.object({
	type: z.literal('circuit_breaker'),
	...base,
	key: keyField,
	failureThreshold: z.number().int().positive().default(5).describe('Consecutive failures that open the circuit'),
	resetMs: z.number().nonnegative().default(30_000).describe('How long the circuit stays open before letting a trial call through'),
	halfOpenMax: z.number().int().positive().default(1).describe('Trial calls allowed while half-open'),
	effect: effectRef.describe('The protected effect')
});

/**
 * Fails fast while a dependency is failing: closed → (N failures) → open → (resetMs) →
 * half-open → a success closes it, a failure opens it again. State changes are recorded
 * as progress events and observable on the workspace's SharedResilience.
 */
export const circuit_breaker = defineKind({
	schema,
	category: 'resilience',
	label: 'Circuit breaker',
	description: 'Stop calling a failing dependency for a while',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const key = resilienceKey(ctx, 'circuit_breaker', p.key, p.effect);
		const b = ctx.shared.breaker(key, { failureThreshold: p.failureThreshold, resetMs: p.resetMs, halfOpenMax: p.halfOpenMax });
		const before = b.current(ctx.clock.now());
		const changed = (from: string) => {
			if (b.state !== from) ctx.progress({ circuit: key, from, to: b.state });
		};
		if (before === 'half-open') ctx.progress({ circuit: key, state: 'half-open' });
		b.acquire(ctx.clock.now());
		const onOk = (v: unknown) => {
			const from = b.state;
			b.success(ctx.clock.now());
			changed(from);
			return v;
		};
		const onErr = (e: unknown): never => {
			const err = toEffectError(e);
			if (err.code === 'cancelled' || ctx.aborted) b.release();
			else {
				const from = b.state;
				b.failure(ctx.clock.now());
				changed(from);
			}
			throw err;
		};
		let r: unknown;
		try {
			r = ctx.child(p.effect, 'effect');
		} catch (e) {
			return onErr(e);
		}
		return isThenable(r) ? Promise.resolve(r).then(onOk, onErr) : onOk(r);
	}
});
