import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { makeScope, manualClock, outcome, registerWork } from './helpers';

function setup() {
	const clock = manualClock();
	const ex = createExecutor({ clock });
	const log: string[] = [];
	registerWork(ex, log);
	return { clock, ex, log, ...makeScope() };
}

describe('cancellation', () => {
	it('a handler observes the abort when its state is left mid-flight, and the effect is recorded as cancelled', async () => {
		const { ex, scope, clock, log, controller, trace } = setup();
		const p = outcome(ex.run({ type: 'work', name: 'job', ms: 1000 }, scope));
		await clock.advance(300);
		controller.abort(); // the engine does this when the state is left
		const r = await p;
		expect(!r.ok && r.error.code).toBe('cancelled');
		expect(log).toEqual(['run job', 'abort job']);
		expect(trace()).toEqual(['start work', 'cancel work']);
		expect(clock.pending()).toBe(0);
	});

	it('cancels every running branch of a nested tree and clears every timer', async () => {
		const { ex, scope, clock, log, controller, effects } = setup();
		const p = outcome(
			ex.run(
				{
					type: 'sequence',
					effects: [
						{
							type: 'parallel',
							effects: [
								{ type: 'retry', times: 3, effect: { type: 'work', name: 'a', ms: 500 } },
								{ type: 'timeout', ms: 5000, effect: { type: 'work', name: 'b', ms: 800 } },
								{ type: 'delay', ms: 900 }
							]
						},
						{ type: 'work', name: 'never' }
					]
				},
				scope
			)
		);
		await clock.advance(100);
		controller.abort();
		const r = await p;
		expect(!r.ok && r.error.code).toBe('cancelled');
		expect(log.sort()).toEqual(['abort a', 'abort b', 'run a', 'run b']);
		expect(clock.pending()).toBe(0);
		const cancelled = effects().filter((e) => e.phase === 'cancel').map((e) => e.effect);
		expect(cancelled.sort()).toEqual(
			[
				'sequence',
				'sequence/0:parallel',
				'sequence/0:parallel/0:retry',
				'sequence/0:parallel/0:retry/effect:work',
				'sequence/0:parallel/1:timeout',
				'sequence/0:parallel/1:timeout/effect:work',
				'sequence/0:parallel/2:delay'
			].sort()
		);
	});

	it('a retry waiting between attempts is cancelled and does not try again', async () => {
		const { ex, scope, clock, log, controller } = setup();
		const p = outcome(ex.run({ type: 'retry', times: 3, backoff: { initialMs: 1000, jitter: 'none' }, effect: { type: 'work', name: 'x', fail: true } }, scope));
		await clock.advance(10);
		controller.abort();
		await p;
		await clock.advance(10_000);
		expect(log).toEqual(['run x', 'fail x']);
	});

	it('an effect whose handler ignores the signal still ends as cancelled', async () => {
		const { ex, scope, controller, trace } = setup();
		ex.register('stubborn', () => new Promise(() => {}));
		const p = outcome(ex.run({ type: 'stubborn' }, scope));
		controller.abort();
		expect((await p).ok).toBe(false);
		expect(trace()).toEqual(['start stubborn', 'cancel stubborn']);
	});

	it('nothing starts once the signal is aborted', async () => {
		const { ex, scope, controller, log, trace } = setup();
		controller.abort();
		expect((await outcome(ex.run({ type: 'work', name: 'x' }, scope))).ok).toBe(false);
		expect(log).toEqual([]);
		expect(trace()).toEqual([]);
	});
});
