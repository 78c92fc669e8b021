/**
 * The `coordinate_agents` handler (loaded on first use by src/lib/ai/handlers.ts): resolves
 * the agents, checks their tools, runs the strategy, updates the agents' memory, and turns
 * what went wrong into an effect error the workflow can route on.
 */
import { EffectError } from '../../effects/errors';
import type { EffectContext } from '../../effects/types';
import type { ChatService, ChatTarget } from '../llm/chat';
import { runInfoOf } from '../run-info';
import type { BudgetLimits, RunBudget } from '../usage/budget';
import { Coordination, toEffectError, type CoordinationEnv } from './coordination';
import type { McpServerConfig } from '../../mcp/types';
import { resolveMcpTools } from './mcp-tools';
import { checkSettings, resolveAgents, type ResolveDeps } from './resolve';
import { createDbMemoryStore, getAgent, type MemoryStore } from './store';
import { runConsensus } from './strategies/consensus';
import { runDebate } from './strategies/debate';
import { runHierarchical } from './strategies/hierarchical';
import { runParallel } from './strategies/parallel';
import { runSequential } from './strategies/sequential';
import type { CoordinateAgentsParams, CoordinationResult, CoordinationStrategy } from './types';

const strategies: Record<CoordinationStrategy, (co: Coordination) => Promise<CoordinationResult>> = {
	sequential: runSequential,
	parallel: runParallel,
	consensus: runConsensus,
	debate: runDebate,
	hierarchical: runHierarchical
};

/** Everything a coordination may be given; the app's defaults fill what is missing. */
export interface AgentsEnv {
	workspaceId: string;
	chatService?: ChatService;
	memory?: MemoryStore;
	loadAgent?: ResolveDeps['loadAgent'];
	defaultTarget?: ResolveDeps['defaultTarget'];
	embed?: CoordinationEnv['embed'];
	flushMs?: number;
	/** The MCP servers of Settings (for agents' `mcp:` tools); default: the MCP store, read on first need. */
	listMcpServers?: () => Promise<McpServerConfig[]>;
}

let dbMemory: MemoryStore | undefined;

async function appEmbed(target: ChatTarget, texts: string[], signal: AbortSignal): Promise<Float32Array[]> {
	const [{ providerConfig }, { createRemoteEmbedder }] = await Promise.all([import('../settings/providers'), import('../embeddings/remote')]);
	const { config, info } = await providerConfig(target.provider);
	const embedder = createRemoteEmbedder({ kind: 'remote', provider: info.id, model: target.model ?? info.defaultModel ?? '' }, { ...config, name: info.name });
	return embedder.embed(texts, signal);
}

async function appDefaultTarget(workspaceId: string): Promise<ChatTarget | undefined> {
	const { getWorkspaceDefault } = await import('../settings/providers');
	const d = await getWorkspaceDefault(workspaceId).catch(() => undefined);
	return d ? { provider: d.providerId, ...(d.model ? { model: d.model } : {}) } : undefined;
}

/** Runs one `coordinate_agents` effect. `budgetFor` gives the run's budget tracker (shared with call_llm). */
export async function coordinateAgents(
	params: CoordinateAgentsParams,
	ctx: EffectContext,
	env: AgentsEnv,
	budgetFor?: (instanceId: string, limits: BudgetLimits) => Promise<RunBudget>
): Promise<CoordinationResult> {
	const run = runInfoOf(ctx.scope);
	const limits = run?.budget;
	const budget = run && budgetFor && limits && (limits.maxCostUsd !== undefined || limits.maxTokens !== undefined) ? await budgetFor(run.instanceId, limits) : undefined;
	const service = env.chatService ?? { chat: (await import('../llm/chat')).chat };
	let co: Coordination | undefined;
	try {
		checkSettings(params);
		const agents = await resolveAgents(params, {
			loadAgent: env.loadAgent ?? ((id) => getAgent(id)),
			resolveText: (t) => {
				const v = ctx.resolve(t);
				return typeof v === 'string' ? v : JSON.stringify(v);
			},
			defaultTarget: env.defaultTarget ?? (() => appDefaultTarget(env.workspaceId))
		});
		const mcpTools = await resolveMcpTools(
			agents,
			(params.tools ?? []).map((t) => t.name),
			env.listMcpServers ?? (async () => (await import('../../mcp/store')).listServers())
		);
		const strategy = strategies[params.strategy];
		if (!strategy) throw new EffectError('invalid_params', `Unknown strategy "${String(params.strategy)}"; use sequential, parallel, consensus, debate or hierarchical.`);
		co = new Coordination(ctx, params, agents, {
			workspaceId: env.workspaceId,
			service,
			...(run ? { run } : {}),
			...(budget ? { budget } : {}),
			memory: env.memory ?? (dbMemory ??= createDbMemoryStore()),
			embed: env.embed ?? appEmbed,
			mcpTools,
			...(env.flushMs !== undefined ? { flushMs: env.flushMs } : {})
		});
		// A tool an agent names but the effect lacks is a mistake in the workflow: say so before any call.
		for (const a of agents) co.toolsFor(a);
		const result = await strategy(co);
		await co.remember();
		return result;
	} catch (e) {
		throw toEffectError(e);
	} finally {
		co?.dispose();
	}
}
