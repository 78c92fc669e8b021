/**
 * Shapes of the `data` of an effect's `progress` telemetry (`ctx.progress(data)`), shared by
 * the effects that report them (AI kinds) and by whatever shows them (Run panel, canvas,
 * timeline, usage pages). Unknown shapes are shown as plain JSON.
 */

/** Text streamed by a model since the previous text progress (deltas may be coalesced). */
export interface TextProgress {
	kind: 'text';
	delta: string;
	/** Which agent produced it, inside `coordinate_agents`. */
	agent?: string;
}

/** Tokens and cost of one model call (one attempt). */
export interface UsageProgress {
	kind: 'usage';
	provider: string;
	model: string;
	inputTokens: number;
	outputTokens: number;
	cachedInputTokens?: number;
	reasoningTokens?: number;
	costUsd?: number;
	/** Counted by an estimator because the provider reported nothing (e.g. an aborted stream). */
	estimated?: boolean;
	agent?: string;
}

/** One attempt of a model call along its fallback chain. */
export interface AttemptProgress {
	kind: 'attempt';
	index: number;
	provider: string;
	model: string;
	outcome: 'started' | 'ok' | 'error';
	error?: string;
	/** How long the caller waits before the next attempt (e.g. from `Retry-After`). */
	waitMs?: number;
	agent?: string;
}

/** The status of one agent inside `coordinate_agents`. */
export interface AgentProgress {
	kind: 'agent';
	agent: string;
	status: 'waiting' | 'thinking' | 'done' | 'failed';
	round?: number;
	/** What the agent is doing: answering (hierarchical: `from` says who delegated it), voting on a ballot, judging, synthesizing, or updating its memory. */
	phase?: 'answer' | 'vote' | 'judge' | 'synthesize' | 'memory';
	/** The agent's answer or vote when done. */
	output?: unknown;
	error?: string;
	/** Tokens and cost of this step (all attempts). */
	usage?: { inputTokens: number; outputTokens: number; costUsd: number; estimated?: boolean };
	/** Hierarchical: who delegated this step to the agent, and the subtask. */
	from?: string;
	task?: string;
}

/** The start of a coordination: its strategy and agents (so every lane can be drawn at once). */
export interface CoordinationProgress {
	kind: 'coordination';
	strategy: string;
	agents: { name: string; role?: string; model?: string }[];
	/** Debate: rounds planned. */
	rounds?: number;
	/** Who decides or merges: the judge, synthesizer or supervisor. */
	lead?: string;
}

/** How a coordination decided (consensus, debate, parallel merge, hierarchical end). */
export interface DecisionProgress {
	kind: 'decision';
	method: string;
	/** The agent whose answer won, when one did. */
	winner?: string;
	output?: unknown;
	/** Share of answers that agree with the decision (0–1), when it means something. */
	agreement?: number;
	/** Each agent's vote: the answer it backs (majority, cluster) or the candidate it picked (ballot). */
	votes?: { agent: string; vote: unknown }[];
	/** Answers with how many agents backed each. */
	tally?: { answer: unknown; count: number; agents: string[] }[];
	tie?: boolean;
	/** Why, in words. */
	reasons?: string;
}

/** One step of a model's tool use: the tool (another effect of the workflow) it called. */
export interface ToolProgress {
	kind: 'tool';
	step: number;
	name: string;
	arguments: Record<string, unknown>;
	output?: unknown;
	error?: string;
	agent?: string;
}

/** The response checks of a model answer and the quality score they give (passed / total). */
export interface QualityProgress {
	kind: 'quality';
	score: number;
	checks: { name: string; ok: boolean; message?: string }[];
	agent?: string;
}

export type EffectProgress = TextProgress | UsageProgress | AttemptProgress | AgentProgress | CoordinationProgress | DecisionProgress | ToolProgress | QualityProgress;

/** Narrows a progress payload to one of the known shapes. */
export function isEffectProgress(data: unknown): data is EffectProgress {
	const k = (data as { kind?: unknown } | null)?.kind;
	return k === 'text' || k === 'usage' || k === 'attempt' || k === 'agent' || k === 'coordination' || k === 'decision' || k === 'tool' || k === 'quality';
}
