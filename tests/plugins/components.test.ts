import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LOCAL, readWorkflow, writeWorkflow } from '$lib/collab/binding';
import { addTransition } from '$lib/collab/ops';
import { createExecutor } from '$lib/effects';
import { simulatedHandlers } from '$lib/effects/simulated';
import { createInterpreter } from '$lib/engine';
import type { EventObject, InstanceEvent } from '$lib/engine/types';
import { checkWorkflow } from '$lib/model';
import type { Workflow } from '$lib/model/types';
import { VirtualClock } from '$lib/sim/clock';
import { builtinComponents, componentOf, extractComponent, insertComponent, parameterCandidates, readComponent, updateComponent, type ComponentDef } from '$lib/components';

const byId = (id: string) => builtinComponents.find((c) => c.id === id)!;

/** A workflow `idle --GO--> <component> --onDone--> finished`, built through the edit operations. */
function host(c: ComponentDef, values: Record<string, unknown> = {}) {
	const doc = new Y.Doc();
	writeWorkflow(doc, { format: 'fsm-studio/workflow', version: 1, id: 'host', name: 'Host', initial: 'idle', context: {}, states: { idle: {}, finished: { type: 'final' }, gave_up: { type: 'final' } } } as unknown as Workflow, 'load');
	const undo = new Y.UndoManager(doc.getMap('workflow'), { trackedOrigins: new Set([LOCAL]), captureTimeout: 0 });
	const path = insertComponent(doc, c, values, { position: { x: 300, y: 0 } });
	addTransition(doc, 'idle', path, 'GO');
	addTransition(doc, path, 'finished', 'onDone');
	return { doc, path, undo };
}

/** Runs a workflow on a virtual clock with the real executor (plus any handlers). */
function run(wf: Workflow, handlers: Record<string, (p: never) => unknown> = {}) {
	const clock = new VirtualClock();
	const events: InstanceEvent[] = [];
	const it = createInterpreter(wf, { clock, runEffect: createExecutor({ clock, handlers: handlers as never }).run, onEvent: (e) => events.push(e) });
	it.start();
	const settle = async () => {
		for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
	};
	return {
		it,
		clock,
		events,
		emitted: () => events.filter((e): e is Extract<InstanceEvent, { kind: 'emit' }> => e.kind === 'emit').map((e) => e.event),
		async send(e: EventObject) {
			it.send(e);
			await settle();
		},
		async advance(ms: number) {
			clock.advance(ms);
			await settle();
		},
		settle
	};
}

let server: Server;
let authUrl = '';
const authCalls: { user: string; token: string }[] = [];
beforeAll(async () => {
	server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			const b = JSON.parse(body || '{}');
			authCalls.push(b);
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ allowed: b.token === 'right' }));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	authUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('bundled components', () => {
	it.each(builtinComponents.map((c) => [c.id, c] as const))('%s inserts as one compound state that parses and lints without errors', (_id, c) => {
		const { doc, path, undo } = host(c);
		const wf = readWorkflow(doc);
		expect(path).toBe(c.key);
		const state = wf.states[path];
		expect(state.type).toBe('compound');
		expect(componentOf(wf, path)).toMatchObject({ id: c.id, version: c.componentVersion });
		const r = checkWorkflow(wf);
		expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
		for (const child of Object.keys(state.states ?? {})) expect(wf.layout?.[`${path}.${child}`], child).toBeDefined();
		// inserting was one undo step (the two transitions after it are their own)
		expect(undo.undoStack).toHaveLength(3);
		// no placeholder survives
		expect(JSON.stringify({ ...state, meta: undefined })).not.toMatch(/\$\{/);
	});

	it('two copies keep their context apart', () => {
		const { doc } = host(byId('security'));
		insertComponent(doc, byId('security'), {});
		const wf = readWorkflow(doc);
		expect(Object.keys(wf.states)).toContain('security2');
		expect(wf.context).toMatchObject({ security_failures: 0, security2_failures: 0 });
		expect(JSON.stringify(wf.states.security2)).toContain('context.security2_failures');
	});

	it('Security: checks a real authorization server, locks out after N failures, audits every decision', async () => {
		authCalls.length = 0;
		const { doc } = host(byId('security'), { authUrl, maxFailures: 2, lockoutMs: 60000 });
		const r = run(readWorkflow(doc));
		await r.send({ type: 'GO', user: 'ana', token: 'wrong' });
		expect(r.it.snapshot().value).toEqual({ security: 'denied' });
		await r.send({ type: 'RETRY', user: 'ana', token: 'wrong-again' });
		expect(r.it.snapshot().value).toEqual({ security: 'locked' });
		expect(authCalls.map((c) => c.token)).toEqual(['wrong', 'wrong-again']);
		// locked: a retry is not possible until the lockout is over
		await r.send({ type: 'RETRY', user: 'ana', token: 'right' });
		expect(r.it.snapshot().value).toEqual({ security: 'locked' });
		await r.advance(60000);
		expect(r.it.snapshot().value).toEqual({ security: 'denied' });
		await r.send({ type: 'RETRY', user: 'ana', token: 'right' });
		expect(r.it.snapshot().value).toBe('finished');
		expect(r.emitted().map((e) => e.action)).toEqual(['access.denied', 'access.denied', 'access.locked', 'access.granted']);
		expect(r.emitted()[3]).toMatchObject({ type: 'AUDIT', user: 'ana', component: 'security' });
	});

	it('Timer: a reminder, then an escalation to whom the parameter says; DONE ends it', async () => {
		const { doc } = host(byId('timer'), { reminderMs: 1000, escalateMs: 2000, escalateTo: 'team-lead' });
		const r = run(readWorkflow(doc));
		await r.send({ type: 'GO' });
		await r.advance(999);
		expect(r.emitted()).toEqual([]);
		await r.advance(1);
		expect(r.emitted().map((e) => e.type)).toEqual(['REMINDER']);
		await r.advance(2000);
		expect(r.emitted()[1]).toMatchObject({ type: 'ESCALATE', to: 'team-lead' });
		await r.send({ type: 'DONE' });
		expect(r.it.snapshot().value).toBe('finished');
	});

	it('AI step: a too-short answer goes to the fallback model named in the parameters', async () => {
		const calls: Record<string, unknown>[] = [];
		const { doc } = host(byId('ai-step'), { model: { provider: 'openai', model: 'gpt-4o-mini' }, fallback: { provider: 'anthropic', model: 'claude-haiku-4-5' }, minLength: 10, prompt: 'Say: {{ context.ai_step_input }}' });
		const wf = readWorkflow(doc);
		const r = run(wf, {
			call_llm: (p: Record<string, unknown>) => {
				calls.push(p);
				return calls.length === 1 ? 'short' : 'a long enough answer';
			}
		} as never);
		await r.send({ type: 'GO', text: 'hello' });
		expect(r.it.snapshot().value).toBe('finished');
		expect(calls.map((c) => [c.provider, c.model, c.prompt])).toEqual([
			['openai', 'gpt-4o-mini', 'Say: hello'],
			['anthropic', 'claude-haiku-4-5', 'Say: hello']
		]);
		expect(r.it.snapshot().context.ai_step_answer).toBe('a long enough answer');
	});

	it('RAG: retrieve → prepare numbered sources → generate from them', async () => {
		const { doc } = host(byId('rag'), { knowledgeBase: 'manuals', topK: 2 });
		let prompt = '';
		const r = run(readWorkflow(doc), {
			vector_search: (p: Record<string, unknown>) => {
				expect(p).toMatchObject({ collection: 'manuals', topK: 2, query: 'How to reset?' });
				return [{ text: 'Hold the button 5 s.' }, { text: 'The light blinks.' }];
			},
			call_llm: (p: Record<string, unknown>) => {
				prompt = String(p.prompt);
				return 'Hold the button for 5 seconds [1].';
			}
		} as never);
		await r.send({ type: 'GO', question: 'How to reset?' });
		expect(r.it.snapshot().value).toBe('finished');
		expect(prompt).toContain('[1] Hold the button 5 s.\n\n[2] The light blinks.');
		expect(prompt).toContain('Question: How to reset?');
		expect(r.it.snapshot().context.rag_answer).toBe('Hold the button for 5 seconds [1].');
	});

	it('Multi-agent: spawn → coordinate (simulated agents) → synthesize', async () => {
		const { doc } = host(byId('multi-agent'));
		const r = run(readWorkflow(doc), simulatedHandlers([]) as never);
		await r.send({ type: 'GO', task: 'Plan a launch' });
		expect(r.it.snapshot().value).toBe('finished');
		expect(String(r.it.snapshot().context.team_result)).toMatch(/Simulated/);
	});
});

describe('parameters after inserting', () => {
	it('changing them rebuilds the state as one undo step; transitions the user added stay', () => {
		const { doc, path, undo } = host(byId('timer'), { reminderMs: 1000 });
		addTransition(doc, path, 'gave_up', 'CANCEL');
		const before = readWorkflow(doc);
		expect(Object.keys(before.states.timer.states!.waiting.after!)).toEqual(['1000']);
		const steps = undo.undoStack.length;
		updateComponent(doc, path, byId('timer'), { reminderMs: 5000, escalateMs: 10000, escalateTo: 'ops' });
		const after = readWorkflow(doc);
		expect(Object.keys(after.states.timer.states!.waiting.after!)).toEqual(['5000']);
		expect(after.states.timer.on?.CANCEL).toBe('gave_up');
		expect(after.states.timer.onDone).toBe('finished');
		expect(componentOf(after, path)?.values).toMatchObject({ reminderMs: 5000, escalateTo: 'ops' });
		expect(undo.undoStack.length).toBe(steps + 1);
		undo.undo();
		expect(readWorkflow(doc)).toEqual(before);
	});

	it('bad values are refused with the reason, and nothing is inserted', () => {
		const doc = new Y.Doc();
		writeWorkflow(doc, { format: 'fsm-studio/workflow', version: 1, id: 'h', name: 'h', initial: 'a', states: { a: {} } } as unknown as Workflow);
		expect(() => insertComponent(doc, byId('security'), { maxFailures: 0 })).toThrow('Failures before lockout must be at least 1.');
		expect(() => insertComponent(doc, byId('security'), { authUrl: 'auth.example.com' })).toThrow(/must be an address/);
		expect(Object.keys(readWorkflow(doc).states)).toEqual(['a']);
	});
});

describe('a component of one’s own', () => {
	const wf = {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'mine',
		name: 'Mine',
		initial: 'approval',
		context: { approvals: 0, unrelated: true },
		states: {
			approval: {
				initial: 'asking',
				states: {
					asking: {
						invoke: { type: 'http', method: 'POST', url: 'https://hooks.example.com/ask', timeoutMs: 5000 },
						onDone: 'waiting',
						onError: 'rejected'
					},
					waiting: {
						on: { APPROVE: [{ target: 'approved', guard: 'context.approvals >= 2', effects: [] }, { target: 'waiting', effects: [{ type: 'assign', set: { approvals: 'context.approvals + 1' } }] }], REJECT: 'rejected' },
						after: { '86400000': 'rejected' }
					},
					approved: { type: 'final' },
					rejected: { type: 'final' }
				}
			}
		},
		layout: { approval: { x: 0, y: 0, width: 600, height: 300 }, 'approval.asking': { x: 20, y: 50 }, 'approval.waiting': { x: 250, y: 50 } }
	} as unknown as Workflow;

	it('lists the values that can become parameters: effect fields, numbers in guards, delays', () => {
		const c = parameterCandidates(wf.states.approval);
		const pick = (where: string) => c.filter((x) => x.where === where).map((x) => [x.kind, x.value]);
		expect(pick('states › asking › invoke › url')).toEqual([['value', 'https://hooks.example.com/ask']]);
		expect(pick('states › waiting › on › APPROVE › 0 › guard')).toEqual([['in-expression', 2]]);
		expect(pick('states › waiting › after › 86400000')).toEqual([['delay', 86400000]]);
	});

	it('saved with parameters, it is inserted elsewhere with other values and behaves accordingly', async () => {
		const cands = parameterCandidates(wf.states.approval);
		const url = cands.find((x) => x.kind === 'value' && x.value === 'https://hooks.example.com/ask')!;
		const needed = cands.find((x) => x.kind === 'in-expression')!;
		const wait = cands.find((x) => x.kind === 'delay')!;
		const r = extractComponent(wf, 'approval', { id: 'two-approvals', name: 'Approvals' }, [
			{ candidate: url, param: { id: 'hook', label: 'Webhook', type: 'url', default: null } },
			{ candidate: needed, param: { id: 'needed', label: 'Approvals needed', type: 'number', default: null, min: 1 } },
			{ candidate: wait, param: { id: 'waitMs', label: 'Wait (ms)', type: 'number', default: null } }
		]);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const c = r.component;
		expect(c.params.map((p) => [p.id, p.default])).toEqual([['hook', 'https://hooks.example.com/ask'], ['needed', 2], ['waitMs', 86400000]]);
		expect(c.context).toEqual({ approvals: 0 });
		expect(c.layout).toEqual({ asking: { x: 20, y: 50 }, waiting: { x: 250, y: 50 } });
		// it survives being stored as JSON
		const again = readComponent(JSON.parse(JSON.stringify(c)));
		expect(again.ok).toBe(true);

		const { doc } = host(c, { hook: authUrl, needed: 1, waitMs: 500 });
		const inserted = readWorkflow(doc);
		expect(inserted.states.approval.states!.waiting.on!.APPROVE).toMatchObject([{ guard: 'context.approvals >= 1' }, {}]);
		expect(Object.keys(inserted.states.approval.states!.waiting.after!)).toEqual(['500']);
		expect(inserted.states.approval.states!.asking.invoke).toMatchObject({ url: authUrl });
		const run1 = run(inserted);
		await run1.send({ type: 'GO' });
		expect(run1.it.snapshot().value).toEqual({ approval: 'waiting' });
		await run1.send({ type: 'APPROVE' });
		expect(run1.it.snapshot().value).toEqual({ approval: 'waiting' });
		await run1.send({ type: 'APPROVE' });
		expect(run1.it.snapshot().value).toBe('finished');
		// with the wait as a parameter: nobody approves within 500 ms → rejected
		const run2 = run(inserted);
		await run2.send({ type: 'GO' });
		await run2.advance(500);
		expect(run2.it.snapshot().value).toBe('finished');
		expect(run2.events.some((e) => e.kind === 'entered' && e.state === 'approval.rejected')).toBe(true);
	});

	it('only compound states can be saved', () => {
		const r = extractComponent({ ...wf, states: { ...wf.states, plain: {} } } as Workflow, 'plain', { id: 'x', name: 'x' }, []);
		expect(r).toMatchObject({ ok: false, errors: [expect.stringMatching(/Only a compound or parallel state/)] });
	});
});
