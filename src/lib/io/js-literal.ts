/**
 * Reads the machine config out of XState code: the first argument of `createMachine(…)`,
 * as a tolerant JavaScript object-literal reader (unquoted keys, single quotes, trailing
 * commas, comments). Nothing is evaluated: code it cannot read as data (functions, calls,
 * variables, spreads) becomes `{ $code: "<source>" }`, which the XState importer reports.
 */

export interface CodeValue {
	$code: string;
}

export class LiteralError extends Error {
	constructor(
		message: string,
		readonly line: number
	) {
		super(message);
	}
}

const MAX_DEPTH = 200;

/** Finds `createMachine(` (also `setup(…).createMachine(`) and reads its first argument. */
export function readMachineConfig(source: string): unknown {
	const m = /\bcreateMachine\s*\(/.exec(source);
	if (!m) throw new LiteralError('no createMachine( … ) call was found; paste the machine code or its JSON config', 1);
	let at = m.index + m[0].length;
	// createMachine(config): read the object the variable is declared with.
	const arg = /^\s*([A-Za-z_$][\w$]*)\s*(?:as\s+\w+\s*)?[,)]/.exec(source.slice(at, at + 300));
	if (arg) {
		const decl = new RegExp(`\\b(?:const|let|var)\\s+${arg[1].replace(/\$/g, '\\$')}\\s*(?::[^=]{0,200})?=\\s*`).exec(source);
		if (!decl) throw new LiteralError(`createMachine is given "${arg[1]}", whose object is not declared in this file`, lineAt(source, at));
		at = decl.index + decl[0].length;
	}
	return new Reader(source, at).value(0);
}

function lineAt(src: string, at: number): number {
	let n = 1;
	for (let i = 0; i < at && i < src.length; i++) if (src.charCodeAt(i) === 10) n++;
	return n;
}

class Reader {
	constructor(
		private src: string,
		private pos: number
	) {}

	private line(at = this.pos): number {
		let n = 1;
		for (let i = 0; i < at && i < this.src.length; i++) if (this.src.charCodeAt(i) === 10) n++;
		return n;
	}
	private fail(msg: string): never {
		throw new LiteralError(msg, this.line());
	}
	private skip() {
		for (;;) {
			const c = this.src[this.pos];
			if (c === undefined) return;
			if (/\s/.test(c)) this.pos++;
			else if (this.src.startsWith('//', this.pos)) {
				const e = this.src.indexOf('\n', this.pos);
				this.pos = e < 0 ? this.src.length : e + 1;
			} else if (this.src.startsWith('/*', this.pos)) {
				const e = this.src.indexOf('*/', this.pos + 2);
				if (e < 0) this.fail('a comment "/*" is never closed');
				this.pos = e + 2;
			} else return;
		}
	}

	value(depth: number): unknown {
		if (depth > MAX_DEPTH) this.fail(`the config is nested more than ${MAX_DEPTH} deep`);
		this.skip();
		const start = this.pos;
		const c = this.src[this.pos];
		if (c === '{') return this.object(depth);
		if (c === '[') return this.array(depth);
		if (c === '"' || c === "'") return this.string();
		if (c === '`') {
			const s = this.template();
			if (s !== undefined) return s;
			return this.code(start);
		}
		const num = /^-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(this.src.slice(this.pos, this.pos + 64));
		if (num && this.atValueEnd(this.pos + num[0].length)) {
			this.pos += num[0].length;
			return Number(num[0].replace(/^-?0[xX]/, (p) => (p.startsWith('-') ? '-0x' : '0x')));
		}
		const word = /^[A-Za-z_$][\w$]*/.exec(this.src.slice(this.pos, this.pos + 64));
		if (word && this.atValueEnd(this.pos + word[0].length)) {
			const w = word[0];
			if (w === 'true' || w === 'false' || w === 'null' || w === 'undefined') {
				this.pos += w.length;
				return w === 'true' ? true : w === 'false' ? false : w === 'null' ? null : undefined;
			}
		}
		return this.code(start);
	}

	/** True when a value ends at `at` (followed by , } ] or the end of the argument). */
	private atValueEnd(at: number): boolean {
		const save = this.pos;
		this.pos = at;
		this.skip();
		const c = this.src[this.pos];
		const ok = c === ',' || c === '}' || c === ']' || c === ')' || c === undefined || this.src.startsWith('as ', this.pos) || this.src.startsWith('satisfies ', this.pos);
		this.pos = save;
		return ok;
	}

	/** Skips any expression up to the next , } ] ) at depth 0 and returns it as code. */
	private code(start: number): CodeValue {
		let depth = 0;
		while (this.pos < this.src.length) {
			const c = this.src[this.pos];
			if (c === '"' || c === "'") {
				this.string();
				continue;
			}
			if (c === '`') {
				this.skipTemplate();
				continue;
			}
			if (this.src.startsWith('//', this.pos) || this.src.startsWith('/*', this.pos)) {
				this.skip();
				continue;
			}
			if (c === '(' || c === '[' || c === '{') depth++;
			else if (c === ')' || c === ']' || c === '}') {
				if (depth === 0) break;
				depth--;
			} else if (c === ',' && depth === 0) break;
			this.pos++;
		}
		const text = this.src.slice(start, this.pos).trim();
		if (!text) this.fail('a value is missing');
		return { $code: text.length > 200 ? text.slice(0, 200) + '…' : text };
	}

	private object(depth: number): Record<string, unknown> {
		this.pos++; // {
		const out: Record<string, unknown> = Object.create(null);
		for (;;) {
			this.skip();
			if (this.src[this.pos] === '}') {
				this.pos++;
				return out;
			}
			if (this.pos >= this.src.length) this.fail('an object "{" is never closed');
			let key: string;
			const c = this.src[this.pos];
			if (c === '"' || c === "'") key = this.string();
			else if (this.src.startsWith('...', this.pos)) {
				const start = this.pos;
				this.pos += 3;
				const v = this.code(this.pos);
				out[`...${Object.keys(out).length}`] = { $code: this.src.slice(start, this.pos).trim() || v.$code };
				this.afterEntry();
				continue;
			} else if (c === '[') {
				this.fail('computed keys ([ … ]) cannot be read as data');
			} else {
				const w = /^[A-Za-z_$0-9][\w$]*/.exec(this.src.slice(this.pos, this.pos + 256));
				if (!w) this.fail(`unexpected "${c}" where a key was expected`);
				key = w![0];
				this.pos += key.length;
			}
			this.skip();
			if (this.src[this.pos] === '(') {
				// A method: entry(ctx) { … }
				const start = this.pos;
				this.code(this.pos);
				out[key] = { $code: `${key}${this.src.slice(start, this.pos).trim()}` };
				this.afterEntry();
				continue;
			}
			if (this.src[this.pos] !== ':') {
				// Shorthand property { foo }: a variable.
				out[key] = { $code: key };
				this.afterEntry();
				continue;
			}
			this.pos++;
			out[key] = this.value(depth + 1);
			this.afterEntry();
		}
	}

	private afterEntry() {
		this.skip();
		const c = this.src[this.pos];
		if (c === ',') this.pos++;
		else if (c !== '}' && c !== ']') this.fail(`expected "," or the end of the object but found ${c === undefined ? 'the end of the text' : `"${c}"`}`);
	}

	private array(depth: number): unknown[] {
		this.pos++; // [
		const out: unknown[] = [];
		for (;;) {
			this.skip();
			if (this.src[this.pos] === ']') {
				this.pos++;
				return out;
			}
			if (this.pos >= this.src.length) this.fail('a list "[" is never closed');
			out.push(this.value(depth + 1));
			this.afterEntry();
		}
	}

	private string(): string {
		const q = this.src[this.pos];
		let out = '';
		let i = this.pos + 1;
		for (;;) {
			const c = this.src[i];
			if (c === undefined || c === '\n') this.fail('a string is never closed');
			if (c === q) break;
			if (c === '\\') {
				const n = this.src[i + 1];
				const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
				if (n === 'u') {
					const hex = /^\{([0-9a-fA-F]{1,6})\}|^([0-9a-fA-F]{4})/.exec(this.src.slice(i + 2, i + 10));
					if (!hex) this.fail('a \\u escape is malformed');
					const cp = parseInt(hex![1] ?? hex![2], 16);
					if (cp > 0x10ffff) this.fail('a \\u escape is out of range');
					out += String.fromCodePoint(cp);
					i += 2 + hex![0].length;
					continue;
				}
				if (n === 'x') {
					const hex = /^[0-9a-fA-F]{2}/.exec(this.src.slice(i + 2, i + 4));
					if (!hex) this.fail('a \\x escape is malformed');
					out += String.fromCharCode(parseInt(hex![0], 16));
					i += 4;
					continue;
				}
				if (n === '\n') {
					i += 2;
					continue;
				}
				out += Object.hasOwn(map, n) ? map[n] : n;
				i += 2;
				continue;
			}
			out += c;
			i++;
		}
		this.pos = i + 1;
		return out;
	}

	/** A template literal without `${}` is a string; with one it is code. */
	private template(): string | undefined {
		const end = this.findTemplateEnd();
		const body = this.src.slice(this.pos + 1, end);
		if (body.includes('${')) return undefined;
		this.pos = end + 1;
		return body.replace(/\\`/g, '`').replace(/\\\\/g, '\\');
	}
	private skipTemplate() {
		this.pos = this.findTemplateEnd() + 1;
	}
	private findTemplateEnd(): number {
		let i = this.pos + 1;
		while (i < this.src.length) {
			if (this.src[i] === '\\') i += 2;
			else if (this.src[i] === '`') return i;
			else i++;
		}
		return this.fail('a template string "`" is never closed');
	}
}
