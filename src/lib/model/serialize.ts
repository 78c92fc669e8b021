/**
 * The canonical JSON form of a workflow: fixed key order, states in document order,
 * layout last, two-space indentation and a final newline — so that files diff well and
 * saving twice writes the same bytes. Unknown fields are kept, after the known ones.
 */
import type { Workflow } from './types';

type Json = unknown;
type Obj = Record<string, unknown>;

const isRecord = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Own data property, even for a key like `__proto__` (which plain assignment would treat as the prototype). */
function put(out: Obj, key: string, value: unknown) {
	if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
	else out[key] = value;
}

const WORKFLOW_KEYS = ['$schema', 'format', 'version', 'id', 'name', 'description', 'type', 'initial', 'context', 'on', 'states', 'budget', 'meta'];
const STATE_KEYS = [
	'type',
	'id',
	'description',
	'tags',
	'initial',
	'history',
	'target',
	'entry',
	'exit',
	'invoke',
	'onDone',
	'onError',
	'on',
	'always',
	'after',
	'output',
	'meta'
];
const TRANSITION_KEYS = ['target', 'guard', 'reenter', 'effects', 'description'];
const EFFECT_KEYS = ['type', 'id'];
const LAYOUT_KEYS = ['x', 'y', 'width', 'height'];

/** Known keys in the given order, then the others in their original order, then `last`. */
function ordered(obj: Obj, known: readonly string[], map: (key: string, v: unknown) => unknown, last?: string): Obj {
	const out: Obj = {};
	const take = (k: string) => {
		if (Object.hasOwn(obj, k) && obj[k] !== undefined) put(out, k, map(k, obj[k]));
	};
	for (const k of known) take(k);
	for (const k of Object.keys(obj)) if (!known.includes(k) && k !== last) take(k);
	if (last) take(last);
	return out;
}

function mapRecord(rec: unknown, f: (v: unknown) => unknown): unknown {
	if (!isRecord(rec)) return rec;
	const out: Obj = {};
	for (const k of Object.keys(rec)) if (rec[k] !== undefined) put(out, k, f(rec[k]));
	return out;
}

function effect(e: unknown): unknown {
	return isRecord(e) ? ordered(e, EFFECT_KEYS, (_k, v) => v) : e;
}

function effects(list: unknown): unknown {
	return Array.isArray(list) ? list.map(effect) : list;
}

function transitionSpec(t: unknown): unknown {
	return isRecord(t) ? ordered(t, TRANSITION_KEYS, (k, v) => (k === 'effects' ? effects(v) : v)) : t;
}

function transition(config: unknown): unknown {
	if (Array.isArray(config)) return config.map(transitionSpec);
	return transitionSpec(config);
}

function state(node: unknown): unknown {
	if (!isRecord(node)) return node;
	return ordered(
		node,
		STATE_KEYS,
		(k, v) => {
			switch (k) {
				case 'entry':
				case 'exit':
					return effects(v);
				case 'invoke':
					return effect(v);
				case 'onDone':
				case 'onError':
				case 'always':
					return transition(v);
				case 'on':
				case 'after':
					return mapRecord(v, transition);
				case 'states':
					return mapRecord(v, state);
				default:
					return v;
			}
		},
		// Children last, so a state's own behaviour reads before its sub-states.
		'states'
	);
}

function layout(rec: unknown): unknown {
	if (!isRecord(rec)) return rec;
	const out: Obj = {};
	// Sorted: the same positions always produce the same bytes, whatever the edit history.
	for (const k of Object.keys(rec).sort()) {
		const v = rec[k];
		if (v !== undefined) put(out, k, isRecord(v) ? ordered(v, LAYOUT_KEYS, (_k, x) => x) : v);
	}
	return out;
}

/** The workflow as a plain object in canonical key order (what `serializeWorkflow` prints). */
export function canonicalWorkflow(workflow: Workflow): Json {
	return ordered(
		workflow as unknown as Obj,
		WORKFLOW_KEYS,
		(k, v) => {
			switch (k) {
				case 'on':
					return mapRecord(v, transition);
				case 'states':
					return mapRecord(v, state);
				case 'layout':
					return layout(v);
				default:
					return v;
			}
		},
		'layout'
	);
}

/** Canonical JSON text of a workflow: stable key order, 2-space indentation, trailing newline. */
export function serializeWorkflow(workflow: Workflow): string {
	return JSON.stringify(canonicalWorkflow(workflow), null, 2) + '\n';
}
