import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseWorkflow, serializeWorkflow, type Workflow } from '../../src/lib/model';
import { examples } from '../../src/lib/examples';
import { validWorkflow } from './arbitraries';

function parsed(input: unknown): Workflow {
	const r = parseWorkflow(input);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r.workflow;
}

describe('serializeWorkflow', () => {
	it('writes keys in the canonical order, layout last, states in document order', () => {
		const w = parsed({
			layout: { b: { y: 2, x: 1 }, a: { x: 0, y: 0 } },
			states: {
				b: { on: { GO: 'a' }, entry: [{ message: 'hi', type: 'log' }], type: 'atomic', custom: 1 },
				a: { states: { inner: {} }, initial: 'inner', on: { BACK: { effects: [], guard: 'true', target: 'b' } } }
			},
			initial: 'b',
			context: { z: 1, a: 2 },
			name: 'N',
			id: 'i',
			version: 1,
			format: 'fsm-studio/workflow',
			unknownTop: true
		});
		const text = serializeWorkflow(w);
		const o = JSON.parse(text);
		expect(Object.keys(o)).toEqual(['format', 'version', 'id', 'name', 'initial', 'context', 'states', 'unknownTop', 'layout']);
		expect(Object.keys(o.states)).toEqual(['b', 'a']);
		expect(Object.keys(o.states.b)).toEqual(['type', 'entry', 'on', 'custom']);
		expect(Object.keys(o.states.b.entry[0])).toEqual(['type', 'message']);
		expect(Object.keys(o.states.a)).toEqual(['initial', 'on', 'states']);
		expect(Object.keys(o.states.a.on.BACK)).toEqual(['target', 'guard', 'effects']);
		expect(Object.keys(o.context)).toEqual(['z', 'a']);
		expect(Object.keys(o.layout)).toEqual(['a', 'b']);
		expect(Object.keys(o.layout.b)).toEqual(['x', 'y']);
		expect(text.endsWith('}\n')).toBe(true);
		expect(text.split('\n')[1]).toBe('  "format": "fsm-studio/workflow",');
	});

	it('writes the bundled examples so they read back equal', () => {
		for (const ex of examples) {
			const w = parsed(ex.workflow);
			expect(parsed(serializeWorkflow(w))).toEqual(w);
		}
	});

	it('does not depend on the key order it was given', () => {
		const w = parsed(examples[0].workflow);
		const reversed = JSON.parse(JSON.stringify(w), (_k, v) =>
			v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v
		);
		// Reversing reverses document order of states and events too, so compare against that document.
		expect(serializeWorkflow(parsed(serializeWorkflow(reversed)))).toBe(serializeWorkflow(reversed));
		expect(Object.keys(JSON.parse(serializeWorkflow(reversed)))[0]).toBe('format');
	});

	it('round-trips and is idempotent on random valid workflows (property)', () => {
		fc.assert(
			fc.property(validWorkflow, (raw) => {
				const w = parsed(raw);
				const text = serializeWorkflow(w);
				const again = parsed(text);
				expect(again).toEqual(w);
				expect(serializeWorkflow(again)).toBe(text);
			}),
			{ numRuns: 100 }
		);
		// CPU-bound (100 generated workflows parsed twice with zod): 17.8 s at load 25 with one
		// test worker, at the edge of the default 20 s.
	}, 120_000);
});
