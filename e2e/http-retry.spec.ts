import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A workflow whose `http` invoke is wrapped in retry + timeout, run in the designer's Run
// panel (the simulator runs the real effects executor in its worker, with real fetch) against
// a flaky endpoint this test serves on 127.0.0.1 — another origin than the app, so the
// responses carry Access-Control-Allow-Origin, except /nocors, which the browser blocks.

let server: Server;
let base = '';
const calls = new Map<string, number>();

test.beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url!, 'http://127.0.0.1');
		// The page (another origin) may read the answer — except from /nocors.
		if (url.pathname !== '/nocors') res.setHeader('access-control-allow-origin', '*');
		const key = url.searchParams.get('key') ?? '';
		const n = (calls.get(key) ?? 0) + 1;
		calls.set(key, n);
		if (n <= Number(url.searchParams.get('failures') ?? 0)) {
			res.writeHead(503, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: 'busy' }));
		} else {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ answer: 42, attempt: n }));
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

function workflow(query: string, path = '/flaky') {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'http-retry',
		name: 'HTTP with retry',
		initial: 'loading',
		context: {},
		states: {
			loading: {
				invoke: {
					type: 'retry',
					maxAttempts: 4,
					backoff: { initialMs: 300, factor: 2, jitter: 'none' },
					effect: { type: 'timeout', ms: 5000, effect: { type: 'http', url: `${base}${path}?${query}`, resultPath: 'body.answer', assignTo: 'answer' } }
				},
				onDone: 'loaded',
				onError: 'failed'
			},
			loaded: { type: 'final' },
			failed: { type: 'final' }
		}
	};
}

/** Pastes the workflow on /open, creates it and opens the designer's Run panel. */
async function openInRunPanel(page: Page, wf: object) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(wf, null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await expect(page.getByTestId('preview-name')).toHaveText('HTTP with retry');
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	// These requests are meant to be real: run this workflow live (the designer simulates by default).
	const id = new URL(page.url()).pathname.split('/').pop()!;
	await page.evaluate((key) => localStorage.setItem(key, 'live'), `fsm-sim:run-mode:${id}`);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

/** Starts an instance and lets virtual time follow the wall clock, so backoff waits pass while the requests are real. */
async function startInRealTime(page: Page) {
	await page.getByTestId('sim-start').click();
	const realtime = page.getByTestId('sim-realtime');
	if (!(await realtime.isChecked())) await realtime.check();
}

const value = (page: Page) => page.getByTestId('sim-value');

test('the retries show in the event log and the instance ends loaded', async ({ page }) => {
	await openInRunPanel(page, workflow('failures=2&key=ok'));
	await startInRealTime(page);
	await expect(value(page)).toHaveText('loaded', { timeout: 15_000 });
	expect(calls.get('ok')).toBe(3);
	await expect(page.getByTestId('sim-context')).toContainText('42');
	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.getByTestId('sim-log-search').fill('"phase":"retry"');
	await expect(page.getByTestId('sim-log-row')).toHaveCount(2);
	await expect(page.getByTestId('sim-log-row').first()).toContainText('retry retry: HTTP 503');
	await page.getByRole('tab', { name: 'Effects' }).click();
	const retry = page.getByTestId('sim-timeline').locator('[data-testid="sim-span"][data-type="retry"]');
	await expect(retry).toHaveAttribute('data-status', 'ok');
	await expect(retry.getByTestId('sim-retries')).toHaveText('2 retries');
});

test('an endpoint that keeps failing ends in the failed state after the last attempt', async ({ page }) => {
	await openInRunPanel(page, workflow('failures=99&key=down'));
	await startInRealTime(page);
	await expect(value(page)).toHaveText('failed', { timeout: 15_000 });
	expect(calls.get('down')).toBe(4);
	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.getByTestId('sim-log-search').fill('"phase":"retry"');
	await expect(page.getByTestId('sim-log-row')).toHaveCount(3);
	await page.getByRole('tab', { name: 'Effects' }).click();
	const retry = page.getByTestId('sim-timeline').locator('[data-testid="sim-span"][data-type="retry"]');
	await expect(retry).toHaveAttribute('data-status', 'error');
	await expect(retry.getByTestId('sim-retries')).toHaveText('3 retries');
});

test('a request the browser blocks (no CORS header) fails with a message that says how to fix it', async ({ page }) => {
	await openInRunPanel(page, workflow('key=cors', '/nocors'));
	await startInRealTime(page);
	// A blocked request is a network error: retried, then the instance fails.
	await expect(value(page)).toHaveText('failed', { timeout: 15_000 });
	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.getByTestId('sim-log-search').fill('allow this origin with Access-Control-Allow-Origin');
	await expect(page.getByTestId('sim-log-row').first()).toContainText(`The request to ${base} was blocked or failed (CORS or network).`);
});
