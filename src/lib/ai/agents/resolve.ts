/**
 * The agents of one effect, ready to run: a workspace agent (`ref`) is read from the Agents
 * page's store (its saved definition wins; the copy in the effect is used where the agent is
 * not found, e.g. in another browser), defaults are applied, and names the effect refers to
 * (judge, synthesizer, supervisor, workers) are checked.
 */
import { EffectError } from '../../effects/errors';
import type { ChatTarget } from '../llm/chat';
import type { AgentDefinition, AgentSpec, CoordinateAgentsParams, ResolvedAgent } from './types';

export interface ResolveDeps {
	/** Reads a workspace agent by id. */
	loadAgent?: (id: string) => Promise<AgentDefinition | undefined>;
	/** Resolves `{{ }}` templates in a saved agent's prompts (the effect's own were resolved by the executor). */
	resolveText?: (text: string) => string;
	/** The workspace's default provider, put first in the chain of an agent that names only fallbacks. */
	defaultTarget?: () => Promise<ChatTarget | undefined>;
}

function chain(primary: { provider?: string; model?: string }, fallback: ChatTarget[]): ChatTarget[] {
	const out: ChatTarget[] = [];
	if (primary.provider) out.push({ provider: primary.provider, ...(primary.model ? { model: primary.model } : {}) });
	for (const f of fallback) if (f.provider) out.push({ provider: f.provider, ...(f.model ? { model: f.model } : {}) });
	return out;
}

/** Resolves every agent of the effect (in order) and checks the names it refers to. */
export async function resolveAgents(params: CoordinateAgentsParams, deps: ResolveDeps = {}): Promise<ResolvedAgent[]> {
	const out: ResolvedAgent[] = [];
	const seen = new Set<string>();
	for (const spec of params.agents as AgentSpec[]) {
		const name = String(spec.name).trim();
		if (seen.has(name)) throw new EffectError('invalid_params', `Two agents are called “${name}”. Give each agent of a coordination its own name.`);
		seen.add(name);
		let saved: AgentDefinition | undefined;
		if (spec.ref && deps.loadAgent) {
			try {
				saved = await deps.loadAgent(spec.ref);
			} catch {
				saved = undefined; // storage unavailable: run with the copy in the effect
			}
		}
		const src = saved
			? {
					role: saved.role,
					system: saved.system !== undefined && deps.resolveText ? deps.resolveText(saved.system) : saved.system,
					provider: saved.provider,
					model: saved.model,
					fallback: saved.fallback,
					temperature: saved.temperature,
					maxTokens: saved.maxTokens,
					tools: saved.tools,
					memory: saved.memory
				}
			: spec;
		let targets = chain({ provider: src.provider, model: src.model }, src.fallback ?? []);
		// Fallbacks without a primary: the workspace default goes first.
		if (!src.provider && targets.length && deps.defaultTarget) {
			const d = await deps.defaultTarget();
			if (d) targets = [{ ...d, ...(src.model ? { model: src.model } : {}) }, ...targets];
		}
		out.push({
			name,
			key: saved?.id ?? spec.ref ?? `name:${name}`,
			...(src.role ? { role: src.role } : {}),
			...(src.system ? { system: src.system } : {}),
			targets,
			...(!src.provider && src.model ? { model: src.model } : {}),
			temperature: src.temperature ?? params.temperature,
			maxTokens: src.maxTokens ?? params.maxTokens,
			tools: src.tools ?? [],
			memory: src.memory ?? { type: 'none' },
			...(spec.workers ? { workers: spec.workers } : {}),
			linked: !!saved
		});
	}
	const names = out.map((a) => a.name);
	const must = (field: 'judge' | 'synthesizer' | 'supervisor', value: string | undefined) => {
		if (value !== undefined && !seen.has(value))
			throw new EffectError('invalid_params', `The ${field} “${value}” is not one of the agents (${names.join(', ')}). Add an agent of that name, or choose one of these.`);
	};
	must('judge', params.judge);
	must('synthesizer', params.synthesizer);
	must('supervisor', params.supervisor);
	for (const a of out)
		for (const w of a.workers ?? [])
			if (!seen.has(w)) throw new EffectError('invalid_params', `${a.name} may delegate to “${w}”, which is not one of the agents (${names.join(', ')}).`);
	return out;
}

/** Settings that cannot work together, found before any model is called. */
export function checkSettings(params: CoordinateAgentsParams): void {
	const s = params.strategy;
	if (!String(params.task ?? '').trim()) throw new EffectError('invalid_params', 'The task is empty: say what the agents should do (a {{ }} template can insert it from the event or the context).');
	if ((s === 'consensus' || s === 'debate') && params.decision === 'judge' && !params.judge)
		throw new EffectError('invalid_params', 'decision "judge" needs a judge: name one of the agents in judge (it does not answer the task itself).');
	if (s === 'parallel') {
		if (params.merge === 'synthesizer' && !params.synthesizer) throw new EffectError('invalid_params', 'merge "synthesizer" needs a synthesizer: name one of the agents in synthesizer.');
		if (params.merge === 'reducer' && !params.reducer) throw new EffectError('invalid_params', 'merge "reducer" needs a reducer: a JSONata expression over outputs, e.g. $join(outputs.output, "\\n").');
	}
}

/** The agents that answer the task: every agent except the judge and the synthesizer (who decide or merge). */
export function participants(params: CoordinateAgentsParams, agents: ResolvedAgent[]): ResolvedAgent[] {
	return agents.filter((a) => a.name !== params.judge && a.name !== params.synthesizer);
}
