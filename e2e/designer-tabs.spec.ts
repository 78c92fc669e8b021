import { expect, test } from './fixtures';
import { newWorkflow, stateNode } from './designer-helpers';

test('two tabs editing one workflow converge live, without a server', async ({ page, context }) => {
	await newWorkflow(page);
	const url = page.url();
	const other = await context.newPage();
	await other.goto(url);
	await expect(other.locator('.svelte-flow')).toBeVisible();

	// tab 1 adds a state: it shows up in tab 2
	await page.getByTestId('lib-atomic').click();
	await page.getByLabel('Name', { exact: true }).fill('fromTabOne');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await expect(stateNode(other, 'fromTabOne')).toBeVisible();

	// tab 2 adds one and renames the workflow: both reach tab 1
	await other.getByTestId('lib-final').click();
	await other.getByLabel('Name', { exact: true }).fill('fromTabTwo');
	await other.getByLabel('Name', { exact: true }).press('Enter');
	await other.getByLabel('Workflow name').fill('Edited in two tabs');
	await other.getByLabel('Workflow name').press('Enter');
	await expect(stateNode(page, 'fromTabTwo')).toBeVisible();
	await expect(page.getByLabel('Workflow name')).toHaveValue('Edited in two tabs');

	// both at once: each tab adds a state before hearing from the other (different kinds, so
	// different names: two states given the same name at the same moment would be one state)
	await Promise.all([page.keyboard.press('Escape'), other.keyboard.press('Escape')]);
	await page.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
	await other.locator('.svelte-flow__pane').click({ position: { x: 20, y: 20 } });
	await Promise.all([page.keyboard.press('s'), other.keyboard.press('Shift+F')]);
	await expect(page.locator('.svelte-flow__node')).toHaveCount(4);
	await expect(other.locator('.svelte-flow__node')).toHaveCount(4);
	const ids = async (p: typeof page) => (await p.locator('.svelte-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).sort();
	expect(await ids(page)).toEqual(await ids(other));

	// and a reload of tab 2 finds the merged document in storage
	await other.reload();
	await expect(other.locator('.svelte-flow__node')).toHaveCount(4);
});
