import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/lib/sim/clock';

describe('VirtualClock', () => {
	it('fires timers only when advanced, in due order', () => {
		const c = new VirtualClock(100);
		const fired: string[] = [];
		c.setTimeout(() => fired.push('b'), 50);
		c.setTimeout(() => fired.push('a'), 10);
		c.setTimeout(() => fired.push('c'), 500);
		expect(c.now()).toBe(100);
		expect(fired).toEqual([]);
		expect(c.advance(60)).toBe(2);
		expect(fired).toEqual(['a', 'b']);
		expect(c.now()).toBe(160);
		expect(c.nextDue()).toBe(600);
		c.advanceToNext();
		expect(fired).toEqual(['a', 'b', 'c']);
		expect(c.now()).toBe(600);
	});

	it('fires timers created by a timer when they fall in the window, and sets now to their due time', () => {
		const c = new VirtualClock(0);
		const seen: number[] = [];
		c.setTimeout(() => {
			seen.push(c.now());
			c.setTimeout(() => seen.push(c.now()), 20);
		}, 10);
		c.advance(100);
		expect(seen).toEqual([10, 30]);
		expect(c.now()).toBe(100);
	});

	it('cleared timers never fire and are reported to onClear', () => {
		const c = new VirtualClock(0);
		const cleared: number[] = [];
		c.onClear = (h) => cleared.push(h);
		let fired = false;
		const h = c.setTimeout(() => (fired = true), 5);
		c.clearTimeout(h);
		c.advance(10);
		expect(fired).toBe(false);
		expect(cleared).toEqual([h]);
	});

	it('hands due timers to onDue instead of calling them', () => {
		const c = new VirtualClock(0);
		const held: (() => void)[] = [];
		c.onDue = (fire) => held.push(fire);
		let fired = 0;
		c.setTimeout(() => fired++, 5);
		c.advance(10);
		expect(fired).toBe(0);
		held[0]();
		expect(fired).toBe(1);
	});
});
