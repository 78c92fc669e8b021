/**
 * Effect handlers of the AI layer (call_llm, embed_text, vector_search, rag,
 * coordinate_agents), registered with a workspace's executor by the instance host.
 * Implementations are loaded on first use so that no page pays for them up front.
 */
import type { EffectHandler } from '../effects/types';
import type { ChatService } from './llm/chat';
import { runInfoOf } from './run-info';
import type { RunBudget } from './usage/budget';
import { createKnowledgeHandlers } from './retrieval/handlers';

export { withRunInfo, runInfoOf, type RunInfo } from './run-info';

let agentsModule: Promise<typeof import('./agents/handler')> | undefined;

/** What the AI handlers need from the host that registers them. */
export interface AiHandlerEnv {
	/** Workspace whose providers, keys, knowledge bases and usage records are used. */
	workspaceId: string;
	/** Tests and benchmarks: a chat service of their own (default: the app's, over the AI database). */
	chatService?: ChatService;
}

/** Handlers by effect type; kinds missing here keep failing with "No provider configured". */
export function createAiHandlers(env: AiHandlerEnv): Record<string, EffectHandler<never>> {
	// One budget tracker per run; the first call of a run adds what earlier sessions spent.
	const budgets = new Map<string, Promise<RunBudget>>();
	const budgetFor = async (instanceId: string, limits: { maxCostUsd?: number; maxTokens?: number }) => {
		let b = budgets.get(instanceId);
		if (!b) {
			b = (async () => {
				const { RunBudget } = await import('./usage/budget');
				const budget = new RunBudget(limits);
				const { spentByInstance } = await import('./usage/totals');
				const spent = await spentByInstance(instanceId).catch(() => ({ costUsd: 0, tokens: 0 }));
				budget.costUsd = spent.costUsd;
				budget.tokens = spent.tokens;
				return budget;
			})();
			budgets.set(instanceId, b);
			if (budgets.size > 500) budgets.delete(budgets.keys().next().value as string);
		}
		return b;
	};
	const callLlm = async (params: Record<string, unknown>, ctx: Parameters<EffectHandler>[1]) => {
		const [{ runCallLlm }, { chat }] = await Promise.all([import('./llm/call-llm'), import('./llm/chat')]);
		const run = runInfoOf(ctx.scope);
		const limits = run?.budget;
		const budget = limits && (limits.maxCostUsd !== undefined || limits.maxTokens !== undefined) ? await budgetFor(run.instanceId, limits) : undefined;
		return runCallLlm(params as never, ctx, { workspaceId: env.workspaceId, service: env.chatService ?? { chat }, run, budget });
	};
	const coordinateAgents = async (params: Record<string, unknown>, ctx: Parameters<EffectHandler>[1]) => (await (agentsModule ??= import('./agents/handler'))).coordinateAgents(params as never, ctx, env, budgetFor);
	return { call_llm: callLlm as EffectHandler<never>, coordinate_agents: coordinateAgents as EffectHandler<never>, ...createKnowledgeHandlers(env) };
}
