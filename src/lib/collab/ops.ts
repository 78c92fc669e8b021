/**
 * Edits of a workflow document. Every function makes one Yjs transaction with the LOCAL
 * origin, so each is one step of undo/redo and reaches other tabs as one update.
 */
import * as Y from 'yjs';
import type { EffectSpec, LayoutEntry, StateNodeSpec, TransitionSpec, Workflow } from '../model/types';
import { LOCAL, containerOf, readWorkflow, rootMap, stateFromY, stateMapAt, statesMapAt, stateToY, type StateMap } from './binding';
import {
	allStatePaths, compactTransitions, indexStates, isDescendantOrSelf, joinPath, keyOf, listTransitions,
	normalizeTransitions, parentPath, parseTransitionId, resolveTarget, stateAt
} from '../model/tree';
import { formatTarget, parseTarget, relativeTarget } from '../model/targets';

export class EditError extends Error {}

const KEY_RE = /^[^.#\s][^.#]*$/;

/** Why a state key is not acceptable, or null. */
export function invalidKey(key: string): string | null {
	if (!key.trim()) return 'A state needs a name.';
	if (key !== key.trim()) return 'A name cannot start or end with spaces.';
	if (!KEY_RE.test(key)) return 'A name cannot contain "." or "#".';
	return null;
}

/** A key not yet used among `taken`, from `base` (state, state2, state3, …). */
export function uniqueKey(base: string, taken: Iterable<string>): string {
	const set = new Set(taken);
	if (!set.has(base)) return base;
	for (let i = 2; ; i++) if (!set.has(`${base}${i}`)) return `${base}${i}`;
}

let origin: unknown = LOCAL;

/**
 * Runs edits with another transaction origin (merge repairs use MERGE, so they never land in
 * anybody's undo stack).
 */
export function withOrigin<T>(o: unknown, fn: () => T): T {
	const prev = origin;
	origin = o;
	try {
		return fn();
	} finally {
		origin = prev;
	}
}

function tx<T>(doc: Y.Doc, fn: () => T): T {
	let out!: T;
	doc.transact(() => {
		out = fn();
	}, origin);
	return out;
}

function layoutMap(doc: Y.Doc): Y.Map<LayoutEntry> {
	const root = rootMap(doc);
	let l = root.get('layout');
	if (!(l instanceof Y.Map)) {
		l = new Y.Map();
		root.set('layout', l);
	}
	return l as Y.Map<LayoutEntry>;
}

/** Sets a top-level field of the workflow (name, description, initial, context); undefined deletes. */
export function setWorkflowField(doc: Y.Doc, field: 'name' | 'description' | 'initial' | 'context' | 'id', value: unknown): void {
	tx(doc, () => {
		const root = rootMap(doc);
		if (value === undefined || value === '') root.delete(field);
		else root.set(field, JSON.parse(JSON.stringify(value)));
	});
}

/** Adds a state under `parent` ('' = top level); returns its path. */
export function addState(
	doc: Y.Doc,
	opts: { parent?: string; key?: string; spec?: StateNodeSpec; position?: { x: number; y: number }; size?: { width: number; height: number } }
): string {
	return tx(doc, () => {
		const parent = opts.parent ?? '';
		const states = statesMapAt(doc, parent);
		if (!states) throw new EditError(`No state "${parent}" to add into.`);
		const key = uniqueKey(opts.key ?? 'state', states.keys());
		states.set(key, stateToY(opts.spec ?? {}));
		const path = joinPath(parent, key);
		if (opts.position) {
			layoutMap(doc).set(path, { x: Math.round(opts.position.x), y: Math.round(opts.position.y), ...(opts.size ?? {}) });
		}
		if (parent) {
			const pm = stateMapAt(doc, parent)!;
			if (!pm.get('initial') && pm.get('type') !== 'parallel') pm.set('initial', key);
			if (!pm.get('type')) pm.set('type', 'compound');
		}
		return path;
	});
}

/** Sets positions (and sizes) of states. */
export function setLayout(doc: Y.Doc, entries: Record<string, Partial<LayoutEntry>>): void {
	tx(doc, () => {
		const l = layoutMap(doc);
		for (const [path, e] of Object.entries(entries)) {
			const prev = l.get(path) ?? { x: 0, y: 0 };
			const next: LayoutEntry = { ...prev, ...e } as LayoutEntry;
			next.x = Math.round(next.x);
			next.y = Math.round(next.y);
			if (next.width !== undefined) next.width = Math.round(next.width);
			if (next.height !== undefined) next.height = Math.round(next.height);
			if (prev.x !== next.x || prev.y !== next.y || prev.width !== next.width || prev.height !== next.height || !l.has(path)) l.set(path, next);
		}
	});
}

type PlainStateField = Exclude<keyof StateNodeSpec, 'states' | 'on' | 'after' | 'entry' | 'exit'>;

/** Sets plain fields of a state (type, initial, invoke, description, …); undefined deletes. */
export function setStateFields(doc: Y.Doc, path: string, patch: Partial<Pick<StateNodeSpec, PlainStateField>>): void {
	tx(doc, () => {
		const m = stateMapAt(doc, path);
		if (!m) throw new EditError(`No state "${path}".`);
		for (const [k, v] of Object.entries(patch)) {
			if (v === undefined || v === '') m.delete(k);
			else m.set(k, JSON.parse(JSON.stringify(v)));
		}
	});
}

/** Replaces the effect list of a state's entry or exit. */
export function setEffects(doc: Y.Doc, path: string, where: 'entry' | 'exit', effects: EffectSpec[]): void {
	tx(doc, () => {
		const m = stateMapAt(doc, path);
		if (!m) throw new EditError(`No state "${path}".`);
		const arr = containerOf<Y.Array<unknown>>(m, where);
		arr.delete(0, arr.length);
		if (effects.length) arr.push(effects.map((e) => JSON.parse(JSON.stringify(e))));
	});
}

/** Adds one effect to a state: to `entry`/`exit`, or as its `invoke`. */
export function addEffect(doc: Y.Doc, path: string, where: 'entry' | 'exit' | 'invoke', effect: EffectSpec): void {
	tx(doc, () => {
		const m = stateMapAt(doc, path);
		if (!m) throw new EditError(`No state "${path}".`);
		const e = JSON.parse(JSON.stringify(effect));
		if (where === 'invoke') m.set('invoke', e);
		else containerOf<Y.Array<unknown>>(m, where).push([e]);
	});
}

/** Changes the type; keeps children. `atomic` on a state with children is refused. */
export function setStateType(doc: Y.Doc, path: string, type: 'atomic' | 'final' | 'compound' | 'parallel'): void {
	tx(doc, () => {
		const m = stateMapAt(doc, path);
		if (!m) throw new EditError(`No state "${path}".`);
		const children = containerOf<Y.Map<unknown>>(m, 'states');
		if ((type === 'atomic' || type === 'final') && children.size > 0) throw new EditError('Remove the child states first.');
		if (type === 'atomic') m.delete('type');
		else m.set('type', type);
		if (type === 'parallel') m.delete('initial');
	});
}

/** Makes `path` the initial state of its parent (or of the workflow). */
export function setInitial(doc: Y.Doc, path: string): void {
	tx(doc, () => {
		const parent = parentPath(path);
		if (!parent) rootMap(doc).set('initial', keyOf(path));
		else stateMapAt(doc, parent)?.set('initial', keyOf(path));
	});
}

// ---------------------------------------------------------------- transitions

function readConfig(doc: Y.Doc, source: string, trigger: string): TransitionSpec[] {
	const holder = source ? stateMapAt(doc, source) : rootMap(doc);
	if (!holder) throw new EditError(`No state "${source}".`);
	if (trigger.startsWith('on:') || trigger.startsWith('after:')) {
		const c = holder.get(trigger.startsWith('on:') ? 'on' : 'after');
		const key = trigger.slice(trigger.indexOf(':') + 1);
		const v = c instanceof Y.Map ? c.get(key) : (c as Record<string, unknown> | undefined)?.[key];
		return JSON.parse(JSON.stringify(normalizeTransitions(v as never)));
	}
	return JSON.parse(JSON.stringify(normalizeTransitions(holder.get(trigger) as never)));
}

function writeConfig(doc: Y.Doc, source: string, trigger: string, specs: TransitionSpec[]): void {
	const holder = source ? stateMapAt(doc, source) : rootMap(doc);
	if (!holder) throw new EditError(`No state "${source}".`);
	const value = compactTransitions(specs);
	if (trigger.startsWith('on:') || trigger.startsWith('after:')) {
		const name = trigger.startsWith('on:') ? 'on' : 'after';
		const c = source ? containerOf<Y.Map<unknown>>(holder as StateMap, name) : (holder.get('on') as Y.Map<unknown>);
		const key = trigger.slice(trigger.indexOf(':') + 1);
		if (value === undefined) c.delete(key);
		else c.set(key, value);
	} else if (value === undefined) holder.delete(trigger);
	else holder.set(trigger, value);
}

/** The target string that reaches `to` from `from`; gives the target an explicit id if needed. */
function targetString(doc: Y.Doc, wf: Workflow, from: string, to: string): string {
	const rel = relativeTarget(from, to);
	if (rel !== null) return rel;
	const s = stateMapAt(doc, to)!;
	let id = s.get('id') as string | undefined;
	if (!id) {
		id = to.replace(/\./g, '_');
		const taken = indexStates(wf).byId;
		let n = 2;
		const base = id;
		while (taken.has(id) && taken.get(id)![0] !== to) id = `${base}${n++}`;
		s.set('id', id);
	}
	return `#${id}`;
}

/** A default event name not yet used by the source state. */
export function nextEventName(wf: Workflow, source: string): string {
	const on = (source ? stateAt(wf, source)?.on : wf.on) ?? {};
	return uniqueKey('EVENT', Object.keys(on));
}

/** Adds a transition `source --event--> target`; returns its id. */
export function addTransition(doc: Y.Doc, source: string, target: string | null, event?: string, extra: Partial<TransitionSpec> = {}): string {
	return tx(doc, () => {
		const wf = readWorkflow(doc);
		const ev = event ?? nextEventName(wf, source);
		const trigger = ev.startsWith('after:') || ev === 'always' || ev === 'onDone' || ev === 'onError' ? ev : `on:${ev}`;
		const specs = readConfig(doc, source, trigger);
		const spec: TransitionSpec = { ...(target !== null ? { target: targetString(doc, wf, source, target) } : {}), ...extra };
		specs.push(spec);
		writeConfig(doc, source, trigger, specs);
		return `${source}|${trigger}|${specs.length - 1}`;
	});
}

export interface TransitionPatch {
	/** New trigger: an event name, or `always`, `after:<ms>`, `onDone`, `onError`. */
	event?: string;
	/** New target state path; null = targetless. */
	target?: string | null;
	guard?: string;
	effects?: EffectSpec[];
	description?: string;
	reenter?: boolean;
}

function triggerOf(event: string): string {
	return event.startsWith('after:') || event === 'always' || event === 'onDone' || event === 'onError' ? event : `on:${event}`;
}

/** Edits a transition; returns its (possibly new) id. */
export function updateTransition(doc: Y.Doc, id: string, patch: TransitionPatch): string {
	return tx(doc, () => {
		const wf = readWorkflow(doc);
		const { source, trigger, index } = parseTransitionId(id);
		const specs = readConfig(doc, source, trigger);
		const spec = specs[index];
		if (!spec) throw new EditError('That transition no longer exists.');
		if (patch.target !== undefined) {
			if (patch.target === null) delete spec.target;
			else spec.target = targetString(doc, wf, source, patch.target);
		}
		for (const k of ['guard', 'description'] as const) {
			if (k in patch) {
				const v = patch[k];
				if (v === undefined || v === '') delete spec[k];
				else spec[k] = v;
			}
		}
		if ('effects' in patch) {
			if (!patch.effects || patch.effects.length === 0) delete spec.effects;
			else spec.effects = patch.effects;
		}
		if ('reenter' in patch) {
			if (patch.reenter) spec.reenter = true;
			else delete spec.reenter;
		}
		const newTrigger = patch.event !== undefined ? triggerOf(patch.event) : trigger;
		if (newTrigger === trigger) {
			writeConfig(doc, source, trigger, specs);
			return id;
		}
		specs.splice(index, 1);
		writeConfig(doc, source, trigger, specs);
		const dest = readConfig(doc, source, newTrigger);
		dest.push(spec);
		writeConfig(doc, source, newTrigger, dest);
		return `${source}|${newTrigger}|${dest.length - 1}`;
	});
}

function removeTransitionsInTx(doc: Y.Doc, ids: string[]): void {
	const groups = new Map<string, number[]>();
	for (const id of ids) {
		const { source, trigger, index } = parseTransitionId(id);
		const k = `${source}|${trigger}`;
		groups.set(k, [...(groups.get(k) ?? []), index]);
	}
	for (const [k, idx] of groups) {
		const i = k.lastIndexOf('|');
		const source = k.slice(0, i);
		const trigger = k.slice(i + 1);
		if (source && !stateMapAt(doc, source)) continue;
		const specs = readConfig(doc, source, trigger);
		const keep = specs.filter((_, j) => !idx.includes(j));
		writeConfig(doc, source, trigger, keep);
	}
}

/** Removes transitions by id. */
export function removeTransitions(doc: Y.Doc, ids: string[]): void {
	tx(doc, () => removeTransitionsInTx(doc, ids));
}

// ---------------------------------------------------------------- delete / rename

/** Removes states (with their children), the transitions that lead to them, and their layout. */
export function removeStates(doc: Y.Doc, paths: string[]): void {
	tx(doc, () => {
		const wf = readWorkflow(doc);
		const gone = (p: string | null) => p !== null && paths.some((r) => isDescendantOrSelf(p, r));
		const dead = listTransitions(wf).filter((t) => !gone(t.source) && t.targets.some((x) => gone(x))).map((t) => t.id);
		removeTransitionsInTx(doc, dead);
		// deepest first, so a parent removed with its child does not leave us with a dangling map
		for (const p of [...paths].sort((a, b) => b.length - a.length)) {
			const parent = parentPath(p);
			const states = statesMapAt(doc, parent);
			states?.delete(keyOf(p));
			const holder = parent ? stateMapAt(doc, parent) : rootMap(doc);
			if (holder && holder.get('initial') === keyOf(p)) holder.delete('initial');
		}
		const l = layoutMap(doc);
		for (const k of [...l.keys()]) if (gone(k)) l.delete(k);
	});
}

/** Rewrites one target string after `oldPath` was renamed to `newPath` (same parent). */
export function rewriteTarget(wf: Workflow, source: string, target: string, oldPath: string, newKey: string): string {
	const resolved = resolveTarget(wf, source, target);
	const ref = parseTarget(target);
	if (resolved === undefined || ref === null || ref.kind === 'id' || !isDescendantOrSelf(resolved, oldPath)) return target;
	const base = ref.kind === 'child' ? source : parentPath(source);
	const baseDepth = base ? base.split('.').length : 0;
	const at = oldPath.split('.').length - 1 - baseDepth;
	if (at < 0 || at >= ref.path.length) return target;
	const path = [...ref.path];
	path[at] = newKey;
	return formatTarget({ ...ref, path });
}

/** Renames a state: keeps its content, updates targets, `initial` and layout. Returns the new path. */
export function renameState(doc: Y.Doc, path: string, newKey: string): string {
	return tx(doc, () => {
		const problem = invalidKey(newKey);
		if (problem) throw new EditError(problem);
		if (newKey === keyOf(path)) return path;
		const parent = parentPath(path);
		const siblings = statesMapAt(doc, parent)!;
		if (siblings.has(newKey)) throw new EditError(`There is already a state named "${newKey}" here.`);
		const wf = readWorkflow(doc);
		const newPath = joinPath(parent, newKey);
		// targets first, computed against the document before the rename
		for (const t of listTransitions(wf)) {
			const list = t.spec.target === undefined ? [] : Array.isArray(t.spec.target) ? t.spec.target : [t.spec.target];
			const next = list.map((x) => rewriteTarget(wf, t.source, x, path, newKey));
			if (next.some((x, i) => x !== list[i])) {
				const specs = readConfig(doc, t.source, t.trigger);
				specs[t.index].target = Array.isArray(t.spec.target) ? next : next[0];
				writeConfig(doc, t.source, t.trigger, specs);
			}
		}
		const old = siblings.get(path.includes('.') ? keyOf(path) : path)!;
		const spec = stateFromY(old);
		// insert at the same position would need an ordered map; Y.Map keeps insertion order per key anyway
		siblings.delete(keyOf(path));
		siblings.set(newKey, stateToY(spec));
		const holder = parent ? stateMapAt(doc, parent) : rootMap(doc);
		if (holder && holder.get('initial') === keyOf(path)) holder.set('initial', newKey);
		const l = layoutMap(doc);
		for (const k of [...l.keys()]) {
			if (isDescendantOrSelf(k, path)) {
				const e = l.get(k)!;
				l.delete(k);
				l.set(newPath + k.slice(path.length), e);
			}
		}
		return newPath;
	});
}

/**
 * Moves a state (with its children) under another parent ('' = top level), keeping every
 * transition pointing where it did: targets into the moved states and targets written
 * relative to them are rewritten. Returns the new path.
 */
export function moveState(doc: Y.Doc, path: string, newParent: string, position?: { x: number; y: number }): string {
	return tx(doc, () => {
		const oldParent = parentPath(path);
		if (newParent === oldParent) {
			if (position) layoutMap(doc).set(path, { ...(layoutMap(doc).get(path) ?? {}), x: Math.round(position.x), y: Math.round(position.y) });
			return path;
		}
		if (newParent && isDescendantOrSelf(newParent, path)) throw new EditError('A state cannot go inside itself.');
		const wf = readWorkflow(doc);
		if (newParent) {
			const t = stateAt(wf, newParent);
			if (!t) throw new EditError(`No state "${newParent}".`);
			const type = t.type ?? (t.states && Object.keys(t.states).length ? 'compound' : 'atomic');
			if (type !== 'compound' && type !== 'parallel') throw new EditError('States can only go inside a compound or parallel state.');
		}
		const dest = statesMapAt(doc, newParent)!;
		const key = uniqueKey(keyOf(path), dest.keys());
		const newPath = joinPath(newParent, key);
		const remap = (p: string) => (isDescendantOrSelf(p, path) ? newPath + p.slice(path.length) : p);
		const before = listTransitions(wf);
		const spec = stateFromY(stateMapAt(doc, path)!);
		statesMapAt(doc, oldParent)!.delete(keyOf(path));
		const oldHolder = oldParent ? stateMapAt(doc, oldParent) : rootMap(doc);
		if (oldHolder && oldHolder.get('initial') === keyOf(path)) oldHolder.delete('initial');
		dest.set(key, stateToY(spec));
		if (newParent) {
			const pm = stateMapAt(doc, newParent)!;
			if (!pm.get('initial') && pm.get('type') !== 'parallel') pm.set('initial', key);
		}
		const l = layoutMap(doc);
		for (const k of [...l.keys()]) {
			if (isDescendantOrSelf(k, path)) {
				const e = l.get(k)!;
				l.delete(k);
				l.set(remap(k), k === path && position ? { ...e, x: Math.round(position.x), y: Math.round(position.y) } : e);
			}
		}
		if (position && !l.has(newPath)) l.set(newPath, { x: Math.round(position.x), y: Math.round(position.y) });
		const after = readWorkflow(doc);
		for (const t of before) {
			const raw = t.spec.target === undefined ? [] : Array.isArray(t.spec.target) ? t.spec.target : [t.spec.target];
			const source = remap(t.source);
			const next = raw.map((r, i) => {
				const resolved = t.targets[i];
				if (resolved === null || r.startsWith('#')) return r;
				return targetString(doc, after, source, remap(resolved));
			});
			if (next.some((x, i) => x !== raw[i])) {
				const specs = readConfig(doc, source, t.trigger);
				if (!specs[t.index]) continue;
				specs[t.index].target = Array.isArray(t.spec.target) ? next : next[0];
				writeConfig(doc, source, t.trigger, specs);
			}
		}
		return newPath;
	});
}

// ---------------------------------------------------------------- copy / paste

/** What the clipboard carries: states with their inner transitions and relative layout. */
export interface Fragment {
	kind: 'fsm-studio/fragment';
	states: Record<string, StateNodeSpec>;
	layout: Record<string, LayoutEntry>;
}

/** Copies top-most selected states (children come along); keeps transitions among them. */
export function copyFragment(wf: Workflow, paths: string[]): Fragment {
	const roots = paths.filter((p) => !paths.some((q) => q !== p && isDescendantOrSelf(p, q)) && stateAt(wf, p));
	const states: Record<string, StateNodeSpec> = {};
	const layout: Record<string, LayoutEntry> = {};
	const keep = (p: string | null) => p !== null && roots.some((r) => isDescendantOrSelf(p, r));
	const trans = listTransitions(wf);
	for (const r of roots) {
		const spec = JSON.parse(JSON.stringify(stateAt(wf, r))) as StateNodeSpec;
		delete spec.id;
		const key = keyOf(r);
		states[uniqueKey(key, Object.keys(states))] = spec;
		for (const [lp, e] of Object.entries(wf.layout ?? {})) if (isDescendantOrSelf(lp, r)) layout[key + lp.slice(r.length)] = e;
	}
	// drop transitions that leave the fragment (they would point nowhere in the paste)
	for (const t of trans) {
		if (!keep(t.source)) continue;
		if (t.targets.every((x) => keep(x)) && !t.spec.target?.toString().startsWith('#')) continue;
		const rootKey = roots.find((r) => isDescendantOrSelf(t.source, r))!;
		const rel = t.source.slice(parentPath(rootKey) ? parentPath(rootKey).length + 1 : 0);
		const s = stateAt({ states } as Workflow, rel);
		if (!s) continue;
		const { trigger, index } = t;
		const drop = (cfg: unknown) => normalizeTransitions(cfg as never).map((x, i) => (i === index ? null : x)).filter(Boolean) as TransitionSpec[];
		if (trigger.startsWith('on:')) {
			const v = compactTransitions(drop(s.on?.[trigger.slice(3)]));
			if (v === undefined) delete s.on![trigger.slice(3)];
			else s.on![trigger.slice(3)] = v;
		} else if (trigger.startsWith('after:')) {
			const v = compactTransitions(drop(s.after?.[trigger.slice(6)]));
			if (v === undefined) delete s.after![trigger.slice(6)];
			else s.after![trigger.slice(6)] = v;
		} else {
			const k = trigger as 'always' | 'onDone' | 'onError';
			const v = compactTransitions(drop(s[k]));
			if (v === undefined) delete s[k];
			else s[k] = v;
		}
	}
	return { kind: 'fsm-studio/fragment', states, layout };
}

/** Pastes a fragment under `parent`, renaming keys that clash; returns the new top-level paths. */
export function pasteFragment(doc: Y.Doc, frag: Fragment, parent = '', offset = { x: 40, y: 40 }): string[] {
	return tx(doc, () => {
		const states = statesMapAt(doc, parent);
		if (!states) throw new EditError('Nowhere to paste.');
		const renames = new Map<string, string>();
		const taken = new Set(states.keys());
		for (const k of Object.keys(frag.states)) {
			const nk = uniqueKey(k, taken);
			taken.add(nk);
			renames.set(k, nk);
		}
		const fix = (target: string) => {
			const ref = parseTarget(target);
			if (ref === null || ref.kind !== 'sibling') return target;
			const [head, ...rest] = ref.path;
			return formatTarget({ kind: 'sibling', path: [renames.get(head) ?? head, ...rest] });
		};
		const out: string[] = [];
		for (const [k, spec0] of Object.entries(frag.states)) {
			const spec = JSON.parse(JSON.stringify(spec0)) as StateNodeSpec;
			// sibling targets among pasted top-level states follow their renames
			const fixCfg = (c: unknown) => compactTransitions(normalizeTransitions(c as never).map((s) => ({ ...s, ...(s.target !== undefined ? { target: Array.isArray(s.target) ? s.target.map(fix) : fix(s.target) } : {}) })));
			for (const ev of Object.keys(spec.on ?? {})) spec.on![ev] = fixCfg(spec.on![ev])!;
			for (const ms of Object.keys(spec.after ?? {})) spec.after![ms] = fixCfg(spec.after![ms])!;
			for (const f of ['always', 'onDone', 'onError'] as const) if (spec[f] !== undefined) spec[f] = fixCfg(spec[f]);
			const nk = renames.get(k)!;
			states.set(nk, stateToY(spec));
			out.push(joinPath(parent, nk));
		}
		const l = layoutMap(doc);
		for (const [lp, e] of Object.entries(frag.layout)) {
			const [head, ...rest] = lp.split('.');
			const nk = renames.get(head);
			if (!nk) continue;
			const top = rest.length === 0;
			l.set(joinPath(parent, [nk, ...rest].join('.')), { ...e, x: e.x + (top ? offset.x : 0), y: e.y + (top ? offset.y : 0) });
		}
		return out;
	});
}

/** All state paths of the doc (convenience for callers holding only the doc). */
export function statePaths(doc: Y.Doc): string[] {
	return allStatePaths(readWorkflow(doc));
}
