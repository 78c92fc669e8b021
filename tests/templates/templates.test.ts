import { afterEach, describe, expect, it } from 'vitest';
import { createExecutor } from '$lib/effects';
import { checkWorkflow } from '$lib/model';
import { SimHost } from '$lib/sim/host';
import { parseStubs } from '$lib/sim/stubs';
import { builtinKinds, checkCandidate } from '$lib/assistant';
import { defaultValues, instantiate, readTemplate, templateById, templates, valuesProblems, type Template } from '$lib/templates';
import type { Workflow } from '$lib/model/types';

const hosts: SimHost[] = [];
afterEach(async () => {
	for (const h of hosts.splice(0)) await h.close();
});

/** The simulator's own host (no store), as the Run panel drives it: simulated mode, the template's stubs. */
function simHost() {
	const h = new SimHost({ executor: (options) => createExecutor({ ...options, seed: 1 }).run });
	hosts.push(h);
	return h;
}

/** Waits until the instance stops moving: no effect running, nothing pending, the same view three times in a row. */
async function settled(h: SimHost, id: string) {
	let v = await h.view(id);
	let last = '';
	let same = 0;
	for (let i = 0; i < 400 && same < 3; i++) {
		await new Promise((r) => setTimeout(r, 10));
		v = await h.view(id);
		const key = JSON.stringify([v.value, v.status, v.context, v.runningEffects, v.pending.length]);
		same = key === last && v.runningEffects === 0 && v.pending.length === 0 ? same + 1 : 0;
		last = key;
	}
	return v;
}

/** Runs the template's script in simulated mode with its stubs; returns the last view. */
async function runScript(t: Template, wf: Workflow, events = t.run) {
	const h = simHost();
	const stubs = (wf.meta as { stubs: Record<string, never> }).stubs;
	const id = await h.start(wf, { stubs });
	let v = await settled(h, id);
	for (const e of events) {
		await h.send(id, e);
		v = await settled(h, id);
	}
	return v;
}

describe.each(templates.map((t) => [t.id, t] as const))('template %s', (_id, t) => {
	it('has a description, a version, parameters, stubs the simulator accepts and a run script', () => {
		expect(t.summary.length).toBeGreaterThan(20);
		expect(t.description.length).toBeGreaterThan(60);
		expect(t.version).toMatch(/^\d+\.\d+\.\d+$/);
		expect(t.parameters.length).toBeGreaterThan(0);
		expect(t.parameters.some((p) => p.type === 'model')).toBe(true);
		expect(parseStubs(JSON.stringify(t.stubs)).ok).toBe(true);
		expect(t.run.length).toBeGreaterThan(0);
		expect(valuesProblems(t, defaultValues(t))).toEqual({});
	});

	it('is lint-clean: no errors, no warnings, effect parameters valid', () => {
		const wf = instantiate(t);
		expect(checkWorkflow(wf).problems).toEqual([]);
		const c = checkCandidate(wf, builtinKinds());
		expect(c.errors).toEqual([]);
		expect(c.warnings).toEqual([]);
		// every state has a position, so it opens laid out
		for (const p of Object.keys(wf.states)) expect(wf.layout?.[p], p).toBeDefined();
	});

	it('runs to a final state in the simulator with its stubs, without any key', async () => {
		const v = await runScript(t, instantiate(t));
		expect(v.status).toBe('done');
		expect(v.value).toBe(t.runEnds);
		expect(v.mode).toBe('simulated');
	});
});

describe('parameters', () => {
	it('a model, a knowledge base and thresholds are applied where the template says', () => {
		const t = templateById('customer-service')!;
		const wf = instantiate(t, { ...defaultValues(t), model: { provider: 'openai', model: 'gpt-4o-mini' }, knowledgeBase: 'my-docs', minConfidence: 0.95 }, { id: 'new-id', name: 'Help desk' });
		expect(wf.id).toBe('new-id');
		expect(wf.name).toBe('Help desk');
		const classify = (wf.states.classifying.invoke as unknown as { effect: { effect: Record<string, unknown> } }).effect.effect;
		expect(classify).toMatchObject({ type: 'call_llm', provider: 'openai', model: 'gpt-4o-mini' });
		const rag = (wf.states.answering.invoke as unknown as { effect: Record<string, unknown> }).effect;
		expect(rag).toMatchObject({ type: 'rag', provider: 'openai', model: 'gpt-4o-mini', collection: 'my-docs' });
		expect(wf.context?.minConfidence).toBe(0.95);
		expect(wf.meta).toMatchObject({ template: { id: 'customer-service', version: t.version, parameters: { knowledgeBase: 'my-docs' } } });
		// the template itself is untouched
		expect((t.workflow.states.answering.invoke as unknown as { effect: Record<string, unknown> }).effect.collection).toBe('support-kb');
	});

	it('an empty model choice leaves the workspace default', () => {
		const t = templateById('document-qa')!;
		const rag = (instantiate(t).states.answering.invoke as unknown as { effect: Record<string, unknown> }).effect;
		expect(rag.provider).toBeUndefined();
		expect(rag.model).toBeUndefined();
	});

	it('bad values are refused with the reason', () => {
		const t = templateById('content-generation')!;
		expect(valuesProblems(t, { maxRounds: 50, publishUrl: 'ftp://x' })).toEqual({ maxRounds: 'Revision rounds must be at most 10.', publishUrl: 'Publish webhook must start with http:// or https://.' });
		expect(() => instantiate(t, { minScore: 'high' })).toThrow(/Quality bar must be a number/);
	});

	it('a changed threshold changes the run: a stricter confidence hands the same message to a person', async () => {
		const t = templateById('customer-service')!;
		const strict = await runScript(t, instantiate(t, { minConfidence: 0.95 }), [t.run[0]]);
		expect(strict.value).toBe('escalated');
		const lax = await runScript(t, instantiate(t), [t.run[0]]);
		expect(lax.value).toBe('replied');
	});

	it('the critique loop stops at its limit: with a bar no draft reaches, a person decides after maxRounds', async () => {
		const t = templateById('content-generation')!;
		const wf = instantiate(t, { maxRounds: 1, minScore: 10 });
		const v = await runScript(t, wf);
		expect(v.value).toBe('review');
		expect(v.context.round).toBe(1);
		const ok = await runScript(t, instantiate(t));
		expect(ok.status).toBe('done');
		expect(ok.context.round).toBe(1);
	});

	it('data analysis profiles the CSV with no model', async () => {
		const t = templateById('data-analysis')!;
		const v = await runScript(t, instantiate(t));
		expect(v.context.profile).toMatchObject({ rows: 6, columns: [{ name: 'month', type: 'text' }, { name: 'revenue', type: 'number', min: 990, max: 1720 }, { name: 'customers', type: 'number' }, { name: 'region', type: 'text', distinct: 2 }] });
		expect(v.context.chart).toMatchObject({ mark: 'line' });
	});
});

describe('template files', () => {
	it('a broken template file is refused with its problems', () => {
		expect(readTemplate({ format: 'fsm-studio/template' }).ok).toBe(false);
		const t = structuredClone(templates[0]);
		const file = { format: 'fsm-studio/template', version: 1, id: 'x', templateVersion: '1.0.0', name: 'x', category: 'c', summary: 's', description: 'd', parameters: [], runEnds: 'done', workflow: { ...t.workflow, initial: 'nowhere' } };
		const r = readTemplate(file);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.join(' ')).toMatch(/nowhere/);
	});
});
