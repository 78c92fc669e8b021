// Retrieval figures (the knowledge service's own code, run here as in its worker):
//   rag.search_100k_ms      top-10 hybrid search (semantic + keyword + graph, fused) over
//                           100,000 chunks × 384 dimensions, p50 over queries; the query's
//                           embedding is given (the model's time is not the index's)
//   rag.search_vs_orama     the same search (semantic + keyword, top 10) with @orama/orama's
//                           hybrid mode on the same chunks and vectors, in the same run:
//                           our p50 ÷ Orama's p50 (below 1 = we are faster)
//   rag.int8_recall_at_10   int8 vectors with exact rescoring against exact float32 search
//   rag.index_chunks_per_s  documents → chunks → embeddings with the generated test model
//                           through real transformers.js → vectors, keywords and graph saved
//                           in IndexedDB (fake-indexeddb here)
// The corpus is synthetic but shaped like a real one: chunks belong to topics (a topic's
// vectors lie around its centre, its chunks share its words and entities), documents of 20
// chunks under headings, Zipf-distributed words. Everything is seeded: runs are repeatable.
// RAG_BENCH_CHUNKS=20000 npm run bench rag  — a smaller corpus for a quick look.
import 'fake-indexeddb/auto';
import { create, insertMultiple, search as oramaSearch, type AnyOrama } from '@orama/orama';
import type { Report } from '../report';
import { BaseIndex, type ChunkInfo } from '../../../src/lib/ai/retrieval/search';
import { configureLocalRuntime } from '../../../src/lib/ai/embeddings/local';
import type { LocalModelRef } from '../../../src/lib/ai/embeddings/types';
import { KnowledgeService } from '../../../src/lib/ai/retrieval/service';
import { KnowledgeDb } from '../../../src/lib/store/knowledge-db';
import { CORPUS } from '../../ai/retrieval/corpus';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const N = Number(process.env.RAG_BENCH_CHUNKS || 100_000);
const DIMS = 384;
const TOPICS = 2_000;
const PER_DOC = 20;
const QUERIES = 40;
const WARMUP = 5;

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) >>> 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const now = () => performance.now();

// --- the corpus -----------------------------------------------------------------------

// letters by their frequency in English text: words with an English-like spread of prefixes
// and near neighbours (what prefix and fuzzy matching expand into)
const LETTERS = 'eeeeeeeeeeeetttttttttaaaaaaaaoooooooiiiiiiinnnnnnnsssssshhhhhhrrrrrrddddlllluuucccmmmwwffggyyppbbvkjxqz';

interface Corpus {
	vectors: Float32Array[];
	texts: string[];
	chunks: ChunkInfo[];
	titles: string[];
	topicOf: Int32Array;
	topicWords: string[][];
}

function makeCorpus(n: number): Corpus {
	const r = rng(42);
	const gauss = () => {
		const u = Math.max(r(), 1e-12);
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
	};
	const seen = new Set<string>();
	const word = (rank: number) => {
		// frequent words are short, as in any language
		const len = Math.min(12, 2 + Math.floor(Math.log2(rank + 2) / 3) + Math.floor(r() * 4));
		for (;;) {
			let s = '';
			for (let k = 0; k < len; k++) s += LETTERS[Math.floor(r() * LETTERS.length)];
			if (!seen.has(s)) {
				seen.add(s);
				return s;
			}
		}
	};
	const VOCAB = 30_000;
	const vocab = Array.from({ length: VOCAB }, (_, i) => word(i));
	// Zipf: cumulative weights 1/(rank+1)
	const cum = new Float64Array(VOCAB);
	let acc = 0;
	for (let i = 0; i < VOCAB; i++) cum[i] = acc += 1 / (i + 1);
	const zipf = () => {
		const x = r() * acc;
		let lo = 0,
			hi = VOCAB - 1;
		while (lo < hi) {
			const m = (lo + hi) >> 1;
			if (cum[m] < x) lo = m + 1;
			else hi = m;
		}
		return vocab[lo];
	};
	const centres = Array.from({ length: TOPICS }, () => Float32Array.from({ length: DIMS }, gauss));
	const topicWords = Array.from({ length: TOPICS }, () => Array.from({ length: 6 }, () => vocab[200 + Math.floor(r() * (VOCAB - 200))]));
	const topicEntities = Array.from({ length: TOPICS }, (_, t) => `entity ${t}`);
	const vectors: Float32Array[] = [];
	const texts: string[] = [];
	const chunks: ChunkInfo[] = [];
	const titles: string[] = [];
	const topicOf = new Int32Array(n);
	for (let id = 1; id <= n; id++) {
		const docId = Math.ceil(id / PER_DOC);
		const index = (id - 1) % PER_DOC;
		if (index === 0) titles[docId] = `Document ${docId} ${zipf()}`;
		// documents mostly stay on two topics
		const t = Math.floor(r() * 10) < 7 ? (docId * 7) % TOPICS : (docId * 13 + index) % TOPICS;
		topicOf[id - 1] = t;
		const c = centres[t];
		const v = new Float32Array(DIMS);
		for (let j = 0; j < DIMS; j++) v[j] = c[j] + 0.9 * gauss();
		vectors.push(v);
		const words: string[] = [];
		for (let k = 0; k < 36; k++) words.push(r() < 0.2 ? topicWords[t][Math.floor(r() * 6)] : zipf());
		texts.push(words.join(' ') + '.');
		chunks.push({
			id,
			docId,
			index,
			start: index * 300,
			end: index * 300 + 300,
			headings: [titles[docId], `Part ${Math.floor(index / 5) + 1}`],
			tokens: 40,
			entities: r() < 0.3 ? [topicEntities[t]] : [],
			links: []
		});
	}
	return { vectors, texts, chunks, titles, topicOf, topicWords };
}

interface Query {
	text: string;
	vector: Float32Array;
}

/** A query: a few words of a chunk (one of its topic's) and a vector near that chunk. */
function makeQueries(c: Corpus, count: number): Query[] {
	const r = rng(7);
	const out: Query[] = [];
	for (let i = 0; i < count; i++) {
		const id = 1 + Math.floor(r() * c.vectors.length);
		const ws = c.texts[id - 1].replace('.', '').split(' ');
		const text = [c.topicWords[c.topicOf[id - 1]][0], ws[Math.floor(r() * ws.length)], ws[Math.floor(r() * ws.length)]].join(' ');
		const v = Float32Array.from(c.vectors[id - 1], (x) => x + 0.8 * (r() - 0.5) * 2);
		out.push({ text, vector: v });
	}
	return out;
}

function buildIndex(c: Corpus, quantization: 'float32' | 'int8'): BaseIndex {
	const index = new BaseIndex(quantization);
	const vi = index.ensureVectors(DIMS);
	vi.reserve(c.vectors.length);
	for (let d = 1; d < c.titles.length; d++) index.setDocument({ id: d, title: c.titles[d], source: `doc-${d}.md` });
	for (let i = 0; i < c.chunks.length; i += PER_DOC) {
		const slice = c.chunks.slice(i, i + PER_DOC);
		index.addChunks(slice[0].docId, slice);
	}
	for (let i = 0; i < c.vectors.length; i++) vi.upsert(i + 1, c.vectors[i]);
	index.keyword.addAll(c.chunks.map((ch, i) => ({ id: ch.id, text: c.texts[i], headings: ch.headings.join(' '), title: c.titles[ch.docId] })));
	return index;
}

/**
 * Each query's time: the CPU time this process spent on it (user + system), and the wall
 * time. On a shared machine the wall time mostly measures the other processes; the CPU
 * time of a synchronous search is what it costs (on an idle machine the two agree).
 */
async function timeQueries(queries: Query[], run: (q: Query) => Promise<unknown> | unknown): Promise<{ cpu: number[]; wall: number[] }> {
	for (let i = 0; i < WARMUP; i++) await run(queries[i % queries.length]);
	const cpu: number[] = [];
	const wall: number[] = [];
	for (const q of queries) {
		const t = now();
		const c = process.cpuUsage();
		await run(q);
		const d = process.cpuUsage(c);
		wall.push(now() - t);
		cpu.push((d.user + d.system) / 1000);
	}
	return { cpu, wall };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

// --- the benchmark --------------------------------------------------------------------

export default async function (report: Report) {
	const c = makeCorpus(N);
	const queries = makeQueries(c, QUERIES);

	// ours: float32 (the default), the full hybrid search and the Orama-shaped one
	let t = now();
	const ours = buildIndex(c, 'float32');
	const buildMs = now() - t;
	const full = await timeQueries(queries, (q) => ours.search(q.text, q.vector, { topK: 10 }));
	const twoWays = await timeQueries(queries, (q) => ours.search(q.text, q.vector, { topK: 10, weights: { graph: 0 } }));
	const strategies: Record<string, number[]> = { semanticMs: [], keywordMs: [], graphMs: [], fuseMs: [] };
	for (const q of queries) {
		const out = await ours.search(q.text, q.vector, { topK: 10 });
		for (const [k, v] of Object.entries(out.timings)) strategies[k].push(v);
	}
	report('rag.search_100k_ms', pct(full.cpu, 50), 'ms', {
		measure: 'CPU time of the process per search, p50',
		chunks: N,
		dims: DIMS,
		p95: r1(pct(full.cpu, 95)),
		wall_p50: r1(pct(full.wall, 50)),
		semantic_keyword_only_p50: r1(pct(twoWays.cpu, 50)),
		simd: ours.vectors!.simd,
		build_s: Math.round(buildMs / 100) / 10,
		per_strategy_wall_p50_ms: Object.fromEntries(Object.entries(strategies).map(([k, v]) => [k, r1(pct(v, 50))]))
	});

	// int8 with exact rescoring (exact vectors from memory here; the service reads them from IndexedDB)
	const q8 = buildIndex(c, 'int8');
	const exactOf = async (ids: number[]) => new Map(ids.map((id) => [id, c.vectors[id - 1]] as const));
	const semanticOnly = { topK: 10, weights: { semantic: 1, keyword: 0, graph: 0 }, minSimilarity: -1 };
	let found = 0;
	let wanted = 0;
	const recallQueries = makeQueries(c, 200);
	for (const q of recallQueries) {
		const want = (await ours.search(q.text, q.vector, semanticOnly)).hits.map((h) => h.chunkId);
		const got = new Set((await q8.search(q.text, q.vector, semanticOnly, exactOf)).hits.map((h) => h.chunkId));
		wanted += want.length;
		found += want.filter((id) => got.has(id)).length;
	}
	const int8Ms = await timeQueries(queries, (q) => q8.search(q.text, q.vector, { topK: 10 }, exactOf));
	report('rag.int8_recall_at_10', found / wanted, 'recall', { queries: recallQueries.length, chunks: N, int8_search_cpu_p50_ms: r1(pct(int8Ms.cpu, 50)) });

	// Orama on the same chunks, vectors and queries
	t = now();
	const orama: AnyOrama = create({ schema: { text: 'string', headings: 'string', title: 'string', embedding: `vector[${DIMS}]` } as const });
	const docs = c.chunks.map((ch, i) => ({ id: String(ch.id), text: c.texts[i], headings: ch.headings.join(' '), title: c.titles[ch.docId], embedding: Array.from(c.vectors[i]) }));
	await insertMultiple(orama, docs, 2000);
	const oramaBuildMs = now() - t;
	const theirs = await timeQueries(queries, (q) =>
		oramaSearch(orama, {
			mode: 'hybrid',
			term: q.text,
			vector: { value: Array.from(q.vector), property: 'embedding' },
			similarity: 0.2,
			limit: 10,
			boost: { title: 2, headings: 1.5 },
			tolerance: 1
		})
	);
	report('rag.search_vs_orama', pct(twoWays.cpu, 50) / pct(theirs.cpu, 50), 'ratio', {
		measure: 'CPU time p50, ours ÷ Orama',
		ours_p50_ms: r1(pct(twoWays.cpu, 50)),
		orama_p50_ms: r1(pct(theirs.cpu, 50)),
		ours_wall_p50_ms: r1(pct(twoWays.wall, 50)),
		orama_wall_p50_ms: r1(pct(theirs.wall, 50)),
		ours_full_hybrid_p50_ms: r1(pct(full.cpu, 50)),
		orama_build_s: Math.round(oramaBuildMs / 100) / 10,
		chunks: N
	});

	// indexing with the test model, through the service
	const here = dirname(fileURLToPath(import.meta.url));
	configureLocalRuntime({ appModelPath: join(here, '..', '..', 'fixtures', 'models') + '/', allowRemote: false, cacheModels: false });
	const model: LocalModelRef = { kind: 'local', model: 'fsm-studio/test-embedder', source: 'app', dtype: 'q8' };
	const ws = `bench-${process.pid}-${Date.now()}`;
	const service = new KnowledgeService({ workspaceId: ws, db: new KnowledgeDb(ws), broadcast: false });
	try {
		const warm = await service.createBase({ name: 'Warm-up', model, chunking: { maxTokens: 60, overlapTokens: 0 } });
		await service.addDocuments(warm.id, [{ kind: 'text', title: 'warm', text: CORPUS[0].text }]);
		await service.idle();
		const base = await service.createBase({ name: 'Bench', model, chunking: { maxTokens: 60, overlapTokens: 10 } });
		const r = rng(3);
		const sentences = CORPUS.flatMap((d) => d.text.split('\n').filter((l) => l && !l.startsWith('#')));
		const documents = Array.from({ length: 40 }, (_, d) => {
			const parts: string[] = [`# Notes ${d + 1}`];
			for (let s = 0; s < 6; s++) {
				parts.push(`## Part ${s + 1}`);
				for (let p = 0; p < 3; p++) parts.push(Array.from({ length: 4 }, () => sentences[Math.floor(r() * sentences.length)]).join(' ') + ` Note ${d}-${s}-${p}.`);
			}
			return { kind: 'text' as const, title: `notes-${d + 1}`, text: parts.join('\n\n') };
		});
		t = now();
		await service.addDocuments(base.id, documents);
		await service.idle();
		const s = (now() - t) / 1000;
		const [info] = (await service.listBases()).filter((b) => b.id === base.id);
		report('rag.index_chunks_per_s', info.chunks / s, 'chunks/s', { chunks: info.chunks, documents: documents.length, model: 'test-embedder (64 dims, q8)', storage: 'fake-indexeddb' });
	} finally {
		service.close();
	}
}
