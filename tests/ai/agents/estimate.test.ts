import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { coordinate_agents } from '$lib/effects/kinds/coordinate_agents';
import { estimateCoordination } from '$lib/ai/agents/estimate';
import { planCoordination } from '$lib/ai/agents/plan';
import { resolveAgents } from '$lib/ai/agents/resolve';
import { saveAgent, blankAgent } from '$lib/ai/agents/store';
import { makeScope, setup } from './helpers';

const three = [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }];
async function estimate(spec: Record<string, unknown>, price = { inputPerMTok: 1, outputPerMTok: 4 }) {
	const full = { type: 'coordinate_agents', task: 'Decide whether we ship the release this week', agents: three, ...spec };
	const params = coordinate_agents.schema.parse(full);
	const agents = await resolveAgents(params);
	return estimateCoordination(params, agents, { priceOf: () => price, spec: full });
}

describe('coordination plan and estimate', () => {
	it('debate: N × R calls plus the decision, a warning that it multiplies, and later rounds cost more', async () => {
		const e = await estimate({ strategy: 'debate', agents: [...three, { name: 'Jud' }], judge: 'Jud', decision: 'judge' });
		expect(e.steps.map((s) => `${s.label} [${s.calls}]`)).toEqual([
			'Round 1: 3 agents answer on their own [3]',
			'Round 2: each agent reads the other 2 answers and answers again [3]',
			'Jud judges the 3 answers and gives reasons [1]'
		]);
		expect(e.calls).toEqual({ typical: 7, max: 7 });
		expect(e.warnings[0]).toMatch(/^Debate multiplies: 3 agents × 2 rounds = 6 calls before the decision, .* One more round would add 3 calls and about [\d,]+ tokens\.$/);
		const r3 = await estimate({ strategy: 'debate', rounds: 3 });
		const two = await estimate({ strategy: 'debate', rounds: 2 });
		const one = await estimate({ strategy: 'debate', rounds: 1 });
		expect(r3.calls.typical - two.calls.typical).toBe(3);
		// Each round costs more than the one before (prompts carry the others' answers).
		expect(r3.inputTokens.typical - two.inputTokens.typical).toBeGreaterThan(two.inputTokens.typical - one.inputTokens.typical);
		expect(two.costUsd!.typical).toBeCloseTo((two.inputTokens.typical * 1 + two.outputTokens.typical * 4) / 1e6, 10);
		expect(two.costUsd!.max).toBeGreaterThan(two.costUsd!.typical);
	});

	it('consensus, sequential, parallel with a synthesizer, and the majority-vote and two-agent warnings', async () => {
		const c = await estimate({ strategy: 'consensus' });
		expect(c.calls).toEqual({ typical: 3, max: 3 });
		expect(c.warnings.join(' ')).toMatch(/Free-text answers rarely match word for word/);
		const j = await estimate({ strategy: 'consensus', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Jud' }], judge: 'Jud', output: 'json', answerField: 'label' });
		expect(j.steps.map((s) => s.label)).toEqual(['2 agents answer on their own, at once', 'Decision: majority vote on “label” — no model call', 'If there is a tie, Jud breaks it']);
		expect(j.calls).toEqual({ typical: 2, max: 3 });
		expect(j.warnings.join(' ')).toMatch(/Two agents can only agree or tie/);
		const s = await estimate({ strategy: 'sequential' });
		expect(s.steps.map((x) => x.label)).toEqual(['Ann works on the task', "Bob builds on Ann's output", "Cid builds on Bob's output"]);
		const p = await estimate({ strategy: 'parallel', synthesizer: 'Cid' });
		expect(p.calls.typical).toBe(3);
		expect(p.steps.at(-1)!.label).toBe('Cid combines the 2 answers into one');
		const b = await estimate({ strategy: 'consensus', decision: 'ballot' });
		expect(b.calls.typical).toBe(6);
	});

	it('hierarchical: typical and worst case from maxSteps', async () => {
		const h = await estimate({ strategy: 'hierarchical', maxSteps: 4 });
		expect(h.calls).toEqual({ typical: 5, max: 10 });
		expect(h.warnings.join(' ')).toMatch(/typically 5 calls, at most 10 \(maxSteps 4\)/);
	});

	it('the estimated calls match what a run makes', async () => {
		const cases: Record<string, unknown>[] = [
			{ strategy: 'sequential' },
			{ strategy: 'parallel', synthesizer: 'Cid' },
			{ strategy: 'consensus', decision: 'ballot' },
			{ strategy: 'debate', rounds: 3 }
		];
		for (const c of cases) {
			const { executor } = await setup([{ match: 'Vote for the best', reply: { json: { vote: 1 } } }, { match: 'You are Ann', reply: { text: 'another answer' } }, { reply: { text: 'same answer' } }]);
			const spec = { type: 'coordinate_agents', task: 't', agents: three, ...c };
			const r = (await executor.run(spec, makeScope().scope)) as { usage: { calls: number } };
			expect([c.strategy, r.usage.calls]).toEqual([c.strategy, (await estimate(c)).calls.typical]);
		}
	});

	it('planCoordination prices each agent’s model from the price table and marks missing workspace agents', async () => {
		const { agentsDb } = await setup();
		const critic = await saveAgent({ ...blankAgent(), name: 'Critic', provider: 'an', model: 'claude-haiku-4-5' }, 'default', agentsDb);
		const plan = await planCoordination({
			type: 'coordinate_agents',
			strategy: 'debate',
			task: 'Ship?',
			agents: [{ name: 'Ann', provider: 'oa', model: 'gpt-4o-mini' }, { ref: critic.id, name: 'Critic' }, { ref: 'gone', name: 'Old', provider: 'local' }]
		});
		if (!plan.ok) throw new Error(plan.error);
		expect(plan.agents.map((a) => [a.name, a.model, a.linked, !!a.missing])).toEqual([
			['Ann', 'OpenAI · gpt-4o-mini', false, false],
			['Critic', 'Anthropic · claude-haiku-4-5', true, false],
			['Old', 'Unknown provider “local”', false, true]
		]);
		expect(plan.agents[0].price!.inputPerMTok).toBeGreaterThan(0);
		expect(plan.estimate.costUsd!.typical).toBeGreaterThan(0);
		expect(plan.estimate.unpriced).toEqual(['Old']);
		const bad = await planCoordination({ type: 'coordinate_agents', task: 't', agents: [] });
		expect(bad).toEqual({ ok: false, error: expect.stringMatching(/^Fix the effect first — agents:/) });
		const judge = await planCoordination({ type: 'coordinate_agents', strategy: 'debate', decision: 'judge', task: 't', agents: three });
		expect(judge).toEqual({ ok: false, error: expect.stringMatching(/decision "judge" needs a judge/) });
		expect(plan.problems).toEqual([]);
	});

	it('the plan says which tools an agent names that the run would not find (effect tools and MCP servers)', async () => {
		await setup();
		const server = { id: 's1', name: 'Files', url: 'http://127.0.0.1:1/mcp', transport: 'auto', auth: { kind: 'none' }, enabled: true, createdAt: 0, updatedAt: 0 } as const;
		const catalog = { transport: 'streamable-http', tools: [{ name: 'read_file', inputSchema: { type: 'object' } }], resources: [], resourceTemplates: [], prompts: [], fetchedAt: 0 } as const;
		const plan = await planCoordination(
			{
				type: 'coordinate_agents',
				task: 't',
				tools: [{ name: 'weather', effect: { type: 'transform', expr: '1' } }],
				agents: [
					{ name: 'Ann', tools: ['weather', 'search'] },
					{ name: 'Bob', tools: ['mcp:files/read_file', 'mcp:Files/write_file'] },
					{ name: 'Cy', tools: ['mcp:Web'] }
				]
			},
			'default',
			{ listMcpServers: async () => [{ ...server, catalog }] as never }
		);
		if (!plan.ok) throw new Error(plan.error);
		expect(plan.problems).toEqual([
			'Ann may call the tool “search”, but this effect has no tool of that name. Add it under Tools, or remove it from the agent.',
			expect.stringMatching(/^Bob may call the MCP tool “write_file”, but “Files” has no tool of that name \(it has read_file\)/),
			expect.stringMatching(/^Cy may call the tools of the MCP server “Web”, but there is no server of that name\. The servers are “Files”/)
		]);
	});
});

describe('node library: agents and ready-made teams', () => {
	it('lists each workspace agent and teams made of them; a judge-like agent judges', async () => {
		const { agentsDb } = await setup();
		const { agentLibraryItems, teamSpecs } = await import('$lib/ai/agents/library');
		expect(await agentLibraryItems()).toEqual([]);
		for (const name of ['Optimist', 'Pessimist', 'Realist']) await saveAgent({ ...blankAgent(), name, provider: 'oa' }, 'default', agentsDb);
		await saveAgent({ ...blankAgent(), name: 'Moderator', role: 'an impartial judge' }, 'default', agentsDb);
		const items = await agentLibraryItems();
		expect(items.map((i) => i.label)).toEqual(['Moderator', 'Optimist', 'Pessimist', 'Realist', 'Debate (3 × 2 rounds)', 'Consensus (3 agents)', 'Pipeline (4 agents)', 'Parallel (4 agents)', 'Supervisor: Optimist']);
		const debate = items.find((i) => i.id === 'team:debate')!.drop.spec as Record<string, any>;
		expect(debate).toMatchObject({ strategy: 'debate', judge: 'Moderator', decision: 'judge', rounds: 2 });
		expect(debate.agents.map((a: any) => a.name)).toEqual(['Optimist', 'Pessimist', 'Realist', 'Moderator']);
		expect(debate.agents[0]).toMatchObject({ ref: expect.any(String), provider: 'oa' });
		// What the library drops is a valid effect with a plan.
		expect(coordinate_agents.schema.safeParse(debate).success).toBe(true);
		const plan = await planCoordination(debate as never);
		expect(plan.ok && plan.estimate.calls.typical).toBe(7);
		expect(teamSpecs([])).toEqual([]);
	});

	it('an agent dropped onto a coordination joins it (before the judge), once; a team does not merge', async () => {
		const { joinCoordination } = await import('$lib/ai/agents/merge');
		const debate = { type: 'coordinate_agents', strategy: 'debate', task: 't', judge: 'Moderator', decision: 'judge', agents: [{ ref: 'a1', name: 'Optimist' }, { ref: 'a2', name: 'Moderator' }] };
		const one = (ref: string, name: string) => ({ type: 'coordinate_agents', strategy: 'sequential', task: 't', agents: [{ ref, name, role: 'r' }] });
		const joined = joinCoordination(debate, one('a3', 'Pessimist'))!;
		expect((joined.agents as any[]).map((a) => a.name)).toEqual(['Optimist', 'Pessimist', 'Moderator']);
		expect(joined).toMatchObject({ strategy: 'debate', judge: 'Moderator', decision: 'judge' });
		expect((joined.agents as any[])[1]).toEqual({ ref: 'a3', name: 'Pessimist', role: 'r' });
		expect(debate.agents).toHaveLength(2); // the existing effect is not changed in place
		// The same workspace agent again: nothing added; another agent with a taken name: numbered.
		expect(joinCoordination(joined, one('a3', 'Pessimist'))).toBe(joined);
		expect((joinCoordination(joined, one('a9', 'optimist'))!.agents as any[]).map((a) => a.name)).toEqual(['Optimist', 'Pessimist', 'optimist 2', 'Moderator']);
		expect(joinCoordination(debate, { ...debate })).toBeUndefined();
		expect(coordinate_agents.schema.safeParse(joined).success).toBe(true);
	});
});
