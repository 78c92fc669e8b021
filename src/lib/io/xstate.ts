/**
 * XState v5: the machine config as JSON, the same config wrapped in `setup().createMachine`
 * code, and import of XState JSON configs. The workflow format is XState-shaped, so most
 * fields map one to one; JSONata guards become a `{ type: 'jsonata', params: { expr } }`
 * guard reference and effects become `{ type, params }` action references. What XState has
 * no JSON form for (workflow name, layout, expression outputs, state-level onError) rides in
 * `meta["fsm-studio"]`, so FSM Studio → XState → FSM Studio loses nothing.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../model/types';
import { indexStates, stateType } from '../model/tree';
import type { ExportResult, ImportResult, LostItem } from './types';
import { checkSize, dict, finish, guarded, ImportFailure, isRecord, own, fileBase, slug } from './util';
import { effectKinds } from '../effects/kinds';
import { LiteralError, readMachineConfig } from './js-literal';

/** Effect kinds FSM Studio runs itself; any other action or actor name needs a handler. */
const KNOWN_KINDS = new Set(Object.keys(effectKinds));

type Json = Record<string, unknown>;
const NS = 'fsm-studio';

function effectToAction(e: EffectSpec): Json {
	const { type, ...params } = e;
	return Object.keys(params).length ? { type, params } : { type };
}

function transitionToXState(config: TransitionConfig): unknown {
	const one = (t: TransitionSpec): unknown => {
		const out: Json = {};
		if (t.target !== undefined) out.target = t.target;
		if (t.guard !== undefined) out.guard = { type: 'jsonata', params: { expr: t.guard } };
		if (t.effects?.length) out.actions = t.effects.map(effectToAction);
		if (t.reenter !== undefined) out.reenter = t.reenter;
		if (t.description !== undefined) out.description = t.description;
		for (const k of Object.keys(t)) if (!['target', 'guard', 'effects', 'reenter', 'description'].includes(k)) out[k] = (t as Json)[k];
		return out;
	};
	if (typeof config === 'string') return config;
	if (Array.isArray(config)) return config.map(one);
	return one(config);
}

function transitionsRecord(rec: Record<string, TransitionConfig>): Json {
	const out: Json = {};
	for (const k of Object.keys(rec)) out[k] = transitionToXState(rec[k]);
	return out;
}

function stateToXState(node: StateNodeSpec): Json {
	const out: Json = {};
	const extra: Json = {};
	if (node.id !== undefined) out.id = node.id;
	if (node.type !== undefined) out.type = node.type;
	if (node.history !== undefined) out.history = node.history;
	if (node.target !== undefined) out.target = node.target;
	if (node.initial !== undefined) out.initial = node.initial;
	if (node.description !== undefined) out.description = node.description;
	if (node.tags !== undefined) out.tags = node.tags;
	if (node.entry?.length) out.entry = node.entry.map(effectToAction);
	if (node.exit?.length) out.exit = node.exit.map(effectToAction);
	if (node.invoke) {
		const { type, id, ...input } = node.invoke;
		const inv: Json = { src: type };
		if (id !== undefined) inv.id = id;
		if (Object.keys(input).length) inv.input = input;
		if (node.onDone !== undefined) inv.onDone = transitionToXState(node.onDone);
		if (node.onError !== undefined) inv.onError = transitionToXState(node.onError);
		out.invoke = inv;
	} else {
		if (node.onDone !== undefined) out.onDone = transitionToXState(node.onDone);
		if (node.onError !== undefined) extra.onError = transitionToXState(node.onError);
	}
	if (node.on) out.on = transitionsRecord(node.on);
	if (node.always !== undefined) out.always = transitionToXState(node.always);
	if (node.after) out.after = transitionsRecord(node.after);
	if (node.output !== undefined) extra.output = node.output;
	if (node.states) {
		const states: Json = {};
		for (const k of Object.keys(node.states)) states[k] = stateToXState(node.states[k]);
		out.states = states;
	}
	for (const k of Object.keys(node)) {
		if (!KNOWN_STATE_KEYS.has(k)) extra[k] = (node as Json)[k];
	}
	const meta: Json = { ...(node.meta ?? {}) };
	if (Object.keys(extra).length) meta[NS] = extra;
	if (Object.keys(meta).length) out.meta = meta;
	return out;
}

const KNOWN_STATE_KEYS = new Set(['id', 'type', 'history', 'target', 'initial', 'states', 'on', 'always', 'after', 'entry', 'exit', 'invoke', 'onDone', 'onError', 'output', 'description', 'tags', 'meta']);
const KNOWN_ROOT_KEYS = new Set(['format', 'version', 'id', 'name', 'description', 'initial', 'context', 'states', 'on', 'layout', 'meta']);

/** The XState v5 machine config (JSON-serialisable) for a workflow. */
export function toXStateConfig(workflow: Workflow): Json {
	const out: Json = { id: workflow.id, initial: workflow.initial };
	if (workflow.description !== undefined) out.description = workflow.description;
	if (workflow.context !== undefined) out.context = workflow.context;
	if (workflow.on) out.on = transitionsRecord(workflow.on);
	const states: Json = {};
	for (const k of Object.keys(workflow.states)) states[k] = stateToXState(workflow.states[k]);
	out.states = states;
	const extra: Json = { name: workflow.name };
	if (workflow.layout) extra.layout = workflow.layout;
	for (const k of Object.keys(workflow)) if (!KNOWN_ROOT_KEYS.has(k)) extra[k] = (workflow as unknown as Json)[k];
	out.meta = { ...(workflow.meta ?? {}), [NS]: extra };
	return out;
}

/** Exports the XState v5 machine config as JSON. Nothing is lost: extras ride in `meta["fsm-studio"]`. */
export function exportXStateJson(workflow: Workflow): ExportResult {
	return {
		text: JSON.stringify(toXStateConfig(workflow), null, 2) + '\n',
		lost: [],
		filename: `${fileBase(workflow)}.xstate.json`,
		mime: 'application/json'
	};
}

/**
 * Exports XState v5 code: `setup({ guards, actions, actors }).createMachine(config)`, with
 * JSONata guards and the built-in effects implemented (assign, log, raise, emit) and a stub
 * per other effect kind for the user to fill in. Needs `xstate` 5 and `jsonata` 1.8.
 */
export function exportXStateCode(workflow: Workflow): ExportResult {
	const lost: LostItem[] = [];
	const config = toXStateConfig(workflow);
	const actionTypes = new Set<string>();
	const actorTypes = new Set<string>();
	for (const e of indexStates(workflow).entries) {
		for (const eff of [...(e.node.entry ?? []), ...(e.node.exit ?? [])]) actionTypes.add(eff.type);
		if (e.node.invoke) actorTypes.add(e.node.invoke.type);
		if (stateType(e.node) === 'final' && e.node.output !== undefined) lost.push({ path: [...e.jsonPath, 'output'], message: `The output expression of "${e.path}" is kept in meta; XState code does not evaluate it.` });
	}
	const visitTransitions = (rec: unknown) => {
		if (!rec) return;
		const list = (Array.isArray(rec) ? rec : [rec]) as unknown[];
		for (const t of list) if (isRecord(t) && Array.isArray(t.effects)) for (const eff of t.effects as EffectSpec[]) actionTypes.add(eff.type);
	};
	const eachConfig = (node: { on?: Record<string, TransitionConfig>; always?: TransitionConfig; after?: Record<string, TransitionConfig>; onDone?: TransitionConfig; onError?: TransitionConfig }) => {
		for (const k of Object.keys(node.on ?? {})) visitTransitions(node.on![k]);
		for (const k of Object.keys(node.after ?? {})) visitTransitions(node.after![k]);
		visitTransitions(node.always);
		visitTransitions(node.onDone);
		visitTransitions(node.onError);
	};
	eachConfig(workflow);
	for (const e of indexStates(workflow).entries) eachConfig(e.node);
	const builtins: Record<string, string> = {
		assign: `assign(({ context, event }, params: { set: Record<string, string> }) => {
			const patch: Record<string, unknown> = {};
			for (const [key, expr] of Object.entries(params.set)) patch[key] = evaluate(expr, { context, event });
			return patch;
		})`,
		log: `({ context, event }, params: { message?: string }) => console.log(template(params.message ?? '', { context, event }))`,
		raise: `raise((_, params: { event: string | { type: string } }) => (typeof params.event === 'string' ? { type: params.event } : params.event) as Events)`,
		emit: `emit((_, params: { event: string | { type: string } }) => (typeof params.event === 'string' ? { type: params.event } : params.event))`
	};
	const actions = [...actionTypes].sort().map((t) =>
		Object.hasOwn(builtins, t)
			? `\t\t${JSON.stringify(t)}: ${builtins[t]},`
			: `\t\t// TODO: implement the "${t}" effect.\n\t\t${JSON.stringify(t)}: (_, params: unknown) => { void params; },`
	);
	const actors = [...actorTypes].sort().map((t) => `\t\t// TODO: implement the "${t}" work; its result is the state's done output.\n\t\t${JSON.stringify(t)}: fromPromise(async ({ input }: { input: unknown }) => { void input; throw new Error('${t.replace(/['\\]/g, '')} is not implemented'); }),`);
	const text = `// XState v5 machine generated by FSM Studio from "${workflow.name.replace(/[\r\n]/g, ' ')}".
// Needs: npm install xstate jsonata@1.8  (JSONata 1.8 evaluates synchronously, as guards must.)
import { setup, assign, raise, emit, fromPromise } from 'xstate';
import jsonata from 'jsonata';

type Context = ${contextType(workflow.context)};
type Events = { type: string; [key: string]: unknown };

const evaluate = (expr: string, input: unknown): unknown => jsonata(expr).evaluate(input);
const template = (text: string, input: unknown): string =>
	text.replace(/\\{\\{([\\s\\S]*?)\\}\\}/g, (_, expr: string) => String(evaluate(expr, input) ?? ''));

export const config = ${JSON.stringify(config, null, 2).replace(/\n/g, '\n')} as const;

export const machine = setup({
	types: {} as { context: Context; events: Events },
	guards: {
		jsonata: ({ context, event }, params: { expr: string }) => Boolean(evaluate(params.expr, { context, event }))
	},
	actions: {
${actions.join('\n')}
	},
	actors: {
${actors.join('\n')}
	}
}).createMachine(config as never);
`;
	return { text, lost, filename: `${fileBase(workflow)}.machine.ts`, mime: 'text/typescript' };
}

function contextType(ctx: Record<string, unknown> | undefined): string {
	if (!ctx || Object.keys(ctx).length === 0) return 'Record<string, unknown>';
	const t = (v: unknown): string => (v === null ? 'unknown' : Array.isArray(v) ? 'unknown[]' : typeof v === 'object' ? 'Record<string, unknown>' : typeof v);
	return `{ ${Object.keys(ctx).map((k) => `${JSON.stringify(k)}: ${t(ctx[k])};`).join(' ')} [key: string]: unknown }`;
}

// ---------------------------------------------------------------------------------------
// Import

/**
 * Imports XState code (`createMachine({ … })` in JS or TS): the config is read as data,
 * never run; functions, variables and other code are reported and left out.
 */
export function importXStateCode(source: string): ImportResult {
	return guarded('XState code', () => {
		const errs = checkSize(source, 'XState code');
		if (errs.length) return { ok: false, errors: errs };
		let value: unknown;
		try {
			value = readMachineConfig(source);
		} catch (e) {
			if (e instanceof LiteralError) return { ok: false, errors: [{ line: e.line, message: `Line ${e.line}: ${e.message}.` }] };
			throw e;
		}
		if (!isRecord(value)) return { ok: false, errors: [{ message: 'createMachine( … ) is not given an object literal, so there is no config to read.' }] };
		const lost: LostItem[] = [];
		const data = withoutCode(value, [], lost);
		return finish(fromXStateConfig(data as Json, lost), lost, 'XState code');
	});
}

/** Drops code (functions, variables, calls) from a config read from source, reporting each. */
function withoutCode(v: unknown, path: (string | number)[], lost: LostItem[]): unknown {
	const isCode = (x: unknown): x is { $code: string } => isRecord(x) && typeof x.$code === 'string' && Object.keys(x).length === 1;
	if (Array.isArray(v)) {
		const out: unknown[] = [];
		v.forEach((x, i) => {
			if (isCode(x)) lost.push({ path: [...path, i], message: `"${x.$code}" is code, not data; it was not imported.` });
			else out.push(withoutCode(x, [...path, i], lost));
		});
		return out;
	}
	if (isRecord(v)) {
		const out = dict<unknown>();
		for (const k of Object.keys(v)) {
			const x = v[k];
			if (isCode(x)) lost.push({ path: k.startsWith('...') ? path : [...path, k], message: `${k.startsWith('...') ? '' : `"${k}": `}"${x.$code}" is code, not data; it was not imported.` });
			else if (x !== undefined) out[k] = withoutCode(x, [...path, k], lost);
		}
		return out;
	}
	return v;
}

/** Imports an XState v5 machine config, given as JSON text or an already parsed object. */
export function importXState(input: string | unknown): ImportResult {
	return guarded('XState config', () => {
		let value: unknown = input;
		if (typeof input === 'string') {
			const errs = checkSize(input, 'XState config');
			if (errs.length) return { ok: false, errors: errs };
			try {
				value = JSON.parse(input);
			} catch (e) {
				return { ok: false, errors: [{ message: `The XState config is not valid JSON: ${(e as Error).message}.` }] };
			}
		}
		if (!isRecord(value)) return { ok: false, errors: [{ path: [], message: 'An XState machine config must be a JSON object with "states".' }] };
		const lost: LostItem[] = [];
		return finish(fromXStateConfig(value, lost), lost, 'XState config');
	});
}

function fromXStateConfig(cfg: Json, lost: LostItem[]): Workflow {
	if (!isRecord(own(cfg, 'states'))) throw new ImportFailure([{ path: ['states'], message: 'The XState config has no "states" object, so there is nothing to import.' }]);
	const metaAll = isRecord(own(cfg, 'meta')) ? { ...(cfg.meta as Json) } : {};
	const extra = isRecord(own(metaAll, NS)) ? (metaAll[NS] as Json) : {};
	delete metaAll[NS];
	const id = typeof own(cfg, 'id') === 'string' && cfg.id ? (cfg.id as string) : 'xstate-machine';
	const wf: Json = {
		format: 'fsm-studio/workflow',
		version: 1,
		id,
		name: typeof extra.name === 'string' ? extra.name : id
	};
	if (typeof own(cfg, 'description') === 'string') wf.description = cfg.description;
	if (own(cfg, 'type') === 'parallel') {
		// A parallel root: wrap it, since a workflow's root is compound.
		const root = convertState({ ...cfg, id: undefined, meta: undefined, context: undefined, description: undefined }, ['$root'], lost);
		wf.states = { main: root };
		wf.initial = 'main';
		lost.push({ path: ['type'], message: 'The machine is parallel at the top; its regions were put inside a state named "main".' });
	} else {
		const states = dict<unknown>();
		const src = cfg.states as Json;
		for (const k of Object.keys(src)) states[k] = convertState(src[k], ['states', k], lost);
		wf.states = states;
		const keys = Object.keys(states);
		if (typeof own(cfg, 'initial') === 'string') wf.initial = cfg.initial;
		else if (keys.length) {
			wf.initial = keys[0];
			lost.push({ path: ['initial'], message: `The machine has no "initial" state; "${keys[0]}" was taken as the start.` });
		}
	}
	if (own(cfg, 'context') !== undefined) {
		if (isRecord(cfg.context)) wf.context = cfg.context;
		else lost.push({ path: ['context'], message: 'The context is not a JSON object (in XState it may be a function); it was not imported.' });
	}
	if (own(cfg, 'on') !== undefined) wf.on = convertTransitionRecord(cfg.on, ['on'], lost, false);
	for (const k of ['always', 'after', 'entry', 'exit', 'invoke']) {
		if (own(cfg, k) !== undefined) lost.push({ path: [k], message: `"${k}" on the machine itself is not supported; put it on a state.` });
	}
	if (isRecord(extra.layout)) wf.layout = extra.layout;
	for (const k of Object.keys(extra)) if (k !== 'name' && k !== 'layout') wf[k] = extra[k];
	if (Object.keys(metaAll).length) wf.meta = metaAll;
	for (const k of Object.keys(cfg)) {
		if (!['id', 'initial', 'context', 'states', 'on', 'description', 'meta', 'type', 'always', 'after', 'entry', 'exit', 'invoke'].includes(k)) {
			lost.push({ path: [k], message: `The machine field "${k}" has no equivalent in FSM Studio and was not imported.` });
		}
	}
	return wf as unknown as Workflow;
}

function convertState(raw: unknown, path: (string | number)[], lost: LostItem[], depth = 0): StateNodeSpec {
	if (depth > 100) throw new ImportFailure([{ path, message: 'States are nested more than 100 deep.' }]);
	if (!isRecord(raw)) {
		lost.push({ path, message: `"${path[path.length - 1]}" is not a state object; it was imported as an empty state.` });
		return {};
	}
	const out: Json = {};
	const meta = isRecord(own(raw, 'meta')) ? { ...(raw.meta as Json) } : undefined;
	const extra = meta && isRecord(own(meta, NS)) ? (meta[NS] as Json) : {};
	if (meta) delete meta[NS];
	for (const k of Object.keys(raw)) {
		const v = raw[k];
		const p = [...path, k];
		switch (k) {
			case 'id':
			case 'type':
			case 'history':
			case 'target':
			case 'initial':
			case 'description':
				out[k] = v;
				break;
			case 'tags':
				out.tags = typeof v === 'string' ? [v] : v;
				break;
			case 'states': {
				if (!isRecord(v)) {
					lost.push({ path: p, message: 'The "states" field is not an object; it was not imported.' });
					break;
				}
				const states = dict<unknown>();
				for (const c of Object.keys(v)) states[c] = convertState(v[c], [...p, c], lost, depth + 1);
				out.states = states;
				break;
			}
			case 'on':
				out.on = convertTransitionRecord(v, p, lost, false);
				break;
			case 'after':
				out.after = convertTransitionRecord(v, p, lost, true);
				break;
			case 'always':
			case 'onDone':
				out[k] = convertTransitions(v, p, lost);
				break;
			case 'entry':
			case 'exit':
				out[k] = convertActions(v, p, lost);
				break;
			case 'invoke': {
				const list = Array.isArray(v) ? v : [v];
				if (list.length > 1) lost.push({ path: p, message: `The state invokes ${list.length} things; only the first was imported.` });
				const inv = list[0];
				if (!isRecord(inv)) {
					lost.push({ path: p, message: 'The invoke is not an object; it was not imported.' });
					break;
				}
				if (typeof inv.src !== 'string') {
					lost.push({ path: [...p, 'src'], message: 'The invoke has no named "src" (inline actors cannot be stored as JSON); it was not imported.' });
					break;
				}
				if (!KNOWN_KINDS.has(inv.src)) lost.push({ path: [...p, 'src'], message: `The invoked actor "${inv.src}" is code in XState; it was imported as a "${inv.src}" effect, which runs only once you give it a handler.` });
				const eff: Json = { type: inv.src };
				if (typeof inv.id === 'string') eff.id = inv.id;
				if (isRecord(inv.input)) Object.assign(eff, inv.input);
				else if (inv.input !== undefined) eff.input = inv.input;
				out.invoke = eff;
				if (inv.onDone !== undefined) {
					if (own(raw, 'onDone') !== undefined) lost.push({ path: [...p, 'onDone'], message: 'Both the state and its invoke have "onDone"; the invoke\'s was not imported.' });
					else out.onDone = convertTransitions(inv.onDone, [...p, 'onDone'], lost);
				}
				if (inv.onError !== undefined) out.onError = convertTransitions(inv.onError, [...p, 'onError'], lost);
				for (const ik of Object.keys(inv)) {
					if (!['src', 'id', 'input', 'onDone', 'onError'].includes(ik)) lost.push({ path: [...p, ik], message: `The invoke field "${ik}" has no equivalent and was not imported.` });
				}
				break;
			}
			case 'output':
				out.output = JSON.stringify(v);
				break;
			case 'meta':
				break;
			default:
				lost.push({ path: p, message: `The state field "${k}" has no equivalent in FSM Studio and was not imported.` });
		}
	}
	if (typeof extra.output === 'string') out.output = extra.output;
	if (extra.onError !== undefined) out.onError = convertTransitions(extra.onError, [...path, 'meta', NS, 'onError'], lost);
	for (const k of Object.keys(extra)) if (k !== 'output' && k !== 'onError') out[k] = extra[k];
	if (meta && Object.keys(meta).length) out.meta = meta;
	return out as StateNodeSpec;
}

function convertTransitionRecord(v: unknown, path: (string | number)[], lost: LostItem[], delays: boolean): Record<string, TransitionConfig> | undefined {
	if (!isRecord(v)) {
		lost.push({ path, message: `"${path[path.length - 1]}" is not an object of transitions; it was not imported.` });
		return undefined;
	}
	const out = dict<TransitionConfig>();
	for (const k of Object.keys(v)) {
		if (delays && !/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(k)) {
			lost.push({ path: [...path, k], message: `The delay "${k}" is named, not a number of milliseconds; the delayed transition was not imported.` });
			continue;
		}
		if (!delays && (k === '*' || k.endsWith('.*'))) {
			lost.push({ path: [...path, k], message: `Wildcard events ("${k}") are not supported; those transitions were not imported.` });
			continue;
		}
		const t = convertTransitions(v[k], [...path, k], lost);
		if (t !== undefined) out[k] = t;
	}
	return out;
}

function convertTransitions(v: unknown, path: (string | number)[], lost: LostItem[]): TransitionConfig | undefined {
	if (typeof v === 'string') return v;
	if (v === undefined || v === null) return [];
	const list = Array.isArray(v) ? v : [v];
	const out: TransitionSpec[] = [];
	list.forEach((t, i) => {
		const p = Array.isArray(v) ? [...path, i] : path;
		if (typeof t === 'string') {
			out.push({ target: t });
			return;
		}
		if (!isRecord(t)) {
			lost.push({ path: p, message: 'A transition is neither a target nor an object; it was not imported.' });
			return;
		}
		const spec: Json = {};
		for (const k of Object.keys(t)) {
			const x = t[k];
			switch (k) {
				case 'target':
					if (typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string'))) spec.target = x;
					else lost.push({ path: [...p, k], message: 'The target is not a state name; it was not imported.' });
					break;
				case 'guard':
				case 'cond': {
					const g = isRecord(x) && x.type === 'jsonata' && isRecord(x.params) && typeof x.params.expr === 'string' ? x.params.expr : undefined;
					if (g !== undefined) spec.guard = g;
					else {
						const name = typeof x === 'string' ? x : isRecord(x) && typeof x.type === 'string' ? x.type : 'inline function';
						lost.push({ path: [...p, k], message: `The guard "${name}" is code in XState, not an expression; the transition was imported without it — write it as a JSONata guard.` });
					}
					break;
				}
				case 'actions':
					spec.effects = convertActions(x, [...p, k], lost);
					break;
				case 'reenter':
					spec.reenter = x;
					break;
				case 'internal':
					spec.reenter = x === false;
					break;
				case 'description':
					spec.description = x;
					break;
				default:
					lost.push({ path: [...p, k], message: `The transition field "${k}" has no equivalent and was not imported.` });
			}
		}
		out.push(spec as TransitionSpec);
	});
	return !Array.isArray(v) && out.length === 1 ? out[0] : out;
}

function convertActions(v: unknown, path: (string | number)[], lost: LostItem[]): EffectSpec[] {
	const list = Array.isArray(v) ? v : [v];
	const out: EffectSpec[] = [];
	list.forEach((a, i) => {
		const p = Array.isArray(v) ? [...path, i] : path;
		const name = typeof a === 'string' ? a : isRecord(a) && typeof a.type === 'string' ? a.type : '';
		if (name && !KNOWN_KINDS.has(name)) lost.push({ path: p, message: `The action "${name}" is code in XState; it was imported as a "${name}" effect, which runs only once you give it a handler.` });
		if (typeof a === 'string' && a) out.push({ type: a });
		else if (isRecord(a) && typeof a.type === 'string' && a.type) {
			const eff: Json = { type: a.type };
			if (isRecord(a.params)) for (const k of Object.keys(a.params)) if (k !== 'type') eff[k] = a.params[k];
			for (const k of Object.keys(a)) if (k !== 'type' && k !== 'params') eff[k] = a[k];
			out.push(eff as EffectSpec);
		} else lost.push({ path: p, message: 'An action is neither a name nor an object with a "type" (inline functions cannot be stored as JSON); it was not imported.' });
	});
	return out;
}
