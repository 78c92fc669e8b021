import { expect, type Page } from '@playwright/test';
import { mockSession } from '../tests/mocks/client';

/** The mock LLM server started by playwright.config.ts. */
export const mockUrl = () => process.env.MOCK_LLM_URL ?? 'http://127.0.0.1:5299';
export const session = (name?: string) => mockSession(mockUrl(), name);

/** Fails the test on console errors from our code (a blocked request's own network line is the browser's, not ours). */
export function watchConsole(page: Page, allow: RegExp[] = []) {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() !== 'error') return;
		const t = m.text();
		if (/Failed to load resource|net::ERR_FAILED|has been blocked by CORS policy|Access-Control-Allow-Origin/.test(t)) return;
		if (allow.some((r) => r.test(t))) return;
		errors.push(t);
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	return { check: () => expect(errors, errors.join('\n')).toEqual([]) };
}

/** Adds a provider through Settings → Providers. */
export async function addProvider(page: Page, p: { preset: string; name?: string; baseUrl?: string; apiKey?: string; model?: string }) {
	await page.goto('/settings/providers');
	await page.getByRole('button', { name: 'Add provider' }).click();
	const form = page.getByRole('form');
	await form.getByRole('radio', { name: p.preset, exact: true }).check();
	if (p.name) await form.getByLabel('Name').fill(p.name);
	if (p.baseUrl !== undefined) await form.getByLabel(/Base URL/).fill(p.baseUrl);
	if (p.apiKey !== undefined) await form.getByLabel(/API key/).fill(p.apiKey);
	if (p.model !== undefined) await form.getByLabel('Default model').fill(p.model);
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('list', { name: 'Configured providers' }).getByText(p.name ?? p.preset, { exact: true })).toBeVisible();
}
