import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { withRunInfo } from '$lib/ai/handlers';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup, statuses } from './helpers';

const agents = [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }];

describe('coordinate_agents: debate', () => {
	it('3 agents × 2 rounds by default: round 2 shows each agent the others’ round-1 answers; decided by vote', async () => {
		const { s, executor } = await setup([
			{ match: '/You are Ann[\\s\\S]*Debate round 2/', reply: { text: 'B' } },
			{ match: '/You are (Bob|Cid)[\\s\\S]*Debate round 2/', reply: { text: 'B' } },
			{ match: 'You are Ann', reply: { text: 'A' } },
			{ match: 'You are Bob', reply: { text: 'B' } },
			{ match: 'You are Cid', reply: { text: 'B, because of the load.' } }
		]);
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'debate', task: 'A or B?', agents }, h.scope)) as any;
		expect(r.rounds).toBe(2);
		expect(r.usage.calls).toBe(6);
		expect(r.output).toBe('B');
		expect(r.decision).toMatchObject({ method: 'majority', agreement: 1, reasons: 'Unanimous: 3 of 3 agents (Ann, Bob, Cid) answered “B”.' });
		const ann2 = (await sentMessages(s)).find((m) => String(m.at(-1)!.content).startsWith('Debate round 2') && String(m[0].content).startsWith('You are Ann'))!;
		// Her own conversation so far, then the others' answers (not her own).
		expect(ann2.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
		expect(ann2[2].content).toBe('A');
		expect(ann2[3].content).toBe("Debate round 2 of 2. The other agents' answers from round 1:\n\n### Bob\nB\n\n### Cid\nB, because of the load.\n\nWeigh their arguments against yours. Then give your answer again — keep it, or change it if they convinced you.");
		expect(statuses(h).filter((x) => x.startsWith('Ann'))).toEqual(['Ann:waiting', 'Ann:thinking@1', 'Ann:done@1', 'Ann:waiting@2', 'Ann:thinking@2', 'Ann:done@2']);
		expect(progressOf(h, 'coordination')[0]).toMatchObject({ strategy: 'debate', rounds: 2, agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] });
		const spans = h.effects().filter((e) => e.phase === 'start' && e.effectType.startsWith('agent:')).map((e) => e.effect);
		expect(spans).toContain('coordinate_agents/agent:Ann/round:2');
	});

	it('decided by a judge after the last round', async () => {
		const { executor } = await setup([
			{ match: 'You are Jud', reply: { json: { winner: 2, reasons: 'Bob addressed the risk.' } } },
			{ match: 'You are Ann', reply: { text: 'Ship now.' } },
			{ match: 'You are Bob', reply: { text: 'Ship after the audit.' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'debate', rounds: 3, decision: 'judge', judge: 'Jud', task: 'Ship?', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Jud' }] }, makeScope().scope)) as any;
		expect(r.rounds).toBe(3);
		expect(r.usage.calls).toBe(2 * 3 + 1);
		expect(r.output).toBe('Ship after the audit.');
		expect(r.decision).toMatchObject({ method: 'judge', winner: 'Bob' });
	});

	it('the older maxRounds still sets the rounds when rounds is not written', async () => {
		const { executor } = await setup([{ reply: { text: 'same' } }]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'debate', maxRounds: 3, task: 't', agents: [{ name: 'Ann' }, { name: 'Bob' }] }, makeScope().scope)) as any;
		expect(r.rounds).toBe(3);
	});

	it('leaving the state in the middle of a round stops every agent (the mock sees each stream closed)', async () => {
		const { s, executor } = await setup([
			{ match: '/Debate round 2/', reply: { text: 'thinking hard '.repeat(100), deltaChars: 2, delayMs: 30 } },
			{ reply: { text: 'first' } }
		]);
		const h = makeScope();
		const p = outcome(executor.run({ type: 'coordinate_agents', strategy: 'debate', task: 't', agents }, h.scope));
		// Every agent is streaming its round-2 answer.
		await expect.poll(() => new Set(progressOf(h, 'text').filter((t) => /th|in|ki|ng|ha|rd/.test(t.delta)).map((t) => t.agent)).size, { timeout: 5000 }).toBe(3);
		h.controller.abort(new Error('state left'));
		const r = await p;
		expect(!r.ok && r.error.code).toBe('cancelled');
		await expect.poll(async () => (await s.requests()).filter((q) => JSON.stringify(q.body).includes('Debate round 2')).map((q) => q.aborted), { timeout: 5000 }).toEqual([true, true, true]);
		expect(progressOf(h, 'decision')).toHaveLength(0);
		// Each agent's round-2 span is closed as cancelled on the timeline.
		const round2 = h.effects().filter((e) => e.effect.endsWith('/round:2'));
		expect(round2.filter((e) => e.phase === 'cancel')).toHaveLength(3);
	});

	it('a budget reached mid-coordination stops it before the call that would exceed it', async () => {
		const { s, executor, records } = await setup([{ reply: { text: 'ok', usage: { input: 10, output: 10 } } }]);
		// Round 1 (two calls of at most ~115 tokens side by side) fits in 250; in round 2 the second call would not.
		const run = withRunInfo(executor.run, { instanceId: `run-${Math.random()}`, workflowId: 'wf', budget: { maxTokens: 250 } });
		const h = makeScope();
		const r = await outcome(run({ type: 'coordinate_agents', strategy: 'debate', task: 't', maxTokens: 100, agents: [{ name: 'Ann' }, { name: 'Bob' }] }, h.scope));
		expect(!r.ok && r.error.message).toMatch(/token budget would be exceeded.*Counting the agents still answering at their worst case/);
		expect(!r.ok && r.error.data).toEqual({ reason: 'budget' });
		const sent = await s.requests();
		expect(sent).toHaveLength(3);
		await expect.poll(async () => (await s.requests())[2].aborted || (await s.requests())[2].finished, { timeout: 5000 }).toBe(true);
		expect(records.map((x) => x.workflowId)).toEqual(['wf', 'wf', 'wf']);
		expect(progressOf(h, 'agent').filter((a) => a.status === 'failed' && a.round === 2).map((a) => a.error)).toEqual([expect.stringMatching(/budget/), expect.any(String)]);
	});

	it('an agent that fails drops out; the debate goes on while a majority is left', async () => {
		const { executor } = await setup([
			{ match: '/You are Cid[\\s\\S]*Debate round 2/', scenario: 'bad-request' },
			{ reply: { text: 'yes' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'debate', task: 't', agents }, makeScope().scope)) as any;
		expect(r.decision.votes.map((v: any) => v.agent)).toEqual(['Ann', 'Bob']);
		expect(r.agents.find((a: any) => a.name === 'Cid').ok).toBe(false);
	});
});
