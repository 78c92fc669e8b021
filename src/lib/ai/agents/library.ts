/**
 * The node library's "Agents" group: each workspace agent, and ready-made teams of them (a
 * debate, a consensus, a pipeline, a fan-out, a supervisor), dropped onto a state as a
 * `coordinate_agents` effect. Structural types: the designer's registry takes them as they are.
 */
import type { EffectSpec } from '../../model/types';
import { listAgents } from './store';
import type { AgentDefinition } from './types';

/** An agent as a `coordinate_agents` entry: linked to the workspace agent, with a copy for other browsers. */
export function agentEntry(a: AgentDefinition): Record<string, unknown> {
	return {
		ref: a.id,
		name: a.name,
		...(a.role ? { role: a.role } : {}),
		...(a.system ? { system: a.system } : {}),
		...(a.provider ? { provider: a.provider } : {}),
		...(a.model ? { model: a.model } : {}),
		...(a.fallback.length ? { fallback: a.fallback } : {}),
		...(a.temperature !== undefined ? { temperature: a.temperature } : {}),
		...(a.maxTokens !== undefined ? { maxTokens: a.maxTokens } : {}),
		...(a.tools.length ? { tools: a.tools } : {}),
		...(a.memory.type !== 'none' ? { memory: a.memory } : {})
	};
}

const TASK = '{{ event.text }}';

/** Whether an agent looks like a judge (by name or role), for team templates. */
const isJudge = (a: AgentDefinition) => /\bjudge\b|\breferee\b|\barbiter\b/i.test(`${a.name} ${a.role ?? ''}`);
const isLead = (a: AgentDefinition) => /\bplanner\b|\bsupervisor\b|\blead\b|\bmanager\b|\bdelegat/i.test(`${a.name} ${a.role ?? ''}`);

/** Ready-made teams from the workspace's agents (at most 5 of them). */
export function teamSpecs(all: AgentDefinition[]): { id: string; label: string; description: string; spec: EffectSpec }[] {
	if (all.length < 2) return [];
	const pool = all.slice(0, 5);
	const judge = pool.find(isJudge);
	const debaters = pool.filter((a) => a !== judge);
	const names = (list: AgentDefinition[]) => list.map((a) => a.name).join(', ');
	const out: { id: string; label: string; description: string; spec: EffectSpec }[] = [];
	if (debaters.length >= 2) {
		out.push({
			id: 'team:debate',
			label: `Debate (${debaters.length} × 2 rounds)`,
			description: `${names(debaters)} debate for 2 rounds, seeing each other's answers; ${judge ? `${judge.name} judges` : 'decided by majority vote'}.`,
			spec: { type: 'coordinate_agents', strategy: 'debate', task: TASK, rounds: 2, agents: [...debaters, ...(judge ? [judge] : [])].map(agentEntry), ...(judge ? { judge: judge.name, decision: 'judge' } : {}) }
		});
		out.push({
			id: 'team:consensus',
			label: `Consensus (${debaters.length} agents)`,
			description: `${names(debaters)} answer on their own; ${judge ? `${judge.name} picks the best` : 'the largest group of similar answers wins'}, with the agreement recorded.`,
			spec: { type: 'coordinate_agents', strategy: 'consensus', task: TASK, agents: [...debaters, ...(judge ? [judge] : [])].map(agentEntry), ...(judge ? { judge: judge.name, decision: 'judge' } : { decision: 'cluster' }) }
		});
	}
	out.push({
		id: 'team:sequential',
		label: `Pipeline (${pool.length} agents)`,
		description: `${names(pool)} in turn, each working on the previous one's output.`,
		spec: { type: 'coordinate_agents', strategy: 'sequential', task: TASK, agents: pool.map(agentEntry) }
	});
	out.push({
		id: 'team:parallel',
		label: `Parallel (${pool.length} agents)`,
		description: `${names(pool)} work at the same time; their answers are joined.`,
		spec: { type: 'coordinate_agents', strategy: 'parallel', task: TASK, agents: pool.map(agentEntry) }
	});
	const lead = pool.find(isLead) ?? debaters[0] ?? pool[0];
	out.push({
		id: 'team:hierarchical',
		label: `Supervisor: ${lead.name}`,
		description: `${lead.name} delegates subtasks to ${names(pool.filter((a) => a !== lead))} and answers with their results.`,
		spec: { type: 'coordinate_agents', strategy: 'hierarchical', task: TASK, supervisor: lead.name, agents: [lead, ...pool.filter((a) => a !== lead)].map(agentEntry) }
	});
	return out;
}

/** Entries of the node library's Agents group. */
export async function agentLibraryItems(workspaceId = 'default') {
	const agents = await listAgents(workspaceId);
	return [
		...agents.map((a) => ({
			id: `agent:${a.id}`,
			label: a.name,
			description: `${a.role ? `${a.role}. ` : ''}Drop onto a state to let it work on the state's task (add more agents in the property panel).`,
			icon: 'sparkles' as const,
			tone: 'ai' as const,
			drop: { kind: 'effect' as const, spec: { type: 'coordinate_agents', strategy: 'sequential', task: TASK, agents: [agentEntry(a)] } as EffectSpec }
		})),
		...teamSpecs(agents).map((t) => ({ id: t.id, label: t.label, description: t.description, icon: 'layers' as const, tone: 'ai' as const, drop: { kind: 'effect' as const, spec: t.spec } }))
	];
}
