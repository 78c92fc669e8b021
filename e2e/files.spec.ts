import { type Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { readFileSync } from 'node:fs';

async function createExample(page: Page, name = 'Smart door'): Promise<string> {
	await page.goto('/');
	await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
	await page.waitForURL(/\/w\/[^/]+$/);
	return decodeURIComponent(new URL(page.url()).pathname.split('/w/')[1]);
}

async function saveToFile(page: Page): Promise<string> {
	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: /^Save (to file|again)$/ }).click();
	const d = await download;
	expect(d.suggestedFilename()).toMatch(/\.fsm\.json$/);
	return readFileSync((await d.path())!, 'utf8');
}

test.beforeEach(async ({ page }) => {
	// Headless Chromium cannot show the File System Access pickers: take the download/upload path.
	await page.addInitScript(() => {
		delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
		delete (window as unknown as Record<string, unknown>).showOpenFilePicker;
	});
});

test('save a workflow to a file, edit it, save again, and reopen the file', async ({ page }) => {
	const id = await createExample(page);
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	const first = JSON.parse(await saveToFile(page));
	expect(first).toMatchObject({ format: 'fsm-studio/workflow', name: 'Smart door' });

	// Edit in the designer: add a state.
	await page.goto(`/w/${encodeURIComponent(id)}`);
	await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
	await page.getByTestId('lib-atomic').click();
	await expect(page.locator('.svelte-flow__node')).toHaveCount(4);
	// The edit is stored: a reload shows it.
	await page.reload();
	await expect(page.locator('.svelte-flow__node')).toHaveCount(4);
	await page.goto('/');
	await page.getByRole('button', { name: 'Rename Smart door' }).click();
	await page.getByLabel('New name').fill('Smart door, edited');
	await page.getByLabel('New name').press('Enter');
	await expect(page.getByRole('link', { name: 'Smart door, edited', exact: true })).toBeVisible();

	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Smart door, edited');
	const secondText = await saveToFile(page);
	expect(JSON.parse(secondText).name).toBe('Smart door, edited');
	expect(Object.keys(JSON.parse(secondText).states)).toHaveLength(4);
	expect(Object.keys(first.states)).toHaveLength(3);

	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: 'Open file…' }).click();
	await (await chooser).setFiles({ name: 'door.fsm.json', mimeType: 'application/json', buffer: Buffer.from(secondText) });
	await page.waitForURL((u) => /\/w\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(encodeURIComponent(id)));
	await expect(page.locator('.svelte-flow__node')).toHaveCount(4);
	await page.goto('/');
	await expect(page.getByTestId('workflow-card')).toHaveCount(2);
	await expect(page.getByRole('link', { name: 'Smart door, edited', exact: true })).toHaveCount(2);
});

test('opening a file that is not a workflow explains why and changes nothing', async ({ page }) => {
	const id = await createExample(page);
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: 'Open file…' }).click();
	await (await chooser).setFiles({ name: 'broken.mmd', mimeType: 'text/plain', buffer: Buffer.from('stateDiagram-v2\n[*] --> a\na -> b\n') });
	await expect(page.getByTestId('open-file-errors')).toContainText('Line 3');
	await page.goto('/');
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
});

test('dropping a Mermaid file onto the home page creates a workflow', async ({ page }) => {
	await page.goto('/');
	const dataTransfer = await page.evaluateHandle(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['stateDiagram-v2\n    [*] --> Idle\n    Idle --> Busy : START\n    Busy --> Idle : DONE\n'], 'flow.mmd', { type: 'text/plain' }));
		return dt;
	});
	const target = page.locator('[data-drop-import]').first();
	await expect(target, 'the home page must use the dropImport action (see src/lib/io/browser/drop-import.ts)').toHaveCount(1);
	await target.dispatchEvent('dragenter', { dataTransfer });
	await target.dispatchEvent('dragover', { dataTransfer });
	await target.dispatchEvent('drop', { dataTransfer });
	await page.waitForURL(/\/w\/[^/]+$/);
	await page.goto('/');
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);
	await expect(page.getByTestId('workflow-card')).toContainText('2 states');
});

test('dropping a Mermaid file onto /open shows a preview that creates a workflow', async ({ page }) => {
	await page.goto('/open');
	const dataTransfer = await page.evaluateHandle(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(['---\ntitle: Dropped flow\n---\nstateDiagram-v2\n    [*] --> Idle\n    Idle --> Busy : START\n    Busy --> Idle : DONE\n'], 'flow.mmd', { type: 'text/plain' }));
		return dt;
	});
	const target = page.locator('main[data-drop-import]');
	await target.dispatchEvent('dragenter', { dataTransfer });
	await expect(target).toHaveAttribute('data-dropping', 'true');
	await target.dispatchEvent('drop', { dataTransfer });
	await expect(page.getByTestId('preview-name')).toHaveText('Dropped flow');
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
});

test('exports the workflow in every format from the share page', async ({ page }) => {
	const id = await createExample(page);
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	const expected: Record<string, [RegExp, RegExp]> = {
		json: [/\.fsm\.json$/, /"format": "fsm-studio\/workflow"/],
		typescript: [/\.ts$/, /export function createWorkflow\(options: WorkflowOptions = \{\}\): WorkflowInstance/],
		mermaid: [/\.mmd$/, /^---\ntitle: "Smart door"\n---\nstateDiagram-v2/],
		'xstate-json': [/\.xstate\.json$/, /"initial": "closed"/],
		'xstate-ts': [/\.machine\.ts$/, /createMachine\(config as never\)/],
		scxml: [/\.scxml$/, /<scxml xmlns="http:\/\/www\.w3\.org\/2005\/07\/scxml"/]
	};
	for (const [format, [name, content]] of Object.entries(expected)) {
		await page.getByTestId('export-format').selectOption(format);
		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Download', exact: true }).click();
		const d = await download;
		expect(d.suggestedFilename()).toMatch(name);
		expect(readFileSync((await d.path())!, 'utf8')).toMatch(content);
	}
	await expect(page.getByText(/Not carried over by this format/)).toBeVisible();
});

test('a TypeScript export keeps the code written in its user regions when given back', async ({ page }) => {
	const id = await createExample(page);
	await page.goto(`/open/share/${encodeURIComponent(id)}`);
	await page.getByTestId('export-format').selectOption('typescript');
	let download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download', exact: true }).click();
	const first = readFileSync((await (await download).path())!, 'utf8');
	const edited = first.replace('// <user-code id="extra">\n', '// <user-code id="extra">\nexport const answer = 42;\n');
	expect(edited).not.toBe(first);

	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: 'Choose previous export…' }).click();
	await (await chooser).setFiles({ name: 'smart-door.ts', mimeType: 'text/plain', buffer: Buffer.from(edited) });
	await expect(page.getByTestId('previous-export')).toContainText('smart-door.ts');
	download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Download', exact: true }).click();
	const second = readFileSync((await (await download).path())!, 'utf8');
	expect(second).toContain('export const answer = 42;');
});
