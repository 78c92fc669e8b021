import { describe, expect, it } from 'vitest';
import { createInterpreter, type EffectScope, type RunEffect } from '../../src/lib/engine';
import type { EffectSpec } from '../../src/lib/model/types';
import { ManualClock, flush, recorder, wf } from './helpers';

/** An effect runner whose calls the test settles by hand. */
function controlled() {
	const calls: { effect: EffectSpec; scope: EffectScope; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
	const runEffect: RunEffect = (effect, scope) =>
		new Promise((resolve, reject) => {
			calls.push({ effect, scope, resolve, reject });
		});
	return { calls, runEffect };
}

const asking = () =>
	wf(
		{
			idle: { on: { ASK: 'answering' } },
			answering: {
				invoke: { type: 'call_llm', prompt: 'Reply to {{ event.text }}' },
				onDone: { target: 'idle', effects: [{ type: 'assign', set: { answer: 'event.output.text' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { why: 'event.error' } }] },
				on: { CANCEL: 'idle' }
			},
			failed: {}
		},
		{ context: {} }
	);

describe('invoke', () => {
	it('hands the effect to runEffect and takes onDone with the output on the event', async () => {
		const { calls, runEffect } = controlled();
		const rec = recorder();
		const it = createInterpreter(asking(), { runEffect, onEvent: rec.onEvent });
		it.start();
		it.send({ type: 'ASK', text: 'hi' });
		expect(calls.length).toBe(1);
		expect(calls[0].effect.type).toBe('call_llm');
		expect(calls[0].scope.state).toBe('answering');
		expect(calls[0].scope.event).toEqual({ type: 'ASK', text: 'hi' });
		calls[0].resolve({ text: 'hello' });
		await flush();
		expect(it.snapshot()).toMatchObject({ value: 'idle', context: { answer: 'hello' } });
		expect(rec.of('input').map((i) => i.event)).toEqual([
			{ type: 'ASK', text: 'hi' },
			{ type: 'done.invoke.answering', output: { text: 'hello' } }
		]);
		expect(it.persist().results).toEqual({ answering: { text: 'hello' } });
	});

	it('takes onError with the message on event.error', async () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(asking(), { runEffect });
		it.start();
		it.send('ASK');
		calls[0].reject(new Error('rate limited'));
		await flush();
		expect(it.snapshot()).toMatchObject({ value: 'failed', context: { why: 'rate limited' } });
	});

	it('aborts the signal when the state is left and ignores a late result', async () => {
		const { calls, runEffect } = controlled();
		const rec = recorder();
		const it = createInterpreter(asking(), { runEffect, onEvent: rec.onEvent });
		it.start();
		it.send('ASK');
		const signal = calls[0].scope.signal;
		expect(signal.aborted).toBe(false);
		it.send('CANCEL');
		expect(signal.aborted).toBe(true);
		calls[0].resolve({ text: 'late' });
		calls[0].scope.send({ type: 'ASK' });
		await flush();
		expect(it.snapshot().value).toBe('idle');
		expect(rec.of('input').map((i) => i.event.type)).toEqual(['ASK', 'CANCEL']);
	});

	it('a result from a previous visit does not complete a new visit', async () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(asking(), { runEffect });
		it.start();
		it.send('ASK');
		it.send('CANCEL');
		it.send('ASK');
		calls[0].resolve({ text: 'old' });
		await flush();
		expect(it.snapshot().value).toBe('answering');
		calls[1].resolve({ text: 'new' });
		await flush();
		expect(it.snapshot().context.answer).toBe('new');
	});

	it('does not start the invoke of a state passed through within one macrostep', async () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: { invoke: { type: 'work' }, always: 'c' }, c: {} }), { runEffect });
		it.start();
		it.send('GO');
		expect(it.snapshot().value).toBe('c');
		expect(calls.length).toBe(0);
	});

	it('scope.assign, scope.send and scope.emit work from an async effect', async () => {
		const { calls, runEffect } = controlled();
		const rec = recorder();
		const it = createInterpreter(
			wf(
				{
					working: {
						invoke: { type: 'stream' },
						on: { CHUNK: { effects: [{ type: 'assign', set: { chunks: 'context.chunks + 1' } }] } },
						always: { target: 'big', guard: 'context.progress >= 100' }
					},
					big: {}
				},
				{ context: { chunks: 0, progress: 0 } }
			),
			{ runEffect, onEvent: rec.onEvent }
		);
		it.start();
		const { scope } = calls[0];
		scope.send({ type: 'CHUNK' });
		scope.assign({ progress: 50 });
		scope.emit({ type: 'PROGRESS', value: 50 });
		expect(it.snapshot().context).toEqual({ chunks: 1, progress: 50 });
		expect(scope.context).toEqual({ chunks: 1, progress: 50 });
		expect(rec.of('emit').map((e) => e.event)).toEqual([{ type: 'PROGRESS', value: 50 }]);
		scope.assign({ progress: 100 });
		expect(it.snapshot().value).toBe('big');
		expect(scope.signal.aborted).toBe(true);
		expect(rec.of('input').map((i) => i.event)).toEqual([{ type: 'CHUNK' }, { type: 'fsm.assign', patch: { progress: 50 } }, { type: 'fsm.assign', patch: { progress: 100 } }]);
	});

	it('runs the built-in delay when no runEffect is given', async () => {
		const clock = new ManualClock();
		const it = createInterpreter(wf({ wait: { invoke: { type: 'delay', ms: 300 }, onDone: 'done' }, done: {} }), { clock });
		it.start();
		clock.advance(299);
		await flush();
		expect(it.snapshot().value).toBe('wait');
		clock.advance(1);
		await flush();
		expect(it.snapshot().value).toBe('done');
	});

	it('an effect type with no handler goes to onError, or to status error naming it', async () => {
		const a = createInterpreter(wf({ s: { invoke: { type: 'http', url: 'x' }, onError: { target: 'bad', effects: [{ type: 'assign', set: { e: 'event.error' } }] } }, bad: {} }, { context: {} }));
		a.start();
		await flush();
		expect(a.snapshot()).toMatchObject({ value: 'bad', context: { e: 'no handler for effect type http' } });

		const b = createInterpreter(wf({ s: { entry: [{ type: 'http', id: 'ping' }] } }));
		b.start();
		await flush();
		expect(b.snapshot().status).toBe('error');
		expect(b.snapshot().error).toMatchObject({ state: 's', effect: 'ping' });
		expect(b.snapshot().error?.message).toMatch(/no handler for effect type http/);
	});

	it('a fire-and-forget entry effect failure takes the state onError', async () => {
		const runEffect: RunEffect = (e) => (e.type === 'boom' ? Promise.reject(new Error('kaput')) : Promise.resolve(1));
		const it = createInterpreter(wf({ s: { entry: [{ type: 'ok' }, { type: 'boom' }], onError: 'recovering' }, recovering: {} }), { runEffect });
		it.start();
		await flush();
		expect(it.snapshot().value).toBe('recovering');
	});

	it('a runEffect that throws synchronously is an error event, not an exception', async () => {
		const runEffect: RunEffect = () => {
			throw new Error('sync throw');
		};
		const it = createInterpreter(wf({ s: { invoke: { type: 'x' }, onError: 'e' }, e: {} }), { runEffect });
		expect(() => it.start()).not.toThrow();
		await flush();
		expect(it.snapshot().value).toBe('e');
	});

	it('stop aborts running effects', () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(asking(), { runEffect });
		it.start();
		it.send('ASK');
		it.stop();
		expect(calls[0].scope.signal.aborted).toBe(true);
		expect(it.snapshot().status).toBe('stopped');
	});

	it('starts one invoke for a state left and re-entered within one macrostep', () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(
			wf({ a: { invoke: { type: 'work' }, on: { AGAIN: { target: 'a', reenter: true, effects: [{ type: 'raise', event: 'AGAIN2' }] }, AGAIN2: { target: 'a', reenter: true } } } }),
			{ runEffect }
		);
		it.start();
		expect(calls.length).toBe(1);
		it.send('AGAIN');
		expect(calls.length).toBe(2);
		expect(calls[0].scope.signal.aborted).toBe(true);
		expect(calls[1].scope.signal.aborted).toBe(false);
	});

	it('gives the invoke the event that entered its state, even if internal events followed', () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(
			wf({
				idle: { on: { ASK: 'working' } },
				working: {
					type: 'parallel',
					states: {
						call: { initial: 'running', states: { running: { invoke: { type: 'call_llm' } } } },
						side: { initial: 's', states: { s: { entry: [{ type: 'raise', event: 'NOISE' }], on: { NOISE: 't' } }, t: {} } }
					}
				}
			}),
			{ runEffect }
		);
		it.start();
		it.send({ type: 'ASK', text: 'hi' });
		expect(it.snapshot().value).toEqual({ working: { call: 'running', side: 't' } });
		expect(calls.map((c) => c.scope.event)).toEqual([{ type: 'ASK', text: 'hi' }]);
	});

	it('an effect that sends synchronously on every visit does not freeze the thread', () => {
		const clock = new ManualClock();
		const runEffect: RunEffect = (_e, scope) => {
			scope.send({ type: 'AGAIN' });
			return new Promise(() => {});
		};
		const it = createInterpreter(wf({ a: { invoke: { type: 'echo' }, on: { AGAIN: { target: 'a', reenter: true } } } }), { clock, runEffect });
		it.start(); // returns: the endless burst is cut into slices
		const seq = it.persist().seq;
		expect(seq).toBeGreaterThan(1000);
		expect(clock.pending).toBeGreaterThan(0);
		it.send('AGAIN'); // queued behind the burst, not processed ahead of it
		expect(it.persist().seq).toBe(seq);
		it.stop();
		expect(clock.pending).toBe(0);
	});

	it('async exit and transition effects outlive the state; entry effects are aborted with it', () => {
		const { calls, runEffect } = controlled();
		const it = createInterpreter(
			wf({
				a: { entry: [{ type: 'track', id: 'in' }], exit: [{ type: 'notify', id: 'out' }], on: { GO: { target: 'b', effects: [{ type: 'audit', id: 'via' }] } } },
				b: {}
			}),
			{ runEffect }
		);
		it.start();
		it.send('GO');
		const byId = Object.fromEntries(calls.map((c) => [c.effect.id, c.scope]));
		expect(byId.in.signal.aborted).toBe(true);
		expect(byId.out.signal.aborted).toBe(false);
		expect(byId.via.signal.aborted).toBe(false);
		expect([byId.in.state, byId.out.state, byId.via.state]).toEqual(['a', 'a', 'a']);
		it.stop();
		expect(byId.out.signal.aborted).toBe(true);
	});
});

