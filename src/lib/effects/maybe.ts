/** Whether a handler's result is a promise (or any thenable) rather than a value. */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
	return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}
