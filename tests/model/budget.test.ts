import { describe, expect, it } from 'vitest';
import { parseWorkflow, serializeWorkflow } from '$lib/model';

const wf = (budget: unknown) => ({ format: 'fsm-studio/workflow', version: 1, id: 'b', name: 'B', initial: 'a', states: { a: {} }, budget });

describe('workflow budget (AI effects)', () => {
	it('accepts maxCostUsd and maxTokens, serialized after states', () => {
		const r = parseWorkflow(wf({ maxCostUsd: 0.5, maxTokens: 20000 }));
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.workflow.budget).toEqual({ maxCostUsd: 0.5, maxTokens: 20000 });
		const text = serializeWorkflow(r.workflow);
		expect(text.indexOf('"budget"')).toBeGreaterThan(text.indexOf('"states"'));
	});
	it('is optional', () => {
		expect(parseWorkflow(wf(undefined)).ok).toBe(true);
	});
	it('refuses negative or fractional limits with a path', () => {
		const r = parseWorkflow(wf({ maxTokens: 1.5, maxCostUsd: -1 }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => e.path.join('.'))).toEqual(expect.arrayContaining(['budget.maxTokens', 'budget.maxCostUsd']));
	});
});
