/**
 * Components: reusable sub-workflows, inserted as one compound state with parameters.
 *
 * A component is data (`format: "fsm-studio/component"`): a compound state whose strings may
 * hold parameter placeholders `${name}` (a placeholder that is the whole string gives the
 * value itself, so `"${maxFailures}"` becomes the number 3; `${model.provider}` reads a field
 * of a model choice and drops the field when it is empty), the context keys it needs, and
 * positions of its children. `${key}` is the name the state gets where it is inserted, so two
 * copies keep their context apart. Nothing in a component is ever run as code: placeholders
 * are replaced as text, expressions stay JSONata.
 *
 * Inserting is one transaction through the designer's edit operations (one undo step);
 * the state remembers `meta.component` (id, version, values) so its parameters can be changed
 * later, and any compound state can be saved as a component of one's own (`extractComponent`).
 */
import * as Y from 'yjs';
import { z } from 'zod';
import type { LayoutEntry, StateNodeSpec, Workflow } from '../model/types';
import { stateAt, stateType } from '../model/tree';
import { LOCAL, containerOf, readWorkflow, rootMap, stateMapAt, statesMapAt } from '../collab/binding';
import { EditError, addState, setEffects, setLayout, setStateFields, setWorkflowField, uniqueKey } from '../collab/ops';
import { BUILTIN_COMPONENTS } from './builtins';

export const COMPONENT_FORMAT = 'fsm-studio/component';

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?)\}/g;
const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?)\}$/;
const DROP = Symbol('drop');

const Param = z.object({
	id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'Parameter names are letters, digits and _ (starting with a letter)'),
	label: z.string().min(1),
	type: z.enum(['number', 'text', 'url', 'model', 'knowledgeBase', 'boolean']),
	default: z.unknown(),
	description: z.string().optional(),
	min: z.number().optional(),
	max: z.number().optional(),
	step: z.number().optional()
});

const ComponentSchema = z.object({
	format: z.literal(COMPONENT_FORMAT),
	version: z.literal(1),
	id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
	componentVersion: z.string().regex(/^\d+\.\d+\.\d+$/).default('1.0.0'),
	name: z.string().min(1),
	description: z.string().default(''),
	category: z.string().default('Mine'),
	/** The default name of the state it becomes. */
	key: z.string().regex(/^[^.#\s$][^.#]*$/),
	params: z.array(Param).default([]),
	state: z.record(z.string(), z.unknown()),
	/** Context keys the component needs (placeholders allowed in keys and values). */
	context: z.record(z.string(), z.unknown()).default({}),
	/** Positions of its children, relative to it (paths without the component's own key). */
	layout: z.record(z.string(), z.object({ x: z.number(), y: z.number(), width: z.number().optional(), height: z.number().optional() })).default({}),
	size: z.object({ width: z.number().positive(), height: z.number().positive() }).optional()
});

export type ComponentParam = z.infer<typeof Param>;
export type ComponentDef = z.output<typeof ComponentSchema>;

export type ReadComponent = { ok: true; component: ComponentDef } | { ok: false; errors: string[] };

/** Reads and checks a component (from a file, the store, or a bundled definition). */
export function readComponent(input: unknown): ReadComponent {
	const r = ComponentSchema.safeParse(input);
	if (!r.success) return { ok: false, errors: r.error.issues.map((i) => `${i.path.join('.') || 'component'}: ${i.message}`) };
	const c = r.data;
	const known = new Set(['key', ...c.params.map((p) => p.id)]);
	const unknown = new Set<string>();
	walkStrings(c, (s) => {
		for (const m of s.matchAll(PLACEHOLDER)) if (!known.has(m[1].split('.')[0])) unknown.add(m[1]);
		return s;
	});
	if (unknown.size) return { ok: false, errors: [`Placeholders without a parameter: ${[...unknown].map((u) => '${' + u + '}').join(', ')}`] };
	return { ok: true, component: c };
}

/** The bundled components: Security, Timer, AI step, RAG, Multi-agent. */
export const builtinComponents: ComponentDef[] = BUILTIN_COMPONENTS.map((c) => {
	const r = readComponent(c);
	if (!r.ok) throw new Error(`A bundled component is broken: ${r.errors.join('; ')}`);
	return r.component;
});


function walkStrings(v: unknown, fn: (s: string) => unknown): unknown {
	if (typeof v === 'string') return fn(v);
	if (Array.isArray(v)) return v.map((x) => walkStrings(x, fn)).filter((x) => x !== DROP);
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) {
			const key = fn(k);
			const val = walkStrings(x, fn);
			if (val === DROP || key === DROP) continue;
			out[typeof key === 'string' ? key : String(key)] = val;
		}
		return out;
	}
	return v;
}

function lookup(values: Record<string, unknown>, name: string): unknown {
	const [head, field] = name.split('.');
	const v = values[head];
	if (field === undefined) return v;
	return v && typeof v === 'object' ? (v as Record<string, unknown>)[field] : undefined;
}

/** Replaces the placeholders of `v` with values (whole-string ones keep the value's type). */
export function fillPlaceholders<T>(v: T, values: Record<string, unknown>): T {
	return walkStrings(v, (s) => {
		const whole = WHOLE.exec(s);
		if (whole) {
			const x = lookup(values, whole[1]);
			if (x === undefined || x === '') return whole[1].includes('.') ? DROP : '';
			return x;
		}
		return s.replace(PLACEHOLDER, (_, name: string) => {
			const x = lookup(values, name);
			return x === undefined || x === null ? '' : typeof x === 'object' ? JSON.stringify(x) : String(x);
		});
	}) as T;
}

/** Parameter values before the user changes anything. */
export function defaultComponentValues(c: ComponentDef): Record<string, unknown> {
	return Object.fromEntries(c.params.map((p) => [p.id, structuredClone(p.default)]));
}

/** Why a value cannot be used, or null. */
export function componentParamProblem(p: ComponentParam, value: unknown): string | null {
	if (p.type === 'number') {
		if (typeof value !== 'number' || !Number.isFinite(value)) return `${p.label} must be a number.`;
		if (p.min !== undefined && value < p.min) return `${p.label} must be at least ${p.min}.`;
		if (p.max !== undefined && value > p.max) return `${p.label} must be at most ${p.max}.`;
	} else if (p.type === 'boolean') {
		if (typeof value !== 'boolean') return `${p.label} must be on or off.`;
	} else if (p.type === 'model') {
		if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) return `${p.label}: choose a provider and model (or leave both empty).`;
	} else if (typeof value !== 'string' || !value.trim()) return `${p.label} cannot be empty.`;
	else if (p.type === 'url' && !/^https?:\/\/\S+$/.test(value.trim())) return `${p.label} must be an address starting with http:// or https://.`;
	return null;
}

/** Every problem of a set of values, by parameter. */
export function componentProblems(c: ComponentDef, values: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const p of c.params) {
		const problem = componentParamProblem(p, p.id in values ? values[p.id] : p.default);
		if (problem) out[p.id] = problem;
	}
	return out;
}

/** What inserting a component produces, before it touches a document. */
export interface ComponentInstance {
	key: string;
	spec: StateNodeSpec;
	/** Children's positions relative to the new state, keyed by paths starting with `key`. */
	layout: Record<string, LayoutEntry>;
	size?: { width: number; height: number };
	context: Record<string, unknown>;
}

/** The state a component becomes with these values, named `key`. */
export function instantiateComponent(c: ComponentDef, values: Record<string, unknown> = {}, key = c.key): ComponentInstance {
	const problems = componentProblems(c, values);
	const first = Object.values(problems)[0];
	if (first) throw new EditError(first);
	const all: Record<string, unknown> = { ...defaultComponentValues(c), ...values, key };
	// a value may itself name the state (a default prompt reading `context.${key}_input`)
	const spec = fillPlaceholders(fillPlaceholders(structuredClone(c.state), all), { key }) as StateNodeSpec;
	const used = Object.fromEntries(c.params.map((p) => [p.id, all[p.id]]));
	spec.meta = { ...(spec.meta ?? {}), component: { id: c.id, version: c.componentVersion, values: used } };
	const layout: Record<string, LayoutEntry> = {};
	for (const [p, e] of Object.entries(c.layout)) layout[`${key}.${p}`] = { ...e } as LayoutEntry;
	return { key, spec, layout, ...(c.size ? { size: c.size } : {}), context: fillPlaceholders(structuredClone(c.context), all) };
}

function addContext(doc: Y.Doc, add: Record<string, unknown>) {
	if (!Object.keys(add).length) return;
	const ctx = (rootMap(doc).get('context') as Record<string, unknown> | undefined) ?? {};
	const merged = { ...ctx };
	for (const [k, v] of Object.entries(add)) if (!(k in merged)) merged[k] = v;
	setWorkflowField(doc, 'context', merged);
}

/**
 * Inserts a component into the document under `parent` ('' = top level) as one transaction
 * (one undo step, one update for peers). Returns the new state's path.
 */
export function insertComponent(doc: Y.Doc, c: ComponentDef, values: Record<string, unknown>, opts: { parent?: string; position?: { x: number; y: number }; origin?: unknown } = {}): string {
	const parent = opts.parent ?? '';
	const siblings = statesMapAt(doc, parent);
	if (!siblings) throw new EditError(`There is no state "${parent}" to insert into.`);
	if (parent) {
		const t = stateType(stateAt(readWorkflow(doc), parent)!);
		if (t !== 'compound' && t !== 'parallel') throw new EditError('A component goes into a compound or parallel state, or at the top level.');
	}
	const key = uniqueKey(c.key, siblings.keys());
	const inst = instantiateComponent(c, values, key);
	let path = '';
	doc.transact(() => {
		addContext(doc, inst.context);
		path = addState(doc, { parent, key, spec: inst.spec, position: opts.position ?? { x: 0, y: 0 }, ...(inst.size ? { size: inst.size } : {}) });
		const rel: Record<string, LayoutEntry> = {};
		for (const [p, e] of Object.entries(inst.layout)) rel[parent ? `${parent}.${p}` : p] = e;
		setLayout(doc, rel);
		// the first state of an empty workflow is where it starts
		if (!parent && !rootMap(doc).get('initial')) rootMap(doc).set('initial', key);
	}, opts.origin ?? LOCAL);
	return path;
}

/** The component a state was inserted from, and its values, when it was. */
export function componentOf(wf: Workflow, path: string): { id: string; version: string; values: Record<string, unknown> } | undefined {
	const m = stateAt(wf, path)?.meta?.component as { id?: unknown; version?: unknown; values?: unknown } | undefined;
	if (!m || typeof m.id !== 'string') return undefined;
	return { id: m.id, version: typeof m.version === 'string' ? m.version : '1.0.0', values: m.values && typeof m.values === 'object' ? (m.values as Record<string, unknown>) : {} };
}

/**
 * Rebuilds a component state with new values (one transaction): its children and own fields
 * come from the component again; transitions the user added to the state itself are kept.
 */
export function updateComponent(doc: Y.Doc, path: string, c: ComponentDef, values: Record<string, unknown>, origin: unknown = LOCAL): void {
	const m = stateMapAt(doc, path);
	if (!m) throw new EditError(`There is no state "${path}".`);
	const key = path.slice(path.lastIndexOf('.') + 1);
	const inst = instantiateComponent(c, values, key);
	doc.transact(() => {
		addContext(doc, inst.context);
		const children = containerOf<Y.Map<unknown>>(m, 'states');
		for (const k of [...children.keys()]) children.delete(k);
		const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
		for (const [k, child] of Object.entries(inst.spec.states ?? {})) addState(doc, { parent: path, key: k, spec: child });
		setStateFields(doc, path, { initial: inst.spec.initial, description: inst.spec.description, meta: inst.spec.meta, invoke: inst.spec.invoke } as never);
		// its own timers and effects are the component's; events the user added stay
		const after = containerOf<Y.Map<unknown>>(m, 'after');
		for (const k of [...after.keys()]) after.delete(k);
		for (const [k, v] of Object.entries(inst.spec.after ?? {})) after.set(k, JSON.parse(JSON.stringify(v)));
		const on = containerOf<Y.Map<unknown>>(m, 'on');
		for (const [k, v] of Object.entries(inst.spec.on ?? {})) on.set(k, JSON.parse(JSON.stringify(v)));
		setEffects(doc, path, 'entry', inst.spec.entry ?? []);
		setEffects(doc, path, 'exit', inst.spec.exit ?? []);
		const rel: Record<string, LayoutEntry> = {};
		for (const [p, e] of Object.entries(inst.layout)) rel[parent ? `${parent}.${p}` : p] = e;
		setLayout(doc, rel);
	}, origin);
}

// ------------------------------------------------------------------ saving a state as a component

/** A value inside a state that can become a parameter. */
export interface Candidate {
	/** Stable id within the state (its JSON path, and the number's position in an expression). */
	id: string;
	path: (string | number)[];
	/** Where it is, in words: `checking › invoke › url`. */
	where: string;
	value: string | number | boolean;
	/** A number inside an expression or a delay key (replaced as text), or a whole value. */
	kind: 'value' | 'in-expression' | 'delay';
	/** The expression, for `in-expression`, and the number's offset in it. */
	expression?: string;
	offset?: number;
}

const EXPRESSION_FIELDS = new Set(['guard', 'output']);
const SKIP_FIELDS = new Set(['type', 'id', 'initial', 'target', 'history', 'meta', 'description']);
const TRANSITION_FIELDS = new Set(['always', 'onDone', 'onError']);

/** The values of a state a user may turn into parameters: effect fields, numbers in guards, delays. */
export function parameterCandidates(spec: StateNodeSpec): Candidate[] {
	const out: Candidate[] = [];
	const visit = (v: unknown, path: (string | number)[], parentKey: string | number | undefined) => {
		if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
			if (typeof parentKey === 'string' && SKIP_FIELDS.has(parentKey)) return;
			// a transition written as its target, or a list of targets: names of states, not values
			const up = path[path.length - 2];
			if (typeof v === 'string' && (up === 'on' || up === 'after' || TRANSITION_FIELDS.has(String(parentKey)) || path.includes('target'))) return;
			if (typeof v === 'string' && (EXPRESSION_FIELDS.has(String(parentKey)) || path.includes('set'))) {
				for (const m of v.matchAll(/(?<![\w.$'"])\d+(?:\.\d+)?(?![\w'"])/g)) {
					out.push({ id: `${JSON.stringify(path)}@${m.index}`, path, where: path.join(' › '), value: Number(m[0]), kind: 'in-expression', expression: v, offset: m.index! });
				}
				return;
			}
			if (typeof v === 'string' && !v.trim()) return;
			out.push({ id: JSON.stringify(path), path, where: path.join(' › '), value: v, kind: 'value' });
			return;
		}
		if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...path, i], i));
		else if (v && typeof v === 'object')
			for (const [k, x] of Object.entries(v)) {
				if (parentKey === 'after' && /^\d+(\.\d+)?$/.test(k)) out.push({ id: JSON.stringify([...path, k]) + '#key', path: [...path, k], where: [...path, k].join(' › '), value: Number(k), kind: 'delay' });
				if (k === 'states' || typeof x === 'object' || !SKIP_FIELDS.has(k)) visit(x, [...path, k], k);
			}
	};
	visit(spec, [], undefined);
	return out;
}

export interface Exposed {
	candidate: Candidate;
	param: ComponentParam;
}

function setIn(obj: unknown, path: (string | number)[], fn: (v: unknown) => unknown) {
	let o = obj as Record<string | number, unknown>;
	for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
	const last = path[path.length - 1];
	o[last] = fn(o[last]);
}

/**
 * A component of one's own from a compound (or parallel) state of a workflow: the chosen
 * values become parameters (their current values the defaults); context keys the state reads
 * come along with their current values.
 */
export function extractComponent(wf: Workflow, path: string, info: { id: string; name: string; description?: string }, exposed: Exposed[]): ReadComponent {
	const source = stateAt(wf, path);
	if (!source) return { ok: false, errors: [`There is no state "${path}".`] };
	const t = stateType(source);
	if (t !== 'compound' && t !== 'parallel') return { ok: false, errors: ['Only a compound or parallel state can be saved as a component: it holds the steps.'] };
	const ids = exposed.map((e) => e.param.id);
	if (new Set(ids).size !== ids.length) return { ok: false, errors: ['Two parameters have the same name.'] };
	const spec = structuredClone(source) as StateNodeSpec;
	delete spec.id;
	if (spec.meta) delete (spec.meta as Record<string, unknown>).component;
	// text replacements inside an expression go from the last offset to the first
	const inExpr = exposed.filter((e) => e.candidate.kind === 'in-expression').sort((a, b) => (b.candidate.offset ?? 0) - (a.candidate.offset ?? 0));
	for (const e of inExpr) {
		setIn(spec, e.candidate.path, (v) => {
			const s = String(v);
			const at = e.candidate.offset!;
			const len = String(e.candidate.value).length;
			return s.slice(0, at) + '${' + e.param.id + '}' + s.slice(at + len);
		});
	}
	for (const e of exposed) {
		if (e.candidate.kind === 'value') setIn(spec, e.candidate.path, () => '${' + e.param.id + '}');
		else if (e.candidate.kind === 'delay') {
			const parentPath = e.candidate.path.slice(0, -1);
			const k = String(e.candidate.path[e.candidate.path.length - 1]);
			setIn(spec, parentPath, (after) => {
				const a = after as Record<string, unknown>;
				const out: Record<string, unknown> = {};
				for (const [kk, vv] of Object.entries(a)) out[kk === k ? '${' + e.param.id + '}' : kk] = vv;
				return out;
			});
		}
	}
	const text = JSON.stringify(spec);
	const context: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(wf.context ?? {})) if (new RegExp(`context\\.${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(text)) context[k] = v;
	const layout: Record<string, LayoutEntry> = {};
	for (const [p, e] of Object.entries(wf.layout ?? {})) if (p.startsWith(path + '.')) layout[p.slice(path.length + 1)] = e;
	const own = wf.layout?.[path];
	return readComponent({
		format: COMPONENT_FORMAT,
		version: 1,
		id: info.id,
		componentVersion: '1.0.0',
		name: info.name,
		description: info.description ?? '',
		category: 'Mine',
		key: path.slice(path.lastIndexOf('.') + 1).replace(/^[\s$]+/, '') || 'component',
		params: exposed.map((e) => ({ ...e.param, default: e.candidate.value })),
		state: spec,
		context,
		layout,
		...(own?.width && own?.height ? { size: { width: own.width, height: own.height } } : {})
	});
}
