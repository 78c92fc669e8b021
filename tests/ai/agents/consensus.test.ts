import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { withRunInfo } from '$lib/ai/handlers';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup } from './helpers';

const schema = { type: 'object', properties: { label: { enum: ['billing', 'technical'] }, why: { type: 'string' } }, required: ['label'] };
const effect = (extra: Record<string, unknown> = {}) => ({
	type: 'coordinate_agents',
	strategy: 'consensus',
	task: 'Classify: I was charged twice',
	output: 'json',
	schema,
	answerField: 'label',
	agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }],
	...extra
});

describe('coordinate_agents: consensus', () => {
	it('majority vote over normalized structured answers, with the agreement recorded', async () => {
		const { executor } = await setup([
			{ match: 'You are Ann', reply: { json: { label: 'billing', why: 'charged twice' } } },
			{ match: 'You are Bob', reply: { json: { why: 'payment', label: 'billing' } } },
			{ match: 'You are Cid', reply: { json: { label: 'technical' } } }
		]);
		const h = makeScope();
		const r = (await executor.run(effect(), h.scope)) as any;
		expect(r.output).toEqual({ label: 'billing', why: 'charged twice' });
		expect(r.decision).toMatchObject({ method: 'majority', winner: 'Ann', agreement: 2 / 3, tie: false });
		expect(r.decision.tally).toEqual([
			{ answer: 'billing', count: 2, agents: ['Ann', 'Bob'] },
			{ answer: 'technical', count: 1, agents: ['Cid'] }
		]);
		expect(r.decision.reasons).toBe('Majority: 2 of 3 agents (Ann, Bob) answered “billing”.');
		const d = progressOf(h, 'decision')[0];
		expect(d.votes).toEqual([
			{ agent: 'Ann', vote: 'billing' },
			{ agent: 'Bob', vote: 'billing' },
			{ agent: 'Cid', vote: 'technical' }
		]);
	});

	it('free text is normalized before voting (case, spacing, quotes, end punctuation)', async () => {
		const { executor } = await setup([
			{ match: 'You are Ann', reply: { text: 'Paris.' } },
			{ match: 'You are Bob', reply: { text: '  "paris"  ' } },
			{ match: 'You are Cid', reply: { text: 'Lyon' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'consensus', task: 'Capital of France?', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, makeScope().scope)) as any;
		expect(r.output).toBe('Paris.');
		expect(r.decision.agreement).toBeCloseTo(2 / 3);
	});

	it('a tie goes to the judge when one is named; without one to agent order; tieBreak "fail" fails', async () => {
		const rules = [
			{ match: 'You are Jud', reply: { json: { winner: 2, reasons: 'Technical fits better.' } } },
			{ match: 'You are Ann', reply: { json: { label: 'billing' } } },
			{ match: 'You are Bob', reply: { json: { label: 'technical' } } }
		];
		const a = await setup(rules);
		const h = makeScope();
		const r = (await a.executor.run(effect({ agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Jud' }], judge: 'Jud' }), h.scope)) as any;
		expect(r.output).toEqual({ label: 'technical' });
		expect(r.decision).toMatchObject({ tie: true, tieBrokenBy: 'judge', winner: 'Bob', agreement: 0.5 });
		expect(r.decision.reasons).toMatch(/^Tie: “billing” \(Ann\) and “technical” \(Bob\) with 1 vote each; Jud broke the tie: Technical fits better\.$/);
		const judged = (await sentMessages(a.s)).find((m) => String(m[0].content).startsWith('You are Jud'))!;
		expect(String(judged.at(-1)!.content)).toContain('These answers are tied in a vote');
		expect(r.agents.map((x: any) => `${x.name}:${x.ok}`)).toEqual(['Ann:true', 'Bob:true', 'Jud:true']);

		const b = await setup(rules);
		const r2 = (await b.executor.run(effect({ agents: [{ name: 'Ann' }, { name: 'Bob' }] }), makeScope().scope)) as any;
		expect(r2.decision).toMatchObject({ tie: true, tieBrokenBy: 'order', winner: 'Ann' });
		expect(r2.output).toEqual({ label: 'billing' });

		const c = await setup(rules);
		const r3 = await outcome(c.executor.run(effect({ agents: [{ name: 'Ann' }, { name: 'Bob' }], tieBreak: 'fail' }), makeScope().scope));
		expect(!r3.ok && r3.error.message).toMatch(/The agents are tied \(Ann, Bob\) and tieBreak is "fail"/);
		expect(!r3.ok && r3.error.data).toEqual({ reason: 'tie' });
	});

	it('decision "judge": the judge picks among distinct answers and gives reasons and agreement', async () => {
		const { s, executor } = await setup([
			{ match: 'You are Jud', reply: { json: { winner: 1, reasons: 'Most complete.', agreement: 0.4 } } },
			{ match: 'You are Ann', reply: { text: 'Refund the second charge and apologise.' } },
			{ match: 'You are Bob', reply: { text: 'Ask for the invoice number first.' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'consensus', decision: 'judge', judge: 'Jud', task: 'What do we do?', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Jud' }] }, makeScope().scope)) as any;
		expect(r.output).toBe('Refund the second charge and apologise.');
		expect(r.decision).toMatchObject({ method: 'judge', winner: 'Ann', agreement: 0.4, agreementSource: 'judge', reasons: 'Jud chose the answer of Ann: Most complete.' });
		// The judge does not answer the task itself.
		expect((await sentMessages(s)).length).toBe(3);
	});

	it('decision "cluster": the largest group of similar free-text answers wins, its most central answer is the output', async () => {
		const { executor } = await setup([
			{ match: 'You are Ann', reply: { text: 'Water boils at 100 degrees Celsius at sea level.' } },
			{ match: 'You are Bob', reply: { text: 'At sea level water boils at 100 degrees Celsius.' } },
			{ match: 'You are Cid', reply: { text: 'Bananas are rich in potassium.' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'consensus', decision: 'cluster', similarity: 0.7, task: 'When does water boil?', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, makeScope().scope)) as any;
		expect(r.decision).toMatchObject({ method: 'cluster', agreement: 2 / 3, agreementSource: 'cluster', tie: false });
		expect(['Ann', 'Bob']).toContain(r.decision.winner);
		expect(r.decision.votes).toEqual([
			{ agent: 'Ann', vote: 'group 1' },
			{ agent: 'Bob', vote: 'group 1' },
			{ agent: 'Cid', vote: 'group 2' }
		]);
		expect(r.decision.reasons).toMatch(/^2 of 3 answers \(Ann, Bob\) are alike \(word overlap, similarity ≥ 0\.7\)/);
	});

	it('decision "ballot": every agent votes for the best answer (authors hidden)', async () => {
		const { s, executor } = await setup([
			{ match: '/Vote for the best/', reply: { json: { vote: 2, reason: 'clearer' } } },
			{ match: 'You are Ann', reply: { text: 'Option one, long-winded.' } },
			{ match: 'You are Bob', reply: { text: 'Option two, clear.' } },
			{ match: 'You are Cid', reply: { text: 'Option three.' } }
		]);
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'consensus', decision: 'ballot', task: 'Pick a plan', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, h.scope)) as any;
		expect(r.output).toBe('Option two, clear.');
		expect(r.decision).toMatchObject({ method: 'ballot', winner: 'Bob', agreement: 1 });
		expect(r.decision.votes).toEqual([
			{ agent: 'Ann', vote: 'Bob' },
			{ agent: 'Bob', vote: 'Bob' },
			{ agent: 'Cid', vote: 'Bob' }
		]);
		const ballots = (await sentMessages(s)).filter((m) => String(m.at(-1)!.content).includes('Vote for the best'));
		expect(ballots).toHaveLength(3);
		expect(String(ballots[0].at(-1)!.content)).not.toMatch(/\(by /);
		expect(progressOf(h, 'agent').filter((a) => a.phase === 'vote' && a.status === 'done')).toHaveLength(3);
	});

	it('some agents failing: the decision is taken over those that answered, as long as the policy is met', async () => {
		const { executor } = await setup([
			{ match: 'You are Cid', scenario: 'bad-request' },
			{ match: 'You are Ann', reply: { json: { label: 'billing' } } },
			{ match: 'You are Bob', reply: { json: { label: 'billing' } } }
		]);
		const r = (await executor.run(effect(), makeScope().scope)) as any;
		expect(r.decision).toMatchObject({ agreement: 1, winner: 'Ann' });
		expect(r.agents.find((a: any) => a.name === 'Cid')).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 400/) });
	});

	it('each agent’s call goes through its fallback chain before it counts as failed', async () => {
		const { s, executor } = await setup([{ flavor: 'openai', scenario: 'server-error' }, { reply: { json: { label: 'billing' } } }]);
		const r = (await executor.run(effect({ agents: ['Ann', 'Bob', 'Cid'].map((name) => ({ name, provider: 'oa', fallback: [{ provider: 'an' }] })) }), makeScope().scope)) as any;
		expect(r.decision.agreement).toBe(1);
		const reqs = await s.requests();
		expect(reqs.filter((q) => q.flavor === 'openai')).toHaveLength(3);
		expect(reqs.filter((q) => q.flavor === 'anthropic')).toHaveLength(3);
	});

	it('all agents failing fails the effect with each agent’s reason and what to do', async () => {
		const { executor } = await setup([{ scenario: 'bad-request' }]);
		const h = makeScope();
		const r = await outcome(executor.run(effect(), h.scope));
		expect(!r.ok && r.error.message).toMatch(/^Only 0 of 3 agents answered \(2 needed\)\. Ann: .*HTTP 400.* · Bob: .* · Cid: .*Lower minSuccess, add fallback models/);
		expect(!r.ok && r.error.data).toMatchObject({ reason: 'agents', succeeded: [] });
		expect(progressOf(h, 'agent').filter((a) => a.status === 'failed').length).toBeGreaterThanOrEqual(2);
	});

	it('agents answering side by side cannot overspend the run’s budget: each call counts the others’ worst case', async () => {
		const { s, executor } = await setup([{ reply: { text: 'yes', usage: { input: 10, output: 5 } } }]);
		// Each call may use ~115 tokens (prompt + max 100); three at once would be ~345.
		const run = withRunInfo(executor.run, { instanceId: `run-${Math.random()}`, budget: { maxTokens: 300 } });
		const r = await outcome(run({ type: 'coordinate_agents', strategy: 'consensus', task: 't', maxTokens: 100, agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, makeScope().scope));
		expect(!r.ok && r.error.data).toEqual({ reason: 'budget' });
		// two calls reserved at their worst case (2 × 115), the third would pass 300
		expect(!r.ok && r.error.message).toMatch(/230 of 300 tokens used, and the next call .* may use up to 115/);
		// The third call is refused before it is sent. The refusal ends the coordination and
		// aborts the two in flight, so the second may or may not have reached the server yet.
		expect((await s.requests()).length).toBeLessThanOrEqual(2);
		// One at a time, the same three calls fit: the first ones are charged what they really used.
		const ok = await outcome(withRunInfo(executor.run, { instanceId: `run-${Math.random()}`, budget: { maxTokens: 300 } })({ type: 'coordinate_agents', strategy: 'consensus', concurrency: 1, task: 't', maxTokens: 100, agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, makeScope().scope));
		expect(ok.ok).toBe(true);
	});

	it('stops the agents still thinking once the policy can no longer be met', async () => {
		const { s, executor } = await setup([
			{ match: 'You are Ann', scenario: 'bad-request' },
			{ match: 'You are Bob', scenario: 'bad-request' },
			{ match: 'You are Cid', reply: { text: 'slow '.repeat(200), delayMs: 20 } }
		]);
		const r = await outcome(executor.run(effect({ output: 'text', schema: undefined, answerField: undefined }), makeScope().scope));
		expect(!r.ok && r.error.message).toMatch(/^Only 0 of 3 agents answered/);
		await expect.poll(async () => (await s.requests()).find((q) => JSON.stringify(q.body).includes('You are Cid'))?.aborted, { timeout: 5000 }).toBe(true);
	});
});
