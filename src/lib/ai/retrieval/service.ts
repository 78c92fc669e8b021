/**
 * The knowledge service of a workspace: knowledge bases in IndexedDB, indexing jobs
 * (extract → chunk → embed → save, with progress and cancel), and search. It runs in the
 * knowledge worker (browser) or in-process (Node); every method takes and returns plain
 * data, so Comlink can carry it.
 */
import { embedTexts, createDbEmbeddingCache, type EmbeddingCache } from '../embeddings/index';
import { createLocalEmbedder } from '../embeddings/local';
import { createRemoteEmbedder, type EmbeddingProviderConfig } from '../embeddings/remote';
import {
	DEFAULT_LOCAL_MODEL,
	EmbeddingError,
	modelKey,
	modelLabel,
	type Embedder,
	type EmbeddingModelRef,
	type ModelLoadProgress
} from '../embeddings/types';
import {
	KnowledgeDb,
	isQuotaError,
	type ChunkMeta,
	type DocumentRecord,
	type KnowledgeBaseRecord,
	type Quantization,
	type VectorSetRecord
} from '../../store/knowledge-db';
import { chunkText, normalizeChunking, type ChunkingOptions } from './chunking';
import { compressContext, type Citation, type Compressed, type Passage } from './compress';
import { extractFile, formatOf, formatSize, MAX_FILE_BYTES, textToExtracted, type ExtractResult, type PdfJs } from './extract';
import { extractEntities, extractLinks } from './graph';
import { KeywordIndex, foldTerm } from './keyword';
import { BaseIndex, type ChunkInfo, type SearchHit, type SearchOptions, type SearchTimings } from './search';
import { matchSpans, terms, type Span } from './text';
import { quantizeInt8 } from './vector-index';
import type { Strategy } from './fusion';

export type DocumentSource =
	| { kind: 'text'; title: string; text: string }
	| { kind: 'file'; name: string; mime?: string; bytes: Uint8Array }
	| { kind: 'url'; url: string };

export interface JobState {
	id: string;
	baseId: string;
	kind: 'add' | 'reindex';
	status: 'queued' | 'running' | 'done' | 'cancelled' | 'failed';
	/** The document being worked on. */
	docId?: number;
	docTitle?: string;
	/** 1-based position of that document in the job, and how many the job has. */
	docIndex: number;
	docCount: number;
	phase?: 'reading' | 'chunking' | 'loading model' | 'embedding' | 'saving';
	/** Progress within the phase (chunks embedded of total). */
	done: number;
	total: number;
	/** Documents that failed, with why. */
	failures: { title: string; error: string }[];
	error?: string;
}

export type KnowledgeEvent =
	| { type: 'bases' }
	| { type: 'documents'; baseId: string }
	| { type: 'job'; job: JobState }
	| { type: 'model'; modelKey: string; progress: ModelLoadProgress }
	| { type: 'warning'; baseId?: string; message: string };

export interface BaseSummary extends KnowledgeBaseRecord {
	documents: number;
	chunks: number;
	/** Documents whose vectors come from another model or chunking (re-index pending). */
	stale: number;
	modelLabel: string;
}

export interface BaseInput {
	name: string;
	description?: string;
	model?: EmbeddingModelRef;
	chunking?: Partial<ChunkingOptions>;
	quantization?: Quantization;
}

export interface ResultItem extends SearchHit {
	text: string;
	docTitle: string;
	source: string;
	chunkIndex: number;
	headings: string[];
	/** Offsets of the chunk in its document. */
	start: number;
	end: number;
	page?: number;
	/** Matched words, offsets in `text`. */
	highlights: Span[];
}

export interface SearchResponse {
	baseId: string;
	query: string;
	results: ResultItem[];
	/** Each strategy's own ranking (chunk ids, best first, at most 10). */
	lists: Record<Strategy, number[]>;
	timings: SearchTimings & { embedMs: number; totalMs: number };
	skipped: Partial<Record<Strategy, string>>;
}

export interface RetrieveOptions extends SearchOptions {
	/** Token budget of the compressed context. */
	budgetTokens?: number;
}

export interface RetrieveResponse extends SearchResponse {
	context: string;
	citations: Citation[];
	contextTokens: number;
	compressed: boolean;
}

export interface KnowledgeServiceOptions {
	workspaceId?: string;
	db?: KnowledgeDb;
	/** Builds an embedder (tests inject; default: transformers.js or a remote API). */
	embedderFor?: (ref: EmbeddingModelRef, onProgress: (p: ModelLoadProgress) => void) => Embedder | Promise<Embedder>;
	/** Provider settings by id, for remote embedding models (Settings → Providers). */
	resolveProvider?: (id: string) => Promise<EmbeddingProviderConfig | undefined>;
	loadPdfJs?: () => Promise<PdfJs>;
	fetch?: typeof fetch;
	/** WebAssembly SIMD for the vector scan (default: when available). */
	simd?: boolean;
	/** Tell other tabs and workers about changes (BroadcastChannel), default true where it exists. */
	broadcast?: boolean;
	cache?: EmbeddingCache;
}

class Cancelled extends Error {
	constructor() {
		super('Indexing was cancelled.');
	}
}

interface Loaded {
	index: BaseIndex;
	revision: number;
	modelKey: string;
	quantization: Quantization;
}

interface QueuedJob {
	state: JobState;
	controller: AbortController;
	run: (job: QueuedJob) => Promise<void>;
}

const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export function describeError(e: unknown): string {
	if (isQuotaError(e)) return 'The browser has no more storage for this site. Delete documents or knowledge bases you no longer need (or free space in the browser’s site settings), then try again. Everything indexed before is kept.';
	return (e as Error)?.message ?? String(e);
}

export class KnowledgeService {
	readonly db: KnowledgeDb;
	private readonly o: KnowledgeServiceOptions;
	private readonly cache: EmbeddingCache;
	private readonly loaded = new Map<string, Promise<Loaded>>();
	private readonly embedders = new Map<string, Promise<Embedder>>();
	private readonly listeners = new Map<number, (e: KnowledgeEvent) => void>();
	private nextListener = 1;
	private readonly queue: QueuedJob[] = [];
	private running: QueuedJob | undefined;
	private readonly jobs = new Map<string, QueuedJob>();
	private channel: BroadcastChannel | undefined;

	constructor(options: KnowledgeServiceOptions = {}) {
		this.o = options;
		this.db = options.db ?? new KnowledgeDb(options.workspaceId ?? 'default');
		this.cache = options.cache ?? createDbEmbeddingCache(this.db);
		if (options.broadcast !== false && typeof BroadcastChannel !== 'undefined') {
			this.channel = new BroadcastChannel(`fsm-knowledge:${options.workspaceId ?? 'default'}`);
			this.channel.onmessage = (m: MessageEvent<{ baseId?: string; revision?: number; kind: string }>) => {
				const d = m.data;
				if (d.baseId) this.loaded.delete(d.baseId);
				if (d.kind === 'bases') this.emit({ type: 'bases' });
				else if (d.baseId) this.emit({ type: 'documents', baseId: d.baseId });
			};
		}
	}

	// --- events ------------------------------------------------------------------------

	/** Listens to changes and job progress; returns an id for `unsubscribe`. */
	subscribe(listener: (e: KnowledgeEvent) => void): number {
		const id = this.nextListener++;
		this.listeners.set(id, listener);
		return id;
	}
	unsubscribe(id: number): void {
		this.listeners.delete(id);
	}
	private emit(e: KnowledgeEvent) {
		for (const l of this.listeners.values()) {
			try {
				void Promise.resolve(l(e)).catch(() => {});
			} catch {
				/* a listener's failure is its own */
			}
		}
	}
	private announce(kind: 'bases' | 'documents', baseId?: string, revision?: number) {
		this.channel?.postMessage({ kind, baseId, revision });
		this.emit(kind === 'bases' ? { type: 'bases' } : { type: 'documents', baseId: baseId! });
	}

	close(): void {
		this.channel?.close();
		for (const j of this.jobs.values()) j.controller.abort();
		this.db.close();
	}

	// --- bases -------------------------------------------------------------------------

	async listBases(): Promise<BaseSummary[]> {
		const bases = await this.db.bases.orderBy('name').toArray();
		return Promise.all(bases.map((b) => this.summary(b)));
	}

	private async summary(b: KnowledgeBaseRecord): Promise<BaseSummary> {
		const docs = await this.db.documents.where('baseId').equals(b.id).toArray();
		const ready = docs.filter((d) => d.status === 'ready');
		return {
			...b,
			documents: docs.length,
			chunks: ready.reduce((n, d) => n + d.chunkCount, 0),
			stale: ready.filter((d) => d.modelKey !== b.modelKey || !sameChunking(d.chunking, b.chunking)).length,
			modelLabel: modelLabel(b.model as EmbeddingModelRef)
		};
	}

	/** A base by id or by name (case-insensitive), as effects name them. */
	async resolveBase(ref: string): Promise<KnowledgeBaseRecord> {
		const byId = await this.db.bases.get(ref);
		if (byId) return byId;
		const all = await this.db.bases.toArray();
		const byName = all.find((b) => b.name.trim().toLowerCase() === ref.trim().toLowerCase());
		if (byName) return byName;
		const names = all.map((b) => `“${b.name}”`).join(', ');
		throw new Error(
			all.length
				? `There is no knowledge base “${ref}”. This workspace has ${names}.`
				: `There is no knowledge base “${ref}”: this workspace has none yet. Create one on the Knowledge page.`
		);
	}

	async createBase(input: BaseInput): Promise<BaseSummary> {
		const name = input.name.trim();
		if (!name) throw new Error('Give the knowledge base a name.');
		const all = await this.db.bases.toArray();
		if (all.some((b) => b.name.trim().toLowerCase() === name.toLowerCase())) throw new Error(`A knowledge base named “${name}” exists already. Choose another name.`);
		const model = input.model ?? DEFAULT_LOCAL_MODEL;
		const now = Date.now();
		const rec: KnowledgeBaseRecord = {
			id: newId('kb_'),
			name,
			description: input.description,
			model: model as unknown as KnowledgeBaseRecord['model'],
			modelKey: modelKey(model),
			chunking: normalizeChunking(input.chunking),
			quantization: input.quantization ?? 'float32',
			createdAt: now,
			updatedAt: now,
			revision: 1
		};
		await this.db.bases.add(rec);
		this.announce('bases');
		return this.summary(rec);
	}

	/**
	 * Changes a base. A new model, chunking or vector format re-indexes every document (a
	 * job with progress); the returned summary says how many are stale until it is done.
	 */
	async updateBase(id: string, patch: Partial<BaseInput>): Promise<BaseSummary & { jobId?: string }> {
		const base = await this.db.bases.get(id);
		if (!base) throw new Error('That knowledge base no longer exists.');
		const next: KnowledgeBaseRecord = { ...base, updatedAt: Date.now(), revision: base.revision + 1 };
		if (patch.name !== undefined) {
			const name = patch.name.trim();
			if (!name) throw new Error('Give the knowledge base a name.');
			const all = await this.db.bases.toArray();
			if (all.some((b) => b.id !== id && b.name.trim().toLowerCase() === name.toLowerCase())) throw new Error(`A knowledge base named “${name}” exists already.`);
			next.name = name;
		}
		if (patch.description !== undefined) next.description = patch.description;
		let reindex = false;
		if (patch.model) {
			const key = modelKey(patch.model);
			if (key !== base.modelKey) {
				next.model = patch.model as unknown as KnowledgeBaseRecord['model'];
				next.modelKey = key;
				next.dims = undefined;
				reindex = true;
			}
		}
		if (patch.chunking) {
			const c = normalizeChunking({ ...base.chunking, ...patch.chunking });
			if (!sameChunking(c, base.chunking)) {
				next.chunking = c;
				reindex = true;
			}
		}
		if (patch.quantization && patch.quantization !== base.quantization) {
			next.quantization = patch.quantization;
			reindex = true;
		}
		await this.db.bases.put(next);
		this.loaded.delete(id);
		this.announce('bases', id, next.revision);
		const summary = await this.summary(next);
		if (reindex && summary.documents > 0) return { ...summary, jobId: this.reindex(id) };
		return summary;
	}

	async deleteBase(id: string): Promise<void> {
		for (const j of this.jobs.values()) if (j.state.baseId === id) j.controller.abort();
		const db = this.db;
		await db.transaction('rw', [db.bases, db.documents, db.texts, db.chunkSets, db.chunkTexts, db.vectorSets, db.exactVectors, db.keyword], async () => {
			await db.documents.where('baseId').equals(id).delete();
			await db.texts.where('baseId').equals(id).delete();
			await db.chunkSets.where('baseId').equals(id).delete();
			await db.chunkTexts.where('baseId').equals(id).delete();
			await db.vectorSets.where('baseId').equals(id).delete();
			await db.exactVectors.where('baseId').equals(id).delete();
			await db.keyword.delete(id);
			await db.bases.delete(id);
		});
		this.loaded.delete(id);
		this.announce('bases', id);
	}

	// --- documents ---------------------------------------------------------------------

	async listDocuments(baseId: string): Promise<DocumentRecord[]> {
		// ids grow in the order documents were added (addedAt can tie between two quick adds)
		return (await this.db.documents.where('baseId').equals(baseId).toArray()).sort((a, b) => a.id! - b.id!);
	}

	async getDocument(docId: number): Promise<{ document: DocumentRecord; text: string; chunks: ChunkMeta[] } | undefined> {
		const document = await this.db.documents.get(docId);
		if (!document) return undefined;
		const [t, set] = await Promise.all([this.db.texts.get(docId), this.db.chunkSets.get(docId)]);
		return { document, text: t?.text ?? '', chunks: set?.chunks ?? [] };
	}

	async getChunk(chunkId: number): Promise<{ chunk: ChunkMeta; text: string; document: DocumentRecord } | undefined> {
		const row = await this.db.chunkTexts.get(chunkId);
		if (!row) return undefined;
		const [document, set] = await Promise.all([this.db.documents.get(row.docId), this.db.chunkSets.get(row.docId)]);
		const chunk = set?.chunks.find((c) => c.id === chunkId);
		if (!document || !chunk) return undefined;
		return { chunk, text: row.text, document };
	}

	/**
	 * Queues documents for indexing; they are listed at once (status `queued`) and indexed
	 * one after another by a job whose progress comes as events. Returns the job id.
	 */
	async addDocuments(baseId: string, sources: DocumentSource[]): Promise<string> {
		const base = await this.db.bases.get(baseId);
		if (!base) throw new Error('That knowledge base no longer exists.');
		if (sources.length === 0) throw new Error('There is nothing to add.');
		const now = Date.now();
		const docs: DocumentRecord[] = sources.map((s, i) => ({
			baseId,
			title: s.kind === 'text' ? s.title.trim() || 'Pasted text' : s.kind === 'file' ? s.name : s.url,
			source: s.kind === 'text' ? 'pasted text' : s.kind === 'file' ? s.name : s.url,
			format: s.kind === 'text' ? 'markdown' : s.kind === 'file' ? (formatOf(s.name, s.mime) ?? 'unknown') : 'url',
			bytes: s.kind === 'text' ? new TextEncoder().encode(s.text).length : s.kind === 'file' ? s.bytes.length : 0,
			chars: 0,
			status: 'queued',
			chunkCount: 0,
			addedAt: now + i / 1000
		}));
		const ids = (await this.db.documents.bulkAdd(docs, { allKeys: true })) as number[];
		this.announce('documents', baseId);
		const items = sources.map((s, i) => ({ source: s, docId: ids[i], title: docs[i].title }));
		return this.enqueue(baseId, 'add', items.length, async (job) => {
			for (let i = 0; i < items.length; i++) {
				const it = items[i];
				Object.assign(job.state, { docIndex: i + 1, docId: it.docId, docTitle: it.title, done: 0, total: 0, phase: 'reading' as const });
				this.progress(job);
				try {
					await this.indexSource(job, it.docId, it.source);
				} catch (e) {
					if (e instanceof Cancelled || job.controller.signal.aborted) {
						// a cancelled job leaves nothing half-done: this and the waiting documents go
						await this.dropDocuments(baseId, items.slice(i).map((x) => x.docId));
						throw new Cancelled();
					}
					const message = describeError(e);
					job.state.failures.push({ title: it.title, error: message });
					await this.db.documents.update(it.docId, { status: 'error', error: message }).catch(() => {});
					this.announce('documents', baseId);
				}
			}
		});
	}

	/** Re-indexes every document of a base from its stored text. */
	reindex(baseId: string, docIds?: number[]): string {
		return this.enqueue(baseId, 'reindex', 0, async (job) => {
			const docs = (await this.listDocuments(baseId)).filter((d) => (docIds ? docIds.includes(d.id!) : d.status !== 'queued'));
			job.state.docCount = docs.length;
			for (let i = 0; i < docs.length; i++) {
				const d = docs[i];
				Object.assign(job.state, { docIndex: i + 1, docId: d.id, docTitle: d.title, done: 0, total: 0, phase: 'reading' as const });
				this.progress(job);
				const t = await this.db.texts.get(d.id!);
				if (!t) {
					job.state.failures.push({ title: d.title, error: 'Its text was not kept; add the document again.' });
					continue;
				}
				try {
					await this.indexText(job, d.id!, { title: d.title, text: t.text, format: d.format as never, pageStarts: d.pageStarts });
				} catch (e) {
					if (e instanceof Cancelled || job.controller.signal.aborted) throw new Cancelled();
					const message = describeError(e);
					job.state.failures.push({ title: d.title, error: message });
					await this.db.documents.update(d.id!, { status: 'error', error: message }).catch(() => {});
					this.announce('documents', baseId);
				}
			}
		});
	}

	/** Indexes a failed or interrupted document again from its stored text. */
	async retryDocument(docId: number): Promise<string> {
		const d = await this.db.documents.get(docId);
		if (!d) throw new Error('That document no longer exists.');
		return this.reindex(d.baseId, [docId]);
	}

	/** Deletes a document: its text, chunks, vectors and keyword entries. */
	async removeDocument(docId: number): Promise<void> {
		const d = await this.db.documents.get(docId);
		if (!d) return;
		for (const j of this.jobs.values()) if (j.state.docId === docId && j.state.kind === 'add') j.controller.abort();
		await this.dropDocuments(d.baseId, [docId]);
	}

	private async dropDocuments(baseId: string, docIds: number[]) {
		const db = this.db;
		let revision = 0;
		await db.transaction('rw', [db.bases, db.documents, db.texts, db.chunkSets, db.chunkTexts, db.vectorSets, db.exactVectors], async () => {
			await db.documents.bulkDelete(docIds);
			await db.texts.bulkDelete(docIds);
			await db.chunkSets.bulkDelete(docIds);
			await db.vectorSets.bulkDelete(docIds);
			await db.chunkTexts.where('docId').anyOf(docIds).delete();
			await db.exactVectors.where('docId').anyOf(docIds).delete();
			revision = await this.bump(baseId);
		});
		const l = await this.peek(baseId);
		if (l) {
			for (const id of docIds) l.index.removeDocument(id);
			l.revision = revision;
			await this.saveKeyword(baseId, l);
		}
		this.announce('documents', baseId, revision);
	}

	private async bump(baseId: string): Promise<number> {
		const b = await this.db.bases.get(baseId);
		if (!b) return 0;
		const revision = b.revision + 1;
		await this.db.bases.update(baseId, { revision, updatedAt: Date.now() });
		return revision;
	}

	// --- jobs --------------------------------------------------------------------------

	private enqueue(baseId: string, kind: JobState['kind'], docCount: number, run: QueuedJob['run']): string {
		const state: JobState = { id: newId('job_'), baseId, kind, status: 'queued', docIndex: 0, docCount, done: 0, total: 0, failures: [] };
		const job: QueuedJob = { state, controller: new AbortController(), run };
		this.jobs.set(state.id, job);
		this.queue.push(job);
		this.progress(job);
		void this.pump();
		return state.id;
	}

	/** Cancels a queued or running job (what it already saved stays). */
	cancelJob(jobId: string): void {
		const j = this.jobs.get(jobId);
		if (!j) return;
		j.controller.abort();
		const i = this.queue.indexOf(j);
		if (i >= 0) {
			this.queue.splice(i, 1);
			j.state.status = 'cancelled';
			this.progress(j);
			this.jobs.delete(jobId);
			if (j.state.kind === 'add') void this.cleanupQueued(j.state.baseId);
		}
	}

	private async cleanupQueued(baseId: string) {
		const queued = await this.db.documents.where('[baseId+status]').equals([baseId, 'queued']).primaryKeys();
		if (queued.length) await this.dropDocuments(baseId, queued as number[]);
	}

	listJobs(): JobState[] {
		return [...this.jobs.values()].map((j) => ({ ...j.state }));
	}

	/** Resolves when no job is queued or running. */
	async idle(): Promise<void> {
		while (this.running || this.queue.length) await new Promise((r) => setTimeout(r, 5));
	}

	/** Web Lock held while indexing: one tab indexes a workspace at a time, and none takes its documents for interrupted. */
	private get lockName() {
		return `fsm-knowledge-index:${this.o.workspaceId ?? 'default'}`;
	}

	private withLock<T>(fn: () => Promise<T>): Promise<T> {
		const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
		return locks ? (locks.request(this.lockName, fn) as Promise<T>) : fn();
	}

	/**
	 * Documents left `queued` or `indexing` by a tab that closed are marked `interrupted`
	 * (their text is kept, so “Index again” can finish them). Skipped while another tab indexes.
	 */
	async recoverInterrupted(): Promise<number> {
		const run = async () => {
			if (this.running || this.queue.length) return 0;
			const stuck = await this.db.documents.filter((d) => d.status === 'queued' || d.status === 'indexing').toArray();
			for (const d of stuck) {
				const hasText = !!(await this.db.texts.get(d.id!));
				await this.db.documents.update(d.id!, {
					status: hasText ? 'interrupted' : 'error',
					error: hasText ? 'Indexing stopped before it finished (the page was closed).' : 'Adding stopped before the document was read (the page was closed). Add it again.'
				});
			}
			for (const b of new Set(stuck.map((d) => d.baseId))) this.announce('documents', b);
			return stuck.length;
		};
		const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
		if (!locks) return run();
		return (await locks.request(this.lockName, { ifAvailable: true }, (lock) => (lock ? run() : 0))) as number;
	}

	private async pump() {
		if (this.running) return;
		const job = this.queue.shift();
		if (!job) return;
		this.running = job;
		job.state.status = 'running';
		this.progress(job);
		try {
			await this.withLock(() => job.run(job));
			job.state.status = 'done';
		} catch (e) {
			if (e instanceof Cancelled || job.controller.signal.aborted) job.state.status = 'cancelled';
			else {
				job.state.status = 'failed';
				job.state.error = describeError(e);
			}
		} finally {
			const l = await this.peek(job.state.baseId).catch(() => undefined);
			if (l) await this.saveKeyword(job.state.baseId, l);
			this.progress(job);
			this.jobs.delete(job.state.id);
			this.running = undefined;
			this.announce('documents', job.state.baseId);
			void this.pump();
		}
	}

	private lastProgress = 0;
	private progress(job: QueuedJob, throttle = false) {
		const t = Date.now();
		if (throttle && t - this.lastProgress < 50) return;
		this.lastProgress = t;
		this.emit({ type: 'job', job: { ...job.state, failures: [...job.state.failures] } });
	}

	private check(job: QueuedJob) {
		if (job.controller.signal.aborted) throw new Cancelled();
	}

	// --- indexing ----------------------------------------------------------------------

	private async readSource(source: DocumentSource, signal: AbortSignal): Promise<ExtractResult> {
		if (source.kind === 'text') {
			if (!source.text.trim()) return { ok: false, error: 'The pasted text is empty: there is nothing to index.' };
			return textToExtracted(source.text, source.title.trim() || 'Pasted text', 'markdown');
		}
		if (source.kind === 'file') {
			return extractFile({ name: source.name, mime: source.mime, bytes: source.bytes, loadPdfJs: this.o.loadPdfJs });
		}
		return this.fetchUrl(source.url, signal);
	}

	/** Downloads a page or file by URL; a refusal by the browser is explained. */
	async fetchUrl(url: string, signal?: AbortSignal): Promise<ExtractResult> {
		let u: URL;
		try {
			u = new URL(url);
		} catch {
			return { ok: false, error: `“${url}” is not a web address. It should look like https://example.com/page.` };
		}
		if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, error: `Only http:// and https:// addresses can be added (not ${u.protocol}).` };
		const f = this.o.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
		let res: Response;
		try {
			res = await f(u.href, { signal, redirect: 'follow', credentials: 'omit' });
		} catch (e) {
			if (signal?.aborted) throw new Cancelled();
			const page = typeof location !== 'undefined' ? location.protocol : '';
			if (page === 'https:' && u.protocol === 'http:') {
				return { ok: false, error: `${u.host} is a plain http:// address and this page is https://, so the browser blocks it. Use the https:// address, or download the page and add it as a file.` };
			}
			return {
				ok: false,
				error: `${u.host} did not let the browser read ${u.href}. Most sites do not allow other sites to read their pages (they send no CORS header), or the address cannot be reached. Save the page (Ctrl+S) and add the file, or copy its text and paste it. (${(e as Error)?.message ?? e})`
			};
		}
		if (!res.ok) return { ok: false, error: `${u.host} answered HTTP ${res.status} ${res.statusText} for ${u.href}. Check the address.` };
		const length = Number(res.headers.get('content-length') ?? '0');
		if (length > MAX_FILE_BYTES) return { ok: false, error: `${u.href} is ${formatSize(length)}; documents up to ${formatSize(MAX_FILE_BYTES)} can be added.` };
		const bytes = new Uint8Array(await res.arrayBuffer());
		const name = decodeURIComponent(u.pathname.split('/').filter(Boolean).pop() ?? u.host);
		const mime = res.headers.get('content-type') ?? '';
		const format = formatOf('', mime) ?? formatOf(name) ?? 'text';
		const fileName = formatOf(name) === format ? name : `${name || u.host}.${format === 'markdown' ? 'md' : format === 'text' ? 'txt' : format}`;
		const r = await extractFile({ name: fileName, mime, bytes, loadPdfJs: this.o.loadPdfJs });
		if (r.ok && format !== 'html') r.value.title = name || u.host;
		return r;
	}

	private async indexSource(job: QueuedJob, docId: number, source: DocumentSource) {
		const extracted = await this.readSource(source, job.controller.signal);
		this.check(job);
		if (!extracted.ok) throw new Error(extracted.error);
		const x = extracted.value;
		const doc = await this.db.documents.get(docId);
		if (!doc) throw new Cancelled();
		// the text is kept first: an interrupted indexing can start again from it
		await this.db.transaction('rw', [this.db.documents, this.db.texts], async () => {
			await this.db.texts.put({ docId, baseId: doc.baseId, text: x.text });
			await this.db.documents.update(docId, {
				title: source.kind === 'file' && x.format === 'html' ? x.title : source.kind === 'text' ? doc.title : x.title,
				format: x.format,
				chars: x.text.length,
				status: 'indexing',
				pageStarts: x.pageStarts
			});
		});
		this.announce('documents', doc.baseId);
		const title = (await this.db.documents.get(docId))?.title ?? x.title;
		job.state.docTitle = title;
		await this.indexText(job, docId, { ...x, title });
	}

	private async embedder(ref: EmbeddingModelRef): Promise<Embedder> {
		const key = modelKey(ref);
		let e = this.embedders.get(key);
		if (!e) {
			const onProgress = (p: ModelLoadProgress) => this.emit({ type: 'model', modelKey: key, progress: p });
			e = (async () => {
				if (this.o.embedderFor) return this.o.embedderFor(ref, onProgress);
				if (ref.kind === 'local') return createLocalEmbedder(ref, onProgress);
				const cfg = await this.o.resolveProvider?.(ref.provider);
				if (!cfg) throw new EmbeddingError(`The provider “${ref.provider}” is not configured. Add it in Settings → Providers, or choose another model for this knowledge base.`, 'provider');
				return createRemoteEmbedder(ref, cfg);
			})();
			this.embedders.set(key, e);
			e.catch(() => this.embedders.delete(key));
		}
		return e;
	}

	/** Embeds texts with a model (default: the first base's model, else the default local one). */
	async embed(texts: string[], model?: EmbeddingModelRef, signal?: AbortSignal): Promise<Float32Array[]> {
		let ref = model;
		if (!ref) ref = ((await this.db.bases.orderBy('name').first())?.model as unknown as EmbeddingModelRef) ?? DEFAULT_LOCAL_MODEL;
		const e = await this.embedder(ref);
		return embedTexts(e, texts, { cache: this.cache, signal });
	}

	private async indexText(job: QueuedJob, docId: number, x: { title: string; text: string; format: string; pageStarts?: number[] }) {
		const doc = await this.db.documents.get(docId);
		const base = doc && (await this.db.bases.get(doc.baseId));
		if (!doc || !base) throw new Cancelled();
		job.state.phase = 'chunking';
		this.progress(job);
		const drafts = chunkText(x.text, base.chunking);
		if (drafts.length === 0) throw new Error(`${x.title} has no text to index.`);
		this.check(job);

		job.state.phase = 'loading model';
		this.progress(job);
		const ref = base.model as unknown as EmbeddingModelRef;
		const embedder = await this.embedder(ref);
		// the first load downloads the model and starts the runtime: seconds the user should see as such
		await embedder.ready?.();
		this.check(job);
		job.state.phase = 'embedding';
		job.state.total = drafts.length;
		job.state.done = 0;
		this.progress(job);
		const vectors = await embedTexts(
			embedder,
			drafts.map((d) => d.text),
			{
				cache: this.cache,
				signal: job.controller.signal,
				onProgress: (done, total) => {
					// cached chunks count as done at once
					job.state.done = drafts.length - total + done;
					this.progress(job, true);
				}
			}
		).catch((e) => {
			if (job.controller.signal.aborted || (e as EmbeddingError)?.code === 'cancelled') throw new Cancelled();
			throw e;
		});
		this.check(job);
		const dims = vectors[0]?.length ?? 0;
		if (!dims) throw new Error(`The model ${modelLabel(ref)} returned empty vectors.`);

		job.state.phase = 'saving';
		this.progress(job);
		const firstId = await this.db.reserveChunkIds(drafts.length);
		const pageOf = (offset: number) => {
			if (!x.pageStarts?.length) return undefined;
			let lo = 0;
			let hi = x.pageStarts.length - 1;
			while (lo < hi) {
				const mid = (lo + hi + 1) >> 1;
				if (x.pageStarts[mid] <= offset) lo = mid;
				else hi = mid - 1;
			}
			return lo + 1;
		};
		const metas: ChunkMeta[] = drafts.map((d, i) => {
			const page = pageOf(d.start);
			return {
				id: firstId + i,
				index: d.index,
				start: d.start,
				end: d.end,
				headings: d.headings,
				tokens: d.tokens,
				entities: extractEntities(d.text),
				links: extractLinks(d.text),
				...(page ? { page } : {})
			};
		});
		const quantization = base.quantization;
		const flat = new Float32Array(drafts.length * dims);
		vectors.forEach((v, i) => flat.set(v, i * dims));
		let set: VectorSetRecord;
		if (quantization === 'int8') {
			const codes = new Int8Array(drafts.length * dims);
			const scales = new Float32Array(drafts.length);
			const row = new Int8Array(dims);
			vectors.forEach((v, i) => {
				scales[i] = quantizeInt8(v, row);
				codes.set(row, i * dims);
			});
			set = { docId, baseId: base.id, modelKey: base.modelKey, dims, ids: metas.map((m) => m.id), data: codes, scales, quantization };
		} else set = { docId, baseId: base.id, modelKey: base.modelKey, dims, ids: metas.map((m) => m.id), data: flat, quantization };

		// the base in memory (loaded before the write, so the new chunks are added exactly once)
		const l = await this.load(base.id).catch(() => undefined);
		const db = this.db;
		let revision = 0;
		await db.transaction('rw', [db.bases, db.documents, db.chunkSets, db.chunkTexts, db.vectorSets, db.exactVectors], async () => {
			const current = await db.documents.get(docId);
			if (!current) throw new Cancelled();
			// chunks of an earlier indexing of this document go
			await db.chunkTexts.where('docId').equals(docId).delete();
			await db.exactVectors.where('docId').equals(docId).delete();
			await db.chunkSets.put({ docId, baseId: base.id, chunks: metas });
			await db.chunkTexts.bulkPut(metas.map((m, i) => ({ id: m.id, docId, baseId: base.id, text: drafts[i].text })));
			await db.vectorSets.put(set);
			if (quantization === 'int8') await db.exactVectors.bulkPut(metas.map((m, i) => ({ id: m.id, docId, baseId: base.id, v: vectors[i] })));
			await db.documents.update(docId, {
				status: 'ready',
				error: undefined,
				chunkCount: metas.length,
				modelKey: base.modelKey,
				chunking: base.chunking,
				indexedAt: Date.now()
			});
			const b = await db.bases.get(base.id);
			revision = (b?.revision ?? 0) + 1;
			await db.bases.update(base.id, { revision, dims, updatedAt: Date.now() });
		});
		job.state.done = drafts.length;
		// the in-memory index follows what was saved
		if (l && l.modelKey === base.modelKey && l.quantization === base.quantization) {
			l.index.removeDocument(docId);
			this.addToIndex(l.index, { id: docId, title: x.title, source: doc.source }, metas, set, drafts.map((d) => d.text));
			l.revision = revision;
		} else this.loaded.delete(base.id);
		this.announce('documents', base.id, revision);
	}

	private addToIndex(index: BaseIndex, doc: { id: number; title: string; source: string }, metas: ChunkMeta[], set: VectorSetRecord | undefined, texts?: string[]) {
		index.setDocument(doc);
		index.addChunks(
			doc.id,
			metas.map((m) => ({ ...m, docId: doc.id }) as ChunkInfo)
		);
		if (set) {
			const vi = index.ensureVectors(set.dims);
			vi.reserve(vi.size + set.ids.length);
			const d = set.dims;
			if (set.quantization === 'int8' && set.scales) {
				const row = new Float32Array(d);
				for (let i = 0; i < set.ids.length; i++) {
					const s = set.scales[i];
					for (let j = 0; j < d; j++) row[j] = set.data[i * d + j] * s;
					vi.upsert(set.ids[i], row);
				}
			} else for (let i = 0; i < set.ids.length; i++) vi.upsert(set.ids[i], (set.data as Float32Array).subarray(i * d, (i + 1) * d));
		}
		if (texts) {
			index.keyword.addAll(
				metas.map((m, i) => ({ id: m.id, text: texts[i], headings: m.headings.join(' '), title: doc.title }))
			);
		}
	}

	// --- loading -----------------------------------------------------------------------

	/** The loaded index of a base, if it is loaded (never loads). */
	private async peek(baseId: string): Promise<Loaded | undefined> {
		const p = this.loaded.get(baseId);
		return p ? p.catch(() => undefined) : undefined;
	}

	/** Loads a base into memory (once), reloading when another tab or worker changed it. */
	private async load(baseId: string): Promise<Loaded> {
		const base = await this.db.bases.get(baseId);
		if (!base) throw new Error('That knowledge base no longer exists.');
		const cur = this.loaded.get(baseId);
		if (cur) {
			const l = await cur.catch(() => undefined);
			if (l && l.revision === base.revision && l.modelKey === base.modelKey && l.quantization === base.quantization) return l;
			this.loaded.delete(baseId);
		}
		const p = this.build(base);
		this.loaded.set(baseId, p);
		p.catch(() => this.loaded.delete(baseId));
		return p;
	}

	private async build(base: KnowledgeBaseRecord): Promise<Loaded> {
		const db = this.db;
		const index = new BaseIndex(base.quantization, this.o.simd);
		const [docs, sets, vsets, kw] = await Promise.all([
			db.documents.where('baseId').equals(base.id).toArray(),
			db.chunkSets.where('baseId').equals(base.id).toArray(),
			db.vectorSets.where('baseId').equals(base.id).toArray(),
			db.keyword.get(base.id)
		]);
		const docById = new Map(docs.map((d) => [d.id!, d]));
		const vByDoc = new Map(vsets.filter((v) => v.modelKey === base.modelKey && v.quantization === base.quantization).map((v) => [v.docId, v]));
		const total = vsets.reduce((n, v) => n + (vByDoc.get(v.docId) === v ? v.ids.length : 0), 0);
		if (base.dims && total) index.ensureVectors(base.dims).reserve(total);
		const chunkIds: number[] = [];
		for (const s of sets) {
			const d = docById.get(s.docId);
			if (!d || d.status !== 'ready') continue;
			this.addToIndex(index, { id: d.id!, title: d.title, source: d.source }, s.chunks, vByDoc.get(s.docId));
			for (const c of s.chunks) chunkIds.push(c.id);
		}
		// the persisted keyword index, unless it is out of step with the chunks (then it is rebuilt)
		const want = new Set(chunkIds);
		let restored = false;
		if (kw) {
			try {
				const have = new Set(kw.ids);
				if (have.size === want.size && [...want].every((id) => have.has(id))) {
					index.keyword = KeywordIndex.fromJSON(kw.json, kw.ids);
					restored = true;
				}
			} catch {
				restored = false;
			}
		}
		if (!restored && chunkIds.length) {
			const titleOf = new Map(docs.map((d) => [d.id!, d.title]));
			const metaOf = new Map(sets.flatMap((s) => s.chunks.map((c) => [c.id, c] as const)));
			for (let i = 0; i < chunkIds.length; i += 2000) {
				const rows = await db.chunkTexts.bulkGet(chunkIds.slice(i, i + 2000));
				index.keyword.addAll(
					rows.filter((r) => !!r).map((r) => ({ id: r!.id, text: r!.text, headings: metaOf.get(r!.id)?.headings.join(' ') ?? '', title: titleOf.get(r!.docId) ?? '' }))
				);
			}
		}
		const loaded: Loaded = { index, revision: base.revision, modelKey: base.modelKey, quantization: base.quantization };
		if (!restored && chunkIds.length) await this.saveKeyword(base.id, loaded);
		return loaded;
	}

	private async saveKeyword(baseId: string, l: Loaded) {
		try {
			await this.db.keyword.put({ baseId, json: l.index.keyword.toJSON(), ids: l.index.keyword.chunkIds(), revision: l.revision });
		} catch (e) {
			// the keyword index is rebuilt from the chunks on the next load: nothing is lost
			this.emit({ type: 'warning', baseId, message: `The keyword index could not be saved (${describeError(e)}). It will be rebuilt next time.` });
		}
	}

	// --- search ------------------------------------------------------------------------

	async search(baseRef: string, query: string, options: SearchOptions = {}): Promise<SearchResponse> {
		const t0 = now();
		const base = await this.resolveBase(baseRef);
		const l = await this.load(base.id);
		const weights = options.weights ?? {};
		let queryVector: Float32Array | null = null;
		let embedMs = 0;
		const skipped: SearchResponse['skipped'] = {};
		if (query.trim() && (weights.semantic ?? 1) > 0 && l.index.vectors && l.index.vectors.size > 0) {
			const te = now();
			try {
				[queryVector] = await this.embed([query], base.model as unknown as EmbeddingModelRef);
			} catch (e) {
				skipped.semantic = describeError(e);
			}
			embedMs = now() - te;
		}
		const exact = async (ids: number[]) => {
			const rows = await this.db.exactVectors.bulkGet(ids);
			return new Map(rows.filter((r) => !!r).map((r) => [r!.id, r!.v] as const));
		};
		const out = await l.index.search(query, queryVector, options, exact);
		const rows = await this.db.chunkTexts.bulkGet(out.hits.map((h) => h.chunkId));
		const wanted = new Set(terms(query).map(foldTerm));
		const results: ResultItem[] = [];
		out.hits.forEach((h, i) => {
			const c = l.index.chunks.get(h.chunkId);
			const d = l.index.docs.get(h.docId);
			const text = rows[i]?.text ?? '';
			if (!c || !d) return;
			const hl = new Set([...wanted, ...h.terms.map(foldTerm)]);
			results.push({
				...h,
				text,
				docTitle: d.title,
				source: d.source,
				chunkIndex: c.index,
				headings: c.headings,
				start: c.start,
				end: c.end,
				...(c.page ? { page: c.page } : {}),
				highlights: matchSpans(text, hl, foldTerm)
			});
		});
		const lists = {
			semantic: out.lists.semantic.slice(0, 10),
			keyword: out.lists.keyword.slice(0, 10),
			graph: out.lists.graph.slice(0, 10)
		};
		return {
			baseId: base.id,
			query,
			results,
			lists,
			timings: { ...out.timings, embedMs, totalMs: now() - t0 },
			skipped: { ...out.skipped, ...skipped }
		};
	}

	/** Search, then compress the results to a token budget with numbered citations. */
	async retrieve(baseRef: string, query: string, options: RetrieveOptions = {}): Promise<RetrieveResponse> {
		const r = await this.search(baseRef, query, options);
		const c = await this.compress(baseRef, query, r.results, options.budgetTokens ?? 1500);
		return { ...r, context: c.context, citations: c.citations, contextTokens: c.tokens, compressed: c.compressed };
	}

	/** Compresses passages (best first) to a token budget: the sentences closest to the query, with citations. */
	async compress(baseRef: string, query: string, passages: Passage[], budgetTokens: number): Promise<Compressed> {
		const base = await this.resolveBase(baseRef);
		const model = base.model as unknown as EmbeddingModelRef;
		let queryVector: Float32Array | null = null;
		if (passages.length && query.trim()) {
			try {
				[queryVector] = await this.embed([query], model);
			} catch {
				queryVector = null;
			}
		}
		return compressContext(passages, {
			query,
			queryVector,
			embed: queryVector ? (texts) => this.embed(texts, model) : undefined,
			budgetTokens
		});
	}
}

function sameChunking(a: { maxTokens: number; overlapTokens: number } | undefined, b: { maxTokens: number; overlapTokens: number }): boolean {
	return !!a && a.maxTokens === b.maxTokens && a.overlapTokens === b.overlapTokens;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
