/**
 * What changed between two versions of a workflow: states and transitions added, removed or
 * changed (with which fields, effects among them), workflow fields, and a line diff of the
 * JSON for the text view. Pure JSON in, plain data out.
 */
import type { StateNodeSpec, Workflow } from '../model/types';
import { allStatePaths, listTransitions, stateAt, type ResolvedTransition as FlatTransition } from '../model/tree';

export interface StateChange {
	path: string;
	/** Fields that differ (`entry`, `exit` and `invoke` are the effects). */
	fields: string[];
}

export interface TransitionRef {
	/** Stable key across versions: source|trigger|target list. */
	key: string;
	source: string;
	label: string;
	targets: string[];
}

export interface WorkflowDiff {
	states: { added: string[]; removed: string[]; changed: StateChange[]; moved: string[] };
	transitions: { added: TransitionRef[]; removed: TransitionRef[]; changed: (TransitionRef & { fields: string[] })[] };
	/** Top-level fields that differ (name, initial, context, description). */
	workflow: string[];
	/** True when nothing but positions differ. */
	empty: boolean;
}

const OWN_FIELDS = (s: StateNodeSpec) => {
	const o: Record<string, unknown> = { ...s };
	delete o.states;
	delete o.on;
	delete o.after;
	delete o.always;
	delete o.onDone;
	delete o.onError;
	return o;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function transitionRefs(wf: Workflow): Map<string, { ref: TransitionRef; t: FlatTransition }> {
	const out = new Map<string, { ref: TransitionRef; t: FlatTransition }>();
	const seen = new Map<string, number>();
	for (const t of listTransitions(wf)) {
		const targets = t.targets.map((x, i) => x ?? String(Array.isArray(t.spec.target) ? t.spec.target[i] : t.spec.target));
		const base = `${t.source}|${t.trigger}|${targets.join(',')}`;
		const n = seen.get(base) ?? 0;
		seen.set(base, n + 1);
		const key = n ? `${base}#${n}` : base;
		out.set(key, { ref: { key, source: t.source, label: t.label, targets }, t });
	}
	return out;
}

/** Differences from `a` (older) to `b` (newer). */
export function diffWorkflows(a: Workflow, b: Workflow): WorkflowDiff {
	const pa = new Set(allStatePaths(a));
	const pb = new Set(allStatePaths(b));
	const added = [...pb].filter((p) => !pa.has(p));
	const removed = [...pa].filter((p) => !pb.has(p));
	const changed: StateChange[] = [];
	const moved: string[] = [];
	for (const p of pb) {
		if (!pa.has(p)) continue;
		const sa = OWN_FIELDS(stateAt(a, p)!);
		const sb = OWN_FIELDS(stateAt(b, p)!);
		const fields = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].filter((k) => !same(sa[k], sb[k])).sort();
		if (fields.length) changed.push({ path: p, fields });
		const la = a.layout?.[p];
		const lb = b.layout?.[p];
		if (la && lb && (la.x !== lb.x || la.y !== lb.y)) moved.push(p);
	}
	const ta = transitionRefs(a);
	const tb = transitionRefs(b);
	const tAdded = [...tb.keys()].filter((k) => !ta.has(k)).map((k) => tb.get(k)!.ref);
	const tRemoved = [...ta.keys()].filter((k) => !tb.has(k)).map((k) => ta.get(k)!.ref);
	const tChanged: WorkflowDiff['transitions']['changed'] = [];
	for (const [k, { ref, t }] of tb) {
		const old = ta.get(k);
		if (!old) continue;
		const sa = old.t.spec as Record<string, unknown>;
		const sb = t.spec as Record<string, unknown>;
		const fields = [...new Set([...Object.keys(sa), ...Object.keys(sb)])].filter((f) => f !== 'target' && !same(sa[f], sb[f])).sort();
		if (fields.length) tChanged.push({ ...ref, fields });
	}
	const wfFields = ['name', 'description', 'initial', 'context', 'on'].filter((f) => !same((a as unknown as Record<string, unknown>)[f], (b as unknown as Record<string, unknown>)[f]));
	const empty = !added.length && !removed.length && !changed.length && !tAdded.length && !tRemoved.length && !tChanged.length && !wfFields.filter((f) => f !== 'on').length;
	return { states: { added, removed, changed, moved }, transitions: { added: tAdded, removed: tRemoved, changed: tChanged }, workflow: wfFields.filter((f) => f !== 'on'), empty };
}

const FIELD_WORDS: Record<string, string> = { entry: 'entry effects', exit: 'exit effects', invoke: 'invoked effect', effects: 'effects', guard: 'guard', description: 'description', type: 'type', initial: 'initial child', id: 'id' };

function transitionText(t: TransitionRef): string {
	return `${t.source || 'workflow'} —${t.label}→ ${t.targets.length ? t.targets.join(', ') : '(no target)'}`;
}

/** The diff as short sentences, one per change (the timeline and the text view use them). */
export function describeDiff(d: WorkflowDiff): string[] {
	const out: string[] = [];
	for (const f of d.workflow) out.push(f === 'name' ? 'renamed the workflow' : f === 'initial' ? 'changed the initial state' : `changed the workflow's ${f}`);
	for (const p of d.states.added) out.push(`added state ${p}`);
	for (const p of d.states.removed) out.push(`removed state ${p}`);
	for (const c of d.states.changed) out.push(`changed ${c.fields.map((f) => FIELD_WORDS[f] ?? f).join(', ')} of ${c.path}`);
	for (const t of d.transitions.added) out.push(`added transition ${transitionText(t)}`);
	for (const t of d.transitions.removed) out.push(`removed transition ${transitionText(t)}`);
	for (const t of d.transitions.changed) out.push(`changed ${t.fields.map((f) => FIELD_WORDS[f] ?? f).join(', ')} of ${transitionText(t)}`);
	if (!out.length && d.states.moved.length) out.push(`moved ${d.states.moved.length === 1 ? d.states.moved[0] : `${d.states.moved.length} states`}`);
	return out;
}

export interface DiffLine {
	op: ' ' | '+' | '-';
	text: string;
}

/** Line diff (Myers) of two texts; unchanged runs longer than 2×`context` are folded into one '…' line. */
export function lineDiff(a: string, b: string, context = 3): DiffLine[] {
	const x = a.split('\n');
	const y = b.split('\n');
	// trim the common head and tail: most versions differ in a few lines
	let head = 0;
	while (head < x.length && head < y.length && x[head] === y[head]) head++;
	let tail = 0;
	while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
	const xs = x.slice(head, x.length - tail);
	const ys = y.slice(head, y.length - tail);
	const n = xs.length;
	const m = ys.length;
	const max = n + m;
	const v = new Int32Array(2 * max + 2);
	const trace: Int32Array[] = [];
	let done = false;
	for (let d = 0; d <= max && !done; d++) {
		trace.push(v.slice());
		for (let k = -d; k <= d; k += 2) {
			let i = k === -d || (k !== d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
			let j = i - k;
			while (i < n && j < m && xs[i] === ys[j]) {
				i++;
				j++;
			}
			v[max + k] = i;
			if (i >= n && j >= m) {
				done = true;
				break;
			}
		}
	}
	const mid: DiffLine[] = [];
	let i = n;
	let j = m;
	for (let d = trace.length - 1; d >= 0 && (i > 0 || j > 0); d--) {
		const vv = trace[d];
		const k = i - j;
		const down = k === -d || (k !== d && vv[max + k - 1] < vv[max + k + 1]);
		const pk = down ? k + 1 : k - 1;
		const pi = vv[max + pk];
		const pj = pi - pk;
		while (i > pi && j > pj) mid.push({ op: ' ', text: xs[--i] }), j--;
		if (d > 0) {
			if (down) mid.push({ op: '+', text: ys[--j] });
			else mid.push({ op: '-', text: xs[--i] });
		}
	}
	mid.reverse();
	const all: DiffLine[] = [...x.slice(0, head).map((t) => ({ op: ' ' as const, text: t })), ...mid, ...x.slice(x.length - tail).map((t) => ({ op: ' ' as const, text: t }))];
	// fold long unchanged runs
	const out: DiffLine[] = [];
	let run: DiffLine[] = [];
	const flush = (last: boolean) => {
		const first = out.length === 0;
		const keepHead = first ? 0 : context;
		const keepTail = last ? 0 : context;
		if (run.length > keepHead + keepTail + 1) {
			out.push(...run.slice(0, keepHead));
			out.push({ op: ' ', text: `… ${run.length - keepHead - keepTail} unchanged lines` });
			out.push(...run.slice(run.length - keepTail));
		} else out.push(...run);
		run = [];
	};
	for (const l of all) {
		if (l.op === ' ') run.push(l);
		else {
			flush(false);
			out.push(l);
		}
	}
	flush(true);
	return out;
}
