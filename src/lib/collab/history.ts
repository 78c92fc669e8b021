/**
 * Version history, kept inside the workflow's own Y.Doc, so it is saved with it (IndexedDB),
 * shared with everyone in the room (encrypted like the rest), and carried by a full export.
 *
 *   doc.getArray('history')  versions: { id, at, kind, name?, by, authors, summary, snapshot, lost? }
 *   doc.getMap('people')     Yjs client id → { name, color } (who wrote what)
 *
 * A version is a Yjs snapshot (state vector + delete set) of the whole doc. The doc keeps
 * deleted content (gc off, see persistence.ts), so any version can be read back with
 * `Y.createDocFromSnapshot`. Restoring writes the old workflow over the current one as an
 * ordinary, undoable edit (`applyWorkflow`, minimal changes) and records a new version:
 * nothing is ever overwritten.
 */
import * as Y from 'yjs';
import type { LayoutEntry, StateNodeSpec, Workflow } from '../model/types';
import { LOCAL, containerOf, readWorkflow, rootMap, stateFromY, stateToY, type StateMap } from './binding';
import { describeDiff, diffWorkflows } from './diff';
import { fromBase64, toBase64 } from './crypto';
import { archivedWorkflow } from './compact';

export const HISTORY = 'history';
export const PEOPLE = 'people';
/** Origin of history bookkeeping (never undone, never "an edit"). */
export const HISTORY_ORIGIN = { history: true } as const;

export interface Person {
	name: string;
	color: string;
}

export interface LostChange {
	/** Readable place, e.g. "description of idle". */
	where: string;
	path: string[];
	mine: unknown;
	theirs: unknown;
	by?: string;
}

export interface Version {
	id: string;
	at: number;
	kind: 'auto' | 'named' | 'restore' | 'merge';
	name?: string;
	/** Who recorded it. */
	by: Person & { client: number };
	/** Whose changes it contains since the version before it. */
	authors: Person[];
	/** What changed since the version before it, in words. */
	summary: string[];
	/** base64 of Y.encodeSnapshotV2 (of a packed version: its state vector only). */
	snapshot: string;
	/** Versions a compaction kept: the archive holding the workflow, and its place in it (compact.ts). */
	archive?: string;
	index?: number;
	/** Changes this peer lost in a concurrent edit (merge versions). */
	lost?: LostChange[];
	restoredFrom?: string;
}

export function historyArray(doc: Y.Doc): Y.Array<Version> {
	return doc.getArray<Version>(HISTORY);
}

/** Versions, oldest first (one per id: two peers compacting at once may both write one). */
export function listVersions(doc: Y.Doc): Version[] {
	const byId = new Map<string, Version>();
	for (const v of historyArray(doc).toArray()) {
		if (!v || typeof v.snapshot !== 'string') continue;
		const had = byId.get(v.id);
		if (!had || (v.archive && !had.archive)) byId.set(v.id, v);
	}
	return [...byId.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** Records this person's name and colour for their Yjs client id. */
export function registerPerson(doc: Y.Doc, p: Person): void {
	const people = doc.getMap<Person>(PEOPLE);
	const cur = people.get(String(doc.clientID));
	if (cur?.name === p.name && cur?.color === p.color) return;
	doc.transact(() => people.set(String(doc.clientID), { name: p.name, color: p.color }), HISTORY_ORIGIN);
}

function decode(v: Version): Y.Snapshot {
	return Y.decodeSnapshotV2(fromBase64(v.snapshot));
}

/** The workflow as it was at a version. */
export function workflowAt(doc: Y.Doc, v: Version): Workflow {
	if (v.archive) return archivedWorkflow(doc, v);
	const old = Y.createDocFromSnapshot(doc, decode(v));
	const wf = readWorkflow(old);
	old.destroy();
	return wf;
}

function authorsBetween(doc: Y.Doc, from: Y.Snapshot | null, to: Y.Snapshot): Person[] {
	const people = doc.getMap<Person>(PEOPLE);
	const out = new Map<string, Person>();
	for (const [client, clock] of to.sv) {
		if ((from?.sv.get(client) ?? 0) >= clock) continue;
		const p = people.get(String(client));
		if (p) out.set(p.name, p);
	}
	return [...out.values()];
}

function newId(): string {
	const a = new Uint8Array(6);
	crypto.getRandomValues(a);
	return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CheckpointOptions {
	kind: Version['kind'];
	name?: string;
	by: Person;
	lost?: LostChange[];
	restoredFrom?: string;
	/** The workflow at the previous version, when known (saves reading it back). */
	previous?: { version: Version; workflow: Workflow } | null;
	at?: number;
}

/** Records a version of the doc as it is now; returns it with the workflow it holds. */
export function checkpoint(doc: Y.Doc, opts: CheckpointOptions): { version: Version; workflow: Workflow } {
	const snap = Y.snapshot(doc);
	const versions = listVersions(doc);
	const prevVersion = opts.previous?.version ?? versions[versions.length - 1] ?? null;
	const prevWorkflow = opts.previous?.workflow ?? (prevVersion ? workflowAt(doc, prevVersion) : null);
	const workflow = readWorkflow(doc);
	const summary = prevWorkflow ? describeDiff(diffWorkflows(prevWorkflow, workflow)) : ['created the workflow'];
	const version: Version = {
		id: newId(),
		at: opts.at ?? Date.now(),
		kind: opts.kind,
		...(opts.name ? { name: opts.name } : {}),
		by: { name: opts.by.name, color: opts.by.color, client: doc.clientID },
		authors: authorsBetween(doc, prevVersion ? decode(prevVersion) : null, snap),
		summary: summary.slice(0, 50),
		snapshot: toBase64(Y.encodeSnapshotV2(snap)),
		...(opts.lost?.length ? { lost: opts.lost } : {}),
		...(opts.restoredFrom ? { restoredFrom: opts.restoredFrom } : {})
	};
	doc.transact(() => historyArray(doc).push([version]), HISTORY_ORIGIN);
	return { version, workflow };
}

/** Renames a version (named versions); '' removes the name. */
export function nameVersion(doc: Y.Doc, id: string, name: string): void {
	const arr = historyArray(doc);
	doc.transact(() => {
		const list = arr.toArray();
		const i = list.findIndex((v) => v.id === id);
		if (i < 0) return;
		const v = { ...list[i], kind: name ? ('named' as const) : list[i].kind === 'named' ? ('auto' as const) : list[i].kind };
		if (name) v.name = name;
		else delete v.name;
		arr.delete(i, 1);
		arr.insert(i, [v]);
	}, HISTORY_ORIGIN);
}

// ------------------------------------------------------------------ applying a whole workflow

const CONTAINERS = new Set(['states', 'on', 'after', 'entry', 'exit']);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function applyMap(m: Y.Map<unknown>, target: Record<string, unknown> | undefined) {
	const t = target ?? {};
	for (const k of [...m.keys()]) if (!(k in t)) m.delete(k);
	for (const [k, v] of Object.entries(t)) if (!same(m.get(k), v)) m.set(k, clone(v));
}

function applyState(m: StateMap, spec: StateNodeSpec) {
	const s = spec as Record<string, unknown>;
	for (const k of [...m.keys()]) if (!CONTAINERS.has(k) && !(k in s)) m.delete(k);
	for (const [k, v] of Object.entries(s)) if (!CONTAINERS.has(k) && v !== undefined && !same(m.get(k), v)) m.set(k, clone(v));
	applyMap(containerOf<Y.Map<unknown>>(m, 'on'), spec.on as Record<string, unknown>);
	applyMap(containerOf<Y.Map<unknown>>(m, 'after'), spec.after as Record<string, unknown>);
	for (const where of ['entry', 'exit'] as const) {
		const arr = containerOf<Y.Array<unknown>>(m, where);
		const want = spec[where] ?? [];
		if (!same(arr.toJSON(), want)) {
			arr.delete(0, arr.length);
			if (want.length) arr.push(clone(want));
		}
	}
	applyStates(containerOf<Y.Map<StateMap>>(m, 'states'), spec.states ?? {});
}

function applyStates(states: Y.Map<StateMap>, target: Record<string, StateNodeSpec>) {
	for (const k of [...states.keys()]) if (!(k in target)) states.delete(k);
	for (const [k, spec] of Object.entries(target)) {
		const cur = states.get(k);
		if (!cur) states.set(k, stateToY(spec));
		else if (!same(stateFromY(cur), spec)) applyState(cur, spec);
	}
}

/**
 * Makes the doc hold `wf` with the smallest edits (so a restore merges with what others do
 * meanwhile, and is one undo step).
 */
export function applyWorkflow(doc: Y.Doc, wf: Workflow, origin: unknown = LOCAL): void {
	const root = rootMap(doc);
	doc.transact(() => {
		const w = wf as unknown as Record<string, unknown>;
		for (const k of [...root.keys()]) if (!['states', 'on', 'layout'].includes(k) && !(k in w)) root.delete(k);
		for (const [k, v] of Object.entries(w)) {
			if (['states', 'on', 'layout'].includes(k) || v === undefined) continue;
			if (!same(root.get(k), v)) root.set(k, clone(v));
		}
		let states = root.get('states');
		if (!(states instanceof Y.Map)) root.set('states', (states = new Y.Map()));
		applyStates(states as Y.Map<StateMap>, wf.states ?? {});
		let on = root.get('on');
		if (!(on instanceof Y.Map)) root.set('on', (on = new Y.Map()));
		applyMap(on as Y.Map<unknown>, wf.on as Record<string, unknown>);
		let layout = root.get('layout');
		if (!(layout instanceof Y.Map)) root.set('layout', (layout = new Y.Map()));
		applyMap(layout as Y.Map<unknown>, wf.layout as Record<string, LayoutEntry> as Record<string, unknown>);
	}, origin);
}

// ------------------------------------------------------------------ automatic checkpoints

export interface RecorderOptions {
	by: () => Person;
	/** Quiet time after the last edit before a checkpoint (ms). */
	idleMs?: number;
	/** At most this long between the first unsaved edit and a checkpoint (ms). */
	maxMs?: number;
	/** A checkpoint once this many bytes of edits have accumulated. */
	maxBytes?: number;
	/** Origins counted as this person's edits (default: LOCAL and undo/redo). */
	isOwn?: (origin: unknown) => boolean;
	onVersion?: (v: Version) => void;
}

/**
 * Takes automatic checkpoints of this person's edits: when they pause (idle), when they have
 * been editing for a while (time), or when much has changed (size).
 */
export class HistoryRecorder {
	private bytes = 0;
	private firstAt = 0;
	private idleTimer: ReturnType<typeof setTimeout> | null = null;
	private maxTimer: ReturnType<typeof setTimeout> | null = null;
	private last: { version: Version; workflow: Workflow } | null = null;
	private destroyed = false;

	constructor(readonly doc: Y.Doc, private opts: RecorderOptions) {
		doc.on('update', this.onUpdate);
	}

	private own(origin: unknown) {
		return this.opts.isOwn ? this.opts.isOwn(origin) : origin === LOCAL || origin instanceof Y.UndoManager;
	}

	private onUpdate = (update: Uint8Array, origin: unknown) => {
		if (this.destroyed || !this.own(origin)) return;
		this.bytes += update.length;
		if (!this.firstAt) {
			this.firstAt = Date.now();
			this.maxTimer = setTimeout(() => this.take('auto'), this.opts.maxMs ?? 120_000);
		}
		if (this.idleTimer) clearTimeout(this.idleTimer);
		if (this.bytes >= (this.opts.maxBytes ?? 16_384)) this.take('auto');
		else this.idleTimer = setTimeout(() => this.take('auto'), this.opts.idleMs ?? 10_000);
	};

	/** True when there are edits not in a version yet. */
	get dirty(): boolean {
		return this.firstAt !== 0;
	}

	/** Records a version now (also of remote changes when `force`). */
	take(kind: Version['kind'], extra: Partial<CheckpointOptions> = {}): Version | null {
		if (this.destroyed) return null;
		if (this.idleTimer) clearTimeout(this.idleTimer);
		if (this.maxTimer) clearTimeout(this.maxTimer);
		this.idleTimer = this.maxTimer = null;
		const wasDirty = this.dirty;
		this.firstAt = 0;
		this.bytes = 0;
		if (kind === 'auto' && !wasDirty) return null;
		const versions = listVersions(this.doc);
		const latest = versions[versions.length - 1];
		const previous = this.last && latest && this.last.version.id === latest.id ? this.last : null;
		const r = checkpoint(this.doc, { kind, by: this.opts.by(), previous, ...extra });
		if (kind === 'auto' && r.version.summary.length === 0 && latest) {
			// nothing but bookkeeping changed: drop it again
			const arr = historyArray(this.doc);
			const i = arr.toArray().findIndex((v) => v.id === r.version.id);
			if (i >= 0) this.doc.transact(() => arr.delete(i, 1), HISTORY_ORIGIN);
			return null;
		}
		this.last = r;
		this.opts.onVersion?.(r.version);
		return r.version;
	}

	destroy() {
		this.destroyed = true;
		if (this.idleTimer) clearTimeout(this.idleTimer);
		if (this.maxTimer) clearTimeout(this.maxTimer);
		this.doc.off('update', this.onUpdate);
	}
}

// ------------------------------------------------------------------ full export

export const BUNDLE_FORMAT = 'fsm-studio/workflow-with-history';

export interface Bundle {
	format: typeof BUNDLE_FORMAT;
	version: 1;
	workflow: Workflow;
	/** base64 of the whole Y.Doc (the workflow, its history and who wrote what). */
	doc: string;
	versions: { id: string; at: number; kind: string; name?: string; by: string; summary: string[] }[];
}

/** A file holding the workflow and its whole history. */
export function exportBundle(doc: Y.Doc): string {
	const bundle: Bundle = {
		format: BUNDLE_FORMAT,
		version: 1,
		workflow: readWorkflow(doc),
		doc: toBase64(Y.encodeStateAsUpdate(doc)),
		versions: listVersions(doc).map((v) => ({ id: v.id, at: v.at, kind: v.kind, ...(v.name ? { name: v.name } : {}), by: v.by.name, summary: v.summary }))
	};
	return JSON.stringify(bundle, null, 1);
}

export type ReadBundle = { ok: true; update: Uint8Array; workflow: Workflow; versions: number } | { ok: false; error: string };

/** Reads a file made by `exportBundle`. */
export function readBundle(text: string): ReadBundle {
	let b: Partial<Bundle>;
	try {
		b = JSON.parse(text);
	} catch {
		return { ok: false, error: 'This file is not JSON.' };
	}
	if (b?.format !== BUNDLE_FORMAT) return { ok: false, error: 'This file is not an FSM Studio workflow with history.' };
	if (b.version !== 1) return { ok: false, error: `This file was written by a newer FSM Studio (version ${b.version}).` };
	try {
		const update = fromBase64(String(b.doc));
		const d = new Y.Doc({ gc: false });
		Y.applyUpdate(d, update);
		const workflow = readWorkflow(d);
		const versions = listVersions(d).length;
		d.destroy();
		return { ok: true, update, workflow, versions };
	} catch (e) {
		return { ok: false, error: `The history in this file is damaged (${(e as Error).message}); the workflow alone can still be imported.` };
	}
}
