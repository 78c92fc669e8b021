import type { EventObject, InstanceStatus, PersistedSnapshot, Snapshot } from '../engine/types';
import type { StateValue, Workflow } from '../model/types';
import type { LogQuery, StoreError, StoredEvent } from '../store/types';
import type { RunMode } from '../effects/simulated';

export type { LogQuery, StoreError, StoredEvent, RunMode };

/** What the UI sees of one instance. */
export interface InstanceSummary {
	id: string;
	workflowId: string;
	workflowName: string;
	createdAt: number;
	updatedAt: number;
	status: InstanceStatus;
	/** `live`: outside effects call the real services; `simulated`: they are answered from simulated defaults. */
	mode: RunMode;
	/** True while it runs (timers armed, accepts events); false once stopped. */
	running: boolean;
	value: StateValue | null;
	context: Record<string, unknown>;
	error?: Snapshot['error'];
	/** Inputs applied so far (events sent, timers fired, effect results). */
	inputs: number;
	/** Highest seq in its log (written or queued). */
	lastSeq: number;
	/** Events that have a transition from the current state. */
	enabledEvents: string[];
}

/** One batched message to subscribers (at most one per animation frame). */
export interface RuntimeUpdate {
	/** Instances that changed since the previous update (all of them in the first update). */
	instances: InstanceSummary[];
	/** Instances deleted since the previous update. */
	removed: string[];
	/** Set when saving the event log failed; null once a retry succeeded. */
	storeError?: StoreError | null;
	/** Set when restoring instances at startup failed for some. */
	restoreErrors?: { instanceId: string; message: string }[];
	/** New events of the instances this subscriber watches, in seq order (see `SubscribeOptions.events`). */
	events?: Record<string, StoredEvent[]>;
	/** Instances that produced more than `maxEvents` since the last update: read the gap with `getLog`. */
	truncated?: string[];
	time: number;
}

export interface SubscribeOptions {
	/** Also deliver the events of these instances (or of all) as they happen, batched per update. */
	events?: string[] | 'all';
	/** Most events per instance per update (default 5000); beyond it the instance is listed in `truncated`. */
	maxEvents?: number;
}

export interface CreateInstanceOptions {
	/** Explicit id (default: generated). */
	id?: string;
	/** Start right away (default true). */
	start?: boolean;
	/** Context values overriding the workflow's initial context. */
	context?: Record<string, unknown>;
	/** How outside effects (http, call_llm, call_tool …) run: for real (`live`, the default) or simulated. */
	mode?: RunMode;
}

export interface ReplayResult {
	snapshot: Snapshot;
	persisted: PersistedSnapshot;
	/** Inputs fed to the engine. */
	inputs: number;
	/** Whether the replay started from a stored snapshot. */
	fromSnapshot: boolean;
	/** Time spent reading IndexedDB and replaying, ms. */
	readMs: number;
	replayMs: number;
	/** The rebuilt state equals the live one (value, context, status, configuration, history, timers). */
	matchesLive: boolean | null;
}

export interface PumpResult {
	sent: number;
	ms: number;
	snapshot: Snapshot;
}

/** The runtime worker's API, as exposed with Comlink (every method returns a promise over Comlink). */
export interface RuntimeApi {
	/**
	 * Resolves once instances saved in the workspace are restored and running again. While
	 * another tab runs the workspace this waits (see `ownership`); every other method waits too.
	 */
	ready(): Promise<{ restored: number; errors: { instanceId: string; message: string }[] }>;
	/**
	 * Whether this runtime runs the workspace: 'waiting' while another tab of the browser holds
	 * it (only one tab writes a workspace's log), 'unsupported' without Web Locks. Never waits long.
	 */
	ownership(): Promise<'owner' | 'waiting' | 'unsupported'>;
	/** Validates and compiles a workflow; returns its id (the workflow's own `id`). */
	loadWorkflow(workflow: Workflow | unknown): Promise<string>;
	/** Creates an instance of a loaded workflow; returns its id. */
	createInstance(workflowId: string, opts?: CreateInstanceOptions): Promise<string>;
	/** Starts (or resumes a stopped) instance. */
	start(instanceId: string): Promise<InstanceSummary>;
	/** Stops an instance: timers and running effects are cancelled; it stays in the registry. */
	stop(instanceId: string): Promise<InstanceSummary>;
	/** Deletes an instance, its log and its snapshots. */
	deleteInstance(instanceId: string): Promise<void>;
	/** Sends one event; returns the instance after the macrostep. */
	send(instanceId: string, event: EventObject | string): Promise<InstanceSummary>;
	/** Sends many events in order (in chunks, yielding between them); for load tests. */
	sendMany(instanceId: string, events: (EventObject | string)[]): Promise<PumpResult>;
	/** Sends `n` events, each time the first enabled one; for load tests. */
	pump(instanceId: string, n: number): Promise<PumpResult>;
	/** The registry: every instance, newest first (optionally of one workflow). */
	listInstances(filter?: { workflowId?: string }): Promise<InstanceSummary[]>;
	getInstance(instanceId: string): Promise<InstanceSummary>;
	getSnapshot(instanceId: string): Promise<Snapshot>;
	enabledEvents(instanceId: string): Promise<string[]>;
	/** Reads an instance's log from IndexedDB. */
	getLog(instanceId: string, query?: LogQuery): Promise<StoredEvent[]>;
	/** An instance's log as JSON Lines. */
	exportLog(instanceId: string): Promise<string>;
	/** Rebuilds an instance from the store (latest snapshot + tail, or `full` from seq 0) and compares it with the live one. */
	replay(instanceId: string, opts?: { full?: boolean }): Promise<ReplayResult>;
	/** Resolves once every event queued so far is written; false if writes are paused by an error. */
	flush(): Promise<boolean>;
	/** Retries writing after a store error. */
	retryWrites(): Promise<boolean>;
	/** Receive batched updates (pass the callback through `Comlink.proxy`); returns a subscription id. */
	subscribe(callback: (update: RuntimeUpdate) => void, opts?: SubscribeOptions): Promise<number>;
	/** Changes which instances' events a subscription receives (`[]` for none). */
	watch(subscriptionId: number, instanceIds: string[] | 'all', maxEvents?: number): Promise<void>;
	unsubscribe(subscriptionId: number): Promise<void>;
}
