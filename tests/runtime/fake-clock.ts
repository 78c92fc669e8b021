import type { Clock } from '../../src/lib/engine/types';

/** A clock that moves only when told to (fake timers for `after`). */
export class FakeClock implements Clock {
	private timers: { id: number; due: number; fn: () => void }[] = [];
	private next = 1;
	constructor(public t = 1_700_000_000_000) {}
	now() {
		return this.t;
	}
	setTimeout(fn: () => void, ms: number) {
		const id = this.next++;
		this.timers.push({ id, due: this.t + Math.max(0, ms), fn });
		return id;
	}
	clearTimeout(h: unknown) {
		this.timers = this.timers.filter((x) => x.id !== h);
	}
	pending() {
		return this.timers.length;
	}
	/** Moves time forward, firing due timers in order. */
	advance(ms: number) {
		const end = this.t + ms;
		for (;;) {
			this.timers.sort((a, b) => a.due - b.due);
			const first = this.timers[0];
			if (!first || first.due > end) break;
			this.timers.shift();
			this.t = first.due;
			first.fn();
		}
		this.t = end;
	}
}
