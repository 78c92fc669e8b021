import { z } from 'zod';
import { EffectError } from '../errors';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('delay'),
	...base,
	ms: z.union([z.number().nonnegative(), z.string()]).default(1000).describe('Milliseconds to wait, or a JSONata expression giving them')
});

/** Waits; the timer is cleared if the effect is cancelled. */
export const delay = defineKind({
	schema,
	category: 'time',
	label: 'Delay',
	description: 'Wait for a while',
	resolveParams: false,
	run(p, ctx) {
		const ms = typeof p.ms === 'number' ? p.ms : Number(ctx.evaluate(p.ms));
		if (!Number.isFinite(ms) || ms < 0) throw new EffectError('invalid_params', `delay: "${p.ms}" is not a number of milliseconds`);
		return ctx.sleep(ms).then(() => ms);
	}
});
