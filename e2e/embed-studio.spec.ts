/**
 * `<fsm-studio>` on a plain static page on another origin, loaded from the app's stable URL
 * (<app>/embed/fsm-studio.js): workflow in, change events out, two elements with separate
 * stored data (after a reload too), panels and readonly, styles contained in both directions.
 */
import { expect, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPage, type HostServer } from './embed-host';

const door = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/embed/smart-door.json'), 'utf8'));
const ticket = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ticket',
	name: 'Ticket',
	initial: 'open',
	states: { open: { on: { WORK: 'working' } }, working: { on: { RESOLVE: 'resolved' } }, resolved: { type: 'final' } }
};

const HOST_CSS = `
body { font: 29px/2 "Comic Sans MS", cursive; color: rgb(255, 0, 0); }
button { background: rgb(255, 0, 0) !important; }
input { border: 5px solid rgb(0, 255, 0); }
.workbench, .topbar, .svelte-flow { outline: 7px solid rgb(255, 0, 255); }
`;

let host: HostServer;
test.afterEach(async () => {
	await host?.close();
});

function html(app: string, body: string) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<style>${HOST_CSS}</style>
<script type="module" src="${app}/embed/fsm-studio.js"></script></head>
<body><h1>My app</h1>
<div class="topbar" id="host-topbar">Host top bar</div><button type="button" class="icon-btn" id="host-button">Host button</button>
${body}
<script>
window.events = [];
for (const el of document.querySelectorAll('fsm-studio'))
	for (const type of ['load', 'change', 'error'])
		el.addEventListener(type, (e) => window.events.push({ id: el.id, type, name: e.detail.workflow?.name, states: e.detail.workflow && Object.keys(e.detail.workflow.states) }));
</script>
</body></html>`;
}

const nodes = (studio: Locator) => studio.locator('.svelte-flow__node');

async function events(p: Page) {
	return p.evaluate(() => (window as unknown as { events: { id: string; type: string; name?: string; states?: string[] }[] }).events);
}

test('two studios keep separate data; workflow in, change out; styles contained', async ({ page: p, baseURL }) => {
	const app = (baseURL ?? '').replace(/\/$/, '');
	host = await hostPage(
		html(
			app,
			`<fsm-studio id="first" storage="local" style="height:520px"></fsm-studio>
<fsm-studio id="second" storage="local" style="height:520px" panels="properties bottom toolbar"></fsm-studio>`
		)
	);
	await p.goto(host.url);
	await p.evaluate(
		([a, b]) => {
			(document.getElementById('first') as HTMLElement & { workflow: unknown }).workflow = a;
			(document.getElementById('second') as HTMLElement & { workflow: unknown }).workflow = b;
		},
		[door, ticket]
	);
	const first = p.locator('#first');
	const second = p.locator('#second');
	await expect(nodes(first)).toHaveCount(3);
	await expect(nodes(second)).toHaveCount(3);
	await expect(first.locator('.svelte-flow__node', { hasText: 'locked' })).toBeVisible();
	await expect(second.locator('.svelte-flow__node', { hasText: 'resolved' })).toBeVisible();
	// panels: the second shows no library
	await expect(first.getByRole('complementary', { name: 'Library' })).toBeVisible();
	await expect(second.getByRole('complementary', { name: 'Library' })).toBeHidden();

	// an edit in the first: a change event with the new name; the second is untouched
	const title = first.getByLabel('Workflow name');
	await title.fill('Front door');
	await title.press('Enter');
	await expect.poll(async () => (await events(p)).filter((e) => e.type === 'change' && e.id === 'first').map((e) => e.name)).toContain('Front door');
	expect((await events(p)).filter((e) => e.type === 'change' && e.id === 'second')).toEqual([]);
	await expect(second.getByLabel('Workflow name')).toHaveValue('Ticket');

	// styles: none of the host's reach in, none of ours reach out, nothing added to the page's head
	const inside = await first.evaluate((el) => {
		const root = el.shadowRoot!;
		const input = root.querySelector('#wf-title')!;
		const btn = root.querySelector('.tools button')!;
		return {
			font: getComputedStyle(input).fontFamily,
			border: getComputedStyle(input).borderTopWidth,
			buttonBg: getComputedStyle(btn).backgroundColor,
			outline: getComputedStyle(root.querySelector('.workbench')!).outlineStyle
		};
	});
	expect(inside.font).not.toContain('Comic Sans');
	expect(inside.border).not.toBe('5px');
	expect(inside.buttonBg).not.toBe('rgb(255, 0, 0)');
	expect(inside.outline).not.toBe('solid');
	const outside = await p.evaluate(() => ({
		head: [...document.head.querySelectorAll('style, link[rel=stylesheet]')].length,
		bodyStyles: document.body.querySelectorAll('style').length,
		topbar: getComputedStyle(document.getElementById('host-topbar')!).display,
		button: getComputedStyle(document.getElementById('host-button')!).backgroundColor,
		font: getComputedStyle(document.body).fontFamily
	}));
	expect(outside).toEqual({ head: 1, bodyStyles: 0, topbar: 'block', button: 'rgb(255, 0, 0)', font: '"Comic Sans MS", cursive' });
	await p.screenshot({ path: 'test-results/embed-studio.png', fullPage: true });

	// a reload: each element finds its own stored workflow
	await p.reload();
	await expect(nodes(first)).toHaveCount(3);
	await expect(first.getByLabel('Workflow name')).toHaveValue('Front door');
	await expect(second.getByLabel('Workflow name')).toHaveValue('Ticket');
	await expect(second.locator('.svelte-flow__node', { hasText: 'resolved' })).toBeVisible();
});

test('readonly refuses edits; storage="none" keeps nothing', async ({ page: p, baseURL }) => {
	const app = (baseURL ?? '').replace(/\/$/, '');
	host = await hostPage(html(app, `<fsm-studio id="ro" readonly style="height:480px"><script type="application/json">${JSON.stringify(ticket)}</script></fsm-studio>`));
	await p.goto(host.url);
	const ro = p.locator('#ro');
	await expect(nodes(ro)).toHaveCount(3);
	await expect(ro.getByRole('complementary', { name: 'Library' })).toBeHidden();
	// the keyboard shortcut for a new state does nothing
	await ro.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press('s');
	await p.waitForTimeout(300);
	await expect(nodes(ro)).toHaveCount(3);
	expect((await events(p)).filter((e) => e.type === 'change')).toEqual([]);
	// readonly off: the same shortcut adds a state and the page hears of it
	await ro.evaluate((el) => el.removeAttribute('readonly'));
	await ro.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
	await p.keyboard.press('s');
	await expect(nodes(ro)).toHaveCount(4);
	await expect.poll(async () => (await events(p)).filter((e) => e.type === 'change').at(-1)?.states?.length).toBe(4);
	// storage none: the scratch copy goes with the element
	const dbs = () => p.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.includes('embed-scratch')));
	expect(await dbs()).toHaveLength(1);
	await ro.evaluate((el) => el.remove());
	await expect.poll(dbs, { timeout: 10_000 }).toEqual([]);
});
