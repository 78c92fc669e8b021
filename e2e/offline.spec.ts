import { chromium, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The app as an offline PWA: once the service worker controls the page, the shell, deep links,
// the run worker and IndexedDB all work with the network off. Needs a build (`vite preview`):
// the service worker does not cache in dev.

/** Waits until the service worker controls the page and has finished precaching. */
async function waitForServiceWorker(page: Page) {
	const controlled = () => page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
	await page.evaluate(() => navigator.serviceWorker.ready);
	try {
		await controlled();
	} catch {
		await page.reload(); // clients.claim() normally makes this unnecessary
		await controlled();
	}
	// `activate` (and so control) only follows a complete precache, which holds the shell.
	const shell = await page.evaluate(async () => {
		const names = (await caches.keys()).filter((n) => n.startsWith('fsm-studio-') && n !== 'fsm-studio-runtime');
		if (names.length !== 1) return `caches: ${names.join(', ')}`;
		const res = await (await caches.open(names[0])).match('/');
		return res ? await res.text() : 'no shell';
	});
	expect(shell).toContain('/_app/immutable/entry/');
}

/** True when a fetch that no cache can answer still reaches the network. */
const networkReachable = (page: Page) =>
	page.evaluate(() => fetch(`/favicon.svg?probe=${Math.random()}`).then(
		() => true,
		() => false
	));

test('offline: shell, deep links, the run worker and IndexedDB edits work without the network', async ({ page, context }) => {
	await page.goto('/');
	await waitForServiceWorker(page);

	// Online: a workflow from an example.
	await page.getByRole('button', { name: /^Smart door/ }).click();
	await page.waitForURL(/\/w\/[0-9a-f]+$/);
	const id = new URL(page.url()).pathname.split('/').pop()!;
	await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
	await page.getByRole('link', { name: 'All workflows' }).click();
	await expect(page.getByTestId('workflow-card')).toHaveCount(1);

	await context.setOffline(true);
	expect(await networkReachable(page)).toBe(false);

	// The home page, answered by the service worker, still lists the workflow.
	const home = await page.reload();
	expect(home?.fromServiceWorker()).toBe(true);
	await expect(page.getByRole('heading', { name: 'Your workflows' })).toBeVisible();
	const card = page.getByTestId('workflow-card');
	await expect(card).toHaveCount(1);
	await expect(card).toContainText('Smart door');
	await expect(card).toContainText('3 states');

	// A deep link that was never loaded as a page: the cached shell routes it.
	const deep = await page.goto(`/w/${id}`);
	expect(deep?.fromServiceWorker()).toBe(true);
	await expect(page.locator('.svelte-flow__node')).toHaveCount(3);
	await expect(page.getByLabel('Workflow name')).toHaveValue('Smart door');

	// An edit made offline persists across an offline reload.
	await page.goto('/');
	await card.hover();
	await card.getByRole('button', { name: 'Rename Smart door' }).click();
	await page.getByLabel('New name').fill('Offline door');
	await page.getByLabel('New name').press('Enter');
	await expect(card).toContainText('Offline door');
	await page.reload();
	await expect(card).toHaveCount(1);
	await expect(card).toContainText('Offline door');
	await page.goto(`/w/${id}`);
	await expect(page.getByLabel('Workflow name')).toHaveValue('Offline door');
	await expect(page.locator('.svelte-flow__node')).toHaveCount(3);

	// The run page: its engine runs in a module worker, loaded from the cache.
	await page.goto('/run/smart-door');
	await expect(page.getByRole('heading', { name: 'Smart door' })).toBeVisible();
	await expect(page.getByTestId('current-state')).toHaveText('closed');
	await page.getByRole('button', { name: 'Send LOCK' }).click();
	await expect(page.getByTestId('current-state')).toHaveText('locked');

	// Still offline all along.
	expect(await networkReachable(page)).toBe(false);
	await context.setOffline(false);
	expect(await networkReachable(page)).toBe(true);
});

test('the web app manifest is served, parseable and complete, with PNG icons of the declared sizes', async ({ page, request }) => {
	await page.goto('/');
	const href = await page.locator('link[rel="manifest"]').getAttribute('href');
	expect(href).toBeTruthy();
	const manifestUrl = new URL(href!, page.url());
	const res = await request.get(manifestUrl.pathname);
	expect(res.ok()).toBe(true);
	const manifest = JSON.parse(await res.text());
	expect(manifest.name).toBe('FSM Studio');
	expect(manifest.short_name).toBeTruthy();
	// relative to the manifest, so the app installs from a sub-path too
	expect(new URL(manifest.start_url, manifestUrl).pathname).toBe('/');
	expect(manifest.display).toBe('standalone');
	expect(manifest.icons.length).toBeGreaterThan(0);

	// Every icon is served with the declared type, PNGs with the declared pixel size.
	const sizes: string[] = [];
	for (const icon of manifest.icons as { src: string; sizes: string; type: string; purpose?: string }[]) {
		const r = await request.get(new URL(icon.src, manifestUrl).pathname);
		expect(r.ok(), icon.src).toBe(true);
		expect(r.headers()['content-type'], icon.src).toContain(icon.type);
		if (icon.type === 'image/png') {
			const png = await r.body();
			expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
			const size = `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
			expect(size, icon.src).toBe(icon.sizes);
			if ((icon.purpose ?? 'any').split(' ').includes('any')) sizes.push(size);
		}
	}
	expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));

});

test('Chromium finds the app installable (manifest without errors, service worker in control)', async ({ baseURL }, testInfo) => {
	// Playwright's usual contexts are incognito, where nothing is installable; a persistent
	// profile is not.
	const profile = await mkdtemp(join(tmpdir(), 'fsm-pwa-'));
	const context = await chromium.launchPersistentContext(profile, {
		...testInfo.project.use.launchOptions,
		baseURL,
		serviceWorkers: 'allow'
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto('/');
		await waitForServiceWorker(page);
		const cdp = await context.newCDPSession(page);
		const { errors } = await cdp.send('Page.getAppManifest');
		expect(errors).toEqual([]);
		const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
		expect(installabilityErrors).toEqual([]);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
});
