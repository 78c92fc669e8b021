import { z } from 'zod';
import { isThenable } from '../maybe';
import type { MaybePromise } from '../types';
import { base, defineKind, effectList } from './common';

const schema = z.object({
	type: z.literal('sequence'),
	...base,
	effects: effectList.default([]).describe('Effects run one after another; each sees the earlier outputs as results')
});

/** Runs effects in order; stops at the first failure. The result is the list of outputs. */
export const sequence = defineKind({
	schema,
	category: 'composition',
	label: 'Sequence',
	description: 'Run effects one after another',
	resolveParams: false,
	children: (p) => p.effects,
	run(p, ctx) {
		const results: unknown[] = [];
		const effects = p.effects;
		let i = 0;
		const step = (): MaybePromise<unknown[]> => {
			while (i < effects.length) {
				const r = ctx.child(effects[i], i, { results });
				i++;
				if (isThenable(r))
					return Promise.resolve(r).then((v) => {
						results.push(v);
						return step();
					});
				results.push(r);
			}
			return results;
		};
		return step();
	}
});
