/**
 * Local adapter for expressions (JSONata 1.8.7, synchronous) until `$lib/expr` lands:
 * compiled once per expression text, with a closure fast path for plain paths, literals
 * and `path <op> number`, which is what most assigns are (`context.count + 1`).
 */
import jsonata from 'jsonata';
import { EffectError } from './errors';

export type ExprData = { context: unknown; event: unknown; results?: unknown; [name: string]: unknown };
export type CompiledExpr = (data: ExprData) => unknown;

const cache = new Map<string, CompiledExpr>();
const IDENT = /^[A-Za-z_][\w]*$/;
const PATH = /^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*$/;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ARITH = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*([-+*/])\s*(-?(?:0|[1-9]\d*)(?:\.\d+)?)$/;
const RESERVED = new Set(['and', 'or', 'in', 'true', 'false', 'null']);

/** Compiles a JSONata expression evaluated against `{ context, event, results, … }`. */
export function compileExpr(src: string): CompiledExpr {
	let f = cache.get(src);
	if (!f) {
		f = fastPath(src.trim()) ?? viaJsonata(src);
		cache.set(src, f);
	}
	return f;
}

/** Evaluates an expression once (compiled and cached). */
export function evaluate(src: string, data: ExprData): unknown {
	return compileExpr(src)(data);
}

function viaJsonata(src: string): CompiledExpr {
	let compiled: ReturnType<typeof jsonata>;
	try {
		compiled = jsonata(src);
	} catch (e) {
		const err = (e as Error).message ?? String(e);
		return () => {
			throw new EffectError('expression', `Expression "${src}" does not parse: ${err}`);
		};
	}
	return (data) => {
		try {
			return normalize(compiled.evaluate(data));
		} catch (e) {
			throw new EffectError('expression', `Expression "${src}" failed: ${(e as Error).message ?? String(e)}`);
		}
	};
}

/** JSONata marks result sequences with an enumerable `sequence` flag; return plain arrays. */
function normalize(v: unknown): unknown {
	if (Array.isArray(v)) return v.map(normalize);
	return v;
}

function fastPath(src: string): CompiledExpr | undefined {
	if (src === 'true') return () => true;
	if (src === 'false') return () => false;
	if (src === 'null') return () => null;
	if (NUMBER.test(src)) {
		const n = Number(src);
		return () => n;
	}
	if (/^"[^"\\]*"$/.test(src) || /^'[^'\\]*'$/.test(src)) {
		const s = src.slice(1, -1);
		return () => s;
	}
	if (PATH.test(src)) return pathGetter(src, src);
	const m = ARITH.exec(src);
	if (m && !m[1].split('.').some((p) => RESERVED.has(p))) {
		const get = pathGetter(m[1], src);
		if (!get) return undefined;
		const n = Number(m[3]);
		const slow = viaJsonata(src);
		const op = m[2];
		return (data) => {
			const v = get(data);
			if (v === undefined) return undefined;
			if (typeof v !== 'number') return slow(data); // JSONata's own error message
			const r = op === '+' ? v + n : op === '-' ? v - n : op === '*' ? v * n : v / n;
			return Number.isFinite(r) ? r : slow(data);
		};
	}
	return undefined;
}

/** A dotted path over plain objects; falls back to JSONata where arrays make paths map. */
function pathGetter(path: string, src: string): CompiledExpr | undefined {
	const parts = path.split('.');
	if (parts.some((p) => RESERVED.has(p) || !IDENT.test(p))) return undefined;
	const slow = viaJsonata(src);
	const [head, ...rest] = parts;
	return (data) => {
		let v: unknown = (data as Record<string, unknown>)[head];
		for (let i = 0; i < rest.length; i++) {
			if (v === null || v === undefined) return undefined;
			if (typeof v !== 'object' || Array.isArray(v)) return slow(data);
			v = (v as Record<string, unknown>)[rest[i]];
		}
		if (Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null)) return slow(data);
		return v;
	};
}

export type CompiledTemplate = (data: ExprData) => unknown;
const templateCache = new Map<string, CompiledTemplate>();
const TEMPLATE = /\{\{([\s\S]+?)\}\}/g;

/**
 * Compiles a `{{ expr }}` template. A string that is exactly one `{{ expr }}` yields the raw
 * value (a number stays a number, an object an object); otherwise the parts are joined as
 * text (objects as JSON, undefined as empty).
 */
export function compileTemplate(src: string): CompiledTemplate {
	let t = templateCache.get(src);
	if (t) return t;
	if (!src.includes('{{')) {
		t = () => src;
	} else {
		const whole = /^\{\{([\s\S]+?)\}\}$/.exec(src);
		if (whole && !whole[1].includes('}}')) {
			t = compileExpr(whole[1].trim());
		} else {
			const parts: (string | CompiledExpr)[] = [];
			let last = 0;
			for (const m of src.matchAll(TEMPLATE)) {
				if (m.index! > last) parts.push(src.slice(last, m.index));
				parts.push(compileExpr(m[1].trim()));
				last = m.index! + m[0].length;
			}
			if (last < src.length) parts.push(src.slice(last));
			t = (data) => {
				let out = '';
				for (const p of parts) out += typeof p === 'string' ? p : toText(p(data));
				return out;
			};
		}
	}
	templateCache.set(src, t);
	return t;
}

function toText(v: unknown): string {
	if (v === undefined || v === null) return '';
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

/** Whether a value holds any `{{ }}` template (deeply). */
export function hasTemplates(v: unknown): boolean {
	if (typeof v === 'string') return v.includes('{{');
	if (Array.isArray(v)) return v.some(hasTemplates);
	if (v && typeof v === 'object') return Object.values(v).some(hasTemplates);
	return false;
}

/** Resolves templates in every string of a JSON value (deeply), leaving other values as they are. */
export function resolveTemplates(v: unknown, data: ExprData): unknown {
	if (typeof v === 'string') return v.includes('{{') ? compileTemplate(v)(data) : v;
	if (Array.isArray(v)) return v.map((x) => resolveTemplates(x, data));
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) out[k] = resolveTemplates(x, data);
		return out;
	}
	return v;
}

/** Resolves a template to text (for URLs, headers, messages). */
export function templateText(src: string, data: ExprData): string {
	return toText(compileTemplate(src)(data));
}
