import { z } from 'zod';
import { isThenable } from '../maybe';
import { base, defineKind, effectRef, keyField, resilienceKey } from './common';

const schema = z.object({
	type: z.literal('bulkhead'),
	...base,
	key: keyField,
	maxConcurrent: z.number().int().positive().default(4).describe('Calls that may run at the same time'),
	queueSize: z.number().int().nonnegative().default(0).describe('Calls that may wait for a free slot; beyond, calls are rejected'),
	effect: effectRef.describe('The isolated effect')
});

/** Bounds concurrency per shared key; waiting work is dropped when its effect is cancelled. */
export const bulkhead = defineKind({
	schema,
	category: 'resilience',
	label: 'Bulkhead',
	description: 'Limit how many calls run at once',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const key = resilienceKey(ctx, 'bulkhead', p.key, p.effect);
		// Already inside this bulkhead (nested same key): run in the slot we hold.
		if (ctx.holds('bulkhead:' + key)) return ctx.child(p.effect, 'effect');
		const b = ctx.shared.bulkhead(key, p.maxConcurrent, p.queueSize);
		const runInSlot = () => {
			ctx.hold('bulkhead:' + key);
			let r: unknown;
			try {
				r = ctx.child(p.effect, 'effect');
			} catch (e) {
				b.release();
				throw e;
			}
			if (!isThenable(r)) {
				b.release();
				return r;
			}
			return Promise.resolve(r).finally(() => b.release());
		};
		if (b.tryAcquire()) return runInSlot();
		ctx.progress({ bulkhead: key, queued: b.queued + 1 });
		return b.wait(ctx).then(runInSlot);
	}
});
