import { expect, type Page } from '@playwright/test';
import { mockUrl } from './llm-helpers';
import { workflowJson } from './designer-helpers';

/** The generated test embedding model, served by the mock LLM server (tests/mocks/README.md). */
export const testModelUrl = () => `${mockUrl()}/files/models/fsm-studio/test-embedder`;

export const CATS = `# Cats

## Sleep
Cats sleep for most of the day. A kitten naps even longer than an adult cat.

## Food
A cat eats meat twice a day. Fresh water should always be near the food bowl.
`;

export const TRAINS = `Railways

A locomotive pulls passenger trains between cities. The railway from Paris to Berlin is fast.

Tickets: a ticket costs less when you book early. Passengers with a pass pay no fee.
`;

/** Creates a knowledge base from the Knowledge page whose model is loaded from a web address (the test model). */
export async function createBase(page: Page, name: string, first = true) {
	if (!first) await page.getByRole('button', { name: 'New', exact: true }).click();
	await expect(page.getByRole('heading', { name: first ? 'Create your first knowledge base' : 'New knowledge base' })).toBeVisible();
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByLabel('Model files from').selectOption('url');
	await page.getByLabel('Folder address').fill(testModelUrl());
	// the test model is small: WebAssembly is what CI has anyway
	await page.getByLabel('Runs on').selectOption('wasm');
	await page.getByRole('button', { name: 'Create knowledge base' }).click();
	await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

export function docRow(page: Page, title: string) {
	return page.getByTestId('knowledge-doc').filter({ has: page.getByText(title, { exact: true }) });
}

export async function search(page: Page, query: string) {
	await page.getByRole('tab', { name: 'Search' }).click();
	await page.getByLabel('Search this knowledge base').fill(query);
	await page.getByRole('button', { name: 'Search', exact: true }).click();
}

/** Opens a workflow in the designer from its JSON, in live mode, with the Run panel's Effects tab showing. */
export async function openLive(page: Page, workflow: Record<string, unknown>) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow, null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
	await page.getByRole('tab', { name: 'Effects', exact: true }).click();
}
