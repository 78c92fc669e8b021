import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { canvasPane, mod, newWorkflow, stateNode, stateNodes, viewSettled } from './designer-helpers';

// Issue 11, items 5 and 7, as a newcomer meets them: states added with the keys S, P and C or a
// double-click land in free space near the pointer — never on another state, however many are
// added at the same spot — and adding a state and naming it is one undo step; Esc gives the
// focus back to the canvas, so Ctrl+Z undoes instead of editing the name.

type Box = { id: string; x: number; y: number; w: number; h: number };
async function boxes(page: Page): Promise<Box[]> {
	return stateNodes(page).evaluateAll((ns) =>
		ns.map((n) => {
			const r = n.getBoundingClientRect();
			return { id: (n as HTMLElement).dataset.id ?? '', x: r.x, y: r.y, w: r.width, h: r.height };
		})
	);
}
function overlaps(a: Box, b: Box) {
	// a child inside its container is nesting, not a pile
	if (b.id.startsWith(a.id + '.') || a.id.startsWith(b.id + '.')) return false;
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
function expectNoPile(list: Box[]) {
	for (let i = 0; i < list.length; i++)
		for (let j = i + 1; j < list.length; j++) expect(overlaps(list[i], list[j]), `${list[i].id} lies on ${list[j].id}`).toBe(false);
}
const centre = (b: Box) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });

test('S, P, C and double-clicks at one spot land beside each other near the pointer, never on top', async ({ page }) => {
	test.setTimeout(90_000);
	await newWorkflow(page);
	const pane = await canvasPane(page).boundingBox();
	const spot = { x: pane!.x + pane!.width * 0.45, y: pane!.y + pane!.height * 0.45 };
	const keys = ['s', 's', 's', 'p', 'c', 's'];
	for (const [i, key] of keys.entries()) {
		await page.mouse.move(spot.x, spot.y);
		await page.keyboard.press(key);
		await expect(stateNodes(page)).toHaveCount(i + 1);
		// the new state's name field is focused; Esc hands the focus back to the canvas
		await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
		await page.keyboard.press('Escape');
		await expect(page.getByLabel('Name', { exact: true })).not.toBeFocused();
	}
	await viewSettled(page);
	let list = await boxes(page);
	expect(list).toHaveLength(keys.length);
	expectNoPile(list);
	// near the pointer: every state within 450 px of the spot (the view may have moved to reveal one)
	for (const b of list) expect(Math.hypot(centre(b).x - spot.x, centre(b).y - spot.y), `${b.id} is far from the pointer`).toBeLessThan(450);

	// three double-clicks on the canvas right beside the first state
	const first = list.find((b) => b.id === 'state')!;
	for (let i = 0; i < 3; i++) {
		await canvasPane(page).dblclick({ position: { x: first.x + first.w + 12 - pane!.x, y: first.y + first.h / 2 - pane!.y } });
		await expect(stateNodes(page)).toHaveCount(keys.length + i + 1);
		await page.keyboard.press('Escape');
	}
	await viewSettled(page);
	list = await boxes(page);
	expectNoPile(list);

	// the Problems panel speaks of states by name, not by JSON path ("states.state2: state …")
	const problems = page.getByTestId('problems');
	await expect(problems).toContainText('State "state2" can never be entered');
	await expect(problems).not.toContainText('states.state2:');
	// one word, one meaning: the header's collaboration button is not a second "Live"
	await expect(page.getByTestId('collab-open')).toHaveText('Edit together');
});

test('adding a state and naming it is one undo step; Esc returns to the canvas so Ctrl+Z undoes it', async ({ page }) => {
	await newWorkflow(page);
	const pane = await canvasPane(page).boundingBox();
	await canvasPane(page).dblclick({ position: { x: pane!.width / 2, y: pane!.height / 2 } });
	const name = page.getByLabel('Name', { exact: true });
	await expect(name).toBeFocused();
	await name.fill('waiting');
	await name.press('Enter');
	await expect(stateNode(page, 'waiting')).toBeVisible();

	await canvasPane(page).dblclick({ position: { x: pane!.width / 2 + 40, y: pane!.height / 2 + 30 } });
	await expect(name).toBeFocused();
	await name.pressSequentially('ready');
	// Esc cancels the typing and leaves the field: the focus is on the canvas, not in the text
	await name.press('Escape');
	await expect(name).not.toBeFocused();
	const onCanvas = await page.evaluate(() => !!document.activeElement?.closest('.svelte-flow') && !(document.activeElement instanceof HTMLInputElement));
	expect(onCanvas, 'the focus is on the canvas').toBe(true);
	await expect(stateNode(page, 'state')).toBeVisible();
	await expect(stateNode(page, 'ready')).toHaveCount(0);

	// Ctrl+Z now undoes (not the text): the second state goes, then the first one goes whole —
	// adding it and naming it "waiting" were one gesture, so there is no unnamed step between
	await page.keyboard.press(`${mod}+z`);
	await expect(stateNodes(page)).toHaveCount(1);
	await expect(stateNode(page, 'waiting')).toBeVisible();
	await page.keyboard.press(`${mod}+z`);
	await expect(stateNodes(page)).toHaveCount(0);
	// and redo brings back each state, the first with its name, in one step each
	await page.keyboard.press(`${mod}+Shift+z`);
	await expect(stateNode(page, 'waiting')).toBeVisible();
	await expect(stateNodes(page)).toHaveCount(1);
	await page.keyboard.press(`${mod}+Shift+z`);
	await expect(stateNodes(page)).toHaveCount(2);
});
