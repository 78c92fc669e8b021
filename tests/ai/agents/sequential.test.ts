import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { outcome } from '../../effects/helpers';
import { makeScope, progressOf, sentMessages, setup, statuses } from './helpers';

describe('coordinate_agents: sequential', () => {
	it('each agent works on the previous one’s output; the last answer is the result', async () => {
		const { s, executor } = await setup([
			{ match: 'You are Drafter', reply: { text: 'Draft: doors open inward.' } },
			{ match: 'You are Editor', reply: { text: 'Edited: Doors open inward, for safety.' } }
		]);
		const h = makeScope({ topic: 'doors' });
		const r = (await executor.run(
			{ type: 'coordinate_agents', strategy: 'sequential', task: 'Write one line about {{ context.topic }}', agents: [{ name: 'Drafter' }, { name: 'Editor', role: 'a careful editor' }], assignTo: 'text' },
			h.scope
		)) as Record<string, any>;
		expect(r.output).toBe('Edited: Doors open inward, for safety.');
		expect(r.agents.map((a: any) => [a.name, a.ok])).toEqual([
			['Drafter', true],
			['Editor', true]
		]);
		expect(r.usage.calls).toBe(2);
		const [first, second] = await sentMessages(s);
		expect(first.at(-1)).toEqual({ role: 'user', content: 'Task: Write one line about doors' });
		expect(second[0]).toEqual({ role: 'system', content: 'You are Editor, a careful editor.' });
		expect(String(second.at(-1)!.content)).toContain('The previous agent, Drafter, produced this:\n\nDraft: doors open inward.');
		expect(h.patches.at(-1)).toEqual({ text: r });
		expect(statuses(h)).toEqual(['Drafter:waiting', 'Editor:waiting', 'Drafter:thinking', 'Drafter:done', 'Editor:thinking', 'Editor:done']);
		expect(progressOf(h, 'decision')[0]).toMatchObject({ method: 'sequential', winner: 'Editor' });
	});

	it('every agent step is a span under the coordination with its tokens and cost; text streams into lanes', async () => {
		const { executor, records } = await setup([{ reply: { text: 'An answer that streams in small pieces.', deltaChars: 3, usage: { input: 50, output: 12 } } }]);
		const h = makeScope();
		await executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 'x', agents: [{ name: 'A' }, { name: 'B' }] }, h.scope);
		const root = h.effects().find((e) => e.phase === 'start' && e.effectType === 'coordinate_agents')!;
		const children = h.effects().filter((e) => e.parentSpanId === root.spanId && e.phase === 'start');
		expect(children.map((c) => [c.effectType, c.effect])).toEqual([
			['agent:A', 'coordinate_agents/agent:A'],
			['agent:B', 'coordinate_agents/agent:B']
		]);
		for (const c of children) {
			const own = h.effects().filter((e) => e.spanId === c.spanId);
			expect(own.at(-1)!.phase).toBe('end');
			expect(own.find((e) => (e.data as any)?.kind === 'usage')?.data).toMatchObject({ inputTokens: 50, outputTokens: 12, agent: c.effectType.slice(6) });
			expect(own[0].traceId).toBe(root.traceId);
		}
		const text = progressOf(h, 'text');
		expect(text.filter((t) => t.agent === 'A').map((t) => t.delta).join('')).toBe('An answer that streams in small pieces.');
		expect(records.map((r) => r.caller)).toEqual(['A', 'B']);
	});

	it('a failing agent is skipped when the policy allows it; by default every agent must answer', async () => {
		const rules = [
			{ match: 'You are B', scenario: 'bad-request' },
			{ match: 'You are A', reply: { text: 'from A' } },
			{ match: 'You are C', reply: { text: 'C built on it' } }
		];
		const strict = await setup(rules);
		const r1 = await outcome(strict.executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 't', agents: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, makeScope().scope));
		expect(!r1.ok && r1.error.message).toMatch(/^Only 1 of 3 agents answered \(3 needed\)\. B: OpenAI answered HTTP 400/);
		// C never ran: the chain could not succeed any more.
		expect((await sentMessages(strict.s)).length).toBe(2);

		const lenient = await setup(rules);
		const r2 = (await lenient.executor.run({ type: 'coordinate_agents', strategy: 'sequential', task: 't', minSuccess: 2, agents: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] }, makeScope().scope)) as any;
		expect(r2.output).toBe('C built on it');
		const c = (await sentMessages(lenient.s)).at(-1)!;
		expect(String(c.at(-1)!.content)).toContain('The previous agent, A, produced this');
		expect(r2.agents.find((a: any) => a.name === 'B')).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 400/) });
	});
});
