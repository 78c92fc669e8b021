// Takes the phone screenshots (docs/screenshots/*-phone-*.png). Run on purpose only:
//   SCREENSHOTS=1 npx playwright test e2e/phones-screenshots.spec.ts
import { expect, test } from './fixtures';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh docs/screenshots');
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

for (const scheme of ['light', 'dark'] as const) {
	test(`phone screenshots (${scheme})`, async ({ page }) => {
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/');
		await expect(page.getByTestId('new-workflow')).toBeVisible();
		await page.waitForTimeout(400);
		await page.screenshot({ path: `docs/screenshots/home-phone-${scheme}.png` });
		await page.getByRole('button', { name: /^Smart door/ }).tap();
		await page.waitForURL(/\/w\//);
		await expect(page.locator('.svelte-flow__node').first()).toBeVisible();
		await page.waitForTimeout(600);
		await page.screenshot({ path: `docs/screenshots/designer-phone-${scheme}.png` });
		await page.locator('.svelte-flow__node').first().tap();
		await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Properties' }).tap();
		await expect(page.getByRole('complementary', { name: 'Properties' })).toBeVisible();
		await page.waitForTimeout(400);
		await page.screenshot({ path: `docs/screenshots/designer-phone-sheet-${scheme}.png` });
	});
}
