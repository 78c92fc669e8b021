import type { EventObject, InstanceEvent, InstanceStatus, PersistedSnapshot } from '../engine/types';
import type { StatePath, StateValue, TransitionId, Workflow } from '../model/types';
import type { Coverage } from './coverage';
import type { PathOptions, PathsResult } from './paths';
import type { BreakpointHit } from './breakpoints';
import type { PendingItem } from './pending';
import type { EventProbe } from './probe';
import type { Span } from './timeline';
import type { AiRunTotals } from '../ai/usage/aggregate';
import type { StubConfig } from './stubs';
import type { RunMode } from '../effects/simulated';

export type { RunMode };

/** What the run panel shows of one simulated instance (pushed at most once per frame). */
export interface SessionView {
	id: string;
	workflowId: string;
	workflowName: string;
	createdAt: number;
	/**
	 * `simulated`: outside effects (http, call_llm, embed_text, vector_search, rag,
	 * coordinate_agents, call_tool, any io/ai kind) are answered from stubs or simulated
	 * defaults and never reach the network; `live`: the real handlers run.
	 */
	mode: RunMode;
	/** Set when this instance was forked ("restart from here"). */
	forkOf?: { id: string; position: number };
	status: InstanceStatus;
	value: StateValue;
	context: Record<string, unknown>;
	error?: PersistedSnapshot['error'];
	/** Active state paths (atomic states and their ancestors), for the canvas. */
	activeStates: StatePath[];
	/** Transitions of the last macrostep, for the canvas. */
	lastTransitions: TransitionId[];
	/** Enabled events and whether their guards pass now (payload-less probe). */
	enabled: EventProbe[];
	/** Wildcard descriptors of the active states (`*`, `error.*`): they accept events beyond `enabled`. */
	descriptors?: string[];
	paused: boolean;
	hit?: BreakpointHit;
	pending: PendingItem[];
	/** Virtual clock. */
	now: number;
	timers: { state: StatePath; event: string; due: number }[];
	/** When the next thing on the virtual clock is due: a delayed transition, or an effect's wait (delay, backoff, stub). */
	nextDue?: number;
	breakpoints: { states: StatePath[]; transitions: TransitionId[] };
	/** The virtual clock follows the wall clock while running. */
	realtime: boolean;
	/** Log length (positions 1…logSize). */
	logSize: number;
	inputs: number;
	/** Running effects (spans without an end). */
	runningEffects: number;
}

/** One row of the event log view. */
export interface LogRow {
	position: number;
	entry: InstanceEvent;
}

export interface LogFilter {
	kinds?: InstanceEvent['kind'][];
	/** Case-insensitive substring of the entry's JSON. */
	search?: string;
}

/** The state at a log position, for drawing that moment on the canvas. */
export interface MomentView {
	position: number;
	inputs: number;
	value: StateValue;
	context: Record<string, unknown>;
	status: InstanceStatus;
	activeStates: StatePath[];
	/** Transitions taken in the macrostep of that position. */
	transitions: TransitionId[];
	/** Events enabled at that moment and whether their guards passed then (read only). */
	enabled?: EventProbe[];
	/** Wildcard descriptors enabled at that moment. */
	descriptors?: string[];
	/** Virtual time of that moment. */
	time?: number;
	/** Replay time, ms (measured in the worker). */
	ms: number;
}

export interface StartOptions {
	paused?: boolean;
	id?: string;
	/** Simulated answers for outside effects (call_llm, http …); a fork inherits its parent's. */
	stubs?: StubConfig;
	/**
	 * `simulated` (default): outside effects are answered from `stubs`, else from simulated
	 * defaults, and never reach the network. `live`: real handlers (stubs still win where
	 * given). A fork inherits its parent's mode unless given. Recorded as the log's first entry.
	 */
	mode?: RunMode;
}

/**
 * The simulator worker's API (over Comlink: every method returns a promise).
 * Sessions live in the worker; the UI only renders what it is sent.
 */
export interface SimApi {
	/** Opens the workspace's event store and resumes the sessions saved there. */
	/** Opens the workspace's event store; saved sessions are resumed when their workflow is listed (or all at once with `resume: 'all'`). */
	init(options?: { workspaceId?: string; persist?: boolean; resume?: 'all' | 'lazy' }): Promise<{ resumed: string[]; errors: { id: string; message: string }[] }>;
	start(workflow: Workflow, options?: StartOptions): Promise<string>;
	list(workflowId?: string): Promise<SessionView[]>;
	view(id: string): Promise<SessionView>;
	/** Receive a session's view whenever it changes (throttled to one per ~16 ms); returns a subscription id. */
	watch(id: string, callback: (view: SessionView) => void): Promise<number>;
	unwatch(subscription: number): Promise<void>;
	send(id: string, event: EventObject): Promise<void>;
	pause(id: string): Promise<void>;
	resume(id: string): Promise<void>;
	step(id: string): Promise<boolean>;
	dropPending(id: string, pendingId: number): Promise<void>;
	advance(id: string, ms: number): Promise<number>;
	advanceToNext(id: string): Promise<number>;
	setRealtime(id: string, on: boolean): Promise<void>;
	/** Saved sessions that could not be resumed after a reload. */
	errors(): Promise<{ id: string; message: string }[]>;
	toggleBreakpoint(id: string, kind: 'state' | 'transition', key: string, on?: boolean): Promise<void>;
	probe(id: string, event: EventObject): Promise<EventProbe>;
	logPage(id: string, offset: number, limit: number, filter?: LogFilter): Promise<{ total: number; rows: LogRow[] }>;
	at(id: string, position: number): Promise<MomentView>;
	/** The moment right after input `n` (0 = the initial state). */
	atInput(id: string, n: number): Promise<MomentView>;
	fork(id: string, position: number, options?: StartOptions): Promise<string>;
	/** The effect tree as rows (the latest trees, about `limit` rows), how many spans there are in all, and the tokens and cost of all of them. */
	timeline(id: string, limit?: number): Promise<{ spans: Span[]; total: number; ai?: AiRunTotals }>;
	coverage(id: string | string[]): Promise<Coverage>;
	generatePaths(workflow: Workflow, options?: Omit<PathOptions, 'createInterpreter' | 'index'>): Promise<PathsResult>;
	exportVitest(workflow: Workflow, paths: PathsResult): Promise<string>;
	stop(id: string): Promise<void>;
	remove(id: string): Promise<void>;
	/** Load test: send `n` events (each time the first enabled one, guards permitting) in chunks; returns events/s measured in the worker. */
	pump(id: string, n: number, chunk?: number): Promise<{ sent: number; ms: number; perSecond: number }>;
	/** Wait until everything is saved. */
	flush(): Promise<void>;
}
