/**
 * The expression language: JSONata 1.8 (synchronous), compiled once per workflow load.
 * Expressions are evaluated against the input `{ context, event, results }`; trivial
 * ones run through closures built from jsonata's AST (see fast.ts), never `eval`.
 */
import jsonata from 'jsonata';
import { BAIL, compileFast, type FastFn } from './fast';

/**
 * Where `$now()` and `$millis()` read the time: put `{ time() }` under this key of the input
 * (a symbol, so expressions cannot see it). The engine passes the time of the input being
 * processed, which makes these functions deterministic under replay. Without it they read
 * the wall clock, as in plain jsonata.
 */
export const TIME_SOURCE: unique symbol = Symbol('fsm-studio.time');

/** What an expression sees: `context.x`, `event.type`, `results.<effectId>`. */
export interface ExprInput {
	context: Record<string, unknown>;
	event: { type: string; [k: string]: unknown };
	results?: Record<string, unknown>;
	[TIME_SOURCE]?: { time(): number };
}

/** Time for `$now()`/`$millis()` during one evaluation (undefined: wall clock). */
let evalTime: number | undefined;
let fromMillis: ((millis: number, picture?: string, timezone?: string) => string) | undefined;

/** Rebind `$now` and `$millis` of one compiled expression to the time source. */
function bindTime(expr: jsonata.Expression): void {
	fromMillis ??= (jsonata('$fromMillis').evaluate({}) as { implementation: (m: number, p?: string, z?: string) => string }).implementation;
	const fm = fromMillis;
	expr.registerFunction('now', (picture?: string, timezone?: string) => fm(evalTime ?? Date.now(), picture, timezone), '<s?s?:s>');
	expr.registerFunction('millis', () => evalTime ?? Date.now(), '<:n>');
}

/** Thrown by `evaluate` when an expression fails at run time; the message names the expression. */
export class ExprError extends Error {
	constructor(
		message: string,
		readonly source: string,
		readonly code?: string,
		readonly position?: number
	) {
		super(message);
		this.name = 'ExprError';
	}
}

export interface CompiledExpr {
	ok: true;
	source: string;
	/** True when the expression runs through a closure instead of jsonata (when values allow). */
	fast: boolean;
	evaluate(input: ExprInput): unknown;
}

export interface CompileFailure {
	ok: false;
	source: string;
	message: string;
	position?: number;
}

export interface CompileOptions {
	/** Turn the closure fast path off (benchmarks, tests comparing both paths). */
	fastPath?: boolean;
}

interface JsonataError {
	code?: string;
	message?: string;
	position?: number;
	token?: string;
}

function describe(err: unknown): JsonataError {
	if (err && typeof err === 'object') return err as JsonataError;
	return { message: String(err) };
}

const cache = new Map<string, CompiledExpr | CompileFailure>();
const CACHE_LIMIT = 5000;

/** Compile a JSONata expression once; `evaluate` throws `ExprError` naming the expression. */
export function compileExpr(source: string, options: CompileOptions = {}): CompiledExpr | CompileFailure {
	const useFast = options.fastPath !== false;
	const key = useFast ? source : '\u0000' + source;
	const hit = cache.get(key);
	if (hit) return hit;
	const result = compileUncached(source, useFast);
	if (cache.size >= CACHE_LIMIT) cache.clear();
	cache.set(key, result);
	return result;
}

function compileUncached(source: string, useFast: boolean): CompiledExpr | CompileFailure {
	if (typeof source !== 'string' || source.trim() === '') {
		return { ok: false, source: String(source), message: `Expression "${String(source)}" is empty` };
	}
	let expr: jsonata.Expression;
	try {
		expr = jsonata(source);
	} catch (err) {
		const e = describe(err);
		return {
			ok: false,
			source,
			position: e.position,
			message: `Expression "${source}" does not parse: ${e.message ?? 'syntax error'}${e.position !== undefined ? ` (at ${e.position})` : ''}`
		};
	}
	const usesTime = /\$(now|millis)\b/.test(source);
	if (usesTime) bindTime(expr);
	const slow = (input: ExprInput): unknown => {
		if (usesTime) evalTime = input[TIME_SOURCE]?.time();
		try {
			return expr.evaluate(input);
		} catch (err) {
			const e = describe(err);
			throw new ExprError(
				`Expression "${source}" failed: ${e.message ?? 'evaluation error'}${e.code ? ` (${e.code})` : ''}`,
				source,
				e.code,
				e.position
			);
		} finally {
			if (usesTime) evalTime = undefined;
		}
	};
	const fast: FastFn | null = useFast ? compileFast(expr.ast()) : null;
	if (!fast) return { ok: true, source, fast: false, evaluate: slow };
	return {
		ok: true,
		source,
		fast: true,
		evaluate(input: ExprInput): unknown {
			const v = fast(input);
			return v === BAIL ? slow(input) : v;
		}
	};
}

/** JSONata's effective boolean value (`$boolean`), with undefined → false: what a guard means by "truthy". */
export function truthy(v: unknown): boolean {
	if (v === undefined || v === null) return false;
	switch (typeof v) {
		case 'boolean':
			return v;
		case 'string':
			return v.length > 0;
		case 'number':
			return v !== 0 && !Number.isNaN(v);
		case 'function':
			return false;
		case 'object':
			if (Array.isArray(v)) return v.some(truthy);
			return Object.keys(v).length > 0;
		default:
			return false;
	}
}

/** A `{{ expr }}` template, compiled once. */
export interface CompiledTemplate {
	ok: true;
	source: string;
	/** True when the source has no `{{ }}` at all. */
	constant: boolean;
	/** Renders to a string (undefined → '', strings as is, other values as JSON). */
	render(input: ExprInput): string;
	/** A template that is exactly one `{{ expr }}` returns the raw value; otherwise the rendered string. */
	value(input: ExprInput): unknown;
}

export interface TemplateFailure {
	ok: false;
	source: string;
	message: string;
}

/** Render a value into template text. */
export function stringify(v: unknown): string {
	if (v === undefined) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : String(v);
	try {
		return JSON.stringify(v) ?? '';
	} catch {
		return String(v);
	}
}

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;

/** Compile a string with `{{ expr }}` placeholders (JSONata inside). */
export function compileTemplate(source: string, options: CompileOptions = {}): CompiledTemplate | TemplateFailure {
	if (typeof source !== 'string') return { ok: false, source: String(source), message: 'Template must be a string' };
	const texts: string[] = [];
	const exprs: CompiledExpr[] = [];
	let last = 0;
	for (const m of source.matchAll(TEMPLATE)) {
		const inner = m[1].trim();
		const c = compileExpr(inner, options);
		if (!c.ok) return { ok: false, source, message: `Template "${source}": ${c.message}` };
		texts.push(source.slice(last, m.index));
		exprs.push(c);
		last = (m.index ?? 0) + m[0].length;
	}
	const tail = source.slice(last);
	if (exprs.length === 0) {
		return { ok: true, source, constant: true, render: () => source, value: () => source };
	}
	const render = (input: ExprInput): string => {
		let out = '';
		for (let i = 0; i < exprs.length; i++) out += texts[i] + stringify(exprs[i].evaluate(input));
		return out + tail;
	};
	const whole = exprs.length === 1 && texts[0] === '' && tail === '';
	return {
		ok: true,
		source,
		constant: false,
		render,
		value: whole ? (input) => exprs[0].evaluate(input) : render
	};
}

export { BAIL, compileFast } from './fast';
