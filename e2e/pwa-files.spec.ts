/**
 * The installed app opens files: from the operating system (manifest `file_handlers`, handed
 * over through `launchQueue`) and from the share sheet (`share_target`, a POST the service
 * worker answers). The operating system's side is played by the test: a `launchQueue` whose
 * consumer gets real FileSystemFileHandles (from the origin-private file system), and a form
 * posted as the share sheet posts it.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const SCXML = `<?xml version="1.0"?>
<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" initial="idle" name="Kettle">
  <state id="idle"><transition event="switch_on" target="heating"/></state>
  <state id="heating"><transition event="boiled" target="done"/></state>
  <final id="done"/>
</scxml>`;
const MERMAID = `stateDiagram-v2
  [*] --> Green
  Green --> Yellow: timer
  Yellow --> Red: timer
  Red --> Green: timer`;

/** Plays the operating system: launches the page with these files (name → text). */
async function launchWith(page: Page, files: Record<string, string>) {
	await page.addInitScript((files) => {
		Object.defineProperty(window, 'launchQueue', {
			configurable: true,
			value: {
				setConsumer(consumer: (p: { files: FileSystemHandle[] }) => void) {
					void (async () => {
						const dir = await navigator.storage.getDirectory();
						const handles: FileSystemHandle[] = [];
						for (const [name, text] of Object.entries(files)) {
							const h = await dir.getFileHandle(name, { create: true });
							const w = await h.createWritable();
							await w.write(text);
							await w.close();
							handles.push(h);
						}
						consumer({ files: handles });
					})();
				}
			}
		});
	}, files);
}

test('a file from the operating system opens as a new workflow in the designer', async ({ page }) => {
	await launchWith(page, { 'kettle.scxml': SCXML });
	await page.goto('/open/file');
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(page.locator('.svelte-flow__node', { hasText: 'heating' })).toBeVisible();
	await expect(page.getByLabel('Workflow name')).toHaveValue('Kettle');
	// it is in the workspace
	await page.goto('/');
	await expect(page.getByText('Kettle').first()).toBeVisible();
});

test('several files each become a workflow; a bad one says why', async ({ page }) => {
	await launchWith(page, { 'lights.mmd': MERMAID, 'broken.fsm.json': '{"format": "fsm-studio/workflow", "version": 1, "states": ' });
	await page.goto('/open/file');
	const list = page.getByTestId('opened-files');
	await expect(list.locator('li')).toHaveCount(2);
	await expect(list.getByRole('alert')).toContainText('broken.fsm.json');
	await list.getByRole('link').click();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(page.locator('.svelte-flow__node', { hasText: 'Yellow' })).toBeVisible();
});

test('a file shared to the app (share_target) opens as a new workflow', async ({ page }) => {
	await page.goto('/');
	await page.evaluate(() => navigator.serviceWorker.ready);
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 }).catch(async () => {
		await page.reload();
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
	});
	// the share sheet posts multipart/form-data to the manifest's action
	const manifest = await page.evaluate(async () => (await fetch(document.querySelector<HTMLLinkElement>('link[rel=manifest]')!.href)).json());
	const action = new URL(manifest.share_target.action, new URL('/manifest.webmanifest', page.url())).pathname;
	await page.evaluate(
		({ action, scxml }) => {
			const form = document.createElement('form');
			form.method = 'post';
			form.enctype = 'multipart/form-data';
			form.action = action;
			const input = document.createElement('input');
			input.type = 'file';
			input.name = 'files';
			const dt = new DataTransfer();
			dt.items.add(new File([scxml], 'kettle.scxml', { type: 'application/xml' }));
			input.files = dt.files;
			form.append(input);
			document.body.append(form);
			form.submit();
		},
		{ action, scxml: SCXML }
	);
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(page.locator('.svelte-flow__node', { hasText: 'heating' })).toBeVisible();
});
