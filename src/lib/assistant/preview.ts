/**
 * What the canvas shows while a proposal is previewed: the proposed workflow with what it
 * removes put back as ghosts, and a mark on every state and transition that is added,
 * changed or removed. Pure: the designer draws `workflow` and styles by `marks`.
 */
import type { StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../model/types';
import { allStatePaths, listTransitions, normalizeTransitions, parentPath, keyOf, stateAt, type ResolvedTransition } from '../model/tree';
import { describeDiff, diffWorkflows, type WorkflowDiff } from '../collab/diff';

export type Mark = 'added' | 'changed' | 'removed';

export interface PreviewMarks {
	/** By state path. */
	states: Record<string, Mark>;
	/** By transition id in the preview workflow. */
	transitions: Record<string, Mark>;
}

export interface Preview {
	/** The proposal, with removed states and transitions put back so they can be drawn struck out. */
	workflow: Workflow;
	marks: PreviewMarks;
	diff: WorkflowDiff;
	/** One sentence per change ("added state review", …). */
	changes: string[];
	counts: Record<Mark, number>;
}

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function keyedTransitions(wf: Workflow): Map<string, ResolvedTransition> {
	const out = new Map<string, ResolvedTransition>();
	const seen = new Map<string, number>();
	for (const t of listTransitions(wf)) {
		const targets = t.targets.map((x, i) => x ?? String(Array.isArray(t.spec.target) ? t.spec.target[i] : t.spec.target));
		const base = `${t.source}|${t.trigger}|${targets.join(',')}`;
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		out.set(n ? `${base}#${n}` : base, t);
	}
	return out;
}

function configOf(s: StateNodeSpec | Workflow, trigger: string): TransitionSpec[] {
	const holder = s as StateNodeSpec;
	if (trigger.startsWith('on:')) return normalizeTransitions(holder.on?.[trigger.slice(3)] as TransitionConfig);
	if (trigger.startsWith('after:')) return normalizeTransitions(holder.after?.[trigger.slice(6)] as TransitionConfig);
	return normalizeTransitions(holder[trigger as 'always' | 'onDone' | 'onError'] as TransitionConfig);
}

function writeConfig(s: StateNodeSpec | Workflow, trigger: string, specs: TransitionSpec[]) {
	const holder = s as StateNodeSpec;
	if (trigger.startsWith('on:')) (holder.on ??= {})[trigger.slice(3)] = specs;
	else if (trigger.startsWith('after:')) (holder.after ??= {})[trigger.slice(6)] = specs;
	else holder[trigger as 'always' | 'onDone' | 'onError'] = specs;
}

/** The preview of going from `before` to `after`. */
export function buildPreview(before: Workflow, after: Workflow): Preview {
	const diff = diffWorkflows(before, after);
	const merged = clone(after);
	const marks: PreviewMarks = { states: {}, transitions: {} };
	for (const p of diff.states.added) marks.states[p] = 'added';
	for (const c of diff.states.changed) marks.states[c.path] = 'changed';

	// removed states come back where they were (top-most ones carry their children)
	const removed = diff.states.removed;
	const tops = removed.filter((p) => !removed.includes(parentPath(p)) || !parentPath(p));
	for (const p of tops) {
		const parent = parentPath(p);
		const holder = parent ? stateAt(merged, parent) : merged;
		if (!holder) continue;
		const spec = clone(stateAt(before, p)!);
		const h = holder as StateNodeSpec;
		(h.states ??= {})[keyOf(p)] = spec;
		for (const q of allStatePaths({ states: { [keyOf(p)]: spec } } as unknown as Workflow)) {
			const full = parent ? `${parent}.${q}` : q;
			marks.states[full] = 'removed';
			const l = before.layout?.[full];
			if (l) (merged.layout ??= {})[full] = l;
		}
	}

	// transitions: added and changed ones by key; removed ones put back on their source
	const afterKeys = keyedTransitions(after);
	const addedKeys = new Set(diff.transitions.added.map((t) => t.key));
	const changedKeys = new Set(diff.transitions.changed.map((t) => t.key));
	for (const [key, t] of afterKeys) {
		if (addedKeys.has(key)) marks.transitions[t.id] = 'added';
		else if (changedKeys.has(key)) marks.transitions[t.id] = 'changed';
	}
	const beforeKeys = keyedTransitions(before);
	for (const ref of diff.transitions.removed) {
		const t = beforeKeys.get(ref.key);
		if (!t) continue;
		// inside a removed state it came back with the state
		if (t.source && marks.states[t.source] === 'removed') continue;
		const holder = t.source ? stateAt(merged, t.source) : merged;
		if (!holder) continue;
		const specs = configOf(holder, t.trigger);
		specs.push(clone(t.spec));
		writeConfig(holder, t.trigger, specs);
		marks.transitions[`${t.source}|${t.trigger}|${specs.length - 1}`] = 'removed';
	}
	// transitions of ghost states are ghosts too
	for (const t of listTransitions(merged)) if (t.source && marks.states[t.source] === 'removed') marks.transitions[t.id] = 'removed';

	const counts: Record<Mark, number> = { added: 0, changed: 0, removed: 0 };
	for (const m of Object.values(marks.states)) counts[m]++;
	for (const m of Object.values(marks.transitions)) counts[m]++;
	return { workflow: merged, marks, diff, changes: describeDiff(diff), counts };
}
