import { z } from 'zod';
import type { EffectSpec } from '../../model/types';
import { EffectError, toEffectError } from '../errors';
import type { EffectContext } from '../types';
import { base, defineKind, effectRef } from './common';

const schema = z.object({
	type: z.literal('with_compensation'),
	...base,
	steps: z
		.array(
			z.object({
				effect: effectRef.describe('The step'),
				compensate: effectRef.optional().describe('Undoes the step if a later step fails')
			})
		)
		.default([])
		.describe('Steps run in order; on failure the completed steps are compensated in reverse order')
});

/**
 * Runs steps in order and returns their outputs; if one fails, runs the compensations
 * of the steps that completed, last first, then fails with the original error.
 * A cancelled run is not compensated (its signal is already aborted).
 */
export const with_compensation = defineKind({
	schema,
	category: 'composition',
	label: 'With compensation',
	description: 'Run steps; undo the completed ones if a later step fails',
	resolveParams: false,
	children: (p) => p.steps.flatMap((s) => (s.compensate ? [s.effect, s.compensate] : [s.effect])),
	async run(p, ctx) {
		const outputs: unknown[] = [];
		const results: Record<string, unknown> = { ...ctx.results };
		let i = 0;
		try {
			for (; i < p.steps.length; i++) {
				const e = p.steps[i].effect;
				const v = await ctx.child(e, i, { results });
				results[typeof e.id === 'string' ? e.id : String(i)] = v;
				outputs.push(v);
			}
			return outputs;
		} catch (e) {
			const err = toEffectError(e);
			if (ctx.aborted) throw err;
			const done = p.steps.slice(0, i).map((s, j) => ({ j, comp: s.compensate }));
			const { compensated, failed } = await compensate(ctx, done, results);
			throw new EffectError(err.code, `${err.message} (compensated ${compensated.length} step${compensated.length === 1 ? '' : 's'}${failed.length ? `, ${failed.length} compensation failed` : ''})`, {
				status: err.status,
				data: { failedStep: i, compensated, failedCompensations: failed },
				cause: err
			});
		}
	}
});

/** Runs compensations last-first; a failing compensation is recorded and the rest still run. */
export async function compensate(ctx: EffectContext, done: { j: number; comp?: EffectSpec }[], results: Record<string, unknown>) {
	const compensated: number[] = [];
	const failed: { step: number; error: string }[] = [];
	for (let k = done.length - 1; k >= 0; k--) {
		const { j, comp } = done[k];
		if (!comp) continue;
		try {
			await ctx.child(comp, `compensate${j}`, { results });
			compensated.push(j);
		} catch (e) {
			failed.push({ step: j, error: toEffectError(e).message });
		}
	}
	return { compensated, failed };
}
