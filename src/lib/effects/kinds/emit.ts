import { z } from 'zod';
import { base, defineKind } from './common';
import { eventParam, toEvent } from './raise';

const schema = z.object({ type: z.literal('emit'), ...base, event: eventParam });

/** Emits an event to the outside world (listeners, the embedding page). */
export const emit = defineKind({
	schema,
	category: 'data',
	label: 'Emit',
	description: 'Send an event to listeners outside the workflow',
	resolveParams: false,
	run(p, ctx) {
		const e = toEvent(ctx.resolve(p.event));
		ctx.emit(e);
		return e;
	}
});
