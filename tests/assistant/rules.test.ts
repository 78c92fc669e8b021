import { describe, expect, it } from 'vitest';
import { reviewRules, layoutMissing, withLayout, buildPreview, checkCandidate, builtinKinds, describeKinds } from '$lib/assistant';
import type { Workflow } from '$lib/model/types';
import { allStatePaths } from '$lib/model/tree';
import { examples } from '$lib/examples';
import { httpWorkflow } from './helpers';

const wf = (states: Workflow['states'], extra: Partial<Workflow> = {}): Workflow =>
	({ format: 'fsm-studio/workflow', version: 1, id: 'w', name: 'w', initial: Object.keys(states)[0], context: { rounds: 0 }, states, ...extra }) as Workflow;

const llm = (extra: Record<string, unknown> = {}) => ({ type: 'timeout', ms: 1000, effect: { type: 'call_llm', prompt: 'x', fallback: [{ provider: 'b' }], ...extra } });

describe('review rules', () => {
	it('an automatic loop with no guard is unbounded; a counted one is not', () => {
		const loop = wf({
			start: { on: { GO: 'draft' } },
			draft: { invoke: llm(), onDone: 'critique', onError: 'failed' },
			critique: { invoke: llm(), onDone: 'draft', onError: 'failed' },
			failed: { type: 'final' }
		}, { budget: { maxCostUsd: 1 } } as Partial<Workflow>);
		const found = reviewRules(loop).filter((f) => f.rule === 'unbounded-loop');
		expect(found).toHaveLength(1);
		expect(found[0].detail).toMatch(/draft → critique|critique → draft/);
		expect(found[0].severity).toBe('high');

		const bounded = structuredClone(loop);
		bounded.states.critique.onDone = [{ target: 'draft', guard: 'context.rounds < 3' }, { target: 'failed' }];
		expect(reviewRules(bounded).filter((f) => f.rule === 'unbounded-loop')).toEqual([]);
	});

	it('a loop that needs an event each round is not flagged', () => {
		const chat = wf({ idle: { on: { ASK: 'answering' } }, answering: { invoke: llm(), onDone: 'idle', onError: 'idle' } }, { budget: { maxTokens: 1000 } } as Partial<Workflow>);
		expect(reviewRules(chat).filter((f) => f.rule === 'unbounded-loop')).toEqual([]);
	});

	it('a state that re-enters itself on a timer forever is a medium finding', () => {
		const triage = examples.find((e) => e.id === 'support-triage')!.workflow;
		const found = reviewRules(triage).filter((f) => f.rule === 'unbounded-loop');
		expect(found.map((f) => [f.state, f.severity])).toEqual([['urgent', 'medium']]);
	});

	it('outside effects without a timeout, unless wrapped, given timeoutMs, or cut by an after transition', () => {
		expect(reviewRules(httpWorkflow).filter((f) => f.rule === 'no-timeout').map((f) => f.state)).toEqual(['fetching']);
		const wrapped = structuredClone(httpWorkflow);
		wrapped.states.fetching.invoke = { type: 'retry', effect: { type: 'timeout', ms: 5000, effect: { type: 'http', url: 'https://x' } } };
		expect(reviewRules(wrapped).filter((f) => f.rule === 'no-timeout')).toEqual([]);
		const own = structuredClone(httpWorkflow);
		own.states.fetching.invoke = { type: 'http', url: 'https://x', timeoutMs: 5000 };
		expect(reviewRules(own).filter((f) => f.rule === 'no-timeout')).toEqual([]);
		const cut = structuredClone(httpWorkflow);
		cut.states.fetching.after = { '10000': 'idle' };
		expect(reviewRules(cut).filter((f) => f.rule === 'no-timeout')).toEqual([]);
	});

	it('AI steps without a fallback, and a workflow with AI steps but no budget', () => {
		const w = wf({ a: { invoke: { type: 'timeout', ms: 10, effect: { type: 'call_llm', prompt: 'x' } }, onDone: 'b', onError: 'b' }, b: { type: 'final' } });
		const rules = reviewRules(w).map((f) => f.rule);
		expect(rules).toContain('ai-no-fallback');
		expect(rules).toContain('ai-no-budget');
		const ok = wf({ a: { invoke: llm(), onDone: 'b', onError: 'b' }, b: { type: 'final' } }, { budget: { maxCostUsd: 0.2 } } as Partial<Workflow>);
		expect(reviewRules(ok).map((f) => f.rule)).not.toContain('ai-no-fallback');
		expect(reviewRules(ok).map((f) => f.rule)).not.toContain('ai-no-budget');
	});

	it('lint problems come with the findings', () => {
		const w = wf({ a: { on: { GO: 'b' } }, b: {}, c: { type: 'final' } });
		const rules = reviewRules(w).map((f) => f.rule);
		expect(rules).toEqual(expect.arrayContaining(['unreachable', 'dead-end']));
	});
});

describe('checks of a candidate', () => {
	it('unknown effect kinds and bad parameters are errors; nested ones too', () => {
		const w = wf({ a: { invoke: { type: 'retry', effect: { type: 'sendmail', to: 'x' } }, onDone: 'b', onError: 'b' }, b: { type: 'final', entry: [{ type: 'delay', ms: -5 }] } });
		const c = checkCandidate(w, builtinKinds());
		expect(c.errors.map((e) => e.rule)).toEqual(['unknown-effect', 'bad-effect']);
		expect(c.errors[0].message).toMatch(/states\.a\.invoke\.effect: there is no effect kind "sendmail"/);
	});

	it('the kinds catalogue fits in a prompt and names every kind', () => {
		const text = describeKinds(builtinKinds());
		expect(text.length).toBeLessThan(16_000);
		for (const k of ['call_llm', 'rag', 'http', 'retry', 'timeout', 'coordinate_agents', 'call_tool']) expect(text).toContain(`${k} (`);
	});
});

describe('layout and preview', () => {
	it('every state gets a position; siblings do not overlap; containers hold their children', () => {
		const w = wf({
			idle: { on: { GO: 'work' } },
			work: { initial: 'a', states: { a: { on: { N: 'b' } }, b: { on: { N: 'c' } }, c: { type: 'final' } }, onDone: 'done' },
			done: { type: 'final' }
		});
		const l = layoutMissing(w);
		for (const p of allStatePaths(w)) expect(l[p], p).toBeDefined();
		expect(l.idle.x).toBeLessThan(l.work.x);
		expect(l.work.x).toBeLessThan(l.done.x);
		expect(l['work.a'].x).toBeLessThan(l['work.b'].x);
		expect(l.work.width!).toBeGreaterThan(l['work.c'].x + 100);
		// positions already there are kept, new ones go beside them
		const placed = withLayout({ ...w, layout: { idle: { x: 500, y: 500 } } } as Workflow);
		expect(placed.layout!.idle).toEqual({ x: 500, y: 500 });
		expect(placed.layout!.work.x).toBeGreaterThan(500);
	});

	it('the preview keeps removed states and transitions as ghosts, marked', () => {
		const before = httpWorkflow;
		const after = structuredClone(httpWorkflow);
		delete (after.states as Record<string, unknown>).done;
		after.states.fetching.onDone = 'idle';
		after.states.extra = { type: 'final' };
		after.states.idle.on = { FETCH: 'fetching', STOP: 'extra' };
		const p = buildPreview(before, after);
		expect(p.marks.states).toMatchObject({ done: 'removed', extra: 'added' });
		expect(p.workflow.states.done).toBeDefined();
		expect(Object.entries(p.marks.transitions).filter(([, m]) => m === 'removed').length).toBeGreaterThan(0);
		expect(Object.entries(p.marks.transitions).filter(([, m]) => m === 'added').length).toBe(2);
		expect(p.changes).toEqual(expect.arrayContaining(['added state extra', 'removed state done']));
	});
});
