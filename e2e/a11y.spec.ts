import { expect, test } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

async function seriousViolations(page: import('@playwright/test').Page) {
	const result = await new AxeBuilder({ page }).analyze();
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

for (const scheme of ['light', 'dark'] as const) {
	test(`home and designer have no serious or critical axe violations (${scheme})`, async ({ page }) => {
		// axe-core analyses the page several times; on a busy 2-core machine each pass takes seconds.
		test.setTimeout(180_000);
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
		expect(await seriousViolations(page)).toEqual([]);

		await page.getByRole('button', { name: /^Smart door/ }).click();
		await page.waitForURL(/\/w\//);
		await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
		expect(await seriousViolations(page)).toEqual([]);

		// with a state selected (property panel with forms) and the code view open
		await page.locator('.svelte-flow__node[data-id="open"]').click();
		await expect(page.getByLabel('Name', { exact: true })).toHaveValue('open');
		await page.getByRole('tab', { name: 'Code' }).click();
		expect(await seriousViolations(page)).toEqual([]);

		// home with a workflow card
		await page.goto('/');
		await expect(page.getByTestId('workflow-card')).toHaveCount(1);
		expect(await seriousViolations(page)).toEqual([]);
	});
}
