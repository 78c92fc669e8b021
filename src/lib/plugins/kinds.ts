/**
 * Effect kinds declared as data: an HTTP call template, a JSON Schema for the parameters and a
 * JSONata mapping of the response. A declared kind appears in the node library and the
 * assistant's catalogue like a built-in; running it validates the parameters, fills the
 * request's `{{ }}` templates from `{ params, context, event }`, sends it with fetch and maps
 * the answer. No code a user wrote is ever executed: templates and the mapping are JSONata.
 */
import { Validator } from '@cfworker/json-schema';
import { z } from 'zod';
import { effectKinds } from '../effects/kinds';
import { EffectError, cancelledError } from '../effects/errors';
import { evaluate, resolveTemplates, templateText } from '../effects/expr';
import { expressionError } from '../model';
import type { EffectContext, EffectHandler } from '../effects/types';
import type { KindInfo } from '../assistant/catalogue';

export const KIND_FORMAT = 'fsm-studio/effect-kind';

const TYPE = /^[a-z][a-z0-9_]{1,47}$/;

const DeclaredKindSchema = z.object({
	format: z.literal(KIND_FORMAT),
	version: z.literal(1),
	type: z
		.string()
		.regex(TYPE, 'A kind name is lower-case letters, digits and _ (2–48, starting with a letter), e.g. "weather_lookup"')
		.refine((t) => !(t in effectKinds), { message: 'That name is a built-in effect kind; choose another' }),
	label: z.string().min(1).max(80),
	description: z.string().max(400).default(''),
	kindVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default('1.0.0'),
	/** JSON Schema of the parameters (an object schema). */
	params: z
		.object({ type: z.literal('object'), properties: z.record(z.string(), z.record(z.string(), z.unknown())).default({}), required: z.array(z.string()).optional() })
		.loose(),
	request: z.object({
		method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
		url: z.string().min(1),
		headers: z.record(z.string(), z.string()).default({}),
		body: z.unknown().optional(),
		timeoutMs: z.number().positive().max(600_000).default(15_000),
		responseType: z.enum(['auto', 'json', 'text']).default('auto')
	}),
	/** JSONata over `{ status, headers, body, params, context, event }` giving the result (default: the body). */
	result: z.string().optional()
});

export type DeclaredKind = z.output<typeof DeclaredKindSchema>;
export type ReadKind = { ok: true; kind: DeclaredKind } | { ok: false; errors: string[] };

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;

function templateProblems(where: string, v: unknown, out: string[]) {
	if (typeof v === 'string') {
		for (const m of v.matchAll(TEMPLATE)) {
			const e = expressionError(m[1]);
			if (e) out.push(`${where}: the template {{${m[1]}}} does not parse: ${e}`);
		}
	} else if (Array.isArray(v)) v.forEach((x, i) => templateProblems(`${where}[${i}]`, x, out));
	else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) templateProblems(`${where}.${k}`, x, out);
}

/** Reads and checks a declared kind: shape, parameter schema, templates and the result mapping. */
export function readDeclaredKind(input: unknown): ReadKind {
	const r = DeclaredKindSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'kind'}: ${i.message}`) };
	const k = r.data;
	const errors: string[] = [];
	try {
		new Validator(k.params as never, '2020-12');
	} catch (e) {
		errors.push(`params: not a usable JSON Schema (${(e as Error).message})`);
	}
	templateProblems('request.url', k.request.url, errors);
	templateProblems('request.headers', k.request.headers, errors);
	templateProblems('request.body', k.request.body, errors);
	if (k.result !== undefined) {
		const e = expressionError(k.result);
		if (e) errors.push(`result: the mapping does not parse: ${e}`);
	}
	const probe = k.request.url.replace(TEMPLATE, 'x');
	if (!/^https?:\/\//i.test(probe)) errors.push('request.url: must start with http:// or https://');
	return errors.length ? { ok: false, errors } : { ok: true, kind: k };
}

/** Fills the defaults the parameter schema gives. */
function withDefaults(k: DeclaredKind, params: Record<string, unknown>): Record<string, unknown> {
	const out = { ...params };
	for (const [name, s] of Object.entries(k.params.properties ?? {})) if (out[name] === undefined && s.default !== undefined) out[name] = structuredClone(s.default);
	return out;
}

const validators = new WeakMap<DeclaredKind, Validator>();

/** Why the parameters do not fit the kind's schema (field path → message); empty when they do. */
export function paramsProblems(k: DeclaredKind, params: Record<string, unknown>): { path: string; message: string }[] {
	let v = validators.get(k);
	if (!v) validators.set(k, (v = new Validator(k.params as never, '2020-12', false)));
	const { type: _t, id: _i, description: _d, assignTo: _a, ...own } = withDefaults(k, params);
	void _t;
	void _i;
	void _d;
	void _a;
	const r = v.validate(own);
	if (r.valid) return [];
	// the innermost messages say what is wrong; the outer ones only that something is
	const seen = new Set<string>();
	const out: { path: string; message: string }[] = [];
	for (const e of r.errors) {
		if (e.keyword === 'properties' || e.keyword === '$ref' || e.keyword === 'allOf') continue;
		const path = e.instanceLocation.replace(/^#\/?/, '').replace(/\//g, '.');
		const key = `${path}|${e.error}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({ path, message: e.error });
	}
	return out;
}

/** The kind as the assistant's catalogue and the designer's forms see it. */
export function kindInfo(k: DeclaredKind): KindInfo {
	return {
		type: k.type,
		label: k.label,
		description: k.description || `Calls ${k.request.method} ${k.request.url.replace(TEMPLATE, '…')}`,
		category: 'io',
		schema: { ...k.params, type: 'object', properties: { type: { const: k.type }, ...(k.params.properties ?? {}), timeoutMs: { type: 'number', description: 'Abort the request after this many milliseconds' } }, required: ['type', ...(k.params.required ?? [])] },
		validate: (effect) => paramsProblems(k, effect)
	};
}

async function readBody(res: Response, type: DeclaredKind['request']['responseType']): Promise<unknown> {
	const text = await res.text();
	const ct = res.headers.get('content-type') ?? '';
	if (type === 'text') return text;
	if (type === 'json' || (type === 'auto' && /json/i.test(ct))) {
		if (!text) return null;
		try {
			return JSON.parse(text);
		} catch {
			throw new EffectError('failed', `The answer is not JSON: ${text.slice(0, 120)}`);
		}
	}
	return text;
}

/** Runs one call of a declared kind. */
export async function runDeclaredKind(k: DeclaredKind, raw: Record<string, unknown>, ctx: Pick<EffectContext, 'signal' | 'clock' | 'context' | 'event'>): Promise<unknown> {
	const problems = paramsProblems(k, raw);
	if (problems.length) throw new EffectError('invalid_params', `${k.label}: ${problems.map((p) => (p.path ? `${p.path} — ${p.message}` : p.message)).join('; ')}`);
	const params = withDefaults(k, raw);
	const data = { params, context: ctx.context, event: ctx.event };
	const url = templateText(k.request.url, data);
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		throw new EffectError('invalid_params', `${k.label}: "${url}" is not a valid address`);
	}
	if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new EffectError('invalid_params', `${k.label}: only http and https addresses can be called`);
	const headers: Record<string, string> = {};
	for (const [h, v] of Object.entries(k.request.headers)) headers[h] = templateText(v, data);
	let body: string | undefined;
	if (k.request.body !== undefined && k.request.method !== 'GET') {
		const b = resolveTemplates(k.request.body, data);
		if (typeof b === 'string') body = b;
		else {
			body = JSON.stringify(b);
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
		}
	}
	if (ctx.signal.aborted) throw cancelledError(ctx.signal.reason);
	const controller = new AbortController();
	const onAbort = () => controller.abort(ctx.signal.reason);
	ctx.signal.addEventListener('abort', onAbort, { once: true });
	const limit = typeof params.timeoutMs === 'number' ? params.timeoutMs : k.request.timeoutMs;
	let timedOut = false;
	const timer = ctx.clock.setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, limit);
	try {
		let res: Response;
		try {
			res = await fetch(target, { method: k.request.method, headers, ...(body !== undefined ? { body } : {}), signal: controller.signal });
		} catch (e) {
			if (ctx.signal.aborted) throw cancelledError(ctx.signal.reason);
			if (timedOut) throw new EffectError('timeout', `${k.label}: no answer from ${target.host} within ${limit} ms`);
			throw new EffectError('network', `${k.label}: ${target.host} could not be reached (${(e as Error).message})`);
		}
		const answer = await readBody(res, k.request.responseType);
		if (!res.ok) throw new EffectError('http_status', `${k.label}: ${target.host} answered ${res.status}${typeof answer === 'string' && answer ? ` — ${answer.slice(0, 120)}` : ''}`, { status: res.status, data: answer });
		if (!k.result) return answer;
		const hdrs: Record<string, string> = {};
		res.headers.forEach((v, h) => (hdrs[h] = v));
		try {
			return evaluate(k.result, { status: res.status, headers: hdrs, body: answer, params, context: ctx.context, event: ctx.event });
		} catch (e) {
			throw new EffectError('failed', `${k.label}: the result mapping failed: ${(e as Error).message}`);
		}
	} finally {
		ctx.clock.clearTimeout(timer);
		ctx.signal.removeEventListener('abort', onAbort);
	}
}

/** Effect handlers for declared kinds, by type. */
export function declaredHandlers(kinds: Iterable<DeclaredKind>): Record<string, EffectHandler<never>> {
	const out: Record<string, EffectHandler<never>> = {};
	for (const k of kinds) out[k.type] = ((params: Record<string, unknown>, ctx: EffectContext) => runDeclaredKind(k, params, ctx)) as EffectHandler<never>;
	return out;
}

/** An example kind, offered when a user declares their first one. */
export const EXAMPLE_KIND = {
	format: KIND_FORMAT,
	version: 1,
	type: 'weather_lookup',
	label: 'Weather lookup',
	description: 'Current temperature for a city (Open-Meteo style API).',
	params: {
		type: 'object',
		properties: {
			city: { type: 'string', minLength: 1, description: 'City name, e.g. Berlin' },
			units: { type: 'string', enum: ['celsius', 'fahrenheit'], default: 'celsius' }
		},
		required: ['city']
	},
	request: { method: 'GET', url: 'https://weather.example.com/v1/current?city={{ $encodeUrlComponent(params.city) }}&units={{ params.units }}', headers: { accept: 'application/json' }, timeoutMs: 10000 },
	result: '{ "city": params.city, "temperature": body.current.temperature, "units": params.units }'
};
