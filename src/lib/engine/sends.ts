/**
 * Delayed `send` effects: events an instance sends to itself after a delay, on its clock.
 * Unlike a state's `after` timers they belong to the instance, not to a state: leaving the
 * state that sent one does not cancel it; `cancel` (by send id), the end of the workflow and
 * `stop()` do. They are kept in a persisted snapshot and re-armed on resume.
 */
import type { Clock, EventObject, PersistedSnapshot } from './types';

/** A pending delayed send. It is also the origin of the input it delivers. */
export interface SendRecord {
	send: true;
	id: string | undefined;
	event: EventObject;
	delay: number;
	startedAt: number;
	handle: unknown;
	cancelled: boolean;
}

export type PersistedSend = NonNullable<PersistedSnapshot['sends']>[number];

export class PendingSends {
	/** In the order they were made (sends due at the same time fire in this order). */
	private readonly list: SendRecord[] = [];

	/**
	 * @param deliver puts a due send's event on the instance's queue, with the record as its origin.
	 * @param replay in a replay no timer is armed: the delivered events come from the recorded inputs.
	 */
	constructor(
		private readonly clock: Clock,
		private readonly replay: boolean,
		private readonly deliver: (rec: SendRecord) => void
	) {}

	get size(): number {
		return this.list.length;
	}

	/** Arms a send due at `startedAt + delay` (at once when that is already past). */
	add(event: EventObject, delay: number, id: string | undefined, startedAt: number): void {
		const rec: SendRecord = { send: true, id, event, delay, startedAt, handle: undefined, cancelled: false };
		this.list.push(rec);
		if (this.replay) return;
		const remaining = Math.max(0, startedAt + delay - this.clock.now());
		rec.handle = this.clock.setTimeout(() => {
			if (!rec.cancelled) this.deliver(rec);
		}, remaining);
	}

	/** `cancel`: every pending send with that id is dropped; an unknown id is no error (SCXML). */
	cancel(id: string): void {
		const list = this.list;
		for (let i = list.length - 1; i >= 0; i--) {
			const rec = list[i];
			if (rec.id !== id) continue;
			this.disarm(rec);
			list.splice(i, 1);
		}
	}

	/** A pending send delivered its event: it is no longer pending. */
	delivered(rec: SendRecord): void {
		rec.cancelled = true;
		const i = this.list.indexOf(rec);
		if (i >= 0) this.list.splice(i, 1);
	}

	/**
	 * Replay: a recorded input that a pending send delivered. The earliest pending send due by
	 * `time` with the same event is the one; identical events are interchangeable, so which one
	 * is dropped changes nothing else.
	 */
	consumeReplayed(event: EventObject, time: number): void {
		const list = this.list;
		let best = -1;
		let json: string | undefined;
		for (let i = 0; i < list.length; i++) {
			const r = list[i];
			const due = r.startedAt + r.delay;
			if (due > time || r.event.type !== event.type) continue;
			if (best >= 0 && due >= list[best].startedAt + list[best].delay) continue;
			json ??= JSON.stringify(event);
			if (JSON.stringify(r.event) === json) best = i;
		}
		if (best >= 0) this.delivered(list[best]);
	}

	/** The pending sends for a persisted snapshot. */
	persist(): PersistedSend[] {
		return this.list.map((r) =>
			r.id === undefined ? { event: r.event, delay: r.delay, startedAt: r.startedAt } : { id: r.id, event: r.event, delay: r.delay, startedAt: r.startedAt }
		);
	}

	/** Drops every pending send (the workflow ended or was stopped). */
	clear(): void {
		for (const rec of this.list) this.disarm(rec);
		this.list.length = 0;
	}

	private disarm(rec: SendRecord): void {
		rec.cancelled = true;
		if (rec.handle !== undefined) this.clock.clearTimeout(rec.handle);
	}
}
