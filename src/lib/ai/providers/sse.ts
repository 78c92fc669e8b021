/**
 * Server-sent events over fetch: the response body is decoded as a UTF-8 stream (a
 * character split across network chunks comes out whole) and cut into events by
 * `eventsource-parser` (an event is dispatched only when its blank line arrives, so a JSON
 * payload split across chunks is whole too). Comment lines (`: OPENROUTER PROCESSING`) are
 * dropped by the parser.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ProviderError, httpError, redactSecrets } from '../errors';

export type { EventSourceMessage };

/** Events of a response body, in order; cancels the body (closing the connection) when the consumer stops early. */
export async function* sseEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<EventSourceMessage> {
	const queue: EventSourceMessage[] = [];
	const parser = createParser({ onEvent: (e) => queue.push(e) });
	const decoder = new TextDecoder('utf-8');
	const reader = body.getReader();
	let done = false;
	try {
		while (!done) {
			if (signal?.aborted) throw signal.reason;
			const r = await reader.read();
			if (r.done) {
				done = true;
				const tail = decoder.decode();
				if (tail) parser.feed(tail);
				// A last event without its blank line still counts (some servers end that way).
				parser.feed('\n\n');
			} else parser.feed(decoder.decode(r.value, { stream: true }));
			while (queue.length) yield queue.shift()!;
		}
	} finally {
		if (!done) await reader.cancel().catch(() => {});
		reader.releaseLock();
	}
}

/** Where a request goes and what it carries; the key only in headers. */
export interface HttpCall {
	provider: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
	secrets: readonly (string | undefined)[];
	signal?: AbortSignal;
}

/**
 * POSTs a JSON request and returns the streaming response, or throws a ProviderError
 * (HTTP status, network/CORS failure). Throws the signal's reason when aborted.
 */
export async function postForStream(call: HttpCall): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(call.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...call.headers },
			body: JSON.stringify(call.body),
			signal: call.signal
		});
	} catch (e) {
		if (call.signal?.aborted) throw call.signal.reason;
		throw networkError(call.provider, call.url, e);
	}
	if (!res.ok) {
		const text = await res.text().catch(() => '');
		throw httpError(call.provider, res, text, call.secrets);
	}
	if (!res.body) throw new ProviderError('invalid_response', `${call.provider} sent an empty response`);
	return res;
}

/** GETs JSON (model lists, connection tests). */
export async function getJson(call: Omit<HttpCall, 'body'>): Promise<unknown> {
	let res: Response;
	try {
		res = await fetch(call.url, { headers: call.headers, signal: call.signal });
	} catch (e) {
		if (call.signal?.aborted) throw call.signal.reason;
		throw networkError(call.provider, call.url, e);
	}
	const text = await res.text().catch(() => '');
	if (!res.ok) throw httpError(call.provider, res, text, call.secrets);
	try {
		return JSON.parse(text);
	} catch {
		throw new ProviderError('invalid_response', `${call.provider} did not answer JSON at ${safeUrl(call.url)}`, { status: res.status });
	}
}

export function networkError(provider: string, url: string, e: unknown): ProviderError {
	const detail = e instanceof Error ? e.message : String(e);
	return new ProviderError('network', `Could not reach ${provider} at ${safeUrl(url)} (${redactSecrets(detail)})`, { cause: e });
}

/** A URL without its query (Gemini's old `?key=` style must never be shown). */
export function safeUrl(url: string): string {
	try {
		const u = new URL(url);
		return u.origin + u.pathname;
	} catch {
		return url.split('?')[0];
	}
}

/** Joins a base URL and a path with exactly one slash. */
export function joinUrl(base: string, path: string): string {
	return base.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '');
}

/** Parses one JSON payload; a malformed one becomes an `invalid_response` error. */
export function parseJson(provider: string, data: string): Record<string, unknown> {
	try {
		const v = JSON.parse(data);
		if (v && typeof v === 'object') return v as Record<string, unknown>;
	} catch {
		/* fall through */
	}
	throw new ProviderError('invalid_response', `${provider} sent something that is not JSON in its stream: ${data.slice(0, 80)}`);
}

/** Parses tool-call arguments; models sometimes send nothing for "no arguments". */
export function parseArguments(provider: string, name: string, text: string): Record<string, unknown> {
	if (!text.trim()) return {};
	try {
		const v = JSON.parse(text);
		if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
	} catch {
		/* fall through */
	}
	throw new ProviderError('invalid_response', `${provider} sent arguments for tool "${name}" that are not a JSON object: ${text.slice(0, 80)}`);
}
