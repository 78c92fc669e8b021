/**
 * JSON Schemas for the assistant's structured output, built from the workflow format's own
 * JSON Schema (`buildJsonSchema()`, the same document served at /schema/workflow-v1.json):
 * a draft is `{ summary, workflow }`, an edit is `{ summary, operations }` whose states and
 * effects are the format's `StateNode` and `Effect` definitions.
 */
import { buildJsonSchema } from '../model';

type Schema = Record<string, unknown>;

interface Parts {
	defs: Record<string, Schema>;
	workflow: Schema;
}

function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * The format's schema split into its definitions and the workflow object, with what a model
 * should not write removed (`$schema`, `layout`: positions are computed) and the effect
 * `type` limited to the kinds that exist.
 */
function parts(kinds: string[]): Parts {
	const full = clone(buildJsonSchema());
	const { $defs, $schema: _s, title: _t, ...root } = full as Schema & { $defs: Record<string, Schema> };
	void _s;
	void _t;
	const props = { ...(root.properties as Record<string, Schema>) };
	delete props.$schema;
	delete props.layout;
	const workflow: Schema = { ...root, properties: props };
	const effect = $defs.Effect as Schema & { properties: Record<string, Schema> };
	if (kinds.length) effect.properties.type = { ...effect.properties.type, enum: [...kinds].sort() };
	return { defs: $defs, workflow };
}

/** The schema of a draft reply: a short summary and the whole workflow. */
export function draftSchema(kinds: string[]): Schema {
	const { defs, workflow } = parts(kinds);
	return {
		type: 'object',
		properties: {
			summary: { type: 'string', description: 'Two or three sentences for the user: what the workflow does and anything they must fill in.' },
			workflow: { $ref: '#/$defs/Workflow' }
		},
		required: ['summary', 'workflow'],
		additionalProperties: false,
		$defs: { ...defs, Workflow: workflow }
	};
}

const str = (description: string): Schema => ({ type: 'string', description });
const statePath = str('Path of a state: keys from the top joined by dots, e.g. "review.waiting".');
const trigger = str('An event name, or "always", "onDone", "onError", or "after:<milliseconds>".');

function op(name: string, description: string, properties: Record<string, Schema>, required: string[]): Schema {
	return {
		type: 'object',
		description,
		properties: { op: { type: 'string', const: name }, ...properties },
		required: ['op', ...required],
		additionalProperties: false
	};
}

/** The edit operations a reply may list (the designer's own edits, `src/lib/collab/ops.ts`). */
export function operationSchemas(): Schema[] {
	const effect = { $ref: '#/$defs/Effect' };
	const effects = { type: 'array', items: effect };
	const target = { anyOf: [statePath, { type: 'null' }], description: 'Path of the target state; null for a targetless transition.' };
	return [
		op('addState', 'Adds a state (with its own transitions, effects and children, written as in the format).', { parent: str('Path of the compound or parallel state to add into; "" for the top level.'), key: str('Name of the new state (no dots).'), state: { $ref: '#/$defs/StateNode' } }, ['key']),
		op('removeStates', 'Removes states, their children and the transitions that lead to them.', { paths: { type: 'array', items: statePath } }, ['paths']),
		op('renameState', 'Renames a state; every target pointing at it follows.', { path: statePath, newKey: str('The new name (no dots).') }, ['path', 'newKey']),
		op('moveState', 'Moves a state into another compound or parallel state ("" = top level); targets follow.', { path: statePath, newParent: str('Path of the new parent; "" for the top level.') }, ['path', 'newParent']),
		op(
			'setStateFields',
			'Sets plain fields of a state; null removes a field.',
			{
				path: statePath,
				fields: {
					type: 'object',
					properties: {
						type: { anyOf: [{ type: 'string', enum: ['atomic', 'compound', 'parallel', 'final', 'history'] }, { type: 'null' }] },
						initial: { anyOf: [{ type: 'string' }, { type: 'null' }] },
						invoke: { anyOf: [effect, { type: 'null' }] },
						description: { anyOf: [{ type: 'string' }, { type: 'null' }] },
						output: { anyOf: [{ type: 'string' }, { type: 'null' }] },
						tags: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] },
						id: { anyOf: [{ type: 'string' }, { type: 'null' }] }
					},
					additionalProperties: false
				}
			},
			['path', 'fields']
		),
		op('setEffects', "Replaces a state's entry or exit effects.", { path: statePath, where: { type: 'string', enum: ['entry', 'exit'] }, effects }, ['path', 'where', 'effects']),
		op('addEffect', "Adds an effect to a state's entry or exit, or makes it the state's invoke.", { path: statePath, where: { type: 'string', enum: ['entry', 'exit', 'invoke'] }, effect }, ['path', 'where', 'effect']),
		op('setInitial', 'Makes a state the initial state of its parent (or of the workflow).', { path: statePath }, ['path']),
		op(
			'addTransition',
			'Adds a transition from a state ("" = the workflow itself).',
			{ source: { ...statePath, description: 'Path of the source state; "" for a transition of the whole workflow.' }, event: trigger, target, guard: str('JSONata over { context, event, results }'), effects, description: str('What the transition is for') },
			['source', 'event']
		),
		op(
			'updateTransition',
			'Changes a transition, found by its source, trigger and position among that trigger\'s alternatives (index, default 0).',
			{
				source: statePath,
				event: trigger,
				index: { type: 'integer', minimum: 0 },
				set: {
					type: 'object',
					properties: { event: trigger, target, guard: { anyOf: [{ type: 'string' }, { type: 'null' }] }, effects, description: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
					additionalProperties: false
				}
			},
			['source', 'event', 'set']
		),
		op('removeTransition', 'Removes a transition (by source, trigger and index, default 0).', { source: statePath, event: trigger, index: { type: 'integer', minimum: 0 } }, ['source', 'event']),
		op('setWorkflowField', 'Sets the name, description, initial state, context or budget of the workflow.', { field: { type: 'string', enum: ['name', 'description', 'initial', 'context', 'budget'] }, value: {} }, ['field', 'value'])
	];
}

/** The schema of an edit reply: a summary and the operations, applied in order. */
export function editSchema(kinds: string[]): Schema {
	const { defs } = parts(kinds);
	return {
		type: 'object',
		properties: {
			summary: { type: 'string', description: 'One or two sentences for the user: what the operations change.' },
			operations: { type: 'array', items: { anyOf: operationSchemas() } }
		},
		required: ['summary', 'operations'],
		additionalProperties: false,
		$defs: defs
	};
}

/** The schema of a review reply. */
export function reviewSchema(): Schema {
	return {
		type: 'object',
		properties: {
			summary: { type: 'string', description: 'One or two sentences: the overall verdict.' },
			findings: {
				type: 'array',
				items: {
					type: 'object',
					properties: {
						severity: { type: 'string', enum: ['high', 'medium', 'low'] },
						state: str('Path of the state concerned, if any'),
						title: str('The risk in a few words'),
						detail: str('Why it matters, in one or two sentences'),
						fix: str('An instruction that would fix it, phrased as a request to edit the workflow')
					},
					required: ['severity', 'title', 'detail'],
					additionalProperties: false
				}
			}
		},
		required: ['summary', 'findings'],
		additionalProperties: false
	};
}
