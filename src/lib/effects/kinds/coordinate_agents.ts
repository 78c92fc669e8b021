import { z } from 'zod';
import { base, defineKind, effectRef, modelFields, noProvider } from './common';
import { exampleFromSchema } from '../schema-example';
import type { EffectContext } from '../types';

/**
 * Multi-agent coordination (handler: src/lib/ai/agents). Fails with "No provider configured"
 * until one is registered. One strategy per file in src/lib/ai/agents; docs/ai.md, "Agents".
 */

export const COORDINATION_STRATEGIES = ['sequential', 'parallel', 'consensus', 'debate', 'hierarchical'] as const;
export type CoordinationStrategy = (typeof COORDINATION_STRATEGIES)[number];

const target = z.object({ provider: z.string().min(1), model: z.string().optional() });

const memory = z
	.discriminatedUnion('type', [
		z.object({ type: z.literal('none') }),
		z.object({ type: z.literal('window'), messages: z.number().int().min(1).max(200).default(10).describe('How many earlier messages the agent keeps') }),
		z.object({ type: z.literal('summary'), maxTokens: z.number().int().min(16).max(4000).default(300).describe('Longest the running summary may grow') })
	])
	.describe('What the agent remembers from earlier coordinations of the same run');

/** One agent taking part: a workspace agent (`ref`) or one written here. */
export const agentSpecSchema = z.object({
	ref: z.string().optional().describe('Id of an agent of this workspace (Agents page): its saved definition is used; the fields here are the copy used where it is not found'),
	name: z.string().min(1).describe('Name shown in the Run panel, and how the judge, synthesizer and supervisor settings refer to this agent'),
	role: z.string().optional().describe('What this agent is (“a sceptical reviewer”)'),
	system: z.string().optional().describe('System prompt; {{ expr }} inserts values'),
	...modelFields,
	fallback: z.array(target).default([]).describe('Tried in order when the model is rate limited, overloaded, failing (5xx) or times out'),
	temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (default: the effect’s)'),
	maxTokens: z.number().int().positive().optional().describe('Maximum tokens per answer (default: the effect’s)'),
	tools: z.array(z.string()).default([]).describe('Names of the effect’s tools this agent may call'),
	memory: memory.optional(),
	workers: z.array(z.string()).optional().describe('Hierarchical: agents this one may delegate to (default for the supervisor: every other agent)')
});

const tool = z.object({
	name: z
		.string()
		.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Letters, digits, _ and - only (at most 64)')
		.describe('Tool name the agents see'),
	description: z.string().optional().describe('What the tool does, for the agents'),
	parameters: z.record(z.string(), z.unknown()).default({ type: 'object', properties: {} }).describe('JSON Schema of the arguments'),
	effect: effectRef.describe('The effect that runs the tool; the arguments are in results.args (e.g. "{{ results.args.city }}")')
});

/** `supervisor` was the name of the hierarchical strategy before it had delegation limits; documents that use it keep working. */
const strategy = z.preprocess(
	(v) => (v === 'supervisor' ? 'hierarchical' : v),
	z.enum(COORDINATION_STRATEGIES).default('hierarchical').describe('How the agents work together')
);

const schema = z.object({
	type: z.literal('coordinate_agents'),
	...base,
	task: z.string().describe('What the agents should achieve; {{ }} templates allowed'),
	agents: z.array(agentSpecSchema).min(1).describe('The agents taking part (and the judge, synthesizer or supervisor, named below)'),
	strategy,
	minSuccess: z
		.number()
		.int()
		.min(1)
		.optional()
		.describe('Fewest agents that must answer (default: all for sequential and split work; 1 for parallel fan-out; a majority for consensus and debate; the supervisor for hierarchical)'),
	output: z.enum(['text', 'json']).default('text').describe('Text answers, or JSON (validated against the schema)'),
	schema: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of a JSON answer'),
	answerField: z.string().optional().describe('Consensus and debate with JSON answers: the field that is voted on (default: the whole answer)'),
	tools: z.array(tool).default([]).describe('Effects of this workflow that agents may call (each agent lists the ones it may use)'),
	subtasks: z
		.union([z.array(z.string()), z.string()])
		.optional()
		.describe('Parallel: split the work — one subtask per agent in turn (a {{ }} template may give a list); without it every agent gets the whole task'),
	merge: z
		.enum(['concat', 'list', 'object', 'reducer', 'synthesizer'])
		.optional()
		.describe('Parallel: how answers become one (default: synthesizer when one is named, reducer when an expression is given, else concat)'),
	reducer: z.string().optional().describe('Parallel: JSONata over { outputs: [{ agent, task, output }] } giving the result'),
	synthesizer: z.string().optional().describe('Parallel: name of the agent that writes one answer from everyone’s'),
	decision: z
		.enum(['majority', 'judge', 'cluster', 'ballot'])
		.default('majority')
		.describe('Consensus and debate: majority vote over the answers, a judge’s choice, the largest cluster of similar answers, or a ballot where every agent votes'),
	judge: z.string().optional().describe('Name of the judge agent (decides with decision "judge", and breaks ties)'),
	tieBreak: z.enum(['judge', 'order', 'fail']).optional().describe('A tie goes to the judge (default when one is named), to the earliest agent in the list (default otherwise), or fails'),
	similarity: z.number().min(0).max(1).default(0.8).describe('Cluster: how similar two answers must be to count as the same (0–1)'),
	embedding: target.optional().describe('Cluster: an embedding model of a provider (default: word overlap, computed here)'),
	rounds: z.number().int().min(1).max(10).default(2).describe('Debate: rounds; from the second on, each agent sees the others’ last answers'),
	maxRounds: z.number().int().positive().optional().describe('Older spelling of rounds'),
	supervisor: z.string().optional().describe('Hierarchical: name of the supervisor (default: the first agent)'),
	maxDepth: z.number().int().min(1).max(5).default(2).describe('Hierarchical: how many levels of delegation are allowed'),
	maxSteps: z.number().int().min(1).max(100).default(10).describe('Hierarchical: most delegations and tool calls in one coordination'),
	temperature: z.number().min(0).max(2).default(0.7).describe('Sampling temperature of agents that set none'),
	maxTokens: z.number().int().positive().default(1024).describe('Maximum tokens per answer of agents that set none'),
	concurrency: z.number().int().min(1).max(32).optional().describe('Most agents calling a model at the same time (default: all)'),
	timeoutMs: z.number().positive().optional().describe('Give up on an attempt that sends nothing for this long (then fall back)'),
	stream: z.boolean().default(true).describe('Report agents’ tokens as they arrive (Run panel lanes)')
});

export type CoordinateAgentsParams = z.output<typeof schema>;
export type AgentSpec = z.output<typeof agentSpecSchema>;

export const coordinate_agents = defineKind({
	schema,
	category: 'ai',
	label: 'Coordinate agents',
	description: 'Let several agents work on a task together',
	resolveParams: true,
	children: (p) => p.tools.map((t) => t.effect),
	run: () => noProvider('coordinate_agents'),
	simulate: (p, ctx) => simulateCoordination(p, ctx)
});

/**
 * A simulated run of a coordination: no model is called, but every agent's lane goes through
 * the steps the strategy would take (rounds, delegations, judge, synthesizer) with a placeholder
 * answer, and the decision is reported — so the Run panel can be tried before going live.
 */
function simulateCoordination(p: CoordinateAgentsParams, ctx: EffectContext): unknown {
	const names = p.agents.map((a) => a.name);
	const task = String(p.task ?? '').replace(/\s+/g, ' ').trim();
	const brief = task.length > 60 ? task.slice(0, 59) + '…' : task;
	const json = p.output === 'json' ? (exampleFromSchema(p.schema ?? { type: 'object' }) ?? { simulated: true }) : undefined;
	const answer = (who: string) => json ?? `Simulated answer of ${who} (no model was called) to: “${brief}”`;
	const said = json ?? `Simulated answer (no model was called) to: “${brief}”`;
	const team = names.filter((n) => n !== p.judge && n !== p.synthesizer);
	const rounds = p.strategy === 'debate' ? ((ctx.spec as { rounds?: unknown }).rounds === undefined && p.maxRounds !== undefined ? Math.min(10, p.maxRounds) : p.rounds) : undefined;
	const lead = p.strategy === 'hierarchical' ? (p.supervisor ?? names[0]) : p.strategy === 'parallel' ? p.synthesizer : p.judge;
	const agents = p.agents.map((a) => ({ name: a.name, ...(a.role ? { role: a.role } : {}), ...(a.model ? { model: a.model } : {}) }));
	ctx.progress({ kind: 'coordination', strategy: p.strategy, agents, ...(rounds ? { rounds } : {}), ...(lead ? { lead } : {}) });
	for (const n of names) ctx.progress({ kind: 'agent', agent: n, status: 'waiting' });
	const step = (agent: string, output: unknown, extra: Record<string, unknown> = {}) => {
		ctx.progress({ kind: 'agent', agent, status: 'thinking', ...extra });
		if (typeof output === 'string') ctx.progress({ kind: 'text', delta: output, agent });
		ctx.progress({ kind: 'agent', agent, status: 'done', output, ...extra, usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } });
	};
	const outcomes = (ran: string[], out: (n: string) => unknown) => names.map((n) => (ran.includes(n) ? { name: n, ok: true, output: out(n), calls: 1, inputTokens: 0, outputTokens: 0, costUsd: 0 } : { name: n, ok: false, idle: true, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }));
	let output: unknown;
	let decision: Record<string, unknown> | undefined;
	if (p.strategy === 'consensus' || p.strategy === 'debate') {
		for (let r = 1; r <= (rounds ?? 1); r++) for (const n of team) step(n, said, rounds ? { round: r } : {});
		output = said;
		const votes = team.map((n) => ({ agent: n, vote: said }));
		decision = { method: p.decision, winner: team[0], output, agreement: 1, votes, tally: [{ answer: said, count: team.length, agents: team }], tie: false, reasons: `Simulated: every agent gave the same answer (${team.length} of ${team.length}).` };
		if (p.decision === 'judge' && p.judge) step(p.judge, { winner: 1, reasons: 'Simulated judgement.' }, { phase: 'judge' });
	} else if (p.strategy === 'hierarchical') {
		const sup = lead!;
		for (const w of names.filter((n) => n !== sup)) step(w, answer(w), { from: sup, task: `Simulated subtask of: ${brief}` });
		output = answer(sup);
		step(sup, output);
	} else if (p.strategy === 'parallel') {
		for (const n of team) step(n, answer(n));
		output = p.synthesizer ? answer(p.synthesizer) : json ? team.map(answer) : team.map((n) => `## ${n}\n\n${answer(n)}`).join('\n\n');
		if (p.synthesizer) step(p.synthesizer, output, { phase: 'synthesize' });
	} else {
		for (const n of names) step(n, answer(n));
		output = answer(names[names.length - 1]);
	}
	const method = decision ? String(decision.method) : p.strategy === 'parallel' ? (p.synthesizer ? 'synthesizer' : 'concat') : p.strategy;
	ctx.progress({ kind: 'decision', method, output, ...(decision ?? { reasons: 'Simulated: no model was called.' }) });
	const ran = p.strategy === 'hierarchical' || p.strategy === 'sequential' ? names : [...team, ...(p.synthesizer ? [p.synthesizer] : []), ...(p.decision === 'judge' && p.judge ? [p.judge] : [])];
	return {
		output,
		strategy: p.strategy,
		agents: outcomes(ran, (n) => (p.strategy === 'consensus' || p.strategy === 'debate') && team.includes(n) ? said : answer(n)),
		...(decision ? { decision: { ...decision, agreementSource: 'votes' } } : {}),
		...(rounds ? { rounds } : {}),
		simulated: true,
		usage: { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }
	};
}
