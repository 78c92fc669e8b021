import { beforeAll, describe, expect, it } from 'vitest';
import { effectCatalogue } from '../../src/lib/designer/effect-catalogue.svelte';
import { changeKind, childEffects, effectOutline, effectSlotsOf, effectSummary, setAt, unwrapEffect, wrapEffect } from '../../src/lib/designer/effect-tree';
import { effectProblems } from '../../src/lib/designer/lint';
import { problemTarget } from '../../src/lib/designer/problem-target';
import { examples } from '../../src/lib/examples';
import type { EffectSpec, Workflow } from '../../src/lib/model/types';

beforeAll(() => effectCatalogue.load());
const slotsOf = (t: string) => effectCatalogue.slotsOf(t);
const llm: EffectSpec = { type: 'call_llm', prompt: 'Hi' };

describe('effect slots from the kinds’ schemas', () => {
	it('finds every composition kind’s children, by shape', () => {
		const shapes = Object.fromEntries(effectCatalogue.composers.map((k) => [k.type, slotsOf(k.type).map((s) => `${s.field}:${s.shape}`)]));
		expect(shapes).toEqual({
			sequence: ['effects:many'],
			parallel: ['effects:many'],
			race: ['effects:many'],
			retry: ['effect:one'],
			timeout: ['effect:one'],
			with_compensation: ['steps:steps'],
			circuit_breaker: ['effect:one'],
			rate_limit: ['effect:one'],
			bulkhead: ['effect:one'],
			saga: ['steps:steps'],
			cache: ['effect:one']
		});
		expect(slotsOf('saga')[0].stepFields).toEqual([
			{ field: 'effect', required: true, description: 'The step' },
			{ field: 'compensate', required: false, description: 'Undoes the step if a later one fails' }
		]);
		// a model call holds effects too: the tools it may call
		expect(slotsOf('call_llm').map((s) => `${s.field}:${s.shape}`)).toEqual(['tools:steps']);
		// plain kinds hold none; an http body (free JSON) is not an effect slot
		expect(slotsOf('http')).toEqual([]);
		expect(slotsOf('assign')).toEqual([]);
		expect(effectSlotsOf(null)).toEqual([]);
	});

	it('lists children with their paths, through every shape', () => {
		const saga: EffectSpec = { type: 'saga', steps: [{ name: 'a', effect: llm, compensate: { type: 'log', message: 'undo' } }, { name: 'b', effect: { type: 'delay', ms: 1 } }] };
		expect(childEffects(saga, slotsOf).map((c) => c.path)).toEqual([
			['steps', 0, 'effect'],
			['steps', 0, 'compensate'],
			['steps', 1, 'effect']
		]);
		expect(childEffects({ type: 'sequence', effects: [llm, llm] }, slotsOf).map((c) => c.path)).toEqual([['effects', 0], ['effects', 1]]);
		expect(childEffects({ type: 'retry' }, slotsOf)).toEqual([]);
	});
});

describe('editing the tree', () => {
	it('wraps an effect in every composer and unwraps it back unchanged', () => {
		for (const k of effectCatalogue.composers) {
			const wrapped = wrapEffect(llm, effectCatalogue.defaultEffect(k.type), slotsOf);
			expect(wrapped.type).toBe(k.type);
			expect(childEffects(wrapped, slotsOf).map((c) => c.spec), k.type).toEqual([llm]);
			expect(unwrapEffect(wrapped, slotsOf), k.type).toEqual([llm]);
		}
		expect(() => wrapEffect(llm, { type: 'log' }, slotsOf)).toThrow(/does not hold/);
	});

	it('unwrapping a list gives all its effects; a compensation goes with its step', () => {
		expect(unwrapEffect({ type: 'sequence', effects: [llm, { type: 'log', message: 'x' }] }, slotsOf)).toHaveLength(2);
		expect(unwrapEffect({ type: 'saga', steps: [{ name: 'a', effect: llm, compensate: { type: 'log', message: 'u' } }] }, slotsOf)).toEqual([llm]);
		expect(unwrapEffect({ type: 'retry' }, slotsOf)).toBeNull();
		expect(unwrapEffect(llm, slotsOf)).toBeNull();
	});

	it('changing a composer’s kind keeps what it holds and the common fields', () => {
		const retry: EffectSpec = { type: 'retry', id: 'r', maxAttempts: 5, effect: llm };
		const t = changeKind(retry, effectCatalogue.defaultEffect('timeout'), slotsOf);
		expect(t).toMatchObject({ type: 'timeout', id: 'r', effect: llm });
		expect(t.maxAttempts).toBeUndefined();
		expect(changeKind(retry, effectCatalogue.defaultEffect('sequence'), slotsOf)).toMatchObject({ type: 'sequence', effects: [llm] });
		expect(changeKind(retry, effectCatalogue.defaultEffect('saga'), slotsOf)).toMatchObject({ type: 'saga', steps: [{ effect: llm, name: 'step 1' }] });
		expect(changeKind(llm, effectCatalogue.defaultEffect('log'), slotsOf)).toEqual(effectCatalogue.defaultEffect('log'));
	});

	it('sets values deep inside an effect without touching the original', () => {
		const saga: EffectSpec = { type: 'saga', steps: [{ name: 'a', effect: llm }] };
		const next = setAt(saga, ['steps', 0, 'compensate'], { type: 'log', message: 'u' });
		expect(next.steps).toEqual([{ name: 'a', effect: llm, compensate: { type: 'log', message: 'u' } }]);
		expect(saga.steps).toEqual([{ name: 'a', effect: llm }]);
		expect(setAt(next, ['steps', 0, 'compensate'], undefined).steps).toEqual([{ name: 'a', effect: llm }]);
	});

	it('summarises the nesting for a chip', () => {
		const triage = examples.find((e) => e.id === 'support-triage')!.workflow as Workflow;
		const invoke = Object.values(triage.states).map((s) => s.invoke).find((i) => i?.type === 'retry')!;
		expect(effectSummary(invoke, slotsOf)).toBe('retry › timeout › call_llm');
		expect(effectSummary({ type: 'sequence', effects: [llm, llm, llm] }, slotsOf)).toBe('sequence (3)');
		expect(effectSummary({ type: 'sequence', effects: [] }, slotsOf)).toBe('sequence');
		expect(effectSummary(llm, slotsOf)).toBe('call_llm');
		expect(effectSummary({ type: 'retry', effect: { type: 'retry', effect: { type: 'retry', effect: llm } } }, slotsOf)).toBe('retry › retry › retry › …');
		expect(effectOutline(invoke, slotsOf).map((l) => l.trim().split(' ')[0])).toEqual(['retry', 'timeout', 'call_llm']);
	});
});

describe('problems of nested effects', () => {
	const wf = (invoke: EffectSpec) =>
		({ format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial: 'a', states: { a: { invoke, onDone: 'b' }, b: { type: 'final' } } }) as unknown as Workflow;

	it('an empty slot asks for an effect in words, not for "effect.type"', () => {
		const ps = effectProblems(wf({ type: 'retry' }));
		expect(ps).toHaveLength(1);
		expect(ps[0].message).toBe('Retry in the invoke of "a": Effect — choose an effect in the form, or drop one from the library.');
		expect(problemTarget(ps[0])).toEqual({ node: 'a' });
	});

	it('checks effects inside composers with their own kind’s schema', () => {
		const ps = effectProblems(wf({ type: 'retry', effect: { type: 'timeout', ms: 100, effect: { type: 'http' } } }));
		expect(ps.map((p) => p.message)).toEqual(['HTTP request in the invoke of "a" › Retry › Timeout: URL — Required: fill this in.']);
		expect(ps[0].path).toEqual(['states', 'a', 'invoke', 'effect', 'effect']);
		expect(problemTarget(ps[0])).toEqual({ node: 'a' });
	});
});
