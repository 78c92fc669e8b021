import { expect, test } from './fixtures';
import { connect, dragFromLibrary, newWorkflow, stateNode, stateNodes, viewSettled, workflowJson } from './designer-helpers';

test('library drops, effect forms, guard check, problems panel, shortcuts help and theme', async ({ page }) => {
	test.setTimeout(90_000);
	await newWorkflow(page);

	// a compound state, and a state dropped inside it becomes its child (and its initial child)
	await dragFromLibrary(page, 'lib-compound', 300, 200);
	await expect(stateNode(page, 'group')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).press('Escape');
	await dragFromLibrary(page, 'lib-atomic', 0, 0, stateNode(page, 'group'));
	await expect(stateNode(page, 'group.state')).toBeVisible();
	await expect(stateNode(page, 'group.state').locator('.initial-mark')).toBeVisible();

	// effects dropped on a state: an AI kind becomes its invoke, a log joins its entry
	await dragFromLibrary(page, 'lib-effect-call_llm', 0, 0, stateNode(page, 'group.state'));
	await dragFromLibrary(page, 'lib-effect-log', 0, 0, stateNode(page, 'group.state'));
	const chips = stateNode(page, 'group.state').locator('.chip');
	await expect(chips).toHaveCount(2);
	await expect(chips.nth(0)).toHaveClass(/tone-data|tone-flow/);
	await expect(chips.nth(0)).toContainText('log');
	await expect(chips.nth(1)).toHaveClass(/tone-ai/);
	await expect(chips.nth(1)).toContainText('call_llm');

	// the invoke's form is generated from its schema and validates in place
	await stateNode(page, 'group.state').click();
	const invoke = page.locator('.props .effect').filter({ hasText: 'Call LLM' });
	await invoke.getByRole('button', { name: /^Call LLM/ }).click();
	const prompt = invoke.getByLabel(/^Prompt/);
	await expect(prompt).toBeVisible();
	await expect(invoke.locator('.error').first()).toBeVisible();
	await prompt.fill('Summarise {{ event.text }}');
	await prompt.blur();
	await expect(invoke.locator('p.error')).toHaveCount(0);

	// a second top-level state, unreachable until connected: the problem selects it
	await dragFromLibrary(page, 'lib-atomic', 620, 60);
	await expect(stateNode(page, 'state')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).press('Escape');
	await stateNode(page, 'group').click({ position: { x: 20, y: 12 } });
	await page.getByLabel('Initial state').check();
	const problem = page.locator('.problems .problem').filter({ has: page.locator('.where', { hasText: /^state$/ }) }).first();
	await expect(problem).toBeVisible();
	await problem.click();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('state');
	await expect(stateNode(page, 'state')).toHaveClass(/selected/);
	await expect(stateNode(page, 'state').locator('.state')).toHaveClass(/has-(warning|error)/);

	// connect, then a guard with a syntax error is caught while typing
	await connect(page, 'group', 'state');
	await page.getByLabel('Event', { exact: true }).fill('GO');
	await page.getByLabel('Event', { exact: true }).press('Enter');
	const guard = page.getByLabel(/^Guard/);
	await guard.fill('context.count <');
	await expect(page.locator('#tr-guard-msg')).toHaveClass(/error/);
	await guard.fill('context.count < 3');
	await expect(page.locator('#tr-guard-msg')).toContainText('Valid expression');
	await guard.press('Enter');
	await guard.blur();
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'GO' }).locator('.guard')).toBeVisible();

	// keyboard help
	await page.locator('.svelte-flow__pane').click({ position: { x: 10, y: 10 } });
	await page.keyboard.press('?');
	await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeHidden();

	// delete with the keyboard, undo brings it back
	await stateNode(page, 'state').click();
	await page.keyboard.press('Delete');
	await expect(stateNode(page, 'state')).toHaveCount(0);
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'GO' })).toHaveCount(0);
	await page.keyboard.press('Control+z');
	await expect(stateNode(page, 'state')).toBeVisible();
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'GO' })).toBeVisible();
	await expect(stateNodes(page)).toHaveCount(3);

	// drag a state into the compound state: it becomes a child, its transition still arrives
	await viewSettled(page);
	const src = (await stateNode(page, 'state').boundingBox())!;
	const box = (await stateNode(page, 'group').boundingBox())!;
	await page.mouse.move(src.x + 30, src.y + 12);
	await page.mouse.down();
	// into the empty top-right corner of the group (its bottom may be under the bottom panel)
	await page.mouse.move(box.x + box.width - 60, box.y + 40, { steps: 12 });
	await page.mouse.up();
	await expect(stateNode(page, 'group.state2')).toBeVisible();
	await expect(stateNode(page, 'state')).toHaveCount(0);
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'GO' })).toBeVisible();
	const moved = await workflowJson(page);
	expect(moved.states.group.on.GO).toMatchObject({ target: '.state2' });
	// and out again onto the empty canvas
	const inner = (await stateNode(page, 'group.state2').boundingBox())!;
	const pane = (await page.locator('.svelte-flow').boundingBox())!;
	await page.mouse.move(inner.x + 30, inner.y + 12);
	await page.mouse.down();
	await page.mouse.move(pane.x + pane.width - 120, pane.y + 60, { steps: 12 });
	await page.mouse.up();
	await expect(stateNode(page, 'state2')).toBeVisible();
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'GO' })).toBeVisible();

	// the context menu of a state
	await stateNode(page, 'state2').click({ button: 'right' });
	await expect(page.getByRole('menu')).toBeVisible();
	await page.getByRole('menuitem', { name: /Set as initial state/ }).click();
	await expect(page.getByRole('menu')).toHaveCount(0);
	await expect(stateNode(page, 'state2').locator('.initial-mark')).toBeVisible();
	await expect(stateNode(page, 'group').locator('.initial-mark').first()).toHaveCount(0);
	// ... and of the canvas
	await page.locator('.svelte-flow__pane').click({ button: 'right', position: { x: 12, y: 12 } });
	await page.getByRole('menuitem', { name: /Add a state here/ }).click();
	await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('state');

	// without a mouse: a transition added from the property panel, its event typed at once
	await stateNode(page, 'state2').click();
	await page.getByLabel('Add a transition to').selectOption('group');
	await expect(page.getByLabel('Event', { exact: true })).toBeFocused();
	await page.keyboard.type('BACK');
	await page.keyboard.press('Enter');
	await expect(page.locator('.svelte-flow__edge-label', { hasText: 'BACK' })).toBeVisible();

	// theme toggle, kept across a reload
	const before = await page.locator('html').getAttribute('data-theme');
	await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
	const after = await page.locator('html').getAttribute('data-theme');
	expect(after).not.toBe(before);
	await page.reload();
	await expect(page.locator('html')).toHaveAttribute('data-theme', after!);
});
