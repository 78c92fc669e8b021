/**
 * Edit operations proposed by the assistant, applied with the designer's own edits
 * (`src/lib/collab/ops.ts`) in one Yjs transaction: one undo step, one update for the other
 * people in the room. Operations are validated before anything is touched, tried on a copy of
 * the document first (so a failing one leaves the real document as it was), and states they
 * add are given positions.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import type { EffectSpec, StateNodeSpec, TransitionSpec, Workflow } from '../model/types';
import { listTransitions, stateAt, stateType } from '../model/tree';
import { LOCAL, readWorkflow, stateMapAt, statesMapAt, writeWorkflow } from '../collab/binding';
import {
	EditError, addEffect, addState, addTransition, invalidKey, moveState, removeStates, removeTransitions, renameState,
	setEffects, setInitial, setLayout, setStateFields, setWorkflowField, updateTransition, type TransitionPatch
} from '../collab/ops';
import { layoutMissing } from './layout';
import { plainJson } from './json';

const effect = z.object({ type: z.string().min(1) }).loose();
const statePath = z.string();
const trigger = z.string().min(1);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** One edit operation (see `operationSchemas()` in schema.ts for what the model is told). */
export const EditOpSchema = z.discriminatedUnion('op', [
	z.object({ op: z.literal('addState'), parent: z.string().optional(), key: z.string(), state: z.record(z.string(), z.unknown()).optional() }),
	z.object({ op: z.literal('removeStates'), paths: z.array(statePath).min(1) }),
	z.object({ op: z.literal('renameState'), path: statePath, newKey: z.string() }),
	z.object({ op: z.literal('moveState'), path: statePath, newParent: z.string() }),
	z.object({
		op: z.literal('setStateFields'),
		path: statePath,
		fields: z
			.object({
				type: nullable(z.enum(['atomic', 'compound', 'parallel', 'final', 'history'])),
				initial: nullable(z.string()),
				invoke: nullable(effect),
				description: nullable(z.string()),
				output: nullable(z.string()),
				tags: nullable(z.array(z.string())),
				id: nullable(z.string())
			})
			.strict()
	}),
	z.object({ op: z.literal('setEffects'), path: statePath, where: z.enum(['entry', 'exit']), effects: z.array(effect) }),
	z.object({ op: z.literal('addEffect'), path: statePath, where: z.enum(['entry', 'exit', 'invoke']), effect }),
	z.object({ op: z.literal('setInitial'), path: statePath }),
	z.object({
		op: z.literal('addTransition'),
		source: z.string(),
		event: trigger,
		target: nullable(z.string()),
		guard: z.string().optional(),
		effects: z.array(effect).optional(),
		description: z.string().optional()
	}),
	z.object({
		op: z.literal('updateTransition'),
		source: z.string(),
		event: trigger,
		index: z.number().int().min(0).optional(),
		set: z
			.object({ event: trigger.optional(), target: nullable(z.string()), guard: nullable(z.string()), effects: z.array(effect).optional(), description: nullable(z.string()) })
			.strict()
	}),
	z.object({ op: z.literal('removeTransition'), source: z.string(), event: trigger, index: z.number().int().min(0).optional() }),
	z.object({ op: z.literal('setWorkflowField'), field: z.enum(['name', 'description', 'initial', 'context', 'budget']), value: z.unknown() })
]);

export type EditOp = z.infer<typeof EditOpSchema>;

export type ReadOps = { ok: true; ops: EditOp[] } | { ok: false; errors: string[] };

/** Validates a list of operations from a model (plain JSON, known shapes). */
export function readOps(value: unknown): ReadOps {
	const plain = plainJson(value);
	if (!plain.ok) return { ok: false, errors: [plain.message] };
	if (!Array.isArray(plain.value)) return { ok: false, errors: ['"operations" must be a list.'] };
	const ops: EditOp[] = [];
	const errors: string[] = [];
	plain.value.forEach((raw, i) => {
		const r = EditOpSchema.safeParse(raw);
		if (r.success) ops.push(r.data);
		else {
			const name = raw && typeof raw === 'object' && typeof (raw as { op?: unknown }).op === 'string' ? (raw as { op: string }).op : '?';
			errors.push(`Operation ${i + 1} (${name}): ${r.error.issues.map((x) => `${x.path.join('.') || 'op'} — ${x.message}`).join('; ')}`);
		}
	});
	return errors.length ? { ok: false, errors } : { ok: true, ops };
}

const TRIGGERS = new Set(['always', 'onDone', 'onError']);
/** `on:<event>`, `after:<ms>`, `always`, `onDone`, `onError` from what a model wrote. */
export function triggerOf(event: string): string {
	if (TRIGGERS.has(event) || event.startsWith('after:')) return event;
	if (event.startsWith('on:')) return event;
	return `on:${event}`;
}

function requireState(doc: Y.Doc, path: string, what = 'state'): void {
	if (!path) throw new EditError(`The ${what} needs a path.`);
	if (!stateMapAt(doc, path)) throw new EditError(`There is no state "${path}".`);
}

function requireSource(doc: Y.Doc, path: string): void {
	if (path !== '') requireState(doc, path, 'source state');
}

function transitionId(doc: Y.Doc, source: string, event: string, index = 0): string {
	requireSource(doc, source);
	const trig = triggerOf(event);
	const id = `${source}|${trig}|${index}`;
	const wf = readWorkflow(doc);
	if (!listTransitions(wf).some((t) => t.id === id)) {
		const here = listTransitions(wf).filter((t) => t.source === source).map((t) => `${t.trigger.replace(/^on:/, '')}${t.index ? `[${t.index}]` : ''}`);
		throw new EditError(`State "${source || '(workflow)'}" has no transition for "${event}"${index ? ` at index ${index}` : ''}${here.length ? `; it has: ${here.join(', ')}` : ''}.`);
	}
	return id;
}

const clean = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** Applies one operation to the document (inside the caller's transaction). */
function applyOne(doc: Y.Doc, op: EditOp): void {
	switch (op.op) {
		case 'addState': {
			const parent = op.parent ?? '';
			const problem = invalidKey(op.key);
			if (problem) throw new EditError(problem);
			if (parent) {
				requireState(doc, parent, 'parent state');
				const t = stateType(stateAt(readWorkflow(doc), parent)!);
				if (t === 'final' || t === 'history') throw new EditError(`"${parent}" is a ${t} state; states cannot go inside it.`);
			}
			if (statesMapAt(doc, parent)?.has(op.key)) throw new EditError(`There is already a state "${parent ? `${parent}.` : ''}${op.key}".`);
			addState(doc, { parent, key: op.key, spec: (op.state ?? {}) as StateNodeSpec });
			return;
		}
		case 'removeStates':
			for (const p of op.paths) requireState(doc, p);
			removeStates(doc, op.paths);
			return;
		case 'renameState':
			requireState(doc, op.path);
			renameState(doc, op.path, op.newKey);
			return;
		case 'moveState':
			requireState(doc, op.path);
			if (op.newParent) requireState(doc, op.newParent, 'new parent');
			moveState(doc, op.path, op.newParent);
			return;
		case 'setStateFields': {
			requireState(doc, op.path);
			const patch: Record<string, unknown> = {};
			for (const [k, v] of Object.entries(op.fields)) patch[k] = clean(v);
			setStateFields(doc, op.path, patch as Parameters<typeof setStateFields>[2]);
			return;
		}
		case 'setEffects':
			requireState(doc, op.path);
			setEffects(doc, op.path, op.where, op.effects as EffectSpec[]);
			return;
		case 'addEffect':
			requireState(doc, op.path);
			addEffect(doc, op.path, op.where, op.effect as EffectSpec);
			return;
		case 'setInitial':
			requireState(doc, op.path);
			setInitial(doc, op.path);
			return;
		case 'addTransition': {
			requireSource(doc, op.source);
			const target = clean(op.target) ?? null;
			if (target !== null) requireState(doc, target, 'target state');
			const extra: Partial<TransitionSpec> = {};
			if (op.guard) extra.guard = op.guard;
			if (op.effects?.length) extra.effects = op.effects as EffectSpec[];
			if (op.description) extra.description = op.description;
			addTransition(doc, op.source, target, op.event.replace(/^on:/, ''), extra);
			return;
		}
		case 'updateTransition': {
			const id = transitionId(doc, op.source, op.event, op.index);
			const patch: TransitionPatch = {};
			if (op.set.event !== undefined) patch.event = op.set.event.replace(/^on:/, '');
			if (op.set.target !== undefined) {
				if (op.set.target !== null) requireState(doc, op.set.target, 'target state');
				patch.target = op.set.target;
			}
			if ('guard' in op.set) patch.guard = clean(op.set.guard) ?? '';
			if ('description' in op.set) patch.description = clean(op.set.description) ?? '';
			if (op.set.effects !== undefined) patch.effects = op.set.effects as EffectSpec[];
			updateTransition(doc, id, patch);
			return;
		}
		case 'removeTransition':
			removeTransitions(doc, [transitionId(doc, op.source, op.event, op.index)]);
			return;
		case 'setWorkflowField': {
			if (op.field === 'initial' && (typeof op.value !== 'string' || !stateAt(readWorkflow(doc), op.value))) throw new EditError(`The initial state must be an existing top-level state, not ${JSON.stringify(op.value)}.`);
			if ((op.field === 'context' || op.field === 'budget') && op.value !== null && (typeof op.value !== 'object' || Array.isArray(op.value))) throw new EditError(`The ${op.field} must be an object.`);
			if ((op.field === 'name' || op.field === 'description') && typeof op.value !== 'string') throw new EditError(`The ${op.field} must be text.`);
			// `budget` is a top-level field like the others; setWorkflowField writes any of them
			setWorkflowField(doc, op.field as 'context', op.value === null ? undefined : op.value);
			return;
		}
	}
}

export type ApplyResult = { ok: true; workflow: Workflow } | { ok: false; index: number; message: string };

/** Human words for an operation, for the preview list. */
export function describeOp(op: EditOp): string {
	switch (op.op) {
		case 'addState':
			return `Add state ${op.parent ? `${op.parent}.` : ''}${op.key}`;
		case 'removeStates':
			return `Remove ${op.paths.join(', ')}`;
		case 'renameState':
			return `Rename ${op.path} to ${op.newKey}`;
		case 'moveState':
			return `Move ${op.path} into ${op.newParent || 'the top level'}`;
		case 'setStateFields':
			return `Change ${Object.keys(op.fields).join(', ')} of ${op.path}`;
		case 'setEffects':
			return `Set the ${op.where} effects of ${op.path}`;
		case 'addEffect':
			return `Add ${op.effect.type} to the ${op.where} of ${op.path}`;
		case 'setInitial':
			return `Start ${op.path.includes('.') ? 'its parent' : 'the workflow'} in ${op.path}`;
		case 'addTransition':
			return `Add transition ${op.source || '(workflow)'} —${op.event}→ ${op.target ?? '(stays)'}`;
		case 'updateTransition':
			return `Change transition ${op.source || '(workflow)'} —${op.event}${op.index ? `[${op.index}]` : ''}`;
		case 'removeTransition':
			return `Remove transition ${op.source || '(workflow)'} —${op.event}${op.index ? `[${op.index}]` : ''}`;
		case 'setWorkflowField':
			return `Set the workflow's ${op.field}`;
	}
}

function applyAll(doc: Y.Doc, ops: EditOp[], origin: unknown): ApplyResult {
	let failed: { index: number; message: string } | undefined;
	doc.transact(() => {
		for (let i = 0; i < ops.length; i++) {
			try {
				applyOne(doc, ops[i]);
			} catch (e) {
				failed = { index: i, message: e instanceof EditError ? e.message : `it could not be applied (${(e as Error).message})` };
				return;
			}
		}
		const placed = layoutMissing(readWorkflow(doc));
		if (Object.keys(placed).length) setLayout(doc, placed);
	}, origin);
	if (failed) return { ok: false, ...failed };
	return { ok: true, workflow: readWorkflow(doc) };
}

/** A scratch copy of a document (same content, no history, no providers). */
export function scratchCopy(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc({ gc: true });
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** A scratch document holding `wf`. */
export function scratchDoc(wf: Workflow): Y.Doc {
	const d = new Y.Doc({ gc: true });
	writeWorkflow(d, wf);
	return d;
}

/** What the operations would make of the document, without touching it. */
export function previewOps(source: Y.Doc | Workflow, ops: EditOp[]): ApplyResult {
	const copy = source instanceof Y.Doc ? scratchCopy(source) : scratchDoc(source);
	try {
		return applyAll(copy, ops, LOCAL);
	} finally {
		copy.destroy();
	}
}

/**
 * Applies the operations to the document as one transaction with the given origin (LOCAL:
 * the user's own undo step). They are tried on a copy first, so a failure changes nothing.
 */
export function applyOps(doc: Y.Doc, ops: EditOp[], origin: unknown = LOCAL): ApplyResult {
	const trial = previewOps(doc, ops);
	if (!trial.ok) return trial;
	return applyAll(doc, ops, origin);
}
