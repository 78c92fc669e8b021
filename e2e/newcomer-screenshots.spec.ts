// Desktop screenshots of what a newcomer meets (docs/screenshots/*.png, 1440×900, light and
// dark): home with the examples opened once, the designer with a workflow and its Run panel,
// Knowledge and Agents. Run on purpose only:
//   SCREENSHOTS=1 npx playwright test e2e/newcomer-screenshots.spec.ts
import { expect, test } from './fixtures';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots');

for (const scheme of ['light', 'dark'] as const) {
	test(`newcomer screenshots (${scheme})`, async ({ page }) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/');
		for (const name of ['Media player', 'Traffic light', 'Smart door', 'Support ticket triage']) {
			await page.getByRole('button', { name: new RegExp('^' + name) }).click();
			await page.waitForURL(/\/w\//);
			await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
			if (name !== 'Support ticket triage') await page.goto('/');
		}
		// the designer with the Run panel: a simulated instance started, waiting for its first ticket
		await page.getByRole('tab', { name: 'Run', exact: true }).click();
		await page.getByTestId('sim-start').click();
		await expect(page.getByTestId('sim-value')).toContainText('waiting');
		await page.mouse.move(700, 820);
		await page.waitForTimeout(500);
		await page.screenshot({ path: `docs/screenshots/designer-run-${scheme}.png` });

		await page.goto('/');
		await expect(page.getByTestId('workflow-card')).toHaveCount(4);
		await page.mouse.move(10, 890);
		await page.waitForTimeout(300);
		await page.screenshot({ path: `docs/screenshots/home-${scheme}.png` });

		await page.goto('/knowledge');
		await expect(page.getByRole('heading', { name: 'Create your first knowledge base' })).toBeVisible({ timeout: 20_000 });
		await page.waitForTimeout(300);
		await page.screenshot({ path: `docs/screenshots/knowledge-${scheme}.png` });

		await page.goto('/agents');
		await expect(page.getByRole('heading', { name: 'Agents', exact: true })).toBeVisible();
		await page.waitForTimeout(300);
		await page.screenshot({ path: `docs/screenshots/agents-${scheme}.png` });
	});
}
