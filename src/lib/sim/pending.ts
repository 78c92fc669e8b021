import type { EventObject } from '../engine/types';

/** Something waiting to enter the instance while the session is paused. */
export interface PendingItem {
	id: number;
	kind: 'event' | 'timer' | 'effect';
	/** What the user sees in the queue: the event type, `timer due at 5000 ms`, `http done` … */
	label: string;
	event?: EventObject;
	/** Virtual time at which it became due. */
	time: number;
}

interface Entry extends PendingItem {
	deliver: () => void;
	/** The virtual clock's handle, for a due timer (dropped when the timer is cleared). */
	timer?: number;
}

/**
 * The queue of a paused debug session: user events, due timers and finished effects, in the
 * order they arrived, each delivered when stepped or when the session runs again.
 */
export class PendingQueue {
	private items: Entry[] = [];
	private nextId = 1;

	get length(): number {
		return this.items.length;
	}

	push(item: Omit<PendingItem, 'id'>, deliver: () => void, timer?: number): void {
		this.items.push({ ...item, id: this.nextId++, deliver, timer });
	}

	/** The oldest item's delivery, removed from the queue. */
	shift(): { kind: PendingItem['kind']; deliver: () => void } | undefined {
		return this.items.shift();
	}

	/** Drops an item without delivering it. */
	drop(id: number): void {
		this.items = this.items.filter((p) => p.id !== id);
	}

	/** Drops a held timer firing whose timer was cleared; returns whether there was one. */
	dropTimer(handle: number): boolean {
		const before = this.items.length;
		this.items = this.items.filter((p) => p.timer !== handle);
		return this.items.length !== before;
	}

	clear(): void {
		this.items = [];
	}

	/** What the run panel shows. */
	view(): PendingItem[] {
		return this.items.map(({ id, kind, label, event, time }) => ({ id, kind, label, event, time }));
	}
}
