import { describe, expect, it } from 'vitest';
import { createInterpreter, compile, WorkflowCompileError } from '../../src/lib/engine';
import { recorder, wf } from './helpers';

describe('transitions', () => {
	it('takes the first alternative whose guard holds, in order', () => {
		const w = wf(
			{
				idle: {
					on: {
						GO: [
							{ target: 'big', guard: 'event.n > 10' },
							{ target: 'mid', guard: 'event.n > 5' },
							{ target: 'small' }
						]
					}
				},
				big: {},
				mid: {},
				small: {}
			}
		);
		for (const [n, want] of [[20, 'big'], [7, 'mid'], [1, 'small']] as const) {
			const it = createInterpreter(w);
			it.start();
			it.send({ type: 'GO', n });
			expect(it.snapshot().value).toBe(want);
		}
	});

	it('stays put when no guard holds', () => {
		const it = createInterpreter(wf({ a: { on: { GO: { target: 'b', guard: 'context.ok' } } }, b: {} }, { context: { ok: false } }));
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('a');
	});

	it('runs targetless transitions without exiting or entering', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf(
				{
					a: {
						entry: [{ type: 'log', message: 'enter a' }],
						exit: [{ type: 'log', message: 'exit a' }],
						on: { INC: { effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } }
					}
				},
				{ context: { n: 0 } }
			),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('INC');
		it.send('INC');
		expect(it.snapshot()).toMatchObject({ value: 'a', context: { n: 2 } });
		expect(rec.of('log').map((l) => l.message)).toEqual(['enter a']);
		expect(rec.of('exited')).toEqual([]);
	});

	it('does not re-enter on a self transition unless reenter is set (XState v5)', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({
				a: {
					entry: [{ type: 'log', message: 'enter' }],
					on: { SELF: 'a', RE: { target: 'a', reenter: true } }
				}
			}),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('SELF');
		expect(rec.of('log').length).toBe(1);
		it.send('RE');
		expect(rec.of('log').length).toBe(2);
		expect(rec.of('exited').map((e) => e.state)).toEqual(['a']);
	});

	it('resolves sibling keys, .child, #id and #<workflow id>.path, and nothing else (one resolver with lint)', () => {
		const w = wf({
			a: {
				initial: 'a1',
				states: {
					a1: { on: { DOWN: '.x', SIB: 'a2', ID: '#deep', PATH: '#test.b.b2' } },
					a2: {}
				},
				on: { CHILD: '.a2' }
			},
			b: { initial: 'b1', states: { b1: {}, b2: { id: 'deep' } } }
		});
		// .x is not a child of a1: compile must say so.
		expect(() => compile(w)).toThrow(/Unknown target "\.x" from state "a\.a1"/);
		// A path from the root is not a sibling path (lint and parse say the same).
		const rootPath = structuredClone(w);
		(rootPath.states.a.states!.a1.on as Record<string, unknown>).DOWN = 'b.b2';
		expect(() => compile(rootPath)).toThrow(/Unknown target "b\.b2" from state "a\.a1"/);
		const fixed = structuredClone(w);
		delete (fixed.states.a.states!.a1.on as Record<string, unknown>).DOWN;
		const cases: [string, unknown][] = [
			['SIB', { a: 'a2' }],
			['ID', { b: 'b2' }],
			['PATH', { b: 'b2' }],
			['CHILD', { a: 'a2' }]
		];
		for (const [ev, want] of cases) {
			const it = createInterpreter(fixed);
			it.start();
			it.send(ev);
			expect(it.snapshot().value, ev).toEqual(want);
		}
	});

	it('applies root-level `on` in every state, after the states themselves', () => {
		const w = wf(
			{
				a: { on: { NEXT: 'b' } },
				b: { on: { RESET: 'b' } }
			},
			{ on: { RESET: 'a' } }
		);
		const it = createInterpreter(w);
		it.start();
		it.send('RESET');
		expect(it.snapshot().value).toBe('a');
		it.send('NEXT');
		it.send('RESET'); // b's own RESET wins over the root's
		expect(it.snapshot().value).toBe('b');
		expect(it.enabledEvents().sort()).toEqual(['RESET']);
	});

	it('supports a wildcard `*` transition for any user event', () => {
		const it = createInterpreter(wf({ a: { on: { KNOWN: 'b', '*': 'c' } }, b: {}, c: {} }));
		it.start();
		it.send('WHATEVER');
		expect(it.snapshot().value).toBe('c');
	});

	it('reports every problem at compile time with a path', () => {
		try {
			compile(wf({ a: { on: { GO: [{ target: 'nowhere' }, { target: 'a', guard: 'context.(' }] }, after: { soon: 'a' } } }));
			expect.unreachable();
		} catch (e) {
			expect(e).toBeInstanceOf(WorkflowCompileError);
			const probs = (e as WorkflowCompileError).problems;
			expect(probs.map((p) => p.path.join('.'))).toEqual(['states.a.on.GO.0.target', 'states.a.on.GO.1.guard', 'states.a.after.soon']);
		}
	});

	it('rejects prototype-polluting keys', () => {
		const w = wf({ a: {} });
		(w.states as Record<string, unknown>)['__proto__x'] = {};
		Object.defineProperty(w.states, '__proto__', { value: {}, enumerable: true });
		expect(() => compile(w)).toThrow(/__proto__/);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it('enters several parallel regions at once with a list of targets, and #id.child', () => {
		const it = createInterpreter(
			wf({
				start: { on: { GO: { target: ['p.a.y', 'p.b.y'] }, DEEP: '#pb.y' } },
				p: {
					type: 'parallel',
					states: {
						a: { initial: 'x', states: { x: {}, y: {} } },
						b: { id: 'pb', initial: 'x', states: { x: {}, y: {} } }
					}
				}
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toEqual({ p: { a: 'y', b: 'y' } });
		const other = createInterpreter(it.machine);
		other.start();
		other.send('DEEP');
		expect(other.snapshot().value).toEqual({ p: { a: 'x', b: 'y' } });
	});

	it('refuses an event without a type with a message saying what to do', () => {
		const it = createInterpreter(wf({ a: {} }));
		it.start();
		expect(() => it.send({} as never)).toThrow(/send\('OPEN'\)/);
		expect(it.snapshot().status).toBe('active');
	});
});

