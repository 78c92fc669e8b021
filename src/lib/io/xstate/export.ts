/**
 * XState v5 export: the machine config as JSON, and the same config wrapped in
 * `setup().createMachine` code. The workflow format is XState-shaped, so most fields map one
 * to one; JSONata guards become a `{ type: 'jsonata', params: { expr } }` guard reference
 * and effects become `{ type, params }` action references. What XState has no JSON form for
 * (workflow name, layout, expression outputs, state-level onError) rides in
 * `meta["fsm-studio"]`, so FSM Studio → XState → FSM Studio loses nothing.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import { indexStates, stateType } from '../../model/tree';
import type { ExportResult, LostItem } from '../types';
import { isRecord, fileBase } from '../util';
import { NS, type Json } from './shared';

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
