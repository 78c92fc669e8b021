import { z } from 'zod';
import { hashString, stableStringify } from '../hash';
import { isThenable } from '../maybe';
import type { CacheEntry, EffectCacheBackend } from '../cache';
import { toEffectError } from '../errors';

/** Calls in flight per backend: an identical call made meanwhile waits for the first. */
const inflight = new WeakMap<EffectCacheBackend, Map<string, Promise<unknown>>>();
import { base, defineKind, effectRef } from './common';

const schema = z.object({
	type: z.literal('cache'),
	...base,
	ttlMs: z.number().positive().default(300_000).describe('How long a result stays valid'),
	key: z
		.string()
		.optional()
		.describe('Cache key template (default: the inner effect with its {{ }} templates resolved); use it when the effect reads context through expressions'),
	effect: effectRef.describe('The effect whose result is cached')
});

/**
 * Answers an identical call from the cache: the key is a hash of the inner effect with its
 * templates resolved against the current context and event. A hit ends with `cached: true`
 * and does not run the inner effect (its `assignTo` is still applied).
 */
export const cache = defineKind({
	schema,
	category: 'composition',
	label: 'Cache',
	description: 'Reuse the result of an identical earlier call',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const basis = p.key !== undefined ? { key: ctx.resolve(p.key) } : ctx.resolve(p.effect);
		const key = 'effect:' + hashString(stableStringify(basis));
		const now = ctx.clock.now();
		let pending = inflight.get(ctx.cache);
		if (!pending) inflight.set(ctx.cache, (pending = new Map()));
		const calls = pending;
		const hit = (value: unknown) => {
			ctx.markCached();
			if (typeof p.effect.assignTo === 'string') ctx.assign({ [p.effect.assignTo]: value });
			return value;
		};
		const runOwn = () => {
			const store = (v: unknown) => {
				const s = ctx.cache.set(key, v, now + p.ttlMs);
				return isThenable(s) ? Promise.resolve(s).then(() => v) : v;
			};
			const r = ctx.child(p.effect, 'effect');
			if (!isThenable(r)) return store(r);
			const own = Promise.resolve(r).then(store);
			calls.set(key, own);
			const done = () => {
				if (calls.get(key) === own) calls.delete(key);
			};
			own.then(done, done);
			return own;
		};
		const onEntry = (entry: CacheEntry | undefined) => {
			if (entry && entry.expiresAt > ctx.clock.now()) return hit(entry.value);
			const first = calls.get(key);
			if (!first) return runOwn();
			// The same call is running: share its answer; if its owner was cancelled, run our own.
			return ctx.guard(first).then(hit, (e) => {
				if (ctx.aborted || toEffectError(e).code !== 'cancelled') throw e;
				return runOwn();
			});
		};
		const got = ctx.cache.get(key);
		return isThenable(got) ? ctx.guard(got).then(onEntry) : onEntry(got);
	}
});
