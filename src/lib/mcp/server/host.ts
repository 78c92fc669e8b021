/**
 * What FSM Studio's MCP tools need from where they run. The page (postMessage server) and
 * the command line (stdio server) each implement it; the tools themselves are the same.
 */
import type { EffectHandler } from '../../effects/types';
import type { EventObject, InstanceStatus, Snapshot } from '../../engine/types';
import type { StateValue, Workflow } from '../../model/types';

export interface WorkflowInfo {
	id: string;
	name: string;
	description?: string;
	/** Number of states, nested ones included. */
	states: number;
	/** Where it came from: a file name on the command line, `workspace` in the page. */
	source?: string;
}

/** One instance as the tools report it. */
export interface InstanceInfo {
	instanceId: string;
	workflowId: string;
	status: InstanceStatus;
	value: StateValue | null;
	context: Record<string, unknown>;
	enabledEvents: string[];
	/** Inputs applied so far (events sent, timers fired, effect results). */
	inputs: number;
	output?: unknown;
	error?: Snapshot['error'];
}

export interface RunOptions {
	context?: Record<string, unknown>;
	/** Sent in order after the start, each once the previous one's effects settled. */
	events?: EventObject[];
	/** How long to wait for running effects to settle after each event (ms). */
	settleMs?: number;
}

export interface StudioHost {
	/** 'cli' or 'page': used in messages that say where to configure things. */
	readonly kind: 'cli' | 'page';
	listWorkflows(): Promise<WorkflowInfo[]>;
	/** A workflow by id (or, on the command line, by file name). */
	getWorkflow(id: string): Promise<Workflow | undefined>;
	/** Starts a new instance of a workflow and sends it the given events. */
	runWorkflow(workflow: Workflow, options: RunOptions): Promise<InstanceInfo>;
	sendEvent(instanceId: string, event: EventObject, options?: { settleMs?: number }): Promise<InstanceInfo>;
	getSnapshot(instanceId: string): Promise<InstanceInfo>;
	/** Handlers of provider-backed effect kinds (call_llm, embed_text, rag, coordinate_agents, call_tool). */
	handlers(): Promise<Record<string, EffectHandler<never>>>;
	/** What to do when no language-model provider is configured, in this host's words. */
	readonly noProviderHint: string;
	/** Designs a workflow from a description with the AI assistant, when the app has one. */
	assistant?: (description: string, options?: { signal?: AbortSignal; name?: string }) => Promise<Workflow>;
}
