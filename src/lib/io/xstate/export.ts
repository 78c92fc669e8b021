/**
 * XState v5 export: the machine config as JSON, and the same config wrapped in
 * `setup().createMachine` code. The workflow format is XState-shaped, so most fields map one
 * to one; JSONata guards become a `{ type: 'jsonata', params: { expr } }` guard reference
 * and effects become `{ type, params }` action references. What XState has no JSON form for
 * (workflow name, layout, expression outputs, state-level onError) rides in
 * `meta["fsm-studio"]`, so FSM Studio → XState → FSM Studio loses nothing.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import { indexStates, keyOf, stateType } from '../../model/tree';
import { descriptorCovers, descriptorProblem, escapeTargetSegment, eventDescriptors, eventNamesOf, formatTarget, isWildcardDescriptor, parseTarget } from '../../model';
import type { ExportResult, LostItem } from '../types';
import { isRecord, fileBase } from '../util';
import { NS, ORDER, type Json } from './shared';

function effectToAction(e: EffectSpec): Json {
	const { type, ...params } = e;
	return Object.keys(params).length ? { type, params } : { type };
}

/**
 * A target as XState reads it from `source` (a state path, `''` for the machine). The
 * syntax is the same, with two exceptions: from the machine itself XState wants `.a`, not
 * `a`; and XState resolves `.child` by gluing the source's unescaped name in front, so from
 * a state whose name needs escaping it is written from the parent instead (`c\\d.child`).
 */
function xstateTarget(target: string, source: string): string {
	const ref = parseTarget(target);
	if (!ref) return target;
	if (source === '') return ref.kind === 'sibling' ? formatTarget({ kind: 'child', path: ref.path }) : target;
	const key = keyOf(source);
	if (ref.kind === 'child' && (ref.path.length === 0 || escapeTargetSegment(key) !== key)) return formatTarget({ kind: 'sibling', path: [key, ...ref.path] });
	return target;
}

function transitionToXState(config: TransitionConfig, source: string): unknown {
	const target = (t: string | string[]) => (typeof t === 'string' ? xstateTarget(t, source) : t.map((x) => xstateTarget(x, source)));
	const one = (t: TransitionSpec): unknown => {
		const out: Json = {};
		if (t.target !== undefined) out.target = target(t.target);
		if (t.guard !== undefined) out.guard = { type: 'jsonata', params: { expr: t.guard } };
		if (t.effects?.length) out.actions = t.effects.map(effectToAction);
		if (t.reenter !== undefined) out.reenter = t.reenter;
		if (t.description !== undefined) out.description = t.description;
		for (const k of Object.keys(t)) if (!['target', 'guard', 'effects', 'reenter', 'description'].includes(k)) out[k] = (t as Json)[k];
		return out;
	};
	if (typeof config === 'string') return target(config);
	if (Array.isArray(config)) return config.map(one);
	return one(config);
}

/** Event names the workflow itself uses (keys, raised and emitted events): a plain descriptor needs `.*` in XState when one of them continues it. */
type Vocabulary = Set<string> & { timers?: boolean };

function vocabulary(workflow: Workflow): Vocabulary {
	const names: Vocabulary = new Set<string>();
	const effects = (list: unknown) => {
		if (!Array.isArray(list)) return;
		for (const e of list as EffectSpec[]) {
			const ev = isRecord(e) ? e.event : undefined;
			if (typeof ev === 'string') names.add(ev);
			else if (isRecord(ev) && typeof ev.type === 'string') names.add(ev.type);
			if (isRecord(e)) for (const k of Object.keys(e)) if (Array.isArray(e[k]) || isRecord(e[k])) effects(Array.isArray(e[k]) ? e[k] : [e[k]]);
		}
	};
	const transitions = (c: unknown) => {
		for (const t of Array.isArray(c) ? c : [c]) if (isRecord(t)) effects(t.effects);
	};
	const visit = (n: { on?: Record<string, TransitionConfig>; states?: Record<string, StateNodeSpec> } & Partial<StateNodeSpec>) => {
		for (const k of Object.keys(n.on ?? {})) {
			for (const d of eventNamesOf(k)) names.add(d);
			transitions(n.on![k]);
		}
		for (const k of Object.keys(n.after ?? {})) {
			names.timers = true;
			transitions(n.after![k]);
		}
		transitions(n.always);
		transitions(n.onDone);
		transitions(n.onError);
		effects(n.entry);
		effects(n.exit);
		for (const c of Object.values(n.states ?? {})) visit(c);
	};
	visit(workflow as never);
	return names;
}

/**
 * An `on` record as XState reads it. A key of FSM Studio holds descriptors (`"A B"`, `"*"`,
 * `"error"` which also matches `error.x`); XState takes one name per key, matches a plain
 * name exactly and needs `x.*` for a prefix. Each descriptor gets its own key; a plain name
 * becomes `name.*` when it is dotted (`ui.click`: a family of events) or the workflow uses
 * events that continue it. (An undotted name such as `NEXT` stays exact: an event from
 * outside that continues it, `NEXT.x`, which the workflow never names, reaches FSM Studio's
 * `NEXT` but not XState's.) The original keys ride in
 * `keys` (meta), so the import restores them. XState tries exact names first, then the
 * longest wildcard; where FSM Studio's document order says otherwise, that is listed as lost.
 */
function transitionsRecord(rec: Record<string, TransitionConfig>, source: string, vocab: Vocabulary, lost: LostItem[], jsonPath: (string | number)[], keys: Json): Json {
	const out: Json = {};
	const order: string[] = [];
	/** Per XState key, the FSM Studio keys it holds and how many alternatives each gave. */
	const segments = new Map<string, [string, number][]>();
	let merged = false;
	for (const k of Object.keys(rec)) {
		const descriptors = eventDescriptors(k);
		for (const d of descriptors) {
			const name = d === '*' ? '' : d.replace(/\.\*$/, '');
			if (/^(?:done|error|xstate)(?:\.|$)/.test(name)) {
				lost.push({ path: [...jsonPath, k], message: `"${d}" names FSM Studio's own events (done.…, error.…); XState names its own events xstate.done.… and xstate.error.…, so in XState it matches only events sent under that name.` });
			} else if (d === '*' && vocab.timers) {
				lost.push({ path: [...jsonPath, k], message: `In XState "*" also catches the timers of "after" transitions (xstate.after.… events) of this state, the states around it and parallel regions; in FSM Studio a timer only reaches its own state's "after".` });
			}
		}
		const xkeys = descriptors.length === 0 ? [k] : descriptors.map((d) => (isWildcardDescriptor(d) || descriptorProblem(d) !== null || (!d.includes('.') && ![...vocab].some((v) => v.startsWith(d + '.'))) ? d : `${d}.*`));
		for (const x of xkeys) {
			const t = transitionToXState(rec[k], source);
			const count = Array.isArray(t) ? t.length : 1;
			if (Object.hasOwn(out, x)) {
				// Two keys name the same XState event (`err` and `err.*`): their alternatives are tried
				// in order, as FSM Studio tries the two keys; the meta says which came from which.
				out[x] = [...(Array.isArray(out[x]) ? (out[x] as unknown[]) : [out[x]]), ...(Array.isArray(t) ? t : [t])].map((y) => (typeof y === 'string' ? { target: y } : y));
				segments.get(x)!.push([k, count]);
				merged = true;
			} else {
				out[x] = t;
				segments.set(x, [[k, count]]);
			}
			order.push(x);
		}
	}
	for (const [x, seg] of segments) {
		if (seg.length > 1) keys[x] = seg;
		else if (x !== seg[0][0] || isWildcardDescriptor(x)) keys[x] = seg[0][0];
	}
	// Merged keys sit where the first of them was: FSM Studio's order rides along.
	if (merged) keys[ORDER] = Object.keys(rec);
	// XState's order: exact names, then partial wildcards (longest first), then "*".
	const rank = (x: string) => (x === '*' ? 2 : x.endsWith('.*') ? 1 : 0);
	for (let i = 0; i < order.length; i++) {
		for (let j = i + 1; j < order.length; j++) {
			const a = order[i];
			const b = order[j];
			const xstateFirst = rank(b) < rank(a) || (rank(a) === 1 && rank(b) === 1 && b.length > a.length);
			if (xstateFirst && descriptorCovers(a === '*' ? '*' : a.replace(/\.\*$/, ''), b.replace(/\.\*$/, ''))) {
				lost.push({ path: [...jsonPath], message: `In "${source || 'the workflow'}", "${a}" comes before "${b}", which it also matches; XState tries "${b}" first (exact names before wildcards), FSM Studio goes in order.` });
			}
		}
	}
	return out;
}

function stateToXState(node: StateNodeSpec, path: string, vocab: Vocabulary, lost: LostItem[], jsonPath: (string | number)[]): Json {
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
		if (node.onDone !== undefined) inv.onDone = transitionToXState(node.onDone, path);
		if (node.onError !== undefined) inv.onError = transitionToXState(node.onError, path);
		out.invoke = inv;
	} else {
		if (node.onDone !== undefined) out.onDone = transitionToXState(node.onDone, path);
		if (node.onError !== undefined) extra.onError = transitionToXState(node.onError, path);
	}
	if (node.on) {
		const keys: Json = {};
		out.on = transitionsRecord(node.on, path, vocab, lost, [...jsonPath, 'on'], keys);
		if (Object.keys(keys).length) extra.keys = keys;
	}
	if (node.always !== undefined) out.always = transitionToXState(node.always, path);
	if (node.after) {
		const after: Json = {};
		for (const ms of Object.keys(node.after)) after[ms] = transitionToXState(node.after[ms], path);
		out.after = after;
	}
	if (node.output !== undefined) extra.output = node.output;
	if (node.states) {
		const states: Json = {};
		for (const k of Object.keys(node.states)) states[k] = stateToXState(node.states[k], `${path}.${k}`, vocab, lost, [...jsonPath, 'states', k]);
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
const KNOWN_ROOT_KEYS = new Set(['format', 'version', 'id', 'name', 'description', 'type', 'initial', 'context', 'states', 'on', 'layout', 'meta']);

/** The XState v5 machine config (JSON-serialisable) for a workflow. */
export function toXStateConfig(workflow: Workflow, lost: LostItem[] = []): Json {
	const vocab = vocabulary(workflow);
	const out: Json = { id: workflow.id };
	if (workflow.type === 'parallel') out.type = 'parallel';
	else out.initial = workflow.initial;
	if (workflow.description !== undefined) out.description = workflow.description;
	if (workflow.context !== undefined) out.context = workflow.context;
	const extra: Json = { name: workflow.name };
	if (workflow.on) {
		const keys: Json = {};
		out.on = transitionsRecord(workflow.on, '', vocab, lost, ['on'], keys);
		if (Object.keys(keys).length) extra.keys = keys;
	}
	const states: Json = {};
	for (const k of Object.keys(workflow.states)) states[k] = stateToXState(workflow.states[k], k, vocab, lost, ['states', k]);
	out.states = states;
	if (workflow.layout) extra.layout = workflow.layout;
	for (const k of Object.keys(workflow)) if (!KNOWN_ROOT_KEYS.has(k)) extra[k] = (workflow as unknown as Json)[k];
	out.meta = { ...(workflow.meta ?? {}), [NS]: extra };
	return out;
}

/** Exports the XState v5 machine config as JSON. Extras ride in `meta["fsm-studio"]`; what XState would run differently is listed. */
export function exportXStateJson(workflow: Workflow): ExportResult {
	const lost: LostItem[] = [];
	return {
		text: JSON.stringify(toXStateConfig(workflow, lost), null, 2) + '\n',
		lost,
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
	const config = toXStateConfig(workflow, lost);
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
			for (const [key, expr] of Object.entries(params.set)) patch[key] = evaluate(expr, input(context, event));
			return patch;
		})`,
		log: `({ context, event }, params: { message?: string }) => console.log(template(params.message ?? '', input(context, event)))`,
		raise: `raise(({ context, event }, params: { event: string | { type: string } }) => eventOf(params.event, input(context, event)))`,
		emit: `emit(({ context, event }, params: { event: string | { type: string } }) => eventOf(params.event, input(context, event)))`
	};
	// XState ids of states and invokes (explicit, or the machine id and the path) → FSM Studio paths.
	const statePaths: Record<string, string> = {};
	const invokePaths: Record<string, string> = {};
	for (const e of indexStates(workflow).entries) {
		const xid = e.node.id ?? [workflow.id, ...e.path.split('.')].join('.');
		statePaths[xid] = e.path;
		if (e.node.invoke) invokePaths[e.node.invoke.id ?? `0.${xid}`] = e.path;
	}
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
/** Text with {{ expr }} placeholders; exactly one placeholder gives its raw value (as FSM Studio does). */
const render = (text: string, input: unknown): unknown => {
	const one = /^\\{\\{([\\s\\S]*?)\\}\\}$/.exec(text);
	if (one && !one[1].includes('}}')) return evaluate(one[1], input);
	return template(text, input);
};
const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : typeof v === 'number' ? (Number.isFinite(v) ? String(Number(v.toPrecision(15))) : String(v)) : (JSON.stringify(v) ?? ''));
const template = (text: string, input: unknown): string => text.replace(/\\{\\{([\\s\\S]*?)\\}\\}/g, (_, expr: string) => show(evaluate(expr, input)));
const renderValue = (v: unknown, input: unknown): unknown =>
	typeof v === 'string' ? (v.includes('{{') ? render(v, input) : v) : Array.isArray(v) ? v.map((x) => renderValue(x, input)) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderValue(x, input)])) : v;
const eventOf = (e: string | { type: string }, input: unknown): Events =>
	(typeof e === 'string' ? { type: template(e, input) } : renderValue(e, input)) as Events;

/** XState's names for its own events (xstate.init, xstate.after.…), as FSM Studio names them: expressions read event.type. */
const STATE_PATHS: Record<string, string> = ${JSON.stringify(statePaths)};
const INVOKE_PATHS: Record<string, string> = ${JSON.stringify(invokePaths)};
const fsmEvent = (event: Events): Events => {
	const t = event.type;
	let m: RegExpExecArray | null;
	if (t === 'xstate.init') return { ...event, type: 'fsm.init' };
	if ((m = /^xstate\\.after\\.(\\d+(?:\\.\\d+)?)\\.(.*)$/.exec(t)) && Object.hasOwn(STATE_PATHS, m[2])) return { ...event, type: \`after.\${m[1]}.\${STATE_PATHS[m[2]]}\` };
	if ((m = /^xstate\\.done\\.state\\.(.*)$/.exec(t)) && Object.hasOwn(STATE_PATHS, m[1])) return { ...event, type: \`done.state.\${STATE_PATHS[m[1]]}\` };
	if ((m = /^xstate\\.(done|error)\\.actor\\.(.*)$/.exec(t)) && Object.hasOwn(INVOKE_PATHS, m[2])) return { ...event, type: \`\${m[1]}.invoke.\${INVOKE_PATHS[m[2]]}\` };
	return event;
};
const input = (context: unknown, event: Events) => ({ context, event: fsmEvent(event) });

export const config = ${JSON.stringify(config, null, 2).replace(/\n/g, '\n')} as const;

export const machine = setup({
	types: {} as { context: Context; events: Events },
	guards: {
		// Truthy as JSONata's $boolean says (0, "", [] and {} are false), as in FSM Studio.
		jsonata: ({ context, event }, params: { expr: string }) => Boolean(evaluate('$boolean((' + params.expr + '))', input(context, event)))
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
