/**
 * Workflow document, format v1. Close to XState v5's JSON naming.
 * This file is the contract between every layer: change it only with care.
 */

/** A JSONata expression, evaluated against `{ context, event, results }`. */
export type Expr = string;

/** One effect: plain JSON, `type` selects the handler kind (assign, http, retry, call_llm, …). */
export interface EffectSpec {
	type: string;
	/** Optional stable id (for telemetry, timeline and breakpoints). */
	id?: string;
	[param: string]: unknown;
}

/** A transition written in full. */
export interface TransitionSpec {
	/** Sibling key, `.child` of the source, `#explicitId`; several for parallel regions; omitted = targetless. */
	target?: string | string[];
	/** JSONata; the transition is taken only when it is truthy. */
	guard?: Expr;
	effects?: EffectSpec[];
	/** Re-enter the source state when the target is the source or its descendant (XState v5 `reenter`). */
	reenter?: boolean;
	description?: string;
}

/** A transition: a target string, an object, or an ordered array of guarded alternatives. */
export type TransitionConfig = string | TransitionSpec | TransitionSpec[];

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface StateNodeSpec {
	/** Explicit id, so targets can say `#id`. */
	id?: string;
	/** Inferred when omitted: `compound` with `states`, else `atomic`. */
	type?: StateType;
	/** For `type: 'history'`. */
	history?: 'shallow' | 'deep';
	/** For `type: 'history'`: where to go when there is no history yet. */
	target?: string;
	/** For compound states: the key of the initial child. */
	initial?: string;
	states?: Record<string, StateNodeSpec>;
	on?: Record<string, TransitionConfig>;
	/** Eventless transitions, checked after every microstep. */
	always?: TransitionConfig;
	/** Delayed transitions: key is milliseconds. */
	after?: Record<string, TransitionConfig>;
	entry?: EffectSpec[];
	exit?: EffectSpec[];
	/** The state's long-running work, cancelled (AbortSignal) when the state is left. */
	invoke?: EffectSpec;
	/** Taken when the invoke finishes, or (compound/parallel) when a final child is reached. */
	onDone?: TransitionConfig;
	/** Taken when the invoke (or any async effect started in this state) fails. */
	onError?: TransitionConfig;
	/** For final states: JSONata for the output put on the `done` event. */
	output?: Expr;
	description?: string;
	tags?: string[];
	/** Free-form data kept as is (designer hints, plugin data). */
	meta?: Record<string, unknown>;
}

export interface LayoutEntry {
	x: number;
	y: number;
	width?: number;
	height?: number;
}

export const WORKFLOW_FORMAT = 'fsm-studio/workflow';
export const WORKFLOW_VERSION = 1;

export interface Workflow {
	format: typeof WORKFLOW_FORMAT;
	version: typeof WORKFLOW_VERSION;
	id: string;
	name: string;
	description?: string;
	/**
	 * `parallel`: every top-level state is a region, all active at once (then there is no
	 * `initial`). Omitted or `compound`: one top-level state at a time, starting at `initial`.
	 */
	type?: 'compound' | 'parallel';
	/** Key of the initial top-level state (required unless `type` is `parallel`). */
	initial?: string;
	context?: Record<string, unknown>;
	states: Record<string, StateNodeSpec>;
	/** Transitions that apply in every state (the root's `on`). */
	on?: Record<string, TransitionConfig>;
	/** Limits of one run (AI effects check them before every model call). */
	budget?: { maxCostUsd?: number; maxTokens?: number };
	/** Positions keyed by state path (`parent.child`); never part of the semantics. */
	layout?: Record<string, LayoutEntry>;
	meta?: Record<string, unknown>;
}

/** Path of a state: its keys from the root joined with '.', e.g. `active.door.open`. */
export type StatePath = string;

/**
 * Id of a transition, used by lint, designer, coverage and breakpoints:
 * `<source state path>|<trigger>|<index>` where trigger is `on:<EVENT>`, `always`,
 * `after:<ms>`, `onDone` or `onError`, and index is the position among alternatives.
 * The root's own `on` uses the empty string as source path.
 */
export type TransitionId = string;

export function transitionId(source: StatePath, trigger: string, index: number): TransitionId {
	return `${source}|${trigger}|${index}`;
}

/** XState-shaped state value: a key for a flat machine, nested objects for compound and parallel. */
export type StateValue = string | { [key: string]: StateValue };

export type Severity = 'error' | 'warning' | 'info';

/** A lint problem, pointing at a state, a transition or the workflow itself. */
export interface Problem {
	/** Stable rule id: `no-initial`, `unknown-target`, `unreachable`, `dead-end`, `nondeterministic`, `always-loop`, `bad-expression`, … */
	rule: string;
	severity: Severity;
	message: string;
	/** JSON path into the document, e.g. `["states","open","on","CLOSE"]`. */
	path: (string | number)[];
	state?: StatePath;
	transition?: TransitionId;
}

/** Error returned by parsing: where, and a sentence a user understands. */
export interface ParseError {
	path: (string | number)[];
	message: string;
}

export type ParseResult =
	| { ok: true; workflow: Workflow; warnings?: string[]; readOnly?: boolean }
	| { ok: false; errors: ParseError[] };
