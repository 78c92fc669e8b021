import { describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { createAssistant, applyOps, buildPreview } from '$lib/assistant';
import { LOCAL, readWorkflow, writeWorkflow } from '$lib/collab/binding';
import { lintWorkflow, parseWorkflow } from '$lib/model';
import { mockSession } from '../mocks/client';
import { brokenDraft, goodDraft, httpWorkflow, mockChat } from './helpers';

const base = inject('mockLlmUrl');

function setup(maxRepairs = 2) {
	const s = mockSession(base);
	const service = mockChat(s.openai);
	const assistant = createAssistant({ chat: service.chat, maxRepairs });
	return { s, assistant };
}

const bodyOf = (r: { body: unknown }) => r.body as { messages: { role: string; content: string }[]; response_format?: { json_schema?: { schema?: Record<string, unknown> } } };

describe('draft', () => {
	it('a valid draft: structured output constrained by the format’s JSON Schema, parsed, lint-clean, cost reported', async () => {
		const { s, assistant } = setup();
		await s.script([{ reply: { json: { summary: 'Answers tickets.', workflow: goodDraft }, usage: { input: 1200, output: 300 } } }]);
		const streamed: string[] = [];
		const r = await assistant.draft('Answer support tickets with a model, hand failures to a person', { id: 'wf-1', onText: (d) => streamed.push(d) });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.workflow.id).toBe('wf-1');
		expect(r.workflow.name).toBe('Ticket answerer');
		expect(r.summary).toBe('Answers tickets.');
		expect(r.rounds).toEqual([]);
		expect(lintWorkflow(r.workflow).filter((p) => p.severity === 'error')).toEqual([]);
		expect(streamed.join('')).toContain('"workflow"');
		expect(r.spend).toMatchObject({ inputTokens: 1200, outputTokens: 300, calls: 1, model: 'gpt-4o-mini' });
		expect(r.spend.costUsd).toBeCloseTo((1200 * 0.15 + 300 * 0.6) / 1e6, 12);
		const [req] = await s.requests();
		const body = bodyOf(req);
		const schema = body.response_format!.json_schema!.schema!;
		// the workflow schema with its $defs, effect kinds listed
		expect(schema.required).toEqual(['summary', 'workflow']);
		const defs = schema.$defs as Record<string, Record<string, unknown>>;
		expect(Object.keys(defs)).toEqual(expect.arrayContaining(['Workflow', 'StateNode', 'Effect', 'Transition', 'TransitionConfig']));
		expect((defs.Effect.properties as Record<string, { enum?: string[] }>).type.enum).toEqual(expect.arrayContaining(['call_llm', 'http', 'retry', 'timeout']));
		expect(body.messages[0].content).toContain('call_llm (ai)');
		expect(body.messages[1].content).toContain('Answer support tickets');
	});

	it('a draft with errors is repaired: the errors are sent back, the second answer passes', async () => {
		const { s, assistant } = setup();
		await s.script([
			{ reply: { json: { summary: 'first try', workflow: brokenDraft } }, times: 1 },
			{ reply: { json: { summary: 'fixed', workflow: goodDraft } } }
		]);
		const statuses: string[] = [];
		const r = await assistant.draft('tickets', { onStatus: (st) => statuses.push(`${st.phase}:${st.round}`) });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.summary).toBe('fixed');
		expect(r.rounds).toHaveLength(1);
		expect(r.rounds[0].problems.join(' ')).toMatch(/answerring/);
		expect(statuses).toEqual(['asking:0', 'checking:0', 'repairing:1', 'checking:1', 'done:1']);
		const reqs = await s.requests();
		expect(reqs).toHaveLength(2);
		const second = bodyOf(reqs[1]).messages;
		// the model sees its own answer and then every problem, with paths
		expect(second.at(-2)!.role).toBe('assistant');
		const feedback = second.at(-1)!.content;
		expect(feedback).toMatch(/repair round 1 of 2/);
		expect(feedback).toMatch(/answerring/);
		expect(r.spend.calls).toBe(2);
	});

	it('effect parameters are checked too, not only the shape: an HTTP request without a URL is sent back', async () => {
		const { s, assistant } = setup(1);
		const noUrl = { ...goodDraft, states: { ...goodDraft.states, human: { entry: [{ type: 'http', method: 'POST' }], on: { RESOLVED: 'done' } } } };
		await s.script([{ reply: { json: { summary: 'x', workflow: noUrl } }, times: 1 }, { reply: { json: { summary: 'y', workflow: goodDraft } } }]);
		const r = await assistant.draft('tickets');
		expect(r.ok).toBe(true);
		const feedback = bodyOf((await s.requests())[1]).messages.at(-1)!.content;
		expect(feedback).toMatch(/states\.human\.entry\[0\]\.url \(http\)/);
	});

	it('a draft that cannot be repaired: a clear message after N rounds, nothing returned to apply', async () => {
		const { s, assistant } = setup(2);
		await s.script([{ reply: { json: { summary: 'still broken', workflow: brokenDraft } } }]);
		const doc = new Y.Doc();
		writeWorkflow(doc, httpWorkflow);
		const before = JSON.stringify(readWorkflow(doc));
		const r = await assistant.draft('tickets', { current: readWorkflow(doc) });
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.reason).toBe('invalid');
		expect(r.message).toMatch(/did not manage a valid workflow after 2 repair rounds; nothing was changed/);
		expect(r.message).toMatch(/answerring/);
		expect(r.rounds).toHaveLength(3);
		expect(await s.requests()).toHaveLength(3);
		expect(JSON.stringify(readWorkflow(doc))).toBe(before);
	});

	it('a reply that is not JSON, or JSON with dangerous keys, is refused and repaired — never run, never thrown', async () => {
		const { s, assistant } = setup(2);
		await s.script([
			{ reply: { text: 'Sure! Here is your workflow: {"oops": ' }, times: 1 },
			{ reply: { text: '{"summary":"x","workflow":{"format":"fsm-studio/workflow","version":1,"id":"a","name":"a","initial":"a","states":{"a":{"type":"final"}},"__proto__":{"polluted":true}}}' }, times: 1 },
			{ reply: { text: '```json\n' + JSON.stringify({ summary: 'fenced', workflow: goodDraft }) + '\n```' } }
		]);
		const r = await assistant.draft('tickets');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.summary).toBe('fenced');
		expect(r.rounds[0].problems[0]).toMatch(/not the JSON object/);
		expect(r.rounds[1].problems[0]).toMatch(/__proto__/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('a cancelled request: the HTTP stream is closed, nothing is returned to apply', async () => {
		const { s, assistant } = setup();
		await s.script([{ scenario: 'slow' }]);
		const ctl = new AbortController();
		let got = '';
		const r = await assistant.draft('anything', {
			signal: ctl.signal,
			onText: (d) => {
				got += d;
				if (got.length >= 10) ctl.abort();
			}
		});
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.reason).toBe('cancelled');
		expect(r.message).toMatch(/Cancelled — nothing was changed/);
		// the server sees the connection closed before the end of its stream
		let rec;
		for (let i = 0; i < 50; i++) {
			[rec] = await s.requests();
			if (rec?.aborted) break;
			await new Promise((res) => setTimeout(res, 50));
		}
		expect(rec?.aborted).toBe(true);
	});

	it('provider errors become a message, not an exception', async () => {
		const { s, assistant } = setup();
		await s.script([{ scenario: 'bad-request' }]);
		const r = await assistant.draft('anything');
		expect(r).toMatchObject({ ok: false, reason: 'provider' });
		if (!r.ok) expect(r.message).toMatch(/The model could not be reached/);
	});
});

describe('edit', () => {
	const wrapOps = [
		{
			op: 'setStateFields',
			path: 'fetching',
			fields: { invoke: { type: 'retry', maxAttempts: 3, effect: { type: 'http', url: 'https://api.example.com/items' } } }
		}
	];

	it('an instruction becomes the designer’s edit operations; applied as one undo step that other peers receive', async () => {
		const { s, assistant } = setup();
		await s.script([{ reply: { json: { summary: 'Wrapped the call in a retry.', operations: wrapOps } } }]);
		const doc = new Y.Doc();
		writeWorkflow(doc, httpWorkflow, 'load');
		const peer = new Y.Doc();
		Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
		const sent: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array, origin: unknown) => origin === LOCAL && sent.push(u));
		const undo = new Y.UndoManager(doc.getMap('workflow'), { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
		const before = readWorkflow(doc);

		const r = await assistant.edit(doc, 'wrap the HTTP call in a retry with 3 attempts');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.summary).toBe('Wrapped the call in a retry.');
		// the proposal is computed on a copy: the document is untouched until accepted
		expect(readWorkflow(doc)).toEqual(before);
		expect(r.workflow.states.fetching.invoke).toMatchObject({ type: 'retry', maxAttempts: 3 });
		const preview = buildPreview(before, r.workflow);
		expect(preview.marks.states).toEqual({ fetching: 'changed' });

		const applied = applyOps(doc, r.operations);
		expect(applied.ok).toBe(true);
		expect(readWorkflow(doc).states.fetching.invoke).toMatchObject({ type: 'retry', maxAttempts: 3, effect: { type: 'http' } });
		// one transaction: one update for the peers, one step for undo
		expect(sent).toHaveLength(1);
		Y.applyUpdate(peer, sent[0]);
		expect(readWorkflow(peer)).toEqual(readWorkflow(doc));
		expect(undo.undoStack).toHaveLength(1);
		undo.undo();
		expect(readWorkflow(doc)).toEqual(before);
		undo.redo();
		expect(readWorkflow(doc).states.fetching.invoke).toMatchObject({ type: 'retry' });
	});

	it('operations that fail are sent back with the reason, and the corrected list is used', async () => {
		const { s, assistant } = setup();
		await s.script([
			{ reply: { json: { summary: 'x', operations: [{ op: 'addTransition', source: 'fetching', event: 'CANCEL', target: 'idel' }] } }, times: 1 },
			{ reply: { json: { summary: 'Added a way to cancel.', operations: [{ op: 'addTransition', source: 'fetching', event: 'CANCEL', target: 'idle' }] } } }
		]);
		const r = await assistant.edit(httpWorkflow, 'let the user cancel the fetch');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.rounds[0].problems[0]).toMatch(/Operation 1 \(addTransition\) fails: There is no state "idel"/);
		expect(r.workflow.states.fetching.on?.CANCEL).toBe('idle');
		// positions for nothing new; the layout is kept
		expect(r.workflow.layout).toEqual(httpWorkflow.layout);
	});

	it('operations that leave the workflow broken are refused; new states get positions', async () => {
		const { s, assistant } = setup(1);
		await s.script([
			{ reply: { json: { summary: 'x', operations: [{ op: 'addState', key: 'review', state: { on: { OK: 'nowhere' } } }] } }, times: 1 },
			{
				reply: {
					json: {
						summary: 'Review step added.',
						operations: [
							{ op: 'addState', key: 'review', state: { on: { OK: 'done', REDO: 'fetching' } } },
							{ op: 'updateTransition', source: 'fetching', event: 'onDone', set: { target: 'review' } }
						]
					}
				}
			}
		]);
		const r = await assistant.edit(httpWorkflow, 'add a review step after fetching');
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.rounds[0].problems.join(' ')).toMatch(/nowhere/);
		expect(r.workflow.layout?.review).toBeDefined();
		expect(parseWorkflow(r.workflow).ok).toBe(true);
		const preview = buildPreview(httpWorkflow, r.workflow);
		expect(preview.marks.states.review).toBe('added');
		expect(Object.values(preview.marks.transitions)).toContain('added');
	});
});

describe('explain and review', () => {
	it('explain streams plain text and reports its cost', async () => {
		const { s, assistant } = setup();
		await s.script([{ reply: { text: 'It fetches items and stores them.', usage: { input: 500, output: 20 } } }]);
		const parts: string[] = [];
		const r = await assistant.explain(httpWorkflow, { onText: (d) => parts.push(d) });
		expect(r).toMatchObject({ ok: true, text: 'It fetches items and stores them.' });
		expect(parts.length).toBeGreaterThan(1);
		const body = bodyOf((await s.requests())[0]);
		expect(body.response_format).toBeUndefined();
	});

	it('review: the rules find the missing timeout; the model’s findings are added', async () => {
		const { s, assistant } = setup();
		await s.script([{ reply: { json: { summary: 'Mostly fine.', findings: [{ severity: 'low', state: 'idle', title: 'No input check', detail: 'FETCH carries no validation.', fix: 'Add a guard to FETCH.' }] } } }]);
		const r = await assistant.review(httpWorkflow);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.summary).toBe('Mostly fine.');
		expect(r.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['no-timeout', 'model']));
		expect(r.findings.find((f) => f.rule === 'model')).toMatchObject({ state: 'idle', fix: 'Add a guard to FETCH.', source: 'model' });
		const prompt = bodyOf((await s.requests())[0]).messages[1].content;
		expect(prompt).toMatch(/http without a timeout/);
	});
});
