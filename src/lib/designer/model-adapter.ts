/**
 * The designer's view of the model and effects layers. Lint and the effect kinds land
 * after the designer; until they do, a small local lint and a few built-in effect schemas
 * stand in, and the real ones are used as soon as their modules export them.
 */
import { z } from 'zod';
import * as model from '../model';
import type { Problem, Workflow } from '../model/types';
import { allStatePaths, listTransitions, stateAt, stateType } from '../model/tree';
import { issuesByPath } from './json-schema';

type LintFn = (wf: Workflow) => Problem[];
const modelLint = (model as unknown as Record<string, unknown>).lintWorkflow as LintFn | undefined;

/** Minimal lint used only until `lintWorkflow` is exported by the model. */
export function fallbackLint(wf: Workflow): Problem[] {
	const out: Problem[] = [];
	const keys = Object.keys(wf.states ?? {});
	if (keys.length === 0) {
		out.push({ rule: 'empty', severity: 'warning', message: 'The workflow has no states yet: drag one from the library.', path: ['states'] });
		return out;
	}
	if (!wf.initial) out.push({ rule: 'no-initial', severity: 'error', message: 'No initial state: select a state and tick "Initial state" (or press I).', path: ['initial'] });
	else if (!wf.states[wf.initial]) out.push({ rule: 'unknown-initial', severity: 'error', message: `The initial state "${wf.initial}" does not exist.`, path: ['initial'] });
	const trans = listTransitions(wf);
	for (const t of trans) {
		t.targets.forEach((x, i) => {
			if (x === null) {
				const raw = Array.isArray(t.spec.target) ? t.spec.target[i] : t.spec.target;
				out.push({ rule: 'unknown-target', severity: 'error', message: `Transition "${t.label}" leads to "${raw}", which does not exist.`, path: [], state: t.source || undefined, transition: t.id });
			}
		});
	}
	for (const p of allStatePaths(wf)) {
		const s = stateAt(wf, p)!;
		const type = stateType(s);
		if (type === 'compound' && !s.initial) out.push({ rule: 'no-initial', severity: 'error', message: `Compound state "${p}" needs an initial child.`, path: [], state: p });
	}
	// reachability over resolved targets (entering a state enters its ancestors and initial children)
	const reached = new Set<string>();
	const enter = (p: string) => {
		if (reached.has(p)) return;
		const parts = p.split('.');
		for (let i = 1; i <= parts.length; i++) reached.add(parts.slice(0, i).join('.'));
		const s = stateAt(wf, p);
		if (!s) return;
		const type = stateType(s);
		if (type === 'parallel') for (const k of Object.keys(s.states ?? {})) enter(`${p}.${k}`);
		else if (type === 'compound' && s.initial && s.states?.[s.initial]) enter(`${p}.${s.initial}`);
	};
	if (wf.initial && wf.states[wf.initial]) enter(wf.initial);
	let grew = true;
	while (grew) {
		grew = false;
		const before = reached.size;
		for (const t of trans) if (t.source === '' || reached.has(t.source)) for (const x of t.targets) if (x) enter(x);
		grew = reached.size > before;
	}
	if (wf.initial && wf.states[wf.initial]) {
		for (const p of allStatePaths(wf)) {
			if (!reached.has(p)) out.push({ rule: 'unreachable', severity: 'warning', message: `State "${p}" can never be reached.`, path: [], state: p });
		}
	}
	return out;
}

/** Lint results for the workflow (never throws: a crash becomes a problem). */
export function lint(wf: Workflow): Problem[] {
	try {
		return [...(modelLint ?? fallbackLint)(wf), ...effectProblems(wf)];
	} catch (e) {
		return [{ rule: 'lint-crash', severity: 'warning', message: `Checking failed: ${(e as Error).message}`, path: [] }];
	}
}

/**
 * Effects whose parameters their kind's schema rejects (an HTTP request without a URL): the
 * effect form shows them field by field, the problems panel must list them too, or a workflow
 * reads "No problems found" and then fails when it runs.
 */
export function effectProblems(wf: Workflow): Problem[] {
	const out: Problem[] = [];
	const check = (e: unknown, path: (string | number)[], where: string) => {
		if (!e || typeof e !== 'object' || typeof (e as { type?: unknown }).type !== 'string') return;
		const kind = effectKindsByType.get((e as { type: string }).type);
		if (!kind?.schema) return;
		const issues = issuesByPath(kind.schema, e);
		if (!issues.size) return;
		const [field, msg] = [...issues][0];
		const more = issues.size > 1 ? ` (and ${issues.size - 1} more)` : '';
		out.push({ rule: 'bad-effect', severity: 'error', message: `${kind.label} in ${where}: ${field ? `${field} — ` : ''}${msg}${more}`, path });
	};
	const effectsIn = (t: unknown, base: (string | number)[], where: string) => {
		const list = Array.isArray(t) ? t : [t];
		list.forEach((spec, i) => {
			const fx = spec && typeof spec === 'object' ? (spec as { effects?: unknown }).effects : undefined;
			if (Array.isArray(fx)) fx.forEach((e, j) => check(e, [...base, ...(Array.isArray(t) ? [i] : []), 'effects', j], where));
		});
	};
	const walk = (states: Workflow['states'] | undefined, base: (string | number)[], prefix: string) => {
		for (const [key, s] of Object.entries(states ?? {})) {
			const p = [...base, 'states', key];
			const name = prefix ? `${prefix}.${key}` : key;
			(s.entry ?? []).forEach((e, i) => check(e, [...p, 'entry', i], `the entry of "${name}"`));
			(s.exit ?? []).forEach((e, i) => check(e, [...p, 'exit', i], `the exit of "${name}"`));
			if (s.invoke) check(s.invoke, [...p, 'invoke'], `the invoke of "${name}"`);
			for (const [ev, t] of Object.entries(s.on ?? {})) effectsIn(t, [...p, 'on', ev], `the ${ev} transition of "${name}"`);
			for (const [ms, t] of Object.entries((s as { after?: Record<string, unknown> }).after ?? {})) effectsIn(t, [...p, 'after', ms], `the after ${ms} ms transition of "${name}"`);
			for (const k of ['always', 'onDone', 'onError'] as const) if (s[k]) effectsIn(s[k], [...p, k], `the ${k} transition of "${name}"`);
			walk(s.states, p, name);
		}
	};
	walk(wf.states, [], '');
	for (const [ev, t] of Object.entries(wf.on ?? {})) effectsIn(t, ['on', ev], `the workflow-level ${ev} transition`);
	return out;
}

/** The workflow as it will be written to a file. */
export function serialize(wf: Workflow): string {
	try {
		return model.serializeWorkflow(wf);
	} catch {
		return JSON.stringify(wf, null, 2);
	}
}

export function parse(input: unknown) {
	return model.parseWorkflow(input);
}

// ---------------------------------------------------------------- effect kinds

export interface EffectKindInfo {
	type: string;
	label: string;
	description: string;
	category: string;
	schema?: z.ZodType;
}

const effectsModules = import.meta.glob('../effects/index.ts', { eager: true }) as Record<string, Record<string, unknown>>;

const AI_TYPES = /llm|agent|embed|retriev|rag|prompt|chat|classif|summar|mcp/i;

/** AI kinds get their own colour and icon on the canvas. */
export function isAiEffect(type: string, category?: string): boolean {
	return category === 'ai' || AI_TYPES.test(type);
}

/** Effects that do long-running work: dropped on a state they become its `invoke`. */
export function isInvokeKind(type: string, category?: string): boolean {
	return isAiEffect(type, category) || category === 'io' || /http|fetch|delay|wait/i.test(type);
}

const fallbackKinds: EffectKindInfo[] = [
	{ type: 'assign', label: 'Assign', category: 'data', description: 'Set context values from expressions.', schema: z.object({ set: z.record(z.string(), z.string()).describe('context key → JSONata expression') }) },
	{ type: 'log', label: 'Log', category: 'data', description: 'Write a line to the run log.', schema: z.object({ message: z.string().describe('Text, with {{ }} templates') }) },
	{ type: 'raise', label: 'Raise', category: 'data', description: 'Send an event to this instance.', schema: z.object({ event: z.string().min(1) }) },
	{ type: 'emit', label: 'Emit', category: 'data', description: 'Emit an event to the outside.', schema: z.object({ event: z.string().min(1) }) },
	{ type: 'delay', label: 'Delay', category: 'time', description: 'Wait some milliseconds.', schema: z.object({ ms: z.number().int().min(0) }) },
	{ type: 'http', label: 'HTTP request', category: 'io', description: 'Call a URL.', schema: z.object({ url: z.string().min(1), method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'), headers: z.record(z.string(), z.string()).optional(), body: z.string().optional() }) },
	{ type: 'call_llm', label: 'Call LLM', category: 'ai', description: 'Ask a language model.', schema: z.object({ prompt: z.string().min(1), model: z.string().optional(), temperature: z.number().min(0).max(2).optional(), system: z.string().optional() }) }
];

function loadKinds(): EffectKindInfo[] {
	const mod = Object.values(effectsModules)[0];
	const raw = mod?.effectKinds as unknown;
	if (!raw) return fallbackKinds;
	const out: EffectKindInfo[] = [];
	const add = (type: string, k: Record<string, unknown>) =>
		out.push({
			type,
			label: String(k.label ?? type),
			description: String(k.description ?? ''),
			category: String(k.category ?? 'data'),
			schema: k.schema as z.ZodType | undefined
		});
	if (Array.isArray(raw)) for (const k of raw as Record<string, unknown>[]) add(String(k.type ?? k.kind ?? k.id), k);
	else if (raw instanceof Map) for (const [t, k] of raw) add(String(t), k as Record<string, unknown>);
	else for (const [t, k] of Object.entries(raw as Record<string, Record<string, unknown>>)) add(t, k);
	return out.length ? out : fallbackKinds;
}

export const effectKinds: EffectKindInfo[] = loadKinds();
export const effectKindsByType = new Map(effectKinds.map((k) => [k.type, k]));
export const usingFallbackEffects = effectKinds === fallbackKinds;
export const usingFallbackLint = !modelLint;
