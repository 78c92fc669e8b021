import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	formatTarget,
	idTarget,
	indexStates,
	lintWorkflow,
	parseTarget,
	parseWorkflow,
	relativeTarget,
	resolveTarget,
	walkStates
} from '../../src/lib/model';
import { workflow } from './helpers';

describe('target resolver', () => {
	const w = workflow({
		step: { id: 'step', initial: 'one', states: { one: {}, two: {} } },
		other: { id: 'step.one', on: { A: '#step.one', B: '#step\\.one', C: '#step\\.one', D: '#wf.step.two' } },
		'back\\slash': {},
		last: { id: 'dotted.id' }
	});
	w.id = 'wf';

	it('reads `#id.child` as XState does: the id ends at the first unescaped dot', () => {
		expect(resolveTarget(w, 'other', '#step.one')).toBe('step.one');
		expect(resolveTarget(w, 'other', '#step\\.one')).toBe('other');
		expect(resolveTarget(w, 'other', '#step')).toBe('step');
	});

	it('resolves `#<workflow id>.path` from the root', () => {
		expect(resolveTarget(w, 'other', '#wf.step.two')).toBe('step.two');
		expect(resolveTarget(w, 'other', '#wf')).toBeUndefined();
	});

	it('unescapes backslashes in names', () => {
		expect(resolveTarget(w, 'other', 'back\\\\slash')).toBe('back\\slash');
		expect(resolveTarget(w, 'other', 'back\\slash')).toBeUndefined();
		expect(resolveTarget(w, 'other', 'step\\')).toBeUndefined();
	});

	it('keeps reading unescaped ids with dots when XState’s reading names nothing, and lint asks for the escape', () => {
		expect(resolveTarget(w, 'other', '#dotted.id')).toBe('last');
		const problems = lintWorkflow({ ...w, states: { ...w.states, other: { ...w.states.other, on: { A: '#dotted.id' } } } });
		const p = problems.find((x) => x.rule === 'ambiguous-target');
		expect(p?.message).toMatch(/Write "#dotted\\\.id"/);
		expect(p?.severity).toBe('warning');
	});

	it('lints a `#a.b` that two states could answer to', () => {
		const problems = lintWorkflow(w).filter((x) => x.rule === 'ambiguous-target');
		expect(problems.map((p) => p.transition)).toEqual(['other|on:A|0']);
		expect(problems[0].message).toMatch(/could name "step.one" \(#step.one\) or "other" \(#step\\\.one\)/);
	});

	it('reads siblings, `.child` and `.` (the source itself)', () => {
		expect(resolveTarget(w, 'step.one', 'two')).toBe('step.two');
		expect(resolveTarget(w, 'step', '.two')).toBe('step.two');
		expect(resolveTarget(w, 'step', '.')).toBe('step');
		expect(resolveTarget(w, '', 'step.two')).toBe('step.two');
		expect(resolveTarget(w, '', '.step')).toBe('step');
		expect(resolveTarget(w, 'step.one', 'step')).toBeUndefined();
		expect(resolveTarget(w, 'step', 'a..b')).toBeUndefined();
	});

	it('parse accepts what the engine runs: ids with dots, escapes, the workflow id form', () => {
		const r = parseWorkflow({ ...w, initial: 'step' });
		expect(r.ok).toBe(true);
		const bad = parseWorkflow({ ...w, initial: 'step', states: { ...w.states, other: { on: { A: '#step.three' } } } });
		expect(bad.ok).toBe(false);
	});

	const name = fc.stringMatching(/^[a-z\\.#]{1,4}$/);
	it('formats what it parses, and parses what it formats', () => {
		fc.assert(
			fc.property(fc.constantFrom('id', 'child', 'sibling'), fc.array(name, { minLength: 1, maxLength: 3 }), (kind, names) => {
				const ref =
					kind === 'id' ? { kind: 'id' as const, id: names[0], path: names.slice(1) } : { kind: kind as 'child' | 'sibling', path: names };
				expect(parseTarget(formatTarget(ref))).toEqual(ref);
			}),
			{ numRuns: 1000 }
		);
		expect(idTarget('a.b', ['c'])).toBe('#a\\.b.c');
	});

	it('relativeTarget spells a target that resolves back to the state', () => {
		const doc = workflow({
			a: { initial: 'b\\', states: { 'b\\': { initial: 'c', states: { c: {}, '#d': {} } }, e: {} } },
			f: {}
		});
		const index = indexStates(doc);
		const paths = walkStates(doc).map((e) => e.path);
		for (const from of ['', ...paths]) {
			for (const to of paths) {
				const t = relativeTarget(from, to);
				if (t !== null) expect([from, to, t, resolveTarget(index, from, t)]).toEqual([from, to, t, to]);
			}
		}
		expect(relativeTarget('a.e', 'a.b\\.#d')).toBe('b\\\\.#d');
	});
});
