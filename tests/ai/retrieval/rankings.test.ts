/**
 * Exact rankings through the real transformers.js pipeline and the generated test model
 * (deterministic: same vectors on every run). Results are named `document#chunk`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshService, TEST_MODEL } from './helpers';
import { CORPUS } from './corpus';
import type { KnowledgeService, SearchResponse } from '../../../src/lib/ai/retrieval/service';
import type { SearchOptions } from '../../../src/lib/ai/retrieval/search';

let s: KnowledgeService;
let baseId: string;
const names = (r: SearchResponse) => r.results.map((x) => `${x.docTitle}#${x.chunkIndex}`);
const only = (strategy: 'semantic' | 'keyword' | 'graph'): SearchOptions => ({
	weights: { semantic: 0, keyword: 0, graph: 0, [strategy]: 1 } as never,
	topK: 10
});

beforeAll(async () => {
	s = freshService();
	const b = await s.createBase({ name: 'Corpus', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
	baseId = b.id;
	await s.addDocuments(baseId, CORPUS.map((c) => ({ kind: 'file', name: c.name, bytes: new TextEncoder().encode(c.text) })));
	await s.idle();
});
afterAll(() => s.close());

describe('chunks of the corpus', () => {
	test('each document is cut at its sections', async () => {
		const docs = await s.listDocuments(baseId);
		expect(docs.map((d) => [d.title, d.status, d.chunkCount])).toEqual([
			['cats', 'ready', 2],
			['dogs', 'ready', 2],
			['cars', 'ready', 2],
			['trains', 'ready', 2]
		]);
	});
});

describe('semantic', () => {
	test('finds a word and its synonyms, best first, above the similarity floor only', async () => {
		const r = await s.search(baseId, 'kitten', only('semantic'));
		expect(names(r)).toEqual(['cats#0', 'dogs#1', 'cats#1']);
		expect(r.results[0].scores.semantic!).toBeGreaterThan(r.results[1].scores.semantic!);
	});
	test('a synonym that no document contains still finds the document', async () => {
		const r = await s.search(baseId, 'vehicle motor', only('semantic'));
		expect(names(r)[0]).toBe('cars#0');
		const k = await s.search(baseId, 'motor', only('keyword'));
		expect(names(k)).toEqual([]);
	});
	test('a query in another script (Cyrillic) finds the English document', async () => {
		const r = await s.search(baseId, 'кошка', only('semantic'));
		expect(names(r)).toEqual(['cats#0', 'dogs#1']);
		const k = await s.search(baseId, 'кошка', only('keyword'));
		expect(names(k)).toEqual([]);
	});
	test('a query of unknown words has no semantic hits', async () => {
		const r = await s.search(baseId, 'zzzz qqqq', only('semantic'));
		expect(names(r)).toEqual([]);
	});
});

describe('keyword', () => {
	test('BM25 ranks the chunk with more and rarer matches first', async () => {
		const exact = await s.search(baseId, 'dog eats meat', { ...only('keyword'), keyword: { fuzzy: 0 } });
		// "dog" also matches "Dogs" as a prefix
		expect(names(exact)).toEqual(['dogs#1', 'cats#1', 'dogs#0']);
		// fuzzy matching adds "cats" for "eats" (one edit), last
		const fuzzy = await s.search(baseId, 'dog eats meat', only('keyword'));
		expect(names(fuzzy)).toEqual(['dogs#1', 'cats#1', 'dogs#0', 'cats#0']);
		expect(fuzzy.results[3].terms).toContain('cats');
	});
	test('fuzzy and prefix matching', async () => {
		expect(names(await s.search(baseId, 'locomotiv', only('keyword')))).toEqual(['trains#0']);
		expect(names(await s.search(baseId, 'mechanik', only('keyword')))).toEqual(['cars#1']);
		expect(names(await s.search(baseId, 'mechanik', { ...only('keyword'), keyword: { fuzzy: 0 } }))).toEqual([]);
	});
	test('matched words are highlighted by offsets into the chunk text', async () => {
		const r = await s.search(baseId, 'locomotiv', only('keyword'));
		const hit = r.results[0];
		expect(hit.highlights.map((h) => hit.text.slice(h.start, h.end))).toEqual(['locomotive']);
	});
});

describe('graph', () => {
	test('expands from the best hits along links, shared entities and neighbours', async () => {
		// "railway" finds trains#0 (it names Berlin); cars#1 also names Berlin; trains#1 is its neighbour
		const r = await s.search(baseId, 'railway', { weights: { semantic: 1, keyword: 1, graph: 1 }, topK: 10 });
		const graphOnly = r.results.filter((x) => x.ranks.graph && !x.ranks.semantic && !x.ranks.keyword).map((x) => `${x.docTitle}#${x.chunkIndex}`);
		expect(graphOnly).toContain('cars#1');
		const cars = r.results.find((x) => x.docTitle === 'cars' && x.chunkIndex === 1)!;
		expect(cars.reasons!.join(' ')).toMatch(/berlin/);
	});
	test('a link to another document brings that document in', async () => {
		// only dogs#1 has the word "rice"; it links to cats.md, whose first chunk comes in by the link
		const r = await s.search(baseId, 'rice', { weights: { semantic: 0, keyword: 1, graph: 0.5 }, topK: 10 });
		expect(names(r)[0]).toBe('dogs#1');
		const linked = r.results.find((x) => x.docTitle === 'cats' && x.chunkIndex === 0);
		expect(linked?.ranks).toEqual({ graph: expect.any(Number) });
		expect(linked?.reasons?.join(' ')).toMatch(/linked from dogs #2/);
	});
});

describe('fused', () => {
	test('RRF puts the chunk that every strategy ranks first on top', async () => {
		const r = await s.search(baseId, 'railway tickets', { topK: 3 });
		expect(names(r)).toEqual(['trains#1', 'trains#0', 'cars#1']);
		expect(r.results[0].ranks).toEqual({ semantic: 1, keyword: 1, graph: 1 });
		expect(r.results[0].score).toBe(1);
	});
	test('semantic and keyword each add what the other misses', async () => {
		const r = await s.search(baseId, 'vehicle', { topK: 3, weights: { graph: 0 } });
		expect(names(r)).toEqual(['cars#1', 'cars#0', 'dogs#0']);
		expect(r.results[1].ranks).toEqual({ semantic: 1 });
	});
	test('minimum score drops the tail', async () => {
		const all = await s.search(baseId, 'railway tickets', { topK: 10 });
		const some = await s.search(baseId, 'railway tickets', { topK: 10, minScore: 0.5 });
		expect(names(some)).toEqual(names(all).filter((_, i) => all.results[i].score >= 0.5));
		expect(some.results.length).toBeLessThan(all.results.length);
	});
	test('an empty query finds nothing', async () => {
		expect((await s.search(baseId, '', {})).results).toEqual([]);
		expect((await s.search(baseId, '   ', {})).results).toEqual([]);
	});
	test('identical documents tie and keep the order they were added in', async () => {
		const t = freshService();
		const b = await t.createBase({ name: 'Twins', model: TEST_MODEL });
		const text = 'A locomotive pulls passenger trains.';
		await t.addDocuments(b.id, [
			{ kind: 'text', title: 'first', text },
			{ kind: 'text', title: 'second', text },
			{ kind: 'text', title: 'other', text: 'A cat sleeps.' }
		]);
		await t.idle();
		for (const strategy of ['semantic', 'keyword'] as const) {
			const r = await t.search(b.id, 'locomotive', only(strategy));
			expect(names(r)).toEqual(['first#0', 'second#0']);
			expect(r.results[0].scores[strategy]).toBe(r.results[1].scores[strategy]);
		}
		const f = await t.search(b.id, 'locomotive', {});
		expect(names(f).slice(0, 2)).toEqual(['first#0', 'second#0']);
		t.close();
	});
});

describe('a document of 5 MB', () => {
	test('is indexed and a sentence in its middle is found by every strategy', async () => {
		const t = freshService();
		const b = await t.createBase({ name: 'Big', model: TEST_MODEL });
		const filler = 'The river runs past the old town and the green field near the mountain. ';
		const para = filler.repeat(8) + '\n\n';
		const count = Math.ceil((5 * 1024 * 1024) / para.length) + 10;
		const parts: string[] = [];
		for (let i = 0; i < count; i++) {
			if (i % 500 === 0) parts.push(`## Part ${i / 500 + 1}\n\n`);
			parts.push(i === Math.floor(count / 2) ? '## Trains\n\nA purple locomotive drinks diesel at the station. The locomotive pulls passenger trains on the railway.\n\n## More fields\n\n' : para);
		}
		const text = parts.join('');
		expect(text.length).toBeGreaterThan(5 * 1024 * 1024);
		await t.addDocuments(b.id, [{ kind: 'file', name: 'big.md', bytes: new TextEncoder().encode(text) }]);
		await t.idle();
		const [doc] = await t.listDocuments(b.id);
		expect(doc.status).toBe('ready');
		expect(doc.chunkCount).toBeGreaterThan(1000);
		const r = await t.search(b.id, 'locomotive diesel station', { topK: 3 });
		expect(r.results[0].text).toContain('A purple locomotive drinks diesel at the station.');
		expect(r.results[0].ranks.semantic).toBe(1);
		expect(r.results[0].ranks.keyword).toBe(1);
		// the citation offsets point into the stored document
		const full = await t.getDocument(doc.id!);
		expect(full!.text.slice(r.results[0].start, r.results[0].end)).toBe(r.results[0].text);
		t.close();
	}, 120_000);
});
