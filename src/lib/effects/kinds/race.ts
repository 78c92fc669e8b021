import { z } from 'zod';
import { EffectError, toEffectError } from '../errors';
import { isThenable } from '../maybe';
import { base, defineKind, effectList } from './common';

const schema = z.object({
	type: z.literal('race'),
	...base,
	effects: effectList.min(1).describe('Effects that race; the losers are cancelled'),
	mode: z
		.enum(['first_settled', 'first_success'])
		.default('first_settled')
		.describe('first_settled: the first to finish wins, even by failing; first_success: the first to succeed wins, failing only if all fail')
});

/** The first effect to finish wins; the others are cancelled (and recorded as such). */
export const race = defineKind({
	schema,
	category: 'composition',
	label: 'Race',
	description: 'Run effects at once; the first to finish wins, the others are cancelled',
	resolveParams: false,
	children: (p) => p.effects,
	run(p, ctx) {
		const effects = p.effects;
		// One cancellation per branch, so the winner's signal is never aborted.
		const forks = effects.map(() => ctx.fork());
		const anySuccess = p.mode === 'first_success';
		let decided: { ok: true; value: unknown } | { ok: false; error: EffectError } | undefined;
		let inflight = 0;
		let failures = 0;
		let lastError: EffectError | undefined;
		let resolve: ((v: unknown) => void) | undefined;
		let reject: ((e: unknown) => void) | undefined;

		const decide = (d: NonNullable<typeof decided>, i: number) => {
			if (decided) return;
			decided = d;
			const reason = new EffectError('cancelled', `Cancelled: lost the race to branch ${i}`);
			forks.forEach((f, j) => (j === i ? f.dispose() : f.abort(reason)));
		};
		const onValue = (i: number, v: unknown) => decide({ ok: true, value: v }, i);
		const onError = (i: number, e: unknown) => {
			const err = toEffectError(e);
			lastError = err;
			failures++;
			if (!anySuccess) decide({ ok: false, error: err }, i);
			else if (failures === effects.length)
				decide({ ok: false, error: new EffectError(err.code, `All ${effects.length} racers failed; last: ${err.message}`, { status: err.status, cause: err }) }, i);
		};
		const conclude = () => {
			for (const f of forks) f.dispose();
			const d = decided ?? { ok: false as const, error: lastError ?? toEffectError(ctx.reason) };
			if (d.ok) return d.value;
			throw d.error;
		};
		for (let i = 0; i < effects.length && !decided && !ctx.aborted; i++) {
			let r: unknown;
			try {
				r = ctx.child(effects[i], i, { cancel: forks[i] });
			} catch (e) {
				onError(i, e);
				continue;
			}
			if (isThenable(r)) {
				inflight++;
				r.then(
					(v) => done(() => onValue(i, v)),
					(e) => done(() => onError(i, e))
				);
			} else onValue(i, r);
		}
		function done(f: () => void) {
			inflight--;
			if (!decided) f();
			// Settle only once every loser has ended, so its cancel is recorded before ours.
			if (inflight === 0) {
				try {
					resolve!(conclude());
				} catch (e) {
					reject!(e);
				}
			}
		}
		if (inflight === 0) return conclude();
		return new Promise((res, rej) => {
			resolve = res;
			reject = rej;
		});
	}
});
