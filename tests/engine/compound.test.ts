import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import type { EffectSpec, StateNodeSpec } from '../../src/lib/model/types';
import { recorder, wf } from './helpers';

const log = (m: string): EffectSpec[] => [{ type: 'log', message: m }];
/** A state that logs its entry and exit. */
const traced = (name: string, spec: StateNodeSpec = {}): StateNodeSpec => ({ entry: log('enter ' + name), exit: log('exit ' + name), ...spec });

describe('compound states', () => {
	it('enters the initial child, outermost first, and reports nested values', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({
				a: traced('a', {
					initial: 'b',
					states: { b: traced('b', { initial: 'c', states: { c: traced('c'), d: traced('d') } }) }
				})
			}),
			{ onEvent: rec.onEvent }
		);
		it.start();
		expect(it.snapshot().value).toEqual({ a: { b: 'c' } });
		expect(rec.of('log').map((l) => l.message)).toEqual(['enter a', 'enter b', 'enter c']);
	});

	it('uses the first child when `initial` is omitted', () => {
		const it = createInterpreter(wf({ a: { states: { x: {}, y: {} } } }));
		it.start();
		expect(it.snapshot().value).toEqual({ a: 'x' });
	});

	it('exits innermost first, runs transition effects, then enters outermost first (SCXML order)', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({
				p: traced('p', {
					initial: 'a',
					states: {
						a: traced('a', {
							initial: 'a1',
							states: { a1: traced('a1', { on: { GO: { target: '#b2', effects: log('effect') } } }) }
						}),
						b: traced('b', { initial: 'b1', states: { b1: traced('b1'), b2: traced('b2', { id: 'b2' }) } })
					}
				})
			}),
			{ onEvent: rec.onEvent }
		);
		it.start();
		rec.events.length = 0;
		it.send('GO');
		expect(rec.of('log').map((l) => l.message)).toEqual(['exit a1', 'exit a', 'effect', 'enter b', 'enter b2']);
		expect(it.snapshot().value).toEqual({ p: { b: 'b2' } });
	});

	it('lets a parent transition handle events its children do not', () => {
		const it = createInterpreter(
			wf({
				on_: { initial: 'x', states: { x: { on: { NEXT: 'y' } }, y: {} }, on: { OFF: 'off', NEXT: 'off' } },
				off: {}
			})
		);
		it.start();
		it.send('NEXT'); // child wins
		expect(it.snapshot().value).toEqual({ on_: 'y' });
		it.send('NEXT'); // y has none: the parent's
		expect(it.snapshot().value).toBe('off');
	});

	it('falls back to the parent when the child guard fails', () => {
		const it = createInterpreter(
			wf({
				p: { initial: 'x', states: { x: { on: { GO: { target: 'y', guard: 'false' } } }, y: {} }, on: { GO: 'q' } },
				q: {}
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('q');
	});

	it('resets the children on a parent self-transition but does not re-enter the parent', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({ p: traced('p', { initial: 'x', states: { x: traced('x', { on: { N: 'y' } }), y: traced('y') }, on: { RESET: 'p' } }) }),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('N');
		rec.events.length = 0;
		it.send('RESET');
		expect(rec.of('log').map((l) => l.message)).toEqual(['exit y', 'enter x']);
		expect(it.snapshot().value).toEqual({ p: 'x' });
	});
});
