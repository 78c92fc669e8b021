import type { Clock } from '../engine/types';

interface Timer {
	id: number;
	due: number;
	fn: () => void;
}

/**
 * A clock whose time only moves when told to. Implements the engine's `Clock`, so `after`
 * delays of a simulated instance fire when the user fast-forwards, not when the wall clock
 * says so. `onDue` lets a debug session hold a due timer (while paused) instead of firing it.
 */
export class VirtualClock implements Clock {
	private time: number;
	private timers: Timer[] = [];
	private nextId = 1;
	/** When set, due timers are handed to it instead of being called directly. */
	onDue?: (fire: () => void, due: number, handle: number) => void;
	/** Told when a timer is cleared, so a held (due but undelivered) firing can be dropped. */
	onClear?: (handle: number) => void;

	constructor(start = 0) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	setTimeout(fn: () => void, ms: number): unknown {
		const t: Timer = { id: this.nextId++, due: this.time + Math.max(0, ms), fn };
		this.timers.push(t);
		return t.id;
	}

	clearTimeout(handle: unknown): void {
		this.timers = this.timers.filter((t) => t.id !== handle);
		if (typeof handle === 'number') this.onClear?.(handle);
	}

	/** Due times of the timers still pending, earliest first. */
	pending(): number[] {
		return this.timers.map((t) => t.due).sort((a, b) => a - b);
	}

	/** Time of the next pending timer, or undefined. */
	nextDue(): number | undefined {
		let min: number | undefined;
		for (const t of this.timers) if (min === undefined || t.due < min) min = t.due;
		return min;
	}

	/** Set the time without firing anything (used when resuming a recorded instance). */
	set(time: number): void {
		this.time = time;
	}

	/**
	 * Move time forward by `ms`, firing every timer that falls due, in due order (ties in
	 * creation order). Timers created by a firing timer that fall inside the window fire too.
	 */
	advance(ms: number): number {
		const end = this.time + Math.max(0, ms);
		let fired = 0;
		for (;;) {
			let next: Timer | undefined;
			for (const t of this.timers) {
				if (t.due <= end && (!next || t.due < next.due || (t.due === next.due && t.id < next.id))) next = t;
			}
			if (!next) break;
			this.timers = this.timers.filter((t) => t !== next);
			this.time = Math.max(this.time, next.due);
			fired++;
			if (this.onDue) this.onDue(next.fn, next.due, next.id);
			else next.fn();
		}
		this.time = end;
		return fired;
	}

	/** Jump to the next pending timer and fire it (and any due at the same instant). */
	advanceToNext(): number {
		const due = this.nextDue();
		if (due === undefined) return 0;
		return this.advance(due - this.time);
	}
}
