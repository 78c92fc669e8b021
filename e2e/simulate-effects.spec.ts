import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

async function openExample(page: Page, name: string) {
	await page.goto('/');
	await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

const value = (page: Page) => page.getByTestId('sim-value');

// The model call fails twice (a retryable failure) and then answers; drafting the billing
// reply takes a minute of virtual time and streams progress, so it can be cancelled.
const stubs = {
	call_llm: [
		{ delayMs: 100, error: { code: 'failed', message: 'model overloaded' } },
		{ delayMs: 100, error: { code: 'failed', message: 'model overloaded' } },
		{ delayMs: 100, output: { category: 'billing', urgency: 'low', summary: 'Double charge.' } }
	],
	'call_llm@billing': [{ delayMs: 60000, progress: ['Dear', 'Dear customer,'], output: 'Refunded.' }]
};

test('the effect timeline shows a retry’s attempts and a cancelled effect, and hovering highlights the state', async ({ page }) => {
	await openExample(page, 'Support ticket triage');
	await page.getByRole('button', { name: /^Simulated effect results/ }).click();
	await page.getByTestId('sim-stubs').fill(JSON.stringify(stubs));
	await page.getByTestId('sim-start').click();
	await expect(value(page)).toHaveText('waiting');

	// TICKET's guard needs a text: without a payload it would not pass.
	await expect(page.getByTestId('sim-guard-TICKET')).toHaveText('guard fails');
	await page.getByTestId('sim-payload-toggle-TICKET').click();
	await page.getByTestId('sim-payload-TICKET').fill(JSON.stringify({ from: 'ana@example.com', subject: 'Charged twice', text: 'My card was charged twice.' }));
	await expect(page.getByTestId('sim-guard-payload-TICKET')).toHaveText('with this payload: guard passes');
	await page.getByTestId('sim-send-TICKET').click();
	await expect(value(page)).toHaveText('classifying');
	await expect(page.locator('[data-state="classifying"]')).toHaveClass(/active/);

	// Fast-forward through the attempts and backoff waits on the virtual clock.
	for (let i = 0; i < 12; i++) {
		if ((await value(page).textContent()) === 'billing') break;
		await page.getByTestId('sim-next').click();
		await page.waitForTimeout(100);
	}
	await expect(value(page)).toHaveText('billing');

	await page.getByRole('tab', { name: 'Effects' }).click();
	const timeline = page.getByTestId('sim-timeline');
	const retry = timeline.locator('[data-testid="sim-span"][data-type="retry"]');
	await expect(retry).toHaveCount(1);
	await expect(retry).toHaveAttribute('data-status', 'ok');
	await expect(retry.getByTestId('sim-retries')).toHaveText('2 retries');
	await expect(timeline.getByTestId('sim-attempt')).toHaveText(['attempt 1', 'attempt 2', 'attempt 3']);
	await expect(timeline.locator('[data-testid="sim-span"][data-type="timeout"][data-status="error"]')).toHaveCount(2);
	await expect(timeline.getByTestId('sim-span-error').first()).toContainText('model overloaded');

	// Hovering an effect highlights its state on the canvas.
	await retry.hover();
	await expect(page.locator('[data-state="classifying"]')).toHaveClass(/sim-highlight/);

	// The billing reply is being drafted (live progress) when the ticket is reset: cancelled.
	await page.getByTestId('sim-ff-ms').fill('30000');
	await page.getByTestId('sim-ff').click();
	const drafting = timeline.locator('[data-testid="sim-span"][data-type="call_llm"]').last();
	await expect(drafting).toHaveAttribute('data-status', 'running');
	await expect(drafting).toContainText('Dear');
	await page.getByTestId('sim-send-RESET').click();
	await expect(value(page)).toHaveText('waiting');
	await expect(drafting).toHaveAttribute('data-status', 'cancelled');
	await expect(drafting.getByTestId('sim-span-cancelled')).toBeVisible();

	// The timeline with failures, a retry and a cancellation is accessible too.
	const axe = await new AxeBuilder({ page }).include('[data-testid="sim-timeline"]').analyze();
	expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
