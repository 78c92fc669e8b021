/**
 * Failures of a model call, classified so that the fallback chain, the Test connection
 * button and the effect's error all speak about them the same way. Messages never contain
 * an API key: everything a server says is passed through `redactSecrets` first.
 */

export type ProviderErrorKind =
	| 'auth' // 401, a bad or missing key
	| 'forbidden' // 403, the key may not use this model / this origin
	| 'not_found' // 404, wrong base URL or model
	| 'bad_request' // other 4xx
	| 'rate_limited' // 429
	| 'overloaded' // 529, overloaded_error
	| 'server' // 5xx
	| 'network' // fetch failed: CORS, offline, refused, mixed content
	| 'timeout'
	| 'stream' // an error reported inside an open stream
	| 'invalid_response' // the server answered something that is not the provider's format
	| 'unavailable'; // the provider cannot run here (no WebGPU)

export class ProviderError extends Error {
	readonly kind: ProviderErrorKind;
	readonly status?: number;
	/** From `Retry-After` (or `retry-after-ms`), when the server sent it. */
	readonly retryAfterMs?: number;
	/** The provider's own error type or code (`insufficient_quota`, `overloaded_error` …). */
	readonly code?: string;
	constructor(kind: ProviderErrorKind, message: string, extra: { status?: number; retryAfterMs?: number; code?: string; cause?: unknown } = {}) {
		super(message, extra.cause !== undefined ? { cause: extra.cause } : undefined);
		this.name = 'ProviderError';
		this.kind = kind;
		if (extra.status !== undefined) this.status = extra.status;
		if (extra.retryAfterMs !== undefined) this.retryAfterMs = extra.retryAfterMs;
		if (extra.code !== undefined) this.code = extra.code;
	}
	/** Whether a fallback chain moves on to the next model: 429, 5xx, overloaded, timeouts, unreachable. */
	get transient(): boolean {
		return this.kind === 'rate_limited' || this.kind === 'overloaded' || this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network' || (this.kind === 'stream' && this.code !== 'invalid_request_error');
	}
}

/** Parses `Retry-After` (seconds or an HTTP date) and `retry-after-ms`; undefined when absent or nonsense. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | undefined {
	const ms = headers.get('retry-after-ms');
	if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
	const v = headers.get('retry-after');
	if (v === null) return undefined;
	const t = v.trim();
	if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
	const date = Date.parse(t);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// Key-like tokens: OpenAI/Anthropic/OpenRouter `sk-…`, Google `AIza…`, bearer tokens.
const KEY_PATTERNS = [/\bsk-[A-Za-z0-9_\-*.]{6,}/g, /\bAIza[0-9A-Za-z_\-]{20,}/g, /\b(Bearer)\s+[A-Za-z0-9._\-~+/=]{8,}/gi, /\bx-api-key[:=]\s*\S+/gi];

/** Removes `secrets` (and anything that looks like an API key) from a text meant for people or logs. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
	let out = text;
	for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[key]');
	for (const re of KEY_PATTERNS) out = out.replace(re, (m, bearer?: string) => (typeof bearer === 'string' && /^bearer$/i.test(bearer) ? `${bearer} [key]` : '[key]'));
	return out;
}

/** Kind of failure for an HTTP status. */
export function kindForStatus(status: number): ProviderErrorKind {
	if (status === 401) return 'auth';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'not_found';
	if (status === 408) return 'timeout';
	if (status === 429) return 'rate_limited';
	if (status === 529) return 'overloaded';
	if (status >= 500) return 'server';
	return 'bad_request';
}

/** Pulls the human message and code out of the error bodies of OpenAI, Anthropic, Gemini and OpenRouter. */
export function readErrorBody(text: string): { message?: string; code?: string } {
	try {
		const j = JSON.parse(text) as Record<string, unknown>;
		const e = (j.error ?? j) as Record<string, unknown> | string;
		if (typeof e === 'string') return { message: e };
		const message = typeof e.message === 'string' ? e.message : undefined;
		const code = typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : typeof e.status === 'string' ? e.status : undefined;
		// Gemini: a bad key is a 400 whose details say API_KEY_INVALID.
		const details = Array.isArray(e.details) ? (e.details as { reason?: string }[]) : [];
		const reason = details.find((d) => typeof d?.reason === 'string')?.reason;
		return { message, code: reason ?? code };
	} catch {
		const t = text.trim();
		return t ? { message: t.slice(0, 300) } : {};
	}
}

/** The ProviderError for a non-2xx response (its body already read as text). */
export function httpError(provider: string, res: { status: number; statusText?: string; headers: Headers }, body: string, secrets: readonly (string | undefined)[]): ProviderError {
	const { message, code } = readErrorBody(body);
	let kind = kindForStatus(res.status);
	if (code === 'API_KEY_INVALID') kind = 'auth';
	if (code === 'overloaded_error') kind = 'overloaded';
	const said = message ? `: ${redactSecrets(message, secrets)}` : res.statusText ? ` ${res.statusText}` : '';
	return new ProviderError(kind, `${provider} answered HTTP ${res.status}${said}`, {
		status: res.status,
		retryAfterMs: parseRetryAfter(res.headers),
		code
	});
}
