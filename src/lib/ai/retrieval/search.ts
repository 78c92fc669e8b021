/**
 * One knowledge base in memory — vectors, keyword index, chunk graph and chunk metadata —
 * and hybrid search over it: semantic, keyword and graph lists fused by weighted RRF, then
 * a minimum score and MMR for diversity.
 */
import { ChunkGraph, type GraphNode } from './graph';
import { KeywordIndex, type KeywordOptions } from './keyword';
import { mmr, reciprocalRankFusion, type RankedList, type Strategy } from './fusion';
import { VectorIndex, cosine, rescore, type Quantization } from './vector-index';

export interface ChunkInfo {
	id: number;
	docId: number;
	index: number;
	start: number;
	end: number;
	headings: string[];
	tokens: number;
	entities: string[];
	links: string[];
	page?: number;
}

export interface DocInfo {
	id: number;
	title: string;
	source: string;
}

export interface SearchOptions {
	/** How many results. */
	topK?: number;
	/** Weight of each strategy in the fusion; 0 switches it off. */
	weights?: Partial<Record<Strategy, number>>;
	keyword?: KeywordOptions;
	/** MMR's λ: 1 = pure relevance (off), lower = more diverse. */
	mmrLambda?: number;
	/** Minimum fused score, 0–1 (1 = first in every strategy). */
	minScore?: number;
	/** Semantic hits below this cosine similarity are not hits at all (default 0.2). */
	minSimilarity?: number;
	/** Length of each strategy's list before fusion. */
	candidates?: number;
	/** Only these documents. */
	documentIds?: number[];
}

/** Cosine below which a chunk is not semantically related to the query. */
export const DEFAULT_MIN_SIMILARITY = 0.2;

export const DEFAULT_WEIGHTS: Record<Strategy, number> = { semantic: 1, keyword: 1, graph: 0.5 };

export interface SearchHit {
	chunkId: number;
	docId: number;
	/** 1-based fused rank. */
	rank: number;
	/** Fused score over the best possible, 0–1. */
	score: number;
	/** Raw RRF score. */
	rrf: number;
	ranks: Partial<Record<Strategy, number>>;
	/** Each strategy's own score: cosine, BM25, graph weight. */
	scores: Partial<Record<Strategy, number>>;
	/** Document terms the keyword search matched. */
	terms: string[];
	/** How the graph reached it. */
	reasons?: string[];
}

export interface SearchTimings {
	semanticMs: number;
	keywordMs: number;
	graphMs: number;
	fuseMs: number;
}

export interface SearchOutcome {
	hits: SearchHit[];
	/** Each strategy's list before fusion (ids, best first), for the playground. */
	lists: Record<Strategy, number[]>;
	timings: SearchTimings;
	/** Strategies that could not run, with why. */
	skipped: Partial<Record<Strategy, string>>;
}

/** Loads exact vectors of candidates (int8 bases keep them out of memory). */
export type ExactVectors = (ids: number[]) => Promise<Map<number, Float32Array>>;

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export class BaseIndex {
	readonly chunks = new Map<number, ChunkInfo>();
	readonly docs = new Map<number, DocInfo>();
	keyword = new KeywordIndex();
	readonly graph = new ChunkGraph();
	vectors: VectorIndex | null = null;
	/** Chunks of each document. */
	private readonly byDoc = new Map<number, number[]>();

	constructor(
		readonly quantization: Quantization = 'float32',
		private readonly simd?: boolean
	) {}

	/** Creates the vector index for `dims` (dropping vectors of another size). */
	ensureVectors(dims: number): VectorIndex {
		if (!this.vectors || this.vectors.dims !== dims) this.vectors = new VectorIndex(dims, { quantization: this.quantization, simd: this.simd });
		return this.vectors;
	}

	setDocument(doc: DocInfo): void {
		this.docs.set(doc.id, doc);
		this.graph.setDocument(doc);
	}

	/** Adds a document's chunks to the graph and the metadata (vectors and keywords are added separately). */
	addChunks(docId: number, chunks: ChunkInfo[]): void {
		const ids = this.byDoc.get(docId) ?? [];
		for (const c of chunks) {
			this.chunks.set(c.id, c);
			ids.push(c.id);
			this.graph.add(c as GraphNode);
		}
		this.byDoc.set(docId, ids);
	}

	chunkIdsOf(docId: number): number[] {
		return this.byDoc.get(docId) ?? [];
	}

	removeDocument(docId: number): number[] {
		const ids = this.byDoc.get(docId) ?? [];
		for (const id of ids) {
			this.chunks.delete(id);
			this.vectors?.remove(id);
		}
		this.keyword.remove(ids);
		this.graph.removeDocument(docId);
		this.byDoc.delete(docId);
		this.docs.delete(docId);
		return ids;
	}

	/** Drops every vector (the model changed); keywords and graph stay. */
	clearVectors(): void {
		this.vectors = null;
	}

	async search(query: string, queryVector: Float32Array | null, o: SearchOptions = {}, exact?: ExactVectors): Promise<SearchOutcome> {
		const topK = Math.max(1, Math.min(200, Math.floor(o.topK ?? 5)));
		const weights = { ...DEFAULT_WEIGHTS, ...(o.weights ?? {}) };
		const n = Math.max(o.candidates ?? 50, topK * 5);
		const allowDocs = o.documentIds ? new Set(o.documentIds) : null;
		const allow = allowDocs ? (id: number) => allowDocs.has(this.chunks.get(id)?.docId ?? -1) : undefined;
		const lists: Record<Strategy, number[]> = { semantic: [], keyword: [], graph: [] };
		const scores = new Map<number, Partial<Record<Strategy, number>>>();
		const setScore = (id: number, s: Strategy, v: number) => {
			let x = scores.get(id);
			if (!x) scores.set(id, (x = {}));
			x[s] = v;
		};
		const skipped: SearchOutcome['skipped'] = {};
		const timings: SearchTimings = { semanticMs: 0, keywordMs: 0, graphMs: 0, fuseMs: 0 };
		const matched = new Map<number, string[]>();
		const reasons = new Map<number, string[]>();
		if (!query.trim()) return { hits: [], lists, timings, skipped };

		// semantic
		let t = now();
		const qv = queryVector && queryVector.some((x) => x !== 0) ? queryVector : null;
		const vectors = this.vectors;
		if (!(weights.semantic > 0)) skipped.semantic = 'weight is 0';
		else if (!qv) skipped.semantic = queryVector ? 'the query has no words the model knows' : 'no embedding model';
		else if (!vectors || vectors.size === 0) skipped.semantic = 'no vectors yet';
		else if (vectors.dims !== qv.length) skipped.semantic = 'the vectors were made by another model (re-index)';
		else {
			let hits = vectors.search(qv, vectors.quantization === 'int8' ? n * 3 : n, { allow });
			if (vectors.quantization === 'int8') {
				const got = exact ? await exact(hits.map((h) => h.id)) : new Map<number, Float32Array>();
				// candidates without an exact vector keep their approximate score
				hits = rescore(
					qv,
					hits.map((h) => ({ id: h.id, vector: got.get(h.id) ?? vectors.get(h.id)! })),
					n
				);
			}
			const floor = o.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
			for (const h of hits) {
				if (h.score < floor) break;
				lists.semantic.push(h.id);
				setScore(h.id, 'semantic', h.score);
			}
		}
		timings.semanticMs = now() - t;

		// keyword
		t = now();
		if (!(weights.keyword > 0)) skipped.keyword = 'weight is 0';
		else {
			for (const h of this.keyword.search(query, n, o.keyword, allow)) {
				lists.keyword.push(h.id);
				setScore(h.id, 'keyword', h.score);
				matched.set(h.id, h.terms);
			}
		}
		timings.keywordMs = now() - t;

		// graph: expand from the best of the other two
		t = now();
		if (!(weights.graph > 0)) skipped.graph = 'weight is 0';
		else {
			const first = reciprocalRankFusion([
				{ strategy: 'semantic', ids: lists.semantic.slice(0, 10), weight: weights.semantic },
				{ strategy: 'keyword', ids: lists.keyword.slice(0, 10), weight: weights.keyword }
			]).slice(0, 5);
			if (first.length) {
				const relevance = qv && vectors && vectors.dims === qv.length ? (id: number) => {
					const v = vectors.get(id);
					return v ? cosine(qv, v) : 0;
				} : undefined;
				const expanded = this.graph.expand(
					first.map((f) => ({ id: f.id, weight: f.normalized })),
					relevance,
					allow
				);
				for (const e of expanded.slice(0, n)) {
					lists.graph.push(e.id);
					setScore(e.id, 'graph', e.score);
					reasons.set(e.id, e.reasons);
				}
			}
		}
		timings.graphMs = now() - t;

		// fusion, minimum score, diversity
		t = now();
		const ranked: RankedList[] = (['semantic', 'keyword', 'graph'] as Strategy[]).map((s) => ({ strategy: s, ids: lists[s], weight: weights[s] }));
		let fused = reciprocalRankFusion(ranked);
		const min = o.minScore ?? 0;
		if (min > 0) fused = fused.filter((f) => f.normalized >= min);
		const lambda = o.mmrLambda ?? 1;
		if (lambda < 1 && vectors) {
			const pool = fused.slice(0, topK * 4);
			const cache = new Map<number, Float32Array | undefined>();
			const vec = (id: number) => {
				if (!cache.has(id)) cache.set(id, vectors.get(id));
				return cache.get(id);
			};
			const top = pool[0]?.normalized || 1;
			fused = mmr(pool, topK, lambda, (f) => f.normalized / top, (a, b) => {
				const va = vec(a.id);
				const vb = vec(b.id);
				return va && vb ? cosine(va, vb) : 0;
			});
		}
		const hits: SearchHit[] = fused.slice(0, topK).map((f, i) => ({
			chunkId: f.id,
			docId: this.chunks.get(f.id)?.docId ?? -1,
			rank: i + 1,
			score: f.normalized,
			rrf: f.score,
			ranks: f.ranks,
			scores: scores.get(f.id) ?? {},
			terms: matched.get(f.id) ?? [],
			...(reasons.has(f.id) ? { reasons: reasons.get(f.id) } : {})
		}));
		timings.fuseMs = now() - t;
		return { hits, lists, timings, skipped };
	}
}
