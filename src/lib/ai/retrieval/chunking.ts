/**
 * Structural chunking: a document is cut along its headings, then its paragraphs, then
 * sentences, then words, into chunks of at most `maxTokens` (estimated), each starting
 * with the last sentences of the one before it (`overlapTokens`) within a section.
 * Every chunk is an exact slice `text.slice(start, end)` of the document, so citations
 * can point at character offsets.
 */
import { estimateTokens, isSpace, splitSentences, splitWords, type Span } from './text';

export interface ChunkingOptions {
	/** Largest chunk, in estimated tokens. */
	maxTokens: number;
	/** Tokens repeated from the end of the previous chunk of the same section. */
	overlapTokens: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { maxTokens: 200, overlapTokens: 30 };

export interface ChunkDraft {
	/** Position in the document (0-based). */
	index: number;
	start: number;
	end: number;
	text: string;
	/** Headings above this chunk, outermost first (the chunk's own heading included). */
	headings: string[];
	tokens: number;
}

/** Clamps user-given options into a workable range. */
export function normalizeChunking(o: Partial<ChunkingOptions> = {}): ChunkingOptions {
	const maxTokens = Math.max(16, Math.min(4096, Math.round(o.maxTokens ?? DEFAULT_CHUNKING.maxTokens)));
	const overlapTokens = Math.max(0, Math.min(Math.floor(maxTokens / 2), Math.round(o.overlapTokens ?? DEFAULT_CHUNKING.overlapTokens)));
	return { maxTokens, overlapTokens };
}

interface Block extends Span {
	kind: 'heading' | 'text' | 'code';
	level?: number;
	title?: string;
}

/** Markdown-aware block scan: ATX and setext headings, fenced code, blank-line paragraphs. */
export function scanBlocks(text: string): Block[] {
	const blocks: Block[] = [];
	const n = text.length;
	let i = 0;
	let para = -1;
	let paraEnd = -1;
	let fence: string | null = null;
	let fenceStart = -1;
	const closePara = () => {
		if (para >= 0) blocks.push({ kind: 'text', start: para, end: paraEnd });
		para = -1;
	};
	while (i < n) {
		let e = text.indexOf('\n', i);
		if (e < 0) e = n;
		// the line without its \r and surrounding space
		let a = i;
		let b = e;
		while (a < b && isSpace(text.charCodeAt(a))) a++;
		while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
		const c0 = text.charCodeAt(a);
		if (fence !== null) {
			if (b - a >= 3 && text.startsWith(fence, a) && text.slice(a, b).replace(/[`~]/g, '') === '') {
				blocks.push({ kind: 'code', start: fenceStart, end: b });
				fence = null;
			}
		} else if (a === b) {
			closePara();
		} else if ((c0 === 96 || c0 === 126) && text.startsWith(c0 === 96 ? '```' : '~~~', a)) {
			closePara();
			fence = c0 === 96 ? '```' : '~~~';
			fenceStart = a;
		} else if (c0 === 35 && a - i < 4) {
			let h = a;
			while (h < b && text.charCodeAt(h) === 35) h++;
			const level = h - a;
			if (level <= 6 && (h === b || text.charCodeAt(h) === 32 || text.charCodeAt(h) === 9)) {
				closePara();
				const title = text
					.slice(h, b)
					.replace(/\s+#+\s*$/, '')
					.trim();
				blocks.push({ kind: 'heading', level, title, start: a, end: b });
			} else {
				if (para < 0) para = a;
				paraEnd = b;
			}
		} else if (para >= 0 && /^(=+|-+)$/.test(text.slice(a, b))) {
			// setext heading: the paragraph's last line, underlined
			let hs = text.lastIndexOf('\n', paraEnd - 1) + 1;
			if (hs < para) hs = para;
			if (hs > para) blocks.push({ kind: 'text', start: para, end: hs - 1 });
			while (isSpace(text.charCodeAt(hs))) hs++;
			blocks.push({ kind: 'heading', level: c0 === 61 ? 1 : 2, title: text.slice(hs, paraEnd).trim(), start: hs, end: b });
			para = -1;
		} else {
			if (para < 0) para = a;
			paraEnd = b;
		}
		i = e + 1;
	}
	if (fence !== null) blocks.push({ kind: 'code', start: fenceStart, end: n });
	closePara();
	// trim text blocks (a setext split can leave trailing space)
	return blocks.filter((bl) => {
		while (bl.end > bl.start && isSpace(text.charCodeAt(bl.end - 1))) bl.end--;
		return bl.end > bl.start;
	});
}

/** Pieces of a block no longer than `max` tokens: lines, then sentences, then words. */
function pieces(text: string, span: Span, max: number): Span[] {
	if (estimateTokens(text, span.start, span.end) <= max) return [span];
	const out: Span[] = [];
	const sentences = splitSentences(text, span.start, span.end);
	for (const s of sentences) {
		if (estimateTokens(text, s.start, s.end) <= max) {
			out.push(s);
			continue;
		}
		// lines inside an overlong sentence (lists, tables), else windows of words
		const lines: Span[] = [];
		let a = s.start;
		for (let k = s.start; k <= s.end; k++) {
			if (k === s.end || text.charCodeAt(k) === 10) {
				let x = a;
				let y = k;
				while (x < y && isSpace(text.charCodeAt(x))) x++;
				while (y > x && isSpace(text.charCodeAt(y - 1))) y--;
				if (y > x) lines.push({ start: x, end: y });
				a = k + 1;
			}
		}
		for (const l of lines) {
			if (estimateTokens(text, l.start, l.end) <= max) {
				out.push(l);
				continue;
			}
			let w0 = -1;
			let wEnd = -1;
			let t = 0;
			for (const w of splitWords(text, l.start, l.end)) {
				const wt = estimateTokens(text, w.start, w.end);
				// a single "word" longer than the budget (a base64 blob): cut it by characters
				if (wt > max) {
					if (w0 >= 0) out.push({ start: w0, end: wEnd });
					const step = max * 5;
					for (let p = w.start; p < w.end; p += step) out.push({ start: p, end: Math.min(w.end, p + step) });
					w0 = -1;
					t = 0;
					continue;
				}
				if (w0 >= 0 && t + wt > max) {
					out.push({ start: w0, end: wEnd });
					w0 = -1;
					t = 0;
				}
				if (w0 < 0) w0 = w.start;
				wEnd = w.end;
				t += wt;
			}
			if (w0 >= 0) out.push({ start: w0, end: wEnd });
		}
	}
	return out;
}

interface Open {
	start: number;
	end: number;
	tokens: number;
	headings: string[];
	/** Whether anything but headings is in it. */
	hasBody: boolean;
}

/** Cuts `text` into chunks (see the module comment). */
export function chunkText(text: string, options: Partial<ChunkingOptions> = {}): ChunkDraft[] {
	const { maxTokens, overlapTokens } = normalizeChunking(options);
	const chunks: ChunkDraft[] = [];
	const path: { level: number; title: string }[] = [];
	let cur: Open | null = null;

	const emit = (c: Open) => {
		chunks.push({
			index: chunks.length,
			start: c.start,
			end: c.end,
			text: text.slice(c.start, c.end),
			headings: c.headings,
			tokens: estimateTokens(text, c.start, c.end)
		});
	};
	/** Start of the overlap: the last whole sentences of [start, end) within the budget. */
	const overlapStart = (start: number, end: number): number => {
		if (overlapTokens <= 0) return end;
		const sentences = splitSentences(text, start, end);
		let from = end;
		let t = 0;
		for (let k = sentences.length - 1; k >= 0; k--) {
			const st = estimateTokens(text, sentences[k].start, sentences[k].end);
			if (t + st > overlapTokens) break;
			t += st;
			from = sentences[k].start;
		}
		// never a whole chunk again: at least one sentence must be new
		return from <= start ? end : from;
	};

	for (const block of scanBlocks(text)) {
		if (block.kind === 'heading') {
			// a heading starts a section: no overlap across it
			if (cur && cur.hasBody) {
				emit(cur);
				cur = null;
			}
			while (path.length && path[path.length - 1].level >= block.level!) path.pop();
			path.push({ level: block.level!, title: block.title! });
			const headings = path.map((p) => p.title);
			const ht = estimateTokens(text, block.start, block.end);
			if (cur && cur.tokens + ht <= maxTokens) {
				cur.end = block.end;
				cur.tokens += ht;
				cur.headings = headings;
			} else {
				if (cur) emit(cur);
				cur = { start: block.start, end: block.end, tokens: ht, headings, hasBody: false };
			}
			continue;
		}
		const headings = path.map((p) => p.title);
		for (const piece of pieces(text, block, maxTokens)) {
			const pt = estimateTokens(text, piece.start, piece.end);
			if (cur && cur.tokens + pt > maxTokens) {
				const prev: Open = cur;
				emit(prev);
				cur = null;
				if (prev.hasBody) {
					const o = overlapStart(prev.start, prev.end);
					const ot = o < prev.end ? estimateTokens(text, o, prev.end) : 0;
					if (o < prev.end && ot + pt <= maxTokens) cur = { start: o, end: prev.end, tokens: ot, headings, hasBody: true };
				}
			}
			if (cur) {
				cur.end = piece.end;
				cur.tokens += pt;
				cur.hasBody = true;
			} else cur = { start: piece.start, end: piece.end, tokens: pt, headings, hasBody: true };
		}
	}
	if (cur) emit(cur);
	return chunks;
}
