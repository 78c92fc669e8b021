import { z } from 'zod';
import { EffectError, toEffectError } from '../errors';
import { isThenable } from '../maybe';
import { base, defineKind, effectList } from './common';

const schema = z.object({
	type: z.literal('parallel'),
	...base,
	effects: effectList.default([]).describe('Effects run at the same time'),
	mode: z
		.enum(['all', 'allSettled'])
		.default('all')
		.describe('all: fail as soon as one fails (the others are cancelled); allSettled: wait for all and report each outcome'),
	concurrency: z.number().int().positive().optional().describe('At most this many run at once (default: no limit)')
});

export type Settled = { status: 'fulfilled'; value: unknown } | { status: 'rejected'; error: string; code: string };

/** Runs branches concurrently. Synchronous branches never allocate a promise. */
export const parallel = defineKind({
	schema,
	category: 'composition',
	label: 'Parallel',
	description: 'Run effects at the same time',
	resolveParams: false,
	children: (p) => p.effects,
	run(p, ctx) {
		const effects = p.effects;
		const n = effects.length;
		const limit = p.concurrency ?? Infinity;
		const settledMode = p.mode === 'allSettled';
		const out: unknown[] = new Array(n);
		const fork = ctx.fork();
		let next = 0;
		let inflight = 0;
		let error: EffectError | undefined;
		let resolve: ((v: unknown[]) => void) | undefined;
		let reject: ((e: unknown) => void) | undefined;

		const fail = (i: number, e: unknown) => {
			const err = toEffectError(e);
			if (settledMode) out[i] = { status: 'rejected', error: err.message, code: err.code } satisfies Settled;
			else if (!error) {
				error = err;
				fork.abort(new EffectError('cancelled', `Cancelled: parallel branch ${i} failed`));
			}
		};
		const ok = (i: number, v: unknown) => {
			out[i] = settledMode ? ({ status: 'fulfilled', value: v } satisfies Settled) : v;
		};
		const launch = () => {
			while (!error && next < n && inflight < limit && !fork.aborted) {
				const i = next++;
				// Each branch has its own cancellation, so a branch that already finished
				// never sees its signal abort when a sibling fails later.
				const own = fork.fork();
				let r: unknown;
				try {
					r = ctx.child(effects[i], i, { cancel: own });
				} catch (e) {
					own.dispose();
					fail(i, e);
					continue;
				}
				if (isThenable(r)) {
					inflight++;
					r.then(
						(v) => settle(() => (own.dispose(), ok(i, v))),
						(e) => settle(() => (own.dispose(), fail(i, e)))
					);
				} else {
					own.dispose();
					ok(i, r);
				}
			}
			// Cancelled from above while some branches never started.
			if (fork.aborted && !error) error = toEffectError(fork.reason);
		};
		const settle = (f: () => void) => {
			inflight--;
			f();
			launch();
			if (inflight === 0) {
				fork.dispose();
				if (error) reject!(error);
				else resolve!(out);
			}
		};
		launch();
		if (inflight === 0) {
			fork.dispose();
			if (error) throw error;
			return out;
		}
		return new Promise<unknown[]>((res, rej) => {
			resolve = res;
			reject = rej;
		});
	}
});
