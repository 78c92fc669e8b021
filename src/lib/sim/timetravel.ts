import type { EventObject, InstanceEvent, PersistedSnapshot } from '../engine/types';
import type { Workflow } from '../model/types';
import { VirtualClock } from './clock';
import { createInterpreter as defaultCreate, type CreateInterpreter } from './engine';

/** The state of an instance at one log position. */
export interface Moment {
	/** 1-based log position asked for. */
	position: number;
	/** Number of inputs applied up to and including that position. */
	inputs: number;
	snapshot: PersistedSnapshot;
}

interface Input {
	position: number;
	time: number;
	event: EventObject;
}

interface Checkpoint {
	/** Inputs applied. */
	inputs: number;
	snapshot: PersistedSnapshot;
}

/**
 * Rebuilds the state at any position of an instance's log by replaying its inputs (event
 * sourcing) from the nearest checkpoint: checkpoints come from the live run or the event
 * store's snapshots (`addCheckpoint`) and are also left behind by every replay, every
 * `every` inputs, so a jump into a long log costs at most `every` inputs.
 * Positions are 1-based log sequence numbers, as in the event store.
 */
export class TimeTravel {
	private inputs: Input[] = [];
	private checkpoints: Checkpoint[] = [];
	private length = 0;
	private readonly create: CreateInterpreter;
	readonly every: number;

	constructor(
		private workflow: Workflow,
		options: { createInterpreter?: CreateInterpreter; every?: number } = {}
	) {
		this.create = options.createInterpreter ?? defaultCreate;
		this.every = options.every ?? 500;
	}

	/** Log length seen so far. */
	get size(): number {
		return this.length;
	}

	get inputCount(): number {
		return this.inputs.length;
	}

	/** Feed the next log entry (position = previous + 1 unless given). */
	append(e: InstanceEvent, position = this.length + 1): void {
		this.length = Math.max(this.length, position);
		if (e.kind === 'input') this.inputs.push({ position, time: e.time, event: e.event });
	}

	appendAll(events: Iterable<InstanceEvent>): this {
		for (const e of events) this.append(e);
		return this;
	}

	/** A snapshot known to hold after `inputs` inputs (from the live run or the store). */
	addCheckpoint(inputs: number, snapshot: PersistedSnapshot): void {
		const i = this.findCheckpoint(inputs);
		if (i >= 0 && this.checkpoints[i].inputs === inputs) return;
		this.checkpoints.splice(i + 1, 0, { inputs, snapshot });
	}

	/** Input count at a log position (inputs whose position ≤ it). */
	inputsAt(position: number): number {
		let lo = 0;
		let hi = this.inputs.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.inputs[mid].position <= position) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** Log position of the n-th input (1-based), or 0 for n = 0. */
	positionOfInput(n: number): number {
		return n <= 0 ? 0 : (this.inputs[n - 1]?.position ?? this.length);
	}

	/** Log position where the macrostep of the n-th input ends (just before input n+1). */
	endOfInput(n: number): number {
		return n < this.inputs.length ? this.inputs[n].position - 1 : this.length;
	}

	/** The inputs up to a count (for forking and export). */
	inputsUpTo(count: number): { time: number; event: EventObject }[] {
		return this.inputs.slice(0, count).map(({ time, event }) => ({ time, event }));
	}

	private findCheckpoint(inputs: number): number {
		let lo = 0;
		let hi = this.checkpoints.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.checkpoints[mid].inputs <= inputs) lo = mid + 1;
			else hi = mid;
		}
		return lo - 1;
	}

	/** Persisted state after `count` inputs. */
	snapshotAfter(count: number): PersistedSnapshot {
		const n = Math.max(0, Math.min(count, this.inputs.length));
		const ci = this.findCheckpoint(n);
		const from = ci >= 0 ? this.checkpoints[ci] : undefined;
		const clock = new VirtualClock(from ? (this.inputs[from.inputs - 1]?.time ?? 0) : (this.inputs[0]?.time ?? 0));
		const it = this.create(this.workflow, { replay: true, clock, snapshot: from?.snapshot });
		it.start();
		if (!from) this.addCheckpoint(0, it.persist());
		for (let i = from?.inputs ?? 0; i < n; i++) {
			const input = this.inputs[i];
			clock.set(input.time);
			it.send(input.event);
			if ((i + 1) % this.every === 0) this.addCheckpoint(i + 1, it.persist());
		}
		const snap = it.persist();
		it.stop();
		return snap;
	}

	/** State and context right after the log entry at `position`. */
	at(position: number): Moment {
		const inputs = this.inputsAt(position);
		return { position, inputs, snapshot: this.snapshotAfter(inputs) };
	}
}
