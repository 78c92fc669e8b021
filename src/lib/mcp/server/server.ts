/**
 * FSM Studio as an MCP server: the official SDK's `McpServer` with the studio tools
 * registered. Used over stdio by the command line and over postMessage in the page.
 */
import { McpServer } from '@modelcontextprotocol/server';
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { StudioHost } from './host';
import { studioTools } from './tools';

export const SERVER_NAME = 'fsm-studio';
export const SERVER_VERSION = '0.1.0';

const INSTRUCTIONS = `FSM Studio runs workflows modelled as state machines.
list_workflows / get_workflow show what exists; run_workflow starts an instance (keep its instanceId), send_event moves it, get_snapshot reads it.
execute_effect_pipeline runs an effect tree (retry, timeout, sequence, http, call_llm, …) without a workflow.
create_ai_workflow designs a workflow from a description.`;

/** A new MCP server exposing FSM Studio's tools on `host`. */
export function createStudioMcpServer(host: StudioHost): McpServer {
	const server = new McpServer({ name: SERVER_NAME, version: SERVER_VERSION }, { instructions: INSTRUCTIONS });
	for (const t of studioTools(host)) {
		server.registerTool(
			t.name,
			{
				title: t.title,
				description: t.description,
				inputSchema: t.input,
				outputSchema: t.output,
				annotations: { title: t.title, readOnlyHint: !!t.readOnly, openWorldHint: !t.readOnly }
			},
			(async (args: unknown, ctx: { mcpReq?: { signal?: AbortSignal } }): Promise<CallToolResult> => {
				const out = await t.run(args as never, ctx?.mcpReq?.signal);
				const structured = out as Record<string, unknown>;
				const isError = t.name === 'execute_effect_pipeline' && structured.ok === false;
				return { content: [{ type: 'text', text: JSON.stringify(out, null, 2) }], structuredContent: structured, ...(isError ? { isError: true } : {}) };
			}) as never
		);
	}
	return server;
}
