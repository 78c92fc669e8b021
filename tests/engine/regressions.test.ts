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
	it('an atomic self-transition does not pre-empt another region’s transition (exit sets do not intersect)', () => {
		const variants: Record<string, unknown> = {
			'self-target first': { a: { id: 'a', on: { E: '#a' } }, b: { on: { E: '#x' } } },
			'targetless first': { a: { id: 'a', on: { E: {} } }, b: { on: { E: '#x' } } },
			'self-target second': { b: { on: { E: '#x' } }, a: { id: 'a', on: { E: '#a' } } }
		};
		for (const [name, regions] of Object.entries(variants)) {
			const it = createInterpreter({ ...wf({ p: { type: 'parallel', states: regions as never }, x: { id: 'x' } }), initial: 'p' });
			it.start();
			it.send('E');
			expect(it.snapshot().value, name).toBe('x');
		}
	});

	it('a self-transition with reenter does conflict (it exits its source)', () => {
		const it = createInterpreter(
			wf({ p: { type: 'parallel', states: { r: { initial: 'a', states: { a: { on: { E: { target: 'a', reenter: true } } } } }, b: { on: { E: '#x' } } } }, x: { id: 'x' } })
		);
		it.start();
		it.send('E');
		expect(it.snapshot().value).toEqual({ p: { r: 'a', b: {} } });
	});
});
