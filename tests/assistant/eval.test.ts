import { describe, expect, inject, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateAssistant } from '$lib/assistant/eval';
import { mockSession } from '../mocks/client';
import { brokenDraft, goodDraft, mockChat } from './helpers';

// The evaluation behind `npm run eval:assistant`, against the mock LLM server: its shares come
// from checking the drafts again, not from the assistant's own verdict.

const base = inject('mockLlmUrl');

describe('eval:assistant', () => {
	it('has 20 workflow descriptions', () => {
		const dir = join(import.meta.dirname, '../fixtures/assistant-eval');
		const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
		expect(files).toHaveLength(20);
		for (const f of files) expect(readFileSync(join(dir, f), 'utf8').trim().length, f).toBeGreaterThan(40);
	});

	it('reports the share that parses, the share lint-clean and the share valid on the first answer', async () => {
		const s = mockSession(base);
		const unreachable = { ...goodDraft, states: { ...goodDraft.states, orphan: { on: { GO: 'done' } } } };
		await s.script([
			{ match: 'CASE-A', reply: { json: { summary: 'a', workflow: goodDraft }, usage: { input: 100, output: 50 } } },
			// repaired on the second answer, but left with a warning (a state nothing reaches)
			{ match: 'CASE-B', times: 1, reply: { json: { summary: 'b', workflow: brokenDraft } } },
			{ match: 'CASE-B', reply: { json: { summary: 'b', workflow: unreachable } } },
			// never valid
			{ match: 'CASE-C', reply: { json: { summary: 'c', workflow: brokenDraft } } }
		]);
		const seen: string[] = [];
		const r = await evaluateAssistant(
			[
				{ id: 'a', description: 'CASE-A answer tickets' },
				{ id: 'b', description: 'CASE-B answer tickets' },
				{ id: 'c', description: 'CASE-C answer tickets' }
			],
			{ chat: mockChat(s.openai).chat, maxRepairs: 1 },
			(item) => seen.push(item.id)
		);
		expect(seen).toEqual(['a', 'b', 'c']);
		expect(r.items.map((x) => [x.id, x.parsed, x.lintClean, x.firstTry, x.repairs])).toEqual([
			['a', true, true, true, 0],
			['b', true, false, false, 1],
			['c', false, false, false, 2]
		]);
		expect(r.items[1].warnings.join(' ')).toMatch(/orphan/);
		expect(r.items[2].failure).toMatch(/did not manage a valid workflow after 1 repair round/);
		expect(r.parsedShare).toBeCloseTo(2 / 3);
		expect(r.lintCleanShare).toBeCloseTo(1 / 3);
		expect(r.firstTryShare).toBeCloseTo(1 / 3);
		expect(r.costUsd).toBeGreaterThan(0);
		expect(await s.requests()).toHaveLength(1 + 2 + 2);
	});
});
