/**
 * The knowledge service's promises about the user's data: what was indexed survives a
 * restart (and a damaged keyword index heals), deleting a document removes every trace of
 * it, cancel and bad input lose nothing else, a full disk (quota) loses nothing already
 * indexed, a page closed mid-indexing leaves documents that can be finished, and a base
 * whose model is a provider's API indexes through it. Real transformers.js with the
 * generated test model; the remote model is the mock LLM server's OpenAI embeddings.
 */
import 'fake-indexeddb/auto';
import { describe, expect, inject, it } from 'vitest';
import type { DBCore, DBCoreMutateRequest } from 'dexie';
import { KnowledgeDb } from '$lib/store/knowledge-db';
import { KnowledgeService, type JobState, type KnowledgeEvent, type KnowledgeServiceOptions } from '$lib/ai/retrieval/service';
import { createLocalEmbedder } from '$lib/ai/embeddings/local';
import type { Embedder, EmbeddingModelRef, LocalModelRef } from '$lib/ai/embeddings/types';
import { mockSession } from '../../mocks/client';
import { TEST_MODEL, useTestModel } from './helpers';
import { CORPUS } from './corpus';

const enc = new TextEncoder();
const file = (name: string, text: string) => ({ kind: 'file' as const, name, bytes: enc.encode(text) });
const corpusFiles = () => CORPUS.map((c) => file(c.name, c.text));
let n = 0;
const newWorkspace = () => `svc-${process.pid}-${Date.now()}-${n++}`;

function open(workspaceId: string, o: Partial<KnowledgeServiceOptions> = {}, db?: KnowledgeDb) {
	useTestModel();
	return new KnowledgeService({ workspaceId, db: db ?? new KnowledgeDb(workspaceId), broadcast: false, ...o });
}
const titles = async (s: KnowledgeService, baseId: string, q: string) => (await s.search(baseId, q, { topK: 10 })).results.map((r) => `${r.docTitle}#${r.chunkIndex}`);
const keywordTitles = async (s: KnowledgeService, baseId: string, q: string) =>
	(await s.search(baseId, q, { topK: 10, weights: { semantic: 0, keyword: 1, graph: 0 } })).results.map((r) => `${r.docTitle}#${r.chunkIndex}`);

/** Every row of the base's tables that belongs to a document. */
async function traces(db: KnowledgeDb, docId: number) {
	return {
		document: !!(await db.documents.get(docId)),
		text: !!(await db.texts.get(docId)),
		chunkSet: !!(await db.chunkSets.get(docId)),
		vectors: !!(await db.vectorSets.get(docId)),
		chunkTexts: await db.chunkTexts.where('docId').equals(docId).count(),
		exact: await db.exactVectors.where('docId').equals(docId).count()
	};
}

describe('persistence', () => {
	it('a base, its documents and its search results are the same after the service is closed and opened again', async () => {
		const ws = newWorkspace();
		const a = open(ws);
		const b = await a.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 }, quantization: 'int8' });
		await a.addDocuments(b.id, corpusFiles());
		await a.idle();
		const before = await a.search(b.id, 'cat food bowl', { topK: 5 });
		expect(before.results.length).toBeGreaterThan(0);
		a.close();

		const again = open(ws);
		const [base] = await again.listBases();
		expect(base).toMatchObject({ name: 'Corpus', documents: 4, chunks: 8, stale: 0, quantization: 'int8', dims: 64 });
		expect((await again.listDocuments(b.id)).map((d) => [d.title, d.status])).toEqual(CORPUS.map((c) => [c.name.replace('.md', ''), 'ready']));
		const after = await again.search(b.id, 'cat food bowl', { topK: 5 });
		expect(after.results.map((r) => [r.chunkId, r.score, r.ranks])).toEqual(before.results.map((r) => [r.chunkId, r.score, r.ranks]));
		// the keyword index came from its saved copy, which covers every chunk
		const kw = await again.db.keyword.get(b.id);
		expect(kw!.ids.sort((x, y) => x - y)).toEqual((await again.db.chunkTexts.where('baseId').equals(b.id).primaryKeys()).sort((x, y) => x - y));
		again.close();
	});

	it('a damaged saved keyword index is rebuilt from the chunks', async () => {
		const ws = newWorkspace();
		const a = open(ws);
		const b = await a.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
		await a.addDocuments(b.id, corpusFiles());
		await a.idle();
		const expected = await titles(a, b.id, 'locomotive');
		await a.db.keyword.put({ baseId: b.id, json: '{"not": "minisearch"', ids: (await a.db.keyword.get(b.id))!.ids, revision: 0 });
		a.close();
		const again = open(ws);
		expect(await titles(again, b.id, 'locomotive')).toEqual(expected);
		const healed = await again.db.keyword.get(b.id);
		expect(() => JSON.parse(healed!.json)).not.toThrow();
		again.close();
	});
});

describe('deleting a document', () => {
	it('removes its text, chunks, vectors and keyword entries; the others still match', async () => {
		const s = open(newWorkspace());
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 }, quantization: 'int8' });
		await s.addDocuments(b.id, corpusFiles());
		await s.idle();
		const trains = (await s.listDocuments(b.id)).find((d) => d.title === 'trains')!;
		expect(await titles(s, b.id, 'locomotive railway')).toContain('trains#0');
		expect(await traces(s.db, trains.id!)).toEqual({ document: true, text: true, chunkSet: true, vectors: true, chunkTexts: 2, exact: 2 });

		await s.removeDocument(trains.id!);
		expect(await traces(s.db, trains.id!)).toEqual({ document: false, text: false, chunkSet: false, vectors: false, chunkTexts: 0, exact: 0 });
		for (const only of ['semantic', 'keyword', 'graph'] as const) {
			const r = await s.search(b.id, 'locomotive railway ticket', { weights: { semantic: 0, keyword: 0, graph: 0, [only]: 1 }, topK: 10 });
			expect(r.results.some((x) => x.docTitle === 'trains')).toBe(false);
		}
		const kw = await s.db.keyword.get(b.id);
		expect(kw!.ids).toHaveLength(6);
		expect(await keywordTitles(s, b.id, 'mechanic')).toEqual(['cars#1']);
		expect((await s.listBases())[0]).toMatchObject({ documents: 3, chunks: 6 });
		s.close();
	});
});

/** The test model, with a gate before every batch after the first (the test decides when they run). */
function gatedEmbedder() {
	let open!: () => void;
	const gate = new Promise<void>((r) => (open = r));
	let calls = 0;
	const waiting: (() => void)[] = [];
	return {
		embedderFor: (ref: EmbeddingModelRef): Embedder => {
			const real = createLocalEmbedder(ref as LocalModelRef);
			return {
				key: real.key,
				batchSize: 2,
				get dims() {
					return real.dims;
				},
				async embed(texts: string[], signal?: AbortSignal) {
					if (calls++ > 0) {
						waiting.forEach((w) => w());
						await gate;
					}
					return real.embed(texts, signal);
				}
			};
		},
		/** Resolves when a batch is waiting at the gate. */
		waitingAtGate: () => new Promise<void>((r) => waiting.push(r)),
		/** Opens the gate for good. */
		release() {
			open();
		}
	};
}

function jobEvents(s: KnowledgeService) {
	const jobs: JobState[] = [];
	s.subscribe((e: KnowledgeEvent) => {
		if (e.type === 'job') jobs.push(e.job);
	});
	return jobs;
}

describe('cancel', () => {
	it('cancelling while a document is embedded removes it and the documents after it; those indexed before stay', async () => {
		const g = gatedEmbedder();
		const s = open(newWorkspace(), { embedderFor: g.embedderFor });
		const events = jobEvents(s);
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
		const long = Array.from({ length: 12 }, (_, i) => `## Part ${i}\n\nThe river runs past the old town number ${i}.`).join('\n\n');
		const atGate = g.waitingAtGate();
		const jobId = await s.addDocuments(b.id, [file('cats.md', CORPUS[0].text), file('long.md', long), file('dogs.md', CORPUS[1].text)]);
		await atGate; // cats' one batch is done; long.md waits before its second batch
		const running = events.filter((j) => j.id === jobId).pop()!;
		expect(running).toMatchObject({ status: 'running', docIndex: 2, docCount: 3, docTitle: 'long', phase: 'embedding' });
		s.cancelJob(jobId);
		g.release();
		await s.idle();
		expect(events.filter((j) => j.id === jobId).pop()!.status).toBe('cancelled');
		const docs = await s.listDocuments(b.id);
		expect(docs.map((d) => [d.title, d.status])).toEqual([['cats', 'ready']]);
		expect(await s.db.chunkTexts.where('baseId').equals(b.id).count()).toBe(docs[0].chunkCount);
		expect(await titles(s, b.id, 'kitten')).toContain('cats#0');
		s.close();
	});

	it('cancelling a job that waits behind another drops only its documents', async () => {
		const g = gatedEmbedder();
		const s = open(newWorkspace(), { embedderFor: g.embedderFor });
		const events = jobEvents(s);
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
		const atGate = g.waitingAtGate();
		await s.addDocuments(b.id, [file('cats.md', CORPUS[0].text), file('dogs.md', CORPUS[1].text)]);
		const second = await s.addDocuments(b.id, [file('cars.md', CORPUS[2].text)]);
		await atGate;
		expect((await s.listDocuments(b.id)).map((d) => d.status)).toEqual(['ready', 'indexing', 'queued']);
		s.cancelJob(second);
		g.release();
		await s.idle();
		await new Promise((r) => setTimeout(r, 50));
		expect(events.filter((j) => j.id === second).pop()!.status).toBe('cancelled');
		expect((await s.listDocuments(b.id)).map((d) => [d.title, d.status])).toEqual([
			['cats', 'ready'],
			['dogs', 'ready']
		]);
		s.close();
	});
});

describe('bad input among good documents', () => {
	it('an empty file, binary data named .txt and a damaged PDF each get a reason; the others are indexed', async () => {
		const s = open(newWorkspace());
		const events = jobEvents(s);
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL });
		const binary = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
		const jobId = await s.addDocuments(b.id, [
			file('cats.md', CORPUS[0].text),
			file('empty.txt', ''),
			{ kind: 'file', name: 'photo.txt', bytes: binary },
			file('broken.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog'),
			file('dogs.md', CORPUS[1].text),
			{ kind: 'text', title: 'Nothing', text: '   ' }
		]);
		await s.idle();
		const docs = await s.listDocuments(b.id);
		expect(docs.map((d) => [d.title, d.status])).toEqual([
			['cats', 'ready'],
			['empty.txt', 'error'],
			['photo.txt', 'error'],
			['broken.pdf', 'error'],
			['dogs', 'ready'],
			['Nothing', 'error']
		]);
		for (const d of docs.filter((x) => x.status === 'error')) expect(d.error).toMatch(/\w+.*\./);
		expect(docs[1].error).toMatch(/empty/i);
		expect(docs[2].error).toMatch(/not text|binary/i);
		expect(docs[3].error).toMatch(/PDF/);
		const last = events.filter((j) => j.id === jobId).pop()!;
		expect(last.status).toBe('done');
		expect(last.failures.map((f) => f.title)).toEqual(['empty.txt', 'photo.txt', 'broken.pdf', 'Nothing']);
		expect(await titles(s, b.id, 'puppy leash')).toContain('dogs#0');
		s.close();
	});
});

/** A database whose writes to some tables fail as a full disk does, while `full` is set. */
function quotaDb(workspaceId: string) {
	const db = new KnowledgeDb(workspaceId);
	const state = { full: false, refused: 0 };
	db.use({
		stack: 'dbcore',
		name: 'quota',
		create(down: DBCore): DBCore {
			return {
				...down,
				table(name: string) {
					const t = down.table(name);
					return {
						...t,
						mutate(req: DBCoreMutateRequest) {
							if (state.full && (req.type === 'add' || req.type === 'put') && ['vectorSets', 'chunkTexts', 'keyword', 'embeddings'].includes(name)) {
								state.refused++;
								return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
							}
							return t.mutate(req);
						}
					};
				}
			};
		}
	});
	return { db, state };
}

describe('storage quota', () => {
	it('a full disk fails the document that did not fit, with what to do; what was indexed before stays and is searchable; it can be indexed again later', async () => {
		const ws = newWorkspace();
		const { db, state } = quotaDb(ws);
		const s = open(ws, {}, db);
		const warnings: string[] = [];
		s.subscribe((e) => {
			if (e.type === 'warning') warnings.push(e.message);
		});
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
		await s.addDocuments(b.id, [file('cats.md', CORPUS[0].text), file('dogs.md', CORPUS[1].text)]);
		await s.idle();
		const before = await titles(s, b.id, 'cat food');

		state.full = true;
		await s.addDocuments(b.id, [file('cars.md', CORPUS[2].text)]);
		await s.idle();
		expect(state.refused).toBeGreaterThan(0);
		const cars = (await s.listDocuments(b.id)).find((d) => d.title === 'cars')!;
		expect(cars.status).toBe('error');
		expect(cars.error).toBe('The browser has no more storage for this site. Delete documents or knowledge bases you no longer need (or free space in the browser’s site settings), then try again. Everything indexed before is kept.');
		// nothing of cars was half-written, and the others are intact
		expect(await traces(db, cars.id!)).toMatchObject({ chunkSet: false, vectors: false, chunkTexts: 0 });
		expect(await titles(s, b.id, 'cat food')).toEqual(before);
		expect((await s.listDocuments(b.id)).filter((d) => d.status === 'ready').map((d) => d.title)).toEqual(['cats', 'dogs']);
		s.close();

		// after a reload, with room again, the failed document is indexed from its kept text
		state.full = false;
		const again = open(ws, {}, quotaDb(ws).db);
		expect(await titles(again, b.id, 'cat food')).toEqual(before);
		await again.retryDocument(cars.id!);
		await again.idle();
		expect((await again.listDocuments(b.id)).map((d) => [d.title, d.status])).toEqual([
			['cats', 'ready'],
			['dogs', 'ready'],
			['cars', 'ready']
		]);
		expect(await titles(again, b.id, 'mechanic')).toContain('cars#1');
		again.close();
		expect(warnings.every((w) => /rebuilt next time/.test(w))).toBe(true);
	});
});

describe('a page closed while indexing', () => {
	it('documents left queued or indexing are marked interrupted (or failed, without text) and can be finished', async () => {
		const ws = newWorkspace();
		const a = open(ws);
		const b = await a.createBase({ name: 'Corpus', model: TEST_MODEL });
		await a.addDocuments(b.id, [file('cats.md', CORPUS[0].text)]);
		await a.idle();
		// what a closed tab leaves behind: one document whose text was kept, one not yet read
		const kept = (await a.db.documents.add({ baseId: b.id, title: 'dogs', source: 'dogs.md', format: 'markdown', bytes: 10, chars: CORPUS[1].text.length, status: 'indexing', chunkCount: 0, addedAt: Date.now() })) as number;
		await a.db.texts.put({ docId: kept, baseId: b.id, text: CORPUS[1].text });
		const unread = (await a.db.documents.add({ baseId: b.id, title: 'cars.md', source: 'cars.md', format: 'markdown', bytes: 10, chars: 0, status: 'queued', chunkCount: 0, addedAt: Date.now() + 1 })) as number;
		a.close();

		const again = open(ws);
		expect(await again.recoverInterrupted()).toBe(2);
		const docs = await again.listDocuments(b.id);
		expect(docs.find((d) => d.id === kept)).toMatchObject({ status: 'interrupted', error: 'Indexing stopped before it finished (the page was closed).' });
		expect(docs.find((d) => d.id === unread)).toMatchObject({ status: 'error', error: 'Adding stopped before the document was read (the page was closed). Add it again.' });
		await again.retryDocument(kept);
		await again.idle();
		expect((await again.db.documents.get(kept))!.status).toBe('ready');
		expect(await titles(again, b.id, 'puppy leash')).toContain('dogs#0');
		again.close();
	});
});

describe('changing the settings of a base', () => {
	it('a new chunking re-indexes every document from its kept text', async () => {
		const s = open(newWorkspace());
		const events = jobEvents(s);
		const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
		await s.addDocuments(b.id, corpusFiles());
		await s.idle();
		const r = await s.updateBase(b.id, { chunking: { maxTokens: 16, overlapTokens: 0 } });
		expect(r.jobId).toBeDefined();
		expect(r.stale).toBe(4);
		await s.idle();
		expect(events.filter((j) => j.id === r.jobId).pop()).toMatchObject({ status: 'done', kind: 'reindex', docCount: 4, failures: [] });
		const [base] = await s.listBases();
		expect(base).toMatchObject({ stale: 0, chunking: { maxTokens: 16, overlapTokens: 0 } });
		expect(base.chunks).toBeGreaterThan(8);
		const chunks = await s.db.chunkSets.where('baseId').equals(b.id).toArray();
		expect(chunks.flatMap((c) => c.chunks).every((c) => c.tokens <= 16)).toBe(true);
		const hit = await s.search(b.id, 'mechanic', { topK: 1, weights: { semantic: 0, keyword: 1, graph: 0 } });
		expect(hit.results[0].text).toMatch(/mechanic/i);
		s.close();
	});
});

describe('a base whose model is a provider’s API', () => {
	it('indexes and searches through OpenAI embeddings (the mock), and names a provider that is not configured', async () => {
		const mock = mockSession(inject('mockLlmUrl'));
		const s = open(newWorkspace(), {
			resolveProvider: async (id) => (id === 'oa' ? { kind: 'openai', baseUrl: mock.openai, apiKey: 'sk-test-embeddings', name: 'OpenAI' } : undefined)
		});
		const b = await s.createBase({ name: 'Remote', model: { kind: 'remote', provider: 'oa', model: 'text-embedding-3-small', dimensions: 256 } });
		await s.addDocuments(b.id, corpusFiles());
		await s.idle();
		expect((await s.listDocuments(b.id)).map((d) => d.status)).toEqual(['ready', 'ready', 'ready', 'ready']);
		expect((await s.listBases())[0].dims).toBe(256);
		const sem = await s.search(b.id, 'locomotive passenger trains', { weights: { semantic: 1, keyword: 0, graph: 0 }, topK: 1 });
		expect(sem.results[0].docTitle).toBe('trains');
		const reqs = await mock.requests();
		expect(reqs.every((r) => r.path === '/openai/v1/embeddings' && r.auth === 'ok')).toBe(true);
		// the query was embedded by the same model
		expect((reqs.at(-1)!.body as { input: string[] }).input).toEqual(['locomotive passenger trains']);

		const other = await s.createBase({ name: 'Nowhere', model: { kind: 'remote', provider: 'gone', model: 'text-embedding-3-small' } });
		await s.addDocuments(other.id, [file('cats.md', CORPUS[0].text)]);
		await s.idle();
		const [d] = await s.listDocuments(other.id);
		expect(d).toMatchObject({ status: 'error', error: 'The provider “gone” is not configured. Add it in Settings → Providers, or choose another model for this knowledge base.' });
		s.close();
	});
});
