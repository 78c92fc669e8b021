/**
 * Effect failures carry a stable `code` so that `retry.retryOn`, the timeline and the
 * engine's `error.*` events can tell them apart without parsing messages.
 */
export type EffectErrorCode =
	| 'cancelled'
	| 'timeout'
	| 'network'
	| 'http_status'
	| 'circuit_open'
	| 'rate_limited'
	| 'bulkhead_full'
	| 'no_provider'
	| 'invalid_params'
	| 'unknown_kind'
	| 'expression'
	| 'failed';

/** Codes that a `retry` retries when it has no `retryOn` list. */
const RETRYABLE: ReadonlySet<EffectErrorCode> = new Set<EffectErrorCode>([
	'timeout',
	'network',
	'rate_limited',
	'bulkhead_full',
	'failed'
]);

export class EffectError extends Error {
	readonly code: EffectErrorCode;
	/** HTTP status, for `http_status`. */
	readonly status?: number;
	readonly data?: unknown;
	constructor(code: EffectErrorCode, message: string, extra?: { status?: number; data?: unknown; cause?: unknown }) {
		super(message, extra?.cause !== undefined ? { cause: extra.cause } : undefined);
		this.name = 'EffectError';
		this.code = code;
		if (extra?.status !== undefined) this.status = extra.status;
		if (extra?.data !== undefined) this.data = extra.data;
	}
	/** Whether a `retry` without `retryOn` should try again. */
	get retryable(): boolean {
		if (this.code === 'http_status') return this.status === undefined || this.status >= 500 || this.status === 408 || this.status === 429;
		return RETRYABLE.has(this.code);
	}
}

/** Turns anything thrown by a handler into an EffectError (keeping it as `cause`). */
export function toEffectError(e: unknown): EffectError {
	if (e instanceof EffectError) return e;
	if (e instanceof Error) {
		if (e.name === 'AbortError') return new EffectError('cancelled', e.message || 'Cancelled', { cause: e });
		if (e.name === 'TimeoutError') return new EffectError('timeout', e.message || 'Timed out', { cause: e });
		return new EffectError('failed', e.message, { cause: e });
	}
	return new EffectError('failed', typeof e === 'string' ? e : JSON.stringify(e) ?? String(e));
}

export function cancelledError(reason?: unknown): EffectError {
	if (reason instanceof EffectError) return reason;
	const msg = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'Cancelled';
	return new EffectError('cancelled', msg || 'Cancelled', reason instanceof Error ? { cause: reason } : undefined);
}

/**
 * Matches an error against one `retryOn` entry: an error code (`network`, `timeout`,
 * `http_status`, …), `http_5xx` / `http_4xx`, an exact `http_503`, or `*` for any error.
 */
export function matchesErrorFilter(e: EffectError, filter: string): boolean {
	if (filter === '*') return e.code !== 'cancelled';
	if (filter === e.code) return true;
	if (e.code === 'http_status' && e.status !== undefined && filter.startsWith('http_')) {
		const f = filter.slice(5);
		if (/^\dxx$/.test(f)) return Math.floor(e.status / 100) === Number(f[0]);
		return Number(f) === e.status;
	}
	return false;
}
