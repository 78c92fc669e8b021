/**
 * Merges that keep intent, on top of Yjs's own.
 *
 * Yjs resolves two concurrent writes of one map key by keeping one of them everywhere (the
 * same one on every peer). For a property that is the right answer ("the last one wins"),
 * but the peer whose value lost should be able to see what it lost; for a *state* it is not:
 * two people creating "review" at the same instant would silently end up with one state.
 *
 * `MergeGuard` watches transactions that come from other peers:
 *  - a key whose value this peer had written, overwritten by a write that had not seen it,
 *    is a conflict this peer lost. A lost state comes back under a free name ("review2"),
 *    with its content and position, and the user is told; a lost value is reported
 *    (path, mine, theirs) so the history can show it.
 *  - references that a merge broke (a transition whose target someone else deleted or
 *    renamed at the same moment, an initial state that no longer exists, an id now used
 *    twice) are repaired once the doc has every change it has heard of: dangling transitions
 *    are removed (the deletion's own rule), a missing initial becomes the first state, a
 *    repeated id gets a suffix. Each repair is reported. Problems that a person made on
 *    purpose (their edit had seen everything) are left to the Problems panel.
 *
 * Repairs are deterministic, so two peers making the same one write the same values.
 */
import * as Y from 'yjs';
import type { LayoutEntry, StateNodeSpec, Workflow } from '../model/types';
import { indexStates, allTransitions, resolveTarget, targetsOf, childStates, stateType } from '../model/tree';
import { readWorkflow, rootMap, stateMapAt, statesMapAt, stateToY } from './binding';
import { uniqueKey } from './ops';
import { compactTransitions, normalizeTransitions } from '../model/tree';

/** Origin of the edits a merge repair makes: not undoable, not "mine". */
export const MERGE = { merge: true } as const;

export interface LostValue {
	kind: 'value';
	/** Path in the workflow JSON, e.g. ['states', 'idle', 'description']. */
	path: string[];
	mine: unknown;
	theirs: unknown;
	/** Yjs client id of the writer whose value won. */
	by: number;
}

export interface LostState {
	kind: 'state';
	/** Path of the state as both peers named it. */
	path: string;
	/** Where this peer's copy now lives. */
	rescuedAs: string;
	by: number;
}

export interface RepairNotice {
	kind: 'repair';
	message: string;
	/** Path in the workflow JSON of what was repaired. */
	path: (string | number)[];
}

export type MergeNotice = LostValue | LostState | RepairNotice;

type AnyItem = Y.Item & { content: { getContent(): unknown[] } };

/** The value a Y type had before `tr` (items deleted in `tr` count as still there). */
function valueBefore(v: unknown, tr: Y.Transaction): unknown {
	const alive = (item: Y.Item) => !item.deleted || Y.isDeleted(tr.deleteSet, item.id);
	if (v instanceof Y.Map) {
		const o: Record<string, unknown> = {};
		for (const [k, item] of (v as Y.Map<unknown>)._map as Map<string, AnyItem>) {
			if (!alive(item)) continue;
			const c = item.content.getContent();
			o[k] = valueBefore(c[c.length - 1], tr);
		}
		return o;
	}
	if (v instanceof Y.Array) {
		const out: unknown[] = [];
		for (let item = (v as Y.Array<unknown>)._start as AnyItem | null; item; item = item.right as AnyItem | null) {
			if (!item.countable || !alive(item)) continue;
			for (const c of item.content.getContent()) out.push(valueBefore(c, tr));
		}
		return out;
	}
	return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** Turns a path of keys in the Y tree into the workflow's JSON path (same keys). */
function isStatesContainer(path: (string | number)[]): boolean {
	// root.states[k] or ….states[k].states[k'] : the last key names a state
	return path.length >= 1 && path[path.length - 1] === 'states' && path.length % 2 === 1;
}

function statePathOf(jsonPath: (string | number)[]): string {
	const keys: string[] = [];
	for (let i = 0; i < jsonPath.length; i += 2) if (jsonPath[i] === 'states') keys.push(String(jsonPath[i + 1]));
	return keys.join('.');
}

/** Conflicts this peer lost in one remote transaction (read in the observer, before GC). */
export function lostInTransaction(events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction, me: number): { values: LostValue[]; states: { path: string; spec: StateNodeSpec; by: number }[] } {
	const values: LostValue[] = [];
	const states: { path: string; spec: StateNodeSpec; by: number }[] = [];
	for (const ev of events) {
		if (!(ev instanceof Y.YMapEvent)) continue;
		const target = ev.target as Y.Map<unknown>;
		for (const key of ev.keysChanged) {
			const change = ev.changes.keys.get(key);
			if (!change || change.action !== 'update') continue;
			const item = target._map.get(key) as AnyItem | undefined;
			if (!item || !ev.adds(item)) continue;
			let prev = item.left as AnyItem | null;
			while (prev && ev.adds(prev)) prev = prev.left as AnyItem | null;
			if (!prev || prev.id.client !== me) continue;
			// the winner was written after seeing our value: an ordinary overwrite, not a conflict
			if (item.origin && Y.compareIDs(item.origin, prev.lastId)) continue;
			const path = [...ev.path, key];
			const prevContent = prev.content.getContent();
			const mine = valueBefore(prevContent[prevContent.length - 1], tr);
			const c = item.content.getContent();
			const theirs = valueBefore(c[c.length - 1], tr);
			if (isStatesContainer(ev.path) && mine && typeof mine === 'object') {
				states.push({ path: statePathOf(path), spec: readState(mine as Record<string, unknown>), by: item.id.client });
			} else if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
				values.push({ kind: 'value', path: path.map(String), mine, theirs, by: item.id.client });
			}
		}
	}
	return { values, states };
}

/** Plain JSON of a state map back to a spec (drops empty containers as the binding does). */
function readState(raw: Record<string, unknown>): StateNodeSpec {
	const doc = new Y.Doc();
	const m = doc.getMap<unknown>('x');
	const build = (o: Record<string, unknown>): StateNodeSpec => {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(o)) {
			if (k === 'states') {
				const kids: Record<string, StateNodeSpec> = {};
				for (const [ck, cv] of Object.entries((v ?? {}) as Record<string, Record<string, unknown>>)) kids[ck] = build(cv);
				if (Object.keys(kids).length || o.type === 'compound' || o.type === 'parallel') out.states = kids;
			} else if ((k === 'on' || k === 'after') && v && typeof v === 'object' && !Object.keys(v).length) continue;
			else if ((k === 'entry' || k === 'exit') && Array.isArray(v) && !v.length) continue;
			else out[k] = v;
		}
		return out as StateNodeSpec;
	};
	void m;
	return build(raw);
}

// ------------------------------------------------------------------ references

interface Issue {
	key: string;
	message: string;
	path: (string | number)[];
	fix: (doc: Y.Doc) => void;
}

/** References that make `parseWorkflow` refuse the workflow, each with its repair. */
export function brokenReferences(wf: Workflow): Issue[] {
	const out: Issue[] = [];
	const index = indexStates(wf);
	const top = childStates(wf).map(([k]) => k);
	if (top.length && (typeof wf.initial !== 'string' || !top.includes(wf.initial))) {
		const was = wf.initial;
		out.push({
			key: `initial::${was}`,
			path: ['initial'],
			message: was ? `The initial state "${was}" no longer exists after the merge; "${top[0]}" is the initial state now.` : `The workflow had no initial state after the merge; "${top[0]}" is the initial state now.`,
			fix: (doc) => rootMap(doc).set('initial', top[0])
		});
	}
	for (const e of index.entries) {
		const type = stateType(e.node);
		const kids = childStates(e.node).map(([k]) => k);
		if (type === 'compound' && typeof e.node.initial === 'string' && e.node.initial && !kids.includes(e.node.initial) && kids.length) {
			const first = kids.find((k) => stateType(e.node.states![k]) !== 'history') ?? kids[0];
			out.push({
				key: `initial:${e.path}:${e.node.initial}`,
				path: [...e.jsonPath, 'initial'],
				message: `The initial child "${e.node.initial}" of "${e.path}" no longer exists after the merge; "${first}" starts it now.`,
				fix: (doc) => stateMapAt(doc, e.path)?.set('initial', first)
			});
		}
		if (type === 'history' && typeof e.node.target === 'string' && e.node.target && resolveTarget(index, e.path, e.node.target) === undefined) {
			out.push({
				key: `history:${e.path}:${e.node.target}`,
				path: [...e.jsonPath, 'target'],
				message: `The default target "${e.node.target}" of history state "${e.path}" no longer exists after the merge and was cleared.`,
				fix: (doc) => stateMapAt(doc, e.path)?.delete('target')
			});
		}
	}
	for (const [id, paths] of index.byId) {
		const taken = new Set(index.byId.keys());
		for (const p of paths.slice(1)) {
			const next = uniqueKey(id, taken);
			taken.add(next);
			out.push({
				key: `id:${id}:${p}`,
				path: [...(index.byPath.get(p)?.jsonPath ?? []), 'id'],
				message: `Two states got the id "${id}" at the same time; the one at "${p}" is now "${next}".`,
				fix: (doc) => stateMapAt(doc, p)?.set('id', next)
			});
		}
	}
	// dangling targets, grouped per trigger so one rewrite removes them all
	const dangling = new Map<string, { source: string; trigger: string; drop: Set<number>; labels: string[]; path: (string | number)[] }>();
	for (const t of allTransitions(wf, index)) {
		const bad = targetsOf(t.spec).filter((x) => resolveTarget(index, t.source, x) === undefined);
		if (!bad.length) continue;
		const k = `${t.source}|${t.trigger}`;
		const g = dangling.get(k) ?? { source: t.source, trigger: t.trigger, drop: new Set(), labels: [], path: t.jsonPath };
		g.drop.add(t.index);
		g.labels.push(...bad);
		dangling.set(k, g);
	}
	for (const g of dangling.values()) {
		const ev = g.trigger.startsWith('on:') ? g.trigger.slice(3) : g.trigger.startsWith('after:') ? `after ${g.trigger.slice(6)} ms` : g.trigger;
		const from = g.source ? `"${g.source}"` : 'the workflow';
		out.push({
			key: `target:${g.source}|${g.trigger}|${[...new Set(g.labels)].sort().join(',')}`,
			path: g.path,
			message: `The transition ${ev} from ${from} pointed to "${[...new Set(g.labels)].join('", "')}", which someone else deleted or renamed at the same time; it was removed (History has it).`,
			fix: (doc) => dropAlternatives(doc, g.source, g.trigger, g.drop)
		});
	}
	return out;
}

function dropAlternatives(doc: Y.Doc, source: string, trigger: string, drop: Set<number>) {
	const holder = source ? stateMapAt(doc, source) : rootMap(doc);
	if (!holder) return;
	let container: Y.Map<unknown> | null = null;
	let key = trigger;
	if (trigger.startsWith('on:') || trigger.startsWith('after:')) {
		const c = holder.get(trigger.startsWith('on:') ? 'on' : 'after');
		if (!(c instanceof Y.Map)) return;
		container = c;
		key = trigger.slice(trigger.indexOf(':') + 1);
	}
	const read = container ? container.get(key) : holder.get(key);
	const specs = normalizeTransitions(JSON.parse(JSON.stringify(read ?? null)) ?? undefined).filter((_, i) => !drop.has(i));
	const next = compactTransitions(specs);
	const target = container ?? holder;
	if (next === undefined) target.delete(key);
	else target.set(key, next);
}

// ------------------------------------------------------------------ the guard

export interface MergeGuardOptions {
	/** True when the doc holds every change this peer has heard of (providers' `caughtUp`). */
	caughtUp?: () => boolean;
	/** Whether a remote transaction was concurrent with what this peer had (see RelayProvider). */
	isConcurrent?: (tr: Y.Transaction) => boolean;
	/** Origins whose transactions are this peer's own (never checked). */
	isLocal?: (tr: Y.Transaction) => boolean;
	onNotice: (notices: MergeNotice[]) => void;
	/** How long to wait for more remote changes before repairing (ms). */
	delay?: number;
}

export class MergeGuard {
	private baseline: Set<string> | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private lostStates: { path: string; spec: StateNodeSpec; layout?: Record<string, LayoutEntry>; by: number }[] = [];
	private lostLayout = new Map<string, LayoutEntry>();
	private pendingValues: LostValue[] = [];
	private destroyed = false;

	constructor(readonly doc: Y.Doc, private opts: MergeGuardOptions) {
		doc.on('beforeTransaction', this.before);
		rootMap(doc).observeDeep(this.observe);
		doc.on('afterTransaction', this.after);
	}

	private remote(tr: Y.Transaction): boolean {
		if (tr.origin === MERGE) return false;
		if (this.opts.isLocal?.(tr)) return false;
		return !tr.local;
	}

	private before = (tr: Y.Transaction) => {
		if (!this.remote(tr) || this.baseline) return;
		if (this.opts.isConcurrent && !this.opts.isConcurrent(tr)) return;
		this.baseline = new Set(brokenReferences(readWorkflow(this.doc)).map((i) => i.key));
	};

	private observe = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
		if (!this.remote(tr)) return;
		const { values, states } = lostInTransaction(events, tr, this.doc.clientID);
		for (const v of values) {
			// a lost position of a lost state goes back with the state
			if (v.path[0] === 'layout' && v.path.length === 2 && v.mine && typeof v.mine === 'object') this.lostLayout.set(v.path[1], v.mine as LayoutEntry);
			else this.pendingValues.push(v);
		}
		for (const s of states) this.lostStates.push(s);
	};

	private after = (tr: Y.Transaction) => {
		if (!this.remote(tr)) return;
		if (!this.baseline && !this.lostStates.length && !this.pendingValues.length) return;
		this.schedule();
	};

	private schedule() {
		if (this.destroyed) return;
		if (this.timer) clearTimeout(this.timer);
		this.timer = setTimeout(() => this.check(), this.opts.delay ?? 150);
	}

	/** Runs the pending rescue and repairs now (tests call it; normally it runs by itself). */
	check(): MergeNotice[] {
		this.timer = null;
		if (this.destroyed) return [];
		if (this.opts.caughtUp && !this.opts.caughtUp()) {
			this.schedule();
			return [];
		}
		const notices: MergeNotice[] = [...this.pendingValues.splice(0)];
		const lost = this.lostStates.splice(0);
		const layouts = new Map(this.lostLayout);
		this.lostLayout.clear();
		this.doc.transact(() => {
				for (const s of lost) {
					const i = s.path.lastIndexOf('.');
					const parent = i < 0 ? '' : s.path.slice(0, i);
					const key = i < 0 ? s.path : s.path.slice(i + 1);
					const siblings = statesMapAt(this.doc, parent);
					if (!siblings) continue;
					const spec = { ...s.spec };
					delete spec.id; // an explicit id would now be used twice
					const newKey = uniqueKey(key, siblings.keys());
					siblings.set(newKey, stateToY(spec));
					const rescued = parent ? `${parent}.${newKey}` : newKey;
					const layout = rootMap(this.doc).get('layout');
					const pos = layouts.get(s.path);
					if (layout instanceof Y.Map) {
						const theirs = layout.get(s.path) as LayoutEntry | undefined;
						const base = pos ?? theirs;
						if (base) layout.set(rescued, { ...base, ...(theirs && pos && theirs.x === pos.x && theirs.y === pos.y ? { x: pos.x + 40, y: pos.y + 40 } : {}), ...(!pos && theirs ? { x: theirs.x + 40, y: theirs.y + 40 } : {}) });
						for (const [lp, e] of layouts) if (lp.startsWith(s.path + '.')) layout.set(rescued + lp.slice(s.path.length), e);
					}
					notices.push({ kind: 'state', path: s.path, rescuedAs: rescued, by: s.by });
				}
				if (this.baseline) {
					const base = this.baseline;
					this.baseline = null;
					for (const issue of brokenReferences(readWorkflow(this.doc))) {
						if (base.has(issue.key)) continue;
						issue.fix(this.doc);
						notices.push({ kind: 'repair', message: issue.message, path: issue.path });
					}
				}
		}, MERGE);
		if (notices.length) this.opts.onNotice(notices);
		return notices;
	}

	/**
	 * Repairs every broken reference the document holds now, as read (the designer calls it
	 * when it opens a workflow: a merge received just before a tab closed, or by a peer without
	 * a guard, can leave one stored). The repairs depend only on the document, so every peer
	 * that reads the same document makes the same ones, and their writes converge.
	 */
	repairOnRead(): MergeNotice[] {
		if (this.destroyed) return [];
		const issues = brokenReferences(readWorkflow(this.doc));
		if (!issues.length) return [];
		const notices: MergeNotice[] = [];
		this.doc.transact(() => {
			// fixes may shift what later issues point at: re-read after each kind
			for (let round = 0; round < 4; round++) {
				const now = round === 0 ? issues : brokenReferences(readWorkflow(this.doc));
				if (!now.length) break;
				for (const issue of now) {
					issue.fix(this.doc);
					notices.push({ kind: 'repair', message: issue.message, path: issue.path });
				}
			}
		}, MERGE);
		if (notices.length) this.opts.onNotice(notices);
		return notices;
	}

	destroy() {
		this.destroyed = true;
		if (this.timer) clearTimeout(this.timer);
		this.doc.off('beforeTransaction', this.before);
		this.doc.off('afterTransaction', this.after);
		rootMap(this.doc).unobserveDeep(this.observe);
	}
}
