import { z } from 'zod';
import { EffectError } from '../errors';
import { isThenable } from '../maybe';
import { base, defineKind, effectRef } from './common';

const schema = z.object({
	type: z.literal('timeout'),
	...base,
	ms: z.number().positive().describe('Milliseconds the effect may take before it is cancelled'),
	effect: effectRef.describe('The effect to bound in time')
});

/** Cancels the inner effect when it takes longer than `ms` and fails with a timeout. */
export const timeout = defineKind({
	schema,
	category: 'composition',
	label: 'Timeout',
	description: 'Cancel an effect that takes too long',
	resolveParams: false,
	children: (p) => [p.effect],
	run(p, ctx) {
		const fork = ctx.fork();
		let r: unknown;
		try {
			r = ctx.child(p.effect, 'effect', { cancel: fork });
		} catch (e) {
			fork.dispose();
			throw e;
		}
		if (!isThenable(r)) {
			fork.dispose();
			return r;
		}
		return new Promise((resolve, reject) => {
			let expired: EffectError | undefined;
			const timer = ctx.clock.setTimeout(() => {
				expired = new EffectError('timeout', `Timed out after ${p.ms} ms`);
				fork.abort(expired);
			}, p.ms);
			r.then(
				(v) => {
					ctx.clock.clearTimeout(timer);
					fork.dispose();
					resolve(v);
				},
				(e) => {
					ctx.clock.clearTimeout(timer);
					fork.dispose();
					reject(expired && !ctx.aborted ? expired : e);
				}
			);
		});
	}
});
