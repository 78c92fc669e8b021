import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { newWorkflow, stateNode, workflowJson } from './designer-helpers';

// Components and plugins as a user meets them: the Logger and Audit turned on in Settings →
// Plugins, a Timer component inserted from the designer's Components tab with a parameter
// changed, its parameters changed again (one undo step), run in the Run panel — and the
// Logger's lines and the Audit's verified trail for that run in Settings → Plugins. A declared
// effect kind is saved (a broken one is refused with the reasons) and shows in the node library.

const undo = (page: Page) => page.getByRole('button', { name: 'Undo (Ctrl+Z)' });

async function turnOnPlugins(page: Page) {
	await page.goto('/settings/plugins');
	const settings = page.getByTestId('plugins-settings');
	await expect(settings.getByRole('heading', { name: 'Plugins', level: 1 })).toBeVisible();
	await settings.getByTestId('logger-enabled').check();
	await settings.getByLabel('Detail').selectOption('effects');
	await settings.getByTestId('audit-enabled').check();
	await expect(settings.getByTestId('plugin-logger')).toContainText('run a workflow');
}

test('a Timer component: inserted with a parameter, changed again as one undo step, run with the Logger and Audit on', async ({ page }) => {
	await turnOnPlugins(page);
	await newWorkflow(page);
	await page.getByRole('tab', { name: 'Components', exact: true }).click();
	const panel = page.getByTestId('components-panel');
	await panel.getByTestId('component-timer').click();
	const form = panel.getByTestId('component-form');
	await form.getByLabel('Reminder after (ms)').fill('0');
	await expect(form.getByText('Reminder after (ms) must be at least 1.')).toBeVisible();
	await expect(form.getByTestId('component-submit')).toBeDisabled();
	await form.getByLabel('Reminder after (ms)').fill('5000');
	await form.getByLabel('Escalate to').fill('team-lead');
	await form.getByTestId('component-submit').click();
	await expect(panel.getByTestId('components-notice')).toContainText('Inserted Timer as “timer”');
	await expect(stateNode(page, 'timer')).toBeVisible();
	await expect(stateNode(page, 'timer.waiting')).toBeVisible();

	let wf = await workflowJson(page);
	expect(wf.initial).toBe('timer');
	expect(wf.states.timer.meta.component).toEqual({ id: 'timer', version: '1.0.0', values: { reminderMs: 5000, escalateMs: 240000, escalateTo: 'team-lead' } });
	expect(Object.keys(wf.states.timer.states.waiting.after)).toEqual(['5000']);

	// the inserted state selected: its parameters, changed again
	await page.getByRole('tab', { name: 'Components', exact: true }).click();
	const inst = panel.getByTestId('component-instance');
	await expect(inst).toContainText('Timer component');
	await expect(inst.getByLabel('Escalate to')).toHaveValue('team-lead');
	await inst.getByLabel('Escalate after the reminder (ms)').fill('10000');
	await inst.getByTestId('component-submit').click();
	await expect(panel.getByTestId('components-notice')).toContainText('Applied to timer');
	wf = await workflowJson(page);
	expect(Object.keys(wf.states.timer.states.reminded.after)).toEqual(['10000']);
	expect(wf.states.timer.meta.component.values.escalateMs).toBe(10000);
	// one undo step takes the change back, the next one the insertion
	await undo(page).click();
	wf = await workflowJson(page);
	expect(Object.keys(wf.states.timer.states.reminded.after)).toEqual(['240000']);
	await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z)' }).click();
	wf = await workflowJson(page);
	expect(Object.keys(wf.states.timer.states.reminded.after)).toEqual(['10000']);

	// run it: DONE finishes the timer before the reminder
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
	await page.getByTestId('sim-start').click();
	await expect(page.getByTestId('sim-value')).toContainText('waiting');
	await page.getByTestId('sim-send-DONE').click();
	await expect(page.getByTestId('sim-value')).toContainText('completed');

	// what the plugins saw, in another tab (this one keeps the simulator running)
	const other = await page.context().newPage();
	await other.goto('/settings/plugins');
	const logger = other.getByTestId('logger-output');
	await expect(logger).toContainText('timer.completed', { timeout: 10_000 });
	await expect(logger).toContainText('Untitled workflow');
	const audit = other.getByTestId('audit-output');
	await expect(audit).toContainText('DONE');
	await other.getByTestId('audit-verify').click();
	await expect(other.getByTestId('audit-verdict')).toContainText(/Intact: all \d+ entries are chained/);
});

test('a compound state saved as a component of one’s own, with a parameter, inserted again', async ({ page }) => {
	await newWorkflow(page);
	await page.getByRole('tab', { name: 'Components', exact: true }).click();
	const panel = page.getByTestId('components-panel');
	await panel.getByTestId('component-timer').click();
	await panel.getByTestId('component-submit').click();
	await expect(stateNode(page, 'timer')).toBeVisible();
	await page.getByRole('tab', { name: 'Components', exact: true }).click();

	await panel.getByTestId('component-save-start').click();
	await panel.getByTestId('component-save-name').fill('Quick reminder');
	// the reminder's delay becomes a parameter named "wait"
	await panel.getByRole('checkbox', { name: /60000 .*waiting › after/ }).check();
	await panel.getByRole('textbox', { name: /Parameter name for .*waiting › after/ }).fill('wait');
	await panel.getByTestId('component-save').click();
	await expect(panel.getByTestId('components-notice')).toContainText('Saved “Quick reminder” in your components');

	// inserted from the list, with its parameter set
	await panel.getByTestId('component-quick-reminder').click();
	const form = panel.getByTestId('component-form').last();
	await expect(form.getByLabel('wait')).toHaveValue('60000');
	await form.getByLabel('wait').fill('1500');
	await form.getByTestId('component-submit').click();
	await expect(panel.getByTestId('components-notice')).toContainText('Inserted Quick reminder');
	const wf = await workflowJson(page);
	const keys = Object.keys(wf.states);
	expect(keys).toHaveLength(2);
	const mine = wf.states[keys[1]];
	expect(mine.meta.component).toMatchObject({ id: 'quick-reminder', values: { wait: 1500 } });
	expect(Object.keys(mine.states.waiting.after)).toEqual(['1500']);
	expect(Object.keys(mine.states.reminded.after)).toEqual(['240000']);
	// still there after a reload (kept in this browser)
	await page.reload();
	await page.getByRole('tab', { name: 'Components', exact: true }).click();
	await expect(page.getByTestId('component-quick-reminder')).toBeVisible();
});

test('a declared effect kind: a broken one is refused with reasons, a good one saved and offered in the node library', async ({ page }) => {
	await page.goto('/settings/plugins');
	const kinds = page.getByTestId('plugin-kinds');
	await expect(kinds).toContainText('No effect kinds of your own yet');
	await kinds.getByTestId('kind-new').click();
	const json = kinds.getByTestId('kind-json');
	const example = JSON.parse(await json.inputValue());
	await json.fill(JSON.stringify({ ...example, type: 'http' }, null, 2));
	await kinds.getByTestId('kind-save').click();
	await expect(kinds.getByTestId('kind-errors')).toContainText('That name is a built-in effect kind');
	await json.fill(JSON.stringify({ ...example, type: 'stock_price', label: 'Stock price', result: 'body.(' }, null, 2));
	await kinds.getByTestId('kind-save').click();
	await expect(kinds.getByTestId('kind-errors')).toContainText('result');
	await json.fill('{ "format": ');
	await kinds.getByTestId('kind-save').click();
	await expect(kinds.getByTestId('kind-errors')).toContainText('This is not JSON');
	await json.fill(JSON.stringify({ ...example, type: 'stock_price', label: 'Stock price' }, null, 2));
	await kinds.getByTestId('kind-save').click();
	await expect(kinds.getByTestId('kind-row')).toHaveCount(1);
	await expect(kinds.getByTestId('kind-row')).toContainText('Stock price');

	await newWorkflow(page);
	const library = page.getByRole('complementary').filter({ hasText: 'Your effect kinds' }).first();
	await expect(page.getByText('Your effect kinds')).toBeVisible();
	await expect(library.getByText('Stock price')).toBeVisible();
});
