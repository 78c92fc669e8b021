import { expect, test } from './fixtures';
import { dragFromLibrary, mod, newWorkflow, stateNode } from './designer-helpers';

test('version history: checkpoint, diff on the canvas and as text, restore, undo of the restore, after a reload', async ({ page }) => {
	test.setTimeout(90_000);
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	page.on('pageerror', (e) => errors.push(e.message));
	await newWorkflow(page);
	await dragFromLibrary(page, 'lib-atomic', 300, 200);
	await page.getByLabel('Name', { exact: true }).fill('first');
	await page.getByLabel('Name', { exact: true }).press('Enter');

	await page.getByRole('tab', { name: 'History' }).click();
	const panel = page.getByTestId('history-panel');
	await panel.getByPlaceholder('Name this version…').fill('Only first');
	await panel.getByRole('button', { name: 'Save version' }).click();
	await expect(panel.getByTestId('version').first()).toContainText('Only first');

	await page.getByRole('tab', { name: 'Properties' }).click();
	await dragFromLibrary(page, 'lib-atomic', 600, 300);
	await page.getByLabel('Name', { exact: true }).fill('second');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await expect(stateNode(page, 'second')).toBeVisible();

	// compare the named version with now
	await page.getByRole('tab', { name: 'History' }).click();
	const named = panel.getByTestId('version').filter({ has: page.locator('.title', { hasText: /^Only first$/ }) });
	await named.getByTestId('compare-current').click();
	const dialog = page.getByTestId('diff-dialog');
	await expect(dialog.locator('g[data-status="added"][data-path="second"]')).toBeVisible();
	await expect(dialog).toContainText('added state second');
	await dialog.getByRole('tab', { name: 'As text' }).click();
	await expect(dialog.getByTestId('diff-text')).toContainText('+ ');
	await expect(dialog.getByTestId('diff-text')).toContainText('"second"');
	await dialog.getByRole('button', { name: 'Close' }).click();

	// restore it: "second" goes, as a new version; undo brings it back
	await named.getByTestId('restore').click();
	await expect(stateNode(page, 'second')).toHaveCount(0);
	await expect(panel.getByTestId('version').first()).toContainText('Restored "Only first"');
	await page.locator('.svelte-flow__pane').click({ position: { x: 50, y: 50 } });
	await page.keyboard.press(`${mod}+z`);
	await expect(stateNode(page, 'second')).toBeVisible();

	// the history is still there after a reload
	await page.reload();
	await expect(stateNode(page, 'second')).toBeVisible();
	await page.getByRole('tab', { name: 'History' }).click();
	await expect(panel.getByTestId('version').filter({ has: page.locator('.title', { hasText: /^Only first$/ }) })).toHaveCount(1);
	await expect(panel.getByTestId('version').filter({ hasText: 'Restored' })).toHaveCount(1);
	expect(errors).toEqual([]);
});

test('a file downloaded with history, imported on the home page, keeps its versions, and one restores', async ({ page }) => {
	test.setTimeout(90_000);
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	page.on('pageerror', (e) => errors.push(e.message));
	await newWorkflow(page);
	await dragFromLibrary(page, 'lib-atomic', 300, 200);
	await page.getByLabel('Name', { exact: true }).fill('draft');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await page.getByRole('tab', { name: 'History' }).click();
	const panel = page.getByTestId('history-panel');
	await panel.getByPlaceholder('Name this version…').fill('Just the draft');
	await panel.getByRole('button', { name: 'Save version' }).click();
	await expect(panel.getByTestId('version').first()).toContainText('Just the draft');
	await page.getByRole('tab', { name: 'Properties' }).click();
	await dragFromLibrary(page, 'lib-atomic', 600, 300);
	await page.getByLabel('Name', { exact: true }).fill('review');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await expect(stateNode(page, 'review')).toBeVisible();
	await page.getByRole('tab', { name: 'History' }).click();
	await panel.getByPlaceholder('Name this version…').fill('Draft and review');
	await panel.getByRole('button', { name: 'Save version' }).click();
	await expect(panel.getByTestId('version').first()).toContainText('Draft and review');

	const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download with history' }).click()]);
	const file = await download.path();
	expect(download.suggestedFilename()).toMatch(/\.with-history\.json$/);

	// import it on the home page: a new workflow, with both named versions
	await page.goto('/');
	await page.getByTestId('import-file').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: await (await import('node:fs/promises')).readFile(file) });
	await expect(page).toHaveURL(/\/w\/[0-9a-f]+$/);
	await expect(page.getByText(/with \d+ versions? of history/)).toBeVisible();
	await expect(stateNode(page, 'review')).toBeVisible();
	await page.getByRole('tab', { name: 'History' }).click();
	const titled = (t: string) => panel.getByTestId('version').filter({ has: page.locator('.title', { hasText: new RegExp(`^${t}$`) }) });
	await expect(titled('Just the draft')).toHaveCount(1);
	await expect(titled('Draft and review')).toHaveCount(1);

	// restore the first named version in the imported copy
	await titled('Just the draft').getByTestId('restore').click();
	await expect(stateNode(page, 'review')).toHaveCount(0);
	await expect(stateNode(page, 'draft')).toBeVisible();
	await expect(panel.getByTestId('version').first()).toContainText('Restored "Just the draft"');
	expect(errors).toEqual([]);
});

test('a version compared with now on the live canvas: added, changed and removed marked, a legend, Esc leaves', async ({ page }) => {
	test.setTimeout(90_000);
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	page.on('pageerror', (e) => errors.push(e.message));
	await newWorkflow(page);
	const name = page.getByLabel('Name', { exact: true });
	for (const [key, x, y] of [['keep', 250, 180], ['old', 550, 180]] as const) {
		await dragFromLibrary(page, 'lib-atomic', x, y);
		await name.fill(key);
		await name.press('Enter');
		await expect(stateNode(page, key)).toBeVisible();
	}
	await page.getByRole('tab', { name: 'History' }).click();
	const panel = page.getByTestId('history-panel');
	await panel.getByPlaceholder('Name this version…').fill('Before');
	await panel.getByRole('button', { name: 'Save version' }).click();
	await expect(panel.getByTestId('version').first()).toContainText('Before');

	// now: "old" deleted, "new" added, "keep" described
	await page.getByRole('tab', { name: 'Properties' }).click();
	await stateNode(page, 'old').click();
	await page.keyboard.press('Delete');
	await expect(stateNode(page, 'old')).toHaveCount(0);
	await dragFromLibrary(page, 'lib-atomic', 550, 380);
	await name.fill('new');
	await name.press('Enter');
	await stateNode(page, 'keep').click();
	await page.getByLabel('Description').fill('changed since');
	await page.getByLabel('Description').press('Tab');

	await page.getByRole('tab', { name: 'History' }).click();
	const before = panel.getByTestId('version').filter({ has: page.locator('.title', { hasText: /^Before$/ }) });
	await before.getByTestId('show-on-canvas').click();
	const overlay = page.getByTestId('diff-overlay');
	await expect(overlay.locator('[data-status="added"][data-path="new"]')).toBeVisible();
	await expect(overlay.locator('[data-status="removed"][data-path="old"]')).toBeVisible();
	await expect(overlay.locator('[data-status="changed"][data-path="keep"]')).toContainText('description');
	const legend = page.getByTestId('diff-legend');
	await expect(legend).toContainText('Changes since Before');
	await expect(legend).toContainText('added');
	await expect(legend).toContainText('removed');
	// the highlight sits on the live node
	const nodeBox = (await stateNode(page, 'new').boundingBox())!;
	const markBox = (await overlay.locator('[data-status="added"][data-path="new"]').boundingBox())!;
	expect(Math.abs(markBox.x + markBox.width / 2 - (nodeBox.x + nodeBox.width / 2))).toBeLessThan(8);
	await page.screenshot({ path: test.info().outputPath('diff-overlay.png') });

	await page.keyboard.press('Escape');
	await expect(overlay).toHaveCount(0);
	await expect(legend).toHaveCount(0);
	expect(errors).toEqual([]);
});
