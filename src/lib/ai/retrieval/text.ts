/**
 * Text measuring and splitting with character offsets, in single linear passes over char
 * codes (documents reach megabytes; `Intl.Segmenter` over a long string is quadratic in
 * V8 and Unicode-property regexes are slow there).
 */

/** Han, kana, Hangul and CJK punctuation: about one token per character. */
function isCjk(c: number): boolean {
	return (
		(c >= 0x3000 && c <= 0x30ff) ||
		(c >= 0x3400 && c <= 0x4dbf) ||
		(c >= 0x4e00 && c <= 0x9fff) ||
		(c >= 0xac00 && c <= 0xd7af) ||
		(c >= 0xf900 && c <= 0xfaff) ||
		(c >= 0xff00 && c <= 0xffef)
	);
}

export function isSpace(c: number): boolean {
	return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0x3000 || c === 0xfeff;
}

/** Letters and digits of any script (not CJK, not ASCII punctuation or symbols). */
export function isWordChar(c: number): boolean {
	if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
	if (c >= 0x2000 && c <= 0x206f) return false; // general punctuation (dashes, quotes, bullets)
	if (c === 0xab || c === 0xbb || c === 0xa7 || c === 0xb6 || c === 0xbf || c === 0xa1) return false;
	return !isSpace(c) && !isCjk(c);
}

/**
 * Estimated model tokens of `text[start, end)`: a word of n letters counts ⌈n/5⌉ (sub-word
 * tokenizers split long words), every CJK character and punctuation mark one.
 */
export function estimateTokens(text: string, start = 0, end = text.length): number {
	let tokens = 0;
	let word = 0;
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		if (isWordChar(c)) {
			word++;
			continue;
		}
		if (word) {
			tokens += Math.ceil(word / 5);
			word = 0;
		}
		if (!isSpace(c)) tokens++;
	}
	if (word) tokens += Math.ceil(word / 5);
	return tokens;
}

export interface Span {
	start: number;
	end: number;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'fig', 'no', 'vol', 'inc', 'ltd', 'co', 'approx', 'dept']);

function isSentenceEnd(c: number): boolean {
	// . ! ? … and their CJK / fullwidth forms
	return c === 46 || c === 33 || c === 63 || c === 0x2026 || c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0xff0e;
}

function isCloser(c: number): boolean {
	// quotes and brackets that may follow a sentence end
	return c === 34 || c === 39 || c === 41 || c === 93 || c === 0x201d || c === 0x2019 || c === 0xbb || c === 0x300d || c === 0x300f;
}

/**
 * Sentences of `text[start, end)` as trimmed spans. A sentence ends at . ! ? (or a CJK
 * full stop) followed by space or end, not after common abbreviations or single
 * initials; a blank line always ends one.
 */
export function splitSentences(text: string, start = 0, end = text.length): Span[] {
	const out: Span[] = [];
	let s = start;
	const push = (a: number, b: number) => {
		while (a < b && isSpace(text.charCodeAt(a))) a++;
		while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
		if (b > a) out.push({ start: a, end: b });
	};
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			// blank line: paragraph break
			let j = i + 1;
			while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
			if (j < end && text.charCodeAt(j) === 10) {
				push(s, i);
				s = j + 1;
				i = j;
			}
			continue;
		}
		if (!isSentenceEnd(c)) continue;
		let j = i + 1;
		while (j < end && (isSentenceEnd(text.charCodeAt(j)) || isCloser(text.charCodeAt(j)))) j++;
		const cjk = c === 0x3002 || c === 0xff01 || c === 0xff1f;
		if (!cjk && j < end && !isSpace(text.charCodeAt(j))) {
			i = j - 1;
			continue;
		}
		if (c === 46) {
			// the word before the dot: an abbreviation or an initial does not end a sentence
			let w = i;
			while (w > s && !isSpace(text.charCodeAt(w - 1))) w--;
			const word = text.slice(w, i).toLowerCase().replace(/^[("'[]+/, '');
			if (ABBREVIATIONS.has(word) || (word.length === 1 && /[a-z]/.test(word))) {
				i = j - 1;
				continue;
			}
		}
		push(s, j);
		s = j;
		i = j - 1;
	}
	push(s, end);
	return out;
}

/** Word spans of `text[start, end)` (runs of non-space). */
export function splitWords(text: string, start = 0, end = text.length): Span[] {
	const out: Span[] = [];
	let i = start;
	while (i < end) {
		while (i < end && isSpace(text.charCodeAt(i))) i++;
		if (i >= end) break;
		const a = i;
		while (i < end && !isSpace(text.charCodeAt(i))) i++;
		out.push({ start: a, end: i });
	}
	return out;
}

/** Lower-cased search terms of a text (letters and digits, CJK characters one by one). */
export function terms(text: string): string[] {
	const out: string[] = [];
	let a = -1;
	for (let i = 0; i <= text.length; i++) {
		const c = i < text.length ? text.charCodeAt(i) : 32;
		if (i < text.length && isWordChar(c)) {
			if (a < 0) a = i;
			continue;
		}
		if (a >= 0) {
			out.push(text.slice(a, i).toLowerCase());
			a = -1;
		}
		if (i < text.length && isCjk(c) && !(c >= 0x3000 && c <= 0x303f) && !(c >= 0xff00 && c <= 0xff0f)) out.push(text[i]);
	}
	return out;
}

/**
 * Spans of the words of `text` whose folded form (`fold`) is in `wanted`: what to
 * highlight for a set of matched terms. CJK characters are words of their own.
 */
export function matchSpans(text: string, wanted: Set<string>, fold: (w: string) => string): Span[] {
	const out: Span[] = [];
	if (wanted.size === 0) return out;
	let a = -1;
	for (let i = 0; i <= text.length; i++) {
		const c = i < text.length ? text.charCodeAt(i) : 32;
		if (i < text.length && isWordChar(c)) {
			if (a < 0) a = i;
			continue;
		}
		if (a >= 0) {
			if (wanted.has(fold(text.slice(a, i)))) out.push({ start: a, end: i });
			a = -1;
		}
		if (i < text.length && isCjk(c) && wanted.has(text[i])) out.push({ start: i, end: i + 1 });
	}
	return out;
}
