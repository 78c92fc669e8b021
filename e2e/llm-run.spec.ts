import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addProvider, session, watchConsole } from './llm-helpers';
import { workflowJson } from './designer-helpers';

// A live run in the designer's Run panel against the mock LLM server: JSON output through a
// fallback chain streams into the timeline with tokens and cost, a failed response check
// routes through onError, and cancelling mid-stream closes the HTTP connection.

function workflow() {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'llm-e2e',
		name: 'Ticket triage (live)',
		initial: 'classify',
		context: { ticket: 'I was charged twice for my subscription' },
		states: {
			classify: {
				invoke: {
					type: 'call_llm',
					provider: 'Flaky',
					model: 'gpt-4o-mini@overloaded',
					fallback: [{ provider: 'OpenAI', model: 'gpt-4o-mini' }],
					system: 'You triage support tickets.',
					prompt: 'Classify this ticket: {{ context.ticket }}',
					output: 'json',
					schema: { type: 'object', properties: { category: { enum: ['billing', 'technical', 'other'] }, urgency: { enum: ['low', 'high'] } }, required: ['category', 'urgency'] },
					assignTo: 'triage'
				},
				onDone: 'reply',
				onError: 'review'
			},
			reply: {
				invoke: { type: 'call_llm', provider: 'OpenAI', prompt: 'Write a reply to: {{ context.ticket }}', checks: [{ type: 'regex', pattern: '^Dear' }], assignTo: 'reply' },
				on: { CANCEL: 'review' },
				onDone: 'done',
				onError: 'review'
			},
			done: { type: 'final' },
			review: { type: 'final' }
		}
	};
}

async function openLive(page: Page) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow(), null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	// Live mode for this workflow (the designer remembers the choice per workflow).
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
	await page.getByRole('tab', { name: 'Effects', exact: true }).click();
}

test('call_llm streams JSON through a fallback into the Run panel with tokens and cost, and a failed check routes to review', async ({ page }) => {
	const c = watchConsole(page);
	const s = session();
	await s.script([
		// rules win over a model's @scenario: this one answers only the fallback's model
		{ match: 'Classify this ticket', model: 'gpt-4o-mini', reply: { json: { category: 'billing', urgency: 'high' }, delayMs: 25, deltaChars: 3 } },
		{ match: 'Write a reply', reply: { text: 'Thanks for writing to us. We have refunded the second charge of your subscription today.', delayMs: 120, deltaChars: 4 } }
	]);
	await addProvider(page, { preset: 'OpenAI', name: 'Flaky', baseUrl: s.openai, apiKey: 'sk-flaky-1' });
	await addProvider(page, { preset: 'OpenAI', baseUrl: s.openai, apiKey: 'sk-good-2' });
	await openLive(page);
	await page.getByTestId('sim-start').click();
	// the reply streams: part of its text shows while the effect runs
	await expect(page.getByTestId('sim-span-running')).toContainText(/Than|refunded/, { timeout: 15_000 });
	await expect(page.getByTestId('sim-value')).toHaveText('review', { timeout: 15_000 });
	await expect(page.getByTestId('sim-context')).toContainText('billing');
	const spans = page.getByTestId('sim-span-ai');
	await expect(spans.first()).toContainText(/\d+ tokens · \$0\.0000\d+ · 2 attempts/);
	await expect(page.getByTestId('sim-span-error')).toContainText('failed its checks');
	const reqs = await s.requests();
	expect(reqs.map((r) => `${r.model} ${r.status}`)).toEqual(['gpt-4o-mini@overloaded 529', 'gpt-4o-mini 200', 'gpt-4o-mini 200']);
	c.check();
});

test('leaving the state mid-stream closes the connection (the mock sees it)', async ({ page }) => {
	const c = watchConsole(page);
	const s = session();
	await s.script([
		{ match: 'Classify this ticket', model: 'gpt-4o-mini', reply: { json: { category: 'billing', urgency: 'low' } } },
		{ match: 'Write a reply', scenario: 'slow' }
	]);
	await addProvider(page, { preset: 'OpenAI', name: 'Flaky', baseUrl: s.openai, apiKey: 'sk-flaky-1' });
	await addProvider(page, { preset: 'OpenAI', baseUrl: s.openai, apiKey: 'sk-good-2' });
	await openLive(page);
	await page.getByTestId('sim-start').click();
	await expect(page.getByTestId('sim-span-running')).toContainText('slow', { timeout: 15_000 });
	await page.getByTestId('sim-send-CANCEL').click();
	await expect(page.getByTestId('sim-value')).toHaveText('review');
	await expect.poll(async () => (await s.requests()).find((r) => r.scenario === 'slow')?.aborted, { timeout: 10_000 }).toBe(true);
	expect((await s.requests()).find((r) => r.scenario === 'slow')?.finished).toBe(false);
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.screenshot({ path: 'test-results/llm-run-1440.png' });
	c.check();
});
