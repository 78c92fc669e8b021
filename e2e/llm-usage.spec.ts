import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addProvider, session, watchConsole } from './llm-helpers';
import { workflowJson } from './designer-helpers';

// Tokens and cost in the Run panel: the run's total and one row per state, live while a call
// streams, equal to the usage chunks the mock LLM server sent (OpenRouter reports its own cost);
// a cancelled call's estimate counts and is marked estimated.

const classify = { input: 321, output: 17, cost: 0.000123 };
const draft = { input: 456, output: 78, cost: 0.000456 };
const polish = { input: 100, output: 50, cost: 0.0002 };

function workflow() {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'llm-usage-e2e',
		name: 'Usage per state',
		initial: 'classify',
		context: { ticket: 'My invoice is wrong' },
		states: {
			classify: {
				invoke: { type: 'call_llm', prompt: 'Classify: {{ context.ticket }}', assignTo: 'category' },
				onDone: 'reply',
				onError: 'failed'
			},
			reply: {
				invoke: { type: 'call_llm', prompt: 'Draft a reply to: {{ context.ticket }}', assignTo: 'draft' },
				onDone: 'polish',
				onError: 'failed'
			},
			polish: {
				invoke: { type: 'call_llm', prompt: 'Polish: {{ context.draft }}', assignTo: 'reply' },
				on: { CANCEL: 'failed' },
				onDone: 'done',
				onError: 'failed'
			},
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	};
}

async function openLive(page: Page) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow(), null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

const figures = async (page: Page, testId: string, state?: string) => {
	const el = state ? page.locator(`[data-testid="${testId}"][data-state="${state}"]`) : page.getByTestId(testId);
	return {
		input: Number(await el.getAttribute('data-input')),
		output: Number(await el.getAttribute('data-output')),
		cost: Number(await el.getAttribute('data-cost')),
		estimated: (await el.getAttribute('data-estimated')) === 'true'
	};
};

test('the Run panel totals tokens and cost per state and per run, live while streaming, equal to the usage the provider sent', async ({ page }) => {
	const c = watchConsole(page);
	const s = session();
	await s.script([
		{ match: 'Classify:', reply: { text: 'billing', usage: classify } },
		{ match: 'Draft a reply', reply: { text: 'Dear customer, we are sorry about your invoice. '.repeat(6).trim(), deltaChars: 3, delayMs: 60, usage: draft } },
		{ match: 'Polish:', reply: { text: 'Dear customer, we have corrected your invoice.', usage: polish } }
	]);
	await addProvider(page, { preset: 'OpenRouter', baseUrl: s.openrouter, apiKey: 'sk-or-usage-1' });
	await openLive(page);
	await page.getByTestId('sim-start').click();
	const panel = page.getByTestId('ai-run-totals');
	// While the draft streams: the first state's call is counted, the running one is shown as an estimate so far.
	await expect(panel.getByTestId('ai-streaming')).toContainText(/Streaming in reply: ≈\d+ tokens out so far/, { timeout: 15_000 });
	expect(await figures(page, 'ai-run-total')).toEqual({ input: classify.input, output: classify.output, cost: classify.cost, estimated: false });
	await expect(page.getByTestId('sim-value')).toHaveText('done', { timeout: 20_000 });
	await expect(panel.getByTestId('ai-streaming')).toHaveCount(0);
	await expect(panel.getByTestId('ai-state-row')).toHaveCount(3);
	const total = await figures(page, 'ai-run-total');
	expect(total.input).toBe(classify.input + draft.input + polish.input);
	expect(total.output).toBe(classify.output + draft.output + polish.output);
	expect(total.cost).toBeCloseTo(classify.cost + draft.cost + polish.cost, 12);
	expect(total.estimated).toBe(false);
	expect(await figures(page, 'ai-state-row', 'classify')).toEqual({ ...classify, estimated: false });
	expect(await figures(page, 'ai-state-row', 'reply')).toEqual({ ...draft, estimated: false });
	expect(await figures(page, 'ai-state-row', 'polish')).toEqual({ ...polish, estimated: false });
	// What the user reads
	await expect(panel.getByTestId('ai-run-total')).toContainText('1,022 tokens');
	await expect(panel.getByTestId('ai-run-total')).toContainText('(877 in · 145 out) · $0.000779');
	await expect(panel.locator('[data-testid="ai-state-row"][data-state="reply"]')).toHaveText(/reply\s*456\s*78\s*\$0\.000456/);
	expect((await s.requests()).map((r) => r.status)).toEqual([200, 200, 200]);
	// looking at a past moment (time travel): the totals say they are the whole run's
	await page.getByRole('tab', { name: 'Event log', exact: true }).click();
	await page.getByTestId('sim-log-row').first().click();
	await expect(page.getByTestId('sim-moment')).toBeVisible();
	await expect(panel.getByTestId('ai-run-totals-past')).toContainText("whole run's totals");
	await page.getByTestId('sim-moment-live').click();
	await expect(panel.getByTestId('ai-run-totals-past')).toHaveCount(0);
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.screenshot({ path: 'test-results/llm-usage-1440.png' });
	// on a phone the panels are a sheet over the canvas: open it, the Run tab keeps the totals
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Properties' }).click();
	const sheet = page.getByRole('complementary', { name: 'Properties' });
	await sheet.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(sheet.getByTestId('ai-run-total')).toContainText('1,022 tokens');
	await sheet.getByTestId('ai-run-totals').scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/llm-usage-390.png' });
	c.check();
});

test('a call cancelled mid-stream counts its estimated tokens in its state and the run, marked estimated', async ({ page }) => {
	const c = watchConsole(page);
	const s = session();
	await s.script([
		{ match: 'Classify:', reply: { text: 'billing', usage: classify } },
		{ match: 'Draft a reply', reply: { text: 'Dear customer.', usage: draft } },
		{ match: 'Polish:', scenario: 'slow' }
	]);
	await addProvider(page, { preset: 'OpenRouter', baseUrl: s.openrouter, apiKey: 'sk-or-usage-2' });
	await openLive(page);
	await page.getByTestId('sim-start').click();
	await expect(page.getByTestId('ai-streaming')).toContainText('Streaming in polish', { timeout: 15_000 });
	await page.getByTestId('sim-send-CANCEL').click();
	await expect(page.getByTestId('sim-value')).toHaveText('failed');
	await expect(page.getByTestId('ai-run-estimated')).toBeVisible();
	const row = await figures(page, 'ai-state-row', 'polish');
	expect(row.estimated).toBe(true);
	expect(row.input).toBeGreaterThan(0);
	expect(row.output).toBeGreaterThan(0);
	const total = await figures(page, 'ai-run-total');
	expect(total).toMatchObject({ input: classify.input + draft.input + row.input, output: classify.output + draft.output + row.output, estimated: true });
	await expect(page.locator('[data-testid="ai-state-row"][data-state="polish"]')).toContainText('≈');
	await expect.poll(async () => (await s.requests()).find((r) => r.scenario === 'slow')?.aborted, { timeout: 10_000 }).toBe(true);
	c.check();
});
