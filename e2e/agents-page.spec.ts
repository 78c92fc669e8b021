import { test, expect } from './fixtures';
import { startTestServer, type TestServer } from '../tests/mcp/fixtures/mcp-test-server';
import { addMcpServer, expectConnected } from './mcp-helpers';

// The Agents page as a newcomer meets it: an empty state that says what to do, a template to
// start from, a form that says what to fix, edits that survive a reload, duplicate, and a
// delete that can be undone — on a desktop and on a phone.

test('agents page: start from a template, fix what the form says, edit, duplicate, delete and undo, survive a reload', async ({ page }) => {
	await page.goto('/agents');
	await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();
	await page.getByRole('button', { name: /Critic/ }).click();
	const form = page.getByRole('form', { name: 'New agent' });
	await expect(form.getByLabel('Name', { exact: true })).toHaveValue('Critic');
	await form.getByLabel(/^Temperature/).fill('3');
	await form.getByLabel(/^Tools it may call/).fill('search, bad name!');
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(form.getByText('Temperature goes from 0 (focused) to 2 (most varied).')).toBeVisible();
	await expect(form.getByText(/“bad name!” is not a tool name/)).toBeVisible();
	await expect(form.getByLabel(/^Temperature/)).toBeFocused();
	await form.getByLabel(/^Temperature/).fill('0.2');
	await form.getByLabel(/^Tools it may call/).fill('search');
	await form.getByLabel('The last messages').check();
	await form.getByLabel('How many messages').fill('6');
	await form.getByRole('button', { name: 'Save' }).click();
	const list = page.getByRole('list', { name: 'Agents of this workspace' });
	const critic = list.getByRole('listitem', { name: 'Critic', exact: true });
	await expect(critic).toContainText('temperature 0.2');
	await expect(critic).toContainText('remembers the last 6 messages · tools: search');

	// A second agent with the same name is refused, in words.
	await page.getByRole('button', { name: 'New agent' }).click();
	await page.getByRole('form', { name: 'New agent' }).getByLabel('Name', { exact: true }).fill('critic');
	await page.getByRole('form', { name: 'New agent' }).getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('There is already an agent called “critic”.', { exact: false })).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByRole('form', { name: 'New agent' })).toHaveCount(0);

	// Edit, then reload: the change is kept.
	await page.getByRole('button', { name: 'Edit Critic' }).click();
	await page.getByRole('form', { name: 'Edit Critic' }).getByLabel(/^Role/).fill('finds the weakest point first');
	await page.getByRole('form', { name: 'Edit Critic' }).getByRole('button', { name: 'Save' }).click();
	await page.reload();
	await expect(list.getByRole('listitem', { name: 'Critic', exact: true })).toContainText('finds the weakest point first');

	// Duplicate, delete, undo.
	await page.getByRole('button', { name: 'Duplicate Critic' }).click();
	await expect(list.getByRole('listitem', { name: 'Critic (copy)' })).toBeVisible();
	await page.getByRole('button', { name: 'Delete Critic (copy)' }).click();
	await expect(list.getByRole('listitem', { name: 'Critic (copy)' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Undo' }).click();
	await expect(list.getByRole('listitem', { name: 'Critic (copy)' })).toBeVisible();

	// The app's navigation leads here.
	await page.goto('/');
	await page.getByRole('link', { name: 'Agents' }).first().click();
	await expect(page).toHaveURL(/\/agents$/);
	await expect(list.getByRole('listitem')).toHaveCount(2);
});

test('an agent may call the tools of a connected MCP server', async ({ page }) => {
	let srv: TestServer | undefined;
	try {
		srv = await startTestServer();
		const form = await addMcpServer(page, { name: 'Test tools', url: srv.url });
		await form.getByRole('button', { name: 'Save and connect' }).click();
		await expectConnected(page, 'Test tools', 6);

		await page.goto('/agents');
		await page.getByRole('button', { name: /Researcher/ }).click();
		const agent = page.getByRole('form', { name: 'New agent' });
		const servers = agent.getByRole('group', { name: 'MCP servers' });
		await servers.getByRole('button', { name: /Test tools \(6 tools\)/ }).click();
		await expect(agent.getByLabel(/^Tools it may call/)).toHaveValue('mcp:Test tools');
		await expect(servers.getByRole('button', { name: /Test tools/ })).toBeDisabled();
		await agent.getByLabel(/^Tools it may call/).fill('mcp:Test tools, mcp:Test tools/not a tool');
		await agent.getByRole('button', { name: 'Save' }).click();
		await expect(agent.getByText('“not a tool” is not an MCP tool name', { exact: false })).toBeVisible();
		await agent.getByLabel(/^Tools it may call/).fill('mcp:Test tools, mcp:Test tools/add');
		await agent.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('list', { name: 'Agents of this workspace' }).getByRole('listitem', { name: 'Researcher' })).toContainText('tools: mcp:Test tools, mcp:Test tools/add');
	} finally {
		await srv?.close();
	}
});

test.describe('on a phone', () => {
	test.use({ viewport: { width: 390, height: 844 } });
	test('the agents page and its form fit a phone', async ({ page }) => {
		await page.goto('/agents');
		await page.getByRole('button', { name: /Researcher/ }).click();
		await page.getByRole('form', { name: 'New agent' }).getByRole('button', { name: 'Save' }).click();
		await expect(page.getByRole('list', { name: 'Agents of this workspace' }).getByRole('listitem', { name: 'Researcher' })).toBeVisible();
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});
});
