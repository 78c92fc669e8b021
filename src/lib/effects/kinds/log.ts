import { z } from 'zod';
import { templateText } from '../expr';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('log'),
	...base,
	message: z.string().default('').describe('Text to record; {{ expr }} inserts values, e.g. "Opened {{ context.opens }} times"'),
	data: z.string().optional().describe('JSONata expression whose value is recorded with the message')
});

/** Records a log line in the instance's event log. */
export const log = defineKind({
	schema,
	category: 'data',
	label: 'Log',
	description: 'Record a message in the event log',
	resolveParams: false,
	run(p, ctx) {
		const d = ctx.data();
		const message = templateText(p.message, d);
		const data = p.data !== undefined ? ctx.evaluate(p.data) : undefined;
		ctx.report({ kind: 'log', time: ctx.clock.now(), message, ...(data !== undefined ? { data } : {}) });
		return message;
	}
});
