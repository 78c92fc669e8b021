/**
 * embed_text, vector_search and rag as effect handlers. `rag` runs its steps as child
 * effects — `retrieve` (vector_search), `compress` (knowledge.compress) and `answer`
 * (call_llm) — so each is a span of its own on the effect timeline, with call_llm's
 * streaming, fallback, usage and budget for free.
 */
import { EffectError } from '../../effects/errors';
import type { EffectContext } from '../../effects/types';
import { EmbeddingError, DEFAULT_LOCAL_MODEL, type EmbeddingModelRef } from '../embeddings/types';
import { citedNumbers, type Citation, type Passage } from './compress';
import { getKnowledgeService } from './instance';
import type { KnowledgeHandlerEnv } from './handlers';
import type { ResultItem } from './service';

function toEffectError(e: unknown): never {
	if (e instanceof EffectError) throw e;
	if (e instanceof EmbeddingError) {
		const code = e.code === 'cancelled' ? 'cancelled' : e.code === 'rate_limit' ? 'rate_limited' : e.code === 'network' || e.code === 'cors' ? 'network' : 'failed';
		throw new EffectError(code, e.message, { cause: e });
	}
	throw new EffectError('failed', (e as Error)?.message ?? String(e), { cause: e });
}

function str(v: unknown): string {
	return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

interface EmbedParams {
	text: string | string[];
	collection?: string;
	provider?: string;
	model?: string;
	dimensions?: number;
}

export async function embedText(p: EmbedParams, ctx: EffectContext, env: KnowledgeHandlerEnv): Promise<number[] | number[][]> {
	const many = Array.isArray(p.text);
	const texts = (many ? (p.text as unknown[]) : [p.text]).map(str);
	if (texts.length === 0) throw new EffectError('invalid_params', 'There is no text to embed: `text` is an empty list.');
	if (texts.every((t) => !t.trim())) throw new EffectError('invalid_params', 'There is no text to embed: the text is empty.');
	try {
		const svc = await getKnowledgeService(env.workspaceId);
		let ref: EmbeddingModelRef;
		if (p.collection) ref = (await svc.resolveBase(p.collection)).model as unknown as EmbeddingModelRef;
		else if (p.provider) {
			if (!p.model) throw new EffectError('invalid_params', `Name the embedding model of ${p.provider} (for OpenAI: text-embedding-3-small; Gemini: gemini-embedding-001; Ollama: nomic-embed-text).`);
			ref = { kind: 'remote', provider: p.provider, model: p.model, ...(p.dimensions ? { dimensions: p.dimensions } : {}) };
		} else if (p.model) ref = { ...DEFAULT_LOCAL_MODEL, model: p.model };
		else ref = DEFAULT_LOCAL_MODEL;
		const vectors = await ctx.guard(svc.embed(texts, ref, ctx.signal));
		const out = vectors.map((v) => Array.from(v));
		return many ? out : out[0];
	} catch (e) {
		return toEffectError(e);
	}
}

interface SearchParams {
	collection: string;
	query: string;
	topK: number;
	hybrid: boolean;
	semanticWeight: number;
	keywordWeight: number;
	graphWeight: number;
	minScore: number;
	diversity: number;
}

/** One search result as workflows see it. */
export interface SearchResultValue {
	text: string;
	score: number;
	document: string;
	documentId: number;
	source: string;
	chunkId: number;
	chunk: number;
	start: number;
	end: number;
	headings: string[];
	page?: number;
	ranks: ResultItem['ranks'];
}

export async function vectorSearch(p: SearchParams, ctx: EffectContext, env: KnowledgeHandlerEnv): Promise<SearchResultValue[]> {
	const query = str(p.query);
	if (!query.trim()) return [];
	try {
		const svc = await getKnowledgeService(env.workspaceId);
		const r = await ctx.guard(
			svc.search(p.collection, query, {
				topK: p.topK ?? 5,
				weights: p.hybrid === false ? { semantic: 1, keyword: 0, graph: 0 } : { semantic: p.semanticWeight ?? 1, keyword: p.keywordWeight ?? 1, graph: p.graphWeight ?? 0.5 },
				minScore: p.minScore ?? 0,
				mmrLambda: 1 - (p.diversity ?? 0)
			})
		);
		if (r.skipped.semantic && r.results.length === 0 && (p.hybrid === false || (p.keywordWeight ?? 1) === 0)) {
			throw new EffectError('failed', `Semantic search could not run: ${r.skipped.semantic}`);
		}
		return r.results.map((x) => ({
			text: x.text,
			score: Math.round(x.score * 10000) / 10000,
			document: x.docTitle,
			documentId: x.docId,
			source: x.source,
			chunkId: x.chunkId,
			chunk: x.chunkIndex,
			start: x.start,
			end: x.end,
			headings: x.headings,
			...(x.page ? { page: x.page } : {}),
			ranks: x.ranks
		}));
	} catch (e) {
		return toEffectError(e);
	}
}

interface RagParams {
	question: string;
	collection: string;
	topK: number;
	contextTokens: number;
	citations: boolean;
	system?: string;
	provider?: string;
	model?: string;
	temperature: number;
	maxTokens: number;
	fallback: { provider: string; model?: string }[];
}

interface RagScratch {
	question: string;
	collection: string;
	passages: SearchResultValue[];
	budgetTokens: number;
	system?: string;
	prompt?: string;
}

const SCRATCH = '__rag';

/** The internal `compress` step of rag: its inputs come through `results.__rag`. */
export async function compress(_p: unknown, ctx: EffectContext, env: KnowledgeHandlerEnv) {
	const s = ctx.results[SCRATCH] as RagScratch | undefined;
	if (!s) throw new EffectError('invalid_params', 'knowledge.compress runs only inside rag.');
	try {
		const svc = await getKnowledgeService(env.workspaceId);
		const passages: Passage[] = s.passages.map((x) => ({
			chunkId: x.chunkId,
			docId: x.documentId,
			docTitle: x.document,
			source: x.source,
			chunkIndex: x.chunk,
			start: x.start,
			text: x.text,
			headings: x.headings,
			page: x.page
		}));
		return await ctx.guard(svc.compress(s.collection, s.question, passages, s.budgetTokens));
	} catch (e) {
		return toEffectError(e);
	}
}

export const DEFAULT_RAG_SYSTEM =
	'Answer the question using only the numbered sources below. After each sentence that uses a source, cite it with its number in square brackets, like [1] or [2][3]. If the sources do not contain the answer, say that they do not, and do not guess.';
const NO_CITATIONS_SYSTEM = 'Answer the question using only the sources below. If they do not contain the answer, say that they do not, and do not guess.';

/** Where the Knowledge page shows a cited chunk. */
export function citationHref(baseId: string, c: Pick<Citation, 'docId' | 'chunkId' | 'start' | 'end'>): string {
	return `/knowledge?base=${encodeURIComponent(baseId)}&doc=${c.docId}&chunk=${c.chunkId}&from=${c.start}&to=${c.end}`;
}

export async function rag(p: RagParams, ctx: EffectContext, env: KnowledgeHandlerEnv) {
	const question = str(p.question);
	if (!question.trim()) throw new EffectError('invalid_params', 'The question is empty.');
	let baseId: string;
	try {
		baseId = (await (await getKnowledgeService(env.workspaceId)).resolveBase(p.collection)).id;
	} catch (e) {
		return toEffectError(e);
	}
	const scratch: RagScratch = { question, collection: baseId, passages: [], budgetTokens: p.contextTokens ?? 1500 };
	const withScratch = (extra: Partial<RagScratch>) => ({ results: { ...ctx.results, [SCRATCH]: { ...scratch, ...extra } } });

	const passages = (await ctx.child(
		{ type: 'vector_search', id: 'retrieve', collection: baseId, query: `{{ results.${SCRATCH}.question }}`, topK: p.topK ?? 5 },
		'retrieve',
		withScratch({})
	)) as SearchResultValue[];
	if (passages.length === 0) {
		return { answer: `Nothing in the knowledge base matches the question, so no model was asked.`, citations: [], sources: [], found: false };
	}
	const compressed = (await ctx.child({ type: 'knowledge.compress', id: 'compress' }, 'compress', withScratch({ passages }))) as {
		context: string;
		citations: Citation[];
		tokens: number;
	};
	const system = p.system?.trim() || (p.citations === false ? NO_CITATIONS_SYSTEM : DEFAULT_RAG_SYSTEM);
	const prompt = `Sources:\n\n${compressed.context}\n\nQuestion: ${question}`;
	const value = await ctx.child(
		{
			type: 'call_llm',
			id: 'answer',
			...(p.provider ? { provider: p.provider } : {}),
			...(p.model ? { model: p.model } : {}),
			fallback: p.fallback ?? [],
			system: `{{ results.${SCRATCH}.system }}`,
			prompt: `{{ results.${SCRATCH}.prompt }}`,
			temperature: p.temperature ?? 0.2,
			maxTokens: p.maxTokens ?? 1024,
			stream: true
		},
		'answer',
		withScratch({ passages, system, prompt })
	);
	const answer = typeof value === 'string' ? value : JSON.stringify(value);
	const sources = compressed.citations.map((c) => ({
		n: c.n,
		document: c.docTitle,
		documentId: c.docId,
		source: c.source,
		chunkId: c.chunkId,
		chunk: c.chunkIndex,
		start: c.start,
		end: c.end,
		text: c.text,
		...(c.page ? { page: c.page } : {}),
		href: citationHref(baseId, c)
	}));
	const cited = p.citations === false ? [] : citedNumbers(answer).flatMap((n) => sources.filter((s) => s.n === n));
	return { answer, citations: cited, sources, found: true };
}
