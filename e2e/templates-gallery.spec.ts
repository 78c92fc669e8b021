import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TemplateFile {
	id: string;
	name: string;
	description: string;
	run: { type: string; [k: string]: unknown }[];
	runEnds: string;
	workflow: { initial: string };
}
const dir = join(import.meta.dirname, '../src/lib/templates');
const templates: TemplateFile[] = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TemplateFile);

// Every template of the gallery: created from the home page with one parameter changed, then
// run in the designer's Run panel (simulated: the template's scripted stubs answer every model
// and HTTP call) until it reaches its final state.

/** The parameter each journey changes, the value typed, and what the context must then show. */
const CHANGES: Record<string, { label: string; value: string; context?: string; events?: { type: string; [k: string]: unknown }[]; ends?: string }> = {
	'customer-service': { label: 'Minimum sentiment', value: '-0.5', context: '"minSentiment": -0.5' },
	'research-pipeline': { label: 'Sources to read', value: '3', context: '"maxSources": 3' },
	// a bar no draft reaches and one round: the loop stops, a person approves, it is published
	'content-generation': { label: 'Quality bar', value: '10', context: '"minScore": 10', events: [{ type: 'START', topic: 'Five habits of calm teams', audience: 'engineering managers' }, { type: 'APPROVE' }] },
	'data-analysis': { label: 'Rows shown to the model', value: '10', context: '"sampleRows": 10' },
	'multi-agent-debate': { label: 'Debate rounds', value: '3' },
	'document-qa': { label: 'Sources needed', value: '2', context: '"minSources": 2' }
};

function watchErrors(page: Page) {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(e.message));
	return errors;
}

async function send(page: Page, event: { type: string; [k: string]: unknown }) {
	const { type, ...payload } = event;
	const button = page.getByTestId(`sim-send-${type}`);
	await expect(button).toBeVisible();
	if (Object.keys(payload).length) {
		await page.getByTestId(`sim-payload-toggle-${type}`).click();
		await page.getByTestId(`sim-payload-${type}`).fill(JSON.stringify(payload));
	}
	await button.click();
}

test('the gallery shows every template with a preview; Escape closes the dialog', async ({ page }) => {
	const errors = watchErrors(page);
	await page.goto('/');
	const cards = page.getByTestId('template-card');
	await expect(cards).toHaveCount(templates.length);
	for (const t of templates) await expect(page.locator(`[data-template="${t.id}"]`)).toContainText(t.name);
	await expect(cards.first().locator('svg rect').first()).toBeVisible();
	await page.getByTestId('new-from-template').click();
	const dialog = page.getByTestId('template-dialog');
	await expect(dialog).toBeVisible();
	await expect(dialog.getByRole('listbox', { name: 'Templates' }).getByRole('option', { selected: true })).toContainText('Customer service');
	for (const scheme of ['light', 'dark'] as const) {
		await page.emulateMedia({ colorScheme: scheme });
		const axe = await new AxeBuilder({ page }).include('[data-testid="template-gallery"]').analyze();
		expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${scheme}: ${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
	}
	// arrow keys move through the list
	const list = dialog.getByRole('listbox', { name: 'Templates' });
	await list.getByRole('option', { selected: true }).focus();
	await page.keyboard.press('ArrowDown');
	await expect(list.getByRole('option', { selected: true })).toContainText('Research pipeline');
	await expect(dialog.getByLabel('Search API', { exact: true })).toHaveValue('https://search.example.com/api/search');
	// a bad value is explained and nothing is created
	await dialog.getByLabel('Search API', { exact: true }).fill('search.example.com');
	await dialog.getByTestId('template-create').click();
	await expect(dialog.getByRole('alert')).toHaveText('Search API is not a valid address (e.g. https://example.com/api).');
	await expect(page).toHaveURL(/\/$/);
	await page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	expect(errors).toEqual([]);
});

for (const t of templates) {
	test(`${t.name}: created from the gallery with a parameter changed, runs to "${CHANGES[t.id].ends ?? t.runEnds}" with its stubs`, async ({ page }) => {
		const change = CHANGES[t.id];
		const errors = watchErrors(page);
		await page.goto('/');
		await page.locator(`[data-template="${t.id}"] button`).click();
		const dialog = page.getByTestId('template-dialog');
		await expect(dialog.getByRole('heading', { name: 'New from template' })).toBeVisible();
		await expect(dialog.getByRole('listbox', { name: 'Templates' }).getByRole('option', { selected: true })).toContainText(t.name);
		await expect(dialog).toContainText(t.description);
		await dialog.getByLabel(change.label, { exact: true }).fill(change.value);
		await dialog.getByTestId('template-name').fill(`My ${t.name}`);
		await dialog.getByTestId('template-create').click();
		await page.waitForURL(/\/w\/[^/]+$/);
		await page.getByRole('tab', { name: 'Run', exact: true }).click();
		await expect(page.getByTestId('sim-run-panel')).toBeVisible();
		await page.getByTestId('sim-start').click();
		await expect(page.getByTestId('sim-value')).toHaveText(t.workflow.initial);
		if (change.context) {
			const [key, value] = change.context.split(': ');
			await expect(page.getByTestId('sim-context')).toContainText(`${key.replace(/"/g, '')}:${value}`);
		}
		for (const e of change.events ?? t.run) await send(page, e);
		await expect(page.getByTestId('sim-value')).toHaveText(change.ends ?? t.runEnds);
		expect(errors).toEqual([]);
	});
}
