/**
 * FSM Studio's own MCP tools, defined once with zod input and output schemas and run
 * against a `StudioHost`. The stdio server (command line) and the postMessage server (page)
 * register exactly these.
 */
import { z } from 'zod';
import { EffectError } from '../../effects/errors';
import type { EventObject } from '../../engine/types';
import { parseWorkflow } from '../../model';
import type { EffectSpec, Workflow } from '../../model/types';
import type { InstanceInfo, StudioHost } from './host';
import { checkEffectTree, runEffectPipeline, type PipelineResult } from './pipeline';
import { workflowFromTemplate, workflowTemplates } from './templates';

/** A tool: name, schemas and what it does. `run` returns the structured result or throws a user-facing Error. */
export interface StudioTool<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
	name: string;
	title: string;
	description: string;
	input: I;
	output: O;
	/** Read-only tools do not change anything (MCP annotation). */
	readOnly?: boolean;
	run(args: z.output<I>, signal?: AbortSignal): Promise<z.output<O>>;
}

const json = z.unknown();
const contextSchema = z.record(z.string(), z.unknown());
const eventSchema = z
	.union([z.string().min(1), z.object({ type: z.string().min(1).describe('Event type, e.g. "OPEN"') }).loose()])
	.describe('An event: its type as a string ("OPEN"), or an object with a "type" and any payload ({"type": "TICKET", "text": "…"})');

const instanceSchema = z.object({
	instanceId: z.string(),
	workflowId: z.string(),
	status: z.enum(['active', 'done', 'error', 'stopped']).describe('active: running; done: reached a top-level final state; error: an error nobody handled'),
	value: json.describe('Active state: a key for a flat workflow, nested objects for compound and parallel states'),
	context: contextSchema,
	enabledEvents: z.array(z.string()).describe('Events that have a transition from the current state'),
	inputs: z.number().int().describe('Inputs applied so far'),
	output: json.optional().describe('Output of the final state, when done'),
	error: z.object({ message: z.string(), state: z.string().optional(), transition: z.string().optional(), effect: z.string().optional() }).optional()
});

const modelFields = {
	provider: z.string().optional().describe('Provider id (default: the configured default provider)'),
	model: z.string().optional().describe('Model name (default: the provider’s default)')
};

const usageSchema = z.object({ inputTokens: z.number().optional(), outputTokens: z.number().optional() }).loose();

function toEvent(e: string | { type: string }): EventObject {
	return typeof e === 'string' ? { type: e } : (e as EventObject);
}

/** The workflow named by `ref` (an id or file name) or given inline; throws with what to do. */
async function resolveWorkflow(host: StudioHost, ref: unknown): Promise<Workflow> {
	if (typeof ref === 'string') {
		const wf = await host.getWorkflow(ref);
		if (wf) return wf;
		const known = (await host.listWorkflows()).map((w) => w.id);
		throw new Error(`There is no workflow "${ref}". ${known.length ? `Known workflows: ${known.slice(0, 20).join(', ')}.` : 'There are no workflows yet.'} Call list_workflows to see them, or pass the workflow itself as JSON.`);
	}
	const parsed = parseWorkflow(ref);
	if (!parsed.ok) throw new Error(`The workflow is not valid: ${parsed.errors.slice(0, 5).map((e) => e.message).join(' ')}`);
	return parsed.workflow;
}

/** Runs one provider-backed effect and turns "no provider" into the host's own advice. */
async function runAiEffect(host: StudioHost, effect: EffectSpec, signal?: AbortSignal): Promise<unknown> {
	const r = await runEffectPipeline(effect, { handlers: await host.handlers(), signal, timeoutMs: 300_000 });
	if (r.ok) return r.output;
	if (r.error?.code === 'no_provider') throw new Error(`${effect.type} needs a language-model provider, and none is configured. ${host.noProviderHint}`);
	throw new Error(r.error?.message ?? `${effect.type} failed`);
}

/** Normalises what a call_llm handler returned into text (+ parsed JSON). */
function llmOutput(out: unknown): { text: string; json?: unknown; model?: string; usage?: z.output<typeof usageSchema> } {
	if (typeof out === 'string') return { text: out };
	if (out && typeof out === 'object') {
		const o = out as Record<string, unknown>;
		const text = typeof o.text === 'string' ? o.text : typeof o.content === 'string' ? o.content : JSON.stringify(out);
		const r: ReturnType<typeof llmOutput> = { text };
		if ('json' in o) r.json = o.json;
		else if (!('text' in o) && !('content' in o)) r.json = out;
		if (typeof o.model === 'string') r.model = o.model;
		if (o.usage && typeof o.usage === 'object') r.usage = o.usage as z.output<typeof usageSchema>;
		return r;
	}
	return { text: String(out ?? '') };
}

const pipelineOutput = z.object({
	ok: z.boolean().describe('Whether the effect tree succeeded'),
	output: json.optional().describe('What the root effect returned'),
	error: z.object({ code: z.string(), message: z.string() }).optional().describe('Why it failed (code: timeout, network, http_status, cancelled, invalid_params, …)'),
	context: contextSchema.describe('The context after the assigns the pipeline made'),
	sent: z.array(z.object({ type: z.string() }).loose()),
	emitted: z.array(z.object({ type: z.string() }).loose()),
	logs: z.array(z.object({ message: z.string(), data: json.optional() })),
	steps: z
		.array(
			z.object({
				effect: z.string().describe('Composition path, e.g. retry/effect:timeout/effect:http'),
				type: z.string(),
				phase: z.enum(['start', 'retry', 'end', 'error', 'cancel']),
				at: z.number().describe('ms since the pipeline started'),
				durationMs: z.number().optional(),
				error: z.string().optional()
			})
		)
		.describe('What each effect did, in order'),
	stepsOmitted: z.number().int(),
	durationMs: z.number()
});

/** All of FSM Studio's tools, bound to a host. */
export function studioTools(host: StudioHost): StudioTool[] {
	const tools = [
		tool({
			name: 'list_workflows',
			title: 'List workflows',
			description: 'Lists the workflows available here (files in the workflows folder on the command line; the workspace in the browser).',
			readOnly: true,
			input: z.object({}),
			output: z.object({
				workflows: z.array(z.object({ id: z.string(), name: z.string(), description: z.string().optional(), states: z.number().int(), source: z.string().optional() }))
			}),
			run: async () => ({ workflows: await host.listWorkflows() })
		}),
		tool({
			name: 'get_workflow',
			title: 'Get a workflow',
			description: 'Returns a workflow document (FSM Studio format v1: states, transitions, guards, effects).',
			readOnly: true,
			input: z.object({ id: z.string().min(1).describe('Workflow id (see list_workflows)') }),
			output: z.object({ workflow: z.record(z.string(), z.unknown()) }),
			run: async ({ id }) => ({ workflow: (await resolveWorkflow(host, id)) as unknown as Record<string, unknown> })
		}),
		tool({
			name: 'run_workflow',
			title: 'Run a workflow',
			description:
				'Starts a new instance of a workflow (by id, or given inline as JSON), sends it the given events in order, and returns where it ended up. Keep the instanceId to send more events later.',
			input: z.object({
				workflow: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).describe('Workflow id (see list_workflows), or a whole workflow document'),
				context: contextSchema.optional().describe('Values that override the workflow’s initial context'),
				events: z.array(eventSchema).default([]).describe('Events to send after the start, in order'),
				settleMs: z.number().int().min(0).max(600_000).default(30_000).describe('How long to wait for running effects (LLM calls, HTTP) after each event')
			}),
			output: instanceSchema,
			run: async ({ workflow, context, events, settleMs }) => {
				const wf = await resolveWorkflow(host, workflow);
				return host.runWorkflow(wf, { context, events: events.map(toEvent), settleMs });
			}
		}),
		tool({
			name: 'send_event',
			title: 'Send an event',
			description: 'Sends one event to a running instance and returns its state after the event (and the effects it started) settled.',
			input: z.object({
				instanceId: z.string().min(1).describe('From run_workflow'),
				event: eventSchema,
				settleMs: z.number().int().min(0).max(600_000).default(30_000).describe('How long to wait for running effects after the event')
			}),
			output: instanceSchema,
			run: async ({ instanceId, event, settleMs }) => host.sendEvent(instanceId, toEvent(event), { settleMs })
		}),
		tool({
			name: 'get_snapshot',
			title: 'Get an instance’s state',
			description: 'Returns the current state, context and enabled events of an instance.',
			readOnly: true,
			input: z.object({ instanceId: z.string().min(1).describe('From run_workflow') }),
			output: instanceSchema,
			run: async ({ instanceId }) => host.getSnapshot(instanceId)
		}),
		tool({
			name: 'execute_effect_pipeline',
			title: 'Execute an effect pipeline',
			description:
				'Runs an effect tree given as JSON, outside any workflow: compositions (sequence, parallel, race), resilience (retry, timeout, circuit_breaker, rate_limit, bulkhead, saga, cache), data (assign, transform, log, emit), http, and AI kinds. Returns the output, the resulting context and a trace of every step (attempts, timeouts).',
			input: z.object({
				effect: z
					.object({ type: z.string().min(1).describe('Effect kind, e.g. "retry"') })
					.loose()
					.describe('The effect tree, e.g. {"type":"retry","maxAttempts":3,"effect":{"type":"timeout","ms":2000,"effect":{"type":"http","url":"https://…"}}}'),
				context: contextSchema.default({}).describe('Context the expressions and templates see'),
				event: z.object({ type: z.string() }).loose().optional().describe('The event the expressions see as `event`'),
				timeoutMs: z.number().int().positive().max(600_000).default(60_000).describe('Cancel the whole pipeline after this long')
			}),
			output: pipelineOutput,
			run: async ({ effect, context, event, timeoutMs }, signal): Promise<PipelineResult> => {
				const problem = checkEffectTree(effect);
				if (problem) throw new Error(problem);
				const r = await runEffectPipeline(effect as EffectSpec, { context, event: event as EventObject | undefined, timeoutMs, signal, handlers: await host.handlers() });
				if (!r.ok && r.error?.code === 'no_provider') r.error.message += ` ${host.noProviderHint}`;
				return r;
			}
		}),
		tool({
			name: 'call_llm',
			title: 'Ask a language model',
			description: 'Sends a prompt to a language model through FSM Studio’s provider layer and returns the answer.',
			input: z.object({
				prompt: z.string().min(1).describe('The user prompt'),
				system: z.string().optional().describe('System prompt'),
				...modelFields,
				temperature: z.number().min(0).max(2).default(0.7),
				maxTokens: z.number().int().positive().default(1024),
				json: z.boolean().default(false).describe('Ask for a JSON answer and parse it')
			}),
			output: z.object({ text: z.string(), json: json.optional(), model: z.string().optional(), usage: usageSchema.optional() }),
			run: async (args, signal) => llmOutput(await runAiEffect(host, { type: 'call_llm', ...args, stream: false }, signal))
		}),
		tool({
			name: 'embed_text',
			title: 'Embed text',
			description: 'Turns texts into embedding vectors with the configured embedding model.',
			input: z.object({ texts: z.array(z.string()).min(1).max(256).describe('Texts to embed'), ...modelFields }),
			output: z.object({ vectors: z.array(z.array(z.number())), dimensions: z.number().int(), model: z.string().optional() }),
			run: async ({ texts, provider, model }, signal) => {
				const out = await runAiEffect(host, { type: 'embed_text', text: texts, provider, model }, signal);
				const vectors = toVectors(out);
				return { vectors, dimensions: vectors[0]?.length ?? 0, ...(model ? { model } : {}) };
			}
		}),
		tool({
			name: 'rag_pipeline',
			title: 'Answer from documents',
			description: 'Retrieves passages from a knowledge base (vector + keyword search) and answers the question with a model, citing the sources.',
			input: z.object({
				question: z.string().min(1),
				collection: z.string().min(1).describe('Knowledge base (vector collection) to search'),
				topK: z.number().int().positive().max(50).default(5),
				citations: z.boolean().default(true),
				...modelFields
			}),
			output: z.object({ answer: z.string(), sources: z.array(json).default([]) }).loose(),
			run: async (args, signal) => {
				const out = await runAiEffect(host, { type: 'rag', ...args }, signal);
				if (typeof out === 'string') return { answer: out, sources: [] };
				const o = (out ?? {}) as Record<string, unknown>;
				return { ...o, answer: String(o.answer ?? o.text ?? ''), sources: Array.isArray(o.sources) ? o.sources : [] };
			}
		}),
		tool({
			name: 'coordinate_agents',
			title: 'Coordinate agents',
			description: 'Lets several agents work on a task (sequential, parallel, supervisor or debate) and returns the result.',
			input: z.object({
				task: z.string().min(1),
				agents: z
					.array(z.object({ name: z.string().min(1), role: z.string().optional(), provider: z.string().optional(), model: z.string().optional(), tools: z.array(z.string()).optional() }))
					.min(1),
				strategy: z.enum(['sequential', 'parallel', 'supervisor', 'debate']).default('supervisor'),
				maxRounds: z.number().int().positive().max(50).default(5)
			}),
			output: z.object({ result: json }).loose(),
			run: async (args, signal) => {
				const out = await runAiEffect(host, { type: 'coordinate_agents', ...args }, signal);
				return out && typeof out === 'object' && !Array.isArray(out) && 'result' in out ? (out as { result: unknown }) : { result: out };
			}
		}),
		tool({
			name: 'create_ai_workflow',
			title: 'Create an AI workflow',
			description: `Designs a workflow from a description: with FSM Studio’s assistant when it is available, otherwise from the best-fitting template (${workflowTemplates.map((t) => t.id).join(', ')}). Returns the workflow document; run it with run_workflow.`,
			input: z.object({
				description: z.string().min(3).describe('What the workflow should do'),
				name: z.string().optional(),
				template: z.enum(workflowTemplates.map((t) => t.id) as [string, ...string[]]).optional().describe('Use this template instead of choosing one')
			}),
			output: z.object({
				workflow: z.record(z.string(), z.unknown()),
				source: z.enum(['assistant', 'template']),
				template: z.string().optional(),
				problems: z.array(z.string())
			}),
			run: async ({ description, name, template }, signal) => {
				if (host.assistant && !template) {
					try {
						const wf = await host.assistant(description, { signal, ...(name ? { name } : {}) });
						const parsed = parseWorkflow(wf);
						if (parsed.ok) return { workflow: parsed.workflow as unknown as Record<string, unknown>, source: 'assistant' as const, problems: [] };
					} catch (e) {
						if (!(e instanceof EffectError && e.code === 'no_provider')) throw e;
						// no model configured: fall back to a template
					}
				}
				const t = workflowFromTemplate(description, { name, template });
				return { workflow: t.workflow as unknown as Record<string, unknown>, source: 'template' as const, template: t.template, problems: t.problems.map((p) => p.message) };
			}
		})
	];
	return tools as unknown as StudioTool[];
}

function tool<I extends z.ZodType, O extends z.ZodType>(t: StudioTool<I, O>): StudioTool<I, O> {
	return t;
}

function toVectors(out: unknown): number[][] {
	const asVec = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : null);
	if (out && typeof out === 'object' && !Array.isArray(out) && 'vectors' in out) return toVectors((out as { vectors: unknown }).vectors);
	if (out && typeof out === 'object' && !Array.isArray(out) && 'embeddings' in out) return toVectors((out as { embeddings: unknown }).embeddings);
	const single = asVec(out);
	if (single) return [single];
	if (Array.isArray(out)) return out.map((v) => asVec(v) ?? []);
	return [];
}

/** Fills `InstanceInfo` for hosts. */
export type { InstanceInfo };
