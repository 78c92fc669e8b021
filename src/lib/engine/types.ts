import type { StatePath } from '../model/types';
import type { Clock, EventObject, InstanceEvent, RunEffect, Snapshot } from '../effects/run-types';

// What the engine shares with the effects is defined in effects/ (which must not import the engine).
export type { Clock, EffectScope, EventObject, InstanceEvent, InstanceStatus, RunEffect, Snapshot } from '../effects/run-types';

/** Everything needed to resume an instance exactly (used by the event store's snapshots). */
export interface PersistedSnapshot extends Snapshot {
	/** Active atomic state paths. */
	configuration: StatePath[];
	/** History memory: history state path → remembered state paths. */
	history: Record<StatePath, StatePath[]>;
	/** Pending delayed transitions: which state started them and when they are due. */
	timers: { state: StatePath; delay: number; startedAt: number; event: string }[];
	/** Sequence number of the last input applied. */
	seq: number;
	/** Outputs of finished invokes, keyed by the invoke's id (or its state path): `results` in expressions. */
	results?: Record<string, unknown>;
	/** Pending delayed `send` effects: the event, its send id, and when it is due. */
	sends?: { id?: string; event: EventObject; delay: number; startedAt: number }[];
}

export interface InterpreterOptions {
	/** Runs non-built-in effects (delay, http, call_llm, retry …). */
	runEffect?: RunEffect;
	clock?: Clock;
	/** Called for every input, transition, entry/exit, effect telemetry, emit, log and status change. */
	onEvent?: (e: InstanceEvent) => void;
	/** Resume from a persisted snapshot instead of entering the initial state. */
	snapshot?: PersistedSnapshot;
	/** Replay mode: no effects or timers are started; inputs are fed by the caller. */
	replay?: boolean;
	/** Guard against `always` loops: max microsteps per macrostep (default 1000). */
	maxMicrosteps?: number;
}

export interface Interpreter {
	start(): void;
	send(event: EventObject | string): void;
	snapshot(): Snapshot;
	persist(): PersistedSnapshot;
	/** Events enabled now (have at least one transition from the active configuration). */
	enabledEvents(): string[];
	/** Wildcard descriptors (`*`, `error.*`) of the active states: they enable events beyond `enabledEvents()`. */
	enabledDescriptors(): string[];
	subscribe(listener: (s: Snapshot) => void): () => void;
	stop(): void;
}
