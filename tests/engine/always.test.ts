import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { recorder, wf } from './helpers';

describe('eventless (always) transitions', () => {
	it('are taken right after entry when their guard holds', () => {
		const it = createInterpreter(
			wf(
				{
					check: { always: [{ target: 'adult', guard: 'context.age >= 18' }, { target: 'minor' }] },
					adult: {},
					minor: {}
				},
				{ context: { age: 20 } }
			)
		);
		it.start();
		expect(it.snapshot().value).toBe('adult');
	});

	it('are re-checked after every microstep, including after a context change', () => {
		const it = createInterpreter(
			wf(
				{
					counting: {
						on: { INC: { effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } },
						always: { target: 'full', guard: 'context.n >= 3' }
					},
					full: {}
				},
				{ context: { n: 0 } }
			)
		);
		it.start();
		it.send('INC');
		it.send('INC');
		expect(it.snapshot().value).toBe('counting');
		it.send('INC');
		expect(it.snapshot().value).toBe('full');
	});

	it('run to completion: a chain settles within one macrostep', () => {
		const rec = recorder();
		const it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { always: 'c' }, c: { always: 'd' }, d: {} }), { onEvent: rec.onEvent });
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('d');
		expect(rec.of('input').length).toBe(1);
	});

	it('a loop that never settles puts the instance in error, naming the state', () => {
		const it = createInterpreter(
			wf({ a: { on: { GO: 'spin' } }, spin: { always: { target: 'spin', reenter: true, effects: [{ type: 'assign', set: { n: '1' } }] } } }, { context: {} }),
			{ maxMicrosteps: 50 }
		);
		it.start();
		it.send('GO');
		const s = it.snapshot();
		expect(s.status).toBe('error');
		expect(s.error?.message).toMatch(/did not settle after 50 microsteps in state "spin"/);
		expect(s.error?.state).toBe('spin');
		expect(s.error?.transition).toBe('spin|always|0');
	});

	it('a raise loop is caught too', () => {
		const it = createInterpreter(wf({ a: { entry: [{ type: 'raise', event: 'PING' }], on: { PING: { target: 'a', reenter: true } } } }), {
			maxMicrosteps: 20
		});
		it.start();
		expect(it.snapshot().status).toBe('error');
		expect(it.snapshot().error?.state).toBe('a');
	});
});
