/**
 * Defences against hostile or accidental input before any schema sees it: size limits,
 * nesting depth, keys that could reach `Object.prototype`, and values that are not JSON.
 * The output is a fresh copy made only of plain objects, arrays and JSON primitives.
 */
import type { ParseError } from './types';
import { formatPath } from './tree';

export interface Limits {
	/** Longest JSON text accepted, in characters. */
	maxTextChars: number;
	/** Largest document, estimated as its compact JSON size in characters. */
	maxDocumentChars: number;
	/** Longest single text value, in characters. */
	maxStringChars: number;
	/** Deepest nesting of objects and arrays. */
	maxDepth: number;
	/** Most states (at all levels). */
	maxStates: number;
}

export const DEFAULT_LIMITS: Limits = {
	maxTextChars: 10 * 1024 * 1024,
	maxDocumentChars: 5 * 1024 * 1024,
	maxStringChars: 1024 * 1024,
	maxDepth: 64,
	maxStates: 10_000
};

/** Keys that could reach or replace an object's prototype if copied carelessly. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function size(chars: number): string {
	if (chars >= 1024 * 1024) return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
	if (chars >= 1024) return `${(chars / 1024).toFixed(1)} kB`;
	return `${chars} characters`;
}

function err(path: (string | number)[], sentence: string): ParseError {
	return { path, message: `${formatPath(path)}: ${sentence}` };
}

/** Rejects a JSON text that is too long to be worth parsing. */
export function checkTextSize(text: string, limits: Limits): ParseError | undefined {
	if (text.length > limits.maxTextChars) {
		return err([], `the file is ${size(text.length)} (${text.length.toLocaleString('en')} characters); the limit is ${size(limits.maxTextChars)}. Is this really a workflow?`);
	}
	return undefined;
}

/** How a value looks to a person: `a number (42)`, `an array`, `the text "abc"`. */
export function describeValue(v: unknown): string {
	if (v === undefined) return 'nothing';
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list (array)';
	switch (typeof v) {
		case 'string': {
			const s = v.length > 40 ? `${v.slice(0, 37)}…` : v;
			return `the text ${JSON.stringify(s)}`;
		}
		case 'number':
			return `the number ${v}`;
		case 'boolean':
			return `the value ${v}`;
		case 'object':
			return 'an object';
		default:
			return `a ${typeof v}`;
	}
}

interface Frame {
	src: Record<string, unknown> | unknown[];
	dst: Record<string, unknown> | unknown[];
	path: (string | number)[];
	depth: number;
}

/**
 * Copies `value` into plain JSON data, refusing prototype keys, non-JSON values, too deep
 * nesting, too long strings and too large documents. Iterative, so no input can overflow
 * the call stack. Stops at the first few problems rather than listing thousands.
 */
export function sanitize(
	value: unknown,
	limits: Limits,
	options: { inPlace?: boolean } = {}
): { ok: true; value: unknown } | { ok: false; errors: ParseError[] } {
	// In place for values fresh from JSON.parse (nobody else holds them): same checks, no copy.
	const inPlace = options.inPlace === true;
	const errors: ParseError[] = [];
	let chars = 0;
	const tooMany = () => errors.length >= 20 || chars > limits.maxDocumentChars;

	const leaf = (v: unknown, path: (string | number)[]): { keep: boolean; value?: unknown } => {
		switch (typeof v) {
			case 'string':
				chars += v.length + 2;
				if (v.length > limits.maxStringChars) {
					errors.push(err(path, `this text is ${size(v.length)} long; a single text value is limited to ${size(limits.maxStringChars)}.`));
				}
				return { keep: true, value: v };
			case 'number':
				chars += 8;
				if (!Number.isFinite(v)) errors.push(err(path, `${v} is not a number JSON can store; use a finite number.`));
				// JSON has no -0; normalising here keeps parse(serialize(w)) equal to w.
				return { keep: true, value: v === 0 ? 0 : v };
			case 'boolean':
				chars += 5;
				return { keep: true, value: v };
			case 'undefined':
				return { keep: false };
			default:
				errors.push(err(path, `${describeValue(v)} is not JSON data (only objects, lists, text, numbers, true/false and null are).`));
				return { keep: false };
		}
	};

	const container = (v: object, path: (string | number)[], depth: number): Record<string, unknown> | unknown[] | undefined => {
		if (depth > limits.maxDepth) {
			errors.push(err(path, `the document is nested more than ${limits.maxDepth} levels deep here; a workflow never needs that many.`));
			return undefined;
		}
		if (Array.isArray(v)) return inPlace ? v : [];
		const proto = Object.getPrototypeOf(v);
		if (proto !== Object.prototype && proto !== null) {
			const name = (proto && typeof proto.constructor === 'function' && proto.constructor.name) || 'object';
			errors.push(err(path, `a ${name} is not plain JSON data.`));
			return undefined;
		}
		return inPlace ? (v as Record<string, unknown>) : {};
	};

	if (value === null) return { ok: true, value: null };
	if (typeof value !== 'object') {
		const l = leaf(value, []);
		return errors.length ? { ok: false, errors } : { ok: true, value: l.value ?? null };
	}
	const rootDst = container(value, [], 1);
	if (!rootDst) return { ok: false, errors };
	chars += 2;
	const stack: Frame[] = [{ src: value as Record<string, unknown>, dst: rootDst, path: [], depth: 1 }];
	while (stack.length && !tooMany()) {
		const { src, dst, path, depth } = stack.pop()!;
		const isArr = Array.isArray(src);
		const keys: string[] | null = isArr ? null : Object.keys(src);
		const count = isArr ? (src as unknown[]).length : keys!.length;
		for (let idx = 0; idx < count; idx++) {
			const k: string | number = isArr ? idx : keys![idx];
			if (!isArr) {
				chars += (k as string).length + 4;
				if (FORBIDDEN_KEYS.has(k as string)) {
					errors.push(err([...path, k], `the key "${k}" is not allowed: it could tamper with JavaScript objects. Rename it.`));
					continue;
				}
			} else chars += 1;
			const v = (src as Record<string | number, unknown>)[k];
			if (v !== null && typeof v === 'object') {
				const childPath = [...path, k];
				const child = container(v, childPath, depth + 1);
				if (!child) continue;
				chars += 2;
				if (!inPlace) {
					if (isArr) (dst as unknown[]).push(child);
					else (dst as Record<string, unknown>)[k as string] = child;
				}
				stack.push({ src: v as Record<string, unknown>, dst: child, path: childPath, depth: depth + 1 });
			} else if (v === null || (typeof v === 'string' && v.length <= limits.maxStringChars)) {
				// The common case, kept free of allocations.
				chars += v === null ? 4 : v.length + 2;
				if (!inPlace) {
					if (isArr) (dst as unknown[]).push(v);
					else (dst as Record<string, unknown>)[k as string] = v;
				}
			} else {
				const l = leaf(v, [...path, k]);
				if (inPlace) {
					if (l.keep && !Object.is(l.value, v)) (dst as Record<string | number, unknown>)[k] = l.value;
				} else if (isArr) (dst as unknown[]).push(l.keep ? l.value : null);
				else if (l.keep) (dst as Record<string, unknown>)[k as string] = l.value;
			}
			if (tooMany()) break;
		}
	}
	if (chars > limits.maxDocumentChars) {
		return { ok: false, errors: [err([], `the document is larger than ${size(limits.maxDocumentChars)}; split it or move large texts out of it.`)] };
	}
	return errors.length ? { ok: false, errors } : { ok: true, value: rootDst };
}

/** Where a JSON text stops being valid: offset, line, column, the path reached, and why. */
export interface SyntaxProblem {
	offset: number;
	line: number;
	column: number;
	path: (string | number)[];
	reason: string;
}

/**
 * Finds the first syntax error of a JSON text (engines word `JSON.parse` errors differently
 * and not all give a position). Iterative; only called after `JSON.parse` has failed.
 */
export function locateSyntaxError(text: string): SyntaxProblem | undefined {
	return scanJson(text);
}

/**
 * Paths of keys that appear twice in one object of a JSON text that `JSON.parse` accepted.
 * `JSON.parse` silently keeps the last, which in a workflow usually hides a transition the
 * author wrote. A lean tokenizer: strings are skipped with `indexOf`, so it runs at
 * hundreds of MB/s.
 */
export function duplicateKeys(text: string, max = 20): (string | number)[][] {
	const out: (string | number)[][] = [];
	// Per open container: the current key (objects) or index (arrays), and keys seen so far.
	const keys: (string | number)[] = [];
	const isObject: boolean[] = [];
	const seen: (Set<string> | null)[] = [];
	let expectKey = false;
	const n = text.length;
	let i = 0;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (c === 34) {
			let end = text.indexOf('"', i + 1);
			let escaped = false;
			for (;;) {
				let b = end - 1;
				while (text.charCodeAt(b) === 92) b--;
				if ((end - 1 - b) % 2 === 0) break;
				escaped = true;
				end = text.indexOf('"', end + 1);
			}
			if (expectKey) {
				const raw = text.slice(i + 1, end);
				const key = escaped || raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
				const top = keys.length - 1;
				let set = seen[top];
				if (!set) set = seen[top] = new Set();
				if (set.has(key)) {
					if (out.length < max) out.push([...keys.slice(0, top), key]);
				} else set.add(key);
				keys[top] = key;
				expectKey = false;
			}
			i = end + 1;
			continue;
		}
		if (c === 123) {
			keys.push('');
			isObject.push(true);
			seen.push(null);
			expectKey = true;
		} else if (c === 91) {
			keys.push(0);
			isObject.push(false);
			seen.push(null);
		} else if (c === 125 || c === 93) {
			keys.pop();
			isObject.pop();
			seen.pop();
		} else if (c === 44) {
			const top = keys.length - 1;
			if (isObject[top]) expectKey = true;
			else keys[top] = (keys[top] as number) + 1;
		}
		i++;
	}
	return out;
}

function scanJson(text: string): SyntaxProblem | undefined {
	let i = 0;
	const n = text.length;
	// Each open container: its kind, current key/index, and (objects, when asked) the keys seen.
	const stack: { kind: 'object' | 'array'; key: string | number }[] = [];
	const ws = () => {
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 32 || c === 9 || c === 10 || c === 13) i++;
			else break;
		}
	};
	const fail = (reason: string): SyntaxProblem => {
		let line = 1;
		let lineStart = 0;
		for (let j = 0; j < i && j < n; j++) {
			if (text.charCodeAt(j) === 10) {
				line++;
				lineStart = j + 1;
			}
		}
		return { offset: i, line, column: i - lineStart + 1, path: stack.map((f) => f.key).filter((k) => k !== -1), reason };
	};
	const found = () => (i >= n ? 'the end of the text' : `${JSON.stringify(text[i])}`);
	const str = (): SyntaxProblem | string => {
		// at opening quote
		const start = ++i;
		let out = '';
		let seg = start;
		while (i < n) {
			const c = text.charCodeAt(i);
			if (c === 34) {
				out += text.slice(seg, i);
				i++;
				return out;
			}
			if (c < 32) return fail('a text value contains an unescaped line break or control character');
			if (c === 92) {
				out += text.slice(seg, i);
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail('"\\u" must be followed by four hex digits');
					out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
					i += 6;
				} else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
					out += e;
					i += 2;
				} else return fail('unknown escape sequence in a text value');
				seg = i;
			} else i++;
		}
		return fail('a text value is not closed: a " is missing');
	};
	const num = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
	const value = (): SyntaxProblem | 'open' | undefined => {
		ws();
		if (i >= n) return fail('the text ends where a value was expected');
		const c = text[i];
		if (c === '{' || c === '[') {
			stack.push({ kind: c === '{' ? 'object' : 'array', key: -1 });
			i++;
			return 'open';
		}
		if (c === '"') {
			const s = str();
			return typeof s === 'string' ? undefined : s;
		}
		for (const lit of ['true', 'false', 'null']) {
			if (text.startsWith(lit, i)) {
				i += lit.length;
				return undefined;
			}
		}
		num.lastIndex = i;
		const m = num.exec(text);
		if (m) {
			i += m[0].length;
			return undefined;
		}
		if (c === "'") return fail('text must be in double quotes ("), not single quotes');
		return fail(`expected a value (object, list, text, number, true, false or null) but found ${found()}`);
	};

	let r = value();
	if (r && r !== 'open') return r;
	// `afterValue` is true when a value has just been completed inside the top container.
	let fresh = r === 'open';
	while (stack.length) {
		const top = stack[stack.length - 1];
		ws();
		if (fresh) {
			fresh = false;
			if (text[i] === (top.kind === 'object' ? '}' : ']')) {
				i++;
				stack.pop();
				continue;
			}
		} else {
			const close = top.kind === 'object' ? '}' : ']';
			if (text[i] === close) {
				i++;
				stack.pop();
				continue;
			}
			if (text[i] !== ',') {
				return fail(
					top.kind === 'object'
						? `expected "," or "}" after a property value but found ${found()}`
						: `expected "," or "]" after a list item but found ${found()}`
				);
			}
			i++;
			ws();
			if (text[i] === close) return fail(`a trailing comma before "${close}" is not allowed in JSON`);
		}
		if (top.kind === 'object') {
			ws();
			if (text[i] !== '"') return fail(`expected a property name in double quotes but found ${found()}`);
			const k = str();
			if (typeof k !== 'string') return k;
			top.key = k;
			ws();
			if (text[i] !== ':') return fail(`expected ":" after the property name "${k}" but found ${found()}`);
			i++;
		} else {
			top.key = top.key === -1 ? 0 : (top.key as number) + 1;
		}
		r = value();
		if (r === 'open') fresh = true;
		else if (r) return r;
	}
	ws();
	if (i < n) return fail(`unexpected ${found()} after the end of the document`);
	return undefined;
}
