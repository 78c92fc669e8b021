/**
 * What an MCP tool returns, as the Run panel shows it: an image drawn, audio as a player, a
 * resource link as a link and an embedded resource's text — not base64 inside JSON. Against a
 * real MCP server (the official SDK's, over Streamable HTTP on another origin).
 */
import { expect, test } from './fixtures';
import { startTestServer, type TestServer } from '../tests/mcp/fixtures/mcp-test-server';
import { workflowJson } from './designer-helpers';
import { addMcpServer, expectConnected } from './mcp-helpers';

const servers: TestServer[] = [];
test.afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});

const workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'mcp-results-e2e',
	name: 'Sales chart',
	initial: 'idle',
	context: {},
	states: {
		idle: { on: { DRAW: 'draw' } },
		draw: { invoke: { type: 'call_tool', server: 'Test tools', tool: 'chart', arguments: { title: 'Sales', attachments: true }, assignTo: 'chart' }, onDone: 'done', onError: 'failed' },
		done: { type: 'final' },
		failed: { type: 'final' }
	}
};

test('a tool answering an image, audio and resources: the Run panel draws, plays and links them', async ({ page }) => {
	test.setTimeout(120_000);
	const srv = await startTestServer();
	servers.push(srv);
	const form = await addMcpServer(page, { name: 'Test tools', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	await expectConnected(page, 'Test tools', 6);

	await page.goto('/open');
	await page.getByTestId('paste-box').fill(JSON.stringify(workflow, null, 2));
	await page.getByRole('button', { name: 'Show preview' }).click();
	await page.getByTestId('create-from-link').click();
	await page.waitForURL(/\/w\/[^/]+$/);
	const id = (await workflowJson(page)).id as string;
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();
	await page.getByTestId('sim-send-DRAW').click();
	await expect(page.getByTestId('sim-value')).toHaveText('done', { timeout: 20_000 });
	expect(srv.calls.at(-1)).toEqual({ tool: 'chart', args: { title: 'Sales', attachments: true } });

	const ctx = page.getByTestId('sim-context');
	await expect(ctx).toContainText('Chart: Sales');
	// the image is drawn (decoded by the browser at its real size), not printed as base64
	const img = ctx.getByTestId('tool-result-image');
	await expect(img).toBeVisible();
	await expect(img).toHaveAttribute('alt', /Image from the tool.*image\/png/);
	await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(24);
	await expect(ctx).toContainText('image · image/png');
	await expect(ctx).not.toContainText('iVBORw0KGgo');
	// the audio is a player the browser can decode (0.2 s)
	const audio = ctx.getByTestId('tool-result-audio');
	await expect(audio).toBeVisible();
	await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => (Number.isFinite(el.duration) ? Math.round(el.duration * 10) / 10 : -1)), { timeout: 10_000 }).toBe(0.2);
	await expect(ctx).not.toContainText('UklGR');
	// the raw data is one click away
	await ctx.getByRole('button', { name: 'Show data' }).first().click();
	await expect(ctx).toContainText('iVBORw0KGgo');
	// the resource link opens the address; the embedded resource shows its text
	const resources = ctx.getByTestId('tool-result-resource');
	await expect(resources).toHaveCount(2);
	const link = resources.first().getByRole('link', { name: 'Sales report' });
	await expect(link).toHaveAttribute('href', 'https://example.com/reports/sales.csv');
	await expect(link).toHaveAttribute('rel', /noopener/);
	await expect(resources.nth(1)).toContainText('test://data/sales');
	await expect(resources.nth(1).getByRole('link')).toHaveCount(0);
	await ctx.getByText(/^Contents/).click();
	await expect(ctx.locator('pre')).toContainText('Jan,10');
	await page.setViewportSize({ width: 1440, height: 900 });
	await page.screenshot({ path: 'test-results/mcp-results-1440.png' });
	// on a phone the panels are a sheet over the canvas: open it, the Run tab still draws the image
	await page.setViewportSize({ width: 390, height: 844 });
	await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Properties' }).click();
	const sheet = page.getByRole('complementary', { name: 'Properties' });
	await sheet.getByRole('tab', { name: 'Run', exact: true }).click();
	const phoneImg = sheet.getByTestId('sim-context').getByTestId('tool-result-image');
	await phoneImg.scrollIntoViewIfNeeded();
	await expect(phoneImg).toBeVisible();
	await page.screenshot({ path: 'test-results/mcp-results-390.png' });
});
