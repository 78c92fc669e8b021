import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseWorkflow, serializeWorkflow, resolveTarget, indexStates, walkStates, allTransitions } from '../../src/lib/model';
import { examples } from '../../src/lib/examples';
import { workflow } from './helpers';

const door = examples.find((e) => e.id === 'smart-door')!.workflow;

describe('parseWorkflow', () => {
	it('accepts every bundled example, as a value and as JSON text', () => {
		for (const ex of examples) {
			const a = parseWorkflow(ex.workflow);
			expect(a.ok, JSON.stringify(a)).toBe(true);
			const b = parseWorkflow(JSON.stringify(ex.workflow));
			expect(b).toEqual(a);
		}
	});

	it('returns a copy and never mutates its input', () => {
		const input = structuredClone(door);
		const r = parseWorkflow(input);
		expect(r.ok && r.workflow).not.toBe(input);
		expect(input).toEqual(door);
	});

	it('keeps unknown fields (tolerant loading)', () => {
		const r = parseWorkflow({ ...door, plugin: { x: 1 }, states: { ...door.states, closed: { ...door.states.closed, color: 'red' } } });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect((r.workflow as unknown as { plugin: unknown }).plugin).toEqual({ x: 1 });
		expect((r.workflow.states.closed as { color?: string }).color).toBe('red');
	});

	it('fills defaults for id, name and version', () => {
		const r = parseWorkflow({ format: 'fsm-studio/workflow', name: 'My Flow!', initial: 'a', states: { a: {} } });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.workflow.id).toBe('my-flow');
		expect(r.workflow.version).toBe(1);
		expect(r.warnings?.[0]).toMatch(/no "version"/);
	});

	it('reports JSON syntax errors with line, column and the path reached', () => {
		const r = parseWorkflow('{\n  "states": {\n    "a": { "on": { "X": "b" } },\n    "b": {,}\n  }\n}');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors[0].path).toEqual(['states', 'b']);
		expect(r.errors[0].message).toMatch(/line 4, column 11/);
	});

	it('explains a single-quoted JSON text', () => {
		const r = parseWorkflow("{'format': 1}");
		expect(!r.ok && r.errors[0].message).toMatch(/line 1, column 2: expected a property name in double quotes/);
	});

	it('says what an unknown target might be', () => {
		const r = parseWorkflow(workflow({ open: { on: { CLOSE: 'clsed' } }, closed: { on: { OPEN: 'open' } } }));
		expect(r).toEqual({
			ok: false,
			errors: [{ path: ['states', 'open', 'on', 'CLOSE'], message: 'states.open.on.CLOSE: target "clsed" does not exist — did you mean "closed"?' }]
		});
	});

	it('points into arrays of alternatives and multi-target lists', () => {
		const r = parseWorkflow(workflow({ a: { on: { GO: [{ target: 'a', guard: 'x' }, { target: ['a', 'zz'] }] } } }));
		expect(!r.ok && r.errors.map((e) => e.path)).toEqual([['states', 'a', 'on', 'GO', 1, 'target', 1]]);
	});

	it('rejects a wrong format with a clear message', () => {
		const r = parseWorkflow({ ...door, format: 'bpmn' });
		expect(!r.ok && r.errors[0]).toEqual({ path: ['format'], message: expect.stringMatching(/not an FSM Studio workflow/) });
	});

	it('opens a newer version read-only with a warning, keeping its version', () => {
		const r = parseWorkflow({ ...door, version: 7, newField: true });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.readOnly).toBe(true);
		expect(r.workflow.version).toBe(7);
		expect(r.warnings?.join(' ')).toMatch(/newer FSM Studio \(format version 7\).*read-only/);
	});

	it('opens a newer version whose targets v1 cannot resolve, with the problems as warnings', () => {
		const r = parseWorkflow({ ...door, version: 2, states: { ...door.states, open: { on: { CLOSE: '^closed' } } } });
		expect(r.ok && r.readOnly).toBe(true);
		expect(r.ok && r.warnings?.[1]).toMatch(/^states\.open\.on\.CLOSE: target "\^closed" does not exist.*newer format/);
	});

	it('migrates an older version and says so', () => {
		const r = parseWorkflow({ id: 'v0', name: 'Old', initial: 'a', states: { a: {}, b: {} }, transitions: [{ from: 'a', event: 'GO', to: 'b' }] });
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.readOnly).toBeUndefined();
		expect(r.workflow.states.a.on).toEqual({ GO: 'b' });
		expect(r.warnings?.[0]).toMatch(/upgraded from format version 0 to 1/);
	});

	it('reports a failing migration at the version field', () => {
		const r = parseWorkflow({ initial: 'a', states: { a: {} }, transitions: [{ from: 'nope', event: 'GO', to: 'a' }] });
		expect(!r.ok && r.errors[0]).toEqual({ path: ['version'], message: expect.stringMatching(/transitions-into-states.*state "nope" does not exist/) });
	});

	it('lists several errors at once, each with its path', () => {
		const r = parseWorkflow(workflow({ a: { type: 'nope', entry: [{ message: 'x' }], on: { X: 5 } } }, { name: 3 }));
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.errors.map((e) => e.path)).toEqual([
			['name'],
			['states', 'a', 'type'],
			['states', 'a', 'on', 'X'],
			['states', 'a', 'entry', 0, 'type']
		]);
		expect(r.errors.find((e) => e.path.at(-1) === 'type' && e.path.length === 5)?.message).toMatch(/missing — every effect needs a "type"/);
	});

	it('resolves targets like XState v5: sibling, .child, #id, #id.child and the workflow id', () => {
		const w = workflow(
			{
				a: { id: 'home', initial: 'x', states: { x: { on: { UP: 'y', DOWN: '#deep' } }, y: { initial: 'z', states: { z: { id: 'deep' } } } }, on: { IN: '.y.z' } },
				b: { on: { HOME: '#home.y', ROOT: '#test.b' } }
			},
			{ on: { RESET: 'a', RESET2: '.b' } }
		);
		expect(parseWorkflow(w).ok).toBe(true);
		const idx = indexStates(w);
		expect(resolveTarget(idx, 'a.x', 'y')).toBe('a.y');
		expect(resolveTarget(idx, 'a.x', 'b')).toBeUndefined();
		expect(resolveTarget(idx, 'a', '.y.z')).toBe('a.y.z');
		expect(resolveTarget(idx, 'b', '#deep')).toBe('a.y.z');
		expect(resolveTarget(idx, 'b', '#home.y')).toBe('a.y');
		expect(resolveTarget(idx, 'b', '#test.b')).toBe('b');
		expect(resolveTarget(idx, '', 'a')).toBe('a');
		expect(resolveTarget(idx, '', '.b')).toBe('b');
		expect(walkStates(w).map((s) => s.path)).toEqual(['a', 'a.x', 'a.y', 'a.y.z', 'b']);
	});

	it('rejects an unknown initial state and an unknown initial child', () => {
		const r = parseWorkflow(workflow({ a: { initial: 'q', states: { p: {} } } }, { initial: 'A' }));
		expect(!r.ok && r.errors.map((e) => [e.path, e.message])).toEqual([
			[['initial'], 'initial: the initial state "A" does not exist — did you mean "a"?'],
			[['states', 'a', 'initial'], 'states.a.initial: the initial child "q" of "a" does not exist — did you mean "p"?']
		]);
	});

	it('accepts a compound state without initial (lint reports it) and a BOM', () => {
		expect(parseWorkflow(workflow({ a: { states: { p: {} } } })).ok).toBe(true);
		expect(parseWorkflow('\uFEFF' + JSON.stringify(door)).ok).toBe(true);
	});

	it('is stable through serialize', () => {
		const r = parseWorkflow(door);
		if (!r.ok) throw new Error('door');
		expect(parseWorkflow(serializeWorkflow(r.workflow))).toEqual(r);
	});

	it('never throws on arbitrary JSON values or text (property)', () => {
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue(), fc.json(), fc.string(), fc.anything()), (input) => {
				const r = parseWorkflow(input);
				expect(typeof r.ok).toBe('boolean');
				if (!r.ok) for (const e of r.errors) expect(typeof e.message).toBe('string');
			}),
			{ numRuns: 500 }
		);
	});

	it('never throws on mutations of a valid workflow (property)', () => {
		const paths = ['initial', 'states', 'on', 'id', 'version', 'format', 'context', 'layout'];
		fc.assert(
			fc.property(fc.constantFrom(...paths), fc.jsonValue(), fc.constantFrom('closed', 'open', 'locked'), (key, value, state) => {
				const top = parseWorkflow({ ...door, [key]: value });
				expect(typeof top.ok).toBe('boolean');
				const inner = parseWorkflow({ ...door, states: { ...door.states, [state]: value } });
				expect(typeof inner.ok).toBe('boolean');
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			}),
			{ numRuns: 300 }
		);
	});
});

describe('checkWorkflow', () => {
	it('gives parse errors as problems with rule "parse"', async () => {
		const { checkWorkflow } = await import('../../src/lib/model');
		const r = checkWorkflow('{"initial": "a", "states": 1}');
		expect(r.workflow).toBeUndefined();
		expect(r.problems).toEqual([{ rule: 'parse', severity: 'error', path: ['states'], message: 'states: expected an object but found the number 1.' }]);
	});
	it('gives lint problems of a workflow that parses', async () => {
		const { checkWorkflow } = await import('../../src/lib/model');
		const r = checkWorkflow(workflow({ a: { always: 'a' } }));
		expect(r.workflow?.id).toBe('test');
		expect(r.problems.map((p) => p.rule)).toEqual(['always-loop']);
	});
	it('explains a newer file it cannot read at all', () => {
		const r = parseWorkflow({ ...door, version: 2, states: { closed: { on: { OPEN: { target: 'open', guard: { lang: 'cel', src: 'x' } } } }, open: {} } });
		expect(!r.ok && r.errors.map((e) => e.path)).toEqual([['version'], ['states', 'closed', 'on', 'OPEN', 'guard']]);
		expect(!r.ok && r.errors[0].message).toMatch(/newer FSM Studio \(format version 2\)/);
	});
});

describe('bundled examples', () => {
	it('have unique ids matching their workflow, and sample payloads only for events they handle', () => {
		const ids = examples.map((e) => e.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const ex of examples) {
			expect(ex.id).toBe(ex.workflow.id);
			const events = new Set<string>();
			const r = parseWorkflow(ex.workflow);
			if (!r.ok) throw new Error(ex.id);
			for (const t of allTransitions(r.workflow)) {
				if (t.trigger.startsWith('on:')) events.add(t.trigger.slice(3));
				if (t.trigger === 'onDone') events.add(`done.invoke.${t.source}`);
			}
			for (const type of Object.keys(ex.payloads)) expect(events, `${ex.id}: ${type}`).toContain(type);
		}
	});
});

describe('duplicate keys in JSON text', () => {
	it('warns with the path of each key written twice (JSON keeps only the last)', () => {
		const text = '{"format":"fsm-studio/workflow","version":1,"id":"d","name":"D","initial":"a","states":{"a":{"on":{"GO":"b","GO":"a"}},"b":{},"b":{"on":{"X":"a"}}}}';
		const r = parseWorkflow(text);
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		expect(r.workflow.states.a.on).toEqual({ GO: 'a' });
		expect(r.warnings).toEqual([
			'states.a.on.GO: the key "GO" appears more than once in this object; JSON keeps only the last one, so the earlier ones are ignored.',
			'states.b: the key "b" appears more than once in this object; JSON keeps only the last one, so the earlier ones are ignored.'
		]);
	});
	it('does not warn for the same key in different objects, or escaped spellings of different keys', () => {
		const r = parseWorkflow('{"format":"fsm-studio/workflow","version":1,"id":"d","name":"D","initial":"a","states":{"a":{"on":{"GO":"b"}},"b":{"on":{"GO":"a","G\\u004f2":"a"}}}}');
		expect(r.ok && r.warnings).toBeUndefined();
	});
});

describe('numbers', () => {
	it('turns -0 into 0 (JSON cannot tell them apart), from text and from values', () => {
		const text = '{"format":"fsm-studio/workflow","version":1,"id":"n","name":"N","initial":"a","context":{"z":-0,"l":[-0]},"states":{"a":{}}}';
		for (const input of [text, JSON.parse(text)]) {
			const r = parseWorkflow(input);
			if (!r.ok) throw new Error('parse');
			expect(Object.is(r.workflow.context?.z, 0)).toBe(true);
			expect(Object.is((r.workflow.context?.l as number[])[0], 0)).toBe(true);
		}
	});
});

describe('missing initial', () => {
	it('names the states to choose from', () => {
		const r = parseWorkflow({ format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'X', states: { idle: {}, busy: {} } });
		expect(!r.ok && r.errors).toEqual([{ path: ['initial'], message: 'initial: missing — name the state the workflow starts in: one of "idle", "busy".' }]);
	});
});
