import { expect, test } from './fixtures';

// Every page can be reached from the UI, starting at home, without typing a URL.
test('home → run examples → a copy in the designer → share/export → back; home → open', async ({ page }) => {
	await page.goto('/');
	await page.getByRole('link', { name: /Run examples/ }).click();
	await expect(page).toHaveURL(/\/run$/);
	await page.getByRole('link', { name: 'Smart door' }).click();
	await expect(page.getByTestId('current-state')).toHaveText('closed');

	await page.getByRole('button', { name: 'Open a copy in the designer' }).click();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	const designer = page.url();
	await expect(page.getByLabel('Workflow name')).toHaveValue('Smart door');

	await page.getByRole('link', { name: 'Share / export' }).click();
	await expect(page.getByRole('heading', { name: /Share and export “Smart door”/ })).toBeVisible();
	await page.getByRole('link', { name: /Back to the designer/ }).click();
	await expect(page).toHaveURL(designer);

	await page.getByRole('link', { name: 'All workflows' }).click();
	await page.getByRole('link', { name: /Open a link or paste/ }).click();
	await expect(page.getByTestId('paste-box')).toBeVisible();
	// the app's navigation bar is on every page
	await page.getByRole('navigation', { name: 'FSM Studio' }).getByRole('link', { name: /FSM Studio/ }).click();
	await expect(page.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'FSM Studio' }).getByRole('link', { name: 'Workflows', exact: true })).toHaveAttribute('aria-current', 'page');

	// the run pages lead back home
	await page.goto('/run/smart-door');
	await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'FSM Studio' }).click();
	await expect(page.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
});

test('an unknown address says so and leads back to the workflows', async ({ page }) => {
	await page.goto('/no/such/page');
	await expect(page.getByRole('heading', { name: 'There is no page here' })).toBeVisible();
	await page.getByRole('link', { name: 'Back to all workflows' }).click();
	await expect(page.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
});
