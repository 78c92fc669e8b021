import { test, expect } from './fixtures';
import { addProvider, session, watchConsole } from './llm-helpers';

test.describe('Settings → Providers', () => {
	test('a newcomer adds a provider from the navigation, tests it, and it survives a reload', async ({ page }) => {
		const c = watchConsole(page);
		const s = session();
		await page.goto('/');
		await page.getByRole('link', { name: 'Settings' }).click();
		await expect(page).toHaveURL(/\/settings\/providers$/);
		await expect(page.getByRole('heading', { name: 'No provider yet' })).toBeVisible();
		await page.getByRole('button', { name: 'Add provider' }).click();
		const form = page.getByRole('form');
		await form.getByRole('radio', { name: 'OpenAI', exact: true }).check();
		await form.getByLabel(/Base URL/).fill(s.openai);
		await form.getByLabel(/API key/).fill('sk-test-e2e-0042');
		await form.getByRole('button', { name: 'Test connection' }).click();
		await expect(form.getByRole('status')).toContainText('Connected: gpt-4o-mini answered');
		await form.getByRole('button', { name: 'Save' }).click();
		const item = page.getByRole('listitem').filter({ hasText: 'OpenAI' });
		await expect(item).toContainText('key ••••0042');
		await expect(item).toContainText('Default');
		await page.reload();
		await expect(page.getByRole('listitem').filter({ hasText: 'OpenAI' })).toContainText('gpt-4o-mini');
		c.check();
	});

	test('a bad key gets the diagnosis, without the key', async ({ page }) => {
		const c = watchConsole(page);
		const s = session();
		await addProvider(page, { preset: 'Anthropic', baseUrl: s.anthropic, apiKey: 'sk-ant-bad-PLANTED-77' });
		await page.getByRole('button', { name: 'Test connection to Anthropic' }).click();
		const status = page.getByRole('listitem').filter({ hasText: 'Anthropic' }).getByRole('status');
		await expect(status).toContainText('The key was refused');
		await expect(status).toContainText('Anthropic Console');
		await expect(page.locator('body')).not.toContainText('PLANTED');
		c.check();
	});

	test('a local server that blocks this page is diagnosed as CORS, with what to change', async ({ page }) => {
		const c = watchConsole(page);
		const s = session();
		await addProvider(page, { preset: 'Other OpenAI-compatible', name: 'My server', baseUrl: s.noCors.openai, model: 'llama3.2' });
		await page.getByRole('button', { name: 'Test connection to My server' }).click();
		const status = page.getByRole('listitem').filter({ hasText: 'My server' }).getByRole('status');
		await expect(status).toContainText('is running but refuses requests from this page (CORS)');
		await expect(status).toContainText('Access-Control-Allow-Origin: http://localhost');
		c.check();
	});

	test('in-browser models: without WebGPU, a plain message says what to do', async ({ page }) => {
		const c = watchConsole(page);
		await addProvider(page, { preset: 'In this browser (WebGPU)', name: 'On my GPU' });
		await expect(page.getByRole('heading', { name: 'In-browser models' })).toBeVisible();
		await expect(page.getByText('In-browser models cannot run here.')).toBeVisible();
		await expect(page.getByText(/connect OpenAI, Anthropic, Google/)).toBeVisible();
		c.check();
	});

	test('screenshots: providers page at 1440×900 and 390×844', async ({ page }) => {
		const s = session();
		await addProvider(page, { preset: 'OpenAI', baseUrl: s.openai, apiKey: 'sk-shot-1234' });
		await addProvider(page, { preset: 'Ollama (local)', name: 'Ollama', baseUrl: 'http://localhost:11434/v1' });
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.screenshot({ path: 'test-results/llm-providers-1440.png', fullPage: true });
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: 'test-results/llm-providers-390.png', fullPage: true });
	});
});
