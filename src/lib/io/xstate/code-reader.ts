/**
 * Reads the machine config out of XState code (JavaScript or TypeScript) with a real parser:
 * acorn with its TypeScript plugin, loaded only when code is imported. The code is parsed,
 * never run. The first argument of the first `createMachine(…)` call (also
 * `setup(…).createMachine(…)`, `createMachine<Ctx>(…)`, a `const` it is given) is turned into
 * data; what is code rather than data (functions, calls, variables, spreads, regular
 * expressions, templates with expressions) becomes `{ $code, line }`, which the importer
 * lists as lost. Type annotations (`as`, `satisfies`, `!`, `<T>`) are looked through.
 */
import { Parser, type Node as AcornNode, type Program } from 'acorn';
import { tsPlugin } from '@sveltejs/acorn-typescript';

export interface CodeValue {
	$code: string;
	line: number;
}

export class CodeReadError extends Error {
	constructor(
		message: string,
		readonly line: number,
		readonly column?: number
	) {
		super(message);
	}
}

/** Loose shape of the ESTree nodes this reader looks at. */
interface N extends AcornNode {
	[key: string]: unknown;
}

const MAX_DEPTH = 200;
let parser: typeof Parser | undefined;

function parse(source: string): Program {
	parser ??= Parser.extend(tsPlugin());
	try {
		return parser.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true, allowAwaitOutsideFunction: true });
	} catch (e) {
		const loc = (e as { loc?: { line: number; column: number } }).loc;
		const msg = (e as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
		throw new CodeReadError(`the code cannot be read: ${msg}`, loc?.line ?? 1, loc ? loc.column + 1 : undefined);
	}
}

/** Type-only wrappers around an expression: `x as T`, `x satisfies T`, `x!`, `<T>x`, `(x)`. */
function unwrap(n: N): N {
	for (let i = 0; i < 50; i++) {
		if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSTypeAssertion' || n.type === 'ParenthesizedExpression' || n.type === 'TSInstantiationExpression') n = n.expression as N;
		else return n;
	}
	return n;
}

/** Every node of the program, depth first, without recursion (deep code must not overflow the stack). */
function* walk(root: N): Generator<N> {
	const stack: N[] = [root];
	while (stack.length) {
		const n = stack.pop()!;
		yield n;
		const kids: N[] = [];
		for (const k of Object.keys(n)) {
			if (k === 'loc' || k === 'range') continue;
			const v = n[k];
			if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && typeof (x as N).type === 'string') kids.push(x as N);
			if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as N).type === 'string') kids.push(v as N);
		}
		for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
	}
}

function isCreateMachine(callee: N): boolean {
	callee = unwrap(callee);
	if (callee.type === 'Identifier') return callee.name === 'createMachine';
	if (callee.type === 'MemberExpression' && !callee.computed) return (callee.property as N).type === 'Identifier' && (callee.property as N).name === 'createMachine';
	return false;
}

/**
 * Reads the config given to the first `createMachine(…)` of the code, with the line each
 * part of it starts on (keyed by its JSON path), so that what is lost can say where it is.
 */
export function readMachineCode(source: string): { config: unknown; lines: Map<string, number> } {
	const program = parse(source) as unknown as N;
	let call: N | undefined;
	for (const n of walk(program)) {
		if (n.type === 'CallExpression' && isCreateMachine(n.callee as N)) {
			call = n;
			break;
		}
	}
	if (!call) throw new CodeReadError('no createMachine( … ) call was found; paste the machine code or its JSON config', 1);
	const args = call.arguments as N[];
	if (!args.length) throw new CodeReadError('createMachine( … ) is called without a config', lineOf(call));
	let arg = unwrap(args[0]);
	if (arg.type === 'Identifier') {
		const init = declaredValue(program, arg.name as string);
		if (!init) throw new CodeReadError(`createMachine is given "${arg.name}", whose value is not declared in this file`, lineOf(arg));
		arg = unwrap(init);
	}
	const reader = new ValueReader(source);
	const config = reader.value(arg, 0, []);
	return { config, lines: reader.lines };
}

function lineOf(n: N): number {
	return n.loc?.start.line ?? 1;
}

/** The value a `const`/`let`/`var` of that name starts with, anywhere in the file (first one found). */
function declaredValue(program: N, name: string): N | undefined {
	for (const n of walk(program)) {
		if (n.type === 'VariableDeclarator' && (n.id as N).type === 'Identifier' && (n.id as N).name === name && n.init) return n.init as N;
	}
	return undefined;
}

class ValueReader {
	readonly lines = new Map<string, number>();
	constructor(private src: string) {}

	private code(n: N): CodeValue {
		const text = this.src.slice(n.start, n.end).replace(/\s+/g, ' ');
		return { $code: text.length > 80 ? text.slice(0, 77) + '…' : text, line: lineOf(n) };
	}

	value(raw: N, depth: number, path: (string | number)[]): unknown {
		if (depth > MAX_DEPTH) throw new CodeReadError(`the config is nested more than ${MAX_DEPTH} deep`, lineOf(raw));
		const n = unwrap(raw);
		this.lines.set(JSON.stringify(path), lineOf(n));
		switch (n.type) {
			case 'Literal': {
				if (n.regex !== undefined || n.bigint !== undefined) return this.code(n);
				return n.value;
			}
			case 'TemplateLiteral': {
				const quasis = n.quasis as N[];
				if ((n.expressions as N[]).length === 0 && quasis.length === 1) return (quasis[0].value as { cooked: string | null }).cooked ?? this.code(n);
				return this.code(n);
			}
			case 'UnaryExpression': {
				const arg = unwrap(n.argument as N);
				if ((n.operator === '-' || n.operator === '+') && arg.type === 'Literal' && typeof arg.value === 'number') return n.operator === '-' ? -arg.value : arg.value;
				return this.code(n);
			}
			case 'Identifier':
				if (n.name === 'undefined') return undefined;
				return this.code(n);
			case 'ArrayExpression': {
				const out: unknown[] = [];
				for (const el of n.elements as (N | null)[]) {
					if (el === null) out.push(null);
					else if (el.type === 'SpreadElement') out.push(this.code(el));
					else out.push(this.value(el, depth + 1, [...path, out.length]));
				}
				return out;
			}
			case 'ObjectExpression': {
				const out: Record<string, unknown> = Object.create(null);
				let spreads = 0;
				for (const p of n.properties as N[]) {
					if (p.type === 'SpreadElement') {
						out[`...${spreads++}`] = this.code(p);
						continue;
					}
					const key = this.key(p);
					if (key === undefined) {
						out[`...${spreads++}`] = this.code(p);
						continue;
					}
					if (key === '__proto__' || key === 'constructor' || key === 'prototype') throw new CodeReadError(`"${key}" cannot be used as a key`, lineOf(p));
					this.lines.set(JSON.stringify([...path, key]), lineOf(p));
					if (p.kind !== 'init' || p.method) out[key] = this.code(p);
					else out[key] = this.value(p.value as N, depth + 1, [...path, key]);
				}
				return out;
			}
			default:
				return this.code(n);
		}
	}

	private key(p: N): string | undefined {
		const k = p.key as N;
		if (p.computed) {
			const kk = unwrap(k);
			if (kk.type === 'Literal' && (typeof kk.value === 'string' || typeof kk.value === 'number')) return String(kk.value);
			if (kk.type === 'TemplateLiteral' && (kk.expressions as N[]).length === 0) return (kk.quasis as N[])[0].value ? ((kk.quasis as N[])[0].value as { cooked: string }).cooked : undefined;
			return undefined;
		}
		if (k.type === 'Identifier') return k.name as string;
		if (k.type === 'Literal') return String(k.value);
		return undefined;
	}
}
