/**
 * The plan and estimate of a `coordinate_agents` effect as the property panel shows it: the
 * effect as written is checked, its agents resolved against the workspace, and each agent's
 * model priced from the same table the chat service charges with.
 */
import { coordinate_agents } from '../../effects/kinds/coordinate_agents';
import type { EffectSpec } from '../../model/types';
import { estimateCoordination, type CoordinationEstimate, type Price } from './estimate';
import { checkSettings, resolveAgents } from './resolve';
import { getAgent } from './store';
import type { McpServerConfig } from '../../mcp/types';
import { isMcpToolRef, resolveMcpTools } from './mcp-tools';
import type { CoordinateAgentsParams, ResolvedAgent } from './types';

export interface PlannedAgent {
	name: string;
	role?: string;
	/** "OpenAI · gpt-4o-mini", or what is missing. */
	model: string;
	/** Price per million tokens, when known. */
	price?: Price;
	linked: boolean;
	/** The effect names a workspace agent that is not in this workspace. */
	missing?: boolean;
}

export type CoordinationPlan =
	| {
			ok: true;
			estimate: CoordinationEstimate;
			agents: PlannedAgent[];
			strategy: string;
			/** What would fail the run before any model call (a tool an agent names that is not there). */
			problems: string[];
	  }
	| { ok: false; error: string };

interface ProviderLike {
	id: string;
	name: string;
	kind: 'openai' | 'anthropic' | 'google' | 'openai-compatible' | 'webllm';
	baseUrl?: string;
	defaultModel?: string;
}

export interface PlanDeps {
	providers?: () => Promise<ProviderLike[]>;
	defaultTarget?: () => Promise<{ provider: string; model?: string } | undefined>;
	priceOf?: (q: { providerKind: ProviderLike['kind']; baseUrl?: string; model: string }) => Promise<Price | undefined>;
	loadAgent?: (id: string) => Promise<Awaited<ReturnType<typeof getAgent>>>;
	/** The MCP servers of Settings, for agents' `mcp:` tools (default: the MCP store). */
	listMcpServers?: () => Promise<McpServerConfig[]>;
}

/** Tools the agents name that the run would not find, in the words the run would use. */
async function toolProblems(params: CoordinateAgentsParams, agents: ResolvedAgent[], listMcpServers: () => Promise<McpServerConfig[]>): Promise<string[]> {
	const problems: string[] = [];
	const own = new Set((params.tools ?? []).map((t) => t.name));
	for (const a of agents)
		for (const t of a.tools)
			if (!isMcpToolRef(t) && !own.has(t)) problems.push(`${a.name} may call the tool “${t}”, but this effect has no tool of that name. Add it under Tools, or remove it from the agent.`);
	if (agents.some((a) => a.tools.some(isMcpToolRef))) {
		// one agent at a time, so that each wrong entry is reported
		for (const a of agents) {
			try {
				await resolveMcpTools([a], [...own], listMcpServers);
			} catch (e) {
				problems.push((e as Error).message);
			}
		}
	}
	return problems;
}

/** The plan of an effect as written (templates not evaluated). */
export async function planCoordination(spec: EffectSpec, workspaceId = 'default', deps: PlanDeps = {}): Promise<CoordinationPlan> {
	const parsed = coordinate_agents.schema.safeParse(spec);
	if (!parsed.success) {
		const i = parsed.error.issues[0];
		return { ok: false, error: `Fix the effect first — ${i.path.join('.') || 'effect'}: ${i.message}` };
	}
	const params = parsed.data;
	const settings = await import('../settings/providers');
	const providers = await (deps.providers ?? (() => settings.listProviders()))().catch(() => [] as ProviderLike[]);
	const defaultTarget =
		deps.defaultTarget ??
		(async () => {
			const d = await settings.getWorkspaceDefault(workspaceId).catch(() => undefined);
			if (d) return { provider: d.providerId, ...(d.model ? { model: d.model } : {}) };
			return providers.length === 1 ? { provider: providers[0].id } : undefined;
		});
	let agents: ResolvedAgent[];
	try {
		checkSettings(params);
		agents = await resolveAgents(params, { loadAgent: deps.loadAgent ?? ((id) => getAgent(id)), defaultTarget });
	} catch (e) {
		return { ok: false, error: (e as Error).message };
	}
	const fallback = await defaultTarget();
	const find = (idOrName: string) => providers.find((p) => p.id === idOrName) ?? providers.find((p) => p.name.toLowerCase() === idOrName.toLowerCase());
	const priceOf =
		deps.priceOf ??
		(async (q: { providerKind: ProviderLike['kind']; baseUrl?: string; model: string }) => {
			const { pricesOf } = await import('../usage/prices');
			const overrides = await settings.getPriceOverrides().catch(() => ({}));
			return pricesOf({ ...q, overrides }).catch(() => undefined);
		});
	const planned: PlannedAgent[] = [];
	const prices = new Map<string, Price | undefined>();
	for (const a of agents) {
		const target = a.targets[0] ?? (fallback ? { ...fallback, ...(a.model ? { model: a.model } : {}) } : undefined);
		const provider = target ? find(target.provider) : undefined;
		const model = target?.model ?? provider?.defaultModel;
		let label: string;
		let price: Price | undefined;
		if (!target) label = 'No provider: add one in Settings → Providers';
		else if (!provider) label = `Unknown provider “${target.provider}”`;
		else if (!model) label = `${provider.name} · no model chosen`;
		else {
			label = `${provider.name} · ${model}`;
			price = await priceOf({ providerKind: provider.kind, ...(provider.baseUrl ? { baseUrl: provider.baseUrl } : {}), model });
		}
		prices.set(a.name, price);
		const ref = (params.agents.find((x) => x.name === a.name) as { ref?: string } | undefined)?.ref;
		planned.push({ name: a.name, ...(a.role ? { role: a.role } : {}), model: label, ...(price ? { price } : {}), linked: a.linked, ...(ref && !a.linked ? { missing: true } : {}) });
	}
	const estimate = estimateCoordination(params, agents, { priceOf: (a) => prices.get(a.name), spec: spec as Record<string, unknown> });
	const problems = await toolProblems(params, agents, deps.listMcpServers ?? (async () => (await import('../../mcp/store')).listServers()));
	return { ok: true, estimate, agents: planned, strategy: params.strategy, problems };
}
