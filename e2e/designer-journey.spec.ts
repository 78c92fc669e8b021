import { expect, test } from './fixtures';
import { canvasPane, connect, dragFromLibrary, mod, newWorkflow, stateNode, stateNodes, workflowJson } from './designer-helpers';

test.describe.configure({ mode: 'serial' });

test('build a workflow by hand, undo/redo every step, reload, copy/paste, auto-layout', async ({ page }) => {
	test.setTimeout(120_000);
	await newWorkflow(page);
	const problems = page.getByRole('tab', { name: /Problems/ });
	await expect(problems).toBeVisible();

	// three states from the library, named as we go (the name field is focused on drop)
	await dragFromLibrary(page, 'lib-atomic', 220, 160);
	await expect(stateNode(page, 'state')).toBeVisible();
	const name = page.getByLabel('Name', { exact: true });
	await name.fill('idle');
	await name.press('Enter');
	await expect(stateNode(page, 'idle')).toBeVisible();
	// Enter hands the focus to the renamed state on the canvas (not to <body>)
	await expect(stateNode(page, 'idle')).toBeFocused();

	await dragFromLibrary(page, 'lib-atomic', 520, 160);
	await expect(stateNode(page, 'state')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).fill('working');
	await page.getByLabel('Name', { exact: true }).press('Enter');
	await expect(stateNode(page, 'working')).toBeVisible();

	await dragFromLibrary(page, 'lib-final', 520, 380);
	await expect(stateNode(page, 'done')).toBeVisible();
	await expect(stateNodes(page)).toHaveCount(3);

	// connect them and name the events (the event field is focused after connecting)
	await connect(page, 'idle', 'working');
	const event = page.getByLabel('Event', { exact: true });
	await expect(event).toBeFocused();
	await event.fill('START');
	await event.press('Enter');
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'START' })).toBeVisible();
	// Enter then the browser's own change event: one rename, no "no longer exists" error
	await page.waitForTimeout(200);
	await expect(page.getByText('That transition no longer exists.')).toHaveCount(0);

	await connect(page, 'working', 'done');
	await expect(page.getByLabel('Event', { exact: true })).toBeFocused();
	await page.getByLabel('Event', { exact: true }).fill('FINISH');
	await page.getByLabel('Event', { exact: true }).press('Enter');
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'FINISH' })).toBeVisible();

	// the first state added is where the workflow starts
	await expect(stateNode(page, 'idle').locator('.initial-mark')).toBeVisible();
	await expect(page.getByText('No problems found.')).toBeVisible();

	const built = await workflowJson(page);
	expect(built.initial).toBe('idle');
	expect(built.states.idle.on).toEqual({ START: 'working' });
	expect(built.states.working.on).toEqual({ FINISH: 'done' });
	expect(built.states.done.type).toBe('final');

	// undo every step back to the empty canvas, then redo them all
	await canvasPane(page).click({ position: { x: 30, y: 30 } });
	const seen: number[] = [];
	for (let i = 0; i < 30; i++) {
		const undo = page.getByRole('button', { name: 'Undo (Ctrl+Z)' });
		if (await undo.isDisabled()) break;
		await page.keyboard.press(`${mod}+z`);
		await page.waitForTimeout(60);
		seen.push(await stateNodes(page).count());
	}
	expect(seen.at(-1)).toBe(0);
	// one step per gesture: adding a state includes naming it, drawing a transition includes its event
	expect(seen).toEqual([3, 3, 2, 1, 0]);
	// counts only ever go down while undoing
	for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]);
	for (let i = 0; i < 30; i++) {
		if (await page.getByRole('button', { name: 'Redo (Ctrl+Shift+Z)' }).isDisabled()) break;
		await page.keyboard.press(i % 2 ? `${mod}+Shift+z` : `${mod}+y`);
		await page.waitForTimeout(60);
	}
	await expect(stateNodes(page)).toHaveCount(3);
	await expect(page.getByText('No problems found.')).toBeVisible();
	expect(await workflowJson(page)).toEqual(built);

	// move a state and zoom out a little: the reload must bring back both
	const box = (await stateNode(page, 'done').boundingBox())!;
	await page.mouse.move(box.x + 40, box.y + 20);
	await page.mouse.down();
	await page.mouse.move(box.x + 140, box.y + 60, { steps: 6 });
	await page.mouse.up();
	await page.getByRole('button', { name: /zoom out/i }).click();
	await page.waitForTimeout(600);
	const before = await workflowJson(page);
	expect(before.layout.done).not.toEqual(built.layout.done);
	const viewport = await page.locator('.svelte-flow__viewport').getAttribute('style');
	await page.reload();
	await expect(stateNodes(page)).toHaveCount(3);
	expect(await workflowJson(page)).toEqual(before);
	await expect(page.locator('.svelte-flow__viewport')).toHaveAttribute('style', viewport!);

	// copy/paste a selection of two states: the transition between them comes along
	await stateNode(page, 'idle').click();
	await stateNode(page, 'working').click({ modifiers: ['Shift'] });
	await expect(page.getByRole('heading', { name: '2 states, 0 transitions' })).toBeVisible();
	await page.keyboard.press(`${mod}+c`);
	await page.keyboard.press(`${mod}+v`);
	await expect(stateNodes(page)).toHaveCount(5);
	const pasted = await workflowJson(page);
	expect(pasted.states.idle2.on).toEqual({ START: 'working2' });
	expect(pasted.states.working2).toBeDefined();

	// auto-layout moves states (on request only), and is one undo step
	await page.getByRole('button', { name: 'Auto-layout' }).click();
	// ELK starts in its worker on first use: seconds on a busy machine
	await expect(page.getByText('Laid out. Undo with Ctrl+Z.')).toBeVisible({ timeout: 30_000 });
	const laid = await workflowJson(page);
	expect(laid.layout).not.toEqual(pasted.layout);
	const xs = Object.values(laid.layout as Record<string, { x: number; y: number }>).map((p) => `${p.x},${p.y}`);
	expect(new Set(xs).size).toBe(5); // no two states on top of each other
	await canvasPane(page).click({ position: { x: 30, y: 30 } });
	await page.keyboard.press(`${mod}+z`);
	await expect.poll(async () => (await workflowJson(page)).layout).toEqual(pasted.layout);

	// the home page lists it with its new size and a preview of it
	await page.getByRole('link', { name: 'All workflows' }).click();
	const card = page.getByTestId('workflow-card');
	await expect(card).toHaveCount(1);
	await expect(card).toContainText('5 states');
	await expect(card.locator('svg.thumb rect')).toHaveCount(5);
});
