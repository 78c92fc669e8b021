import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import AxeBuilder from '@axe-core/playwright';

async function seriousViolations(page: Page) {
	const result = await new AxeBuilder({ page }).analyze();
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

for (const scheme of ['light', 'dark'] as const) {
	test(`the simulator panels have no serious or critical axe violations (${scheme})`, async ({ page }) => {
		// axe takes seconds per run on a busy machine; five runs here
		test.setTimeout(240_000);
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/');
		await page.getByRole('button', { name: /^Support ticket triage/ }).click();
		await page.waitForURL(/\/w\//);
		await page.getByRole('tab', { name: 'Run', exact: true }).click();
		await page.getByRole('button', { name: /^Simulated effect results/ }).click();
		await page.getByTestId('sim-start').click();
		await expect(page.getByTestId('sim-value')).toHaveText('waiting');
		await page.getByTestId('sim-payload-toggle-TICKET').click();
		await page.getByRole('button', { name: /^Breakpoints/ }).click();
		await page.getByRole('button', { name: 'Load test' }).click();
		expect(await seriousViolations(page)).toEqual([]);

		for (const tab of ['Event log', 'Effects', 'Coverage', 'Tests']) {
			await page.getByRole('tab', { name: tab }).click();
			if (tab === 'Event log') await page.getByTestId('sim-log-row').first().click();
			if (tab === 'Tests') await page.getByTestId('sim-generate').click();
			if (tab === 'Tests') await expect(page.getByTestId('sim-path').first()).toBeVisible();
			expect(await seriousViolations(page), tab).toEqual([]);
		}
	});
}
