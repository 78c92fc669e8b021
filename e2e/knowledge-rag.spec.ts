import { test, expect } from './fixtures';
import { makePdf } from '../tests/ai/retrieval/pdf';
import { addProvider, session } from './llm-helpers';
import { CATS, createBase, docRow, openLive, search } from './knowledge-helpers';

// The knowledge journey: a base made from the Knowledge page (reached from the app's
// navigation), three documents (one a PDF) indexed with the generated test model loaded
// from a web address (the mock server), progress while it works, the search playground,
// deleting a document, a reload, then a workflow that answers from the base with `rag`
// against the mock LLM server in the designer's Run panel, and its citation opening the
// cited chunk on the Knowledge page.
//
// The ONNX Runtime starts once per worker (a few seconds of compile on a quiet machine,
// far more on a loaded one), so the journey is one test that needs it twice: in the
// Knowledge page's worker and in the designer's run worker.

/** A longer handbook (60 chunks), so there is something to watch while it is indexed. */
function handbook() {
	const sections: string[] = ['# Handbook'];
	for (let i = 1; i <= 60; i++) sections.push(`## Section ${i}\n\nThe river runs past the old town number ${i}. A mechanic repairs the brakes of vehicle ${i} in Berlin.`);
	return sections.join('\n\n');
}

const DOGS_PDF = makePdf([
	['Dogs', '', 'Dogs need a walk every morning and evening.', 'A puppy learns to walk on a leash.'],
	['Food', '', 'A dog eats meat and rice.']
]);

test('a knowledge base: three documents, search, delete, reload, then a workflow answers from it with citations', async ({ page, context }) => {
	test.setTimeout(240_000);
	await page.goto('/');
	await page.getByRole('link', { name: 'Knowledge', exact: true }).first().click();
	await expect(page).toHaveURL(/\/knowledge$/);
	await createBase(page, 'Handbook');
	await expect(page.getByText('No documents yet.')).toBeVisible();

	await page.getByTestId('knowledge-file').setInputFiles([
		{ name: 'cats.md', mimeType: 'text/markdown', buffer: Buffer.from(CATS) },
		{ name: 'dogs.pdf', mimeType: 'application/pdf', buffer: Buffer.from(DOGS_PDF) },
		{ name: 'handbook.md', mimeType: 'text/markdown', buffer: Buffer.from(handbook()) }
	]);
	// every document is listed at once; the job says which one it works on, what it does, and how far it is
	await expect(page.getByTestId('knowledge-doc')).toHaveCount(3);
	const progress = page.getByTestId('indexing-progress');
	await expect(progress).toContainText(/Indexing cats\s*document 1 of 3/);
	await expect(progress).toContainText('Loading the embedding model');
	await expect(progress.getByRole('progressbar', { name: 'Indexing progress' })).toBeVisible();
	await expect(progress).toContainText(/document [23] of 3/, { timeout: 120_000 });
	await expect(progress).toBeHidden({ timeout: 60_000 });
	for (const t of ['cats', 'dogs', 'handbook']) await expect(docRow(page, t)).toHaveAttribute('data-status', 'ready');
	await expect(docRow(page, 'dogs')).toContainText('PDF');
	await expect(docRow(page, 'handbook')).toContainText('60 chunks');
	await expect(page.getByText(/^3 documents · 63 chunks · test-embedder from http/)).toBeVisible();

	// the playground: fused rank, each strategy's rank, the matched words marked
	await search(page, 'puppy leash');
	const first = page.getByTestId('search-result').first();
	await expect(first).toContainText('A puppy learns to walk on a leash.');
	await expect(first).toContainText('dogs');
	await expect(first).toContainText('page 1');
	await expect(first.getByLabel('Rank in each strategy')).toContainText(/Semantic #1.*Keyword #1/);
	await expect(first.locator('mark')).toHaveText(['puppy', 'leash']);
	await expect(page.getByTestId('search-stats')).toContainText(/\d+ results? in/);

	// deleting a document removes it from every strategy
	await page.getByRole('tab', { name: 'Documents' }).click();
	await page.getByRole('button', { name: 'Delete dogs' }).click();
	await page.getByRole('button', { name: 'Delete', exact: true }).click();
	await expect(docRow(page, 'dogs')).toHaveCount(0);
	await search(page, 'puppy leash');
	await expect(page.getByTestId('search-stats')).toBeVisible();
	await expect(page.getByTestId('search-result').filter({ hasText: 'puppy' })).toHaveCount(0);

	// a reload keeps the base and its documents (and the deletion)
	await page.reload();
	await expect(page.getByRole('heading', { level: 2, name: 'Handbook' })).toBeVisible();
	await page.getByRole('tab', { name: 'Documents' }).click();
	await expect(page.getByTestId('knowledge-doc')).toHaveCount(2);
	await expect(docRow(page, 'cats')).toHaveAttribute('data-status', 'ready');
	await expect(page.getByText(/^2 documents · 62 chunks/)).toBeVisible();

	// a workflow answers from the base with rag, live, against the mock LLM server
	const s = session();
	await s.script([{ match: 'Question: How long do cats sleep?', reply: { text: 'Cats sleep for most of the day [1].', deltaChars: 4, delayMs: 20 } }]);
	await addProvider(page, { preset: 'OpenAI', baseUrl: s.openai, apiKey: 'sk-rag-e2e-1' });
	await openLive(page, {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'rag-e2e',
		name: 'Answer from the handbook',
		initial: 'answering',
		context: { question: 'How long do cats sleep?' },
		states: {
			answering: { invoke: { type: 'rag', question: '{{ context.question }}', collection: 'Handbook', provider: 'OpenAI', topK: 3, assignTo: 'reply' }, onDone: 'answered', onError: 'failed' },
			answered: { type: 'final' },
			failed: { type: 'final' }
		}
	});
	await page.getByTestId('sim-start').click();
	await expect(page.getByTestId('sim-value')).toHaveText('answered', { timeout: 120_000 });
	// rag and its three steps on the effect timeline
	const spans = page.getByTestId('sim-span');
	await expect(spans.locator('.type')).toHaveText(['rag', 'vector_search', 'knowledge.compress', 'call_llm']);
	for (const sp of await spans.all()) await expect(sp).toHaveAttribute('data-status', 'ok');
	await expect(page.getByTestId('sim-span-ai')).toContainText(/\d+ tokens/);
	// the model was given numbered sources from the base, and asked to cite them
	const [req] = await s.requests();
	const messages = (req.body as { messages: { role: string; content: string }[] }).messages;
	expect(messages[0].content).toMatch(/cite it with its number in square brackets/);
	expect(messages[1].content).toMatch(/^Sources:\n\n\[1\] /);
	expect(messages[1].content).toContain('Cats sleep for most of the day.');
	expect(messages[1].content).toContain('Question: How long do cats sleep?');

	// the answer and its citation in the context, the citation a link to the chunk
	const ctx = page.getByTestId('sim-context');
	await expect(ctx).toContainText('"Cats sleep for most of the day [1]."');
	await ctx.getByRole('button', { name: /citations/ }).click();
	await ctx.getByRole('button', { name: /^▸?\s*0:/ }).first().click();
	const link = ctx.getByRole('link', { name: /\/knowledge\?base=/ });
	await expect(link).toBeVisible();
	await page.screenshot({ path: 'test-results/knowledge-rag-run-panel.png' });
	const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
	await tab.waitForLoadState();
	const viewer = tab.getByRole('dialog', { name: 'cats' });
	await expect(viewer).toBeVisible();
	await expect(viewer.locator('mark').first()).toContainText('Cats sleep for most of the day.');
	await tab.screenshot({ path: 'test-results/knowledge-rag-citation.png' });
	await tab.close();
});
