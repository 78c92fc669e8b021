import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup } from './helpers';

const team = [{ name: 'Boss', role: 'the editor in chief' }, { name: 'Res', role: 'a researcher' }, { name: 'Wri', role: 'a writer' }];

describe('coordinate_agents: hierarchical', () => {
	it('the supervisor delegates through handoff tools and gets each result back, then answers', async () => {
		const { s, executor } = await setup([
			{ match: '/You are Boss[\\s\\S]*Wri wrote it/', reply: { text: 'Final: published.' } },
			{ match: '/You are Boss[\\s\\S]*Res found 3 facts/', reply: { toolCalls: [{ name: 'delegate_to_Wri', arguments: { task: 'Write it up from: Res found 3 facts' } }] } },
			{ match: 'You are Boss', reply: { toolCalls: [{ name: 'delegate_to_Res', arguments: { task: 'Find facts about doors' } }] } },
			{ match: 'You are Res', reply: { text: 'Res found 3 facts' } },
			{ match: 'You are Wri', reply: { text: 'Wri wrote it' } }
		]);
		const h = makeScope();
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', task: 'An article about doors', agents: team }, h.scope)) as any;
		expect(r.output).toBe('Final: published.');
		expect(r.stoppedBy).toBe('answer');
		expect(r.steps).toEqual([
			{ from: 'Boss', to: 'Res', task: 'Find facts about doors', ok: true, output: 'Res found 3 facts' },
			{ from: 'Boss', to: 'Wri', task: 'Write it up from: Res found 3 facts', ok: true, output: 'Wri wrote it' }
		]);
		const reqs = await s.requests();
		const first = reqs[0].body as { messages: { content: string }[]; tools: { function: { name: string } }[] };
		expect(first.tools.map((t) => t.function.name)).toEqual(['delegate_to_Res', 'delegate_to_Wri']);
		expect(first.messages[0].content).toContain('You lead a team.');
		expect(first.messages[0].content).toContain('- Res: a researcher');
		// Workers get the subtask as their prompt and have no one to delegate to.
		const res = reqs.find((q) => JSON.stringify(q.body).includes('You are Res'))!.body as { messages: { content: string }[]; tools?: unknown };
		expect(res.messages.at(-1)!.content).toBe('Find facts about doors');
		expect(res.tools).toBeUndefined();
		expect(progressOf(h, 'agent').find((a) => a.agent === 'Res' && a.status === 'thinking')).toMatchObject({ from: 'Boss', task: 'Find facts about doors' });
		expect(progressOf(h, 'decision')[0]).toMatchObject({ method: 'hierarchical', winner: 'Boss' });
	});

	it('"supervisor" (the older name) still runs as hierarchical', async () => {
		const { executor } = await setup([{ reply: { text: 'done myself' } }]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'supervisor', task: 't', agents: team }, makeScope().scope)) as any;
		expect(r.strategy).toBe('hierarchical');
		expect(r.output).toBe('done myself');
		expect(r.agents.filter((a: any) => a.idle).map((a: any) => a.name)).toEqual(['Res', 'Wri']);
	});

	it('a supervisor that would loop hits maxSteps, is told so, and must answer without tools', async () => {
		const { s, executor } = await setup([
			{ match: 'Step limit reached', reply: { text: 'Best I have.' } },
			{ match: 'You are Boss', reply: { toolCalls: [{ name: 'delegate_to_Res', arguments: { task: 'again' } }] } },
			{ match: 'You are Res', reply: { text: 'same facts' } }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', maxSteps: 3, task: 't', agents: team }, makeScope().scope)) as any;
		expect(r.output).toBe('Best I have.');
		expect(r.stoppedBy).toBe('maxSteps');
		expect(r.steps).toHaveLength(3);
		const reqs = await s.requests();
		const boss = reqs.filter((q) => JSON.stringify(q.body).includes('You are Boss'));
		expect(boss).toHaveLength(5);
		expect((boss[4].body as { tools?: unknown }).tools).toBeUndefined();
		expect(reqs.filter((q) => JSON.stringify(q.body).includes('You are Res'))).toHaveLength(3);
	});

	it('workers may delegate further down to maxDepth levels, not beyond', async () => {
		const agents = [{ name: 'Boss', workers: ['Mid'] }, { name: 'Mid', workers: ['Low'] }, { name: 'Low', workers: ['Mid'] }];
		const rules = [
			{ match: '/You are Boss[\\s\\S]*"role":"tool"/', reply: { text: 'top done' } },
			{ match: 'You are Boss', reply: { toolCalls: [{ name: 'delegate_to_Mid', arguments: { task: 'mid work' } }] } },
			{ match: '/You are Mid[\\s\\S]*"role":"tool"/', reply: { text: 'mid done' } },
			{ match: 'You are Mid', reply: { toolCalls: [{ name: 'delegate_to_Low', arguments: { task: 'low work' } }] } },
			{ match: 'You are Low', reply: { text: 'low done' } }
		];
		const a = await setup(rules);
		const deep = (await a.executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', task: 't', agents }, makeScope().scope)) as any;
		expect(deep.steps.map((x: any) => `${x.from}>${x.to}`)).toEqual(['Mid>Low', 'Boss>Mid']);
		// Low is at depth 2 = maxDepth: it is offered no handoff back to Mid.
		const low = (await a.s.requests()).find((q) => JSON.stringify(q.body).includes('You are Low'))!.body as { tools?: unknown };
		expect(low.tools).toBeUndefined();
		const b = await setup(rules);
		await b.executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', maxDepth: 1, task: 't', agents }, makeScope().scope);
		const mid = (await b.s.requests()).find((q) => JSON.stringify(q.body).includes('You are Mid'))!.body as { tools?: unknown };
		expect(mid.tools).toBeUndefined();
	});

	it('a worker that fails is reported back to the supervisor, which decides what to do', async () => {
		const { s, executor } = await setup([
			{ match: '/You are Boss[\\s\\S]*could not do it/', reply: { text: 'Did it without Res.' } },
			{ match: 'You are Boss', reply: { toolCalls: [{ name: 'delegate_to_Res', arguments: { task: 'x' } }] } },
			{ match: 'You are Res', scenario: 'bad-request' }
		]);
		const r = (await executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', task: 't', agents: team }, makeScope().scope)) as any;
		expect(r.output).toBe('Did it without Res.');
		expect(r.steps[0]).toMatchObject({ to: 'Res', ok: false, error: expect.stringMatching(/HTTP 400/) });
		const last = (await sentMessages(s)).at(-1)!;
		expect(last.at(-1)).toMatchObject({ role: 'tool' });
	});

	it('the supervisor failing fails the coordination', async () => {
		const { executor } = await setup([{ match: 'You are Boss', scenario: 'bad-request' }]);
		const r = await outcome(executor.run({ type: 'coordinate_agents', strategy: 'hierarchical', task: 't', agents: team }, makeScope().scope));
		expect(!r.ok && r.error.code).toBe('http_status');
	});
});
