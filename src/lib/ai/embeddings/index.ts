/**
 * `embed(texts)`: texts to unit vectors through a local or remote model, in batches, with a
 * cache keyed by model and text hash (identical texts are embedded once, ever).
 */
import { hashString } from '../../effects/hash';
import type { KnowledgeDb } from '../../store/knowledge-db';
import { EmbeddingError, type Embedder } from './types';

export * from './types';

export interface EmbeddingCache {
	getMany(keys: string[]): Promise<(Float32Array | undefined)[]>;
	putMany(entries: { key: string; vector: Float32Array }[]): Promise<void>;
}

export function cacheKey(modelKey: string, text: string): string {
	return `${modelKey}\u0000${text.length}:${hashString(text)}`;
}

/** The cache in the knowledge database; failures degrade to misses (a cache never fails a call). */
export function createDbEmbeddingCache(db: KnowledgeDb, maxEntries = 50_000): EmbeddingCache {
	let writes = 0;
	return {
		async getMany(keys) {
			try {
				const rows = await db.embeddings.bulkGet(keys);
				return rows.map((r) => (r?.v instanceof Float32Array ? r.v : undefined));
			} catch {
				return keys.map(() => undefined);
			}
		},
		async putMany(entries) {
			if (entries.length === 0) return;
			try {
				const at = Date.now();
				await db.embeddings.bulkPut(entries.map((e) => ({ key: e.key, v: e.vector, at })));
				writes += entries.length;
				if (writes > maxEntries / 10) {
					writes = 0;
					const n = await db.embeddings.count();
					if (n > maxEntries) {
						const old = await db.embeddings.orderBy('at').limit(n - maxEntries).primaryKeys();
						await db.embeddings.bulkDelete(old);
					}
				}
			} catch {
				/* full or closed: the vectors are still returned */
			}
		}
	};
}

/** An in-memory cache (tests, Node). */
export function createMemoryEmbeddingCache(): EmbeddingCache & { size(): number } {
	const m = new Map<string, Float32Array>();
	return {
		async getMany(keys) {
			return keys.map((k) => m.get(k));
		},
		async putMany(entries) {
			for (const e of entries) m.set(e.key, e.vector);
		},
		size: () => m.size
	};
}

export interface EmbedOptions {
	cache?: EmbeddingCache;
	signal?: AbortSignal;
	/** Called after each batch the model computed: (texts done, texts to compute). */
	onProgress?: (done: number, total: number) => void;
}

/**
 * Embeds `texts` (unit vectors, in order). Cached texts are not sent to the model; the
 * rest go in batches of the model's size; duplicates are computed once. Empty texts get
 * a zero vector.
 */
export async function embedTexts(embedder: Embedder, texts: string[], o: EmbedOptions = {}): Promise<Float32Array[]> {
	const out: (Float32Array | undefined)[] = new Array(texts.length);
	const keys = texts.map((t) => cacheKey(embedder.key, t));
	const cached = o.cache ? await o.cache.getMany(keys) : [];
	const todo = new Map<string, { text: string; at: number[] }>();
	const empty: number[] = [];
	texts.forEach((t, i) => {
		const hit = cached[i];
		if (hit) out[i] = hit;
		else if (!t.trim()) empty.push(i);
		else {
			const x = todo.get(keys[i]);
			if (x) x.at.push(i);
			else todo.set(keys[i], { text: t, at: [i] });
		}
	});
	const jobs = [...todo.entries()];
	const total = jobs.length;
	o.onProgress?.(0, total);
	for (let b = 0; b < jobs.length; b += embedder.batchSize) {
		if (o.signal?.aborted) throw new EmbeddingError('Embedding was cancelled.', 'cancelled');
		const batch = jobs.slice(b, b + embedder.batchSize);
		const vectors = await embedder.embed(
			batch.map(([, j]) => j.text),
			o.signal
		);
		const fresh: { key: string; vector: Float32Array }[] = [];
		batch.forEach(([key, j], i) => {
			for (const at of j.at) out[at] = vectors[i];
			fresh.push({ key, vector: vectors[i] });
		});
		await o.cache?.putMany(fresh);
		o.onProgress?.(Math.min(total, b + batch.length), total);
	}
	if (empty.length) {
		const dims = embedder.dims ?? out.find((v) => v)?.length;
		if (dims === undefined) throw new EmbeddingError('There is no text to embed: every text is empty.', 'bad_response');
		for (const i of empty) out[i] = new Float32Array(dims);
	}
	return out as Float32Array[];
}
