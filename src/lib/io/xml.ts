/**
 * A small, hardened XML parser for SCXML import, in pure TypeScript so it runs in Node,
 * workers and browsers alike. It refuses what makes XML dangerous or huge: DOCTYPE (and so
 * any entity definition), unknown entity references, more than `MAX_DEPTH` levels, more than
 * `MAX_NODES` elements. Namespaces are resolved (`ns` on each element and attribute).
 */

export interface XmlElement {
	/** Local name, without prefix. */
	name: string;
	/** Namespace URI ('' when none). */
	ns: string;
	/** Attributes by local name (namespaced ones also as `{uri}name`). */
	attrs: Record<string, string>;
	children: XmlNode[];
	line: number;
	column: number;
}
export type XmlNode = XmlElement | { text: string; line: number };

export class XmlError extends Error {
	constructor(
		message: string,
		public line: number,
		public column: number
	) {
		super(message);
	}
}

const MAX_DEPTH = 200;
const MAX_NODES = 200_000;
const MAX_ATTRS = 256;
const NAME = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses an XML document into its root element; throws `XmlError` with a line and column. */
export function parseXml(src: string): XmlElement {
	let pos = 0;
	let line = 1;
	let lineStart = 0;
	let nodes = 0;
	const fail = (msg: string, at = pos): never => {
		// Recompute the line for `at` (errors are rare, so a scan is fine).
		let l = 1;
		let ls = 0;
		for (let i = 0; i < at && i < src.length; i++) if (src.charCodeAt(i) === 10) {
			l++;
			ls = i + 1;
		}
		throw new XmlError(msg, l, at - ls + 1);
	};
	const advanceTo = (to: number) => {
		for (let i = pos; i < to; i++) if (src.charCodeAt(i) === 10) {
			line++;
			lineStart = i + 1;
		}
		pos = to;
	};
	const skipSpace = () => {
		let i = pos;
		while (i < src.length && /\s/.test(src[i])) i++;
		advanceTo(i);
	};
	const startsWith = (s: string) => src.startsWith(s, pos);
	const readName = (): string => {
		NAME.lastIndex = pos;
		const m = NAME.exec(src);
		if (!m) fail(`expected a name but found ${pos < src.length ? `"${src[pos]}"` : 'the end of the file'}`);
		advanceTo(pos + m![0].length);
		return m![0];
	};
	const decode = (raw: string, at: number): string => {
		if (raw.indexOf('&') < 0) return raw;
		return raw.replace(/&([^;&\s]{0,32});|&/g, (m, ent: string | undefined) => {
			if (ent === undefined) fail('a "&" must start an entity such as &amp;', at);
			if (ent![0] === '#') {
				const n = ent![1] === 'x' || ent![1] === 'X' ? parseInt(ent!.slice(2), 16) : parseInt(ent!.slice(1), 10);
				if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) fail(`"&${ent};" is not a valid character reference`, at);
				return String.fromCodePoint(n);
			}
			if (Object.hasOwn(PREDEFINED, ent!)) return PREDEFINED[ent!];
			return fail(`unknown entity "&${ent};" (only &lt; &gt; &amp; &quot; &apos; and numeric references are allowed)`, at);
		});
	};
	const skipMisc = () => {
		for (;;) {
			skipSpace();
			if (startsWith('<?')) {
				const end = src.indexOf('?>', pos + 2);
				if (end < 0) fail('a processing instruction "<?" is never closed with "?>"');
				advanceTo(end + 2);
			} else if (startsWith('<!--')) {
				const end = src.indexOf('-->', pos + 4);
				if (end < 0) fail('a comment "<!--" is never closed with "-->"');
				advanceTo(end + 3);
			} else if (startsWith('<!DOCTYPE') || startsWith('<!doctype')) {
				fail('DOCTYPE declarations are not allowed (they can define entities that expand without limit)');
			} else return;
		}
	};

	type Scope = Map<string, string>;
	const resolve = (prefix: string, scopes: Scope[], isAttr: boolean): string | undefined => {
		if (prefix === 'xml') return 'http://www.w3.org/XML/1998/namespace';
		if (prefix === '' && isAttr) return '';
		for (let i = scopes.length - 1; i >= 0; i--) {
			const v = scopes[i].get(prefix);
			if (v !== undefined) return v;
		}
		return prefix === '' ? '' : undefined;
	};

	const parseElement = (scopes: Scope[], depth: number): XmlElement => {
		if (depth > MAX_DEPTH) fail(`elements are nested more than ${MAX_DEPTH} deep`);
		if (++nodes > MAX_NODES) fail(`the document has more than ${MAX_NODES} elements`);
		const elLine = line;
		const elCol = pos - lineStart + 1;
		advanceTo(pos + 1); // <
		const qname = readName();
		const raw: [string, string, number][] = [];
		for (;;) {
			const before = pos;
			skipSpace();
			if (startsWith('/>') || startsWith('>')) break;
			if (pos === before) fail(`expected a space, "/>" or ">" after <${qname}`);
			const attrAt = pos;
			const an = readName();
			skipSpace();
			if (src[pos] !== '=') fail(`the attribute "${an}" needs a value, as in ${an}="…"`);
			advanceTo(pos + 1);
			skipSpace();
			const q = src[pos];
			if (q !== '"' && q !== "'") fail(`the value of "${an}" must be in quotes`);
			const end = src.indexOf(q, pos + 1);
			if (end < 0) fail(`the value of "${an}" is never closed`);
			const value = src.slice(pos + 1, end);
			if (value.indexOf('<') >= 0) fail(`the value of "${an}" contains "<", which must be written &lt;`);
			const at = pos;
			advanceTo(end + 1);
			if (raw.some((r) => r[0] === an)) fail(`the attribute "${an}" appears twice on <${qname}>`, attrAt);
			if (raw.length >= MAX_ATTRS) fail(`<${qname}> has more than ${MAX_ATTRS} attributes`);
			raw.push([an, decode(value.replace(/[\t\n\r]/g, ' '), at), at]);
		}
		const scope: Scope = new Map();
		for (const [an, v] of raw) {
			if (an === 'xmlns') scope.set('', v);
			else if (an.startsWith('xmlns:')) scope.set(an.slice(6), v);
		}
		const scopesHere = scope.size ? [...scopes, scope] : scopes;
		const split = (q: string): [string, string] => {
			const i = q.indexOf(':');
			return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
		};
		const [prefix, local] = split(qname);
		const ns = resolve(prefix, scopesHere, false);
		if (ns === undefined) fail(`the prefix "${prefix}" of <${qname}> is not declared`, pos);
		const attrs: Record<string, string> = Object.create(null);
		for (const [an, v, at] of raw) {
			if (an === 'xmlns' || an.startsWith('xmlns:')) continue;
			const [ap, al] = split(an);
			const ans = resolve(ap, scopesHere, true);
			if (ans === undefined) fail(`the prefix "${ap}" of attribute "${an}" is not declared`, at);
			if (ans) attrs[`{${ans}}${al}`] = v;
			else attrs[al] = v;
		}
		const el: XmlElement = { name: local, ns: ns!, attrs, children: [], line: elLine, column: elCol };
		if (startsWith('/>')) {
			advanceTo(pos + 2);
			return el;
		}
		advanceTo(pos + 1); // >
		for (;;) {
			if (pos >= src.length) fail(`<${qname}> (line ${elLine}) is never closed`);
			if (startsWith('</')) {
				advanceTo(pos + 2);
				const closeName = readName();
				if (closeName !== qname) fail(`</${closeName}> closes <${qname}> from line ${elLine}`);
				skipSpace();
				if (src[pos] !== '>') fail(`expected ">" after </${closeName}`);
				advanceTo(pos + 1);
				return el;
			}
			if (startsWith('<!--')) {
				const end = src.indexOf('-->', pos + 4);
				if (end < 0) fail('a comment "<!--" is never closed with "-->"');
				advanceTo(end + 3);
			} else if (startsWith('<![CDATA[')) {
				const end = src.indexOf(']]>', pos + 9);
				if (end < 0) fail('a CDATA section is never closed with "]]>"');
				el.children.push({ text: src.slice(pos + 9, end), line });
				advanceTo(end + 3);
			} else if (startsWith('<!')) {
				fail('declarations such as <!DOCTYPE> or <!ENTITY> are not allowed');
			} else if (startsWith('<?')) {
				const end = src.indexOf('?>', pos + 2);
				if (end < 0) fail('a processing instruction "<?" is never closed with "?>"');
				advanceTo(end + 2);
			} else if (src[pos] === '<') {
				el.children.push(parseElement(scopesHere, depth + 1));
			} else {
				let end = src.indexOf('<', pos);
				if (end < 0) end = src.length;
				const at = pos;
				const tl = line;
				const text = src.slice(pos, end);
				advanceTo(end);
				el.children.push({ text: decode(text, at), line: tl });
			}
		}
	};

	if (src.charCodeAt(0) === 0xfeff) pos = 1;
	skipMisc();
	if (src[pos] !== '<') fail(pos >= src.length ? 'the file has no XML element' : 'expected "<" at the start of the document');
	const root = parseElement([], 0);
	skipMisc();
	if (pos < src.length) fail('there is content after the end of the root element');
	return root;
}

export function isElement(n: XmlNode): n is XmlElement {
	return (n as XmlElement).name !== undefined;
}

/** Text content of an element (concatenated text and CDATA children, not descendants). */
export function textOf(el: XmlElement): string {
	return el.children.map((c) => (isElement(c) ? '' : c.text)).join('');
}

/** Escapes text for an attribute value or element content. */
export function escapeXml(s: string): string {
	return s.replace(/[&<>"'\r\n\t]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' })[c]!);
}
