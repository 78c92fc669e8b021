import { z } from 'zod';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('transform'),
	...base,
	expr: z.string().describe('JSONata expression over context, event and results (results.<id>: output of an earlier step of the sequence)'),
	to: z.string().optional().describe('Context key that receives the value')
});

/** Computes a value with JSONata and optionally stores it in the context. */
export const transform = defineKind({
	schema,
	category: 'data',
	label: 'Transform',
	description: 'Compute a value with JSONata and store it in the context',
	resolveParams: false,
	run(p, ctx) {
		const v = ctx.evaluate(p.expr);
		if (p.to) ctx.assign({ [p.to]: v });
		return v;
	}
});
