/**
 * Risks a reviewer looks for, found without a model: loops that can run forever without
 * anyone sending an event, effects that reach the outside with nothing bounding their time,
 * and model calls with no fallback or no budget. The model's review adds to these; lint's
 * problems come first.
 */
import { lintWorkflow } from '../model';
import type { Workflow } from '../model/types';
import { listTransitions, allStatePaths, stateAt, stateType, isDescendantOrSelf } from '../model/tree';
import { effectKinds } from '../effects/kinds';
import type { EffectKind } from '../effects/types';
import { forEachEffect, pathText } from './walk';

export type Severity = 'high' | 'medium' | 'low';

export interface Finding {
	/** Stable rule id (`unbounded-loop`, `no-timeout`, `ai-no-fallback`, `ai-no-budget`, a lint rule, or `model`). */
	rule: string;
	severity: Severity;
	title: string;
	detail: string;
	/** The state concerned, when there is one. */
	state?: string;
	/** An instruction the assistant's edit mode can carry out. */
	fix?: string;
	/** Where it came from. */
	source: 'lint' | 'rules' | 'model';
}

const AI_KINDS = new Set(['call_llm', 'rag', 'coordinate_agents']);
const BOUNDING = new Set(['timeout']);

function categoryOf(type: string): string | undefined {
	return (effectKinds as Record<string, EffectKind | undefined>)[type]?.category;
}

/** Effects that reach the outside (HTTP, models, tools) with no timeout around them. */
function timeoutFindings(wf: Workflow): Finding[] {
	const out: Finding[] = [];
	const seen = new Set<string>();
	forEachEffect(wf, ({ effect, path, state, slot, wrappers }) => {
		const cat = categoryOf(effect.type);
		if (cat !== 'io' && cat !== 'ai') return;
		if (wrappers.some((w) => BOUNDING.has(w))) return;
		if (typeof effect.timeoutMs === 'number') return;
		// a state whose invoke is cut by its own `after` transition is bounded too
		const s = state ? stateAt(wf, state) : undefined;
		if (slot === 'invoke' && s?.after && Object.keys(s.after).length) return;
		const key = `${state}|${effect.type}`;
		if (seen.has(key)) return;
		seen.add(key);
		out.push({
			rule: 'no-timeout',
			severity: slot === 'invoke' ? 'medium' : 'low',
			title: `${effect.type} without a timeout`,
			detail: `The ${effect.type} effect at ${pathText(path)} can wait forever if the service does not answer; the state would hang.`,
			...(state ? { state } : {}),
			fix: `Wrap the ${effect.type} effect of state "${state}" in a timeout of 30000 ms (keep it inside any retry).`,
			source: 'rules'
		});
	});
	return out;
}

/** Model calls with no fallback model, and a workflow with model calls but no budget. */
function aiFindings(wf: Workflow): Finding[] {
	const out: Finding[] = [];
	let calls = 0;
	forEachEffect(wf, ({ effect, state, wrappers }) => {
		if (!AI_KINDS.has(effect.type)) return;
		calls++;
		const fallback = Array.isArray(effect.fallback) && effect.fallback.length > 0;
		if (fallback) return;
		const retried = wrappers.includes('retry');
		out.push({
			rule: 'ai-no-fallback',
			severity: retried ? 'low' : 'medium',
			title: `${effect.type} without a fallback model`,
			detail: `When the model is rate limited, overloaded or down, ${state ? `state "${state}"` : 'this step'} fails${retried ? ' after its retries' : ''}; a second provider or model keeps it going.`,
			...(state ? { state } : {}),
			fix: `Give the ${effect.type} effect of state "${state}" a fallback model (another provider or a smaller model).`,
			source: 'rules'
		});
	});
	const budget = (wf as Workflow & { budget?: { maxCostUsd?: number; maxTokens?: number } }).budget;
	if (calls > 0 && (!budget || (budget.maxCostUsd === undefined && budget.maxTokens === undefined))) {
		out.push({
			rule: 'ai-no-budget',
			severity: 'medium',
			title: 'No budget for model calls',
			detail: `The workflow makes ${calls} model call${calls === 1 ? '' : 's'} per pass but sets no budget, so a loop or a long document can spend without limit.`,
			fix: 'Set the workflow budget to at most 0.50 US dollars and 200000 tokens per run.',
			source: 'rules'
		});
	}
	return out;
}

/**
 * Cycles that need no event to go round: made only of `always`, `after`, `onDone` and
 * `onError` transitions (an invoke finishing is not someone deciding), where no transition of
 * the cycle has a guard that could stop it.
 */
function loopFindings(wf: Workflow): Finding[] {
	const trans = listTransitions(wf);
	const paths = allStatePaths(wf);
	const auto = (trigger: string) => trigger === 'always' || trigger === 'onDone' || trigger === 'onError' || trigger.startsWith('after:');
	// edges between leaf-level states: a transition from a state applies to its descendants too
	const edges = new Map<string, { to: string; guarded: boolean; trigger: string }[]>();
	for (const t of trans) {
		if (!t.source || !auto(t.trigger)) continue;
		const guarded = !!t.spec.guard && t.spec.guard.trim() !== 'true';
		for (const to of t.targets) {
			if (to === null) continue;
			(edges.get(t.source) ?? edges.set(t.source, []).get(t.source)!).push({ to, guarded, trigger: t.trigger });
		}
	}
	const typeOf = (p: string) => {
		const s = stateAt(wf, p);
		return s ? stateType(s) : 'atomic';
	};
	// Tarjan's strongly connected components over unguarded automatic edges
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const comps: string[][] = [];
	let n = 0;
	const next = (v: string) => {
		const out: string[] = [];
		// entering a compound state enters its initial child (a parallel one: every region)
		const s = stateAt(wf, v);
		const type = typeOf(v);
		if (s && type === 'compound' && s.initial && s.states?.[s.initial]) out.push(`${v}.${s.initial}`);
		if (s && type === 'parallel') for (const k of Object.keys(s.states ?? {})) out.push(`${v}.${k}`);
		for (const [src, list] of edges) {
			if (!isDescendantOrSelf(v, src)) continue;
			const container = typeOf(src) === 'compound' || typeOf(src) === 'parallel';
			for (const e of list) {
				if (e.guarded) continue;
				// a container's onDone (without an invoke of its own) waits for a final child
				if (e.trigger === 'onDone' && container && src !== v && !stateAt(wf, src)?.invoke && typeOf(v) !== 'final') continue;
				out.push(e.to);
			}
		}
		return out;
	};
	const strong = (v: string) => {
		index.set(v, n);
		low.set(v, n++);
		stack.push(v);
		onStack.add(v);
		for (const w of next(v)) {
			if (!index.has(w)) {
				strong(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
		}
		if (low.get(v) === index.get(v)) {
			const comp: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				onStack.delete(w);
				comp.push(w);
			} while (w !== v);
			comps.push(comp);
		}
	};
	for (const p of paths) if (!index.has(p)) strong(p);
	const out: Finding[] = [];
	for (const comp of comps) {
		const self = comp.length === 1 && next(comp[0]).includes(comp[0]);
		if (comp.length < 2 && !self) continue;
		// a path and its own ancestor in one component is nesting, not a loop the user drew
		const cycle = comp.filter((p) => !comp.some((q) => q !== p && isDescendantOrSelf(q, p)));
		if (cycle.length < 2 && !self) continue;
		const names = cycle.reverse().join(' → ');
		out.push({
			rule: 'unbounded-loop',
			severity: self ? 'medium' : 'high',
			title: self ? 'A state that repeats itself with no limit' : 'A loop with no limit',
			detail: `${names}${self ? ' (repeating itself)' : ''} can go round forever without any event: nothing in the loop counts or checks a limit. Each round may call models or services.`,
			state: cycle[0],
			fix: `Limit the loop through ${names}: count the rounds in the context and add a guard that leaves the loop after at most 3 rounds.`,
			source: 'rules'
		});
	}
	return out;
}

const LINT_SEVERITY: Record<string, Severity> = { error: 'high', warning: 'low', info: 'low' };

/** Lint problems and rule findings for a workflow, most severe first. */
export function reviewRules(wf: Workflow): Finding[] {
	const lint: Finding[] = lintWorkflow(wf).map((p) => ({
		rule: p.rule,
		severity: LINT_SEVERITY[p.severity] ?? 'low',
		title: p.rule.replace(/-/g, ' '),
		detail: p.message,
		...(p.state ? { state: p.state } : {}),
		source: 'lint' as const
	}));
	const order: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
	return [...lint, ...loopFindings(wf), ...timeoutFindings(wf), ...aiFindings(wf)].sort((a, b) => order[a.severity] - order[b.severity]);
}
