import { expect, test } from './fixtures';

test('home: empty state, create from an example, rename, duplicate, search, delete with undo', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByText('No workflows yet.')).toBeVisible();

	// from an example
	await page.getByRole('button', { name: /^Smart door/ }).click();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
	await page.getByRole('link', { name: 'All workflows' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
	const card = page.getByTestId('workflow-card').first();
	await expect(card).toContainText('Smart door');
	await expect(card).toContainText('3 states');
	await expect(card.locator('svg.thumb rect')).toHaveCount(3);

	// rename
	await card.hover();
	await card.getByRole('button', { name: 'Rename Smart door' }).click();
	await page.getByLabel('New name').fill('Front door');
	await page.getByLabel('New name').press('Enter');
	await expect(card).toContainText('Front door');

	// duplicate
	await card.hover();
	await card.getByRole('button', { name: 'Duplicate Front door' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(2);
	await expect(page.getByRole('link', { name: 'Front door (copy)', exact: true })).toBeVisible();

	// a blank one too, then search
	await page.getByTestId('new-workflow').click();
	await page.waitForURL(/\/w\//);
	await page.goBack();
	await expect(page.getByTestId('workflow-card')).toHaveCount(3);
	await page.getByLabel('Search workflows').fill('copy');
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
	await page.getByLabel('Search workflows').fill('');

	// the rename reached the document itself
	await page.getByRole('link', { name: 'Front door', exact: true }).click();
	await expect(page.getByLabel('Workflow name')).toHaveValue('Front door');
	await page.goBack();

	// delete with undo
	const target = page.getByTestId('workflow-card').filter({ hasText: 'Front door (copy)' });
	await target.hover();
	await target.getByRole('button', { name: 'Delete Front door (copy)' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(2);
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(3);
	await expect(page.getByRole('link', { name: 'Front door (copy)', exact: true })).toBeVisible();

	// delete for good: gone after a reload too
	await target.hover();
	await target.getByRole('button', { name: 'Delete Front door (copy)' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(2);
	await page.locator('.toast', { hasText: 'Deleted' }).getByRole('button', { name: 'Dismiss' }).click();
	await page.reload();
	await expect(page.getByTestId('workflow-card')).toHaveCount(2);
	await expect(page.getByRole('link', { name: 'Front door (copy)', exact: true })).toHaveCount(0);
});
