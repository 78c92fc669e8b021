/**
 * Knowledge bases of a workspace: documents, their text, chunks, vectors and the keyword
 * index, in their own IndexedDB database (`fsm-knowledge-<workspace>`: a prefix no other
 * database of the app uses, so no workspace name can make two databases collide).
 *
 * Vectors and chunk metadata are stored one record per document (IndexedDB costs tens of
 * microseconds per record, so a base of 100,000 chunks loads from a few hundred records);
 * chunk texts one record per chunk, since search reads only the few it shows.
 */
import Dexie, { type EntityTable, type Table } from 'dexie';

export type Quantization = 'float32' | 'int8';

/** The embedding model of a base as stored (the ai layer's `EmbeddingModelRef`). */
export interface StoredModelRef {
	kind: 'local' | 'remote';
	model: string;
	[option: string]: unknown;
}

export interface KnowledgeBaseRecord {
	id: string;
	name: string;
	description?: string;
	model: StoredModelRef;
	/** `modelKey(model)`: vectors made with another key are stale. */
	modelKey: string;
	chunking: { maxTokens: number; overlapTokens: number };
	quantization: Quantization;
	/** Vector size of the current model, once known. */
	dims?: number;
	createdAt: number;
	updatedAt: number;
	/** Bumped on every change; other tabs and workers reload when it moves. */
	revision: number;
}

export type DocumentStatus = 'queued' | 'indexing' | 'ready' | 'error' | 'interrupted';

export interface DocumentRecord {
	id?: number;
	baseId: string;
	title: string;
	/** File name, URL, or "pasted text". */
	source: string;
	format: string;
	/** Size of what was added, in bytes. */
	bytes: number;
	chars: number;
	status: DocumentStatus;
	error?: string;
	chunkCount: number;
	/** `modelKey` of its vectors (stale when the base's model changed). */
	modelKey?: string;
	/** Chunking it was cut with. */
	chunking?: { maxTokens: number; overlapTokens: number };
	pageStarts?: number[];
	addedAt: number;
	indexedAt?: number;
}

export interface DocumentTextRecord {
	docId: number;
	baseId: string;
	text: string;
}

export interface ChunkMeta {
	id: number;
	index: number;
	start: number;
	end: number;
	headings: string[];
	tokens: number;
	entities: string[];
	links: string[];
	page?: number;
}

/** Chunk metadata of one document. */
export interface ChunkSetRecord {
	docId: number;
	baseId: string;
	chunks: ChunkMeta[];
}

export interface ChunkTextRecord {
	id: number;
	docId: number;
	baseId: string;
	text: string;
}

/** Vectors of one document's chunks, row i for `ids[i]`. */
export interface VectorSetRecord {
	docId: number;
	baseId: string;
	modelKey: string;
	dims: number;
	ids: number[];
	/** float32: n × dims floats; int8: n × dims codes. */
	data: Float32Array | Int8Array;
	quantization: Quantization;
	/** Per-row scale of the int8 codes. */
	scales?: Float32Array;
}

/** Exact vectors of an int8 base, one per chunk, read only to rescore the top candidates. */
export interface ExactVectorRecord {
	id: number;
	docId: number;
	baseId: string;
	v: Float32Array;
}

export interface KeywordIndexRecord {
	baseId: string;
	json: string;
	ids: number[];
	revision: number;
}

export interface EmbeddingCacheRecord {
	key: string;
	v: Float32Array;
	at: number;
}

export interface CounterRecord {
	name: string;
	value: number;
}

export function knowledgeDbName(workspaceId = 'default'): string {
	return `fsm-knowledge-${workspaceId}`;
}

export class KnowledgeDb extends Dexie {
	bases!: EntityTable<KnowledgeBaseRecord, 'id'>;
	documents!: EntityTable<DocumentRecord, 'id'>;
	texts!: Table<DocumentTextRecord, number>;
	chunkSets!: Table<ChunkSetRecord, number>;
	chunkTexts!: EntityTable<ChunkTextRecord, 'id'>;
	vectorSets!: Table<VectorSetRecord, number>;
	exactVectors!: EntityTable<ExactVectorRecord, 'id'>;
	keyword!: Table<KeywordIndexRecord, string>;
	embeddings!: EntityTable<EmbeddingCacheRecord, 'key'>;
	counters!: EntityTable<CounterRecord, 'name'>;

	constructor(workspaceId = 'default', options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
		super(knowledgeDbName(workspaceId), { cache: 'disabled', ...options });
		this.version(1).stores({
			bases: 'id, name',
			documents: '++id, baseId, [baseId+status]',
			texts: 'docId, baseId',
			chunkSets: 'docId, baseId',
			chunkTexts: 'id, docId, baseId',
			vectorSets: 'docId, baseId',
			exactVectors: 'id, docId, baseId',
			keyword: 'baseId',
			embeddings: 'key, at',
			counters: 'name'
		});
	}

	/** Reserves `n` consecutive chunk ids (chunk ids are numbers: vectors index them in typed arrays). */
	async reserveChunkIds(n: number): Promise<number> {
		return this.transaction('rw', this.counters, async () => {
			const c = await this.counters.get('chunk');
			const first = (c?.value ?? 0) + 1;
			await this.counters.put({ name: 'chunk', value: first + n - 1 });
			return first;
		});
	}
}

/** Whether an error is the browser refusing to store more. */
export function isQuotaError(e: unknown): boolean {
	const x = e as { name?: string; inner?: { name?: string }; message?: string } | undefined;
	return x?.name === 'QuotaExceededError' || x?.inner?.name === 'QuotaExceededError' || /quota/i.test(x?.message ?? '');
}
