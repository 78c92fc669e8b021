/**
 * How text is written inside a Mermaid state diagram, for the exporter and the importer.
 *
 * Mermaid reads state names, notes and arrow labels as HTML, and its lexer gives meaning to
 * characters anywhere on a line (`;` ends a label, `#` starts a comment, `%%{…}%%` is a
 * directive, a line containing `direction LR` is a direction statement, `<<fork>>` and
 * `[[fork]]` make pseudo-states). Mermaid's own escape is the entity code `#60;`, which it
 * turns into `&#60;` before drawing, so the character is shown as itself. Every character
 * that could mean something is written that way; the importer decodes them back.
 */

/** Characters always written as entity codes in names, notes and labels. */
const SPECIAL = /[#;"\r\n\t:{}<>&%`[\]]/g;
/** In arrow labels the event name also escapes what the label syntax uses: ` / action`. */
const SPECIAL_EVENT = /[#;"\r\n\t:{}<>&%`[\]/]/g;

/** Writes text (a name, a note, a guard) so that Mermaid shows exactly it. */
export function escapeText(s: string, chars: RegExp = SPECIAL): string {
	return (
		s
			.replace(chars, (c) => `#${c.charCodeAt(0)};`)
			// A line that contains "direction TB" anywhere is read as a direction statement.
			.replace(/(d)(irection)(?=\s|#(?:9|10|13|32);)/gi, (_, d: string, rest: string) => `#${d.charCodeAt(0)};${rest}`)
			// Leading and trailing spaces would be trimmed by Mermaid.
			.replace(/^ +| +$/g, (sp) => '#32;'.repeat(sp.length))
	);
}

/** Event names escape the label syntax too (`[guard]`, ` / action`). */
export const escapeEvent = (s: string) => escapeText(s, SPECIAL_EVENT);

const NAMED: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', semi: ';', colon: ':', num: '#', nbsp: '\u00a0', apos: "'", percnt: '%', lbrack: '[', rbrack: ']', lbrace: '{', rbrace: '}', bsol: '\\', sol: '/', grave: '`', vert: '|' };

/** Decodes Mermaid entity codes (`#60;`, `#lt;`) and the HTML entities people write by hand (`&lt;`). */
export function unescapeText(s: string): string {
	return s.replace(/[#&](?:#?(\d{1,7})|(x[0-9a-fA-F]{1,6})|([A-Za-z]{2,8}));/g, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
		if (name !== undefined) return Object.hasOwn(NAMED, name) ? NAMED[name] : m;
		const n = dec !== undefined ? Number(dec) : parseInt(hex!.slice(1), 16);
		if (m[0] === '#' && hex !== undefined) return m;
		return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
	});
}

/** The workflow name as a YAML double-quoted scalar (front matter `title:`), valid for any text. */
export function yamlQuote(s: string): string {
	return (
		'"' +
		s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => {
			if (c === '\\') return '\\\\';
			if (c === '"') return '\\"';
			if (c === '\n') return '\\n';
			if (c === '\t') return '\\t';
			if (c === '\r') return '\\r';
			return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
		}) +
		'"'
	);
}

/** Reads a YAML scalar as written after `title:` (double-quoted, single-quoted or plain). */
export function yamlScalar(raw: string): string {
	const s = raw.trim();
	if (s.startsWith('"')) {
		let out = '';
		for (let i = 1; i < s.length; i++) {
			const c = s[i];
			if (c === '"') return out;
			if (c !== '\\') {
				out += c;
				continue;
			}
			const e = s[++i];
			const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v', ' ': ' ', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', '\t': '\t' };
			if (e !== undefined && Object.hasOwn(simple, e)) out += simple[e];
			else if (e === 'x' || e === 'u' || e === 'U') {
				const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
				const hex = s.slice(i + 1, i + 1 + len);
				if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === len) {
					out += String.fromCodePoint(parseInt(hex, 16));
					i += len;
				} else out += '\\' + e;
			} else out += '\\' + (e ?? '');
		}
		return out;
	}
	if (s.startsWith("'")) {
		let out = '';
		for (let i = 1; i < s.length; i++) {
			if (s[i] === "'") {
				if (s[i + 1] === "'") {
					out += "'";
					i++;
					continue;
				}
				return out;
			}
			out += s[i];
		}
		return out;
	}
	// A plain scalar ends at a comment (" #").
	const hash = s.search(/\s#/);
	return (hash >= 0 ? s.slice(0, hash) : s).trim();
}
