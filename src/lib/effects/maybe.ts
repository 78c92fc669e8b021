import type { MaybePromise } from './types';

export function isThenable(v: unknown): v is PromiseLike<unknown> {
	return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

/** Runs `f` and continues with `ok`/`err` synchronously when `f` was synchronous. */
export function attempt<T>(f: () => MaybePromise<unknown>, ok: (v: unknown) => MaybePromise<T>, err: (e: unknown) => MaybePromise<T>): MaybePromise<T> {
	let r: MaybePromise<unknown>;
	try {
		r = f();
	} catch (e) {
		return err(e);
	}
	if (isThenable(r)) return Promise.resolve(r).then(ok, err);
	return ok(r);
}
