/**
 * FSM Studio served from a sub-path (/tools/fsm/) by a plain static server: home, designer,
 * a share link, an offline reload, installability and the embed scripts all work there.
 * The app is built once more with BASE_PATH=/tools/fsm (into build-base/) unless
 * BASE_BUILD_DIR names a build that exists already.
 */
import { chromium } from '@playwright/test';
import { expect, test } from './fixtures';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const BASE = '/tools/fsm';
const root = join(import.meta.dirname, '..');
const dir = process.env.BASE_BUILD_DIR ? join(root, process.env.BASE_BUILD_DIR) : join(root, 'build-base');
const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.webmanifest': 'application/manifest+json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.wasm': 'application/wasm'
};

let server: Server;
let origin = '';

function run(cmd: string, args: string[], env: Record<string, string>) {
	return new Promise<void>((resolve, reject) => {
		const p = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: 'ignore' });
		p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
	});
}

test.beforeAll(async () => {
	test.setTimeout(15 * 60_000);
	if (!process.env.BASE_BUILD_DIR || !existsSync(dir)) {
		const env = { BASE_PATH: BASE, BUILD_DIR: 'build-base', KIT_OUT_DIR: '.svelte-kit-base' };
		const vite = join(root, 'node_modules', '.bin', 'vite');
		await run(vite, ['build'], env);
		await run(vite, ['build', '-c', 'vite.embed.config.ts'], env);
		await run(vite, ['build', '-c', 'vite.embed.config.ts', '--mode', 'viewer'], env);
	}
	// a static host: files under /tools/fsm/, the SPA fallback page for other paths there, 404 elsewhere
	server = createServer((req, res) => {
		const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
		if (!path.startsWith(`${BASE}/`)) {
			res.writeHead(404, { 'Content-Type': 'text/plain' });
			return void res.end('not here');
		}
		let file = normalize(join(dir, path.slice(BASE.length)));
		if (!file.startsWith(dir)) return void res.writeHead(403).end();
		if (!existsSync(file) || statSync(file).isDirectory()) file = existsSync(join(file, 'index.html')) ? join(file, 'index.html') : join(dir, 'index.html');
		res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
		res.end(readFileSync(file));
	});
	await new Promise<void>((r) => server.listen(0, 'localhost', r));
	origin = `http://localhost:${(server.address() as { port: number }).port}`;
});

test.afterAll(async () => {
	server?.closeAllConnections();
	await new Promise((r) => server?.close(r));
});

test('home, designer, share link, offline reload, install and embed scripts from /tools/fsm/', async ({}, testInfo) => {
	test.setTimeout(180_000);
	// a persistent profile: incognito contexts are never installable
	const profile = await mkdtemp(join(tmpdir(), 'fsm-base-'));
	const context = await chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, serviceWorkers: 'allow' });
	const errors: string[] = [];
	context.on('weberror', (e) => errors.push(e.error().message));
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await page.goto(`${origin}${BASE}/`);
		// home: the bundled examples, every link under the sub-path
		const example = page.getByRole('button', { name: /^Smart door/ });
		await expect(example).toBeVisible();
		const hrefs = await page.locator('a[href^="/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
		expect(hrefs.length).toBeGreaterThan(3);
		expect(hrefs.filter((h) => !h.startsWith(`${BASE}/`))).toEqual([]);

		// designer
		await example.click();
		await page.waitForURL(new RegExp(`${BASE}/w/[^/]+$`));
		await expect(page.locator('.svelte-flow__node', { hasText: 'locked' })).toBeVisible();
		const designerUrl = page.url();

		// share link: made under the sub-path, opened there, creates a new workflow
		await page.getByTestId('share-export').click();
		await page.waitForURL(new RegExp(`${BASE}/open/share/`));
		await page.getByRole('button', { name: 'Create link' }).click();
		const link = await page.getByTestId('share-link').inputValue();
		expect(link.startsWith(`${origin}${BASE}/open#z1.`)).toBe(true);
		await page.goto(link);
		await expect(page.getByTestId('preview-name')).toHaveText('Smart door');
		await page.getByTestId('create-from-link').click();
		await page.waitForURL(new RegExp(`${BASE}/w/[^/]+$`));
		expect(page.url()).not.toBe(designerUrl);

		// the service worker controls pages under the sub-path (its scope), and the app installs
		await page.evaluate(() => navigator.serviceWorker.ready);
		const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
		expect(scope).toBe(`${origin}${BASE}/`);
		await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 }).catch(async () => {
			await page.reload();
			await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
		});
		const cdp = await context.newCDPSession(page);
		const manifest = await cdp.send('Page.getAppManifest');
		expect(manifest.errors).toEqual([]);
		expect(manifest.url).toBe(`${origin}${BASE}/manifest.webmanifest`);
		const parsed = JSON.parse(manifest.data!);
		expect(new URL(parsed.start_url, manifest.url).href).toBe(`${origin}${BASE}/`);
		expect(new URL(parsed.file_handlers[0].action, manifest.url).pathname).toBe(`${BASE}/open/file`);
		await expect.poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, { timeout: 20_000 }).toEqual([]);

		// the embed scripts are served under the sub-path too
		const viewer = await page.evaluate(async (u) => (await fetch(u)).status, `${origin}${BASE}/embed/fsm-viewer.js`);
		expect(viewer).toBe(200);

		// offline: a reload of the designer and of home still works
		await page.waitForTimeout(1500); // precache finishes before activation; let runtime caching settle
		await context.setOffline(true);
		await page.goto(designerUrl);
		await expect(page.locator('.svelte-flow__node', { hasText: 'locked' })).toBeVisible();
		await page.goto(`${origin}${BASE}/`);
		await expect(page.getByTestId('workflow-card').first()).toBeVisible();
		await context.setOffline(false);
		expect(errors).toEqual([]);
	} finally {
		await context.close();
		await rm(profile, { recursive: true, force: true });
	}
});
