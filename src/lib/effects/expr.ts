/**
 * Expressions and `{{ }}` templates for effects, on top of `$lib/expr` (JSONata 1.8.7,
 * compiled once, closure fast path). This adapter turns failures into EffectErrors
 * (code `expression`) and returns plain arrays (JSONata flags result sequences).
 */
import { ExprError, compileExpr as compile, compileTemplate as compileTpl, type ExprInput } from '../expr';
import { EffectError } from './errors';

export type ExprData = { context: unknown; event: unknown; results?: unknown; [name: string]: unknown };
export type CompiledExpr = (data: ExprData) => unknown;
export type CompiledTemplate = (data: ExprData) => unknown;

const exprCache = new Map<string, CompiledExpr>();

function normalize(v: unknown): unknown {
	return Array.isArray(v) ? v.map(normalize) : v;
}

function rethrow(e: unknown): never {
	if (e instanceof ExprError) throw new EffectError('expression', e.message, { cause: e });
	throw e;
}

/** Compiles a JSONata expression evaluated against `{ context, event, results, … }`. */
export function compileExpr(src: string): CompiledExpr {
	let f = exprCache.get(src);
	if (f) return f;
	const c = compile(src);
	if (!c.ok) {
		const message = c.message;
		f = () => {
			throw new EffectError('expression', message);
		};
	} else {
		const evaluate = c.evaluate;
		f = (data) => {
			let v: unknown;
			try {
				v = evaluate(data as unknown as ExprInput);
			} catch (e) {
				rethrow(e);
			}
			return Array.isArray(v) ? normalize(v) : v;
		};
	}
	exprCache.set(src, f);
	return f;
}

/** Evaluates an expression once (compiled and cached). */
export function evaluate(src: string, data: ExprData): unknown {
	return compileExpr(src)(data);
}

const templateCache = new Map<string, { value: CompiledTemplate; render: (d: ExprData) => string }>();

function template(src: string) {
	let t = templateCache.get(src);
	if (t) return t;
	const c = compileTpl(src);
	if (!c.ok) {
		const message = c.message;
		const fail = (): never => {
			throw new EffectError('expression', message);
		};
		t = { value: fail, render: fail };
	} else {
		t = {
			value: (d) => {
				try {
					const v = c.value(d as unknown as ExprInput);
					return Array.isArray(v) ? normalize(v) : v;
				} catch (e) {
					return rethrow(e);
				}
			},
			render: (d) => {
				try {
					return c.render(d as unknown as ExprInput);
				} catch (e) {
					return rethrow(e);
				}
			}
		};
	}
	templateCache.set(src, t);
	return t;
}

/**
 * Compiles a `{{ expr }}` template. A string that is exactly one `{{ expr }}` yields the raw
 * value (a number stays a number, an object an object); otherwise the text.
 */
export function compileTemplate(src: string): CompiledTemplate {
	return template(src).value;
}

/** Resolves a template to text (for URLs, headers, messages). */
export function templateText(src: string, data: ExprData): string {
	return src.includes('{{') ? template(src).render(data) : src;
}

/** Resolves templates in every string of a JSON value (deeply), leaving other values as they are. */
export function resolveTemplates(v: unknown, data: ExprData): unknown {
	if (typeof v === 'string') return v.includes('{{') ? template(v).value(data) : v;
	if (Array.isArray(v)) return v.map((x) => resolveTemplates(x, data));
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = resolveTemplates(x, data);
		return out;
	}
	return v;
}
