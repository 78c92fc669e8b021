import { describe, expect, it } from 'vitest';
import { createInterpreter, replayInputs, type RecordedInput, type RunEffect } from '../../src/lib/engine';
import { ManualClock, flush, recorder, wf } from './helpers';

const machine = () =>
	wf(
		{
			idle: { on: { START: { target: 'run', effects: [{ type: 'assign', set: { runs: 'context.runs + 1' } }] } } },
			run: {
				initial: 'fetch',
				states: {
					fetch: {
						invoke: { type: 'fetch', id: 'page' },
						onDone: { target: 'wait', effects: [{ type: 'assign', set: { size: 'event.output.size' } }] },
						onError: 'wait'
					},
					wait: { after: { '1000': 'done' } },
					done: { type: 'final' },
					h: { type: 'history', history: 'deep' }
				},
				onDone: 'idle',
				on: { PAUSE: 'paused' }
			},
			paused: { on: { RESUME: 'run.h' } }
		},
		{ context: { runs: 0 } }
	);

describe('persist, resume and replay', () => {
	it('replaying the recorded inputs reproduces value, context, timers and results exactly', async () => {
		const clock = new ManualClock();
		const rec = recorder();
		const runEffect: RunEffect = (_e, scope) => {
			scope.assign({ started: clock.now() });
			return Promise.resolve({ size: 1234 });
		};
		const live = createInterpreter(machine(), { clock, runEffect, onEvent: rec.onEvent });
		live.start();
		clock.advance(5);
		live.send('START');
		await flush();
		clock.advance(300);
		live.send('PAUSE');
		live.send('RESUME');
		clock.advance(999);
		const inputs = rec.of('input') as RecordedInput[];
		expect(inputs.map((i) => i.event.type)).toEqual(['START', 'fsm.assign', 'done.invoke.run.fetch', 'PAUSE', 'RESUME']);
		const replayed = replayInputs(machine(), inputs, undefined, { startTime: 0 });
		expect(replayed).toEqual(live.persist());
		expect(replayed.results).toEqual({ page: { size: 1234 } });
	});

	it('resumes from a persisted snapshot and continues with later inputs', async () => {
		const clock = new ManualClock();
		const rec = recorder();
		const runEffect: RunEffect = () => Promise.resolve({ size: 1 });
		const live = createInterpreter(machine(), { clock, runEffect, onEvent: rec.onEvent });
		live.start();
		live.send('START');
		await flush();
		const mid = structuredClone(live.persist());
		live.send('PAUSE');
		live.send('RESUME');
		clock.advance(1000);
		const inputs = rec.of('input') as RecordedInput[];
		const fromSnapshot = replayInputs(machine(), inputs, mid);
		expect(fromSnapshot).toEqual(live.persist());
		expect(fromSnapshot.value).toBe('idle');
	});

	it('a resumed instance restarts the invoke of its active state', async () => {
		let calls = 0;
		const runEffect: RunEffect = () => {
			calls++;
			return new Promise(() => {});
		};
		const first = createInterpreter(machine(), { runEffect });
		first.start();
		first.send('START');
		const saved = first.persist();
		first.stop();
		const second = createInterpreter(machine(), { runEffect, snapshot: saved });
		second.start();
		expect(second.snapshot().value).toEqual({ run: 'fetch' });
		expect(calls).toBe(2);
	});

	it('replay mode starts no effects and no timers', () => {
		const clock = new ManualClock();
		let calls = 0;
		const it = createInterpreter(machine(), {
			clock,
			replay: true,
			runEffect: () => {
				calls++;
				return Promise.resolve();
			}
		});
		it.start();
		it.send('START');
		it.send({ type: 'done.invoke.run.fetch', output: { size: 9 } });
		expect(calls).toBe(0);
		expect(clock.pending).toBe(0);
		expect(it.snapshot()).toMatchObject({ value: { run: 'wait' }, context: { size: 9 } });
		expect(it.persist().timers.length).toBe(1);
	});

	it('rejects a snapshot naming an unknown state with a clear error', () => {
		const it = createInterpreter(machine(), {
			snapshot: { value: 'gone', context: {}, status: 'active', configuration: ['gone'], history: {}, timers: [], seq: 3 }
		});
		it.start();
		expect(it.snapshot().status).toBe('error');
		expect(it.snapshot().error?.message).toMatch(/state "gone"/);
	});

	it('a snapshot taken after stop() resumes as active', () => {
		const first = createInterpreter(machine());
		first.start();
		first.send('START');
		first.stop();
		const saved = first.persist();
		expect(saved.status).toBe('stopped');
		const second = createInterpreter(machine(), { snapshot: saved, replay: true });
		second.start();
		second.send('PAUSE');
		expect(second.snapshot()).toMatchObject({ status: 'active', value: 'paused' });
	});
});


describe('time in expressions', () => {
	it('$now() and $millis() read the time of the input, so replay reproduces them', () => {
		const clock = new ManualClock();
		clock.time = 1_700_000_000_000;
		const rec = recorder();
		const w = wf(
			{
				a: {
					on: {
						STAMP: { effects: [{ type: 'assign', set: { at: '$now()', ms: '$millis()', day: '$now("[Y0001]-[M01]-[D01]")' } }] }
					}
				}
			},
			{ context: {} }
		);
		const live = createInterpreter(w, { clock, onEvent: rec.onEvent });
		live.start();
		clock.advance(1234);
		live.send('STAMP');
		expect(live.snapshot().context).toEqual({ at: new Date(1_700_000_001_234).toISOString(), ms: 1_700_000_001_234, day: '2023-11-14' });
		clock.advance(99_999);
		const replayed = replayInputs(w, rec.of('input') as RecordedInput[]);
		expect(replayed.context).toEqual(live.snapshot().context);
	});
});
