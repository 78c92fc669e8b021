import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { wf } from './helpers';

// Cases the random-workflow property found; each pinned as a named test.
describe('regressions', () => {
	it('parallel source targeting its own descendant re-enters the other regions (fc seed 5)', () => {
		const it = createInterpreter(
			wf({
				p: {
					type: 'parallel',
					states: {
						r1: { initial: 'a', states: { a: { on: { NEXT: 'b' } }, b: {} } },
						r2: { initial: 'x', states: { x: {} } }
					},
					on: { GO: 'p.r1.a' }
				}
			})
		);
		it.start();
		it.send('NEXT');
		it.send('GO');
		expect(it.snapshot().value).toEqual({ p: { r1: 'a', r2: 'x' } });
		expect(it.persist().configuration).toEqual(['p.r1.a', 'p.r2.x']);
	});

	it('a history target resolving to its own source still conflicts with a transition leaving the parallel state', () => {
		const it = createInterpreter(
			wf({
				p: {
					type: 'parallel',
					states: {
						r1: { initial: 'a', states: { a: { on: { D: '#r1h' } }, h: { type: 'history', id: 'r1h' } } },
						r2: { initial: 'x', states: { x: { on: { D: { target: '#out', reenter: true } } } } }
					}
				},
				out: { id: 'out' }
			})
		);
		it.start();
		it.send('D');
		// r1's transition comes first in document order and preempts r2's.
		expect(it.snapshot().value).toEqual({ p: { r1: 'a', r2: 'x' } });
		expect(it.persist().configuration).toEqual(['p.r1.a', 'p.r2.x']);
	});

	it('a self-targeted atomic state inside a region leaves the entry marks clean (pooled scratch)', () => {
		const w = wf({ p: { type: 'parallel', states: { r1: { initial: 'a', states: { a: { on: { SELF: 'a' } } } }, r2: { initial: 'x', states: { x: {}, y: {} } } } }, q: {} });
		const one = createInterpreter(w);
		one.start();
		one.send('SELF');
		const two = createInterpreter(w);
		two.start();
		expect(two.persist().configuration).toEqual(['p.r1.a', 'p.r2.x']);
	});
});
