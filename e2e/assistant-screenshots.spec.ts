// The Assistant tab (a draft previewed on the canvas), the Components tab and Settings →
// Plugins at 1440×900 and 390×844, light and dark, as a newcomer meets them (into
// test-results/assistant/), to look at. Run on purpose only:
//   SCREENSHOTS=1 npx playwright test e2e/assistant-screenshots.spec.ts
import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addProvider, session } from './llm-helpers';
import { newWorkflow } from './designer-helpers';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to take the assistant screenshots');

const draft = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'x',
	name: 'Ticket answerer',
	initial: 'idle',
	context: { ticket: null, answer: null },
	budget: { maxCostUsd: 0.5 },
	states: {
		idle: { on: { TICKET: { target: 'answering', effects: [{ type: 'assign', set: { ticket: 'event.text' } }] } } },
		answering: {
			invoke: { type: 'timeout', ms: 30000, effect: { type: 'call_llm', prompt: 'Answer this ticket: {{ context.ticket }}', fallback: [{ provider: 'backup' }] } },
			onDone: { target: 'done', effects: [{ type: 'assign', set: { answer: 'event.output' } }] },
			onError: 'human'
		},
		human: { on: { RESOLVED: 'done' } },
		done: { type: 'final' }
	}
};

async function shots(page: Page, name: string, before?: () => Promise<void>) {
	for (const [w, h] of [
		[1440, 900],
		[390, 844]
	]) {
		for (const scheme of ['light', 'dark'] as const) {
			await page.setViewportSize({ width: w, height: h });
			await page.emulateMedia({ colorScheme: scheme });
			await before?.();
			await page.waitForTimeout(400);
			await page.screenshot({ path: `test-results/assistant/${name}-${w}-${scheme}.png` });
		}
	}
}

const openTab = (page: Page, label: string) => async () => {
	const tab = page.getByRole('tab', { name: label, exact: true });
	if (await tab.isVisible()) await tab.click();
};

test('assistant, components and plugins screenshots', async ({ page }) => {
	test.setTimeout(240_000);
	const s = session();
	await s.script([{ reply: { json: { summary: 'Answers a ticket with a model; a person takes what fails.', workflow: draft }, usage: { input: 1200, output: 520 } } }]);
	await addProvider(page, { preset: 'OpenAI', name: 'Mock', baseUrl: s.openai, apiKey: 'sk-test-assistant', model: 'gpt-4o-mini' });
	await page.setViewportSize({ width: 1440, height: 900 });
	await newWorkflow(page);
	await page.getByRole('tab', { name: 'Assistant', exact: true }).click();
	await shots(page, 'assistant-empty', openTab(page, 'Assistant'));
	const panel = page.getByTestId('assistant-panel');
	await page.setViewportSize({ width: 1440, height: 900 });
	await panel.getByTestId('assistant-provider').selectOption({ label: 'Mock' });
	await panel.getByTestId('assistant-input').fill('Answer support tickets with a model within 30 seconds; hand failures to a person.');
	await panel.getByTestId('assistant-send').click();
	await expect(panel.getByTestId('assistant-proposal')).toBeVisible();
	await shots(page, 'assistant-draft', openTab(page, 'Assistant'));
	await page.setViewportSize({ width: 1440, height: 900 });
	await panel.getByTestId('assistant-accept').click();
	await page.getByRole('tab', { name: 'Components', exact: true }).click();
	await page.getByTestId('component-ai-step').click();
	await shots(page, 'components', openTab(page, 'Components'));
	await page.goto('/settings/plugins');
	await page.getByTestId('logger-enabled').check();
	await page.getByTestId('kind-new').click();
	await shots(page, 'plugins');
});
