import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInterpreter, systemClock } from '../../src/lib/engine';
import { ManualClock, recorder, wf } from './helpers';

const door = () =>
	wf({
		closed: { on: { OPEN: 'open' } },
		open: { after: { '1000': 'closing', '5000': 'alarm' }, on: { CLOSE: 'closed' } },
		closing: { after: { '200': 'closed' } },
		alarm: {}
	});

describe('delayed (after) transitions', () => {
	afterEach(() => vi.useRealTimers());

	it('fire through the injected clock as recorded inputs', () => {
		const clock = new ManualClock();
		const rec = recorder();
		const it = createInterpreter(door(), { clock, onEvent: rec.onEvent });
		it.start();
		it.send('OPEN');
		clock.advance(999);
		expect(it.snapshot().value).toBe('open');
		clock.advance(1);
		expect(it.snapshot().value).toBe('closing');
		clock.advance(200);
		expect(it.snapshot().value).toBe('closed');
		expect(rec.of('input').map((i) => [i.event.type, i.time])).toEqual([
			['OPEN', 0],
			['after.1000.open', 1000],
			['after.200.closing', 1200]
		]);
	});

	it('are cancelled when the state is left', () => {
		const clock = new ManualClock();
		const it = createInterpreter(door(), { clock });
		it.start();
		it.send('OPEN');
		expect(clock.pending).toBe(2);
		it.send('CLOSE');
		expect(clock.pending).toBe(0);
		clock.advance(10_000);
		expect(it.snapshot().value).toBe('closed');
	});

	it('work with vitest fake timers and the system clock', () => {
		vi.useFakeTimers();
		const it = createInterpreter(door(), { clock: systemClock });
		it.start();
		it.send('OPEN');
		vi.advanceTimersByTime(1000);
		expect(it.snapshot().value).toBe('closing');
		it.stop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('are persisted with their start time and re-armed on resume', () => {
		const clock = new ManualClock();
		const it = createInterpreter(door(), { clock });
		it.start();
		clock.advance(100);
		it.send('OPEN');
		clock.advance(600);
		const saved = it.persist();
		it.stop();
		expect(saved.timers).toEqual([
			{ state: 'open', delay: 1000, startedAt: 100, event: 'after.1000.open' },
			{ state: 'open', delay: 5000, startedAt: 100, event: 'after.5000.open' }
		]);
		const resumed = createInterpreter(door(), { clock, snapshot: structuredClone(saved) });
		resumed.start();
		expect(resumed.snapshot().value).toBe('open');
		clock.advance(399);
		expect(resumed.snapshot().value).toBe('open');
		clock.advance(1);
		expect(resumed.snapshot().value).toBe('closing');
	});

	it('a timer event sent by hand fires the transition and clears the pending timer', () => {
		const clock = new ManualClock();
		const it = createInterpreter(door(), { clock });
		it.start();
		it.send('OPEN');
		it.send('after.5000.open');
		expect(it.snapshot().value).toBe('alarm');
		expect(it.persist().timers).toEqual([]);
		expect(clock.pending).toBe(0);
	});
});
