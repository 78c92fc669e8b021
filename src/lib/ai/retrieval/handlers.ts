/**
 * The knowledge effects (embed_text, vector_search, rag) as handlers for `createAiHandlers`.
 * Nothing of retrieval is loaded until one of them runs.
 */
import type { EffectContext, EffectHandler } from '../../effects/types';
import type { ChatService } from '../llm/chat';

export interface KnowledgeHandlerEnv {
	workspaceId: string;
	/** The chat service `rag` answers through (tests); default: the `call_llm` handler as a child effect. */
	chatService?: ChatService;
}

/** Handlers by effect type; `knowledge.compress` is the internal step of `rag` (its own span). */
export function createKnowledgeHandlers(env: KnowledgeHandlerEnv): Record<string, EffectHandler<never>> {
	const lazy =
		(name: 'embedText' | 'vectorSearch' | 'rag' | 'compress'): EffectHandler<never> =>
		async (params: never, ctx: EffectContext) => {
			const m = await import('./effects');
			return m[name](params as never, ctx, env);
		};
	return {
		embed_text: lazy('embedText'),
		vector_search: lazy('vectorSearch'),
		rag: lazy('rag'),
		'knowledge.compress': lazy('compress')
	};
}
