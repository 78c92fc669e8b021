/**
 * Lint: problems a workflow can have while still being editable, for the designer's
 * problems panel. Works on any object shaped roughly like a workflow (it need not have
 * been parsed) and never throws. Each problem names its rule, a severity, a JSON path and,
 * where it applies, the state path and transition id.
 */
import jsonata from 'jsonata';
import type { Problem, Severity, StatePath, TransitionSpec, Workflow } from './types';
import { transitionId } from './types';
import { DELAY_KEY_PATTERN } from './schema';
import { checkReferences } from './references';
import { idTargetReadings, parseTarget } from './targets';
import { errorInvokeEvent } from './events';
import { descriptorCovers, descriptorProblem, eventDescriptors, matchesEventKey } from './events';
import {
	type StateEntry,
	type StateIndex,
	type TransitionEntry,
	allTransitions,
	ancestors,
	childStates,
	formatPath,
	indexStates,
	parentPath,
	resolveTarget,
	stateTransitions,
	normalizeTransitions,
	stateType,
	targetLookup,
	targetsOf
} from './tree';

/** Rule ids, stable: the designer and tests refer to them. */
export const LINT_RULES = {
	'no-initial': 'The workflow or a compound state has no (valid) initial state.',
	'unknown-target': 'A transition or history default points at a state that does not exist.',
	'duplicate-id': 'Two states declare the same explicit id.',
	unreachable: 'No path of transitions leads to the state.',
	'dead-end': 'A state that is not final has no transition out of it.',
	nondeterministic: 'Two unguarded transitions for the same trigger in one state.',
	'unreachable-alternative': 'An alternative listed after an unguarded one is never taken.',
	'always-loop': 'Eventless transitions that can never settle.',
	'bad-expression': 'A guard, assign value, output or {{ }} template that does not parse as JSONata.',
	'bad-delay': 'An `after` key that is not a non-negative number of milliseconds.',
	'conflicting-targets': 'A transition with several targets that are not in different regions of one parallel state.',
	'ambiguous-target': 'An `#id` target with an unescaped dot that could name more than one state, or that XState would read differently.',
	'bad-event': 'An event descriptor with `*` in the middle or an empty name between dots.',
	'shadowed-event': 'An event key listed after a wildcard or prefix that already takes every event it matches.',
	'parallel-initial': 'An `initial` on a parallel state (or a parallel workflow), which starts in all its regions.',
	'no-on-error': 'A state invokes an effect that can fail, and no `onError` (nor an `error` event key on it or a state around it) handles the failure.'
} as const;

export type LintRule = keyof typeof LINT_RULES;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Parse results by source: lint runs on every edit and most expressions do not change.
const exprCache = new Map<string, string | null>();
const EXPR_CACHE_LIMIT = 10_000;

/** Why a JSONata expression does not parse, or null when it does. */
export function expressionError(source: string): string | null {
	const hit = exprCache.get(source);
	if (hit !== undefined) return hit;
	let result: string | null = null;
	if (source.trim() === '') result = 'the expression is empty';
	else {
		try {
			jsonata(source);
		} catch (e) {
			const err = e as { message?: string; position?: number };
			result = `${err.message ?? 'syntax error'}${typeof err.position === 'number' ? ` (at character ${err.position})` : ''}`;
		}
	}
	if (exprCache.size >= EXPR_CACHE_LIMIT) exprCache.clear();
	exprCache.set(source, result);
	return result;
}

const TEMPLATE = /\{\{([\s\S]*?)\}\}/g;

/**
 * Effect parameters that hold a whole JSONata expression rather than text with templates.
 * A local copy of what `src/lib/effects/kinds` declares (model may not import effects): a
 * kind missing here only means its expressions are checked when they run.
 */
const EXPRESSION_PARAMS: Record<string, readonly string[]> = {
	log: ['data'],
	transform: ['expr'],
	http: ['resultPath'],
	delay: ['ms'],
	send: ['delay']
};

/** Problems of the `{{ }}` templates in one string, in order. */
function templateErrors(text: string): { sentence: string; severity: Severity }[] {
	if (!text.includes('{{')) return [];
	const out: { sentence: string; severity: Severity }[] = [];
	let last = 0;
	for (const m of text.matchAll(TEMPLATE)) {
		const inner = m[1].trim();
		const err = inner === '' ? 'the expression is empty' : expressionError(inner);
		if (err) out.push({ severity: 'error', sentence: `the template {{ ${inner} }} does not parse: ${err}.` });
		last = (m.index ?? 0) + m[0].length;
	}
	if (text.indexOf('{{', last) >= 0) {
		out.push({ severity: 'warning', sentence: 'a "{{" has no closing "}}", so it is printed as plain text.' });
	}
	return out;
}

const isUnguarded = (t: TransitionSpec) =>
	t.guard === undefined || t.guard === null || (typeof t.guard === 'string' && t.guard.trim() === 'true');

function describeTrigger(trigger: string): string {
	if (trigger.startsWith('on:')) return `event "${trigger.slice(3)}"`;
	if (trigger.startsWith('after:')) return `the ${trigger.slice(6)} ms delay`;
	if (trigger === 'always') return '"always"';
	return `"${trigger}"`;
}

function stateLabel(path: StatePath): string {
	return path ? `state "${path}"` : 'the workflow';
}

/** Lint a workflow: every problem found, in rule order. Never throws. */
export function lintWorkflow(workflow: Workflow): Problem[] {
	const problems: Problem[] = [];
	if (!isRecord(workflow)) {
		return [{ rule: 'no-initial', severity: 'error', message: '(document): not a workflow object.', path: [] }];
	}
	const add = (p: Omit<Problem, 'message'> & { sentence: string }) => {
		const { sentence, ...rest } = p;
		problems.push({ ...rest, message: `${formatPath(p.path)}: ${sentence}` });
	};
	let index: StateIndex;
	let transitions: TransitionEntry[];
	try {
		index = indexStates(workflow);
		transitions = allTransitions(workflow, index);
	} catch (e) {
		return [{ rule: 'internal', severity: 'error', message: `(document): could not be read (${String(e)}).`, path: [] }];
	}
	const rules: [string, () => void][] = [
		['references', () => {
			for (const r of checkReferences(workflow, index)) {
				problems.push({ rule: r.rule, severity: 'error', message: r.message, path: r.path, state: r.state, transition: r.transition });
			}
		}],
		['bad-delay', () => lintDelays(index, add)],
		['unreachable', () => lintUnreachable(workflow, index, add)],
		['dead-end', () => lintDeadEnds(workflow, index, add)],
		['nondeterministic', () => lintAlternatives(transitions, add)],
		['conflicting-targets', () => lintMultiTargets(workflow, index, transitions, add)],
		['always-loop', () => lintAlwaysLoops(index, add)],
		['ambiguous-target', () => lintAmbiguousTargets(index, transitions, add)],
		['events', () => lintEventKeys(workflow, index, add)],
		['parallel-initial', () => lintParallelInitial(workflow, index, add)],
		['no-on-error', () => lintUnhandledInvokes(workflow, index, add)],
		['bad-expression', () => lintExpressions(index, transitions, add)]
	];
	for (const [name, run] of rules) {
		try {
			run();
		} catch (e) {
			// A rule tripping over a malformed document must not hide the other rules' findings.
			problems.push({ rule: 'internal', severity: 'info', message: `(document): the ${name} check could not finish (${String(e)}).`, path: [] });
		}
	}
	return problems;
}

type Add = (p: Omit<Problem, 'message'> & { sentence: string }) => void;

function lintDelays(index: StateIndex, add: Add) {
	for (const e of index.entries) {
		if (!isRecord(e.node.after)) continue;
		for (const key of Object.keys(e.node.after)) {
			if (DELAY_KEY_PATTERN.test(key)) continue;
			add({
				rule: 'bad-delay',
				severity: 'error',
				path: [...e.jsonPath, 'after', key],
				state: e.path,
				sentence: `the delay "${key}" is not a number of milliseconds; write a non-negative number such as "5000".`
			});
		}
	}
}

/** Default entry of a state: the state and the descendants entered with it (initial children, all regions). */
function makeDefaultEntry(index: StateIndex) {
	const memo = new Map<StatePath, StatePath[]>();
	const firstChild = (path: StatePath): StatePath | undefined => {
		const node = index.byPath.get(path)?.node;
		if (!node) return undefined;
		// The engine's fallback for a missing initial: the first child that is not a history state.
		const kids = childStates(node).filter(([, n]) => stateType(n) !== 'history');
		const init = typeof node.initial === 'string' && kids.some(([k]) => k === node.initial) ? node.initial : kids[0]?.[0];
		return init === undefined ? undefined : `${path}.${init}`;
	};
	const compute = (path: StatePath, seen: Set<StatePath>): StatePath[] => {
		const cached = memo.get(path);
		if (cached) return cached;
		if (seen.has(path)) return [path];
		seen.add(path);
		const entry = index.byPath.get(path);
		const out = [path];
		if (entry) {
			const type = stateType(entry.node);
			if (type === 'compound') {
				const c = firstChild(path);
				if (c) out.push(...compute(c, seen));
			} else if (type === 'parallel') {
				for (const [k] of childStates(entry.node)) out.push(...compute(`${path}.${k}`, seen));
			} else if (type === 'history') {
				const t = typeof entry.node.target === 'string' ? resolveTarget(index, path, entry.node.target) : undefined;
				const fallback = t ?? firstChild(parentPath(path));
				if (fallback && fallback !== path) {
					for (const a of [...ancestors(fallback).reverse(), fallback]) if (!out.includes(a)) out.push(...compute(a, seen).slice(0, 1));
					out.push(...compute(fallback, seen));
				}
			}
		}
		memo.set(path, out);
		return out;
	};
	return (path: StatePath) => compute(path, new Set());
}

function lintUnreachable(workflow: Workflow, index: StateIndex, add: Add) {
	const defaultEntry = makeDefaultEntry(index);
	const reached = new Set<StatePath>();
	const queue: StatePath[] = [];
	const mark = (p: StatePath) => {
		if (!reached.has(p) && index.byPath.has(p)) {
			reached.add(p);
			queue.push(p);
		}
	};
	const enter = (target: StatePath) => {
		for (const a of ancestors(target).reverse()) {
			mark(a);
			const node = index.byPath.get(a)?.node;
			// Entering one region of a parallel state enters all the others too.
			if (node && stateType(node) === 'parallel') for (const [k] of childStates(node)) enterDefault(`${a}.${k}`);
		}
		enterDefault(target);
	};
	const enterDefault = (p: StatePath) => {
		for (const s of defaultEntry(p)) mark(s);
	};
	const top = childStates(workflow).map(([k]) => k);
	if (workflow.type === 'parallel') for (const k of top) enter(k);
	else {
		const initial = typeof workflow.initial === 'string' && top.includes(workflow.initial) ? workflow.initial : top[0];
		if (initial !== undefined) enter(initial);
	}
	const follow = (ts: TransitionEntry[]) => {
		for (const t of ts) {
			for (const target of targetsOf(t.spec)) {
				const r = resolveTarget(index, t.source, target);
				if (r) enter(r);
			}
		}
	};
	follow(stateTransitions('', { on: workflow.on }, []));
	while (queue.length) {
		const p = queue.pop()!;
		const e = index.byPath.get(p)!;
		follow(stateTransitions(p, e.node, e.jsonPath));
	}
	for (const e of index.entries) {
		if (reached.has(e.path) || (e.parent && !reached.has(e.parent))) continue;
		add({
			rule: 'unreachable',
			severity: 'warning',
			path: e.jsonPath,
			state: e.path,
			sentence: `state "${e.path}" can never be entered: no transition leads to it${e.parent ? '' : ' from the initial state'}.`
		});
	}
}

function lintDeadEnds(workflow: Workflow, index: StateIndex, add: Add) {
	const hasTarget = (ts: TransitionEntry[]) => ts.some((t) => targetsOf(t.spec).length > 0);
	if (hasTarget(stateTransitions('', { on: workflow.on }, []))) return;
	const own = new Map<StatePath, boolean>();
	const exits = (p: StatePath, asAncestor: boolean): boolean => {
		const key = `${asAncestor ? 'a' : 's'}${p}`;
		const hit = own.get(key);
		if (hit !== undefined) return hit;
		const e = index.byPath.get(p)!;
		let ts = stateTransitions(p, e.node, e.jsonPath);
		// An ancestor's onDone waits for a final child (not while this leaf is active) unless it has its own invoke.
		if (asAncestor && !isRecord(e.node.invoke)) ts = ts.filter((t) => t.trigger !== 'onDone');
		const r = hasTarget(ts);
		own.set(key, r);
		return r;
	};
	for (const e of index.entries) {
		if (stateType(e.node) !== 'atomic') continue;
		if (exits(e.path, false) || ancestors(e.path).some((a) => exits(a, true))) continue;
		add({
			rule: 'dead-end',
			severity: 'warning',
			path: e.jsonPath,
			state: e.path,
			sentence: `state "${e.path}" is not final but has no transition out of it, so the workflow gets stuck there. Add a transition or make it "type": "final".`
		});
	}
}

function lintAlternatives(transitions: TransitionEntry[], add: Add) {
	let firstUnguarded: TransitionEntry | undefined;
	let group = '';
	for (const t of transitions) {
		const key = `${t.source}|${t.trigger}`;
		if (key !== group) {
			group = key;
			firstUnguarded = undefined;
		}
		if (firstUnguarded) {
			const both = isUnguarded(t.spec);
			add({
				rule: both ? 'nondeterministic' : 'unreachable-alternative',
				severity: 'warning',
				path: t.jsonPath,
				state: t.source || undefined,
				transition: t.id,
				sentence: both
					? `${stateLabel(t.source)} has two unguarded transitions for ${describeTrigger(t.trigger)} (alternatives ${firstUnguarded.index + 1} and ${t.index + 1}); only the first is ever taken. Add a guard or remove one.`
					: `this alternative is never taken: alternative ${firstUnguarded.index + 1} for ${describeTrigger(t.trigger)} has no guard and always wins. Move it last.`
			});
		} else if (isUnguarded(t.spec)) firstUnguarded = t;
	}
}

/** Deepest common ancestor of two state paths (`''` is the root). */
function commonAncestor(a: StatePath, b: StatePath): StatePath {
	const x = a.split('.');
	const y = b.split('.');
	let i = 0;
	while (i < x.length && i < y.length && x[i] === y[i]) i++;
	return x.slice(0, i).join('.');
}

function lintMultiTargets(workflow: Workflow, index: StateIndex, transitions: TransitionEntry[], add: Add) {
	for (const t of transitions) {
		if (!Array.isArray(t.spec.target) || t.spec.target.length < 2) continue;
		const resolved = targetsOf(t.spec).map((x) => resolveTarget(index, t.source, x));
		outer: for (let i = 0; i < resolved.length; i++) {
			for (let j = i + 1; j < resolved.length; j++) {
				const a = resolved[i];
				const b = resolved[j];
				if (a === undefined || b === undefined) continue;
				const lca = commonAncestor(a, b);
				const node = lca ? index.byPath.get(lca)?.node : undefined;
				const parallel = lca === '' ? workflow.type === 'parallel' : !!node && stateType(node) === 'parallel';
				// Two targets can only be entered together when they sit in different regions of one parallel state (or of a parallel workflow).
				if (lca !== a && lca !== b && parallel) continue;
				add({
					rule: 'conflicting-targets',
					severity: 'error',
					path: [...t.targetPath, j],
					state: t.source || undefined,
					transition: t.id,
					sentence: `targets "${a}" and "${b}" cannot be active together: several targets must lie in different regions of one parallel state.`
				});
				break outer;
			}
		}
	}
}

function lintAmbiguousTargets(index: StateIndex, transitions: TransitionEntry[], add: Add) {
	const lookup = targetLookup(index);
	const idOf = (target: string) => {
		const r = parseTarget(target);
		return r?.kind === 'id' ? r.id : target;
	};
	const check = (target: string, path: (string | number)[], state?: StatePath, transition?: string) => {
		if (target[0] !== '#' || target.indexOf('.') < 0) return;
		const readings = idTargetReadings(lookup, target);
		if (readings.length === 0 || (readings.length === 1 && readings[0].idLength === 1)) return;
		const used = readings[0];
		const sentence =
			readings.length > 1
				? `the target "${target}" could name ${readings.map((r) => `"${r.path}" (${r.spelled})`).join(' or ')}; it goes to "${used.path}". Write ${readings.map((r) => `"${r.spelled}"`).join(' or ')} to say which.`
				: `the target "${target}" names "${used.path}" through the id "${idOf(used.spelled)}"; XState and other tools end an id at the first dot and would look for the id "${idOf(target)}". Write "${used.spelled}" (a backslash keeps a dot inside an id).`;
		add({ rule: 'ambiguous-target', severity: 'warning', path, state, transition, sentence });
	};
	for (const t of transitions) {
		const many = Array.isArray(t.spec.target);
		targetsOf(t.spec).forEach((target, i) => check(target, many ? [...t.targetPath, i] : t.targetPath, t.source || undefined, t.id));
	}
	for (const e of index.entries) {
		if (stateType(e.node) === 'history' && typeof e.node.target === 'string') check(e.node.target, [...e.jsonPath, 'target'], e.path);
	}
}

function lintParallelInitial(workflow: Workflow, index: StateIndex, add: Add) {
	const sentence = (what: string) => `${what} starts in all its regions at once, so "initial" has no effect; remove it.`;
	if (workflow.type === 'parallel' && workflow.initial !== undefined) {
		add({ rule: 'parallel-initial', severity: 'warning', path: ['initial'], sentence: sentence('a parallel workflow') });
	}
	for (const e of index.entries) {
		if (stateType(e.node) === 'parallel' && e.node.initial !== undefined) {
			add({ rule: 'parallel-initial', severity: 'warning', path: [...e.jsonPath, 'initial'], state: e.path, sentence: sentence(`parallel state "${e.path}"`) });
		}
	}
}

/** Effects the engine runs itself, synchronously: they never end in `error.invoke.*`. */
const SYNC_BUILTINS = new Set(['assign', 'log', 'raise', 'send', 'cancel', 'emit']);

/**
 * An invoked effect that fails sends `error.invoke.<state>`. Without a transition for it —
 * the state's `onError`, or an `on` key matching it (`error`, `error.*`, `*`, …) on the state,
 * a state around it or the workflow — the instance stops in `error`.
 */
function lintUnhandledInvokes(workflow: Workflow, index: StateIndex, add: Add) {
	const handles = (on: unknown, type: string): 'always' | 'guarded' | null => {
		if (!isRecord(on)) return null;
		let found: 'guarded' | null = null;
		for (const key of Object.keys(on)) {
			if (!matchesEventKey(key, type)) continue;
			if (normalizeTransitions(on[key] as never).some((t) => isUnguarded(t))) return 'always';
			found = 'guarded';
		}
		return found;
	};
	for (const e of index.entries) {
		const inv = e.node.invoke;
		if (!isRecord(inv) || typeof inv.type !== 'string' || SYNC_BUILTINS.has(inv.type)) continue;
		const type = errorInvokeEvent(e.path);
		let guarded = false;
		let handled = false;
		const own = e.node.onError;
		if (own !== undefined && own !== null) {
			if (normalizeTransitions(own as never).some((t) => isUnguarded(t))) handled = true;
			else guarded = true;
		}
		// The state itself, the states around it, then the workflow's own `on`.
		for (let at: StateEntry | undefined = e; !handled; at = at.parent ? index.byPath.get(at.parent) : undefined) {
			const r = handles(at ? at.node.on : workflow.on, type);
			if (r === 'always') handled = true;
			else if (r === 'guarded') guarded = true;
			if (!at) break;
		}
		if (handled) continue;
		const what = typeof inv.id === 'string' && inv.id ? `"${inv.id}" (${inv.type})` : `a ${inv.type} effect`;
		add({
			rule: 'no-on-error',
			severity: 'warning',
			path: [...e.jsonPath, 'invoke'],
			state: e.path,
			sentence: guarded
				? `${stateLabel(e.path)} invokes ${what}, and every transition for its failure has a guard: when none applies, a failure stops the workflow. Add an onError transition without a guard.`
				: `${stateLabel(e.path)} invokes ${what} with no onError: if it fails, the workflow stops with an error. Add an onError transition (for example to a state that reports the failure or retries).`
		});
	}
}

function lintEventKeys(workflow: Workflow, index: StateIndex, add: Add) {
	const check = (source: StatePath, on: unknown, jsonPath: (string | number)[]) => {
		if (!isRecord(on)) return;
		// Keys whose every alternative may be skipped (a guard) do not shadow anything.
		const always: { key: string; descriptor: string }[] = [];
		for (const key of Object.keys(on)) {
			const path = [...jsonPath, 'on', key];
			const descriptors = eventDescriptors(key);
			for (const d of descriptors) {
				const problem = descriptorProblem(d);
				if (problem) {
					add({
						rule: 'bad-event',
						severity: 'warning',
						path,
						state: source || undefined,
						sentence: `the event "${d}" is matched only by that exact name: ${problem}.`
					});
				}
			}
			const shadowed = descriptors.map((d) => [d, always.find((a) => descriptorCovers(a.descriptor, d))] as const).filter(([, by]) => by !== undefined);
			if (shadowed.length > 0) {
				const all = shadowed.length === descriptors.length;
				const by = shadowed[0][1]!;
				add({
					rule: 'shadowed-event',
					severity: 'warning',
					path,
					state: source || undefined,
					transition: transitionId(source, `on:${key}`, 0),
					sentence: all
						? `"${key}" is never taken: "${by.key}", listed before it in ${stateLabel(source)}, takes every event it matches. Move "${key}" above "${by.key}" or remove it.`
						: `${shadowed.map(([d]) => `"${d}"`).join(', ')} in "${key}" never ${shadowed.length > 1 ? 'fire' : 'fires'} this transition: "${by.key}", listed before it, takes ${shadowed.length > 1 ? 'those events' : 'that event'}. Move "${key}" above "${by.key}".`
				});
			}
			const alts = normalizeTransitions(on[key] as never);
			if (alts.some((t) => isUnguarded(t))) for (const d of descriptors) always.push({ key, descriptor: d });
		}
	};
	check('', workflow.on, []);
	for (const e of index.entries) check(e.path, e.node.on, e.jsonPath);
}

function lintAlwaysLoops(index: StateIndex, add: Add) {
	const defaultEntry = makeDefaultEntry(index);
	// For each state whose `always` is sure to fire: the configurations it may move to.
	const moves = new Map<StatePath, StatePath[][]>();
	for (const e of index.entries) {
		const alts = stateTransitions(e.path, { always: e.node.always }, e.jsonPath);
		const u = alts.findIndex((t) => isUnguarded(t.spec));
		if (u < 0) continue;
		const outcomes: StatePath[][] = [];
		for (const t of alts.slice(0, u + 1)) {
			const targets = targetsOf(t.spec);
			if (targets.length === 0) {
				outcomes.push([e.path]);
				continue;
			}
			const entered: StatePath[] = [];
			for (const target of targets) {
				const r = resolveTarget(index, e.path, target);
				if (r) entered.push(...ancestors(r), ...defaultEntry(r));
			}
			outcomes.push(entered);
		}
		moves.set(e.path, outcomes);
	}
	// Greatest fixpoint: a state never settles when every move lands where some active state never settles.
	const restless = new Set(moves.keys());
	let changed = true;
	while (changed) {
		changed = false;
		for (const p of restless) {
			const ok = moves.get(p)!.every((conf) => conf.some((s) => restless.has(s)));
			if (!ok) {
				restless.delete(p);
				changed = true;
			}
		}
	}
	const all = [...restless];
	for (const p of all) {
		const e = index.byPath.get(p)!;
		const others = all.filter((x) => x !== p);
		add({
			rule: 'always-loop',
			severity: 'error',
			path: [...e.jsonPath, 'always'],
			state: p,
			transition: `${p}|always|0`,
			sentence:
				others.length === 0
					? `the "always" transitions of "${p}" fire again and again: nothing guards them, so the workflow never settles. Add a guard.`
					: `the "always" transitions of "${p}" never settle: they keep moving between ${[p, ...others].slice(0, 5).map((x) => `"${x}"`).join(', ')} with no guard to stop them.`
		});
	}
}

function lintExpressions(index: StateIndex, transitions: TransitionEntry[], add: Add) {
	const checkExpr = (source: unknown, path: (string | number)[], what: string, state?: StatePath, transition?: string) => {
		if (typeof source !== 'string') return;
		const err = expressionError(source);
		if (err) add({ rule: 'bad-expression', severity: 'error', path, state, transition, sentence: `the ${what} "${source.length > 60 ? source.slice(0, 57) + '…' : source}" does not parse: ${err}.` });
	};
	const walkEffect = (effect: unknown, path: (string | number)[], state?: StatePath, transition?: string, depth = 0) => {
		if (depth > 64) return;
		if (typeof effect === 'string') {
			for (const t of templateErrors(effect)) add({ rule: 'bad-expression', severity: t.severity, path, state, transition, sentence: t.sentence });
			return;
		}
		if (Array.isArray(effect)) {
			effect.forEach((v, i) => walkEffect(v, [...path, i], state, transition, depth + 1));
			return;
		}
		if (!isRecord(effect)) return;
		const isAssign = effect.type === 'assign';
		const exprParams = typeof effect.type === 'string' ? EXPRESSION_PARAMS[effect.type] : undefined;
		for (const k of Object.keys(effect)) {
			if ((k === 'type' || k === 'id') && typeof effect[k] === 'string') continue;
			if (isAssign && k === 'set' && isRecord(effect.set)) {
				for (const [name, src] of Object.entries(effect.set)) checkExpr(src, [...path, 'set', name], `value of "${name}"`, state, transition);
				continue;
			}
			if (exprParams?.includes(k) && typeof effect[k] === 'string') {
				checkExpr(effect[k], [...path, k], `"${k}" expression`, state, transition);
				continue;
			}
			walkEffect(effect[k], [...path, k], state, transition, depth + 1);
		}
	};
	for (const t of transitions) {
		checkExpr(t.spec.guard, [...t.jsonPath, 'guard'], 'guard', t.source || undefined, t.id);
		if (Array.isArray(t.spec.effects)) walkEffect(t.spec.effects, [...t.jsonPath, 'effects'], t.source || undefined, t.id);
	}
	for (const e of index.entries) {
		for (const f of ['entry', 'exit', 'invoke'] as const) if (e.node[f] !== undefined) walkEffect(e.node[f], [...e.jsonPath, f], e.path);
		if (stateType(e.node) === 'final') checkExpr(e.node.output, [...e.jsonPath, 'output'], 'output', e.path);
	}
}
