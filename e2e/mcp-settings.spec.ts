/**
 * Settings → MCP servers against real MCP servers started here (the official SDK's server
 * over Streamable HTTP on another origin): connect and browse, CORS problems explained,
 * a wrong token, and an OAuth 2.1 sign-in through PKCE in a popup.
 */
import { expect, test } from './fixtures';
import { startTestServer, type TestServer } from '../tests/mcp/fixtures/mcp-test-server';
import { watchConsole } from './llm-helpers';
import { addMcpServer, expectConnected, serverCard } from './mcp-helpers';

const servers: TestServer[] = [];
test.afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});
async function server(o: Parameters<typeof startTestServer>[0] = {}) {
	const s = await startTestServer(o);
	servers.push(s);
	return s;
}

test('add a server, see its tools, open a resource and try a prompt', async ({ page }) => {
	const con = watchConsole(page);
	const srv = await server();
	const form = await addMcpServer(page, { name: 'Test tools', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	await expectConnected(page, 'Test tools', 6);
	const card = serverCard(page, 'Test tools');
	await expect(card.getByText('Streamable HTTP')).toBeVisible();
	await expect(card.getByText('The server says: Tools for FSM Studio tests.')).toBeVisible();
	await expect(card.getByText('Adds two numbers and returns the sum')).toBeVisible();
	await expect(card.getByText('(city, unit?, days?, details?)')).toBeVisible();

	await card.getByRole('tab', { name: /Resources/ }).click();
	await card.getByRole('button', { name: 'Open Read me' }).click();
	await expect(card.getByRole('region', { name: 'Read me' })).toContainText('Use **add** to add numbers.');

	await card.getByRole('tab', { name: /Prompts/ }).click();
	await card.getByRole('button', { name: 'Try it' }).click();
	await card.getByLabel(/^text/).fill('A very long story');
	await card.getByRole('button', { name: 'Get prompt' }).click();
	await expect(card.getByRole('region', { name: 'Summarise a text' })).toContainText('Summarise in 20 words:');

	// it survives a reload (stored in this browser)
	await page.reload();
	await expectConnected(page, 'Test tools', 6);
	con.check();
});

test('a server without CORS headers is explained, with the headers to add', async ({ page }) => {
	const con = watchConsole(page);
	const srv = await server({ cors: 'none' });
	const form = await addMcpServer(page, { name: 'No CORS', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	const problem = serverCard(page, 'No CORS').getByRole('alert');
	await expect(problem).toHaveAttribute('data-problem', 'cors', { timeout: 20_000 });
	await expect(problem).toContainText(`is running, but its CORS headers do not allow requests from ${new URL(page.url()).origin}`);
	await expect(problem).toContainText('Access-Control-Allow-Headers: Content-Type, Accept, Authorization, Mcp-Session-Id');
	await expect(problem).toContainText('Access-Control-Expose-Headers: Mcp-Session-Id');
	con.check();
});

test('a server that does not expose Mcp-Session-Id is explained', async ({ page }) => {
	const con = watchConsole(page);
	const srv = await server({ cors: 'no-expose' });
	const form = await addMcpServer(page, { name: 'Hidden session', url: srv.url });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	const problem = serverCard(page, 'Hidden session').getByRole('alert');
	await expect(problem).toHaveAttribute('data-problem', 'cors_session_id', { timeout: 20_000 });
	await expect(problem).toContainText('its CORS headers do not expose the Mcp-Session-Id header');
	await expect(problem).toContainText('Add Mcp-Session-Id to Access-Control-Expose-Headers');
	con.check();
});

test('a wrong bearer token gets a 401 explanation; the right one connects', async ({ page }) => {
	const con = watchConsole(page);
	const srv = await server({ auth: 'bearer', token: 'good-token' });
	const form = await addMcpServer(page, { name: 'Guarded', url: srv.url, auth: 'Bearer token', token: 'bad-token' });
	await form.getByRole('button', { name: 'Save and connect' }).click();
	const problem = serverCard(page, 'Guarded').getByRole('alert');
	await expect(problem).toHaveAttribute('data-problem', 'unauthorized', { timeout: 20_000 });
	await expect(problem).toContainText('refused the credentials (401 Unauthorized)');
	await serverCard(page, 'Guarded').getByRole('button', { name: 'Edit Guarded' }).click();
	const edit = page.getByRole('form', { name: 'Edit Guarded' });
	await edit.getByRole('textbox', { name: /Token/ }).fill('good-token');
	await edit.getByRole('button', { name: 'Save and connect' }).click();
	await expectConnected(page, 'Guarded', 6);
	con.check();
});

test('OAuth: sign in through PKCE in a popup, then the tools are listed', async ({ page }) => {
	const con = watchConsole(page);
	const srv = await server({ auth: 'oauth' });
	const form = await addMcpServer(page, { name: 'Secured', url: srv.url, auth: 'OAuth sign-in' });
	const popupP = page.waitForEvent('popup');
	await form.getByRole('button', { name: 'Save and sign in' }).click();
	const popup = await popupP;
	await expect(popup.getByRole('heading', { name: 'Allow FSM Studio to use test-tools?' })).toBeVisible({ timeout: 20_000 });
	const closed = popup.waitForEvent('close');
	await popup.getByRole('button', { name: 'Allow' }).click();
	await closed;
	await expectConnected(page, 'Secured', 6);
	expect(srv.oauthLog[0]).toBe('register FSM Studio');
	expect(srv.oauthLog).toContain('token authorization_code');
	const card = serverCard(page, 'Secured');
	await expect(card.getByText('OAuth, signed in')).toBeVisible();
	await card.getByRole('button', { name: 'Sign out' }).click();
	await expect(card.getByRole('button', { name: 'Sign in to Secured' })).toBeVisible();
	con.check();
});
