/**
 * Effect handlers of the MCP layer (call_tool), registered with a workspace's executor by
 * the instance host. The MCP client (the SDK) is loaded on the first tool call.
 */
import type { EffectHandler } from '../effects/types';
import type { CallToolParams } from './call-tool';

/** What the MCP handlers need from the host that registers them. */
export interface McpHandlerEnv {
	/** Workspace whose MCP server settings and tokens are used (servers are per browser today). */
	workspaceId: string;
}

/** Handlers by effect type; kinds missing here keep failing with "No provider configured". */
export function createMcpHandlers(env: McpHandlerEnv): Record<string, EffectHandler<never>> {
	void env;
	const call_tool: EffectHandler<CallToolParams> = async (params, ctx) => {
		const { runCallTool } = await import('./call-tool');
		return runCallTool(params, ctx);
	};
	return { call_tool: call_tool as EffectHandler<never> };
}
