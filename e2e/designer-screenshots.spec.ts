// Takes the README screenshots (docs/screenshots/*.png). Run on purpose only:
//   SCREENSHOTS=1 npx playwright test e2e/designer-screenshots.spec.ts
import { expect, test } from './fixtures';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots');

for (const scheme of ['light', 'dark'] as const) {
	test(`screenshots (${scheme})`, async ({ page }) => {
		await page.setViewportSize({ width: 1440, height: 900 });
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/');
		for (const name of ['Media player', 'Traffic light', 'Smart door', 'Support ticket triage']) {
			await page.getByRole('button', { name: new RegExp('^' + name) }).click();
			await page.waitForURL(/\/w\//);
			await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
			if (name !== 'Support ticket triage') await page.goto('/');
		}
		// the designer: a state with an AI effect selected, its form open
		await page.locator('.svelte-flow__node[data-id="billing"]').click();
		await page.locator('.props').getByRole('button', { name: /^Call LLM/ }).first().click();
		await page.mouse.move(700, 820);
		await page.waitForTimeout(400);
		await page.screenshot({ path: `docs/screenshots/designer-${scheme}.png` });
		await page.goto('/');
		await expect(page.getByTestId('workflow-card')).toHaveCount(4);
		await page.mouse.move(10, 890);
		await page.waitForTimeout(300);
		await page.screenshot({ path: `docs/screenshots/home-${scheme}.png` });
	});
}
