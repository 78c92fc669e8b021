/**
 * call_llm's tool loop using an MCP tool: the (mock) model asks for `add`, the call_tool
 * effect calls the real MCP server, the model gets the result and answers.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { createAiHandlers } from '../../src/lib/ai/handlers';
import { createChatService } from '../../src/lib/ai';
import { saveProvider, setWorkspaceDefault } from '../../src/lib/ai/settings/providers';
import { AiDb, setAiDb } from '../../src/lib/store/ai-db';
import { McpDb, setMcpDb, saveServer, getServer } from '../../src/lib/mcp/store';
import { closeConnections, refreshCatalog } from '../../src/lib/mcp/client';
import { createMcpHandlers } from '../../src/lib/mcp/handlers';
import { llmToolName, llmToolsFor } from '../../src/lib/mcp/llm-tools';
import { mockSession } from '../mocks/client';
import { makeScope } from '../effects/helpers';
import { startTestServer, type TestServer } from './fixtures/mcp-test-server';

let mcp: TestServer;
beforeAll(async () => {
	mcp = await startTestServer();
});
afterAll(async () => {
	await closeConnections();
	await mcp.close();
});

let s: ReturnType<typeof mockSession>;
beforeEach(async () => {
	const ai = new AiDb({ name: `ai-${Math.random().toString(36).slice(2)}` });
	setAiDb(ai);
	setMcpDb(new McpDb({ name: `mcp-${Math.random().toString(36).slice(2)}` }));
	s = mockSession(inject('mockLlmUrl'));
	await saveProvider({ id: 'oa', name: 'OpenAI', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-test', defaultModel: 'gpt-4o-mini' }, ai);
	await setWorkspaceDefault('default', { providerId: 'oa' }, ai);
});

describe('call_llm with MCP tools', () => {
	it('the model calls an MCP tool through call_tool and answers with its result', async () => {
		const server = await saveServer({ name: 'Calculator', url: mcp.url, auth: { kind: 'none' } });
		await refreshCatalog(server.id);
		const tools = llmToolsFor((await getServer(server.id))!, ['add']);
		expect(tools).toEqual([
			{
				name: 'add',
				description: 'Add numbers: Adds two numbers and returns the sum',
				parameters: expect.objectContaining({ type: 'object', required: ['a', 'b'] }),
				effect: { type: 'call_tool', server: 'Calculator', tool: 'add', arguments: '{{ results.args }}' }
			}
		]);
		await s.script([
			{ match: '42', reply: { text: 'The sum is 42.' } },
			{ reply: { toolCalls: [{ name: 'add', arguments: { a: 40, b: 2 } }] } }
		]);
		const service = createChatService({ sleep: async () => {}, recordUsage: () => {} });
		const executor = createExecutor({ handlers: { ...createAiHandlers({ workspaceId: 'default', chatService: service }), ...createMcpHandlers({ workspaceId: 'default' }) } });
		const h = makeScope();
		const answer = await executor.run({ type: 'call_llm', prompt: 'What is 40 + 2? Use the tool.', tools }, h.scope);
		expect(answer).toBe('The sum is 42.');
		expect(mcp.calls.at(-1)).toEqual({ tool: 'add', args: { a: 40, b: 2 } });
		const reqs = await s.requests();
		const first = reqs[0].body as { tools: { function: { name: string; parameters: { properties: Record<string, unknown> } } }[] };
		expect(first.tools[0].function.name).toBe('add');
		expect(Object.keys(first.tools[0].function.parameters.properties)).toEqual(['a', 'b']);
		const second = (reqs[1].body as { messages: Record<string, unknown>[] }).messages;
		expect(second.at(-1)).toMatchObject({ role: 'tool', content: JSON.stringify({ sum: 42 }) });
		expect(h.trace()).toContain('end call_llm/tool:add:call_tool');
	});

	it('makes tool names the model APIs accept', () => {
		const taken = new Set<string>();
		expect(llmToolName('files.read', taken)).toBe('files_read');
		expect(llmToolName('files/read', taken)).toBe('files_read_2');
		expect(llmToolName('x'.repeat(80), taken)).toHaveLength(64);
	});
});
