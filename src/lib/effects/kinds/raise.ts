import { z } from 'zod';
import type { EventObject } from '../run-types';
import { EffectError } from '../errors';
import { base, defineKind } from './common';

export const eventParam = z
	.union([z.string(), z.object({ type: z.string() }).loose()])
	.describe('Event type, or an event object whose string values may hold {{ }} templates');

export function toEvent(ev: unknown): EventObject {
	const e = typeof ev === 'string' ? { type: ev } : (ev as EventObject);
	if (!e || typeof e.type !== 'string' || !e.type) throw new EffectError('invalid_params', 'The event needs a non-empty "type"');
	return e;
}

const schema = z.object({ type: z.literal('raise'), ...base, event: eventParam });

/** Sends an event to this same instance. */
export const raise = defineKind({
	schema,
	category: 'data',
	label: 'Raise',
	description: 'Send an event to this instance',
	resolveParams: false,
	run(p, ctx) {
		const e = toEvent(ctx.resolve(p.event));
		ctx.send(e);
		return e;
	}
});
