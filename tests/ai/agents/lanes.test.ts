import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createExecutor } from '$lib/effects';
import { simulatedHandlers } from '$lib/effects/simulated';
import { lanesOf } from '$lib/ai/agents/lanes';
import { TimelineBuilder } from '$lib/sim/timeline';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, setup } from './helpers';

const agents = [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }];

describe('agent lanes (Run panel)', () => {
	it('a debate folds into one lane per agent with its rounds, votes, tokens and the decision; the timeline carries them', async () => {
		const { executor } = await setup([
			{ match: '/You are Cid[\\s\\S]*Debate round 2/', reply: { text: 'B after all', usage: { input: 30, output: 5 } } },
			{ match: 'You are Cid', reply: { text: 'A', usage: { input: 10, output: 2 } } },
			{ reply: { text: 'B after all', usage: { input: 10, output: 3 } } }
		]);
		const h = makeScope();
		await executor.run({ type: 'coordinate_agents', strategy: 'debate', task: 'A or B?', agents }, h.scope);
		const lanes = lanesOf(h.effects().filter((e) => e.phase === 'progress' && e.effectType === 'coordinate_agents').map((e) => e.data))!;
		expect(lanes).toMatchObject({ strategy: 'debate', rounds: 2 });
		expect(lanes.lanes.map((l) => [l.name, l.status, l.round, l.steps.map((s) => `${s.round}:${s.ok}`).join(' '), l.vote])).toEqual([
			['Ann', 'done', 2, '1:true 2:true', 'B after all'],
			['Bob', 'done', 2, '1:true 2:true', 'B after all'],
			['Cid', 'done', 2, '1:true 2:true', 'B after all']
		]);
		expect(lanes.lanes[2]).toMatchObject({ inputTokens: 40, outputTokens: 7, output: 'B after all' });
		expect(lanes.lanes[2].steps[0].output).toBe('A');
		expect(lanes.decision).toMatchObject({ method: 'majority', agreement: 1, winner: 'Ann' });

		const tl = new TimelineBuilder().addAll(h.events);
		const rows = tl.rows();
		const root = rows.find((s) => s.effectType === 'coordinate_agents')!;
		expect(root.agents?.lanes.map((l) => l.name)).toEqual(['Ann', 'Bob', 'Cid']);
		// The coordination's own span does not count the agents' tokens (their spans do).
		expect(root.ai).toBeUndefined();
		const kids = rows.filter((s) => s.parentSpanId === root.spanId);
		expect(kids).toHaveLength(6);
		expect(kids.every((k) => k.status === 'ok' && k.ai && k.ai.inputTokens > 0)).toBe(true);
		expect(kids.reduce((s, k) => s + k.ai!.inputTokens, 0)).toBe(10 + 10 + 10 + 10 + 10 + 30);
	});

	it('a failed agent’s lane says why; a retry on a fallback is noted while it runs', async () => {
		const { executor } = await setup([{ match: 'You are Cid', scenario: 'bad-request' }, { flavor: 'openai', scenario: 'server-error', times: 1 }, { reply: { text: 'ok' } }]);
		const h = makeScope();
		await executor.run({ type: 'coordinate_agents', strategy: 'consensus', task: 't', agents: agents.map((a) => ({ ...a, provider: 'oa', fallback: [{ provider: 'an' }] })) }, h.scope);
		const lanes = lanesOf(progressOf(h, 'coordination').concat(progressOf(h, 'agent'), progressOf(h, 'decision')))!;
		expect(lanes.lanes.find((l) => l.name === 'Cid')).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 400/) });
		expect(progressOf(h, 'agent').some((a) => a.status === 'thinking' && /^retrying on Anthropic/.test(a.error ?? ''))).toBe(true);
	});

	it('a simulated run walks every lane through the strategy without calling a model', async () => {
		const ex = createExecutor({ handlers: simulatedHandlers() });
		const h = makeScope();
		const r = (await ex.run({ type: 'coordinate_agents', strategy: 'debate', rounds: 3, decision: 'judge', judge: 'Jud', task: 'Ship it?', agents: [...agents, { name: 'Jud' }] }, h.scope)) as any;
		expect(r).toMatchObject({ simulated: true, rounds: 3, strategy: 'debate', output: 'Simulated answer (no model was called) to: “Ship it?”' });
		const lanes = lanesOf(h.effects().filter((e) => e.phase === 'progress').map((e) => e.data))!;
		expect(lanes.lanes.map((l) => `${l.name}:${l.steps.length}`)).toEqual(['Ann:3', 'Bob:3', 'Cid:3', 'Jud:1']);
		expect(lanes.decision).toMatchObject({ agreement: 1 });
		const json = (await ex.run({ type: 'coordinate_agents', strategy: 'consensus', output: 'json', schema: { type: 'object', properties: { label: { enum: ['x', 'y'] } } }, task: 't', agents }, makeScope().scope)) as any;
		expect(json.output).toEqual({ label: 'x' });
		const hier = (await ex.run({ type: 'coordinate_agents', strategy: 'supervisor', task: 't', agents }, makeScope().scope)) as any;
		expect(hier.strategy).toBe('hierarchical');
	});

	it('a cancelled coordination leaves its lanes as they were (the panel shows them stopped)', async () => {
		const { executor } = await setup([{ reply: { text: 'slow '.repeat(200), delayMs: 20 } }]);
		const h = makeScope();
		const p = outcome(executor.run({ type: 'coordinate_agents', strategy: 'parallel', task: 't', agents }, h.scope));
		await expect.poll(() => progressOf(h, 'text').length, { timeout: 5000 }).toBeGreaterThan(0);
		h.controller.abort(new Error('left'));
		await p;
		const rows = () => new TimelineBuilder().addAll(h.events).rows();
		const root = rows().find((s) => s.effectType === 'coordinate_agents')!;
		expect(root.status).toBe('cancelled');
		expect(root.agents!.lanes.every((l) => l.status === 'thinking')).toBe(true);
		// Each agent's span closes as its stream is torn down.
		await expect.poll(() => rows().filter((s) => s.parentSpanId === root.spanId).map((s) => s.status), { timeout: 5000 }).toEqual(['cancelled', 'cancelled', 'cancelled']);
	});
});
