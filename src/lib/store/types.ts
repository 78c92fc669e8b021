import type { EventObject, InstanceEvent, InstanceStatus, PersistedSnapshot } from '../engine/types';
import type { StateValue, Workflow } from '../model/types';
import type { RunMode } from '../effects/simulated';

export type EventKind = InstanceEvent['kind'];

/** One thing that happened to one instance, as the store returns it. */
export interface StoredEvent {
	instanceId: string;
	/** Per-instance log position, 1-based, gapless. */
	seq: number;
	time: number;
	kind: EventKind;
	/** A short label: the event type for inputs/emits, the state for entered/exited, … */
	type: string;
	/** The rest of the engine's event (for inputs: the event object itself). */
	payload: unknown;
	/** Only on `input` rows: the engine's input sequence number (sparse index used by replay). */
	inputSeq?: number;
}

/** An event inside a segment: its seq is the segment's `seq` plus its position. */
export interface SegmentEvent {
	time: number;
	kind: EventKind;
	type: string;
	payload: unknown;
	inputSeq?: number;
}

/**
 * One row of the `events` table: consecutive events of one instance (seq … last), written
 * in one transaction. Rows per event cost IndexedDB ~70 µs each here; segments make
 * appends 20× faster (see docs/decisions.md).
 */
export interface EventSegment {
	instanceId: string;
	/** Seq of the first event. */
	seq: number;
	/** Seq of the last event. */
	last: number;
	events: SegmentEvent[];
}

/** One row of the `inputs` table: consecutive inputs of one instance (input seq … last), what replay reads. */
export interface InputSegment {
	instanceId: string;
	seq: number;
	last: number;
	times: number[];
	events: EventObject[];
}

/** An input as replay needs it. */
export interface RecordedInput {
	seq: number;
	time: number;
	event: EventObject;
}

/** One row of the `instances` table: the registry entry and a summary of its latest state. */
export interface InstanceRecord {
	id: string;
	/** How its outside effects run (absent on records written before run modes: live). */
	mode?: RunMode;
	/** Which host runs it: absent for the runtime; the simulator resumes its own instances. */
	host?: 'simulator';
	/** A simulated instance's debugger state, so a reload resumes it as it was. */
	session?: SimSessionState;
	workflowId: string;
	workflowName: string;
	/** The exact workflow the instance runs (a copy: later edits do not change it). */
	workflow: Workflow;
	createdAt: number;
	updatedAt: number;
	status: InstanceStatus;
	/** Highest log seq written for this instance (0 = none). */
	lastSeq: number;
	/** Number of inputs applied (the engine's input seq). */
	inputs: number;
	/** Snapshot summary. */
	value: StateValue | null;
	context: Record<string, unknown>;
	error?: { message: string; state?: string; transition?: string; effect?: string };
	/** Whether the runtime should run it again after a reload (false once stopped by the user). */
	running: boolean;
	/** When it was first started (the time its initial state was entered), for replay from seq 0. */
	startedAt?: number;
}

/** What the simulator keeps of a debug session besides its log. */
export interface SimSessionState {
	paused: boolean;
	breakpoints: { states: string[]; transitions: string[] };
	/** Virtual time. */
	now: number;
	/** Scripted answers of outside effects (see sim/stubs.ts). */
	stubs?: Record<string, unknown[]>;
	forkOf?: { id: string; position: number };
	/** The virtual clock follows the wall clock while running. */
	realtime?: boolean;
	/** Wall-clock time of the save, so a real-time session catches up after a reload. */
	savedAt?: number;
}

/** One row of the `snapshots` table. */
export interface SnapshotRecord {
	instanceId: string;
	/** Log seq of the last event covered by the snapshot. */
	seq: number;
	time: number;
	snapshot: PersistedSnapshot;
}

export interface LlmCacheRecord {
	key: string;
	createdAt: number;
	value: unknown;
	[extra: string]: unknown;
}

export interface AuditRecord {
	id?: number;
	time: number;
	instanceId?: string;
	action: string;
	[extra: string]: unknown;
}

export interface VectorRecord {
	id: string;
	collection: string;
	vector: Float32Array | number[];
	[extra: string]: unknown;
}

export interface SettingRecord {
	key: string;
	value: unknown;
}

/** A write that failed, in words a user understands. */
export interface StoreError {
	/** `quota` when the browser refused more storage, `write` for anything else. */
	code: 'quota' | 'write' | 'open';
	/** The DOMException / Dexie error name, e.g. `QuotaExceededError`. */
	name: string;
	/** A sentence for the user. */
	message: string;
	/** The technical message. */
	detail: string;
	/** Instances whose events were not saved. */
	instanceIds: string[];
	/** How many events wait in memory, unsaved. */
	pending: number;
	time: number;
}

export interface LogQuery {
	/** First seq (inclusive) for ascending order, last seq (inclusive) for descending. */
	from?: number;
	limit?: number;
	kinds?: EventKind[];
	order?: 'asc' | 'desc';
}
