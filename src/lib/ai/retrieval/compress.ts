/**
 * Context compression: from the retrieved passages, the sentences closest to the query
 * (by embedding, and by the query's words) until a token budget is full, kept in document
 * order and numbered as citations that point at the document, the chunk and the exact
 * character offsets of what was kept.
 */
import { cosine } from './vector-index';
import { foldTerm } from './keyword';
import { estimateTokens, splitSentences, terms } from './text';

export interface Passage {
	chunkId: number;
	docId: number;
	docTitle: string;
	/** Where the document came from (file name, URL). */
	source?: string;
	chunkIndex: number;
	/** Offset of the chunk's text in its document. */
	start: number;
	text: string;
	headings?: string[];
	page?: number;
}

export interface Citation {
	/** The number the model cites: [n]. */
	n: number;
	docId: number;
	docTitle: string;
	source?: string;
	chunkId: number;
	chunkIndex: number;
	/** Character offsets, in the document, of the first and last text kept. */
	start: number;
	end: number;
	/** Each kept span (document offsets). */
	spans: { start: number; end: number }[];
	/** What was kept, spans joined with " … ". */
	text: string;
	page?: number;
}

export interface CompressOptions {
	query: string;
	/** The query's vector, when an embedder is available. */
	queryVector?: Float32Array | null;
	/** Vectors of sentences (same model as the query); missing → word overlap only. */
	embed?: (texts: string[]) => Promise<Float32Array[]>;
	budgetTokens: number;
}

export interface Compressed {
	/** Numbered sources, ready for a prompt. */
	context: string;
	citations: Citation[];
	tokens: number;
	/** Whether sentences were dropped to fit the budget. */
	compressed: boolean;
}

interface Sentence {
	p: number;
	start: number;
	end: number;
	text: string;
	tokens: number;
	score: number;
}

function header(c: Pick<Citation, 'n' | 'docTitle' | 'page'>, headings?: string[]): string {
	const where = [c.docTitle, ...(headings ?? []).filter((h) => h !== c.docTitle)].join(' › ');
	return `[${c.n}] ${where}${c.page ? ` (page ${c.page})` : ''}`;
}

/** Compresses `passages` (best first) to the budget; see the module comment. */
export async function compressContext(passages: Passage[], o: CompressOptions): Promise<Compressed> {
	const budget = Math.max(1, o.budgetTokens);
	const headerTokens = (p: Passage, n: number) => estimateTokens(header({ n, docTitle: p.docTitle, page: p.page }, p.headings)) + 2;
	const sentences: Sentence[] = [];
	passages.forEach((p, pi) => {
		for (const s of splitSentences(p.text)) {
			const text = p.text.slice(s.start, s.end);
			sentences.push({ p: pi, start: s.start, end: s.end, text, tokens: estimateTokens(text), score: 0 });
		}
	});
	const total = passages.reduce((t, p, i) => t + headerTokens(p, i + 1), 0) + sentences.reduce((t, s) => t + s.tokens, 0);
	let keep: Sentence[];
	let compressed = false;
	if (total <= budget) keep = sentences;
	else {
		compressed = true;
		// relevance: cosine to the query (when vectors exist) and the share of query words present
		const qTerms = [...new Set(terms(o.query).map(foldTerm))];
		let vectors: Float32Array[] | undefined;
		if (o.queryVector && o.embed && sentences.length) {
			try {
				vectors = await o.embed(sentences.map((s) => s.text));
			} catch {
				vectors = undefined;
			}
		}
		sentences.forEach((s, i) => {
			const words = new Set(terms(s.text).map(foldTerm));
			const lexical = qTerms.length ? qTerms.filter((t) => words.has(t)).length / qTerms.length : 0;
			const semantic = vectors && o.queryVector ? Math.max(0, cosine(o.queryVector, vectors[i])) : 0;
			// passages ranked higher by retrieval break ties
			s.score = (vectors ? 0.7 * semantic + 0.3 * lexical : lexical) + 0.02 / (1 + s.p);
		});
		const order = sentences.map((_, i) => i).sort((a, b) => sentences[b].score - sentences[a].score || a - b);
		const chosen = new Set<number>();
		const opened = new Set<number>();
		let used = 0;
		for (const i of order) {
			const s = sentences[i];
			const extra = s.tokens + (opened.has(s.p) ? 0 : headerTokens(passages[s.p], opened.size + 1));
			if (used + extra > budget) continue;
			used += extra;
			opened.add(s.p);
			chosen.add(i);
		}
		keep = sentences.filter((_, i) => chosen.has(i));
	}
	// group per passage in retrieval order, sentences in text order; merge touching sentences
	const citations: Citation[] = [];
	const blocks: string[] = [];
	passages.forEach((p, pi) => {
		const mine = keep.filter((s) => s.p === pi).sort((a, b) => a.start - b.start);
		if (!mine.length) return;
		const spans: { start: number; end: number }[] = [];
		for (const s of mine) {
			const last = spans[spans.length - 1];
			const between = last ? p.text.slice(last.end, s.start) : '';
			if (last && !between.trim()) last.end = s.end;
			else spans.push({ start: s.start, end: s.end });
		}
		const text = spans.map((s) => p.text.slice(s.start, s.end)).join(' … ');
		const c: Citation = {
			n: citations.length + 1,
			docId: p.docId,
			docTitle: p.docTitle,
			source: p.source,
			chunkId: p.chunkId,
			chunkIndex: p.chunkIndex,
			start: p.start + spans[0].start,
			end: p.start + spans[spans.length - 1].end,
			spans: spans.map((s) => ({ start: p.start + s.start, end: p.start + s.end })),
			text,
			...(p.page ? { page: p.page } : {})
		};
		citations.push(c);
		blocks.push(`${header(c, p.headings)}\n${text}`);
	});
	const context = blocks.join('\n\n');
	return { context, citations, tokens: estimateTokens(context), compressed };
}

/** The numbers cited in an answer ("[2]", "[1][3]", "[1, 3]"), in order of first use. */
export function citedNumbers(answer: string): number[] {
	const seen: number[] = [];
	for (const m of answer.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
		for (const n of m[1].split(',').map((x) => Number(x.trim()))) if (!seen.includes(n)) seen.push(n);
	}
	return seen;
}
