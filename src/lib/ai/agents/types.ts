/**
 * Agents: workspace objects (saved on the Agents page) and the agents of one
 * `coordinate_agents` effect, resolved to what a coordination needs.
 */
import type { AgentSpec, CoordinateAgentsParams } from '../../effects/kinds/coordinate_agents';
import type { ChatTarget } from '../llm/chat';
import type { AgentRecord } from '../../store/agents-db';

export type { AgentSpec, CoordinateAgentsParams };
export type { CoordinationStrategy } from '../../effects/kinds/coordinate_agents';

/** What an agent remembers from earlier coordinations of the same run. */
export type AgentMemory = AgentRecord['memory'];

/** An agent saved in the workspace (Agents page). */
export type AgentDefinition = AgentRecord;

/** An agent as one coordination runs it (workspace definition merged, defaults applied). */
export interface ResolvedAgent {
	/** Unique within the coordination. */
	name: string;
	/** Where its memory is kept: the workspace agent's id, else its name. */
	key: string;
	role?: string;
	system?: string;
	/** The fallback chain; empty means the workspace's default provider. */
	targets: ChatTarget[];
	/** Model for the workspace default provider, when no provider is named. */
	model?: string;
	temperature: number;
	maxTokens: number;
	tools: string[];
	memory: AgentMemory;
	workers?: string[];
	/** Linked to a workspace agent that was found. */
	linked: boolean;
}

/** One agent's share of the result. */
export interface AgentOutcome {
	name: string;
	ok: boolean;
	/** Not asked to do anything (a judge for a unanimous vote, a worker never delegated to). */
	idle?: boolean;
	output?: unknown;
	error?: string;
	/** Model calls it made, and their tokens and cost. */
	calls: number;
	inputTokens: number;
	outputTokens: number;
	costUsd: number;
}

/** How a consensus or debate decided. */
export interface Decision {
	method: 'majority' | 'judge' | 'cluster' | 'ballot';
	output: unknown;
	/** The agent whose answer won. */
	winner?: string;
	/** Share of answers agreeing with the decision (0–1). */
	agreement: number;
	/** Where the agreement figure comes from. */
	agreementSource: 'votes' | 'cluster' | 'judge' | 'ballot';
	votes: { agent: string; vote: unknown }[];
	tally: { answer: unknown; count: number; agents: string[] }[];
	tie: boolean;
	/** How a tie was broken. */
	tieBrokenBy?: 'judge' | 'order';
	reasons: string;
}

/** What `coordinate_agents` returns (and assigns with `assignTo`). */
export interface CoordinationResult {
	/** The final answer: text, or the parsed JSON value. */
	output: unknown;
	strategy: string;
	agents: AgentOutcome[];
	decision?: Decision;
	/** Debate: rounds that ran. */
	rounds?: number;
	/** Hierarchical: the delegations and tool calls, in order. */
	steps?: { from: string; to: string; task: string; ok: boolean; output?: unknown; error?: string }[];
	/** Hierarchical: why the supervisor stopped delegating. */
	stoppedBy?: 'answer' | 'maxSteps';
	usage: { calls: number; inputTokens: number; outputTokens: number; costUsd: number };
}
