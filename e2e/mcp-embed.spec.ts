/**
 * FSM Studio as an MCP server over postMessage: host pages on other origins embed it (an
 * iframe) or open it (a window) and drive it with the official SDK client. FSM Studio asks
 * its user once per origin; a page that is not allowed gets nothing.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { watchConsole } from './llm-helpers';

let script = '';
const hosts: Server[] = [];

/**
 * Serves the host page on its own origin, localhost:<random port>: another origin than FSM
 * Studio's, on the same site. (A cross-site iframe gets no storage at all in today's Chromium
 * — third-party storage is blocked — so FSM Studio supports same-site iframes and windows.)
 */
async function hostServer(): Promise<string> {
	const server = createServer((req, res) => {
		if (req.url?.startsWith('/host.js')) {
			res.writeHead(200, { 'Content-Type': 'text/javascript' });
			return void res.end(script);
		}
		res.writeHead(200, { 'Content-Type': 'text/html' });
		res.end('<!doctype html><title>Host page</title><h1>Host page</h1><script type="module" src="/host.js"></script>');
	});
	await new Promise<void>((r) => server.listen(0, 'localhost', r));
	hosts.push(server);
	return `http://localhost:${(server.address() as { port: number }).port}`;
}

test.beforeAll(async () => {
	const out = await build({
		entryPoints: [join(import.meta.dirname, 'fixtures/mcp-host.ts')],
		bundle: true,
		write: false,
		format: 'esm',
		platform: 'browser',
		target: 'es2022',
		logLevel: 'silent'
	});
	script = out.outputFiles[0].text;
});
test.afterAll(async () => {
	for (const h of hosts) {
		h.closeAllConnections();
		await new Promise((r) => h.close(r));
	}
});

interface HostLog {
	step: string;
	ok: boolean;
	value?: unknown;
	error?: string;
}

async function hostResults(page: Page) {
	await page.waitForFunction(() => window.hostDone === true, undefined, { timeout: 45_000 });
	return page.evaluate(() => ({ log: window.hostLog as HostLog[], fromStudio: window.fromStudio }));
}

function expectAllToolsWorked(log: HostLog[]) {
	const get = (s: string) => log.find((l) => l.step === s);
	expect(log.filter((l) => !l.ok), JSON.stringify(log, null, 2)).toEqual([]);
	expect(get('connect')?.value).toMatchObject({ name: 'fsm-studio' });
	expect(get('tools')?.value).toEqual(expect.arrayContaining(['run_workflow', 'send_event', 'get_snapshot', 'execute_effect_pipeline', 'list_workflows', 'call_llm', 'create_ai_workflow']));
	expect(get('list_workflows')?.value).toHaveProperty('workflows');
	expect(get('run_workflow')?.value).toMatchObject({ status: 'active', value: 'idle', context: { n: 2 } });
	expect(get('send_event')?.value).toMatchObject({ context: { n: 7 } });
	expect(get('get_snapshot')?.value).toMatchObject({ context: { n: 7 }, enabledEvents: expect.arrayContaining(['ADD', 'FINISH']) });
	expect(get('execute_effect_pipeline')?.value).toMatchObject({ ok: true, context: { a: 2, b: 20 } });
	expect(get('bad arguments')?.value).toMatchObject({ isError: true, text: expect.stringContaining('Invalid arguments for tool send_event') });
}

test('embedded in an iframe: FSM Studio asks once, then the page drives its tools; another origin gets nothing', async ({ page, baseURL }) => {
	const con = watchConsole(page);
	const hostA = await hostServer();
	const hostB = await hostServer();

	await page.goto(`${hostA}/?studio=${encodeURIComponent(`${baseURL}/`)}`);
	const studio = page.frameLocator('iframe[title="FSM Studio"]');
	const ask = studio.getByRole('alertdialog');
	await expect(ask).toContainText(`Let ${hostA} use FSM Studio?`, { timeout: 20_000 });
	await ask.getByRole('button', { name: 'Allow' }).click();
	expectAllToolsWorked((await hostResults(page)).log);
	await expect(ask).toBeHidden();

	// another origin: asked, not answered — no ready, no answer to its initialize, nothing at all
	await page.goto(`${hostB}/?wait=3000&studio=${encodeURIComponent(`${baseURL}/`)}`);
	await expect(studio.getByRole('alertdialog')).toContainText(`Let ${hostB} use FSM Studio?`, { timeout: 20_000 });
	const other = await hostResults(page);
	expect(other.log).toEqual([{ step: 'ready', ok: false, error: expect.stringContaining('did not answer') }]);
	expect(other.fromStudio).toEqual([]);
	await studio.getByRole('button', { name: 'Not now' }).click();
	await expect(studio.getByRole('alertdialog')).toBeHidden();

	// Settings (same browser storage) lists the allowed page, and the one that asked
	await page.goto('/settings/mcp');
	await expect(page.getByRole('list', { name: 'Allowed origins' })).toContainText(hostA);
	await expect(page.getByRole('list', { name: 'Pages that asked' })).toContainText(hostB);
	con.check();
});

test('opened in a window: an origin allowed in Settings talks to FSM Studio at once', async ({ page, context, baseURL }) => {
	const con = watchConsole(page);
	const host = await hostServer();
	await page.goto('/settings/mcp');
	await page.getByRole('textbox', { name: 'Origin to allow' }).fill(host);
	await page.getByRole('button', { name: 'Allow', exact: true }).click();
	await expect(page.getByRole('list', { name: 'Allowed origins' })).toContainText(host);

	const hostPage = await context.newPage();
	await hostPage.goto(`${host}/?mode=popup&studio=${encodeURIComponent(`${baseURL}/`)}`);
	const popupP = hostPage.waitForEvent('popup');
	await hostPage.getByRole('button', { name: 'Open FSM Studio' }).click();
	const popup = await popupP;
	const results = await hostResults(hostPage);
	expectAllToolsWorked(results.log);
	await expect(popup.getByRole('alertdialog')).toHaveCount(0);
	con.check();
});
