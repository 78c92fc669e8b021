import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { usageSummary, runTotals, spentByInstance, dayOf } from '$lib/ai/usage/totals';
import type { UsageRecord } from '$lib/store/ai-db';
import { freshAiDb } from './helpers';

const rec = (over: Partial<UsageRecord>): UsageRecord => ({
	time: Date.now(),
	day: dayOf(Date.now()),
	workspaceId: 'default',
	providerId: 'oa',
	providerKind: 'openai',
	model: 'gpt-4o-mini',
	inputTokens: 100,
	outputTokens: 50,
	cachedInputTokens: 0,
	reasoningTokens: 0,
	costUsd: 0.001,
	costSource: 'prices',
	estimated: false,
	pricesVersion: '0.1.8',
	outcome: 'ok',
	...over
});

describe('usage totals', () => {
	it('per day (every day of the range), workflow and model', async () => {
		const db = freshAiDb();
		const now = Date.now();
		const yesterday = now - 86_400_000;
		await db.usage.bulkAdd([
			rec({ workflowId: 'a', workflowName: 'Triage', instanceId: 'i1', state: 'classify' }),
			rec({ workflowId: 'a', workflowName: 'Triage', instanceId: 'i1', state: 'reply', model: 'claude-haiku-4-5', providerId: 'an', costUsd: 0.002 }),
			rec({ workflowId: 'b', workflowName: 'Digest', instanceId: 'i2', time: yesterday, day: dayOf(yesterday), estimated: true }),
			rec({ caller: 'assistant', costUsd: 0 })
		]);
		const s = await usageSummary({ from: now - 6 * 86_400_000 }, db);
		expect(s.byDay).toHaveLength(7);
		expect(s.byDay.at(-1)!.totals.calls).toBe(3);
		expect(s.byDay.at(-2)!.totals.calls).toBe(1);
		expect(s.total).toMatchObject({ calls: 4, inputTokens: 400, outputTokens: 200, estimated: true });
		expect(s.total.costUsd).toBeCloseTo(0.004, 10);
		expect(s.byWorkflow.map((w) => [w.name, w.totals.calls])).toEqual([
			['Triage', 2],
			['Digest', 1],
			['Assistant', 1]
		]);
		expect(s.byModel.map((m) => m.model)).toEqual(['gpt-4o-mini', 'claude-haiku-4-5']);
		expect(s.pricesVersions).toEqual(['0.1.8']);
		const run = await runTotals('i1', db);
		expect(run.total.calls).toBe(2);
		expect(Object.keys(run.byState)).toEqual(['classify', 'reply']);
		expect(await spentByInstance('i1', db)).toEqual({ costUsd: 0.003, tokens: 300 });
	});
});
