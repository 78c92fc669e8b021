import { expect, test } from './fixtures';
import { mod, stateNode, stateNodes, workflowJson } from './designer-helpers';

test('copy states in one workflow and paste them into another', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await page.goto('/');
	await page.getByRole('button', { name: /^Smart door/ }).click();
	await page.waitForURL(/\/w\//);
	await expect(stateNodes(page)).toHaveCount(3);
	await stateNode(page, 'closed').click();
	await stateNode(page, 'open').click({ modifiers: ['Shift'] });
	await page.keyboard.press(`${mod}+c`);
	await expect(page.getByText('Copied 2 states.')).toBeVisible();
	// it is on the system clipboard as JSON (so it can go to another app, or another browser tab)
	const text = await page.evaluate(() => navigator.clipboard.readText());
	expect(JSON.parse(text)).toMatchObject({ kind: 'fsm-studio/fragment', states: { closed: {}, open: {} } });

	await page.goto('/');
	await page.getByTestId('new-workflow').click();
	await page.waitForURL(/\/w\//);
	await expect(page.locator('.canvas-empty')).toBeVisible();
	// paste from the system clipboard, not the in-browser copy
	await page.evaluate(() => localStorage.removeItem('fsm-studio:clipboard'));
	await page.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await page.keyboard.press(`${mod}+v`);
	await expect(stateNodes(page)).toHaveCount(2);
	const wf = await workflowJson(page);
	// the transitions between the two copied states came along, the ones to `locked` did not
	expect(wf.states.open.on).toEqual({ CLOSE: 'closed' });
	expect(wf.states.open.after).toEqual({ '5000': 'closed' });
	expect(Object.keys(wf.states.closed.on)).toEqual(['OPEN']);
	expect(wf.states.open.entry).toEqual([{ type: 'log', message: 'Door opened {{ context.opens }} times' }]);
	// and a second paste does not clash: new names, one undo step each
	await page.keyboard.press(`${mod}+v`);
	await expect(stateNodes(page)).toHaveCount(4);
	await expect(stateNode(page, 'open2')).toBeVisible();
	await page.keyboard.press(`${mod}+z`);
	await expect(stateNodes(page)).toHaveCount(2);
});
