/**
 * Effect handlers of the AI layer (call_llm, embed_text, vector_search, rag,
 * coordinate_agents), registered with a workspace's executor by the instance host.
 * Implementations are loaded on first use so that no page pays for them up front.
 */
import type { EffectHandler } from '../effects/types';

/** What the AI handlers need from the host that registers them. */
export interface AiHandlerEnv {
	/** Workspace whose providers, keys, knowledge bases and usage records are used. */
	workspaceId: string;
}

/** Handlers by effect type; kinds missing here keep failing with "No provider configured". */
export function createAiHandlers(env: AiHandlerEnv): Record<string, EffectHandler<never>> {
	void env;
	return {};
}
