import { z } from 'zod';
import { EffectError } from '../errors';
import { base, defineKind } from './common';
import { eventParam, toEvent } from './raise';

const schema = z.object({
	type: z.literal('send'),
	...base,
	id: z.string().optional().describe('Send id: names this send, so a "cancel" effect can drop it while it is pending'),
	event: eventParam,
	delay: z
		.union([z.number().nonnegative(), z.string()])
		.optional()
		.describe('Milliseconds to wait before the event is sent (or a JSONata expression giving them); the send stays pending when the state is left')
});

/**
 * Sends an event to this instance's external queue: it is processed after the current
 * step, as if it came from outside (raise is the internal queue). The workflow engine runs
 * it itself; this kind runs it when it is nested in a composition (sequence, retry …).
 */
export const send = defineKind({
	schema,
	category: 'data',
	label: 'Send',
	description: 'Send an event to this instance, now or after a delay',
	resolveParams: false,
	run(p, ctx) {
		const e = toEvent(ctx.resolve(p.event));
		const ms = p.delay === undefined ? 0 : typeof p.delay === 'number' ? p.delay : Number(ctx.evaluate(p.delay));
		if (!Number.isFinite(ms) || ms < 0) throw new EffectError('invalid_params', `send: the delay "${p.delay}" is not a number of milliseconds`);
		if (ms === 0) ctx.send(e);
		else if (ctx.scope.sendLater) ctx.scope.sendLater(e, ms, p.id);
		else throw new EffectError('invalid_params', 'send: a delayed send needs the workflow engine (this host cannot schedule one)');
		return e;
	}
});
