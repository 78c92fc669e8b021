/**
 * ECMAScript expressions of SCXML documents (`datamodel="ecmascript"`) turned into JSONata,
 * for the part of the language whose meaning JSONata keeps: literals, data names, `_event.name`
 * and `_event.data.x`, member access, arithmetic, comparisons, `&&`, `||`, `!`, `?:`,
 * `typeof x === 'undefined'`. Anything else (function calls, `In()`, assignments, other
 * system variables, `+` on values of unknown type mixed with strings) is refused with a
 * reason, so the importer lists it as lost instead of changing its meaning. Nothing is ever
 * evaluated: this is a small parser that only reads.
 */

/** Names the document declares with `<data id>`; they live under `context.` in FSM Studio. */
export type DataNames = ReadonlySet<string>;

export type Translation = { ok: true; jsonata: string } | { ok: false; reason: string };

type Node =
	| { k: 'num'; v: number }
	| { k: 'str'; v: string }
	| { k: 'lit'; v: 'true' | 'false' | 'null' }
	| { k: 'id'; name: string }
	| { k: 'arr'; items: Node[] }
	| { k: 'obj'; entries: [string, Node][] }
	| { k: 'member'; obj: Node; prop: string }
	| { k: 'index'; obj: Node; index: Node }
	| { k: 'call'; callee: Node; args: Node[] }
	| { k: 'unary'; op: string; arg: Node }
	| { k: 'bin'; op: string; left: Node; right: Node }
	| { k: 'cond'; test: Node; then: Node; else: Node };

class Refusal extends Error {}

const PUNCT = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '!', '<', '>', '+', '-', '*', '/', '%'];

interface Token {
	t: 'num' | 'str' | 'id' | 'p' | 'end';
	v: string;
}

function tokenize(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
			const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
			out.push({ t: 'num', v: m[0] });
			i += m[0].length;
			continue;
		}
		if (c === '"' || c === "'") {
			let s = '';
			let j = i + 1;
			for (; j < src.length && src[j] !== c; j++) {
				if (src[j] === '\\') {
					const e = src[++j];
					const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', b: '\b', f: '\f', v: '\v' };
					if (e !== undefined && Object.hasOwn(simple, e)) s += simple[e];
					else throw new Refusal('a string escape it does not know');
				} else s += src[j];
			}
			if (j >= src.length) throw new Refusal('an unterminated string');
			out.push({ t: 'str', v: s });
			i = j + 1;
			continue;
		}
		if (/[A-Za-z_$]/.test(c)) {
			const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i))!;
			out.push({ t: 'id', v: m[0] });
			i += m[0].length;
			continue;
		}
		if (src.startsWith('++', i) || src.startsWith('--', i)) throw new Refusal('"++" or "--", which change a value');
		const p = PUNCT.find((x) => src.startsWith(x, i));
		if (!p) throw new Refusal(`the character "${c}"`);
		out.push({ t: 'p', v: p });
		i += p.length;
	}
	out.push({ t: 'end', v: '' });
	return out;
}

/** Binary operators by precedence, lowest first (as in ECMAScript). */
const LEVELS = [['||'], ['&&'], ['==', '!=', '===', '!=='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

function parse(src: string): Node {
	const toks = tokenize(src);
	let pos = 0;
	const peek = () => toks[pos];
	const take = () => toks[pos++];
	const expect = (v: string) => {
		const t = take();
		if (t.t !== 'p' || t.v !== v) throw new Refusal(`"${v}" where "${t.v || 'the end'}" is`);
	};
	const isP = (v: string) => peek().t === 'p' && peek().v === v;
	let depth = 0;
	const expr = (): Node => {
		if (++depth > 100) throw new Refusal('nesting deeper than 100');
		const test = binary(0);
		let out = test;
		if (isP('?')) {
			take();
			const a = expr();
			expect(':');
			const b = expr();
			out = { k: 'cond', test, then: a, else: b };
		}
		depth--;
		return out;
	};
	const binary = (level: number): Node => {
		if (level >= LEVELS.length) return unary();
		let left = binary(level + 1);
		while (peek().t === 'p' && LEVELS[level].includes(peek().v)) {
			const op = take().v;
			left = { k: 'bin', op, left, right: binary(level + 1) };
		}
		return left;
	};
	const unary = (): Node => {
		if (isP('!') || isP('-') || isP('+')) {
			const op = take().v;
			return { k: 'unary', op, arg: unary() };
		}
		if (peek().t === 'id' && peek().v === 'typeof') {
			take();
			return { k: 'unary', op: 'typeof', arg: unary() };
		}
		return postfix(primary());
	};
	const postfix = (n: Node): Node => {
		for (;;) {
			if (isP('.')) {
				take();
				const t = take();
				if (t.t !== 'id') throw new Refusal('a property name after "."');
				n = { k: 'member', obj: n, prop: t.v };
			} else if (isP('[')) {
				take();
				const index = expr();
				expect(']');
				n = { k: 'index', obj: n, index };
			} else if (isP('(')) {
				take();
				const args: Node[] = [];
				while (!isP(')')) {
					args.push(expr());
					if (!isP(')')) expect(',');
				}
				take();
				n = { k: 'call', callee: n, args };
			} else return n;
		}
	};
	const primary = (): Node => {
		const t = take();
		if (t.t === 'num') return { k: 'num', v: Number(t.v) };
		if (t.t === 'str') return { k: 'str', v: t.v };
		if (t.t === 'id') {
			if (t.v === 'true' || t.v === 'false' || t.v === 'null') return { k: 'lit', v: t.v };
			return { k: 'id', name: t.v };
		}
		if (t.t === 'p' && t.v === '(') {
			const e = expr();
			expect(')');
			return e;
		}
		if (t.t === 'p' && t.v === '[') {
			const items: Node[] = [];
			while (!isP(']')) {
				items.push(expr());
				if (!isP(']')) expect(',');
			}
			take();
			return { k: 'arr', items };
		}
		if (t.t === 'p' && t.v === '{') {
			const entries: [string, Node][] = [];
			while (!isP('}')) {
				const key = take();
				if (key.t !== 'id' && key.t !== 'str' && key.t !== 'num') throw new Refusal('an object key');
				expect(':');
				entries.push([key.v, expr()]);
				if (!isP('}')) expect(',');
			}
			take();
			return { k: 'obj', entries };
		}
		throw new Refusal(t.t === 'end' ? 'an expression that ends too early' : `"${t.v}"`);
	};
	const n = expr();
	if (peek().t !== 'end') throw new Refusal(`"${peek().v}" after the expression`);
	return n;
}

type Kind = 'num' | 'str' | 'bool' | 'any';

/** Translates an ECMAScript expression of an SCXML document to JSONata, or says why not. */
export function ecmascriptToJsonata(src: string, data: DataNames): Translation {
	let ast: Node;
	try {
		ast = parse(src);
	} catch (e) {
		if (e instanceof Refusal) return { ok: false, reason: `it is not an expression FSM Studio can read (${e.message})` };
		throw e;
	}
	try {
		return { ok: true, jsonata: emit(ast, data).text };
	} catch (e) {
		if (e instanceof Refusal) return { ok: false, reason: e.message };
		throw e;
	}
}

const BIN: Record<string, string> = { '==': '=', '===': '=', '!=': '!=', '!==': '!=', '&&': 'and', '||': 'or', '<': '<', '>': '>', '<=': '<=', '>=': '>=', '-': '-', '*': '*', '/': '/', '%': '%' };

/** A JSONata path for `_event.…`, `Var.x` or `Var[0]`. */
function path(n: Node, data: DataNames): string {
	if (n.k === 'id') {
		if (n.name === '_event') throw new Refusal('"_event" as a whole has no FSM Studio equivalent');
		if (!data.has(n.name)) throw new Refusal(`"${n.name}" is not a data name of the document`);
		return `context.${quoteName(n.name)}`;
	}
	if (n.k === 'member') {
		if (n.obj.k === 'id' && n.obj.name === '_event') {
			if (n.prop === 'name') return 'event.type';
			throw new Refusal(`"_event.${n.prop}" has no FSM Studio equivalent`);
		}
		if (n.obj.k === 'member' && n.obj.obj.k === 'id' && n.obj.obj.name === '_event' && n.obj.prop === 'data') return `event.${quoteName(n.prop)}`;
		return `${path(n.obj, data)}.${quoteName(n.prop)}`;
	}
	if (n.k === 'index') {
		if (n.index.k === 'num' && Number.isInteger(n.index.v) && n.index.v >= 0) return `${path(n.obj, data)}[${n.index.v}]`;
		if (n.index.k === 'str') return `${path(n.obj, data)}.${quoteName(n.index.v)}`;
		throw new Refusal('an index that is not a fixed number or name');
	}
	throw new Refusal('a value that is not a data name');
}

function quoteName(name: string): string {
	return /^[A-Za-z_$][\w$]*$/.test(name) ? name : '`' + name.replace(/`/g, '') + '`';
}

function emit(n: Node, data: DataNames): { text: string; kind: Kind } {
	switch (n.k) {
		case 'num':
			if (!Number.isFinite(n.v)) throw new Refusal('a number JSON cannot hold');
			return { text: String(n.v), kind: 'num' };
		case 'str':
			return { text: JSON.stringify(n.v), kind: 'str' };
		case 'lit':
			return { text: n.v, kind: n.v === 'null' ? 'any' : 'bool' };
		case 'arr':
			return { text: `[${n.items.map((x) => emit(x, data).text).join(', ')}]`, kind: 'any' };
		case 'obj':
			return { text: `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}: ${emit(v, data).text}`).join(', ')}}`, kind: 'any' };
		case 'id':
		case 'member':
		case 'index':
			return { text: path(n, data), kind: 'any' };
		case 'call': {
			const name = n.callee.k === 'id' ? n.callee.name : 'a function';
			throw new Refusal(`it calls ${name === 'In' ? 'In()' : `"${name}"`}, which FSM Studio expressions do not have`);
		}
		case 'unary': {
			if (n.op === 'typeof') throw new Refusal('"typeof" outside a comparison with "undefined"');
			const a = emit(n.arg, data);
			if (n.op === '!') return { text: `$not(${a.text})`, kind: 'bool' };
			if (n.op === '-') return { text: `-(${a.text})`, kind: 'num' };
			return { text: `$number(${a.text})`, kind: 'num' };
		}
		case 'bin': {
			// typeof x === 'undefined' and its negation.
			const t = n.left.k === 'unary' && n.left.op === 'typeof' ? n.left.arg : n.right.k === 'unary' && n.right.op === 'typeof' ? n.right.arg : undefined;
			if (t) {
				const other = t === (n.left as { arg?: Node }).arg ? n.right : n.left;
				if (other.k !== 'str' || other.v !== 'undefined' || !['==', '===', '!=', '!=='].includes(n.op)) throw new Refusal('"typeof" compared with something other than "undefined"');
				const exists = `$exists(${path(t, data)})`;
				return { text: n.op.startsWith('!') ? exists : `$not(${exists})`, kind: 'bool' };
			}
			const l = emit(n.left, data);
			const r = emit(n.right, data);
			if (n.op === '+') {
				if (l.kind === 'str' || r.kind === 'str') return { text: `(${asString(l)} & ${asString(r)})`, kind: 'str' };
				if ((l.kind === 'num' || l.kind === 'any') && (r.kind === 'num' || r.kind === 'any')) return { text: `(${l.text} + ${r.text})`, kind: 'num' };
				throw new Refusal('"+" on values whose type is not known');
			}
			const op = BIN[n.op];
			const kind: Kind = ['and', 'or', '=', '!=', '<', '>', '<=', '>='].includes(op) ? 'bool' : 'num';
			return { text: `(${l.text} ${op} ${r.text})`, kind };
		}
		case 'cond':
			return { text: `(${emit(n.test, data).text} ? ${emit(n.then, data).text} : ${emit(n.else, data).text})`, kind: 'any' };
	}
}

/** JavaScript turns the other side of `"a" + x` into a string; JSONata's `&` does the same with $string. */
function asString(x: { text: string; kind: Kind }): string {
	return x.kind === 'str' ? x.text : `$string(${x.text})`;
}

/** Reads a data value written as an ECMAScript literal (numbers, strings, arrays, objects, true/false/null). */
export function ecmascriptLiteral(src: string): { ok: true; value: unknown } | { ok: false } {
	let ast: Node;
	try {
		ast = parse(src);
	} catch {
		return { ok: false };
	}
	const value = (n: Node): unknown => {
		switch (n.k) {
			case 'num':
				return n.v;
			case 'str':
				return n.v;
			case 'lit':
				return n.v === 'null' ? null : n.v === 'true';
			case 'arr':
				return n.items.map(value);
			case 'obj': {
				const o: Record<string, unknown> = Object.create(null);
				for (const [k, v] of n.entries) {
					if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new Refusal('a reserved key');
					o[k] = value(v);
				}
				return o;
			}
			case 'unary':
				if (n.op === '-' && n.arg.k === 'num') return -n.arg.v;
				throw new Refusal('not a literal');
			default:
				throw new Refusal('not a literal');
		}
	};
	try {
		return { ok: true, value: value(ast) };
	} catch {
		return { ok: false };
	}
}
