/**
 * FSM Studio embedded in another site's page, in a browser that blocks third-party storage
 * (Chromium's own "Block third-party cookies" setting, which also refuses local storage,
 * IndexedDB and service workers to embedded pages): the app is not blank, it says that
 * storage is unavailable and what that means, and it writes no errors of its own.
 */
import { expect, test } from './fixtures';
import type { BrowserContext, Frame } from '@playwright/test';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPage, type HostServer } from './embed-host';

let host: HostServer | undefined;
let context: BrowserContext | undefined;
let profile: string | undefined;
test.afterEach(async () => {
	await context?.close();
	await host?.close();
	if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the app in a cross-site iframe with third-party storage blocked is not blank and says storage is unavailable', async ({ playwright, baseURL, browserName }) => {
	test.skip(browserName !== 'chromium', 'the blocking setting is Chromium’s');
	// the app on 127.0.0.1, the embedding page on localhost: two sites, so the app is third-party
	const app = baseURL!.replace('localhost', '127.0.0.1');
	host = await hostPage(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body><h1>A page that embeds FSM Studio</h1><iframe id="studio" title="FSM Studio" src="${app}/" style="width:1200px;height:760px;border:1px solid #999"></iframe></body></html>`);
	// a browser profile with "Block third-party cookies" switched on, as a user would have it
	profile = mkdtempSync(join(tmpdir(), 'fsm-blocked-'));
	mkdirSync(join(profile, 'Default'));
	writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 1, block_third_party_cookies: true } }));
	const launch = test.info().project.use.launchOptions ?? {};
	context = await playwright.chromium.launchPersistentContext(profile, { ...launch, viewport: { width: 1280, height: 900 } });
	const problems: string[] = [];
	// the browser's own line for a refused request, and Dexie's (the database library's) note that
	// it retries an open Chrome refused — neither comes from FSM Studio's code
	const notOurs = [/^Failed to load resource/, /^Dexie: Workaround for Chrome UnknownError on open\(\)$/];
	context.on('console', (m) => {
		if ((m.type() === 'error' || m.type() === 'warning') && !notOurs.some((r) => r.test(m.text()))) problems.push(`${m.type()}: ${m.text()}`);
	});
	context.on('weberror', (e) => problems.push(`uncaught: ${e.error().message}`));
	const page = context.pages()[0] ?? (await context.newPage());
	await page.goto(host.url);

	const frame = page.frameLocator('#studio');
	// the storage really is refused in there (this is what the test is about)
	const appFrame = await (async () => {
		for (let i = 0; i < 100; i++) {
			const f = page.frames().find((x) => x.url().startsWith(app));
			if (f) return f as Frame;
			await page.waitForTimeout(100);
		}
		throw new Error('the iframe never loaded the app');
	})();
	const refused = await appFrame.evaluate(() => {
		try {
			return window.localStorage ? 'allowed' : 'missing';
		} catch (e) {
			return (e as Error).name;
		}
	});
	expect(refused).toBe('SecurityError');

	// not blank: the home page with its navigation, templates and examples
	await expect(frame.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
	await expect(frame.getByRole('link', { name: 'Knowledge' })).toBeVisible();
	await expect(frame.getByText('Support ticket triage')).toBeVisible();
	// and it says, once, that nothing is kept, and what to do
	const notice = frame.getByTestId('storage-refused');
	await expect(notice).toBeVisible();
	await expect(notice).toContainText('Storage is unavailable: nothing you make here is kept.');
	await expect(notice).toContainText('blocked third-party storage in an embedded page');
	await expect(notice.getByRole('link', { name: 'Open FSM Studio in its own tab' })).toHaveAttribute('target', '_blank');
	// no raw storage errors shown instead
	await expect(frame.locator('.toast')).toHaveCount(0);
	await expect(frame.getByText('Loading…')).toHaveCount(0);

	// trying to make a workflow says why it cannot, in the user's words
	await frame.getByTestId('new-workflow').click();
	await expect(frame.locator('.toast')).toContainText('Could not create the workflow: This browser refuses storage to this page');
	await frame.locator('.toast').getByRole('button', { name: 'Dismiss' }).click();

	// the notice can be dismissed
	await notice.getByRole('button', { name: 'Dismiss this notice' }).click();
	await expect(notice).toHaveCount(0);

	// a designer link opens the designer on a scratch workflow, and its checks finish
	await appFrame.goto(`${app}/w/shared-link`);
	await expect(frame.locator('.svelte-flow__node[data-id="start"]')).toBeVisible();
	await expect(frame.getByText('Not saved')).toBeVisible();
	await expect(frame.getByText('Checking the workflow…')).toHaveCount(0);
	await expect(frame.getByText('State "start" is not final but has no transition out of it')).toBeVisible();
	expect(problems, 'the app wrote errors or warnings to the console').toEqual([]);
});

test('the designer in a frame sandboxed without allow-same-origin opens; the Run panel says why runs cannot start', async ({ page, baseURL }) => {
	// sandbox="allow-scripts" only: the app runs with an opaque origin — no storage, no workers
	const app = baseURL!.replace('localhost', '127.0.0.1');
	host = await hostPage(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body><h1>A page that embeds FSM Studio</h1><iframe id="studio" sandbox="allow-scripts" title="FSM Studio" src="${app}/w/shared-link" style="width:1200px;height:760px;border:1px solid #999"></iframe></body></html>`);
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(host.url);
	const frame = page.frameLocator('#studio');
	// the designer, not a blank page: the canvas with a scratch workflow, and its Properties
	await expect(frame.locator('.svelte-flow__node[data-id="start"]')).toBeVisible();
	await expect(frame.getByLabel('Name', { exact: true })).toHaveValue('Scratch workflow (not saved)');
	await expect(frame.getByText('Not saved')).toBeVisible();
	await expect(frame.getByTestId('storage-refused')).toContainText('nothing you make here is kept');
	// the checks run (nothing here waits on storage)
	await expect(frame.getByText('State "start" is not final but has no transition out of it')).toBeVisible();
	// editing works: a new state from the library, undone
	await frame.getByRole('button', { name: 'State', exact: true }).click();
	await expect(frame.locator('.svelte-flow__node')).toHaveCount(2);
	await frame.getByRole('button', { name: 'Undo' }).click();
	await expect(frame.locator('.svelte-flow__node')).toHaveCount(1);
	// the Run panel says why runs cannot start here and what to do
	await frame.getByRole('tab', { name: 'Run' }).click();
	const why = frame.getByTestId('sim-unavailable');
	await expect(why).toContainText('Runs cannot start here: this page is in a sandboxed frame');
	await expect(why).toContainText('allow-same-origin');
	await expect(why.getByRole('link', { name: 'Open FSM Studio in its own tab' })).toHaveAttribute('target', '_blank');
	await page.screenshot({ path: test.info().outputPath('sandboxed-designer.png') });
	// (the console guard fails the test on any uncaught error or error line of the app's)
});
