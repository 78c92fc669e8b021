import { describe, expect, it } from 'vitest';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';
import { indexWorkflow } from '../../src/lib/sim/model-index';
import { parseStubs } from '../../src/lib/sim/stubs';
import { outsideEffects, stubExample } from '../../src/lib/sim/ui/outside-effects';
import { transitionWords, triggerWords } from '../../src/lib/sim/ui/transition-words';

const triage = examples.find((e) => e.id === 'support-triage')!.workflow as Workflow;
const door = examples.find((e) => e.id === 'smart-door')!.workflow as Workflow;
const outside = (t: string) => ['http', 'call_llm', 'call_tool', 'rag', 'embed_text', 'vector_search', 'coordinate_agents'].includes(t);

describe('outside effects of a workflow', () => {
	it('finds nested ones (a model call inside retry › timeout) with the state they run in', () => {
		const list = outsideEffects(triage, outside);
		expect(list).toContainEqual({ type: 'call_llm', state: 'classifying' });
		expect(list).toContainEqual({ type: 'http', state: 'technical' });
		expect(list).toContainEqual({ type: 'call_llm', state: 'billing' });
		expect(outsideEffects(door, outside)).toEqual([]);
	});

	it('writes an example of simulated results that the Run panel accepts, shaped by the schema of a JSON answer', () => {
		const text = stubExample(triage, outside);
		const parsed = parseStubs(text);
		expect(parsed.ok).toBe(true);
		const stubs = JSON.parse(text);
		expect(Object.keys(stubs).sort()).toEqual(['call_llm@billing', 'call_llm@classifying', 'http@technical']);
		const classify = stubs['call_llm@classifying'][0].output;
		expect(classify && typeof classify === 'object').toBe(true);
		expect(Object.keys(classify)).toEqual(expect.arrayContaining(['category', 'urgency', 'summary']));
		expect(stubExample(door, outside)).toBe('{}');
	});
});

describe('transitions in words', () => {
	it('shows `closed —OPEN→ open` instead of the internal id', () => {
		const index = indexWorkflow(door);
		expect(transitionWords('closed|on:OPEN|0', index)).toBe('closed —OPEN→ open');
		const after = index.transitions.find((t) => t.trigger.startsWith('after:'))!;
		expect(transitionWords(after.id, index)).toMatch(/^open —after \d+(\.\d)? s→ closed$/);
		expect(triggerWords('after:500')).toBe('after 500 ms');
		expect(transitionWords('x|on:GO|1')).toBe('x —GO (2)→ …');
	});
});
