import { describe, expect, it } from 'vitest';
import { createInterpreter, replayInputs, WorkflowCompileError, type RecordedInput, type RunEffect } from '../../src/lib/engine';
import { createExecutor } from '../../src/lib/effects';
import type { EffectSpec } from '../../src/lib/model/types';
import { ManualClock, flush, recorder, wf } from './helpers';


describe('send: the external queue', () => {
	it('an event sent without delay is processed after the internal events, as its own input (W3C 421)', () => {
		const rec = recorder();
		const it = createInterpreter(
			wf({
				s1: {
					entry: [{ type: 'send', event: 'external' }, { type: 'raise', event: 'internal1' }, { type: 'raise', event: 'internal2' }],
					initial: 's11',
					states: {
						s11: { on: { internal1: 's12', external: '#fail' } },
						s12: { on: { internal2: '#s2', external: '#fail' } }
					}
				},
				s2: { id: 's2', on: { external: 'pass', '*': '#fail' } },
				pass: { type: 'final' },
				fail: { id: 'fail', type: 'final' }
			}),
			{ onEvent: rec.onEvent }
		);
		it.start();
		expect(it.snapshot().value).toBe('pass');
		expect(rec.of('input').map((e) => e.event.type)).toEqual(['external']);
	});

	it('a sent event carries its data and the template values of the moment it was sent', () => {
		const it = createInterpreter(
			wf(
				{
					a: {
						on: {
							GO: { effects: [{ type: 'send', event: { type: 'ECHO', n: '{{ context.n }}', label: 'n is {{ context.n }}' } }, { type: 'assign', set: { n: 'context.n + 1' } }] },
							ECHO: { target: 'b', effects: [{ type: 'assign', set: { got: 'event.n', label: 'event.label' } }] }
						}
					},
					b: {}
				},
				{ context: { n: 1 } }
			)
		);
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('b');
		expect(it.snapshot().context).toMatchObject({ n: 2, got: 1, label: 'n is 1' });
	});

	it('events sent before start() queue behind what the start sent', () => {
		const seen: string[] = [];
		const it = createInterpreter(
			wf({ a: { entry: [{ type: 'send', event: 'FROM_ENTRY' }], on: { '*': { effects: [{ type: 'assign', set: { last: 'event.type' } }] } } } }),
			{ onEvent: (e) => e.kind === 'input' && seen.push(e.event.type) }
		);
		it.send('EARLY');
		it.start();
		expect(seen).toEqual(['FROM_ENTRY', 'EARLY']);
	});
});

describe('send with a delay', () => {
	const delayed = () =>
		wf(
			{
				a: {
					entry: [{ type: 'send', id: 'ping', event: 'PING', delay: 100 }],
					on: { LEAVE: 'b', PING: '#early' }
				},
				b: { on: { PING: { target: 'c', effects: [{ type: 'assign', set: { pinged: 'true' } }] }, STOP: { effects: [{ type: 'cancel', sendid: 'ping' }] } } },
				c: {},
				early: { id: 'early' }
			},
			{ context: { pinged: false } }
		);

	it('fires on the injected clock and is not cancelled when its state is left', () => {
		const clock = new ManualClock();
		const it = createInterpreter(delayed(), { clock });
		it.start();
		it.send('LEAVE');
		clock.advance(99);
		expect(it.snapshot().value).toBe('b');
		clock.advance(1);
		expect(it.snapshot().value).toBe('c');
		expect(it.snapshot().context.pinged).toBe(true);
		expect(clock.pending).toBe(0);
	});

	it('cancel drops the pending send by its id', () => {
		const clock = new ManualClock();
		const it = createInterpreter(delayed(), { clock });
		it.start();
		it.send('LEAVE');
		expect(it.persist().sends).toEqual([{ id: 'ping', event: { type: 'PING' }, delay: 100, startedAt: 0 }]);
		it.send('STOP');
		expect(it.persist().sends).toBeUndefined();
		expect(clock.pending).toBe(0);
		clock.advance(1000);
		expect(it.snapshot().value).toBe('b');
	});

	it('cancel of an id with nothing pending changes nothing (SCXML)', () => {
		const clock = new ManualClock();
		const it = createInterpreter(wf({ a: { on: { X: { effects: [{ type: 'cancel', sendid: 'nothing-{{ context.k }}' }] } } } }, { context: { k: 1 } }), { clock });
		it.start();
		it.send('X');
		expect(it.snapshot().status).toBe('active');
	});

	it('the delay may be an expression; sends due at the same time arrive in the order they were made', () => {
		const clock = new ManualClock();
		const it = createInterpreter(
			wf(
				{
					a: {
						entry: [
							{ type: 'send', event: 'SECOND', delay: 'context.wait * 2' },
							{ type: 'send', event: 'FIRST', delay: 'context.wait' },
							{ type: 'send', event: 'THIRD', delay: 'context.wait * 2' }
						],
						on: { '*': { effects: [{ type: 'assign', set: { order: '$append(context.order, event.type)' } }] } }
					}
				},
				{ context: { wait: 50, order: [] } }
			),
			{ clock }
		);
		it.start();
		clock.advance(100);
		expect(it.snapshot().context.order).toEqual(['FIRST', 'SECOND', 'THIRD']);
	});

	it('a delay that is not a number of milliseconds stops the instance with a clear error', () => {
		const it = createInterpreter(wf({ a: { on: { GO: { effects: [{ type: 'send', id: 'later', event: 'X', delay: 'context.missing' }] } } } }));
		it.start();
		it.send('GO');
		expect(it.snapshot().status).toBe('error');
		expect(it.snapshot().error?.message).toBe('Effect later: the delay undefined is not a number of milliseconds (0 or more)');
	});

	it('the workflow refuses a negative delay, an unparsable one, and a cancel without sendid', () => {
		const compileError = (effect: EffectSpec) => {
			try {
				createInterpreter(wf({ a: { entry: [effect] } }));
			} catch (e) {
				expect(e).toBeInstanceOf(WorkflowCompileError);
				return (e as WorkflowCompileError).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
			}
			return [];
		};
		expect(compileError({ type: 'send', event: 'X', delay: -5 })).toEqual(['states.a.entry.0.delay: The delay -5 is not a number of milliseconds (0 or more)']);
		expect(compileError({ type: 'send', event: 'X', delay: 'context.(' })[0]).toMatch(/^states\.a\.entry\.0\.delay: The delay "context\.\(" is not a number of milliseconds nor an expression/);
		expect(compileError({ type: 'cancel' })).toEqual(['states.a.entry.0.sendid: cancel needs "sendid": the id of the send to cancel']);
		expect(compileError({ type: 'send', event: 'X', delay: 10 })).toEqual([]);
	});

	it('stop() and the end of the workflow drop pending sends', () => {
		const clock = new ManualClock();
		const it = createInterpreter(
			wf({ a: { entry: [{ type: 'send', event: 'X', delay: 10 }], on: { END: 'done' } }, done: { type: 'final' } }),
			{ clock }
		);
		it.start();
		expect(clock.pending).toBe(1);
		it.send('END');
		expect(clock.pending).toBe(0);
		const other = createInterpreter(wf({ a: { entry: [{ type: 'send', event: 'X', delay: 10 }] } }), { clock });
		other.start();
		other.stop();
		expect(clock.pending).toBe(0);
	});
});

describe('sends, persistence and replay', () => {
	const machine = () =>
		wf(
			{
				idle: { on: { START: 'waiting' } },
				waiting: {
					entry: [
						{ type: 'send', id: 'timeout', event: { type: 'TIMEOUT', after: '{{ context.limit }}' }, delay: 'context.limit' },
						{ type: 'send', id: 'reminder', event: 'REMIND', delay: 300 }
					],
					on: {
						ANSWER: { target: 'answered', effects: [{ type: 'cancel', sendid: 'timeout' }] },
						REMIND: { effects: [{ type: 'assign', set: { reminded: 'context.reminded + 1' } }] },
						TIMEOUT: 'timedOut'
					}
				},
				answered: { on: { TIMEOUT: 'timedOut', REMIND: { effects: [{ type: 'assign', set: { remindedLate: 'true' } }] } } },
				timedOut: {}
			},
			{ context: { limit: 1000, reminded: 0, remindedLate: false } }
		);

	it('replaying the recorded inputs gives the same state and the same pending sends', () => {
		const clock = new ManualClock();
		const rec = recorder();
		const live = createInterpreter(machine(), { clock, onEvent: rec.onEvent });
		live.start();
		clock.advance(10);
		live.send('START');
		clock.advance(200);
		const midInputs = rec.of('input') as RecordedInput[];
		expect(replayInputs(machine(), midInputs, undefined, { startTime: 0 })).toEqual(live.persist());
		expect(live.persist().sends?.map((s) => s.id)).toEqual(['timeout', 'reminder']);
		clock.advance(200); // REMIND fires at 310
		live.send('ANSWER'); // cancels the timeout
		clock.advance(5000);
		const inputs = rec.of('input') as RecordedInput[];
		expect(inputs.map((i) => i.event.type)).toEqual(['START', 'REMIND', 'ANSWER']);
		expect(live.snapshot().value).toBe('answered');
		expect(live.snapshot().context.reminded).toBe(1);
		expect(replayInputs(machine(), inputs, undefined, { startTime: 0 })).toEqual(live.persist());
	});

	it('a replay matches a delivered send to its pending record, so it is not pending twice', () => {
		const clock = new ManualClock();
		const rec = recorder();
		const live = createInterpreter(machine(), { clock, onEvent: rec.onEvent });
		live.start();
		live.send('START');
		clock.advance(300);
		const replayed = replayInputs(machine(), rec.of('input') as RecordedInput[], undefined, { startTime: 0 });
		expect(replayed.sends).toEqual([{ id: 'timeout', event: { type: 'TIMEOUT', after: 1000 }, delay: 1000, startedAt: 0 }]);
		expect(replayed).toEqual(live.persist());
	});

	it('resumes from a snapshot with its pending sends and fires them when due', () => {
		const clock = new ManualClock();
		const live = createInterpreter(machine(), { clock });
		live.start();
		clock.advance(100);
		live.send('START');
		const saved = live.persist();
		live.stop();
		clock.advance(500); // the page was closed meanwhile: the reminder is overdue
		const resumed = createInterpreter(machine(), { clock, snapshot: saved });
		resumed.start();
		clock.advance(0);
		expect(resumed.snapshot().context.reminded).toBe(1);
		expect(resumed.snapshot().value).toBe('waiting');
		clock.advance(500); // timeout due at 100 + 1000
		expect(resumed.snapshot().value).toBe('timedOut');
	});
});

describe('send and cancel nested in compositions (the effects executor)', () => {
	it('a delayed send inside a sequence goes through the queue as an input, and replays', async () => {
		const clock = new ManualClock();
		const rec = recorder();
		const executor = createExecutor({ clock });
		const runEffect: RunEffect = (effect, scope) => executor.run(effect, scope);
		const doc = () =>
			wf({
				a: {
					invoke: {
						type: 'sequence',
						effects: [
							{ type: 'send', id: 'nudge', event: { type: 'NUDGE', from: '{{ context.who }}' }, delay: 50 },
							{ type: 'send', id: 'never', event: 'NEVER', delay: 60 },
							{ type: 'cancel', sendid: 'never' }
						]
					},
					onDone: 'b'
				},
				b: { on: { NUDGE: { target: 'c', effects: [{ type: 'assign', set: { from: 'event.from' } }] }, NEVER: 'wrong' } },
				c: {},
				wrong: {}
			}, { context: { who: 'seq' } });
		const live = createInterpreter(doc(), { clock, runEffect, onEvent: rec.onEvent });
		live.start();
		for (let i = 0; i < 5; i++) await flush();
		expect(live.snapshot().value).toBe('b');
		clock.advance(100);
		expect(live.snapshot().value).toBe('c');
		expect(live.snapshot().context.from).toBe('seq');
		const inputs = rec.of('input') as RecordedInput[];
		expect(inputs.map((i) => i.event.type)).toEqual(['fsm.send', 'fsm.send', 'fsm.cancel', 'done.invoke.a', 'NUDGE']);
		expect(replayInputs(doc(), inputs, undefined, { startTime: 0 })).toEqual(live.persist());
	});

	it('the effects registry knows send and cancel, with schemas for the designer', async () => {
		const { effectKinds } = await import('../../src/lib/effects');
		expect(effectKinds.send.schema.safeParse({ type: 'send', event: 'X', delay: 10, id: 'a' }).success).toBe(true);
		expect(effectKinds.send.schema.safeParse({ type: 'send', event: 'X', delay: -1 }).success).toBe(false);
		expect(effectKinds.cancel.schema.safeParse({ type: 'cancel' }).success).toBe(false);
	});
});
