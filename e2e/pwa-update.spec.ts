/**
 * A new version deployed while the app is open: a quiet "Update available" with Reload, never a
 * reload by itself; Reload keeps the edit being typed. Settings → Storage shows use, quota and
 * whether the data is persistent; persistence is asked for after the first saved workflow.
 */
import { expect, test } from './fixtures';
import { newWorkflow } from './designer-helpers';

test('update available: shown quietly, reload keeps the edit in progress', async ({ page, context }) => {
	await newWorkflow(page);
	const title = page.getByLabel('Workflow name');
	await title.fill('Edited just before the update');
	// a newer build is deployed: its version file says so
	await context.route('**/_app/version.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ version: 'a-newer-build' }) }));
	await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
	const prompt = page.getByTestId('update-prompt');
	await expect(prompt).toBeVisible();
	await expect(prompt).toContainText('Update available');
	// nothing reloads by itself
	const url = page.url();
	await page.waitForTimeout(1000);
	await expect(title).toHaveValue('Edited just before the update');
	expect(page.url()).toBe(url);
	await page.screenshot({ path: 'test-results/pwa-update-prompt.png' });
	await context.unroute('**/_app/version.json');
	await Promise.all([page.waitForEvent('load'), prompt.getByRole('button', { name: 'Reload' }).click()]);
	await expect(page.getByLabel('Workflow name')).toHaveValue('Edited just before the update');
	await expect(page.getByTestId('update-prompt')).toBeHidden();
});

test('Settings → Storage shows use and quota; persistence asked after the first saved workflow', async ({ page }) => {
	await page.goto('/settings/storage');
	await expect(page.getByRole('heading', { name: 'Storage' })).toBeVisible();
	await expect(page.getByTestId('storage-usage')).toContainText(/of .*B this browser allows/);
	await expect(page.getByRole('progressbar', { name: 'Storage used' })).toBeVisible();
	// nothing saved yet: not asked
	expect(await page.evaluate(() => localStorage.getItem('fsm-studio:persist-asked'))).toBeNull();
	await newWorkflow(page);
	await expect.poll(() => page.evaluate(() => localStorage.getItem('fsm-studio:persist-asked')), { timeout: 15_000 }).not.toBeNull();
	await page.goto('/settings/storage');
	// headless Chromium answers for itself; either way the page says where the data stands
	await expect(page.getByTestId('storage-persisted').or(page.getByTestId('storage-not-persisted'))).toBeVisible();
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: 'test-results/pwa-storage-phone.png', fullPage: true });
});
