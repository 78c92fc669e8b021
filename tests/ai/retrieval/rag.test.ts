/**
 * `rag` through the real executor: retrieve (the knowledge service with the generated test
 * model through real transformers.js) → compress → call_llm against the mock LLM server
 * (OpenAI wire format) → the answer with its citations, each step a child span.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createExecutor } from '$lib/effects';
import { createAiHandlers } from '$lib/ai/handlers';
import { createChatService } from '$lib/ai';
import { saveProvider, setWorkspaceDefault } from '$lib/ai/settings/providers';
import { closeKnowledgeServices, getKnowledgeService, setKnowledgeDefaults } from '$lib/ai/retrieval/instance';
import { DEFAULT_RAG_SYSTEM } from '$lib/ai/retrieval/effects';
import { mockSession } from '../../mocks/client';
import { makeScope, outcome } from '../../effects/helpers';
import { freshAiDb } from '../helpers';
import { TEST_MODEL, useTestModel } from './helpers';
import { CORPUS } from './corpus';

const mock = inject('mockLlmUrl');
const ws = `rag-${process.pid}-${Date.now()}`;
let s: ReturnType<typeof mockSession>;
let baseId: string;
let docIds: Record<string, number>;

beforeAll(async () => {
	useTestModel();
	setKnowledgeDefaults({ broadcast: false });
	const svc = await getKnowledgeService(ws);
	const b = await svc.createBase({ name: 'Pets and transport', model: TEST_MODEL, chunking: { maxTokens: 40, overlapTokens: 0 } });
	baseId = b.id;
	await svc.addDocuments(baseId, CORPUS.map((c) => ({ kind: 'file', name: c.name, bytes: new TextEncoder().encode(c.text) })));
	await svc.idle();
	docIds = Object.fromEntries((await svc.listDocuments(baseId)).map((d) => [d.title, d.id!]));
});
afterAll(async () => {
	await closeKnowledgeServices();
	setKnowledgeDefaults(undefined);
});

beforeEach(async () => {
	const db = freshAiDb();
	s = mockSession(mock);
	await saveProvider({ id: 'oa', name: 'OpenAI', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-good', defaultModel: 'gpt-4o-mini' }, db);
	await setWorkspaceDefault(ws, { providerId: 'oa' }, db);
});

function executor() {
	const service = createChatService({ sleep: async () => {}, recordUsage: () => {} });
	return createExecutor({ handlers: createAiHandlers({ workspaceId: ws, chatService: service }) });
}

type Answer = {
	answer: string;
	found: boolean;
	citations: { n: number; document: string; documentId: number; chunkId: number; start: number; end: number; text: string; href: string }[];
	sources: { n: number; document: string; href: string }[];
};

describe('rag', () => {
	it('retrieves, compresses and asks the model with numbered sources; answers with the cited chunks and links to them', async () => {
		await s.script([{ match: 'How long do cats sleep', reply: { text: 'Cats sleep for most of the day [1]. Kittens nap even longer [1].', deltaChars: 5 } }]);
		const h = makeScope({}, { type: 'ASK', q: 'How long do cats sleep?' });
		const r = (await executor().run({ type: 'rag', question: '{{ event.q }}', collection: 'pets and transport', topK: 3, assignTo: 'reply' }, h.scope)) as Answer;

		expect(r.found).toBe(true);
		expect(r.answer).toBe('Cats sleep for most of the day [1]. Kittens nap even longer [1].');
		expect(h.patches).toEqual([{ reply: r }]);
		// the one cited source is the cats' sleep section, with document offsets into it
		expect(r.citations).toHaveLength(1);
		const [c] = r.citations;
		expect(c).toMatchObject({ n: 1, document: 'cats', documentId: docIds.cats });
		const cats = CORPUS.find((x) => x.name === 'cats.md')!.text;
		expect(cats.slice(c.start, c.end)).toContain('Cats sleep for most of the day.');
		expect(c.text).toContain('Cats sleep for most of the day.');
		expect(c.href).toBe(`/knowledge?base=${encodeURIComponent(baseId)}&doc=${docIds.cats}&chunk=${c.chunkId}&from=${c.start}&to=${c.end}`);
		// every source given to the model is listed, numbered as in the prompt
		expect(r.sources.map((x) => x.n)).toEqual(r.sources.map((_, i) => i + 1));
		expect(r.sources[0].document).toBe('cats');

		// what the model was asked: the default instructions, the numbered sources, the question
		const reqs = await s.requests();
		expect(reqs).toHaveLength(1);
		const messages = (reqs[0].body as { messages: { role: string; content: string }[] }).messages;
		expect(messages[0]).toEqual({ role: 'system', content: DEFAULT_RAG_SYSTEM });
		expect(messages[1].role).toBe('user');
		expect(messages[1].content).toMatch(/^Sources:\n\n\[1\] /);
		expect(messages[1].content).toContain('Cats sleep for most of the day.');
		expect(messages[1].content.endsWith('\n\nQuestion: How long do cats sleep?')).toBe(true);

		// three child spans under rag's own, in order, each ended
		const ends = h.effects().filter((e) => e.phase === 'end');
		const ragSpan = ends.find((e) => e.effectType === 'rag')!;
		expect(ragSpan).toBeDefined();
		const children = h.effects().filter((e) => e.phase === 'start' && e.parentSpanId === ragSpan.spanId);
		expect(children.map((e) => e.effectType)).toEqual(['vector_search', 'knowledge.compress', 'call_llm']);
		for (const child of children) expect(ends.some((e) => e.spanId === child.spanId)).toBe(true);
		// the answer step streams text and reports usage like any call_llm
		const answerProgress = h.effects().filter((e) => e.phase === 'progress' && e.parentSpanId === ragSpan.spanId);
		expect(answerProgress.length).toBeGreaterThan(0);
		const texts = h
			.effects()
			.filter((e) => e.phase === 'progress' && (e.data as { kind?: string })?.kind === 'text')
			.map((e) => (e.data as { delta: string }).delta)
			.join('');
		expect(texts).toBe(r.answer);
	});

	it('with citations off, the model is asked without the citation rule and no citation is returned', async () => {
		await s.script([{ match: 'automobile', reply: { text: 'An automobile has an engine [1].' } }]);
		const r = (await executor().run({ type: 'rag', question: 'What does an automobile have?', collection: baseId, citations: false }, makeScope().scope)) as Answer;
		expect(r.citations).toEqual([]);
		expect(r.sources[0].document).toBe('cars');
		const [req] = await s.requests();
		const system = (req.body as { messages: { content: string }[] }).messages[0].content;
		expect(system).not.toContain('square brackets');
	});

	it('a question nothing matches asks no model', async () => {
		const h = makeScope();
		const r = (await executor().run({ type: 'rag', question: 'zzzz qqqq', collection: baseId }, h.scope)) as Answer;
		expect(r).toMatchObject({ found: false, citations: [], sources: [] });
		expect(r.answer).toMatch(/Nothing in the knowledge base matches/);
		expect(await s.requests()).toHaveLength(0);
		expect(h.effects().filter((e) => e.phase === 'start').map((e) => e.effectType)).toEqual(['rag', 'vector_search']);
	});

	it('an unknown knowledge base fails with the names of those that exist', async () => {
		const r = await outcome(executor().run({ type: 'rag', question: 'cats?', collection: 'Recipes' }, makeScope().scope));
		expect(!r.ok && r.error.message).toBe('There is no knowledge base “Recipes”. This workspace has “Pets and transport”.');
		expect(await s.requests()).toHaveLength(0);
	});

	it('a failing model fails the answer step (not the retrieval) with the provider’s reason', async () => {
		await s.script([{ scenario: 'unauthorized' }]);
		const h = makeScope();
		const r = await outcome(executor().run({ type: 'rag', question: 'How long do cats sleep?', collection: baseId }, h.scope));
		expect(r.ok).toBe(false);
		const errors = h.effects().filter((e) => e.phase === 'error');
		expect(errors.map((e) => e.effectType)).toEqual(['call_llm', 'rag']);
		expect(h.effects().filter((e) => e.phase === 'end').map((e) => e.effectType)).toEqual(['vector_search', 'knowledge.compress']);
	});

	it('leaving the state while the model streams cancels the answer and closes the connection', async () => {
		await s.script([{ scenario: 'slow' }]);
		const h = makeScope();
		const run = outcome(executor().run({ type: 'rag', question: 'How long do cats sleep?', collection: baseId }, h.scope));
		await expect.poll(() => h.effects().some((e) => e.phase === 'progress' && (e.data as { kind?: string })?.kind === 'text'), { timeout: 10_000 }).toBe(true);
		h.controller.abort();
		const r = await run;
		expect(!r.ok && r.error.code).toBe('cancelled');
		await expect.poll(async () => (await s.requests())[0]?.aborted, { timeout: 5000 }).toBe(true);
	});
});

describe('vector_search and embed_text through the executor', () => {
	it('vector_search returns the fused results with document, chunk, offsets and each strategy’s rank', async () => {
		const r = (await executor().run({ type: 'vector_search', collection: 'Pets and transport', query: 'ticket fee', topK: 2 }, makeScope().scope)) as {
			document: string;
			chunk: number;
			start: number;
			end: number;
			text: string;
			ranks: Record<string, number | undefined>;
		}[];
		expect(r[0].document + '#' + r[0].chunk).toBe('trains#1');
		const trains = CORPUS.find((x) => x.name === 'trains.md')!.text;
		expect(trains.slice(r[0].start, r[0].end)).toBe(r[0].text);
		expect(r[0].ranks.keyword).toBe(1);
	});

	it('embed_text with a base’s model gives its unit vectors; an empty text is refused', async () => {
		const v = (await executor().run({ type: 'embed_text', text: ['kitten', 'kitten', 'engine'], collection: baseId }, makeScope().scope)) as number[][];
		expect(v).toHaveLength(3);
		expect(v[0]).toEqual(v[1]);
		const norm = Math.hypot(...v[0]);
		expect(norm).toBeCloseTo(1, 5);
		const dot = v[0].reduce((a, x, i) => a + x * v[2][i], 0);
		expect(dot).toBeLessThan(0.5);
		const r = await outcome(executor().run({ type: 'embed_text', text: '  ', collection: baseId }, makeScope().scope));
		expect(!r.ok && r.error.message).toBe('There is no text to embed: the text is empty.');
	});
});
