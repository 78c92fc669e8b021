import { expect, type Locator, type Page } from '@playwright/test';

/** Creates a blank workflow from the home page and waits for the designer. */
export async function newWorkflow(page: Page) {
	await page.goto('/');
	await page.getByTestId('new-workflow').click();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
}

export const canvasPane = (page: Page) => page.locator('.svelte-flow__pane');
export const stateNode = (page: Page, path: string) => page.locator(`.svelte-flow__node[data-id="${path}"]`);
export const stateNodes = (page: Page) => page.locator('.svelte-flow__node');

/** Drags a library item onto the canvas at (x, y) relative to the canvas' top-left corner. */
export async function dragFromLibrary(page: Page, testId: string, x: number, y: number, onto?: Locator) {
	const target = onto ?? page.locator('.svelte-flow');
	await page.getByTestId(testId).dragTo(target, onto ? undefined : { targetPosition: { x, y } });
}

/** Draws a transition by dragging from a handle of `from` to the body of `to`. */
export async function connect(page: Page, from: string, to: string) {
	await viewSettled(page);
	const a = stateNode(page, from);
	const b = stateNode(page, to);
	// near the top-right corner, by the handle: a container's middle may hold a child state
	const ab = (await a.boundingBox())!;
	await a.hover({ position: { x: ab.width - 10, y: 8 } });
	const handle = a.locator('.svelte-flow__handle-right');
	const hb = (await handle.boundingBox())!;
	const bb = (await b.boundingBox())!;
	await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
	await page.mouse.down();
	// first a little towards the target (never towards the canvas' edge, where the view would
	// start to pan under the pointer), then onto it
	const tx = bb.x + bb.width / 2;
	const ty = bb.y + bb.height / 2;
	const d = Math.hypot(tx - hb.x, ty - hb.y) || 1;
	await page.mouse.move(hb.x + ((tx - hb.x) / d) * 30, hb.y + ((ty - hb.y) / d) * 30, { steps: 4 });
	await page.mouse.move(tx, ty, { steps: 8 });
	await page.mouse.up();
}

/** Waits until the view stops moving (fit-view and reveal animate for a moment). */
export async function viewSettled(page: Page) {
	const t = () => page.locator('.svelte-flow__viewport').evaluate((e) => getComputedStyle(e).transform);
	let last = await t();
	for (let i = 0; i < 20; i++) {
		await page.waitForTimeout(80);
		const now = await t();
		if (now === last) return;
		last = now;
	}
}

/** The workflow JSON as the code view shows it. */
export async function workflowJson(page: Page): Promise<Record<string, any>> {
	await page.getByRole('tab', { name: 'Code' }).click();
	const text = await page.getByTestId('code-view').innerText();
	await page.getByRole('tab', { name: /Problems/ }).click();
	// line numbers are rendered as separate, non-selectable spans: strip them
	const json = text
		.split('\n')
		.map((l) => l.replace(/^\s*\d+/, ''))
		.join('\n');
	return JSON.parse(json);
}

export const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
