import { describe, expect, it } from 'vitest';
import { lintWorkflow, LINT_RULES, type Problem, type Workflow } from '../../src/lib/model';
import { examples } from '../../src/lib/examples';
import { workflow } from './helpers';

const only = (w: Workflow, rule: string) => lintWorkflow(w).filter((p) => p.rule === rule);
const brief = (ps: Problem[]) => ps.map((p) => ({ path: p.path, state: p.state, transition: p.transition }));

describe('lintWorkflow', () => {
	it('finds nothing wrong in the bundled examples', () => {
		for (const ex of examples) expect(lintWorkflow(ex.workflow), ex.id).toEqual([]);
	});

	it('has a description for every rule it reports', () => {
		const w = workflow({ a: { always: 'a', on: { X: 'nope', Y: ['a', 'a'] }, after: { soon: 'a' }, entry: [{ type: 'log', message: '{{ ) }}' }] }, b: { id: 'i', states: { c: { id: 'i' } } } }, { initial: '' });
		for (const p of lintWorkflow(w)) expect(Object.keys(LINT_RULES)).toContain(p.rule);
	});

	describe('no-initial', () => {
		it('reports a workflow without initial state and a compound state without initial child', () => {
			const w = workflow({ a: { states: { x: { on: { GO: 'y' } }, y: { on: { GO: 'x' } } } } }, { initial: undefined });
			const ps = only(w, 'no-initial');
			expect(ps.map((p) => p.path)).toEqual([['initial'], ['states', 'a', 'initial']]);
			expect(ps.every((p) => p.severity === 'error')).toBe(true);
			expect(ps[1].state).toBe('a');
			expect(ps[0].message).toBe('initial: missing — name the state the workflow starts in: one of "a".');
		});
		it('is quiet when initial states are set, and for parallel states', () => {
			const w = workflow({ p: { type: 'parallel', states: { r1: { initial: 'x', states: { x: { on: { T: 'x' } } } }, r2: { initial: 'y', states: { y: { on: { T: 'y' } } } } } } });
			expect(only(w, 'no-initial')).toEqual([]);
		});
	});

	describe('unknown-target', () => {
		it('reports a missing target with state, transition id and a suggestion', () => {
			const ps = only(workflow({ open: { on: { CLOSE: [{ guard: 'x', target: 'clsed' }] } }, closed: { on: { OPEN: 'open' } } }), 'unknown-target');
			expect(brief(ps)).toEqual([{ path: ['states', 'open', 'on', 'CLOSE', 0, 'target'], state: 'open', transition: 'open|on:CLOSE|0' }]);
			expect(ps[0].message).toMatch(/did you mean "closed"/);
		});
		it('reports a missing history default and a missing root target', () => {
			const w = workflow({ a: { initial: 'x', states: { x: { on: { T: 'h' } }, h: { type: 'history', target: 'nowhere' } } } }, { on: { RESET: 'b' } });
			expect(brief(only(w, 'unknown-target'))).toEqual([
				{ path: ['states', 'a', 'states', 'h', 'target'], state: 'a.h', transition: undefined },
				{ path: ['on', 'RESET'], state: undefined, transition: '|on:RESET|0' }
			]);
		});
		it('accepts sibling, .child and #id targets', () => {
			const w = workflow({ a: { initial: 'x', on: { IN: '.x' }, states: { x: { id: 'ex', on: { B: 'y' } }, y: { on: { A: '#ex' } } } } });
			expect(only(w, 'unknown-target')).toEqual([]);
		});
	});

	describe('duplicate-id', () => {
		it('reports every state that reuses an id', () => {
			const w = workflow({ a: { id: 'x', on: { T: 'b' } }, b: { id: 'x', on: { T: 'a' } } });
			expect(brief(only(w, 'duplicate-id'))).toEqual([{ path: ['states', 'b', 'id'], state: 'b', transition: undefined }]);
		});
		it('is quiet for distinct ids', () => {
			expect(only(workflow({ a: { id: 'x', on: { T: 'b' } }, b: { id: 'y', on: { T: 'a' } } }), 'duplicate-id')).toEqual([]);
		});
	});

	describe('bad-delay', () => {
		it('reports after keys that are not non-negative numbers', () => {
			const ps = only(workflow({ a: { after: { '-5': 'a', '1s': 'a', '1000': 'a', '0.5': 'a' } } }), 'bad-delay');
			expect(ps.map((p) => p.path)).toEqual([
				['states', 'a', 'after', '-5'],
				['states', 'a', 'after', '1s']
			]);
		});
	});

	describe('unreachable', () => {
		it('reports a state nothing leads to (but not its children again)', () => {
			const w = workflow({ a: { on: { GO: 'b' } }, b: { on: { BACK: 'a' } }, lost: { initial: 'x', states: { x: { on: { T: 'y' } }, y: {} } } });
			expect(brief(only(w, 'unreachable'))).toEqual([{ path: ['states', 'lost'], state: 'lost', transition: undefined }]);
		});
		it('follows nested entry, parallel regions, #ids, history defaults and root transitions', () => {
			const w = workflow(
				{
					idle: { on: { GO: '#deep' } },
					p: {
						type: 'parallel',
						states: {
							r1: { initial: 'x', states: { x: { id: 'deep', on: { T: 'y' } }, y: { on: { T: 'x' } } } },
							r2: { initial: 'u', states: { u: { on: { H: 'v' } }, v: { on: { H: 'u' } } } }
						},
						on: { BACK: 'q' }
					},
					q: { initial: 'm', states: { m: { on: { N: 'hist' } }, n: { on: { N: 'm' } }, hist: { type: 'history', target: 'n' } } },
					s: {}
				},
				{ on: { STOP: 's' } }
			);
			expect(only(w, 'unreachable')).toEqual([]);
		});
	});

	describe('dead-end', () => {
		it('reports an atomic non-final state with no way out', () => {
			const w = workflow({ a: { on: { GO: 'stuck' } }, stuck: { entry: [{ type: 'log', message: 'x' }], on: { PING: { effects: [] } } } });
			expect(brief(only(w, 'dead-end'))).toEqual([{ path: ['states', 'stuck'], state: 'stuck', transition: undefined }]);
		});
		it('counts ancestors, after, always, invoke onDone and root transitions as ways out, and skips final states', () => {
			const w = workflow({
				a: { on: { CANCEL: 'done' }, initial: 'x', states: { x: { after: { '10': 'y' } }, y: {} } },
				b: { invoke: { type: 'http' }, onDone: 'done' },
				c: { always: [{ target: 'done', guard: 'context.ok' }] },
				done: { type: 'final' }
			});
			expect(only(w, 'dead-end')).toEqual([]);
			expect(only(workflow({ a: {} }, { on: { RESET: 'a' } }), 'dead-end')).toEqual([]);
		});
		it("does not count an ancestor's onDone without invoke", () => {
			const w = workflow({ a: { initial: 'x', onDone: 'b', states: { x: {} } }, b: { type: 'final' } });
			expect(only(w, 'dead-end').map((p) => p.state)).toEqual(['a.x']);
		});
	});

	describe('nondeterministic and unreachable-alternative', () => {
		it('reports a second unguarded alternative and guarded ones after an unguarded one', () => {
			const w = workflow({
				a: { on: { GO: [{ target: 'b' }, { target: 'a', guard: 'context.x' }, { target: 'a' }] } },
				b: { always: [{ target: 'a', guard: 'true' }, { target: 'b', guard: 'context.y' }], on: { X: 'a' } }
			});
			const ps = lintWorkflow(w).filter((p) => p.rule === 'nondeterministic' || p.rule === 'unreachable-alternative');
			expect(ps.map((p) => [p.rule, p.transition])).toEqual([
				['unreachable-alternative', 'a|on:GO|1'],
				['nondeterministic', 'a|on:GO|2'],
				['unreachable-alternative', 'b|always|1']
			]);
			expect(ps[1].path).toEqual(['states', 'a', 'on', 'GO', 2]);
		});
		it('is quiet for guarded alternatives ending in an unguarded default', () => {
			const w = workflow({ a: { on: { GO: [{ target: 'b', guard: 'context.x' }, { target: 'a' }] } }, b: { on: { GO: 'a' } } });
			expect(lintWorkflow(w)).toEqual([]);
		});
	});

	describe('conflicting-targets', () => {
		it('reports several targets that cannot be active together', () => {
			const w = workflow({ a: { on: { GO: { target: ['b', 'c'] } } }, b: { on: { X: 'a' } }, c: { initial: 'd', states: { d: { on: { X: '#top' } } } }, t: { id: 'top', on: { GO: { target: ['c', 'c.d'] } } } });
			expect(brief(only(w, 'conflicting-targets'))).toEqual([
				{ path: ['states', 'a', 'on', 'GO', 'target', 1], state: 'a', transition: 'a|on:GO|0' },
				{ path: ['states', 't', 'on', 'GO', 'target', 1], state: 't', transition: 't|on:GO|0' }
			]);
		});
		it('accepts targets in different regions of a parallel state', () => {
			const examplePlayer = examples.find((e) => e.id === 'media-player')!.workflow;
			expect(only(examplePlayer, 'conflicting-targets')).toEqual([]);
		});
	});

	describe('always-loop', () => {
		it('reports a cycle of unguarded always transitions', () => {
			const w = workflow({ a: { always: 'b' }, b: { always: { target: 'c' } }, c: { always: 'a' } });
			expect(only(w, 'always-loop').map((p) => p.state)).toEqual(['a', 'b', 'c']);
			expect(only(w, 'always-loop')[0].path).toEqual(['states', 'a', 'always']);
		});
		it('reports an unguarded targetless always and a loop through a compound initial child', () => {
			const w = workflow({ a: { always: { effects: [{ type: 'log', message: 'again' }] } } });
			expect(only(w, 'always-loop').map((p) => p.state)).toEqual(['a']);
			const nested = workflow({ a: { always: 'b' }, b: { initial: 'x', states: { x: { always: '#top' } } }, t: { id: 'top', always: 'a' } });
			expect(only(nested, 'always-loop').map((p) => p.state)).toEqual(['a', 'b.x', 't']);
		});
		it('is quiet when a guard can stop the loop, or the chain ends in a calm state', () => {
			expect(only(workflow({ a: { always: [{ target: 'b', guard: 'context.n < 3' }] }, b: { always: 'a' } }), 'always-loop')).toEqual([]);
			expect(only(workflow({ a: { always: 'b' }, b: { always: 'c' }, c: { on: { X: 'a' } } }), 'always-loop')).toEqual([]);
		});
	});

	describe('bad-expression', () => {
		it('reports guards, assign values, outputs and {{ }} templates that do not parse', () => {
			const w = workflow({
				a: {
					on: { GO: [{ target: 'b', guard: 'context.x >', effects: [{ type: 'assign', set: { n: 'context.n +', ok: 'context.n + 1' } }] }] },
					entry: [{ type: 'log', message: 'hi {{ context. }}' }],
					invoke: { type: 'call_llm', prompt: { user: ['ok {{ event.text }}', 'bad {{ ] }}'] }, retry: { type: 'retry', effect: { type: 'assign', set: { z: '(' } } } }
				},
				b: { type: 'final', output: '{ "a": }' }
			});
			const ps = only(w, 'bad-expression');
			expect(ps.map((p) => p.path)).toEqual([
				['states', 'a', 'on', 'GO', 0, 'guard'],
				['states', 'a', 'on', 'GO', 0, 'effects', 0, 'set', 'n'],
				['states', 'a', 'entry', 0, 'message'],
				['states', 'a', 'invoke', 'prompt', 'user', 1],
				['states', 'a', 'invoke', 'retry', 'effect', 'set', 'z'],
				['states', 'b', 'output']
			]);
			expect(ps[0].transition).toBe('a|on:GO|0');
			expect(ps[0].message).toMatch(/^states\.a\.on\.GO\[0\]\.guard: the guard "context\.x >" does not parse/);
		});
		it('checks effect parameters that are whole expressions (log.data, transform.expr, http.resultPath, delay.ms)', () => {
			const w = workflow({
				a: {
					entry: [
						{ type: 'log', message: 'plain text, no template', data: 'context.(' },
						{ type: 'transform', expr: '$sum(results.items.price)' },
						{ type: 'http', url: 'https://example.com', resultPath: 'body.items[' },
						{ type: 'delay', ms: 250 },
						{ type: 'delay', ms: 'context.wait *' }
					],
					on: { GO: 'a' }
				}
			});
			expect(only(w, 'bad-expression').map((p) => p.path)).toEqual([
				['states', 'a', 'entry', 0, 'data'],
				['states', 'a', 'entry', 2, 'resultPath'],
				['states', 'a', 'entry', 4, 'ms']
			]);
		});
		it('warns about an unclosed {{ and accepts good expressions', () => {
			const w = workflow({ a: { entry: [{ type: 'log', message: 'total {{ $sum(context.items.price) }} {{ oops' }], on: { GO: { target: 'a', guard: 'event.n in [1,2] and context.ok' } } } });
			const ps = only(w, 'bad-expression');
			expect(ps.map((p) => [p.severity, p.path])).toEqual([['warning', ['states', 'a', 'entry', 0, 'message']]]);
		});
	});

	it('never throws on documents that were not parsed', () => {
		const junk: unknown[] = [
			null,
			[],
			{ states: 5 },
			{ states: { a: null, b: { on: 7, after: [], always: 3, states: 'x' } } },
			{ states: { a: { on: { X: [null, 5, { target: 9 }] }, entry: 'nope', invoke: [1] } }, initial: 3 }
		];
		for (const j of junk) expect(() => lintWorkflow(j as Workflow)).not.toThrow();
	});

	it('lints a 500-state workflow quickly (no timing assertion; see tests/bench)', () => {
		const states: Record<string, unknown> = {};
		for (let i = 0; i < 500; i++) {
			states[`s${i}`] = {
				on: { NEXT: [{ target: `s${(i + 1) % 500}`, guard: `context.n > ${i}` }, { target: `s${i}` }] },
				entry: [{ type: 'assign', set: { n: `context.n + ${i}` } }, { type: 'log', message: `at {{ context.n * ${i} }}` }]
			};
		}
		expect(lintWorkflow(workflow(states))).toEqual([]);
	});
	describe('event keys', () => {
		it('reports a key that a wildcard or prefix listed before it already takes', () => {
			const w = workflow({ a: { on: { '*': 'b', A: 'b', error: 'b' } }, b: { on: { error: 'a', 'error.x other': 'a', 'error.y': { target: 'a', guard: 'event.ok' } } } });
			const ps = only(w, 'shadowed-event');
			expect(brief(ps)).toEqual([
				{ path: ['states', 'a', 'on', 'A'], state: 'a', transition: 'a|on:A|0' },
				{ path: ['states', 'a', 'on', 'error'], state: 'a', transition: 'a|on:error|0' },
				{ path: ['states', 'b', 'on', 'error.x other'], state: 'b', transition: 'b|on:error.x other|0' },
				{ path: ['states', 'b', 'on', 'error.y'], state: 'b', transition: 'b|on:error.y|0' }
			]);
			expect(ps[0].message).toBe('states.a.on.A: "A" is never taken: "*", listed before it in state "a", takes every event it matches. Move "A" above "*" or remove it.');
			expect(ps[2].message).toMatch(/"error.x" in "error.x other" never fires this transition/);
		});
		it('is quiet when the wildcard comes last or is guarded', () => {
			const w = workflow({ a: { on: { A: 'b', '*': 'b' } }, b: { on: { '*': { target: 'a', guard: 'event.ok' }, A: 'a' } } });
			expect(only(w, 'shadowed-event')).toEqual([]);
		});
		it('reports malformed descriptors', () => {
			const ps = only(workflow({ a: { on: { 'a*b': 'a', 'x.*.y ok': 'a', 'a..b': 'a' } } }), 'bad-event');
			expect(ps.map((p) => p.path[3])).toEqual(['a*b', 'x.*.y ok', 'a..b']);
			expect(ps[0].severity).toBe('warning');
		});
	});

	describe('no-on-error', () => {
		const failing = { type: 'http', id: 'fetch', url: 'https://example.test/x' };
		const cases: { name: string; states: Record<string, unknown>; on?: Record<string, unknown>; warn: boolean }[] = [
			{ name: 'no handler', states: { a: { invoke: failing, onDone: 'b' }, b: { type: 'final' } }, warn: true },
			{ name: 'onError', states: { a: { invoke: failing, onDone: 'b', onError: 'b' }, b: { type: 'final' } }, warn: false },
			{ name: 'an error key on the state', states: { a: { invoke: failing, onDone: 'b', on: { 'error.invoke.a': 'b' } }, b: { type: 'final' } }, warn: false },
			{ name: 'error on a parent', states: { p: { initial: 'a', on: { error: 'b' }, states: { a: { invoke: failing } } }, b: { type: 'final' } }, warn: false },
			{ name: '* on the workflow', states: { a: { invoke: failing }, b: { type: 'final' } }, on: { '*': 'b' }, warn: false },
			{ name: 'a key for another state', states: { a: { invoke: failing, on: { 'error.invoke.b': 'b' } }, b: { type: 'final' } }, warn: true },
			{ name: 'only a guarded onError', states: { a: { invoke: failing, onError: { target: 'b', guard: 'context.retry' } }, b: { type: 'final' } }, warn: true },
			{ name: "a parent's onError (it is for the parent's own invoke)", states: { p: { initial: 'a', onError: 'b', states: { a: { invoke: failing } } }, b: { type: 'final' } }, warn: true }
		];

		it('warns for an invoke whose failure nothing handles, at the invoke', () => {
			const ps = only(workflow({ a: { invoke: failing, onDone: 'b' }, b: { type: 'final' } }), 'no-on-error');
			expect(ps).toHaveLength(1);
			expect(ps[0]).toMatchObject({ severity: 'warning', path: ['states', 'a', 'invoke'], state: 'a' });
			expect(ps[0].message).toContain('state "a" invokes "fetch" (http) with no onError');
			const guarded = only(workflow({ a: { invoke: { type: 'call_llm' }, onError: { target: 'a', guard: 'context.n < 3' } } }), 'no-on-error');
			expect(guarded[0].message).toContain('every transition for its failure has a guard');
		});

		it('says nothing for effects the engine runs itself, which never fail as an invoke', () => {
			expect(only(workflow({ a: { invoke: { type: 'log', message: 'hi' }, onDone: 'b' }, b: { type: 'final' } }), 'no-on-error')).toEqual([]);
		});

		it('agrees with the engine: warned exactly when a failing invoke stops the instance', async () => {
			const { createInterpreter } = await import('../../src/lib/engine');
			for (const c of cases) {
				const w = workflow(c.states, c.on ? { on: c.on } : {});
				expect(only(w, 'no-on-error').length > 0, c.name).toBe(c.warn);
				const it = createInterpreter(w, { runEffect: () => Promise.reject(new Error('offline')) });
				it.start();
				for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
				expect(it.snapshot().status === 'error', c.name).toBe(c.warn);
				if (c.warn) expect(it.snapshot().error?.message, c.name).toMatch(/To handle it, add an onError transition/);
			}
		});
	});
});
