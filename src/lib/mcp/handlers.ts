/**
 * Effect handlers of the MCP layer (call_tool), registered with a workspace's executor by
 * the instance host. The MCP client is loaded on first use.
 */
import type { EffectHandler } from '../effects/types';

/** What the MCP handlers need from the host that registers them. */
export interface McpHandlerEnv {
	/** Workspace whose MCP server settings and tokens are used. */
	workspaceId: string;
}

/** Handlers by effect type; kinds missing here keep failing with "No provider configured". */
export function createMcpHandlers(env: McpHandlerEnv): Record<string, EffectHandler<never>> {
	void env;
	return {};
}
