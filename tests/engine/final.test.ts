import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { recorder, wf } from './helpers';

describe('final states and done', () => {
	it('a top-level final state ends the instance with its output', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({ a: { on: { FINISH: 'end' } }, end: { type: 'final', output: '{"total": context.n}' } }, { context: { n: 3 } }),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('FINISH');
		expect(it.snapshot()).toEqual({ value: 'end', context: { n: 3 }, status: 'done', output: { total: 3 } });
		expect(rec.of('status').map((s) => s.status)).toEqual(['active', 'done']);
		it.send('FINISH');
		expect(rec.of('input').length).toBe(1);
	});

	it('reaching a final child takes the compound state onDone, with the output on the event', () => {
		const it = createInterpreter(
			wf(
				{
					task: {
						initial: 'step',
						states: { step: { on: { OK: 'ok' } }, ok: { type: 'final', output: '42' } },
						onDone: { target: 'next', effects: [{ type: 'assign', set: { got: 'event.output' } }] }
					},
					next: {}
				},
				{ context: {} }
			)
		);
		it.start();
		it.send('OK');
		expect(it.snapshot()).toMatchObject({ value: 'next', context: { got: 42 } });
	});

	it('a parallel state is done when every region is in a final state', () => {
		const it = createInterpreter(
			wf({
				both: {
					type: 'parallel',
					states: {
						a: { initial: 'w', states: { w: { on: { A: 'f' } }, f: { type: 'final' } } },
						b: { initial: 'w', states: { w: { on: { B: 'f' } }, f: { type: 'final' } } }
					},
					onDone: 'after'
				},
				after: {}
			})
		);
		it.start();
		it.send('A');
		expect(it.snapshot().value).toEqual({ both: { a: 'f', b: 'w' } });
		it.send('B');
		expect(it.snapshot().value).toBe('after');
	});

	it('done of a nested compound bubbles up level by level', () => {
		const it = createInterpreter(
			wf({
				outer: {
					initial: 'inner',
					states: {
						inner: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: { type: 'final' } }, onDone: 'innerDone' },
						innerDone: { type: 'final' }
					},
					onDone: 'finished'
				},
				finished: { type: 'final' }
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot()).toMatchObject({ value: 'finished', status: 'done' });
	});
	it('reaching the end runs the exit effects of every active state, innermost first, as SCXML and XState do', () => {
		const rec = recorder();
		const log = (m: string) => ({ type: 'log', message: m });
		const it = createInterpreter(
			wf(
				{
					a: { on: { FINISH: 'end' } },
					end: {
						type: 'final',
						output: 'context.n',
						entry: [{ type: 'assign', set: { n: 'context.n + 1' } }, log('entry')],
						exit: [{ type: 'assign', set: { n: 'context.n + 10' } }, log('exit')]
					}
				},
				{ context: { n: 0 } }
			),
			{ onEvent: rec.onEvent }
		);
		it.start();
		it.send('FINISH');
		// The output is taken on entry (n = 1); the exit effects then run (n = 11).
		expect(it.snapshot()).toEqual({ value: 'end', context: { n: 11 }, status: 'done', output: 1 });
		const order = rec.events.filter((e) => e.kind === 'log' || e.kind === 'exited' || e.kind === 'status').map((e) => (e.kind === 'log' ? e.message : e.kind === 'exited' ? `exited ${e.state}` : e.status));
		expect(order.slice(-4)).toEqual(['entry', 'exit', 'exited end', 'done']);
	});
	it('a parallel state completed by a nested parallel region is done too (up the chain)', () => {
		const it = createInterpreter(
			wf({
				outer: {
					type: 'parallel',
					onDone: 'finished',
					states: {
						inner: {
							type: 'parallel',
							states: { a: { initial: 'w', states: { w: { on: { GO: 'f' } }, f: { type: 'final' } } } }
						}
					}
				},
				finished: {}
			})
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('finished');
	});

	it('a final state right inside a parallel state is a finished region, not the end of the parallel state', () => {
		const it = createInterpreter(
			wf({
				p: { type: 'parallel', onDone: 'finished', states: { r: { initial: 'w', states: { w: { on: { GO: 'f' } }, f: { type: 'final' } } }, done: { type: 'final' } } },
				finished: {}
			})
		);
		it.start();
		expect(it.snapshot().value).toEqual({ p: { r: 'w', done: {} } });
		it.send('GO');
		expect(it.snapshot().value).toBe('finished');
	});
	it('a parallel state whose regions are all final at once is done once (XState differential, seed 2114069655)', () => {
		const it = createInterpreter(
			wf(
				{ p: { type: 'parallel', states: { a: { type: 'final' }, b: { type: 'final' } } } },
				{ context: { n: 0 }, on: { '*': { effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } }
			)
		);
		it.start();
		expect(it.snapshot().context.n).toBe(1);
	});
});
