/**
 * Simulated vs live runs in the designer: simulated is the default, says so in a banner, never
 * reaches the network (the triage example's HTTP POST is answered from a stub), each run's log
 * says which mode it used, and the switch to live is remembered per workflow. Plus the
 * problems panel asks for an onError path, and a past moment shows its own events read only.
 */
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';

async function openExample(page: Page, name: string) {
	await page.goto('/');
	await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

const value = (page: Page) => page.getByTestId('sim-value');

test('a simulated run never calls the outside world; live is a clear switch remembered per workflow', async ({ page, context }) => {
	const outside: string[] = [];
	await context.route('https://helpdesk.example.com/**', (route) => {
		outside.push(`${route.request().method()} ${route.request().url()}`);
		return route.fulfill({ status: 500, body: 'must not be called' });
	});
	await openExample(page, 'Support ticket triage');

	// Simulated by default, with a banner naming the effects it answers.
	await expect(page.getByTestId('sim-mode-simulated')).toBeChecked();
	const banner = page.getByTestId('sim-mode-banner');
	await expect(banner).toHaveAttribute('data-mode', 'simulated');
	await expect(banner).toContainText('Simulated run.');
	await expect(banner).toContainText(/3 outside effects \(.*HTTP request in technical.*\)/);
	await expect(banner).toContainText('Nothing is sent over the network.');

	// The results box starts empty (no grey example that looks filled in); an example can be filled in.
	await page.getByTestId('sim-stubs-toggle').click();
	const stubs = page.getByTestId('sim-stubs');
	await expect(stubs).toHaveValue('');
	expect(await stubs.getAttribute('placeholder')).toBeNull();
	await page.getByTestId('sim-stubs-example').click();
	const example = JSON.parse(await stubs.inputValue());
	expect(Object.keys(example).sort()).toEqual(['call_llm@billing', 'call_llm@classifying', 'http@technical']);
	// the example answers what the workflow reads from the model: category, urgency, summary
	expect(Object.keys(example['call_llm@classifying'][0].output).sort()).toEqual(['category', 'summary', 'urgency']);
	example['call_llm@classifying'][0].output = { category: 'technical', urgency: 'low', summary: 'Crash on start.' };
	await stubs.fill(JSON.stringify(example, null, 2));

	await page.getByTestId('sim-start').click();
	await expect(value(page)).toHaveText('waiting');
	await page.getByTestId('sim-payload-toggle-TICKET').click();
	await page.getByTestId('sim-payload-TICKET').fill(JSON.stringify({ from: 'bo@example.com', subject: 'Crash', text: 'The app crashes.' }));
	await page.getByTestId('sim-send-TICKET').click();
	// classify (stub) → routing → technical: the POST is answered by its stub → answered.
	// Stub delays run on the virtual clock: step it to each next timer.
	await expect(value(page)).toHaveText('classifying');
	for (let i = 0; i < 8; i++) {
		if ((await value(page).textContent()) === 'answered') break;
		await page.getByTestId('sim-next').click();
		await page.waitForTimeout(100);
	}
	await expect(value(page)).toHaveText('answered');
	await expect(page.getByTestId('sim-context')).toContainText('Forwarded to the technical queue');
	expect(outside).toEqual([]);
	await expect(page.getByTestId('sim-instance').locator('option:checked')).toContainText('simulated');

	// The log says which mode the run used.
	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.getByTestId('sim-log-search').fill('runMode');
	await expect(page.getByTestId('sim-log-row')).toHaveCount(1);
	await expect(page.getByTestId('sim-log-row')).toContainText('Simulated run');

	// Switch to live: a warning banner; remembered for this workflow after a reload.
	await page.getByTestId('sim-mode-live').check({ force: true });
	await expect(banner).toHaveAttribute('data-mode', 'live');
	await expect(banner).toContainText('Live run.');
	await expect(banner).toContainText('a POST or DELETE changes the real service');
	// the finished instance still says how it ran
	await expect(page.getByTestId('sim-instance-mode')).toContainText('This instance runs simulated');
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-mode-live')).toBeChecked();
	await expect(page.getByTestId('sim-mode-banner')).toHaveAttribute('data-mode', 'live');

	// Another workflow keeps its own choice: simulated.
	await openExample(page, 'Smart door');
	await expect(page.getByTestId('sim-mode-simulated')).toBeChecked();
	await expect(page.getByTestId('sim-mode-banner')).toContainText('HTTP requests, model calls, retrieval and tools are answered');
});

test('a past moment shows the events it accepted, read only, and the controls say they act on the live run', async ({ page }) => {
	await openExample(page, 'Smart door');
	await page.getByTestId('sim-start').click();
	await expect(value(page)).toHaveText('closed');
	await page.getByTestId('sim-send-OPEN').click();
	await expect(value(page)).toHaveText('open');
	await expect(page.getByTestId('sim-send-CLOSE')).toBeVisible();

	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.locator('[data-testid="sim-log-row"]', { hasText: 'input #1 OPEN' }).click();
	await page.getByTestId('sim-moment-prev').click();
	await expect(value(page)).toHaveText('closed');
	const past = page.getByTestId('sim-moment-events');
	await expect(past).toContainText('Past moment (read only)');
	await expect(page.getByTestId('sim-moment-event-OPEN')).toBeVisible();
	await expect(page.getByTestId('sim-moment-event-LOCK')).toBeVisible();
	// the live instance's buttons are gone, and its clock controls are disabled
	await expect(page.getByTestId('sim-send-CLOSE')).toHaveCount(0);
	await expect(page.getByTestId('sim-controls-past')).toContainText('Virtual time at that moment');
	await expect(page.getByTestId('sim-ff')).toBeDisabled();

	await page.getByTestId('sim-moment-live').click();
	await expect(page.getByTestId('sim-moment-events')).toHaveCount(0);
	await expect(page.getByTestId('sim-send-CLOSE')).toBeVisible();
	await expect(page.getByTestId('sim-ff')).toBeEnabled();

	// Coverage names transitions as the canvas does.
	await page.getByRole('tab', { name: 'Coverage' }).click();
	await expect(page.getByTestId('sim-coverage')).toContainText('closed —OPEN→ open');
	await expect(page.getByTestId('sim-coverage')).not.toContainText('closed|on:OPEN|0');
});

test('the problems panel asks for a way out when an outside call fails, and the state panel adds it', async ({ page }) => {
	await openExample(page, 'Support ticket triage');
	// delete one of the example's onError transitions (select its label, press Delete)
	await page.locator('.transition-label', { hasText: 'onError' }).first().click();
	await page.keyboard.press('Delete');
	await page.getByRole('tab', { name: /Problems/ }).click();
	await expect(page.getByTestId('problems')).toContainText('with no onError');
	await page.getByTestId('problems').getByText(/with no onError/).first().click();
	await page.getByRole('tab', { name: 'Properties' }).click();
	await page.getByRole('button', { name: '+ Add onError transition', exact: true }).click();
	await expect(page.getByTestId('problems')).not.toContainText('with no onError');
});
