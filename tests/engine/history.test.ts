import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { wf } from './helpers';

const machine = (history: 'shallow' | 'deep', target?: string) =>
	wf({
		work: {
			initial: 'a',
			states: {
				a: { on: { NEXT: 'b' } },
				b: {
					initial: 'b1',
					states: { b1: { on: { NEXT: 'b2' } }, b2: {} }
				},
				hist: { type: 'history', history, ...(target ? { target } : {}) }
			},
			on: { PAUSE: 'paused' }
		},
		paused: { on: { RESUME: 'work.hist', RESTART: 'work' } }
	});

describe('history', () => {
	it('shallow history remembers the child and enters its default descendants', () => {
		const it = createInterpreter(machine('shallow'));
		it.start();
		it.send('NEXT');
		it.send('NEXT');
		expect(it.snapshot().value).toEqual({ work: { b: 'b2' } });
		it.send('PAUSE');
		it.send('RESUME');
		expect(it.snapshot().value).toEqual({ work: { b: 'b1' } });
	});

	it('deep history remembers the atomic descendants', () => {
		const it = createInterpreter(machine('deep'));
		it.start();
		it.send('NEXT');
		it.send('NEXT');
		it.send('PAUSE');
		it.send('RESUME');
		expect(it.snapshot().value).toEqual({ work: { b: 'b2' } });
	});

	it('without memory enters the default target, else the parent initial', () => {
		const a = createInterpreter(
			wf({
				paused: { on: { RESUME: 'work.hist' } },
				work: { initial: 'a', states: { a: {}, b: {}, hist: { type: 'history', target: 'b' } } }
			})
		);
		a.start();
		a.send('RESUME');
		expect(a.snapshot().value).toEqual({ work: 'b' });
		const b = createInterpreter(
			wf({
				paused: { on: { RESUME: 'work.hist' } },
				work: { initial: 'a', states: { a: {}, b: {}, hist: { type: 'history' } } }
			})
		);
		b.start();
		b.send('RESUME');
		expect(b.snapshot().value).toEqual({ work: 'a' });
	});

	it('a plain target ignores history', () => {
		const it = createInterpreter(machine('deep'));
		it.start();
		it.send('NEXT');
		it.send('PAUSE');
		it.send('RESTART');
		expect(it.snapshot().value).toEqual({ work: 'a' });
	});

	it('deep history restores every region of a parallel state', () => {
		const it = createInterpreter(
			wf({
				p: {
					initial: 'par',
					states: {
						par: {
							type: 'parallel',
							states: {
								r1: { initial: 'x', states: { x: { on: { A: 'y' } }, y: {} } },
								r2: { initial: 'x', states: { x: { on: { B: 'y' } }, y: {} } }
							}
						},
						h: { type: 'history', history: 'deep' }
					},
					on: { OUT: 'away' }
				},
				away: { on: { BACK: 'p.h' } }
			})
		);
		it.start();
		it.send('B');
		it.send('OUT');
		it.send('BACK');
		expect(it.snapshot().value).toEqual({ p: { par: { r1: 'x', r2: 'y' } } });
		// and the memory survives persist/resume
		const p = it.persist();
		expect(p.history).toEqual({ 'p.h': ['p.par.r1.x', 'p.par.r2.y'] });
	});
});
