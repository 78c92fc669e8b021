import { expect, type Page } from '@playwright/test';

/** Adds an MCP server through Settings → MCP servers (the form only; the caller checks the outcome). */
export async function addMcpServer(page: Page, s: { name: string; url: string; auth?: 'None' | 'Bearer token' | 'Headers' | 'OAuth sign-in'; token?: string }) {
	await page.goto('/settings/mcp');
	await page.getByRole('button', { name: 'Add server' }).first().click();
	const form = page.getByRole('form', { name: 'Add an MCP server' });
	await form.getByLabel('Name').fill(s.name);
	await form.getByLabel(/Address/).fill(s.url);
	if (s.auth) await form.getByRole('radio', { name: s.auth }).check();
	if (s.token) await form.getByRole('textbox', { name: 'Token' }).fill(s.token);
	return form;
}

/** The card of a server in the list. */
export function serverCard(page: Page, name: string) {
	return page.getByRole('list', { name: 'MCP servers' }).locator(`li[data-server="${name}"]`);
}

export async function expectConnected(page: Page, name: string, tools: number) {
	const card = serverCard(page, name);
	await expect(card.getByText('Connected', { exact: true })).toBeVisible({ timeout: 20_000 });
	await expect(card.getByText(`${tools} tools`)).toBeVisible();
}
