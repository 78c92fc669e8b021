// A newcomer on a phone (390 × 844, touch): from the home page to a workflow that runs, with
// the canvas full-size, the panels as sheets over it, a long press for the context menu and no
// page that scrolls sideways.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { stateNode, stateNodes, viewSettled } from './designer-helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** The page is no wider than the phone: nothing scrolls sideways. */
async function noSidewaysScroll(page: Page, where: string) {
	const { scrollWidth, inner } = await page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
	expect(scrollWidth, `${where} scrolls sideways (${scrollWidth} px wide on a 390 px phone)`).toBeLessThanOrEqual(390);
	// a mobile browser widens its layout viewport to fit content that overflows
	expect(inner, `${where} widened the phone's layout viewport`).toBe(390);
}

/** Real touch input through the Chrome DevTools protocol: a finger rests on (x, y) for `ms`. */
async function longPress(page: Page, x: number, y: number, ms = 700) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
	await page.waitForTimeout(ms);
	await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
	await cdp.detach();
}

/** Two taps in quick succession, as a finger does a double-tap. */
async function doubleTap(page: Page, x: number, y: number) {
	await page.touchscreen.tap(x, y);
	await page.waitForTimeout(60);
	await page.touchscreen.tap(x, y);
}

test('a phone: home → new workflow → states, properties sheet, run, long press, More menu', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto('/');
	await expect(page.getByTestId('new-workflow')).toBeVisible();
	await noSidewaysScroll(page, 'the home page');
	// the header is one line, and its controls are big enough for a finger
	const bar = (await page.locator('.app-bar').boundingBox())!;
	expect(bar.height).toBeLessThanOrEqual(60);
	for (const b of await page.locator('.app-bar a:visible, .app-bar button:visible').all()) {
		const box = (await b.boundingBox())!;
		expect(Math.min(box.width, box.height), `${await b.getAttribute('aria-label')} is too small to tap`).toBeGreaterThanOrEqual(44);
	}

	await page.getByTestId('new-workflow').tap();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	const id = page.url().split('/w/')[1];
	await expect(page.locator('.svelte-flow')).toBeVisible();
	await noSidewaysScroll(page, 'the designer');

	// the canvas takes the whole width; the library and the panels wait behind toggles
	const canvas = (await page.getByRole('main', { name: 'Canvas' }).boundingBox())!;
	expect(canvas.width).toBe(390);
	expect(canvas.height).toBeGreaterThan(600);
	await expect(page.getByRole('complementary', { name: 'Library' })).toHaveCount(0);
	await expect(page.getByRole('complementary', { name: 'Properties' })).toHaveCount(0);
	const panels = page.getByRole('navigation', { name: 'Panels' });
	for (const b of await panels.getByRole('button').all()) {
		const box = (await b.boundingBox())!;
		expect(box.height).toBeGreaterThanOrEqual(44);
		expect(box.width).toBeGreaterThanOrEqual(44);
	}
	for (const b of await page.locator('.topbar button:visible, .topbar a:visible').all()) {
		const box = (await b.boundingBox())!;
		expect(Math.min(box.width, box.height), `${await b.getAttribute('aria-label')} is too small to tap`).toBeGreaterThanOrEqual(44);
	}

	// the library is a drawer: a tap on "State" adds one, and the drawer gets out of the way
	await panels.getByRole('button', { name: 'Library' }).tap();
	const library = page.getByRole('complementary', { name: 'Library' });
	await expect(library).toBeVisible();
	await library.getByTestId('lib-atomic').tap();
	await expect(stateNodes(page)).toHaveCount(1);
	// adding a state asks for its name: the properties sheet opens on it
	const sheet = page.getByRole('complementary', { name: 'Properties' });
	await expect(sheet).toBeVisible();
	const name = sheet.getByLabel('Name', { exact: true });
	await expect(name).toBeFocused();
	await name.fill('idle');
	await name.press('Enter');
	await expect(stateNode(page, 'idle')).toBeVisible();
	await sheet.getByRole('button', { name: 'Close' }).tap();
	await expect(sheet).toHaveCount(0);

	// double-tap on the empty canvas adds a second state there, away from the first
	await viewSettled(page);
	const first = (await stateNode(page, 'idle').boundingBox())!;
	await doubleTap(page, 195, Math.min(first.y + first.height + 160, 640));
	await expect(stateNodes(page)).toHaveCount(2);
	await expect(sheet).toBeVisible();
	await sheet.getByLabel('Name', { exact: true }).fill('busy');
	await sheet.getByLabel('Name', { exact: true }).press('Enter');
	await expect(stateNode(page, 'busy')).toBeVisible();
	// Esc closes the sheet too
	await page.keyboard.press('Escape');
	await expect(sheet).toHaveCount(0);

	// long press on a state: its context menu, as a right-click would open
	await viewSettled(page);
	const idle = (await stateNode(page, 'idle').boundingBox())!;
	await longPress(page, idle.x + idle.width / 2, idle.y + idle.height / 2);
	const menu = page.getByRole('menu');
	await expect(menu).toBeVisible();
	await expect(menu.getByRole('menuitem', { name: /Set as initial state/ })).toBeVisible();
	const item = (await menu.getByRole('menuitem').first().boundingBox())!;
	expect(item.height).toBeGreaterThanOrEqual(44);
	await menu.getByRole('menuitem', { name: /^Rename/ }).tap();
	await expect(menu).toHaveCount(0);
	// Rename opens the sheet on the name; a tap outside the sheet closes it
	await expect(sheet).toBeVisible();
	await expect(sheet.getByLabel('Name', { exact: true })).toHaveValue('idle');
	await page.touchscreen.tap(195, 120);
	await expect(sheet).toHaveCount(0);

	// a transition idle → busy, from the properties of idle
	await page.touchscreen.tap(idle.x + idle.width / 2, idle.y + idle.height / 2);
	await panels.getByRole('button', { name: 'Properties' }).tap();
	await expect(sheet).toBeVisible();
	await sheet.locator('#st-add-tr').selectOption('busy');
	const event = sheet.getByLabel('Event', { exact: true });
	await expect(event).toBeFocused();
	await event.fill('START');
	await event.press('Enter');

	// every tab of the sheet is reachable: the strip scrolls sideways, the page does not
	const tabs = sheet.getByRole('tablist');
	for (const label of ['Properties', 'Run', 'Assistant', 'Components', 'History']) {
		const tab = tabs.getByRole('tab', { name: label, exact: true });
		await tab.scrollIntoViewIfNeeded();
		await expect(tab).toBeInViewport();
		expect((await tab.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	}
	await noSidewaysScroll(page, 'the designer with the properties sheet open');

	// Run: start an instance and send the event; the canvas behind shows where it is
	await tabs.getByRole('tab', { name: 'Run', exact: true }).tap();
	await sheet.getByTestId('sim-start').tap();
	await sheet.getByTestId('sim-send-START').tap();
	await expect(page.locator('[data-state="busy"]')).toHaveClass(/active/);
	await expect(page.locator('[data-state="idle"]')).not.toHaveClass(/active/);
	await sheet.getByRole('button', { name: 'Close' }).tap();
	await expect(sheet).toHaveCount(0);

	// long press on the empty canvas: the canvas' menu
	await longPress(page, 80, 200);
	await expect(menu.getByRole('menuitem', { name: /Add a state here/ })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(menu).toHaveCount(0);

	// the toolbar's other actions are one "More" away, by keyboard too
	const more = page.getByTestId('designer-more');
	await more.focus();
	await page.keyboard.press('Enter');
	await expect(menu.getByRole('menuitem', { name: 'Auto-layout' })).toBeVisible();
	await expect(menu.locator('[role=menuitem]:focus')).toHaveCount(1);
	await page.keyboard.press('Escape');
	await expect(menu).toHaveCount(0);
	await expect(more).toBeFocused();
	await more.tap();
	await menu.getByRole('menuitem', { name: 'Share / export' }).tap();
	await page.waitForURL(new RegExp(`/open/share/${id}$`));
});

test('no page of the app scrolls sideways on a phone', async ({ page }) => {
	test.setTimeout(120_000);
	await page.goto('/');
	await page.getByTestId('new-workflow').tap();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	const id = page.url().split('/w/')[1];
	for (const route of [`/w/${id}`, '/', '/open', `/open/share/${id}`, '/run', '/run/smart-door', '/knowledge', '/agents', '/settings', '/usage', '/room']) {
		await page.goto(route);
		// drawn: the designer's toolbar or the app's bar, and whatever the page loads next
		await expect(page.locator('.app-bar, .workbench .topbar').first()).toBeVisible();
		await page.waitForLoadState('networkidle');
		await noSidewaysScroll(page, route);
	}
});
