import { expect, test } from './fixtures';

// A newcomer pastes (or drops, or picks) a workflow over the 5 MB import limit: they are told at
// once, in plain words, how big it is, what the limit is and what to do — once, with no doubled
// "The file: The file" — and nothing they had typed is lost. (How fast: npm run bench:browser
// open-paste reports open.paste_5mb_refusal_ms.)

const SIZE = 5_200_000;
const MESSAGE = /^This text is 5\.2 MB; FSM Studio opens workflows up to 5 MB\. Remove what the workflow does not need/;

test('pasting 5.2 MB into /open says so at once and keeps the text box as it was', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.goto('/open');
	const box = page.getByTestId('paste-box');
	await box.fill('stateDiagram-v2\n  [*] --> Draft');
	await page.evaluate(async (n) => navigator.clipboard.writeText(`{"name":"${'x'.repeat(n - 11)}"}`), SIZE);
	await box.press('End');
	await box.press('ControlOrMeta+v');
	const error = page.getByTestId('open-error');
	await expect(error).toHaveCount(1);
	await expect(error.locator('li')).toHaveCount(1);
	await expect(error.locator('li')).toHaveText(MESSAGE);
	await expect(page.getByRole('heading', { name: 'This could not be imported' })).toBeVisible();
	// what the user had typed is still there, and the 5 MB did not land in the box
	await expect(box).toHaveValue('stateDiagram-v2\n  [*] --> Draft');
	// and the box still works: a workflow that fits opens
	await box.fill('stateDiagram-v2\n  [*] --> Draft\n  Draft --> Sent : SEND\n');
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByText('2 states · 1 transitions', { exact: false })).toBeVisible();
});

test('dropping a 5.2 MB file on /open names the file once and says the real size', async ({ page }) => {
	await page.goto('/open');
	const dataTransfer = await page.evaluateHandle((n) => {
		const dt = new DataTransfer();
		dt.items.add(new File(['x'.repeat(n)], 'huge-flow.json', { type: 'application/json' }));
		return dt;
	}, SIZE);
	const target = page.locator('main[data-drop-import]');
	await target.dispatchEvent('dragenter', { dataTransfer });
	await target.dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('open-error').locator('li')).toHaveText(/^“huge-flow\.json”: This file is 5\.2 MB; FSM Studio opens workflows up to 5 MB\./);
});

test('importing a 5.2 MB file from the home page names it once, with its real size', async ({ page }) => {
	await page.goto('/');
	await page.getByTestId('import-file').setInputFiles({ name: 'huge-flow.json', mimeType: 'application/json', buffer: Buffer.alloc(SIZE, 'x') });
	const toast = page.locator('.toast', { hasText: 'huge-flow.json' });
	await expect(toast).toContainText('“huge-flow.json” could not be imported: This file is 5.2 MB; FSM Studio opens workflows up to 5 MB.');
	await expect(toast).not.toContainText('The file');
	await expect(page.getByTestId('workflow-card')).toHaveCount(0);
});
