/** Shared by the io tests: random valid workflows, a manual clock, a semantic normal form. */
import fc from 'fast-check';
import { escapeTargetSegment, idTarget, parseWorkflow } from '../../src/lib/model';
import { indexStates, normalizeTransitions, resolveTarget, stateType, targetsOf } from '../../src/lib/model/tree';
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../src/lib/model/types';
import { compile } from '../../src/lib/engine';

/** Deterministic PRNG (mulberry32), seeded by fast-check. */
function prng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (n: number) => Math.floor(next() * n),
		chance: (p: number) => next() < p,
		pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]
	};
}

const EVENTS = ['A', 'B', 'C', 'D'] as const;
const GUARDS = ['context.n > 1', 'context.flag', '$not(context.flag)', 'event.x = 1', 'context.n % 2 = 0'];
const ASSIGNS: Record<string, string>[] = [{ n: 'context.n + 1' }, { flag: '$not(context.flag)' }, { n: 'context.n * 2', flag: 'context.n > 2' }, { last: 'event.type' }, { total: 'context.n + 10', flag: 'true' }];

function randomEffect(r: ReturnType<typeof prng>, allowRaise: boolean): EffectSpec {
	const k = r.int(allowRaise ? 5 : 4);
	if (k === 0 || k === 1) return { type: 'assign', set: { ...r.pick(ASSIGNS) } };
	if (k === 2) return { type: 'log', message: r.pick(['n is {{ context.n }}', 'hello', 'flag {{ context.flag }} after {{ event.type }}']) };
	if (k === 3) return { type: 'emit', event: r.pick(['OUT', 'PING']) };
	return { type: 'raise', event: r.pick(['C', 'D']) };
}

/**
 * A random workflow that parses and compiles: nested compound and parallel states, finals,
 * history, guarded alternatives, targets written as sibling keys, `.child` and `#id`, delays,
 * eventless transitions, onDone, root transitions, and built-in effects.
 */
const AWKWARD_KEYS = ['a "b"', 'c\\d', 'x*/y', 'ünï', 'with space', 'has:colon', 'semi;colon', 'hash#in', '<tag>', '&amp;', 'end', 'state', 'note', '[*]', '--', '{brace}', 'as', "it's", '%%', 'direction', 'émoji 🎉'];
const AWKWARD_EVENTS = ['EVT "1"', 'a:b', 'done', 'x.y', '*/', 'Ω', 'with space', 'always', 'after(5)', 'on(x)', 'a / b', 'g [h]', 'onDone', '<e>', 'x&y', '#5;'];

/** Event descriptors (`*`, prefixes, lists) and the dotted names they match. */
export const DESCRIPTOR_KEYS = ['*', 'err', 'err.*', 'err.net', 'ui.*', 'ui.click', 'A B', 'B C.*', 'C'] as const;
/** Events to send to a workflow with descriptors: names, and names that continue them. */
export const DESCRIPTOR_EVENTS = ['A', 'B', 'C', 'err', 'err.net', 'err.net.down', 'err.disk', 'ui', 'ui.click', 'ui.click.left', 'ui.key', 'C.x', 'Z'] as const;

export interface RandomOptions {
	/** `on` keys are event descriptors (`*`, `err.*`, `A B`) as well as names. */
	descriptors?: boolean;
	/** The root is parallel: every top-level state is a region. */
	parallelRoot?: boolean;
}

export function randomWorkflow(seed: number, size = 1, awkward = false, options: RandomOptions = {}): Workflow {
	const r = prng(seed);
	let counter = 0;
	const keyName = () => {
		const n = counter++;
		if (awkward && r.chance(0.6)) return `${r.pick(AWKWARD_KEYS)}${r.chance(0.5) ? '' : n}`;
		return r.chance(0.15) ? `wait ${n}` : r.chance(0.1) ? `Ready-${n}` : `s${n}`;
	};
	const eventNames: readonly string[] = options.descriptors ? DESCRIPTOR_KEYS : awkward ? [...EVENTS, ...AWKWARD_EVENTS] : EVENTS;
	const states = (depth: number, count: number, finals: boolean): Record<string, StateNodeSpec> => {
		const out: Record<string, StateNodeSpec> = {};
		for (let i = 0; i < count; i++) {
			const key = keyName();
			const roll = r.next();
			const node: StateNodeSpec = {};
			if (depth < 2 && roll < 0.18) {
				node.states = states(depth + 1, 2 + r.int(2), true);
				if (r.chance(0.2)) node.states[`h${counter++}`] = { type: 'history', history: r.chance(0.5) ? 'deep' : 'shallow', target: Object.keys(node.states)[0] };
				node.initial = Object.keys(node.states)[0];
			} else if (depth < 2 && roll < 0.28) {
				node.type = 'parallel';
				node.states = {};
				for (let j = 0; j < 2; j++) {
					const rk = keyName();
					const inner = states(depth + 2, 2, true);
					node.states[rk] = { initial: Object.keys(inner)[0], states: inner };
				}
			} else if (finals && i > 0 && roll < 0.4) {
				node.type = 'final';
				if (r.chance(0.3)) node.output = 'context.n';
			}
			if (r.chance(0.15)) node.description = `About ${key}`;
			out[key] = node;
		}
		return out;
	};
	let top = states(0, 2 + r.int(3 * size), false);
	if (options.parallelRoot) {
		// Two or three regions, each a compound state around a random chart.
		const regions: Record<string, StateNodeSpec> = {};
		for (let j = 0; j < 2 + r.int(2); j++) {
			const inner = j === 0 ? top : states(1, 2 + r.int(2), true);
			regions[keyName()] = { initial: Object.keys(inner)[0], states: inner };
		}
		top = regions;
	}
	const wf: Workflow = {
		format: 'fsm-studio/workflow',
		version: 1,
		id: `random-${seed >>> 0}`,
		name: `Random ${seed >>> 0}`,
		...(options.parallelRoot ? { type: 'parallel' as const } : { initial: Object.keys(top)[0] }),
		context: { n: 0, flag: false },
		states: top
	};
	const index = indexStates(wf);
	const targetable = index.entries.filter((e) => stateType(e.node) !== 'history' || r.chance(0.3));
	let ids = 0;
	const targetFrom = (source: string, targetPath: string): string => {
		const parent = (p: string) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '');
		const entry = index.byPath.get(targetPath)!;
		if (parent(source) === parent(targetPath)) return escapeTargetSegment(entry.key);
		if (targetPath.startsWith(source + '.')) return '.' + targetPath.slice(source.length + 1).split('.').map(escapeTargetSegment).join('.');
		entry.node.id ??= `id${ids++}`;
		return idTarget(entry.node.id);
	};
	const transition = (source: string): TransitionConfig => {
		const target = () => targetFrom(source, r.pick(targetable).path);
		const roll = r.next();
		if (roll < 0.35) return target();
		const one = (guarded: boolean): TransitionSpec => {
			const t: TransitionSpec = {};
			if (!r.chance(0.1)) t.target = target();
			if (guarded) t.guard = r.pick(GUARDS);
			if (r.chance(0.5)) t.effects = [randomEffect(r, true)];
			if (t.target && r.chance(0.1)) t.reenter = true;
			if (t.target === undefined && !t.effects) t.effects = [randomEffect(r, false)];
			return t;
		};
		if (roll < 0.7) return one(r.chance(0.4));
		return [one(true), one(r.chance(0.3))];
	};
	for (const e of index.entries) {
		const type = stateType(e.node);
		if (type === 'history' || type === 'final') continue;
		const n = r.int(3);
		for (let i = 0; i < n; i++) {
			e.node.on ??= {};
			e.node.on[r.pick(eventNames)] = transition(e.path);
		}
		if (type === 'atomic' && r.chance(0.2)) e.node.after = { [r.pick(['100', '250'])]: transition(e.path) };
		if (type === 'atomic' && r.chance(0.08)) e.node.always = [{ target: targetFrom(e.path, r.pick(targetable).path), guard: 'context.n > 3' }];
		if (r.chance(0.3)) e.node.entry = [randomEffect(r, false)];
		if (r.chance(0.15)) e.node.exit = [randomEffect(r, false)];
		if ((type === 'compound' || type === 'parallel') && r.chance(0.5)) e.node.onDone = transition(e.path);
		if (type === 'atomic' && r.chance(0.15)) {
			// Async work on the injected clock: plain, composed, and one that always times out.
			e.node.invoke = r.pick<EffectSpec>([
				{ type: 'delay', ms: 100 },
				{ type: 'sequence', effects: [{ type: 'delay', ms: 50 }, { type: 'transform', expr: 'context.n + 100', to: 'n' }] },
				{ type: 'timeout', ms: 60, effect: { type: 'delay', ms: 200 } },
				{ type: 'race', effects: [{ type: 'delay', ms: 80 }, { type: 'delay', ms: 300 }] }
			]);
			e.node.onDone = transition(e.path);
			if (r.chance(0.7)) e.node.onError = transition(e.path);
		}
	}
	if (r.chance(0.3)) wf.on = { RESET: { target: escapeTargetSegment(Object.keys(top)[0]), effects: [{ type: 'assign', set: { n: '0' } }] } };
	return wf;
}

/** Random workflows that parse and compile (fast-check drives the seed). */
export const arbWorkflow = (size = 1, awkward = false, options: RandomOptions = {}) =>
	fc.integer().map((seed) => randomWorkflow(seed, size, awkward, options)).filter((w) => {
		const p = parseWorkflow(w);
		if (!p.ok) return false;
		try {
			compile(p.workflow);
			return true;
		} catch {
			return false;
		}
	});

export interface NormalOptions {
	/** Keep only the first target of each transition and drop targetless ones (Mermaid). */
	firstTargetOnly?: boolean;
	/** Drop history states; transitions to them go to the history's parent (Mermaid). */
	dropHistory?: boolean;
	/** Which per-state / per-transition fields to keep. */
	keep: Set<'effects' | 'entry' | 'exit' | 'invoke' | 'output' | 'description' | 'tags' | 'meta' | 'reenter' | 'tdescription' | 'context' | 'rootOn' | 'layout' | 'name' | 'wdescription'>;
	/** Merge consecutive assigns that do not read each other (SCXML writes one <assign> per key). */
	mergeAssigns?: boolean;
}

/**
 * The workflow as plain semantics: targets as absolute paths, transitions as lists,
 * explicit ids dropped (they only name targets), optional fields kept per `keep`.
 */
export function semantic(w: Workflow, o: NormalOptions): unknown {
	const index = indexStates(w);
	const effects = (list: EffectSpec[] | undefined) => {
		if (!list?.length) return undefined;
		if (!o.mergeAssigns) return list;
		const out: EffectSpec[] = [];
		for (const e of list) {
			const prev = out[out.length - 1];
			if (e.type === 'assign' && prev?.type === 'assign' && Object.keys(e).length === 2 && Object.keys(prev).length === 2) {
				const ps = prev.set as Record<string, string>;
				const es = e.set as Record<string, string>;
				if (Object.keys(es).every((k) => !Object.hasOwn(ps, k) && !Object.keys(ps).some((p) => es[k].includes(p)))) {
					out[out.length - 1] = { type: 'assign', set: { ...ps, ...es } };
					continue;
				}
			}
			out.push(e);
		}
		return out;
	};
	const retarget = (p: string) => {
		if (!o.dropHistory) return p;
		const node = index.byPath.get(p)?.node;
		return node && stateType(node) === 'history' ? p.slice(0, p.lastIndexOf('.')) : p;
	};
	const transitions = (source: string, config: TransitionConfig | undefined) => {
		const out: unknown[] = [];
		for (const t of normalizeTransitions(config)) {
			let targets = targetsOf(t).map((x) => retarget(resolveTarget(index, source, x) ?? `?${x}`));
			if (o.firstTargetOnly) {
				if (targets.length === 0 || targets[0] === '') continue;
				targets = targets.slice(0, 1);
			}
			const inside = targets.some((p) => p === source || p.startsWith(source + '.'));
			out.push({
				targets,
				guard: t.guard,
				effects: o.keep.has('effects') ? effects(t.effects) : undefined,
				reenter: o.keep.has('reenter') && inside ? Boolean(t.reenter) : undefined,
				description: o.keep.has('tdescription') ? t.description : undefined
			});
		}
		return out.length ? out : undefined;
	};
	const record = (source: string, rec: Record<string, TransitionConfig> | undefined) => {
		if (!rec) return undefined;
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(rec).sort()) {
			const t = transitions(source, rec[k]);
			if (t) out[k] = t;
		}
		return Object.keys(out).length ? out : undefined;
	};
	const state = (path: string, node: StateNodeSpec): unknown => {
		const type = stateType(node);
		const children: Record<string, unknown> = {};
		for (const k of Object.keys(node.states ?? {})) {
			const child = node.states![k];
			if (o.dropHistory && stateType(child) === 'history') continue;
			children[k] = state(`${path}.${k}`, child);
		}
		return clean({
			type,
			initial: type === 'compound' ? node.initial : undefined,
			history: type === 'history' ? node.history ?? 'shallow' : undefined,
			historyTarget: type === 'history' && node.target !== undefined ? resolveTarget(index, path, node.target) : undefined,
			states: Object.keys(children).length ? children : undefined,
			on: record(path, node.on),
			always: transitions(path, node.always),
			after: record(path, node.after),
			onDone: transitions(path, node.onDone),
			onError: transitions(path, node.onError),
			entry: o.keep.has('entry') ? effects(node.entry) : undefined,
			exit: o.keep.has('exit') ? effects(node.exit) : undefined,
			invoke: o.keep.has('invoke') ? node.invoke : undefined,
			output: o.keep.has('output') ? node.output : undefined,
			description: o.keep.has('description') ? node.description : undefined,
			tags: o.keep.has('tags') ? node.tags : undefined,
			meta: o.keep.has('meta') ? node.meta : undefined
		});
	};
	const states: Record<string, unknown> = {};
	for (const k of Object.keys(w.states)) states[k] = state(k, w.states[k]);
	return clean({
		type: w.type === 'parallel' ? 'parallel' : undefined,
		initial: w.initial,
		name: o.keep.has('name') ? w.name : undefined,
		description: o.keep.has('wdescription') ? w.description : undefined,
		context: o.keep.has('context') && w.context && Object.keys(w.context).length ? w.context : undefined,
		on: o.keep.has('rootOn') ? record('', w.on) : undefined,
		layout: o.keep.has('layout') ? w.layout : undefined,
		meta: o.keep.has('meta') ? w.meta : undefined,
		states
	});
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = o[k];
	return out;
}

/** The `on` keys of every state in document order (order matters for descriptors): path → keys. */
export function keyOrder(w: Workflow): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	if (w.on) out[''] = Object.keys(w.on);
	for (const e of indexStates(w).entries) if (e.node.on) out[e.path] = Object.keys(e.node.on);
	return out;
}

export const ALL_FIELDS: NormalOptions['keep'] = new Set(['effects', 'entry', 'exit', 'invoke', 'output', 'description', 'tags', 'meta', 'reenter', 'tdescription', 'context', 'rootOn', 'layout', 'name', 'wdescription']);
