/**
 * `<fsm-studio>` on a plain host page on another origin: keyboard shortcuts and the clipboard
 * go only to the studio that has the focus (two on one page, and the page's own controls);
 * `readonly` refuses every edit however it is tried (mouse, keyboard, shortcuts, the property
 * panel, undo, paste, the context menu); the Run panel simulates the workflow (simulated only
 * unless the page allows live runs).
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPage, type HostServer } from './embed-host';
import { mod } from './designer-helpers';

const door = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/embed/smart-door.json'), 'utf8'));
const ticket = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ticket',
	name: 'Ticket',
	initial: 'open',
	states: { open: { on: { WORK: 'working' } }, working: { on: { RESOLVE: 'resolved' } }, resolved: { type: 'final' } }
};

let host: HostServer;
test.afterEach(async () => {
	await host?.close();
});

function html(app: string, body: string) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<script type="module" src="${app}/embed/fsm-studio.js"></script></head>
<body><main><h1>My app</h1>
<label>Host field <input id="host-field" type="text"></label> <button type="button" id="host-button">Host button</button>
${body}</main>
<script>
window.events = [];
for (const el of document.querySelectorAll('fsm-studio'))
	for (const type of ['load', 'change', 'error'])
		el.addEventListener(type, (e) => window.events.push({ id: el.id, type, states: e.detail.workflow && Object.keys(e.detail.workflow.states) }));
</script>
</body></html>`;
}

const inline = (wf: unknown) => `<script type="application/json">${JSON.stringify(wf)}</script>`;
const nodes = (studio: Locator) => studio.locator('.svelte-flow__node');
const node = (studio: Locator, id: string) => studio.locator(`.svelte-flow__node[data-id="${id}"]`);
const changes = (p: Page, id: string) =>
	p.evaluate((id) => (window as unknown as { events: { id: string; type: string }[] }).events.filter((e) => e.id === id && e.type === 'change').length, id);

test('two studios on one page: keys and the clipboard go only to the focused one', async ({ page: p, baseURL, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const app = (baseURL ?? '').replace(/\/$/, '');
	host = await hostPage(
		html(app, `<fsm-studio id="a" panels="properties toolbar" style="height:420px">${inline(ticket)}</fsm-studio>
<fsm-studio id="b" panels="properties toolbar" style="height:420px">${inline(ticket)}</fsm-studio>`)
	);
	await p.goto(host.url);
	const a = p.locator('#a');
	const b = p.locator('#b');
	await expect(nodes(a)).toHaveCount(3);
	await expect(nodes(b)).toHaveCount(3);

	// S with the focus in A adds a state to A only
	await a.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press('s');
	await expect(nodes(a)).toHaveCount(4);
	await p.waitForTimeout(300);
	await expect(nodes(b)).toHaveCount(3);

	// typing in A's fields types text: letters are not shortcuts there
	const nameField = a.getByLabel('Workflow name');
	await nameField.click();
	await nameField.press('End');
	await p.keyboard.type(' sf');
	await expect(nameField).toHaveValue('Ticket sf');
	await nameField.press('Enter');
	await expect(nodes(a)).toHaveCount(4);

	// Delete and undo in B act on B
	await node(b, 'working').click();
	await p.keyboard.press('Delete');
	await expect(nodes(b)).toHaveCount(2);
	await expect(nodes(a)).toHaveCount(4);
	await p.keyboard.press(`${mod}+z`);
	await expect(nodes(b)).toHaveCount(3);
	await expect(nodes(a)).toHaveCount(4);

	// copy in B, paste in A
	await node(b, 'resolved').click();
	await p.keyboard.press(`${mod}+c`);
	await a.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press(`${mod}+v`);
	await expect(nodes(a)).toHaveCount(5);
	await expect(nodes(b)).toHaveCount(3);

	// the page's own controls: keys and paste there reach neither studio (B still has a selection)
	await node(b, 'working').click();
	const before = { a: await changes(p, 'a'), b: await changes(p, 'b') };
	await p.locator('#host-button').focus();
	for (const key of ['s', 'Delete', `${mod}+z`, `${mod}+v`, `${mod}+a`, 'Shift+L']) await p.keyboard.press(key);
	await p.locator('#host-field').focus();
	await p.keyboard.type('sf');
	await p.keyboard.press(`${mod}+v`);
	await expect(p.locator('#host-field')).not.toHaveValue('');
	await p.waitForTimeout(500);
	await expect(nodes(a)).toHaveCount(5);
	await expect(nodes(b)).toHaveCount(3);
	expect({ a: await changes(p, 'a'), b: await changes(p, 'b') }).toEqual(before);
	// and the focus on the page's body (nothing focused): nothing either
	await p.locator('h1').click();
	await p.keyboard.press('Delete');
	await p.keyboard.press(`${mod}+z`);
	await p.waitForTimeout(300);
	await expect(nodes(a)).toHaveCount(5);
	await expect(nodes(b)).toHaveCount(3);
});

test('readonly: no edit by mouse, keyboard, shortcut, property panel, undo, paste or menu', async ({ page: p, baseURL, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const app = (baseURL ?? '').replace(/\/$/, '');
	host = await hostPage(html(app, `<fsm-studio id="ro" style="height:560px">${inline(ticket)}</fsm-studio>`));
	await p.goto(host.url);
	const ro = p.locator('#ro');
	await expect(nodes(ro)).toHaveCount(3);
	// an edit before it becomes read-only: there is something to undo, and something to paste
	await ro.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press('s');
	await expect(nodes(ro)).toHaveCount(4);
	await node(ro, 'open').click();
	await p.keyboard.press(`${mod}+c`);
	await ro.evaluate((el) => el.setAttribute('readonly', ''));
	const changed = await changes(p, 'ro');
	const wfBefore = await ro.evaluate((el) => JSON.stringify((el as unknown as { workflow: unknown }).workflow));

	// keyboard: delete, undo, redo, paste, duplicate, new states, cut, auto-layout
	await node(ro, 'open').click();
	for (const key of ['Delete', 'Backspace', `${mod}+z`, `${mod}+Shift+z`, `${mod}+y`, `${mod}+v`, `${mod}+d`, `${mod}+x`, 's', 'Shift+F', 'Shift+L', 'i']) await p.keyboard.press(key);
	await p.waitForTimeout(300);
	await expect(nodes(ro)).toHaveCount(4);

	// the property panel: every control disabled, so nothing can be typed into it
	await expect(ro.getByLabel('Name', { exact: true })).toHaveValue('open');
	await expect(ro.getByLabel('Name', { exact: true })).toBeDisabled();
	const enabled = await ro.evaluate((el) =>
		[...el.shadowRoot!.querySelectorAll('fieldset.panel-fields :is(input, textarea, select, button)')].filter((c) => !c.matches(':disabled')).length
	);
	expect(enabled).toBe(0);
	await ro.getByLabel('Name', { exact: true }).click({ force: true });
	await p.keyboard.type('xyz');
	await expect(ro.getByLabel('Name', { exact: true })).toHaveValue('open');

	// the workflow name is read-only
	const title = ro.getByLabel('Workflow name');
	await expect(title).toHaveAttribute('readonly', '');
	await title.click();
	await p.keyboard.type('xyz');
	await title.press('Enter');
	await expect(title).toHaveValue('Ticket');

	// the toolbar: no edit button to press
	for (const name of ['Undo (Ctrl+Z)', 'Redo (Ctrl+Shift+Z)', 'Paste', 'Delete selection', 'Auto-layout']) {
		const button = ro.getByRole('button', { name, exact: true });
		if (await button.count()) await expect(button).toBeDisabled();
	}

	// the mouse: dragging a state does not move it (the canvas pans), dragging from a handle connects nothing
	const where = () => ro.evaluate((el) => JSON.stringify((el as unknown as { workflow: { layout?: Record<string, unknown> } }).workflow.layout?.working));
	const at = await where();
	const box = (await node(ro, 'working').boundingBox())!;
	await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await p.mouse.down();
	await p.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 90, { steps: 8 });
	await p.mouse.up();
	expect(await where()).toBe(at);
	const edges = await ro.locator('.svelte-flow__edge').count();
	const handle = node(ro, 'resolved').locator('.svelte-flow__handle').first();
	if (await handle.count()) {
		const hb = (await handle.boundingBox())!;
		const target = (await node(ro, 'open').boundingBox())!;
		await p.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
		await p.mouse.down();
		await p.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
		await p.mouse.up();
	}
	await expect(ro.locator('.svelte-flow__edge')).toHaveCount(edges);

	// the context menu: its edit entries are refused (the view fitted first: the drags panned it)
	await ro.getByRole('button', { name: 'Fit view', exact: true }).click();
	await p.waitForTimeout(400);
	await node(ro, 'working').click({ button: 'right' });
	await ro.getByRole('menuitem', { name: /^Delete/ }).first().click();
	await ro.locator('.svelte-flow__pane').click({ button: 'right', position: { x: 40, y: 40 } });
	await ro.getByRole('menuitem', { name: /^Add a state here/ }).click();
	await p.waitForTimeout(300);
	await expect(nodes(ro)).toHaveCount(4);

	// nothing changed, and the page heard of no change
	expect(await ro.evaluate((el) => JSON.stringify((el as unknown as { workflow: unknown }).workflow))).toBe(wfBefore);
	expect(await changes(p, 'ro')).toBe(changed);

	// readonly off: the same keys edit again (undo takes back the state added before)
	await ro.evaluate((el) => el.removeAttribute('readonly'));
	await ro.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press(`${mod}+z`);
	await expect(nodes(ro)).toHaveCount(3);
	await expect(ro.getByLabel('Workflow name')).not.toHaveAttribute('readonly', '');
});

test('the Run panel simulates the workflow; live runs only when the page allows them', async ({ page: p, baseURL }) => {
	const app = (baseURL ?? '').replace(/\/$/, '');
	host = await hostPage(html(app, `<fsm-studio id="run" style="height:640px">${inline(door)}</fsm-studio>`));
	await p.goto(host.url);
	const studio = p.locator('#run');
	await expect(nodes(studio)).toHaveCount(3);
	await studio.getByRole('tab', { name: 'Run', exact: true }).click();
	const panel = studio.getByTestId('sim-run-panel');
	await expect(panel).toBeVisible();
	// simulated only: no switch to live runs
	await expect(studio.getByTestId('sim-mode-banner')).toHaveAttribute('data-mode', 'simulated');
	await expect(studio.getByTestId('sim-mode')).toHaveCount(0);

	await studio.getByTestId('sim-start').click();
	const active = studio.locator('.svelte-flow__node .state.active');
	await expect(active).toHaveCount(1);
	await expect(studio.locator('[data-state="closed"]')).toHaveClass(/active/);
	await studio.getByTestId('sim-send-OPEN').click();
	await expect(studio.locator('[data-state="open"]')).toHaveClass(/active/);
	await expect(active).toHaveCount(1);
	// the event log below shows the run
	await studio.getByRole('tab', { name: 'Event log' }).click();
	await expect(studio.getByRole('tabpanel').getByText('OPEN').first()).toBeVisible();
	await p.screenshot({ path: 'test-results/embed-studio-run.png' });

	// the page allows live runs: the switch appears
	await studio.evaluate((el) => el.setAttribute('allow-live', ''));
	await studio.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(studio.getByTestId('sim-mode')).toBeVisible();
	// panels without "run": no Run tab
	await studio.evaluate((el) => el.setAttribute('panels', 'library properties bottom toolbar'));
	await expect(studio.getByRole('tab', { name: 'Run', exact: true })).toHaveCount(0);
});
