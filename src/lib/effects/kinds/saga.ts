import { z } from 'zod';
import { EffectError, toEffectError } from '../errors';
import type { SagaLogEntry } from '../resilience';
import { base, defineKind, effectRef, keyField } from './common';

const schema = z.object({
	type: z.literal('saga'),
	...base,
	key: keyField,
	steps: z
		.array(
			z.object({
				name: z.string().describe('Step name, as it appears in the saga log'),
				effect: effectRef.describe('The step'),
				compensate: effectRef.optional().describe('Undoes the step if a later one fails')
			})
		)
		.min(1)
		.describe('Named steps run in order; on failure the done steps are undone in reverse order')
});

/**
 * A saga: named steps with compensations and a readable log (`do`/`undo` entries), kept
 * under its key on the workspace's SharedResilience and returned (or attached to the error).
 */
export const saga = defineKind({
	schema,
	category: 'resilience',
	label: 'Saga',
	description: 'Named steps, each with an undo, and a log of what was done and undone',
	resolveParams: false,
	children: (p) => p.steps.flatMap((s) => (s.compensate ? [s.effect, s.compensate] : [s.effect])),
	async run(p, ctx) {
		const key = p.key !== undefined ? String(ctx.resolve(p.key)) : (ctx.spec.id ?? ctx.path);
		const log: SagaLogEntry[] = [];
		const note = (entry: Omit<SagaLogEntry, 'time'>) => {
			const e = { ...entry, time: ctx.clock.now() };
			log.push(e);
			ctx.progress({ saga: key, ...e });
		};
		const results: Record<string, unknown> = {};
		// Steps see earlier steps' outputs by name, over the results visible to the saga.
		const visible: Record<string, unknown> = { ...ctx.results };
		let i = 0;
		try {
			for (; i < p.steps.length; i++) {
				const s = p.steps[i];
				try {
					const v = await ctx.child(s.effect, s.name, { results: visible });
					results[s.name] = v;
					visible[s.name] = v;
					note({ step: s.name, action: 'do', status: 'done' });
				} catch (e) {
					const err = toEffectError(e);
					note({ step: s.name, action: 'do', status: ctx.aborted ? 'cancelled' : 'failed', error: err.message });
					throw err;
				}
			}
			ctx.shared.recordSaga(key, log);
			return { results, log };
		} catch (e) {
			const err = toEffectError(e);
			if (!ctx.aborted) {
				for (let j = i - 1; j >= 0; j--) {
					const s = p.steps[j];
					if (!s.compensate) continue;
					try {
						await ctx.child(s.compensate, `undo:${s.name}`, { results: visible });
						note({ step: s.name, action: 'undo', status: 'done' });
					} catch (ce) {
						note({ step: s.name, action: 'undo', status: 'failed', error: toEffectError(ce).message });
					}
				}
			}
			ctx.shared.recordSaga(key, log);
			throw new EffectError(err.code, `Saga "${key}" failed at step "${p.steps[i]?.name}": ${err.message}`, { status: err.status, data: { log }, cause: err });
		}
	}
});
