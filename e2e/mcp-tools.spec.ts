/**
 * MCP tools in a workflow, against a real MCP server started here (the official SDK's server
 * over Streamable HTTP on another origin, with CORS): add the server in Settings, find its
 * tools in the node library, drop one on a state, fill its form (generated from the tool's
 * input schema), run the workflow live in the Run panel and see the result in context. The
 * tool is called from the simulator's worker: its preflights ask only for the headers the
 * docs tell server owners to allow.
 */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { startTestServer, type TestServer } from '../tests/mcp/fixtures/mcp-test-server';
import { dragFromLibrary, stateNode, workflowJson } from './designer-helpers';
import { addMcpServer, expectConnected } from './mcp-helpers';

const servers: TestServer[] = [];
test.afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});

function workflow(invoke?: Record<string, unknown>) {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'mcp-tools-e2e',
		name: 'Weather desk',
		initial: 'idle',
		context: {},
		states: {
			idle: { on: { LOOKUP: 'lookup' } },
			lookup: { ...(invoke ? { invoke } : {}), onDone: 'done', onError: 'failed' },
			done: { type: 'final' },
			failed: { type: 'final' }
		},
		layout: { idle: { x: 40, y: 120 }, lookup: { x: 300, y: 120 }, done: { x: 560, y: 60 }, failed: { x: 560, y: 200 } }
	};
}

/** Opens the workflow in the designer, with live runs (the Run panel remembers the mode per workflow). */
async function openWorkflow(page: Page, invoke?: Record<string, unknown>) {
	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow(invoke), null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	await expect(page.locator('.svelte-flow')).toBeVisible();
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
}

test('a tool from the node library, its form from the input schema, a live run with the result in context', async ({ page }) => {
	test.setTimeout(120_000);
	const srv = await startTestServer();
	servers.push(srv);
	const form = await addMcpServer(page, { name: 'Test tools', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	await expectConnected(page, 'Test tools', 6);

	await openWorkflow(page);
	const group = page.getByTestId('lib-source-mcp');
	await expect(group).toHaveText('MCP tools');
	const weather = page.locator('[data-testid^="lib-mcp-"][data-testid$=":weather"]');
	await expect(weather).toBeVisible({ timeout: 15_000 });
	await expect(page.locator('[data-testid^="lib-mcp-"][data-testid$=":*llm"]')).toContainText('Ask a model with Test tools’s tools');
	const testId = (await weather.getAttribute('data-testid'))!;
	await dragFromLibrary(page, testId, 0, 0, stateNode(page, 'lookup'));
	await expect(stateNode(page, 'lookup').locator('.chip')).toContainText('call_tool');

	// the property panel: the tool picked, a form from its input schema, checks in words
	await stateNode(page, 'lookup').click();
	const effect = page.locator('.props .effect').filter({ hasText: 'Call tool' });
	await effect.getByRole('button', { name: /^Call tool/ }).click();
	await expect(effect.getByRole('combobox', { name: 'Tool' })).toHaveValue(/\u001fweather$/);
	await expect(effect).toContainText('Weather forecast for a city');
	await expect(effect.getByRole('alert')).toContainText('Required by the tool: fill this in.');
	await effect.getByLabel(/^City/).fill('Oslo');
	await effect.getByLabel(/^City/).press('Tab');
	await expect(effect.getByRole('alert')).toHaveCount(0);
	await effect.getByLabel(/^Unit/).selectOption('fahrenheit');
	// a number field takes a template instead of a value
	await effect.getByRole('button', { name: 'Use a template for days' }).click();
	await expect(effect.getByLabel(/^Days/)).toHaveValue('{{ event.days }}');
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.screenshot({ path: 'test-results/mcp-tools-form-1440.png' });

	const wf = await workflowJson(page);
	expect(wf.states.lookup.invoke).toEqual({
		type: 'call_tool',
		server: 'Test tools',
		tool: 'weather',
		arguments: { city: 'Oslo', unit: 'fahrenheit', days: '{{ event.days }}', details: false },
		assignTo: 'weather'
	});

	// a live run: the tool is called from the simulator's worker, its answer lands in context
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.getByTestId('sim-payload-toggle-LOOKUP').click();
	await page.getByTestId('sim-payload-LOOKUP').fill('{ "days": 2 }');
	await page.getByTestId('sim-send-LOOKUP').click();
	await expect(page.getByTestId('sim-value')).toHaveText('done', { timeout: 20_000 });
	await expect(page.getByTestId('sim-context')).toContainText('Oslo');
	await expect(page.getByTestId('sim-context')).toContainText('fahrenheit');
	expect(srv.calls.at(-1)?.tool).toBe('weather');
	// the template gave the event's number, as a number
	expect(srv.calls.at(-1)?.args).toEqual({ city: 'Oslo', unit: 'fahrenheit', days: 2, details: false });
	await page.screenshot({ path: 'test-results/mcp-tools-run-1440.png' });

	// what the browser asked the server to allow: nothing beyond the documented headers
	const allowed = new Set(['content-type', 'accept', 'authorization', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);
	const asked = srv.requests.filter((r) => r.method === 'OPTIONS').flatMap((r) => String(r.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean));
	expect(asked.length).toBeGreaterThan(0);
	expect([...new Set(asked)].filter((h) => !allowed.has(h))).toEqual([]);
});

test('a tool that reports an error: the run takes onError and the Effects tab says what the tool said', async ({ page }) => {
	test.setTimeout(120_000);
	const srv = await startTestServer();
	servers.push(srv);
	const form = await addMcpServer(page, { name: 'Test tools', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	await expectConnected(page, 'Test tools', 6);

	await openWorkflow(page);
	const fail = page.locator('[data-testid^="lib-mcp-"][data-testid$=":fail"]');
	await expect(fail).toBeVisible({ timeout: 15_000 });
	await dragFromLibrary(page, (await fail.getAttribute('data-testid'))!, 0, 0, stateNode(page, 'lookup'));
	await stateNode(page, 'lookup').click();
	const effect = page.locator('.props .effect').filter({ hasText: 'Call tool' });
	await effect.getByRole('button', { name: /^Call tool/ }).click();
	await expect(effect).toContainText('This tool takes no arguments.');

	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.getByTestId('sim-send-LOOKUP').click();
	await expect(page.getByTestId('sim-value')).toHaveText('failed', { timeout: 20_000 });
	await page.getByRole('tab', { name: 'Effects', exact: true }).click();
	await expect(page.getByTestId('sim-span-error').first()).toContainText('The database is read-only');
	expect(srv.calls.at(-1)?.tool).toBe('fail');
});

test('an OAuth server signed in from Settings: the run in the worker uses the sealed tokens and refreshes an expired one', async ({ page }) => {
	test.setTimeout(180_000);
	// access tokens live 4 s: by the time the run calls the tool, the one from the sign-in has expired
	const srv = await startTestServer({ auth: 'oauth', accessTokenTtl: 4 });
	servers.push(srv);
	const form = await addMcpServer(page, { name: 'Secured', url: srv.url, auth: 'OAuth sign-in' });
	const popupP = page.waitForEvent('popup');
	await form.getByRole('button', { name: 'Save and sign in' }).click();
	const popup = await popupP;
	const closed = popup.waitForEvent('close');
	await popup.getByRole('button', { name: 'Allow' }).click();
	await closed;
	await expectConnected(page, 'Secured', 6);

	await openWorkflow(page, { type: 'call_tool', server: 'Secured', tool: 'add', arguments: { a: 2, b: '{{ event.b }}' }, assignTo: 'sum' });
	await page.waitForTimeout(4_500); // the access token expires
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.getByTestId('sim-payload-toggle-LOOKUP').click();
	await page.getByTestId('sim-payload-LOOKUP').fill('{ "b": 40 }');
	// (the page itself never connected since the sign-in: the library reads stored catalogs)
	const grants = srv.oauthLog.filter((l) => l.startsWith('token ')).length;
	const registrations = srv.oauthLog.filter((l) => l.startsWith('register')).length;
	await page.getByTestId('sim-send-LOOKUP').click();
	await expect(page.getByTestId('sim-value')).toHaveText('done', { timeout: 20_000 });
	await expect(page.getByTestId('sim-context')).toContainText('42');
	expect(srv.calls.at(-1)).toEqual({ tool: 'add', args: { a: 2, b: 40 } });
	// refreshed with the stored refresh token: no new registration, no new sign-in
	const after = srv.oauthLog.filter((l) => l.startsWith('token ')).slice(grants);
	expect(after).toContain('token refresh_token');
	expect(after).not.toContain('token authorization_code');
	expect(srv.oauthLog.filter((l) => l.startsWith('register')).length).toBe(registrations);
	// and the tool call carried a bearer token (the server refuses calls without one)
	const posts = srv.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/mcp'));
	expect(posts.at(-1)?.headers.authorization).toMatch(/^Bearer \S+/);
});
