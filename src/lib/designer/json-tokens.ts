/** A tiny JSON tokenizer for the read-only code view (text only: rendered as escaped spans). */
export type TokenKind = 'key' | 'string' | 'number' | 'bool' | 'null' | 'punct' | 'ws';
export interface Token {
	kind: TokenKind;
	text: string;
}

const RE = /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false)|(null)|([{}[\],:])|(\s+)/g;

export function tokenizeJson(src: string): Token[] {
	const out: Token[] = [];
	let last = 0;
	RE.lastIndex = 0;
	for (let m = RE.exec(src); m; m = RE.exec(src)) {
		if (m.index > last) out.push({ kind: 'punct', text: src.slice(last, m.index) });
		if (m[1]) {
			out.push({ kind: m[2] ? 'key' : 'string', text: m[1] });
			if (m[2]) out.push({ kind: 'punct', text: m[2] });
		} else if (m[3]) out.push({ kind: 'number', text: m[3] });
		else if (m[4]) out.push({ kind: 'bool', text: m[4] });
		else if (m[5]) out.push({ kind: 'null', text: m[5] });
		else if (m[6]) out.push({ kind: 'punct', text: m[6] });
		else out.push({ kind: 'ws', text: m[7] });
		last = RE.lastIndex;
	}
	if (last < src.length) out.push({ kind: 'punct', text: src.slice(last) });
	return out;
}

/** Tokens split into lines (for line numbers). */
export function tokenLines(src: string): Token[][] {
	const lines: Token[][] = [[]];
	for (const t of tokenizeJson(src)) {
		const parts = t.text.split('\n');
		parts.forEach((p, i) => {
			if (i > 0) lines.push([]);
			if (p) lines[lines.length - 1].push({ kind: t.kind, text: p });
		});
	}
	return lines;
}
