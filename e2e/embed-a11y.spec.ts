/**
 * The web components for keyboard and screen-reader users, on a plain host page on another
 * origin: axe finds nothing serious in `<fsm-viewer>` and `<fsm-studio>` (light and dark), the
 * viewer describes its diagram in words and says when the active state changes, both are
 * reachable and usable from the keyboard, and light/dark follows `prefers-color-scheme` unless
 * the `theme` attribute says otherwise.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { hostPage, type HostServer } from './embed-host';

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

function html(app: string) {
	const wf = `<script type="application/json">${JSON.stringify(ticket)}</script>`;
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title>
<script type="module" src="${app}/embed/fsm-viewer.js"></script>
<script type="module" src="${app}/embed/fsm-studio.js"></script></head>
<body><main><h1>Embedded workflows</h1>
<h2>Viewer</h2>
<fsm-viewer id="v" autorun style="height:300px">${wf}</fsm-viewer>
<fsm-viewer id="v-dark" theme="dark" style="height:200px">${wf}</fsm-viewer>
<fsm-viewer id="v-light" theme="light" style="height:200px">${wf}</fsm-viewer>
<h2>Studio</h2>
<fsm-studio id="s" panels="properties bottom toolbar run" style="height:520px">${wf}</fsm-studio>
<fsm-studio id="s-light" theme="light" panels="toolbar" style="height:260px">${wf}</fsm-studio>
</main></body></html>`;
}

async function serious(p: Page) {
	const result = await new AxeBuilder({ page: p }).analyze();
	// axe looked inside the elements' shadow roots (a target there is a path through the host)
	const inside = result.passes.flatMap((r) => r.nodes.map((n) => n.target[0])).filter((t) => Array.isArray(t));
	expect(inside.some((t) => (t as string[])[0] === '#s')).toBe(true);
	expect(inside.some((t) => (t as string[])[0] === '#v')).toBe(true);
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
}

const bg = (p: Page, sel: string, inner: string) =>
	p.locator(sel).evaluate((el, inner) => getComputedStyle(el.shadowRoot!.querySelector(inner)!).backgroundColor, inner);
/** Perceived lightness 0–255 of an rgb() colour. */
const light = (rgb: string) => {
	const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
	return 0.299 * r + 0.587 * g + 0.114 * b;
};

for (const scheme of ['light', 'dark'] as const) {
	test(`viewer and studio: axe clean, themes, keyboard and screen-reader words (${scheme})`, async ({ page: p, baseURL }) => {
		test.setTimeout(180_000);
		await p.emulateMedia({ colorScheme: scheme });
		const app = (baseURL ?? '').replace(/\/$/, '');
		host = await hostPage(html(app));
		await p.goto(host.url);
		await expect(p.locator('#v .state')).toHaveCount(3);
		await expect(p.locator('#s .svelte-flow__node')).toHaveCount(3);
		await expect(p.locator('#s-light .svelte-flow__node')).toHaveCount(3);

		// light/dark: the system's setting, unless the theme attribute says
		const dark = scheme === 'dark';
		expect(light(await bg(p, '#v', '.frame')) < 128).toBe(dark);
		expect(light(await bg(p, '#v-dark', '.frame'))).toBeLessThan(128);
		expect(light(await bg(p, '#v-light', '.frame'))).toBeGreaterThan(128);
		await expect(p.locator('#s')).toHaveAttribute('data-theme', scheme);
		expect(light(await bg(p, '#s', '.workbench')) < 128).toBe(dark);
		await expect(p.locator('#s-light')).toHaveAttribute('data-theme', 'light');
		expect(light(await bg(p, '#s-light', '.workbench'))).toBeGreaterThan(128);
		// the page chooses the theme: no switch inside
		await expect(p.locator('#s').getByRole('button', { name: /^Switch to/ })).toBeHidden();

		// screen readers: the diagram in words, and the active state said when it changes
		const viewer = p.locator('#v');
		const diagram = viewer.getByRole('img');
		await expect(diagram).toHaveAccessibleName('Ticket: 3 states, 2 transitions');
		await expect(diagram).toHaveAccessibleDescription('States: open (initial); working; resolved (final). Transitions: open to working on WORK; working to resolved on RESOLVE.');
		const said = viewer.locator('[aria-live="polite"]');
		await expect(said).toHaveText('Now in open.');
		await viewer.evaluate((el) => (el as unknown as { send(e: string): void }).send('WORK'));
		await expect(said).toHaveText('Now in working.');

		// keyboard: Tab reaches the viewer's diagram and its buttons; + zooms
		await p.locator('h1').click();
		await p.keyboard.press('Tab');
		await expect(diagram).toBeFocused();
		const transform = () => viewer.evaluate((el) => el.shadowRoot!.querySelector('.world')!.getAttribute('transform'));
		const before = await transform();
		await p.keyboard.press('+');
		await expect.poll(transform).not.toBe(before);
		await p.keyboard.press('Tab');
		await expect(viewer.getByRole('button', { name: 'Zoom in' })).toBeFocused();

		// keyboard in the studio: Tab into its canvas, select a state with the keyboard, rename it in the panel
		const studio = p.locator('#s');
		await studio.locator('.svelte-flow__node[data-id="open"]').focus();
		await p.keyboard.press('Enter'); // selects the focused state (Svelte Flow)
		await p.keyboard.press('F2'); // rename: the name field of the property panel
		const name = studio.getByLabel('Name', { exact: true });
		await expect(name).toBeFocused();
		await p.keyboard.press('End');
		await p.keyboard.type('ed');
		await p.keyboard.press('Enter');
		await expect(studio.locator('.svelte-flow__node[data-id="opened"]')).toBeVisible();

		// with the Run panel open
		await studio.getByRole('tab', { name: 'Run', exact: true }).click();
		await expect(studio.getByTestId('sim-run-panel')).toBeVisible();
		expect(await serious(p)).toEqual([]);
		await p.screenshot({ path: `test-results/embed-a11y-${scheme}.png`, fullPage: true });
	});
}
