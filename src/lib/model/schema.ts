/**
 * The zod schema of workflow format v1 — the single source of the JSON Schema in
 * `static/schema/workflow-v1.json` (see `scripts/generate-json-schema.ts`).
 *
 * Loading is tolerant, as in Excalidraw: every object keeps the fields it does not know
 * (`looseObject`), so files written by plugins or newer minor editions survive a round
 * trip. What is checked here is shape; references (targets, initial states, ids) are
 * checked in `references.ts`, because a schema cannot see across the tree.
 */
import { z } from 'zod';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from './types';

/** A state name: used in paths (`a.b`) and targets (`.child`, `#id`), so `.` and a leading `#` are reserved. */
export const STATE_KEY_PATTERN = /^(?!#)[^.]+$/;
/** A delay in milliseconds, written as a JSON object key: a non-negative decimal number. */
export const DELAY_KEY_PATTERN = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

const expr = z.string().meta({ description: 'A JSONata expression, evaluated against { context, event, results }.' });

export const EffectSchema = z
	.looseObject({
		type: z.string().min(1).meta({ description: 'Effect kind: assign, log, raise, send, cancel, emit, delay, http, call_llm, retry, …' }),
		id: z.string().optional().meta({ description: 'Optional stable id for telemetry, timeline and breakpoints.' })
	})
	.meta({
		id: 'Effect',
		title: 'Effect',
		description: 'One effect. `type` selects the handler; every other field is a parameter of that kind.'
	});

const targetSchema = z
	.union([z.string(), z.array(z.string())])
	.meta({ description: 'Sibling key, `.child` of the source, or `#explicitId`; several for parallel regions.' });

export const TransitionSpecSchema = z
	.looseObject({
		target: targetSchema.optional(),
		guard: expr.optional(),
		effects: z.array(EffectSchema).optional(),
		reenter: z.boolean().optional(),
		description: z.string().optional()
	})
	.meta({ id: 'Transition', title: 'Transition', description: 'A transition written in full; without target it is targetless.' });

export const TransitionConfigSchema = z
	.union([z.string(), TransitionSpecSchema, z.array(TransitionSpecSchema)], {
		error: () => 'must be a target state (text), a transition object, or a list of transition objects'
	})
	.meta({
		id: 'TransitionConfig',
		description: 'A target string, a transition object, or an ordered array of guarded alternatives.'
	});

const stateKey = z.string().regex(STATE_KEY_PATTERN, {
	error: 'a state name must not be empty, contain "." or start with "#"'
});
/** An `on` key: one or more event descriptors separated by whitespace (`OPEN`, `error.*`, `*`, `CANCEL ABORT`). */
export const EVENT_KEY_PATTERN = /\S/;
const eventKey = z
	.string()
	.regex(EVENT_KEY_PATTERN, { error: 'an event name must not be empty' })
	.meta({ description: 'Event descriptors separated by spaces: a name (also matching `name.<anything>`), `name.*`, or `*` for any event.' });
const delayKey = z.string().regex(DELAY_KEY_PATTERN, {
	error: 'a delay must be a non-negative number of milliseconds, such as "5000"'
});

export const StateTypeSchema = z.enum(['atomic', 'compound', 'parallel', 'final', 'history']);

// The type annotation breaks the inference cycle of the recursive getter.
export const StateNodeSchema: z.ZodType<import('./types').StateNodeSpec> = z
	.looseObject({
		id: z.string().min(1).optional().meta({ description: 'Explicit id, so targets can say `#id`.' }),
		type: StateTypeSchema.optional().meta({
			description: 'Inferred when omitted: `compound` with `states`, else `atomic`.'
		}),
		history: z.enum(['shallow', 'deep']).optional(),
		target: z.string().optional().meta({ description: 'History states: where to go when there is no history yet.' }),
		initial: z.string().optional().meta({ description: 'Compound states: the key of the initial child.' }),
		get states() {
			return z.record(stateKey, StateNodeSchema).optional();
		},
		on: z.record(eventKey, TransitionConfigSchema).optional(),
		always: TransitionConfigSchema.optional(),
		after: z.record(delayKey, TransitionConfigSchema).optional(),
		entry: z.array(EffectSchema).optional(),
		exit: z.array(EffectSchema).optional(),
		invoke: EffectSchema.optional(),
		onDone: TransitionConfigSchema.optional(),
		onError: TransitionConfigSchema.optional(),
		output: expr.optional(),
		description: z.string().optional(),
		tags: z.array(z.string()).optional(),
		meta: z.record(z.string(), z.unknown()).optional()
	})
	.meta({ id: 'StateNode', title: 'State' });

export const LayoutEntrySchema = z.looseObject({
	x: z.number(),
	y: z.number(),
	width: z.number().nonnegative().optional(),
	height: z.number().nonnegative().optional()
});

/** The workflow document as stored, after migration to the current version. */
export const WorkflowSchema = z
	.looseObject({
		format: z.literal(WORKFLOW_FORMAT),
		version: z.literal(WORKFLOW_VERSION),
		id: z.string().min(1),
		name: z.string(),
		description: z.string().optional(),
		type: z.enum(['compound', 'parallel']).optional().meta({
			description: '`parallel`: every top-level state is a region, all active at once (no `initial`). Omitted or `compound`: one top-level state at a time.'
		}),
		initial: z.string().min(1).optional().meta({ description: 'Key of the initial top-level state (required unless `type` is `parallel`).' }),
		context: z.record(z.string(), z.unknown()).optional(),
		on: z.record(eventKey, TransitionConfigSchema).optional().meta({
			description: 'Transitions that apply in every state.'
		}),
		states: z.record(stateKey, StateNodeSchema),
		budget: z
			.object({
				maxCostUsd: z.number().nonnegative().optional().meta({ description: 'Most a run may spend on model calls, in US dollars.' }),
				maxTokens: z.number().int().nonnegative().optional().meta({ description: 'Most tokens (input + output) a run may use.' })
			})
			.optional()
			.meta({ description: 'Limits of one run: a model call that could exceed them fails before it is sent.' }),
		meta: z.record(z.string(), z.unknown()).optional(),
		layout: z
			.record(z.string(), LayoutEntrySchema)
			.optional()
			.meta({ description: 'Positions keyed by state path (`parent.child`); never part of the semantics.' })
	})
	.meta({
		title: 'FSM Studio workflow',
		description: 'A workflow modelled as a statechart (format v1). See docs/format.md.'
	});
