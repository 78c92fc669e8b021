/**
 * Fast path: compiles trivial JSONata expressions from jsonata's AST to closures.
 *
 * Only a small, exactly-specified subset is handled: paths of plain names with an optional
 * `[n]` index, literals, array and object constructors (literal keys), comparisons,
 * `and`/`or`, `? :`, arithmetic, `&`, `$append`, and one-argument built-ins ($not,
 * $exists, $count, $string, $boolean, $length, $uppercase, $lowercase, $trim, $abs,
 * $floor, $ceil). Whenever a value falls outside the cases whose JSONata
 * semantics are mirrored here (paths through arrays, nested arrays, functions, non-finite
 * numbers, type errors …) the closure returns `BAIL` and the caller evaluates the
 * expression with jsonata itself, so results and error messages always agree.
 */

/** Returned by a fast closure when jsonata must decide. */
export const BAIL: unique symbol = Symbol('bail');

export type FastFn = (input: unknown) => unknown;

interface AstNode {
	condition?: AstNode;
	then?: AstNode;
	else?: AstNode;
	type: string;
	value?: unknown;
	steps?: AstNode[];
	stages?: unknown[];
	predicate?: unknown[];
	group?: unknown;
	focus?: unknown;
	index?: unknown;
	tuple?: unknown;
	keepArray?: boolean;
	keepSingletonArray?: boolean;
	lhs?: AstNode;
	rhs?: AstNode;
	expression?: AstNode;
	expressions?: AstNode[];
	arguments?: AstNode[];
	procedure?: AstNode;
}

function isPlain(node: AstNode): boolean {
	return (
		node.stages === undefined &&
		node.predicate === undefined &&
		node.group === undefined &&
		node.focus === undefined &&
		node.index === undefined &&
		node.tuple === undefined &&
		!node.keepArray &&
		!node.keepSingletonArray
	);
}

/** JSONata's effective boolean value for the values the fast path lets through (undefined → false). */
function boolize(v: unknown): boolean | typeof BAIL {
	switch (typeof v) {
		case 'boolean':
			return v;
		case 'string':
			return v.length > 0;
		case 'number':
			return Number.isFinite(v) ? v !== 0 : BAIL;
		case 'undefined':
			return false;
		case 'object':
			if (v === null) return false;
			if (Array.isArray(v)) return BAIL;
			return Object.keys(v).length > 0;
		default:
			return BAIL;
	}
}

function isFiniteNumber(v: unknown): v is number {
	return typeof v === 'number' && Number.isFinite(v);
}

function toStr(v: unknown): string | typeof BAIL {
	switch (typeof v) {
		case 'undefined':
			return '';
		case 'string':
			return v;
		case 'number':
			return Number.isFinite(v) ? JSON.stringify(Number(v.toPrecision(15))) : BAIL;
		case 'boolean':
			return v ? 'true' : 'false';
		case 'object':
			return v === null ? 'null' : BAIL;
		default:
			return BAIL;
	}
}

function isPrimitive(v: unknown): boolean {
	const t = typeof v;
	return v === null || t === 'string' || t === 'boolean' || (t === 'number' && !Number.isNaN(v));
}

/** JSONata built-ins of one argument, for defined primitive arguments (anything else: BAIL). */
const UNARY_FUNCTIONS: Record<string, (v: unknown) => unknown> = {
	string: (v) => (typeof v === 'object' && v !== null ? BAIL : toStr(v)),
	boolean: (v) => boolize(v),
	length: (v) => {
		if (typeof v !== 'string') return BAIL;
		let n = 0;
		for (const _ of v) n++;
		return n;
	},
	uppercase: (v) => (typeof v === 'string' ? v.toUpperCase() : BAIL),
	lowercase: (v) => (typeof v === 'string' ? v.toLowerCase() : BAIL),
	trim: (v) => {
		if (typeof v !== 'string') return BAIL;
		let r = v.replace(/[ \t\n\r]+/gm, ' ');
		if (r.charAt(0) === ' ') r = r.substring(1);
		if (r.charAt(r.length - 1) === ' ') r = r.substring(0, r.length - 1);
		return r;
	},
	abs: (v) => (isFiniteNumber(v) ? Math.abs(v) : BAIL),
	floor: (v) => (isFiniteNumber(v) ? Math.floor(v) : BAIL),
	ceil: (v) => (isFiniteNumber(v) ? Math.ceil(v) : BAIL)
};

/** A step's `[n]` with a number literal, or null when the step has no stage; undefined when unsupported. */
function indexStage(step: AstNode): number | null | undefined {
	if (step.stages === undefined) return null;
	if (step.stages.length !== 1) return undefined;
	const st = step.stages[0] as { type?: string; expr?: AstNode };
	if (st.type !== 'filter' || !st.expr || st.expr.type !== 'number' || typeof st.expr.value !== 'number') return undefined;
	return Number.isFinite(st.expr.value) ? st.expr.value : undefined;
}

function compilePath(steps: AstNode[]): FastFn | null {
	const keys: string[] = [];
	const indexes: (number | null)[] = [];
	for (const s of steps) {
		if (s.type !== 'name' || typeof s.value !== 'string') return null;
		const { stages, ...rest } = s;
		if (!isPlain(rest)) return null;
		const ix = indexStage({ type: s.type, stages });
		if (ix === undefined) return null;
		keys.push(s.value);
		indexes.push(ix);
	}
	const n = keys.length;
	if (indexes.every((x) => x === null)) {
		if (n === 1) {
			const [a] = keys;
			return (input) => {
				if (input === null || typeof input !== 'object' || Array.isArray(input)) return Array.isArray(input) ? BAIL : undefined;
				const v = (input as Record<string, unknown>)[a];
				return typeof v === 'function' ? BAIL : v;
			};
		}
		if (n === 2) {
			const [a, b] = keys;
			return (input) => {
				if (input === null || typeof input !== 'object' || Array.isArray(input)) return Array.isArray(input) ? BAIL : undefined;
				const v = (input as Record<string, unknown>)[a];
				if (v === null || typeof v !== 'object') return typeof v === 'function' ? BAIL : undefined;
				if (Array.isArray(v)) return BAIL;
				const w = (v as Record<string, unknown>)[b];
				return typeof w === 'function' ? BAIL : w;
			};
		}
	}
	return (input) => {
		let v = input;
		for (let i = 0; i < n; i++) {
			if (v === null || typeof v !== 'object') return typeof v === 'function' ? BAIL : undefined;
			// Navigating through an array maps over it in JSONata: leave that to jsonata.
			if (Array.isArray(v)) return BAIL;
			v = (v as Record<string, unknown>)[keys[i]];
			if (typeof v === 'function') return BAIL;
			const ix = indexes[i];
			if (ix !== null) {
				if (v === undefined) return undefined;
				const arr: unknown[] = Array.isArray(v) ? v : [v];
				let k = Math.floor(ix);
				if (k < 0) k += arr.length;
				v = arr[k];
				if (Array.isArray(v) || typeof v === 'function') return BAIL;
			}
		}
		return v;
	};
}

function numeric(op: string, l: FastFn, r: FastFn): FastFn {
	const apply = (a: number, b: number): number => {
		switch (op) {
			case '+':
				return a + b;
			case '-':
				return a - b;
			case '*':
				return a * b;
			case '/':
				return a / b;
			default:
				return a % b;
		}
	};
	return (input) => {
		const a = l(input);
		if (a === BAIL) return BAIL;
		const b = r(input);
		if (b === BAIL) return BAIL;
		if (isFiniteNumber(a)) {
			if (isFiniteNumber(b)) {
				const res = apply(a, b);
				return Number.isFinite(res) ? res : BAIL;
			}
			return b === undefined ? undefined : BAIL;
		}
		if (a === undefined && (b === undefined || isFiniteNumber(b))) return undefined;
		return BAIL;
	};
}

function compare(op: string, l: FastFn, r: FastFn): FastFn {
	return (input) => {
		const a = l(input);
		if (a === BAIL) return BAIL;
		const b = r(input);
		if (b === BAIL) return BAIL;
		const ta = typeof a;
		const tb = typeof b;
		const ca = ta === 'string' || isFiniteNumber(a);
		const cb = tb === 'string' || isFiniteNumber(b);
		if (ca && cb && ta === tb) {
			const x = a as number;
			const y = b as number;
			switch (op) {
				case '<':
					return x < y;
				case '<=':
					return x <= y;
				case '>':
					return x > y;
				default:
					return x >= y;
			}
		}
		if ((a === undefined && (cb || b === undefined)) || (b === undefined && ca)) return undefined;
		return BAIL;
	};
}

function equality(negate: boolean, l: FastFn, r: FastFn): FastFn {
	return (input) => {
		const a = l(input);
		if (a === BAIL) return BAIL;
		const b = r(input);
		if (b === BAIL) return BAIL;
		if (a === undefined || b === undefined) return false;
		if (!isPrimitive(a) || !isPrimitive(b)) return BAIL;
		return negate ? a !== b : a === b;
	};
}

function compileNode(node: AstNode): FastFn | null {
	switch (node.type) {
		case 'path':
			return node.steps && node.steps.length > 0 && isPlain(node) ? compilePath(node.steps) : null;
		case 'name':
			return isPlain(node) && typeof node.value === 'string' ? compilePath([node]) : null;
		case 'string':
		case 'number':
		case 'value': {
			if (!isPlain(node)) return null;
			const v = node.value;
			if (typeof v === 'number' && !Number.isFinite(v)) return null;
			return () => v;
		}
		case 'block': {
			if (!isPlain(node) || !node.expressions || node.expressions.length !== 1) return null;
			return compileNode(node.expressions[0]);
		}
		case 'unary': {
			if (node.value === '[') return compileArray(node);
			if (node.value === '{') return compileObject(node);
			if (node.value !== '-' || !node.expression || !isPlain(node)) return null;
			const e = compileNode(node.expression);
			if (!e) return null;
			return (input) => {
				const v = e(input);
				if (v === undefined) return undefined;
				return isFiniteNumber(v) ? -v : BAIL;
			};
		}
		case 'function': {
			const proc = node.procedure;
			const args = node.arguments ?? [];
			if (proc && proc.type === 'variable' && proc.value === 'append' && args.length === 2 && isPlain(node)) {
				const a = compileNode(args[0]);
				const b = compileNode(args[1]);
				if (!a || !b) return null;
				return (input) => {
					const x = a(input);
					if (x === BAIL) return BAIL;
					const y = b(input);
					if (y === BAIL) return BAIL;
					return append(x, y);
				};
			}
			if (!proc || proc.type !== 'variable' || args.length !== 1 || !isPlain(node)) return null;
			const arg = compileNode(args[0]);
			if (!arg) return null;
			if (proc.value === 'not') {
				return (input) => {
					const v = arg(input);
					if (v === BAIL) return BAIL;
					if (v === undefined) return undefined;
					const b = boolize(v);
					return b === BAIL ? BAIL : !b;
				};
			}
			if (proc.value === 'count') {
				return (input) => {
					const v = arg(input);
					if (v === BAIL) return BAIL;
					return v === undefined ? 0 : Array.isArray(v) ? v.length : 1;
				};
			}
			if (proc.value === 'exists') {
				return (input) => {
					const v = arg(input);
					return v === BAIL ? BAIL : v !== undefined;
				};
			}
			const unary = UNARY_FUNCTIONS[proc.value as string];
			if (!unary) return null;
			return (input) => {
				const v = arg(input);
				if (v === BAIL) return BAIL;
				if (v === undefined) return undefined;
				return unary(v);
			};
		}
		case 'condition': {
			const n = node;
			if (!n.condition || !n.then || !isPlain(node)) return null;
			const c = compileNode(n.condition);
			const t = compileNode(n.then);
			const e = n.else ? compileNode(n.else) : () => undefined;
			if (!c || !t || !e) return null;
			return (input) => {
				const b = boolize(c(input));
				if (b === BAIL) return BAIL;
				return b ? t(input) : e(input);
			};
		}
		case 'binary': {
			if (!node.lhs || !node.rhs || !isPlain(node)) return null;
			const l = compileNode(node.lhs);
			const r = compileNode(node.rhs);
			if (!l || !r) return null;
			const op = node.value as string;
			switch (op) {
				case '+':
				case '-':
				case '*':
				case '/':
				case '%':
					return numeric(op, l, r);
				case '<':
				case '<=':
				case '>':
				case '>=':
					return compare(op, l, r);
				case '=':
					return equality(false, l, r);
				case '!=':
					return equality(true, l, r);
				case 'and':
					return (input) => {
						const a = boolize(l(input));
						if (a === BAIL) return BAIL;
						if (!a) return false;
						const b = boolize(r(input));
						return b;
					};
				case 'or':
					return (input) => {
						const a = boolize(l(input));
						if (a === BAIL) return BAIL;
						if (a) return true;
						return boolize(r(input));
					};
				case '&':
					return (input) => {
						const a = toStr(l(input));
						if (a === BAIL) return BAIL;
						const b = toStr(r(input));
						if (b === BAIL) return BAIL;
						return a + b;
					};
				default:
					return null;
			}
		}
		default:
			return null;
	}
}

/** JSONata's `$append`: undefined arguments are dropped, others concatenated as arrays. */
function append(x: unknown, y: unknown): unknown {
	if (x === undefined) return y;
	if (y === undefined) return x;
	if (typeof x === 'function' || typeof y === 'function') return BAIL;
	return (Array.isArray(x) ? x : [x]).concat(Array.isArray(y) ? y : [y]);
}

/** `[a, b, …]`: undefined items are dropped, array values spliced in, except nested `[…]` constructors. */
function compileArray(node: AstNode): FastFn | null {
	if (!isPlain(node) || (node as { consarray?: boolean }).consarray) return null;
	const items = node.expressions ?? [];
	const fns: FastFn[] = [];
	const literal: boolean[] = [];
	for (const item of items) {
		const f = compileNode(item);
		if (!f) return null;
		fns.push(f);
		literal.push(item.type === 'unary' && item.value === '[');
	}
	return (input) => {
		let out: unknown[] = [];
		for (let i = 0; i < fns.length; i++) {
			const v = fns[i](input);
			if (v === BAIL) return BAIL;
			if (v === undefined) continue;
			if (literal[i]) out.push(v);
			else out = out.concat(Array.isArray(v) ? v : [v]);
		}
		return out;
	};
}

/** `{"key": value, …}` with literal, distinct keys: undefined values are left out. */
function compileObject(node: AstNode): FastFn | null {
	const pairs = (node as { lhs?: unknown }).lhs;
	if (!isPlain(node) || !Array.isArray(pairs)) return null;
	const keys: string[] = [];
	const fns: FastFn[] = [];
	for (const pair of pairs as [AstNode, AstNode][]) {
		const [k, v] = pair;
		if (k.type !== 'string' || typeof k.value !== 'string' || !isPlain(k)) return null;
		if (keys.includes(k.value) || k.value === '__proto__') return null;
		const f = compileNode(v);
		if (!f) return null;
		keys.push(k.value);
		fns.push(f);
	}
	return (input) => {
		const out: Record<string, unknown> = {};
		for (let i = 0; i < fns.length; i++) {
			const v = fns[i](input);
			if (v === BAIL) return BAIL;
			if (v !== undefined) out[keys[i]] = v;
		}
		return out;
	};
}

/** Compile a jsonata AST to a closure, or null when the expression is not trivial. */
export function compileFast(ast: unknown): FastFn | null {
	try {
		return compileNode(ast as AstNode);
	} catch {
		return null;
	}
}
