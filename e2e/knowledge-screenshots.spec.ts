// The Knowledge page at 1440×900 and 390×844, light and dark, at each step a newcomer takes
// (into test-results/knowledge/), to look at. Run on purpose only:
//   SCREENSHOTS=1 npx playwright test e2e/knowledge-screenshots.spec.ts
import { test, expect } from './fixtures';
import { makePdf } from '../tests/ai/retrieval/pdf';
import { CATS, createBase, docRow, search } from './knowledge-helpers';

test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to take the Knowledge page screenshots');

test('Knowledge page screenshots', async ({ page }) => {
	test.setTimeout(240_000);
	const shot = async (name: string) => {
		for (const [w, h] of [[1440, 900], [390, 844]]) {
			for (const scheme of ['light', 'dark'] as const) {
				await page.emulateMedia({ colorScheme: scheme });
				await page.setViewportSize({ width: w, height: h });
				await page.waitForTimeout(150);
				await page.screenshot({ path: `test-results/knowledge/${name}-${w}-${scheme}.png`, fullPage: false });
			}
		}
		await page.setViewportSize({ width: 1440, height: 900 });
	};
	await page.goto('/knowledge');
	await expect(page.getByRole('heading', { name: 'Create your first knowledge base' })).toBeVisible();
	await shot('01-empty');
	await createBase(page, 'Handbook');
	await shot('02-base');
	await page.getByTestId('knowledge-file').setInputFiles([
		{ name: 'cats.md', mimeType: 'text/markdown', buffer: Buffer.from(CATS) },
		{ name: 'dogs.pdf', mimeType: 'application/pdf', buffer: Buffer.from(makePdf([['Dogs', '', 'A puppy learns to walk on a leash.']])) },
		{ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.from('') }
	]);
	await page.waitForTimeout(300);
	await page.screenshot({ path: `test-results/knowledge/03-progress.png` });
	await expect(docRow(page, 'dogs')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
	await shot('04-docs');
	await search(page, 'puppy leash');
	await expect(page.getByTestId('search-result').first()).toBeVisible();
	await shot('05-search');
	await page.getByRole('button', { name: 'Options' }).click();
	await shot('06-options');
	await page.getByRole('tab', { name: 'Settings' }).click();
	await shot('07-settings');
	await page.getByRole('tab', { name: 'Documents' }).click();
	await page.getByRole('button', { name: 'cats', exact: true }).click();
	await shot('08-viewer');
});
