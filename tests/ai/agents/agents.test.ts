import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { withRunInfo } from '$lib/ai/handlers';
import { deleteAgent, duplicateAgent, listAgents, restoreAgent, saveAgent, validateAgent, blankAgent } from '$lib/ai/agents/store';
import { coordinate_agents } from '$lib/effects/kinds/coordinate_agents';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup } from './helpers';

describe('agents: workspace objects, memory, tools', () => {
	it('saves, lists, duplicates, deletes and restores agents; validation says what to fix', async () => {
		const { agentsDb } = await setup();
		expect(validateAgent({ ...blankAgent(), name: ' ' })).toEqual({ ok: false, errors: { name: 'Give the agent a name; workflows and the Run panel show it.' } });
		expect(validateAgent({ ...blankAgent(), name: 'x', temperature: 3, tools: ['bad name'] })).toMatchObject({ ok: false, errors: { temperature: expect.stringMatching(/0 \(focused\) to 2/), tools: expect.stringMatching(/“bad name” is not a tool name/) } });
		const critic = await saveAgent({ ...blankAgent(), name: 'Critic', role: 'finds weak points', provider: 'an', fallback: [{ provider: 'oa', model: 'gpt-4o-mini' }], memory: { type: 'window', messages: 4 } }, 'default', agentsDb);
		await expect(saveAgent({ ...blankAgent(), name: 'critic' }, 'default', agentsDb)).rejects.toThrow(/already an agent called “critic”/);
		await saveAgent({ ...blankAgent(), name: 'Other workspace' }, 'ws2', agentsDb);
		const copy = await duplicateAgent(critic.id, agentsDb);
		expect(copy).toMatchObject({ name: 'Critic (copy)', role: 'finds weak points', fallback: [{ provider: 'oa', model: 'gpt-4o-mini' }] });
		expect((await listAgents('default', agentsDb)).map((a) => a.name)).toEqual(['Critic', 'Critic (copy)']);
		const gone = await deleteAgent(critic.id, agentsDb);
		expect((await listAgents('default', agentsDb)).map((a) => a.name)).toEqual(['Critic (copy)']);
		await restoreAgent(gone!, agentsDb);
		expect((await listAgents('default', agentsDb)).find((a) => a.id === critic.id)).toEqual(critic);
	});

	it('an agent linked to the workspace runs with its saved definition; the copy in the effect is used where it is missing', async () => {
		const { s, executor, agentsDb } = await setup([{ reply: { text: 'Arr.' } }]);
		const saved = await saveAgent({ ...blankAgent(), name: 'Pirate', system: 'Speak like a pirate about {{ context.topic }}.', provider: 'an' }, 'default', agentsDb);
		await executor.run(
			{ type: 'coordinate_agents', strategy: 'sequential', task: 't', agents: [{ ref: saved.id, name: 'Pirate', system: 'stale copy' }, { ref: 'deleted-agent', name: 'Ghost', system: 'The copy speaks.' }] },
			makeScope({ topic: 'doors' }).scope
		);
		const reqs = await s.requests();
		expect(reqs[0].flavor).toBe('anthropic');
		expect(JSON.stringify(reqs[0].body)).toContain('Speak like a pirate about doors.');
		expect(JSON.stringify(reqs[0].body)).not.toContain('stale copy');
		expect((await sentMessages(s))[1][0].content).toBe('You are Ghost.\n\nThe copy speaks.');
	});

	it('memory "window": an agent remembers its last messages across coordinations of the same run, not of another', async () => {
		const { s, executor } = await setup([{ match: 'second question', reply: { text: 'second answer' } }, { reply: { text: 'first answer' } }]);
		const agents = [{ name: 'Mem', memory: { type: 'window', messages: 2 } }];
		const run = withRunInfo(executor.run, { instanceId: 'run-1' });
		await run({ type: 'coordinate_agents', strategy: 'sequential', task: 'first question', agents }, makeScope().scope);
		await run({ type: 'coordinate_agents', strategy: 'sequential', task: 'second question', agents }, makeScope().scope);
		await withRunInfo(executor.run, { instanceId: 'run-2' })({ type: 'coordinate_agents', strategy: 'sequential', task: 'second question', agents }, makeScope().scope);
		const sent = await sentMessages(s);
		expect(sent[1].map((m) => `${m.role}: ${m.content}`)).toEqual(['system: You are Mem.', 'user: Task: first question', 'assistant: first answer', 'user: Task: second question']);
		expect(sent[2]).toHaveLength(2);
	});

	it('memory "summary": a running summary is updated after each coordination (one more call) and given next time', async () => {
		const { s, executor } = await setup([
			{ match: 'Update your running memory', reply: { text: 'User likes doors.' } },
			{ reply: { text: 'ok' } }
		]);
		const agents = [{ name: 'Mem', memory: { type: 'summary', maxTokens: 100 } }];
		const run = withRunInfo(executor.run, { instanceId: 'run-s' });
		const h = makeScope();
		const r = (await run({ type: 'coordinate_agents', strategy: 'sequential', task: 'I like doors', agents }, h.scope)) as any;
		expect(r.usage.calls).toBe(1); // the memory call happens after the result
		expect(progressOf(h, 'agent').some((a) => a.phase === 'memory' && a.status === 'done')).toBe(true);
		await run({ type: 'coordinate_agents', strategy: 'sequential', task: 'again', agents }, makeScope().scope);
		const sent = await sentMessages(s);
		expect(sent).toHaveLength(4);
		expect(sent[2][0].content).toBe('You are Mem.\n\nWhat you remember from earlier in this run:\nUser likes doors.');
	});

	it('agents call the effect’s tools (effects of the workflow) they are allowed to', async () => {
		const { s, executor } = await setup([
			{ match: '/"role":"tool"/', reply: { text: 'It is 21 °C.' } },
			{ match: 'You are Ann', reply: { toolCalls: [{ name: 'weather', arguments: { city: 'Oslo' } }] } }
		]);
		const h = makeScope();
		const r = (await executor.run(
			{
				type: 'coordinate_agents',
				strategy: 'sequential',
				task: 'Weather?',
				tools: [{ name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, effect: { type: 'transform', expr: '{"city": results.args.city, "celsius": 21}' } }],
				agents: [{ name: 'Ann', tools: ['weather'] }]
			},
			h.scope
		)) as any;
		expect(r.output).toBe('It is 21 °C.');
		expect(progressOf(h, 'tool')[0]).toEqual({ kind: 'tool', step: 1, name: 'weather', arguments: { city: 'Oslo' }, output: { city: 'Oslo', celsius: 21 }, agent: 'Ann' });
		const second = (await sentMessages(s))[1];
		expect(second.at(-1)).toMatchObject({ role: 'tool', content: '{"city":"Oslo","celsius":21}' });
	});

	it('mistakes in the effect are reported before any call: duplicate names, unknown judge or tool', async () => {
		const { s, executor } = await setup();
		const run = (extra: Record<string, unknown>) => outcome(executor.run({ type: 'coordinate_agents', task: 't', agents: [{ name: 'Ann' }, { name: 'Bob' }], ...extra }, makeScope().scope));
		expect(((await run({ agents: [{ name: 'Ann' }, { name: 'Ann' }] })) as any).error.message).toMatch(/Two agents are called “Ann”/);
		expect(((await run({ strategy: 'consensus', judge: 'Zed' })) as any).error.message).toMatch(/The judge “Zed” is not one of the agents \(Ann, Bob\)/);
		expect(((await run({ agents: [{ name: 'Ann', tools: ['nope'] }] })) as any).error.message).toMatch(/Ann may call the tool “nope”, but this effect has no tool of that name/);
		expect(((await run({ strategy: 'consensus', decision: 'judge' })) as any).error.message).toMatch(/decision "judge" needs a judge/);
		expect(((await run({ task: '{{ event.text }}' })) as any).error.message).toMatch(/^The task is empty/);
		expect(await s.requests()).toHaveLength(0);
	});

	it('without a provider, fails with what to do (no_provider)', async () => {
		const { executor } = await setup();
		const { freshAiDb } = await import('../helpers');
		freshAiDb();
		const r = await outcome(executor.run({ type: 'coordinate_agents', strategy: 'consensus', task: 't', agents: [{ name: 'Ann' }, { name: 'Bob' }] }, makeScope().scope));
		expect(!r.ok && r.error.code).toBe('no_provider');
	});

	it('the kind’s schema: strategies, defaults, and "supervisor" migrated to "hierarchical"', () => {
		const parse = (x: Record<string, unknown>) => coordinate_agents.schema.parse({ type: 'coordinate_agents', task: 't', agents: [{ name: 'a' }], ...x });
		expect(parse({}).strategy).toBe('hierarchical');
		expect(parse({ strategy: 'supervisor' }).strategy).toBe('hierarchical');
		expect(parse({ strategy: 'debate' })).toMatchObject({ strategy: 'debate', rounds: 2, decision: 'majority', maxDepth: 2, maxSteps: 10 });
		expect(coordinate_agents.schema.safeParse({ type: 'coordinate_agents', task: 't', agents: [{ name: 'a' }], strategy: 'chaos' }).success).toBe(false);
		// An old document's agent shape still parses.
		expect(parse({ agents: [{ name: 'planner', role: 'plans', provider: 'oa', model: 'm', tools: ['x'] }] }).agents[0]).toMatchObject({ name: 'planner', tools: ['x'], fallback: [] });
	});
});
