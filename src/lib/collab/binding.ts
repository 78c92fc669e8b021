/**
 * Y.Doc ⇄ Workflow binding.
 *
 * The document lives in one root Y.Map (`workflow`). Everything that two people may edit
 * at the same time is a nested shared type, so concurrent edits merge instead of one
 * overwriting the other:
 *
 *   workflow (Y.Map)
 *     states  Y.Map<key, StateMap>      layout Y.Map<path, LayoutEntry>     on Y.Map<event, TransitionConfig>
 *     name, description, initial, context, id, format, version, meta: plain JSON values
 *   StateMap (Y.Map)
 *     states  Y.Map<key, StateMap>      on / after  Y.Map<key, TransitionConfig>
 *     entry / exit  Y.Array<EffectSpec>  every other field: plain JSON value
 *
 * Containers (`on`, `after`, `entry`, `exit`, child `states`) are always created with the
 * state, so two peers adding the first event to a state never race to create the map.
 * Empty containers are dropped again when the workflow is read.
 */
import * as Y from 'yjs';
import type { StateNodeSpec, Workflow } from '../model/types';

export const ROOT = 'workflow';
/** Origin of edits made by this user in this tab; the undo manager tracks only these. */
export const LOCAL = { local: true } as const;

export type StateMap = Y.Map<unknown>;

const STATE_KEY_ORDER = [
	'id', 'type', 'history', 'target', 'description', 'initial', 'entry', 'invoke', 'exit',
	'on', 'always', 'after', 'onDone', 'onError', 'output', 'tags', 'meta', 'states'
];
const WORKFLOW_KEY_ORDER = [
	'format', 'version', 'id', 'name', 'description', 'initial', 'context', 'states', 'on', 'layout', 'meta'
];

/** The root map of a workflow document. */
export function rootMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(ROOT);
}

/** True once the doc holds a workflow (format written). */
export function hasWorkflow(doc: Y.Doc): boolean {
	return rootMap(doc).has('format');
}

function clone<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function jsonMap(obj: Record<string, unknown> | undefined): Y.Map<unknown> {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(obj ?? {})) m.set(k, clone(v));
	return m;
}

function jsonArray(arr: unknown[] | undefined): Y.Array<unknown> {
	const a = new Y.Array<unknown>();
	if (arr && arr.length) a.push(arr.map(clone));
	return a;
}

/** Builds the shared-type form of one state (not yet attached to a doc). */
export function stateToY(spec: StateNodeSpec): StateMap {
	const m = new Y.Map<unknown>();
	for (const [k, v] of Object.entries(spec)) {
		if (v === undefined) continue;
		if (k === 'states' || k === 'on' || k === 'after' || k === 'entry' || k === 'exit') continue;
		m.set(k, clone(v));
	}
	const children = new Y.Map<unknown>();
	for (const [key, child] of Object.entries(spec.states ?? {})) children.set(key, stateToY(child));
	m.set('states', children);
	m.set('on', jsonMap(spec.on));
	m.set('after', jsonMap(spec.after as Record<string, unknown> | undefined));
	m.set('entry', jsonArray(spec.entry));
	m.set('exit', jsonArray(spec.exit));
	// A compound state with no children yet must say so, or it would read back as atomic.
	if (spec.states && isEmpty(spec.states) && !spec.type) m.set('type', 'compound');
	return m;
}

/** Reads one state back to plain JSON, in a stable key order, empty containers dropped. */
export function stateFromY(m: StateMap): StateNodeSpec {
	const raw = m.toJSON() as Record<string, unknown>;
	return normaliseState(raw);
}

function isEmpty(v: unknown): boolean {
	if (Array.isArray(v)) return v.length === 0;
	if (v && typeof v === 'object') return Object.keys(v).length === 0;
	return false;
}

function normaliseState(raw: Record<string, unknown>): StateNodeSpec {
	const out: Record<string, unknown> = {};
	const type = raw.type as string | undefined;
	const keys = [...STATE_KEY_ORDER, ...Object.keys(raw).filter((k) => !STATE_KEY_ORDER.includes(k)).sort()];
	for (const k of keys) {
		if (!(k in raw) || raw[k] === undefined) continue;
		let v = raw[k];
		if (k === 'states') {
			const children = v as Record<string, Record<string, unknown>>;
			if (isEmpty(children) && type !== 'compound' && type !== 'parallel') continue;
			const o: Record<string, StateNodeSpec> = {};
			for (const [ck, cv] of Object.entries(children)) o[ck] = normaliseState(cv);
			v = o;
		} else if ((k === 'on' || k === 'after' || k === 'entry' || k === 'exit') && isEmpty(v)) continue;
		out[k] = v;
	}
	return out as StateNodeSpec;
}

/** Replaces the whole content of the doc with a workflow (one transaction). */
export function writeWorkflow(doc: Y.Doc, wf: Workflow, origin: unknown = LOCAL): void {
	const root = rootMap(doc);
	doc.transact(() => {
		for (const k of [...root.keys()]) root.delete(k);
		for (const [k, v] of Object.entries(wf)) {
			if (v === undefined || k === 'states' || k === 'layout' || k === 'on') continue;
			root.set(k, clone(v));
		}
		const states = new Y.Map<unknown>();
		for (const [key, s] of Object.entries(wf.states ?? {})) states.set(key, stateToY(s));
		root.set('states', states);
		root.set('on', jsonMap(wf.on));
		root.set('layout', jsonMap(wf.layout as Record<string, unknown> | undefined));
	}, origin);
}

/** Reads the workflow held by the doc, with a stable key order (diffs well). */
export function readWorkflow(doc: Y.Doc): Workflow {
	const raw = rootMap(doc).toJSON() as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	const keys = [...WORKFLOW_KEY_ORDER, ...Object.keys(raw).filter((k) => !WORKFLOW_KEY_ORDER.includes(k)).sort()];
	for (const k of keys) {
		if (!(k in raw) || raw[k] === undefined) continue;
		let v = raw[k];
		if (k === 'states') {
			const o: Record<string, StateNodeSpec> = {};
			for (const [sk, sv] of Object.entries(v as Record<string, Record<string, unknown>>)) o[sk] = normaliseState(sv);
			v = o;
		} else if ((k === 'on' || k === 'layout') && isEmpty(v)) continue;
		out[k] = v;
	}
	if (!out.states) out.states = {};
	return out as unknown as Workflow;
}

/** The Y.Map of the states that are children of `parentPath` ('' = top level). */
export function statesMapAt(doc: Y.Doc, parentPath: string): Y.Map<StateMap> | undefined {
	let states = rootMap(doc).get('states') as Y.Map<StateMap> | undefined;
	if (!parentPath) return states;
	for (const key of parentPath.split('.')) {
		const s = states?.get(key);
		if (!s) return undefined;
		states = s.get('states') as Y.Map<StateMap> | undefined;
		if (!states) {
			states = new Y.Map<StateMap>();
			s.set('states', states);
		}
	}
	return states;
}

/** The Y.Map of one state, by its path. */
export function stateMapAt(doc: Y.Doc, path: string): StateMap | undefined {
	const i = path.lastIndexOf('.');
	const parent = i < 0 ? '' : path.slice(0, i);
	const key = i < 0 ? path : path.slice(i + 1);
	return statesMapAt(doc, parent)?.get(key);
}

/** A child container of a state (created if a document from elsewhere lacks it). */
export function containerOf<T = unknown>(m: StateMap, key: 'on' | 'after' | 'entry' | 'exit' | 'states'): T {
	let c = m.get(key);
	if (!(c instanceof Y.AbstractType)) {
		const plain = c;
		c = key === 'entry' || key === 'exit' ? jsonArray(plain as unknown[] | undefined) : key === 'states' ? new Y.Map() : jsonMap(plain as Record<string, unknown> | undefined);
		m.set(key, c);
	}
	return c as unknown as T;
}
