import { createAiHandlers } from '../ai/handlers';
import { createMcpHandlers } from '../mcp/handlers';
import { simulatedHandlers, type RunMode } from '../effects/simulated';
import type { EffectHandler } from '../effects/types';
import { withDeclaredKinds } from '../plugins/registry';

export type Handlers = Record<string, EffectHandler<never>>;

/** The real handlers of a workspace: AI providers (call_llm, embed_text, rag …), MCP tools and the effect kinds it declares. */
export function liveHandlers(workspaceId: string): Handlers {
	return withDeclaredKinds({ ...createAiHandlers({ workspaceId }), ...createMcpHandlers({ workspaceId }) }, workspaceId);
}

/**
 * The handlers of a run in `mode`: the real ones when live; when simulated, a simulated
 * answer for every outside kind and for every type the providers register, so nothing of a
 * simulated run reaches the network.
 */
export function handlersFor(mode: RunMode, workspaceId: string, live: Handlers = liveHandlers(workspaceId)): Handlers {
	return mode === 'live' ? live : simulatedHandlers(Object.keys(live));
}
