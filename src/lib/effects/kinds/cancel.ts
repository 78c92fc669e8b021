import { z } from 'zod';
import { EffectError } from '../errors';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('cancel'),
	...base,
	sendid: z.string().min(1).describe('The id of the pending delayed send to drop ({{ }} templates allowed)')
});

/** Drops a pending delayed send of this instance; an id with nothing pending is not an error. */
export const cancel = defineKind({
	schema,
	category: 'data',
	label: 'Cancel send',
	description: 'Drop a delayed send before it fires',
	run(p, ctx) {
		if (!ctx.scope.cancelSend) throw new EffectError('invalid_params', 'cancel: this host has no pending sends to cancel');
		ctx.scope.cancelSend(p.sendid);
		return p.sendid;
	}
});
