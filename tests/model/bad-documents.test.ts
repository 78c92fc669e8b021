/**
 * Hand-written bad documents: each must give an error (from parse, or from lint for
 * documents that parse but cannot work) at the right JSON path, never throw, and never
 * touch Object.prototype.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lintWorkflow, parseWorkflow } from '../../src/lib/model';

const base = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'bad',
	name: 'Bad',
	initial: 'a',
	states: { a: { on: { GO: 'b' } }, b: { on: { BACK: 'a' } } }
};
const text = (o: unknown) => JSON.stringify(o);
const withStates = (states: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...base, states, ...extra });

interface Case {
	name: string;
	input: unknown;
	/** Path of the (first) error expected. */
	path: (string | number)[];
	/** Text the message must contain. */
	says: RegExp;
	/** Where the error comes from: parse (default) or lint on the parsed workflow. */
	from?: 'parse' | 'lint';
}

const deepArrays = '['.repeat(10_000) + ']'.repeat(10_000);
const deepStates = (() => {
	let s = '{}';
	for (let i = 0; i < 10_000; i++) s = `{"states":{"n":${s}}}`;
	return s;
})();

const cases: Case[] = [
	{ name: 'not JSON at all', input: 'hello', path: [], says: /line 1, column 1: expected a value/ },
	{ name: 'empty text', input: '   ', path: [], says: /the file is empty/ },
	{ name: 'truncated JSON', input: '{"states": {"a": {"on": {"GO": "b"', path: ['states', 'a', 'on', 'GO'], says: /line 1, column 35: expected "," or "}"/ },
	{ name: 'trailing comma', input: '{\n "states": {\n  "a": {},\n }\n}', path: ['states', 'a'], says: /line 4, column 2: a trailing comma/ },
	{ name: 'a number instead of a workflow', input: 42, path: [], says: /a workflow is a JSON object.*the number 42/ },
	{ name: 'an array instead of a workflow', input: '[{"states": {}}]', path: [], says: /but this is a list \(array\)/ },
	{ name: 'wrong format', input: { ...base, format: 'xstate' }, path: ['format'], says: /expected "fsm-studio\/workflow" but found the text "xstate"/ },
	{ name: 'version as text', input: { ...base, version: '1' }, path: ['version'], says: /expected a whole number/ },
	{ name: 'states missing', input: { format: 'fsm-studio/workflow', version: 1, initial: 'a' }, path: ['states'], says: /missing — a workflow needs "states"/ },
	{ name: 'states is an array', input: { ...base, states: [{ a: {} }] }, path: ['states'], says: /expected an object but found a list/ },
	{ name: 'a state is a string', input: withStates({ a: 'idle' }), path: ['states', 'a'], says: /expected an object but found the text "idle"/ },
	{ name: 'on is an array', input: withStates({ a: { on: [{ GO: 'a' }] } }), path: ['states', 'a', 'on'], says: /expected an object but found a list/ },
	{ name: 'transition is a number', input: withStates({ a: { on: { GO: 5 } } }), path: ['states', 'a', 'on', 'GO'], says: /must be a target state \(text\), a transition object, or a list/ },
	{ name: 'guard is not text', input: withStates({ a: { on: { GO: [{ target: 'a', guard: true }] } } }), path: ['states', 'a', 'on', 'GO', 0, 'guard'], says: /expected text but found the value true/ },
	{ name: 'effect without type', input: withStates({ a: { entry: [{ message: 'hi' }], on: { X: 'a' } } }), path: ['states', 'a', 'entry', 0, 'type'], says: /missing — every effect needs a "type"/ },
	{ name: 'effects is an object', input: withStates({ a: { exit: { type: 'log' }, on: { X: 'a' } } }), path: ['states', 'a', 'exit'], says: /expected a list \(array\) but found an object/ },
	{ name: 'unknown state type', input: withStates({ a: { type: 'terminal' } }), path: ['states', 'a', 'type'], says: /expected one of "atomic", "compound", "parallel", "final", "history"/ },
	{ name: 'unknown target with a typo', input: withStates({ open: { on: { CLOSE: 'clsed' } }, closed: { on: { OPEN: 'open' } } }, { initial: 'open' }), path: ['states', 'open', 'on', 'CLOSE'], says: /target "clsed" does not exist — did you mean "closed"\?/ },
	{ name: 'unknown #id target', input: withStates({ a: { on: { GO: { target: '#nowhere' } } } }), path: ['states', 'a', 'on', 'GO', 'target'], says: /target "#nowhere" does not exist/ },
	{ name: 'unknown initial', input: { ...base, initial: 'start' }, path: ['initial'], says: /the initial state "start" does not exist/ },
	{ name: 'initial child is a history state', input: withStates({ a: { initial: 'h', states: { h: { type: 'history' }, x: {} } } }), path: ['states', 'a', 'initial'], says: /cannot be the history state "h"/ },
	{ name: 'state name with a dot', input: withStates({ 'a.b': {}, a: {} }), path: ['states', 'a.b'], says: /must not be empty, contain "\." or start with "#"/ },
	{ name: 'after key is not a number', input: withStates({ a: { after: { soon: 'a' } } }), path: ['states', 'a', 'after', 'soon'], says: /non-negative number of milliseconds/ },
	{ name: 'negative delay', input: withStates({ a: { after: { '-100': 'a' } } }), path: ['states', 'a', 'after', '-100'], says: /non-negative number of milliseconds/ },
	{ name: 'duplicate explicit ids', input: withStates({ a: { id: 'x', on: { GO: 'b' } }, b: { id: 'x', on: { GO: 'a' } } }), path: ['states', 'b', 'id'], says: /the id "x" is already used by state "a"/ },
	{ name: '__proto__ key at the top', input: '{"__proto__": {"polluted": true}, "states": {}}', path: ['__proto__'], says: /the key "__proto__" is not allowed/ },
	{ name: '__proto__ key deep inside context', input: `{"format":"fsm-studio/workflow","version":1,"initial":"a","context":{"user":{"__proto__":{"polluted":1}}},"states":{"a":{}}}`, path: ['context', 'user', '__proto__'], says: /"__proto__" is not allowed/ },
	{ name: 'constructor key as a state', input: text(withStates({ a: {}, constructor: { prototype: { polluted: 1 } } })), path: ['states', 'constructor'], says: /the key "constructor" is not allowed/ },
	{ name: 'prototype key in an effect', input: text(withStates({ a: { entry: [{ type: 'assign', prototype: { polluted: 1 } }] } })), path: ['states', 'a', 'entry', 0, 'prototype'], says: /"prototype" is not allowed/ },
	{ name: 'object whose prototype key was set with JSON.parse', input: JSON.parse('{"states": {"a": {"__proto__": {"polluted": 1}}}}'), path: ['states', 'a', '__proto__'], says: /not allowed/ },
	{ name: '10 MB text file', input: `{"name": "${'x'.repeat(10 * 1024 * 1024)}"}`, path: [], says: /the file is 10\.0 MB \(10,485,772 characters\); the limit is 10\.0 MB/ },
	{ name: '2 MB string value', input: withStates({ a: { description: 'x'.repeat(2 * 1024 * 1024) } }), path: ['states', 'a', 'description'], says: /this text is 2\.0 MB long/ },
	{ name: '6 MB document of small strings', input: { ...base, context: { items: Array.from({ length: 60_000 }, () => 'y'.repeat(100)) } }, path: [], says: /larger than 5\.0 MB/ },
	{ name: '10,000 nested arrays as JSON text', input: deepArrays, path: Array(64).fill(0), says: /nested more than 64 levels deep/ },
	{ name: '10,000 nested states as JSON text', input: deepStates, path: Array(32).fill(['states', 'n']).flat(), says: /nested more than 64 levels deep/ },
	{ name: 'more than 10,000 states', input: withStates(Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`s${i}`, {}])), { initial: 's0' }), path: ['states'], says: /more than 10,000 states/ },
	{ name: 'a function in a value', input: { ...base, context: { f: () => 1 } }, path: ['context', 'f'], says: /a function is not JSON data/ },
	{ name: 'Infinity in a layout', input: { ...base, layout: { a: { x: Infinity, y: 0 } } }, path: ['layout', 'a', 'x'], says: /Infinity is not a number JSON can store/ },
	{ name: 'a Date instead of text', input: { ...base, name: new Date(0) }, path: ['name'], says: /a Date is not plain JSON data/ },
	{ name: 'layout x is text', input: { ...base, layout: { a: { x: '10px', y: 0 } } }, path: ['layout', 'a', 'x'], says: /expected a number but found the text "10px"/ },
	{ name: 'always cycle', input: withStates({ a: { always: 'b' }, b: { always: 'a' } }), path: ['states', 'a', 'always'], says: /never settle/, from: 'lint' },
	{ name: 'bad JSONata guard', input: withStates({ a: { on: { GO: { target: 'b', guard: 'context.count >' } } }, b: { on: { BACK: 'a' } } }), path: ['states', 'a', 'on', 'GO', 'guard'], says: /does not parse/, from: 'lint' },
	{ name: 'bad JSONata in an assign', input: withStates({ a: { entry: [{ type: 'assign', set: { n: 'context.n ++ 1' } }], on: { GO: 'a' } } }), path: ['states', 'a', 'entry', 0, 'set', 'n'], says: /does not parse/, from: 'lint' },
	{ name: 'bad JSONata in a prompt template', input: withStates({ a: { invoke: { type: 'call_llm', prompt: 'Summarise {{ event.text[ }}' }, onDone: 'a' } }), path: ['states', 'a', 'invoke', 'prompt'], says: /the template .* does not parse/, from: 'lint' },
	{ name: 'compound state without initial', input: withStates({ a: { states: { x: { on: { GO: 'y' } }, y: { on: { GO: 'x' } } } } }), path: ['states', 'a', 'initial'], says: /has no initial child/, from: 'lint' }
];

const proto = Object.getOwnPropertyNames(Object.prototype).sort();

describe('bad documents', () => {
	it('has at least 25 of them', () => expect(cases.length).toBeGreaterThanOrEqual(25));

	for (const c of cases) {
		it(c.name, () => {
			let errors: { path: (string | number)[]; message: string }[];
			expect(() => parseWorkflow(c.input)).not.toThrow();
			const r = parseWorkflow(c.input);
			if (c.from === 'lint') {
				expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
				if (!r.ok) return;
				errors = lintWorkflow(r.workflow).filter((p) => p.severity === 'error');
			} else {
				expect(r.ok).toBe(false);
				if (r.ok) return;
				errors = r.errors;
			}
			expect(errors.length).toBeGreaterThan(0);
			expect(errors[0].path).toEqual(c.path);
			expect(errors[0].message).toMatch(c.says);
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		});
	}

	it('arbitrary JSON values and text never throw or pollute (property)', () => {
		fc.assert(
			fc.property(fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.json({ maxDepth: 6 }), fc.string({ maxLength: 200 })), (input) => {
				const r = parseWorkflow(input);
				if (!r.ok) for (const e of r.errors) expect(Array.isArray(e.path)).toBe(true);
				else expect(() => lintWorkflow(r.workflow)).not.toThrow();
			}),
			{ numRuns: 1000 }
		);
	});

	it('random objects with dangerous keys never pollute (property)', () => {
		const key = fc.constantFrom('__proto__', 'constructor', 'prototype', 'states', 'on', 'a', 'polluted');
		const doc = fc.letrec((tie) => ({
			node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.dictionary(key, tie('node'), { maxKeys: 4 }))
		})).node;
		fc.assert(
			fc.property(doc, (d) => {
				parseWorkflow(JSON.stringify(d));
				parseWorkflow(d);
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			}),
			{ numRuns: 500 }
		);
	});

	afterAll(() => {
		expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(proto);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf({})).toBe(Object.prototype);
	});
});
