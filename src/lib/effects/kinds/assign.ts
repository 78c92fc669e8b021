import { z } from 'zod';
import { compileExpr, type CompiledExpr } from '../expr';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('assign'),
	...base,
	set: z
		.record(z.string(), z.string())
		.default({})
		.describe('Context keys and the JSONata expression computing each new value (over context, event, results)')
});

const compiled = new WeakMap<object, [string, CompiledExpr][]>();

/** Sets context keys from expressions; the result is the patch. */
export const assign = defineKind({
	schema,
	category: 'data',
	label: 'Assign',
	description: 'Set context values from expressions',
	resolveParams: false,
	run(p, ctx) {
		let list = compiled.get(p.set);
		if (!list) compiled.set(p.set, (list = Object.entries(p.set).map(([k, e]) => [k, compileExpr(e)])));
		const data = ctx.data();
		const patch: Record<string, unknown> = {};
		for (let i = 0; i < list.length; i++) patch[list[i][0]] = list[i][1](data);
		ctx.assign(patch);
		return patch;
	}
});
