import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup } from './helpers';

describe('coordinate_agents: parallel', () => {
	it('fans the same task out to every agent at once and joins the answers (concat)', async () => {
		const { s, executor } = await setup([
			{ match: 'You are Ann', reply: { text: 'Pros: fast.', delayMs: 10 } },
			{ match: 'You are Bob', reply: { text: 'Cons: costly.', delayMs: 10 } }
		]);
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'parallel', task: 'Assess the plan', agents: [{ name: 'Ann' }, { name: 'Bob' }] }, h.scope)) as any;
		expect(r.output).toBe('## Ann\n\nPros: fast.\n\n## Bob\n\nCons: costly.');
		// Both were thinking before either finished.
		const st = progressOf(h, 'agent').map((a) => `${a.agent}:${a.status}`);
		expect(st.indexOf('Bob:thinking')).toBeLessThan(st.indexOf('Ann:done'));
		expect((await sentMessages(s)).map((m) => m.at(-1)!.content)).toEqual(['Task: Assess the plan', 'Task: Assess the plan']);
	});

	it('splits subtasks (a list from the context) among the agents in turn; list / object / reducer merges', async () => {
		const rules = [{ match: '/Your part of it: (\\w+)/', reply: { text: 'done' } }];
		const ctx = { parts: ['intro', 'body', 'outro'] };
		const base = { type: 'coordinate_agents', strategy: 'parallel', task: 'Write the essay', subtasks: '{{ context.parts }}', agents: [{ name: 'Ann' }, { name: 'Bob' }] };
		const a = await setup(rules);
		const list = (await a.executor.run({ ...base, merge: 'list' }, makeScope(ctx).scope)) as any;
		expect(list.output).toEqual(['done', 'done', 'done']);
		const sent = (await sentMessages(a.s)).map((m) => `${String(m[0].content).slice(8, 11)} ${String(m.at(-1)!.content).split('Your part of it: ')[1]}`);
		expect(sent.sort()).toEqual(['Ann intro', 'Ann outro', 'Bob body']);
		const b = await setup(rules);
		const obj = (await b.executor.run({ ...base, merge: 'object' }, makeScope(ctx).scope)) as any;
		expect(obj.output).toEqual({ Ann: ['done', 'done'], Bob: 'done' });
		const c = await setup(rules);
		const red = (await c.executor.run({ ...base, reducer: '$join(outputs.(task & ": " & output), "; ")' }, makeScope(ctx).scope)) as any;
		expect(red.output).toBe('intro: done; body: done; outro: done');
	});

	it('a synthesizer agent writes one answer from everyone’s', async () => {
		const { s, executor } = await setup([
			{ match: 'You are Syn', reply: { text: 'Fast but costly.' } },
			{ match: 'You are Ann', reply: { text: 'It is fast.' } },
			{ match: 'You are Bob', reply: { text: 'It is costly.' } }
		]);
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'parallel', synthesizer: 'Syn', task: 'Assess', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Syn' }] }, h.scope)) as any;
		expect(r.output).toBe('Fast but costly.');
		const syn = (await sentMessages(s)).find((m) => String(m[0].content).startsWith('You are Syn'))!;
		expect(syn.at(-1)!.content).toBe("Task: Assess\n\nThe team's answers:\n\n### Ann\nIt is fast.\n\n### Bob\nIt is costly.\n\nCombine them into one complete answer to the task.");
		expect(progressOf(h, 'decision')[0]).toMatchObject({ method: 'synthesizer', winner: 'Syn' });
		expect(progressOf(h, 'coordination')[0]).toMatchObject({ lead: 'Syn' });
	});

	it('fan-out needs one answer by default; split work needs every agent, and stops the rest when one fails', async () => {
		const rules = [
			{ match: 'You are Ann', scenario: 'bad-request' },
			{ match: 'You are Bob', reply: { text: 'slow answer '.repeat(15), delayMs: 20 } }
		];
		const a = await setup(rules);
		const fan = (await a.executor.run({ type: 'coordinate_agents', strategy: 'parallel', task: 't', agents: [{ name: 'Ann' }, { name: 'Bob' }] }, makeScope().scope)) as any;
		expect(fan.output).toContain('## Bob');
		expect(fan.output).not.toContain('## Ann');
		const b = await setup(rules);
		const split = await outcome(b.executor.run({ type: 'coordinate_agents', strategy: 'parallel', task: 't', subtasks: ['x', 'y'], agents: [{ name: 'Ann' }, { name: 'Bob' }] }, makeScope().scope));
		expect(!split.ok && split.error.message).toMatch(/^Only 0 of 2 agents answered \(2 needed\)\. Ann: .*HTTP 400.* · Bob: .*Too few agents can still answer/);
		await expect.poll(async () => (await b.s.requests()).find((q) => JSON.stringify(q.body).includes('You are Bob'))?.aborted, { timeout: 5000 }).toBe(true);
	});

	it('concurrency limits how many agents call a model at the same time', async () => {
		const { executor } = await setup([{ reply: { text: 'ok', delayMs: 5 } }]);
		const h = makeScope();
		await executor.run({ type: 'coordinate_agents', strategy: 'parallel', concurrency: 1, task: 't', agents: [{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }] }, h.scope);
		const st = progressOf(h, 'agent').filter((a) => a.status !== 'waiting').map((a) => `${a.agent}:${a.status}`);
		expect(st).toEqual(['Ann:thinking', 'Ann:done', 'Bob:thinking', 'Bob:done', 'Cid:thinking', 'Cid:done']);
	});
});
