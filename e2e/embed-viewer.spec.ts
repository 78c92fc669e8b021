/**
 * `<fsm-viewer>` on a plain static page on another origin, loaded from the app's stable URL
 * (<app>/embed/fsm-viewer.js): the three ways to give it a workflow, live state with autorun
 * and with the page's own instance, send / state-change / done, pan and zoom, themes, and
 * styles contained in both directions.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPage, type HostServer } from './embed-host';

const door = readFileSync(join(import.meta.dirname, 'fixtures/embed/smart-door.json'), 'utf8');

const TOGGLE = JSON.stringify({
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ticket',
	name: 'Ticket',
	initial: 'open',
	context: { n: 0 },
	states: {
		open: { on: { WORK: { target: 'working', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } },
		working: { on: { RESOLVE: 'resolved' } },
		resolved: { type: 'final' }
	}
});

// The host page's own styles: aggressive on purpose. None may reach into the viewer.
const HOST_CSS = `
body { font: 31px/2 "Comic Sans MS", cursive; color: rgb(255, 0, 0); letter-spacing: 3px; }
* { box-sizing: content-box; }
svg rect { fill: rgb(255, 0, 0) !important; }
text { font-size: 40px; }
button { background: rgb(255, 0, 0); width: 200px; }
p { color: rgb(0, 0, 255); }
`;

let host: HostServer;
test.afterEach(async () => {
	await host?.close();
});

function page(appUrl: string, body: string) {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<style>${HOST_CSS}</style>
<script type="module" src="${appUrl}/embed/fsm-viewer.js"></script></head>
<body><h1>My docs page</h1>
<!-- host elements that share class names with the viewer's own -->
<div class="tools"><button type="button" id="host-button">Host button</button></div>
<p class="message" id="host-message">Host paragraph</p>
<svg width="50" height="50"><rect class="box" id="host-rect" width="40" height="40"></rect></svg>
${body}
<script>
window.events = [];
// classic scripts run before the deferred module defines the elements: nothing is missed
for (const el of document.querySelectorAll('fsm-viewer'))
	for (const type of ['state-change', 'done', 'load'])
		el.addEventListener(type, (e) => window.events.push({ id: el.id, type, detail: type === 'load' ? null : e.detail }));
</script>
</body></html>`;
}

const appUrl = (baseURL: string | undefined) => (baseURL ?? '').replace(/\/$/, '');

async function stateCount(p: Page, selector: string) {
	return p.locator(selector).evaluate((el) => el.shadowRoot!.querySelectorAll('g.state').length);
}

test('renders from src, property and inline JSON; live state, send and events', async ({ page: p, baseURL }) => {
	const app = appUrl(baseURL);
	host = await hostPage(
		page(
			app,
			`<fsm-viewer id="from-src" src="/files/smart-door.json" style="height:300px"></fsm-viewer>
<fsm-viewer id="from-prop" style="height:300px"></fsm-viewer>
<fsm-viewer id="inline" autorun style="height:300px"><script type="application/json">${TOGGLE}</script></fsm-viewer>`
		)
	);
	await p.goto(host.url);
	await p.evaluate((json) => {
		(document.getElementById('from-prop') as HTMLElement & { workflow: unknown }).workflow = JSON.parse(json);
	}, door);

	// all three render (the shadow DOM's state boxes, names as text)
	await expect.poll(() => stateCount(p, '#from-src')).toBe(3);
	await expect.poll(() => stateCount(p, '#from-prop')).toBe(3);
	await expect.poll(() => stateCount(p, '#inline')).toBe(3);
	await expect(p.locator('#from-src').locator('text.name', { hasText: 'locked' })).toBeVisible();
	await expect(p.locator('#from-src').locator('text.label', { hasText: 'after 5s' })).toBeVisible();

	// autorun: the initial state lights up
	const inline = p.locator('#inline');
	await expect(inline.locator('g.state.active')).toHaveAttribute('data-path', 'open');
	await inline.evaluate((el) => (el as HTMLElement & { send(e: string): void }).send('WORK'));
	await expect(inline.locator('g.state.active')).toHaveAttribute('data-path', 'working');
	await inline.evaluate((el) => (el as HTMLElement & { send(e: { type: string }): void }).send({ type: 'RESOLVE' }));
	await expect(inline.locator('g.state.active')).toHaveAttribute('data-path', 'resolved');
	const events = (await p.evaluate(() => (window as unknown as { events: { id: string; type: string; detail: { active?: string[]; status?: string; context?: { n: number } } }[] }).events)).filter((e) => e.id === 'inline');
	const changes = events.filter((e) => e.type === 'state-change');
	expect(changes.map((e) => e.detail.active)).toEqual([['open'], ['working'], ['resolved']]);
	expect(changes[1].detail.context).toEqual({ n: 1 });
	expect(changes[2].detail.status).toBe('done');
	expect(events.filter((e) => e.type === 'done')).toHaveLength(1);

	// the page's own instance (engine from the same bundle) drives the viewer
	await p.evaluate(async (app) => {
		const mod = await import(`${app}/embed/fsm-viewer.js`);
		const el = document.getElementById('from-prop') as HTMLElement & { workflow: unknown; instance: unknown };
		const it = mod.createInterpreter(el.workflow);
		it.start();
		el.instance = it;
		(window as unknown as { door: unknown }).door = it;
	}, app);
	const fromProp = p.locator('#from-prop');
	await expect(fromProp.locator('g.state.active')).toHaveAttribute('data-path', 'closed');
	await p.evaluate(() => (window as unknown as { door: { send(e: string): void } }).door.send('LOCK'));
	await expect(fromProp.locator('g.state.active')).toHaveAttribute('data-path', 'locked');

	// a broken workflow says what is wrong, in the element
	await p.evaluate(() => ((document.getElementById('from-src') as HTMLElement & { workflow: unknown }).workflow = '{"format": "fsm-studio/workflow", "version": 1, "states": '));
	await expect(p.locator('#from-src').locator('.message.error')).toContainText('This workflow cannot be shown');
});

test('pan, zoom and fit; keyboard; themes', async ({ page: p, baseURL }) => {
	const app = appUrl(baseURL);
	host = await hostPage(page(app, `<fsm-viewer id="v" src="/files/smart-door.json" style="height:320px;width:640px"></fsm-viewer><fsm-viewer id="dark" theme="dark" src="/files/smart-door.json" style="height:200px;width:400px"></fsm-viewer>`));
	await p.goto(host.url);
	const v = p.locator('#v');
	await expect.poll(() => stateCount(p, '#v')).toBe(3);
	const transform = () => v.evaluate((el) => el.shadowRoot!.querySelector('g.world')!.getAttribute('transform'));
	await expect.poll(transform).toMatch(/scale/);
	const fitted = await transform();
	const scale = async () => Number((await transform())!.match(/scale\(([\d.]+)\)/)![1]);
	const before = await scale();
	await v.getByRole('button', { name: 'Zoom in' }).click();
	expect(await scale()).toBeCloseTo(before * 1.25, 3);
	// drag pans
	const box = (await v.boundingBox())!;
	await p.mouse.move(box.x + 100, box.y + 100);
	await p.mouse.down();
	await p.mouse.move(box.x + 160, box.y + 130, { steps: 4 });
	await p.mouse.up();
	const moved = (await transform())!;
	expect(moved).not.toBe(fitted);
	// keyboard: 0 fits again
	await v.locator('svg.canvas').focus();
	await p.keyboard.press('0');
	expect(await transform()).toBe(fitted);
	await p.keyboard.press('-');
	expect(await scale()).toBeCloseTo(before * 0.8, 3);

	// themes: theme="dark", and auto following prefers-color-scheme
	const bg = (sel: string) => p.locator(sel).evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('.frame')!).backgroundColor);
	expect(await bg('#dark')).toBe('rgb(15, 17, 23)');
	await p.emulateMedia({ colorScheme: 'light' });
	expect(await bg('#v')).toBe('rgb(255, 255, 255)');
	await p.emulateMedia({ colorScheme: 'dark' });
	expect(await bg('#v')).toBe('rgb(15, 17, 23)');
	await p.screenshot({ path: 'test-results/embed-viewer-dark.png' });
});

test('styles stay contained in both directions', async ({ page: p, baseURL }) => {
	const app = appUrl(baseURL);
	host = await hostPage(page(app, `<fsm-viewer id="v" theme="light" src="/files/smart-door.json" style="height:300px"></fsm-viewer>`));
	await p.goto(host.url);
	await expect.poll(() => stateCount(p, '#v')).toBe(3);
	const inside = await p.locator('#v').evaluate((el) => {
		const root = el.shadowRoot!;
		const cs = (q: string) => getComputedStyle(root.querySelector(q)!);
		return {
			fontFamily: cs('text.name').fontFamily,
			fontSize: cs('text.name').fontSize,
			letterSpacing: cs('text.name').letterSpacing,
			rectFill: cs('rect.box').fill,
			buttonBg: cs('.tools button').backgroundColor,
			buttonWidth: cs('.tools button').width,
			hostLineHeight: getComputedStyle(el).lineHeight
		};
	});
	expect(inside.fontFamily).not.toContain('Comic Sans');
	expect(inside.fontSize).toBe('13px');
	expect(inside.letterSpacing).toBe('normal');
	expect(inside.rectFill).toBe('rgb(246, 247, 251)');
	expect(inside.buttonBg).toBe('rgb(246, 247, 251)');
	expect(inside.buttonWidth).toBe('28px');
	expect(inside.hostLineHeight).not.toBe('62px');
	// the viewer's classes (.tools, .message, .box) mean nothing outside it
	const outside = await p.evaluate(() => ({
		button: getComputedStyle(document.getElementById('host-button')!).backgroundColor,
		message: getComputedStyle(document.getElementById('host-message')!).color,
		rect: getComputedStyle(document.getElementById('host-rect')!).fill,
		stylesInHead: document.head.querySelectorAll('style').length
	}));
	expect(outside).toEqual({ button: 'rgb(255, 0, 0)', message: 'rgb(0, 0, 255)', rect: 'rgb(255, 0, 0)', stylesInHead: 1 });
	await p.setViewportSize({ width: 390, height: 844 });
	await p.screenshot({ path: 'test-results/embed-viewer-phone.png', fullPage: true });
});
