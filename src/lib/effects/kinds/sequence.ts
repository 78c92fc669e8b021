import { z } from 'zod';
import { isThenable } from '../maybe';
import type { MaybePromise } from '../types';
import { base, defineKind, effectList } from './common';

const schema = z.object({
	type: z.literal('sequence'),
	...base,
	effects: effectList.default([]).describe('Effects run one after another; each sees the earlier outputs as results.<step id> (or results.`0`)')
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
		const outputs: unknown[] = [];
		// What later steps see as `results`: earlier outputs by step id, or by index.
		const results: Record<string, unknown> = { ...ctx.results };
		const effects = p.effects;
		let i = 0;
		const keep = (v: unknown) => {
			const e = effects[outputs.length];
			results[typeof e.id === 'string' ? e.id : String(outputs.length)] = v;
			outputs.push(v);
		};
		const step = (): MaybePromise<unknown[]> => {
			while (i < effects.length) {
				const r = ctx.child(effects[i], i, { results });
				i++;
				if (isThenable(r))
					return Promise.resolve(r).then((v) => {
						keep(v);
						return step();
					});
				keep(r);
			}
			return outputs;
		};
		return step();
	}
});
