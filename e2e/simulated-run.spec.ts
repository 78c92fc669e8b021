import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// The designer simulates by default: a workflow whose first step DELETEs something on a real
// server (served by this test) runs to its end in the Run panel without a single request
// reaching that server, and its event log says first that the run was simulated.

let server: Server;
let base = '';
const requests: string[] = [];

test.beforeAll(async () => {
	server = createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		res.setHeader('access-control-allow-origin', '*');
		res.setHeader('access-control-allow-methods', '*');
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"deleted":true}');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

function workflow() {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'cleanup',
		name: 'Nightly cleanup',
		initial: 'deleting',
		context: {},
		states: {
			deleting: {
				invoke: { type: 'http', method: 'DELETE', url: `${base}/customers/42`, assignTo: 'deleted' },
				onDone: 'summarising',
				onError: 'failed'
			},
			summarising: { invoke: { type: 'call_llm', prompt: 'Summarise what was deleted', assignTo: 'summary' }, onDone: 'done', onError: 'failed' },
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	};
}

async function openInRunPanel(page: Page) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow(), null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('sim-run-panel')).toBeVisible();
}

test('a simulated run never sends the DELETE, answers the model, and says so in its log', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	await openInRunPanel(page);
	await page.getByTestId('sim-start').click();
	await expect(page.getByTestId('sim-value')).toHaveText('done');
	await expect(page.getByTestId('sim-context')).toContainText('Simulated answer');
	expect(requests).toEqual([]);
	await page.getByRole('tab', { name: 'Event log' }).click();
	await page.getByTestId('sim-log-search').fill('runMode');
	await expect(page.getByTestId('sim-log-row')).toHaveCount(1);
	await expect(page.getByTestId('sim-log-row')).toHaveAttribute('data-position', '1');
	await expect(page.getByTestId('sim-log-row')).toContainText('Simulated run: HTTP, model, retrieval and tool effects are answered');
	expect(errors).toEqual([]);
});
