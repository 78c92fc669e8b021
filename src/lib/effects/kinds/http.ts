import { z } from 'zod';
import { EffectError, cancelledError } from '../errors';
import { evaluate, resolveTemplates, templateText } from '../expr';
import { base, defineKind } from './common';

const schema = z.object({
	type: z.literal('http'),
	...base,
	method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET').describe('HTTP method'),
	url: z.string().min(1).describe('Address; {{ expr }} inserts values, e.g. "https://api.example.com/items/{{ event.id }}"'),
	headers: z.record(z.string(), z.string()).default({}).describe('Request headers (values may hold {{ }} templates)'),
	body: z.unknown().optional().describe('Request body: an object is sent as JSON, a string as text; {{ }} templates are resolved'),
	responseType: z.enum(['auto', 'json', 'text']).default('auto').describe('How to read the response: by its Content-Type, as JSON or as text'),
	resultPath: z
		.string()
		.optional()
		.describe('JSONata over { status, headers, body, context, event } choosing the result (default: the body)'),
	acceptStatus: z.array(z.number().int()).default([]).describe('Non-2xx statuses that count as success (e.g. [404])'),
	timeoutMs: z.number().positive().optional().describe('Abort the request after this many milliseconds')
});

type Params = z.output<typeof schema>;

/** Sends an HTTP request with fetch; non-2xx responses fail unless accepted. */
export const http = defineKind({
	schema,
	category: 'io',
	label: 'HTTP request',
	description: 'Call an HTTP API and map the response into the context',
	resolveParams: false,
	run(p, ctx) {
		const data = ctx.data();
		const url = templateText(p.url, data);
		let target: URL;
		try {
			target = new URL(url, (globalThis as { location?: { href: string } }).location?.href);
		} catch {
			throw new EffectError('invalid_params', `http: "${url}" is not a valid URL`);
		}
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(p.headers)) headers[k] = templateText(v, data);
		let body: string | undefined;
		if (p.body !== undefined && p.method !== 'GET' && p.method !== 'HEAD') {
			const b = resolveTemplates(p.body, data);
			if (typeof b === 'string') body = b;
			else {
				body = JSON.stringify(b);
				if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
			}
		}
		return request(p, target, headers, body, ctx.signal, ctx.clock, data as { context: unknown; event: unknown });
	}
});

async function request(
	p: Params,
	target: URL,
	headers: Record<string, string>,
	body: string | undefined,
	outer: AbortSignal,
	clock: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void },
	data: { context: unknown; event: unknown }
): Promise<unknown> {
	const what = `${p.method} ${target.href}`;
	// One controller per request: aborted by the effect's signal or by timeoutMs.
	const controller = new AbortController();
	let timedOut = false;
	const onAbort = () => controller.abort(outer.reason);
	if (outer.aborted) throw cancelledError(outer.reason);
	outer.addEventListener('abort', onAbort, { once: true });
	const timer =
		p.timeoutMs !== undefined
			? clock.setTimeout(() => {
					timedOut = true;
					controller.abort(new EffectError('timeout', `HTTP ${what} timed out after ${p.timeoutMs} ms`));
				}, p.timeoutMs)
			: undefined;
	try {
		let res: Response;
		try {
			res = await fetch(target, { method: p.method, headers, body, signal: controller.signal });
		} catch (e) {
			throw failure(e);
		}
		let text: string;
		try {
			text = await res.text();
		} catch (e) {
			throw failure(e);
		}
		const type = res.headers.get('content-type') ?? '';
		let parsed: unknown = text;
		if (p.responseType === 'json' || (p.responseType === 'auto' && /\bjson\b/i.test(type))) {
			try {
				parsed = text === '' ? null : JSON.parse(text);
			} catch {
				if (p.responseType === 'json') throw new EffectError('failed', `HTTP ${what} did not return JSON: ${text.slice(0, 120)}`, { status: res.status });
			}
		}
		if (!res.ok && !p.acceptStatus.includes(res.status))
			throw new EffectError('http_status', `HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''} from ${what}`, {
				status: res.status,
				data: { body: parsed }
			});
		if (p.resultPath === undefined) return parsed;
		const response = { status: res.status, headers: Object.fromEntries(res.headers), body: parsed, context: data.context, event: data.event };
		return evaluate(p.resultPath, response);
	} finally {
		if (timer !== undefined) clock.clearTimeout(timer);
		outer.removeEventListener('abort', onAbort);
	}

	function failure(e: unknown): EffectError {
		if (timedOut) return new EffectError('timeout', `HTTP ${what} timed out after ${p.timeoutMs} ms`, { cause: e });
		if (outer.aborted) return cancelledError(outer.reason);
		if (e instanceof EffectError) return e;
		if (e instanceof TypeError)
			return new EffectError(
				'network',
				`The request to ${target.origin} was blocked or failed (CORS or network). If the server is yours, allow this origin with Access-Control-Allow-Origin; otherwise call it through a proxy you control, and check that the address is reachable.`,
				{ cause: e }
			);
		return new EffectError('network', `HTTP ${what} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e });
	}
}
