import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addProvider, session } from './llm-helpers';
import { newWorkflow, stateNode, stateNodes, workflowJson } from './designer-helpers';

// The designer's Assistant tab against the mock LLM server (scripted replies over the real
// OpenAI wire format): a draft is previewed on the canvas and accepted as one undo step, a
// broken draft is repaired, one that cannot be repaired leaves the canvas untouched with a
// clear message, an edit becomes the designer's own operations (applied, then undone), and a
// request is cancelled mid-stream (the HTTP stream closes).

const draft = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ignored',
	name: 'Ticket answerer',
	description: 'Answers a support ticket with a model, or hands it to a person.',
	initial: 'idle',
	context: { ticket: null, answer: null, error: null },
	budget: { maxCostUsd: 0.5 },
	states: {
		idle: { on: { TICKET: { target: 'answering', effects: [{ type: 'assign', set: { ticket: 'event.text' } }] } } },
		answering: {
			invoke: { type: 'timeout', ms: 30000, effect: { type: 'call_llm', prompt: 'Answer this ticket: {{ context.ticket }}', fallback: [{ provider: 'backup' }] } },
			onDone: { target: 'done', effects: [{ type: 'assign', set: { answer: 'event.output' } }] },
			onError: { target: 'human', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
		},
		human: { on: { RESOLVED: 'done' } },
		done: { type: 'final' }
	}
};
/** The same with a transition to a state that does not exist and an HTTP call without a URL. */
const broken = {
	...draft,
	states: { ...draft.states, idle: { on: { TICKET: { target: 'answerring' } } }, human: { entry: [{ type: 'http', method: 'POST' }], on: { RESOLVED: 'done' } } }
};
const fetcher = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'assistant-e2e-fetcher',
	name: 'Fetcher',
	initial: 'idle',
	context: { data: null },
	states: {
		idle: { on: { FETCH: 'fetching' } },
		fetching: { invoke: { type: 'http', url: 'https://api.example.com/items' }, onDone: 'done', onError: 'idle' },
		done: { type: 'final' }
	},
	layout: { idle: { x: 0, y: 0 }, fetching: { x: 260, y: 0 }, done: { x: 520, y: 0 } }
};

const panel = (page: Page) => page.getByTestId('assistant-panel');

/** A provider on the mock, then the designer's Assistant tab with it chosen. */
async function openAssistant(page: Page, s: ReturnType<typeof session>, open: () => Promise<void>) {
	await addProvider(page, { preset: 'OpenAI', name: 'Mock', baseUrl: s.openai, apiKey: 'sk-test-assistant', model: 'gpt-4o-mini' });
	await open();
	await page.getByRole('tab', { name: 'Assistant', exact: true }).click();
	await expect(panel(page)).toBeVisible();
	await panel(page).getByTestId('assistant-provider').selectOption({ label: 'Mock' });
}

async function openFetcher(page: Page) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(fetcher, null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(stateNode(page, 'fetching')).toBeVisible();
}

const undo = (page: Page) => page.getByRole('button', { name: 'Undo (Ctrl+Z)' });

test('a draft is previewed on the canvas, accepted as one undo step, and undone', async ({ page }) => {
	const s = session();
	await s.script([{ reply: { json: { summary: 'Answers tickets with a model; a person takes the rest.', workflow: draft }, usage: { input: 900, output: 400 } } }]);
	await openAssistant(page, s, () => newWorkflow(page));
	await panel(page).getByTestId('assistant-input').fill('Answer support tickets with a model, hand failures to a person');
	await panel(page).getByTestId('assistant-send').click();

	const proposal = panel(page).getByTestId('assistant-proposal');
	await expect(proposal).toBeVisible({ timeout: 15_000 });
	await expect(proposal).toContainText('Answers tickets with a model');
	// drawn on the canvas, marked as new — the document itself is still empty
	await expect(stateNodes(page)).toHaveCount(4);
	for (const p of ['idle', 'answering', 'human', 'done']) await expect(stateNode(page, p).locator('.ai-added')).toBeVisible();
	expect((await workflowJson(page)).states).toEqual({});
	await expect(panel(page).getByTestId('assistant-cost')).toContainText('900 in · 400 out tokens');
	await expect(undo(page)).toBeDisabled();

	await proposal.getByTestId('assistant-accept').click();
	await expect(panel(page).getByTestId('assistant-notice')).toContainText('Draft applied');
	await expect(proposal).toHaveCount(0);
	const after = await workflowJson(page);
	expect(Object.keys(after.states)).toEqual(['idle', 'answering', 'human', 'done']);
	expect(after.name).toBe('Ticket answerer');
	await expect(page.locator('.ai-added')).toHaveCount(0);

	// one undo step takes the whole draft back
	await undo(page).click();
	await expect(stateNodes(page)).toHaveCount(0);
	await expect(undo(page)).toBeDisabled();
	expect((await workflowJson(page)).states).toEqual({});
});

test('a draft with errors is repaired; discarding it leaves the canvas as it was', async ({ page }) => {
	const s = session();
	await s.script([
		{ times: 1, reply: { json: { summary: 'First try.', workflow: broken } } },
		{ reply: { json: { summary: 'Fixed the target and the URL.', workflow: draft } } }
	]);
	await openAssistant(page, s, () => openFetcher(page));
	await panel(page).getByTestId('assistant-input').fill('Answer support tickets with a model');
	await panel(page).getByTestId('assistant-send').click();

	const proposal = panel(page).getByTestId('assistant-proposal');
	await expect(proposal).toContainText('The checks found problems in 1 earlier answer', { timeout: 15_000 });
	// the checks' findings went back to the model in the second request
	const reqs = await s.requests();
	expect(reqs).toHaveLength(2);
	expect(JSON.stringify(reqs[1].body)).toMatch(/answerring/);
	// the old states show as removed ghosts beside the new ones
	await expect(stateNode(page, 'fetching').locator('.ai-removed')).toBeVisible();
	await expect(stateNode(page, 'answering').locator('.ai-added')).toBeVisible();

	await proposal.getByTestId('assistant-discard').click();
	await expect(panel(page).getByTestId('assistant-notice')).toContainText('Discarded');
	await expect(stateNodes(page)).toHaveCount(3);
	await expect(page.locator('.ai-removed, .ai-added')).toHaveCount(0);
	const wf = await workflowJson(page);
	expect(Object.keys(wf.states)).toEqual(['idle', 'fetching', 'done']);
	await expect(undo(page)).toBeDisabled();
});

test('a draft that cannot be repaired: a clear message, the canvas untouched', async ({ page }) => {
	const s = session();
	await s.script([{ reply: { json: { summary: 'Still broken.', workflow: broken } } }]);
	await openAssistant(page, s, () => openFetcher(page));
	const before = await workflowJson(page);
	await panel(page).getByTestId('assistant-input').fill('Answer support tickets with a model');
	await panel(page).getByTestId('assistant-send').click();

	const error = panel(page).getByTestId('assistant-error');
	await expect(error).toContainText('did not manage a valid workflow after 3 repair rounds; nothing was changed');
	await expect(error).toContainText('Try a more specific description');
	await expect(panel(page).getByTestId('assistant-proposal')).toHaveCount(0);
	expect(await s.requests()).toHaveLength(4);
	await expect(stateNodes(page)).toHaveCount(3);
	await expect(page.locator('.ai-removed, .ai-added, .ai-changed')).toHaveCount(0);
	expect(await workflowJson(page)).toEqual(before);
	await expect(undo(page)).toBeDisabled();
	// every call is counted in the cost line
	await expect(panel(page).getByTestId('assistant-cost')).toContainText('4 calls');
});

test('an edit becomes the designer’s operations: previewed, applied, undone in one step', async ({ page }) => {
	const s = session();
	await s.script([
		{
			reply: {
				json: {
					summary: 'Gives the call 30 seconds, and lets the user cancel it.',
					operations: [
						{ op: 'setStateFields', path: 'fetching', fields: { invoke: { type: 'timeout', ms: 30000, effect: { type: 'http', url: 'https://api.example.com/items' } } } },
						{ op: 'addTransition', source: 'fetching', event: 'CANCEL', target: 'idle' }
					]
				}
			}
		}
	]);
	await openAssistant(page, s, () => openFetcher(page));
	const before = await workflowJson(page);
	await panel(page).getByRole('tab', { name: 'Edit' }).click();
	await panel(page).getByTestId('assistant-input').fill('Give the fetch 30 seconds at most, and let the user cancel it');
	await panel(page).getByTestId('assistant-input').press('Control+Enter');

	const proposal = panel(page).getByTestId('assistant-proposal');
	await expect(proposal).toContainText('Proposed change', { timeout: 15_000 });
	await expect(proposal).toContainText('Change invoke of fetching');
	await expect(stateNode(page, 'fetching').locator('.ai-changed')).toBeVisible();
	await expect(stateNode(page, 'idle').locator('.ai-changed, .ai-added')).toHaveCount(0);
	expect(await workflowJson(page)).toEqual(before);

	await proposal.getByTestId('assistant-accept').click();
	await expect(panel(page).getByTestId('assistant-notice')).toContainText('Change applied');
	const after = await workflowJson(page);
	expect(after.states.fetching.invoke).toMatchObject({ type: 'timeout', ms: 30000 });
	expect(after.states.fetching.on).toMatchObject({ CANCEL: 'idle' });

	await undo(page).click();
	await expect(undo(page)).toBeDisabled();
	expect(await workflowJson(page)).toEqual(before);
});

test('cancel stops the request mid-stream and changes nothing', async ({ page }) => {
	const s = session();
	await s.script([{ scenario: 'slow' }]);
	await openAssistant(page, s, () => openFetcher(page));
	const before = await workflowJson(page);
	await panel(page).getByTestId('assistant-input').fill('Answer support tickets with a model');
	await panel(page).getByTestId('assistant-send').click();
	await expect(panel(page).getByTestId('assistant-status')).toContainText('Asking the model');
	await expect(panel(page).getByTestId('assistant-stream')).toBeVisible();
	await panel(page).getByTestId('assistant-cancel').click();
	await expect(panel(page).getByTestId('assistant-notice')).toContainText('Cancelled — nothing was changed');
	await expect(panel(page).getByTestId('assistant-send')).toBeEnabled();
	await expect.poll(async () => (await s.requests())[0]?.aborted).toBe(true);
	expect(await workflowJson(page)).toEqual(before);
	await expect(undo(page)).toBeDisabled();
});
