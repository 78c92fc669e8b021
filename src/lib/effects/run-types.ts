/**
 * Types shared by the engine and the effects: events, time, what an instance reports, and
 * what an effect sees of the instance that runs it (its scope). They live here, below the
 * engine, because effects must not import the engine; `engine/types.ts` re-exports them.
 */
import type { EffectSpec, StatePath, StateValue, TransitionId } from '../model/types';

/** An event sent to an instance. */
export interface EventObject {
	type: string;
	[key: string]: unknown;
}

/** Time, injected so tests can use fake timers and the simulator a virtual clock. */
export interface Clock {
	now(): number;
	setTimeout(fn: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
}

export type InstanceStatus = 'active' | 'done' | 'error' | 'stopped';

export interface Snapshot {
	value: StateValue;
	context: Record<string, unknown>;
	status: InstanceStatus;
	/** Set when status is 'error': what failed and where. */
	error?: { message: string; state?: StatePath; transition?: TransitionId; effect?: string };
	/** Output of the top-level final state, when status is 'done'. */
	output?: unknown;
}

/**
 * What the engine reports. `input` entries are the only nondeterminism: replaying the
 * inputs in order on a fresh interpreter (with `replay: true`) rebuilds the exact state.
 */
export type InstanceEvent =
	| { kind: 'input'; seq: number; time: number; event: EventObject }
	| { kind: 'transition'; time: number; event: string; transition: TransitionId; source: StatePath; targets: StatePath[] }
	| { kind: 'entered'; time: number; state: StatePath }
	| { kind: 'exited'; time: number; state: StatePath }
	| { kind: 'effect'; time: number; phase: 'start' | 'progress' | 'retry' | 'end' | 'error' | 'cancel'; effect: string; effectType: string; spanId: string; parentSpanId?: string; traceId: string; state?: StatePath; durationMs?: number; data?: unknown; error?: string; cached?: boolean }
	| { kind: 'emit'; time: number; event: EventObject }
	| { kind: 'log'; time: number; message: string; data?: unknown }
	| { kind: 'status'; time: number; status: InstanceStatus; error?: Snapshot['error'] };

/** Handle to a running async effect, so leaving a state can abort it. */
export interface EffectScope {
	/** Current context (read-only view). */
	context: Readonly<Record<string, unknown>>;
	/** The event that caused this effect to start. */
	event: EventObject;
	/** Aborted when the state that started the effect is left or the instance stops. */
	signal: AbortSignal;
	/** The state that started it (undefined for instance-level effects). */
	state?: StatePath;
	/** Telemetry ids. */
	traceId: string;
	/** Send an event back into the instance (it is recorded as an input). */
	send(event: EventObject): void;
	/** Emit an event to the outside world (listeners, parent page). */
	emit(event: EventObject): void;
	/** Apply a context patch: goes through the instance's queue as an input event (`fsm.assign`). */
	assign(patch: Record<string, unknown>): void;
	/**
	 * Send an event to the instance after `delayMs` (the `send` effect's delay): it stays
	 * pending when the state is left, until it fires or `cancelSend(id)` drops it. Goes
	 * through the queue as an input (`fsm.send`), so a replay schedules it too.
	 */
	sendLater?(event: EventObject, delayMs: number, id?: string): void;
	/** Drop the pending sends with this id (`cancel` effect); an input (`fsm.cancel`). */
	cancelSend?(id: string): void;
	/** Report telemetry. */
	report(e: InstanceEvent): void;
}

/**
 * The seam where the effects executor plugs in: the engine runs the synchronous built-ins
 * itself (assign, log, raise, send, cancel, emit) and hands every other effect to this function.
 * The promise's value becomes the `output` of `done.invoke.<state>`.
 */
export type RunEffect = (effect: EffectSpec, scope: EffectScope) => Promise<unknown>;
