/**
 * Agents calling MCP tools: `mcp:<server>` (every tool) or `mcp:<server>/<tool>` in an agent's
 * tools; the (mock) model asks for a tool, a call_tool effect calls the real local MCP server,
 * the model gets the result. Mistakes are reported before any model call.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExecutor } from '$lib/effects';
import { createAiHandlers } from '$lib/ai/handlers';
import { createMcpHandlers } from '$lib/mcp/handlers';
import { McpDb, setMcpDb, saveServer } from '$lib/mcp/store';
import { closeConnections, refreshCatalog } from '$lib/mcp/client';
import { blankAgent, saveAgent, validateAgent } from '$lib/ai/agents/store';
import { parseMcpToolRef } from '$lib/ai/agents/mcp-tools';
import { startTestServer, type TestServer } from '../../mcp/fixtures/mcp-test-server';
import { makeScope, progressOf, sentMessages, setup } from './helpers';

let mcp: TestServer;
beforeAll(async () => {
	mcp = await startTestServer();
});
afterAll(async () => {
	await closeConnections();
	await mcp.close();
});
beforeEach(() => {
	setMcpDb(new McpDb({ name: `mcp-agents-${Math.random().toString(36).slice(2)}` }));
});

async function withMcp(rules: Parameters<typeof setup>[0]) {
	const env = await setup(rules);
	const executor = createExecutor({ handlers: { ...createAiHandlers({ workspaceId: 'default', chatService: env.service }), ...createMcpHandlers({ workspaceId: 'default' }) } });
	return { ...env, executor };
}

async function calculator(name = 'Calculator') {
	const server = await saveServer({ name, url: mcp.url, auth: { kind: 'none' } });
	await refreshCatalog(server.id);
	return server;
}

async function failure(p: Promise<unknown>): Promise<Error> {
	try {
		await p;
	} catch (e) {
		return e as Error;
	}
	throw new Error('expected a failure');
}

describe('agents: MCP tools', () => {
	it('parses mcp: entries', () => {
		expect(parseMcpToolRef('mcp:Calculator')).toEqual({ server: 'Calculator' });
		expect(parseMcpToolRef('mcp:My tools/add')).toEqual({ server: 'My tools', tool: 'add' });
		expect(parseMcpToolRef('weather')).toBeUndefined();
	});

	it('the Agents page accepts mcp:<server> and mcp:<server>/<tool>, and says what is wrong otherwise', () => {
		expect(validateAgent({ ...blankAgent(), name: 'a', tools: ['weather', 'mcp:My tools', 'mcp:Calculator/add'] }).ok).toBe(true);
		expect(validateAgent({ ...blankAgent(), name: 'a', tools: ['mcp:'] })).toMatchObject({ ok: false, errors: { tools: expect.stringMatching(/names no server: write mcp:<server>/) } });
		expect(validateAgent({ ...blankAgent(), name: 'a', tools: ['mcp:Calculator/bad tool!'] })).toMatchObject({ ok: false, errors: { tools: expect.stringMatching(/“bad tool!” is not an MCP tool name/) } });
	});

	it('a workspace agent calls one tool of an MCP server and answers with its result', async () => {
		const { s, executor } = await withMcp([
			{ match: '/"role":"tool"/', reply: { text: 'The sum is 42.' } },
			{ match: 'You are Accountant', reply: { toolCalls: [{ name: 'add', arguments: { a: 40, b: 2 } }] } }
		]);
		await calculator();
		const saved = await saveAgent({ ...blankAgent(), name: 'Accountant', role: 'adds numbers', tools: ['mcp:calculator/add'] });
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 'What is 40 + 2?', agents: [{ name: 'Accountant', ref: saved.id }] }, h.scope)) as any;
		expect(r.output).toBe('The sum is 42.');
		expect(mcp.calls.at(-1)).toEqual({ tool: 'add', args: { a: 40, b: 2 } });
		const reqs = await s.requests();
		const offered = (reqs[0].body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
		expect(offered).toEqual(['add']);
		expect((await sentMessages(s))[1].at(-1)).toMatchObject({ role: 'tool', content: JSON.stringify({ sum: 42 }) });
		expect(progressOf(h, 'tool')[0]).toMatchObject({ name: 'add', arguments: { a: 40, b: 2 }, output: { sum: 42 }, agent: 'Accountant' });
		// The MCP call is a span under the coordination, as any tool effect.
		expect(h.trace()).toContain('end coordinate_agents/tool:add:call_tool');
	});

	it('mcp:<server> offers every tool of the server; a name the effect already uses is made unique', async () => {
		const { s, executor } = await withMcp([
			{ match: '/"role":"tool"/', reply: { text: 'Done.' } },
			{ match: 'You are Ann', reply: { toolCalls: [{ name: 'add_2', arguments: { a: 1, b: 2 } }] } }
		]);
		await calculator();
		const r = (await executor.run(
			{
				type: 'coordinate_agents',
				strategy: 'sequential',
				task: 'Add 1 and 2.',
				tools: [{ name: 'add', effect: { type: 'transform', expr: '"not this one"' } }],
				agents: [{ name: 'Ann', tools: ['add', 'mcp:Calculator'] }]
			},
			makeScope().scope
		)) as any;
		expect(r.output).toBe('Done.');
		const offered = ((await s.requests())[0].body as { tools: { function: { name: string } }[] }).tools.map((t) => t.function.name);
		expect(offered.sort()).toEqual(['add', 'add_2', 'chart', 'echo', 'fail', 'slow', 'weather']);
		expect(mcp.calls.at(-1)).toEqual({ tool: 'add', args: { a: 1, b: 2 } });
		expect((await sentMessages(s))[1].at(-1)).toMatchObject({ role: 'tool', content: JSON.stringify({ sum: 3 }) });
	});

	it('a failing MCP tool goes back to the model as an error, and the agent still answers', async () => {
		const { s, executor } = await withMcp([
			{ match: '/"role":"tool"/', reply: { text: 'The tool failed, sorry.' } },
			{ match: 'You are Ann', reply: { toolCalls: [{ name: 'fail', arguments: {} }] } }
		]);
		await calculator();
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 'Try it.', agents: [{ name: 'Ann', tools: ['mcp:Calculator/fail'] }] }, h.scope)) as any;
		expect(r.output).toBe('The tool failed, sorry.');
		const tool = progressOf(h, 'tool')[0];
		expect(tool.error).toBeTruthy();
		expect(JSON.parse((await sentMessages(s))[1].at(-1)!.content as string)).toHaveProperty('error');
	});

	it('an unknown server or tool, a server switched off or never connected: said before any model call', async () => {
		const { s, executor } = await withMcp([]);
		const server = await calculator();
		await saveServer({ name: 'Fresh', url: mcp.url, auth: { kind: 'none' } });
		const run = (tools: string[]) => failure(executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 't', agents: [{ name: 'Ann', tools }] }, makeScope().scope));
		expect((await run(['mcp:Nope'])).message).toMatch(/Ann may call the tools of the MCP server “Nope”, but there is no server of that name\. The servers are “Calculator”, “Fresh”/);
		expect((await run(['mcp:Calculator/subtract'])).message).toMatch(/“Calculator” has no tool of that name \(it has add, weather, echo, chart, fail, slow\)\. Refresh its tools/);
		expect((await run(['mcp:Fresh'])).message).toMatch(/whose tools are not known yet\. Connect to it once in Settings → MCP servers/);
		await saveServer({ id: server.id, name: 'Calculator', url: mcp.url, auth: { kind: 'none' }, enabled: false });
		expect((await run(['mcp:Calculator/add'])).message).toMatch(/“Calculator”, which is switched off/);
		expect(await s.requests()).toHaveLength(0);
	});
});
