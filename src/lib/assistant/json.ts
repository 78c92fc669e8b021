/**
 * Reading JSON out of a model's reply. Providers with structured output send bare JSON;
 * others wrap it in a code fence or a sentence. Nothing here evaluates anything: the text is
 * only ever given to `JSON.parse`.
 */

export type JsonRead = { ok: true; value: unknown } | { ok: false; message: string };

/** Longest reply we try to read (a workflow of several hundred states fits easily). */
export const MAX_REPLY_CHARS = 2_000_000;

function tryParse(text: string): JsonRead {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
}

/** The JSON value of a reply: the whole text, a fenced block, or the outermost `{ … }`. */
export function readJsonReply(text: string): JsonRead {
	if (text.length > MAX_REPLY_CHARS) return { ok: false, message: `the reply is too long (${text.length} characters)` };
	const t = text.trim();
	if (!t) return { ok: false, message: 'the reply was empty' };
	const whole = tryParse(t);
	if (whole.ok) return whole;
	const fence = /```(?:json|JSON)?\s*\n([\s\S]*?)\n?```/.exec(t);
	if (fence) {
		const r = tryParse(fence[1].trim());
		if (r.ok) return r;
	}
	const start = t.indexOf('{');
	const end = t.lastIndexOf('}');
	if (start >= 0 && end > start) {
		const r = tryParse(t.slice(start, end + 1));
		if (r.ok) return r;
	}
	return { ok: false, message: `the reply is not valid JSON (${whole.message})` };
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A deep copy of plain JSON data, refusing keys that could tamper with objects. Model output
 * goes through this before it reaches the document.
 */
export function plainJson(value: unknown, path: (string | number)[] = []): { ok: true; value: unknown } | { ok: false; message: string } {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return { ok: true, value };
	if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `${path.join('.') || 'the value'} is not a finite number` };
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (let i = 0; i < value.length; i++) {
			const r = plainJson(value[i], [...path, i]);
			if (!r.ok) return r;
			out.push(r.value);
		}
		return { ok: true, value: out };
	}
	if (typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(value as object)) {
			if (FORBIDDEN.has(k)) return { ok: false, message: `the key "${k}" at ${path.join('.') || 'the top'} is not allowed` };
			const r = plainJson((value as Record<string, unknown>)[k], [...path, k]);
			if (!r.ok) return r;
			Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
		}
		return { ok: true, value: out };
	}
	return { ok: false, message: `${path.join('.') || 'the value'} is not JSON data` };
}
