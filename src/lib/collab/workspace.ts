/**
 * The list of workflows in this browser (Dexie). The documents themselves are Y.Docs in
 * their own y-indexeddb databases; this table only holds what the home page shows,
 * plus each workflow's last viewport.
 */
import Dexie, { liveQuery, type EntityTable } from 'dexie';
import * as Y from 'yjs';
import type { Workflow } from '../model/types';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from '../model/types';
import { readWorkflow, writeWorkflow } from './binding';
import { openWorkflowDoc, deleteWorkflowDoc } from './persistence';
import { computePreview, type Preview } from './preview';
import type { RoomConfig } from './room';

export interface WorkflowMeta {
	id: string;
	name: string;
	description?: string;
	createdAt: number;
	updatedAt: number;
	stateCount: number;
	preview: Preview;
	/** Set while a deletion can still be undone. */
	deletedAt?: number;
	viewport?: { x: number; y: number; zoom: number };
	/** The live room this workflow is shared in (its key stays in this browser). */
	room?: RoomConfig;
}

export class WorkspaceDb extends Dexie {
	workflows!: EntityTable<WorkflowMeta, 'id'>;
	constructor(name = 'fsm-studio-workspace') {
		super(name);
		this.version(1).stores({ workflows: 'id, updatedAt, deletedAt' });
	}
}

let shared: WorkspaceDb | null = null;
export function workspaceDb(): WorkspaceDb {
	return (shared ??= new WorkspaceDb());
}

export function newId(): string {
	const a = new Uint8Array(8);
	crypto.getRandomValues(a);
	return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function blankWorkflow(id: string, name = 'Untitled workflow'): Workflow {
	return { format: WORKFLOW_FORMAT, version: WORKFLOW_VERSION, id, name, initial: '', states: {} } as Workflow;
}

function countStates(wf: Workflow): number {
	let n = 0;
	const walk = (s: Record<string, { states?: Record<string, unknown> }> | undefined) => {
		for (const v of Object.values(s ?? {})) {
			n++;
			walk(v.states as never);
		}
	};
	walk(wf.states as never);
	return n;
}

export function metaFor(wf: Workflow, prev?: Partial<WorkflowMeta>): WorkflowMeta {
	const now = Date.now();
	return {
		id: wf.id,
		name: wf.name || 'Untitled workflow',
		description: wf.description,
		createdAt: prev?.createdAt ?? now,
		updatedAt: now,
		stateCount: countStates(wf),
		preview: computePreview(wf),
		...(prev?.viewport ? { viewport: prev.viewport } : {}),
		...(prev?.room ? { room: prev.room } : {})
	};
}

/** Live workflows, newest change first. */
export async function listWorkflows(db = workspaceDb()): Promise<WorkflowMeta[]> {
	const all = await db.workflows.orderBy('updatedAt').reverse().toArray();
	return all.filter((w) => !w.deletedAt);
}

/**
 * Every workflow (the deleted ones too, for undo), newest change first, now and after each
 * change in any tab. Returns the function that stops watching.
 */
export function watchWorkflows(next: (list: WorkflowMeta[]) => void, error: (e: unknown) => void, db = workspaceDb()): () => void {
	const sub = liveQuery(() => db.workflows.orderBy('updatedAt').reverse().toArray()).subscribe({ next, error });
	return () => sub.unsubscribe();
}

/** Creates a workflow (blank, or a copy of `from` under a new id) and stores its document. */
export async function createWorkflow(from?: Workflow, name?: string, db = workspaceDb()): Promise<WorkflowMeta> {
	const id = newId();
	const wf: Workflow = from ? { ...JSON.parse(JSON.stringify(from)), id, name: name ?? from.name } : blankWorkflow(id, name);
	const errors: string[] = [];
	const open = openWorkflowDoc(id, { broadcast: false, onError: (m) => errors.push(m) });
	await open.ready;
	writeWorkflow(open.doc, wf, null);
	await open.destroy(); // resolves once the write has committed
	if (errors.length) throw new Error(errors[0]);
	const meta = metaFor(wf);
	await db.workflows.put(meta);
	return meta;
}

/** Saves what the home page shows after an edit in the designer. */
export async function touchWorkflow(wf: Workflow, db = workspaceDb()): Promise<void> {
	await db.transaction('rw', db.workflows, async () => {
		const prev = await db.workflows.get(wf.id);
		if (prev?.deletedAt) return;
		await db.workflows.put(metaFor(wf, prev));
	});
}

export async function getMeta(id: string, db = workspaceDb()): Promise<WorkflowMeta | undefined> {
	return db.workflows.get(id);
}

export async function saveViewport(id: string, viewport: { x: number; y: number; zoom: number }, db = workspaceDb()): Promise<void> {
	await db.workflows.update(id, { viewport });
}

/** Renames: both the list entry and the document. */
export async function renameWorkflow(id: string, name: string, db = workspaceDb()): Promise<void> {
	const open = openWorkflowDoc(id, { broadcast: true });
	await open.ready;
	open.doc.getMap('workflow').set('name', name);
	// the document first: the list never names a workflow whose document says otherwise
	await open.destroy();
	await db.workflows.update(id, { name, updatedAt: Date.now() });
}

/** Loads the stored workflow (for duplicate, export). */
export async function loadWorkflow(id: string): Promise<Workflow> {
	const open = openWorkflowDoc(id, { broadcast: false });
	await open.ready;
	const wf = readWorkflow(open.doc);
	await open.destroy();
	return wf;
}

export async function duplicateWorkflow(id: string, db = workspaceDb()): Promise<WorkflowMeta> {
	const wf = await loadWorkflow(id);
	return createWorkflow(wf, `${wf.name} (copy)`, db);
}

/** Hides a workflow; `restoreWorkflow` undoes it until `purgeDeleted` runs. */
export async function softDeleteWorkflow(id: string, db = workspaceDb()): Promise<void> {
	await db.workflows.update(id, { deletedAt: Date.now() });
}

export async function restoreWorkflow(id: string, db = workspaceDb()): Promise<void> {
	await db.workflows.where('id').equals(id).modify((w) => {
		delete w.deletedAt;
	});
}

/** Removes for good the workflows deleted more than `olderThanMs` ago. */
export async function purgeDeleted(olderThanMs = 0, db = workspaceDb()): Promise<number> {
	const cutoff = Date.now() - olderThanMs;
	const gone = (await db.workflows.toArray()).filter((w) => w.deletedAt && w.deletedAt <= cutoff);
	for (const w of gone) {
		await deleteWorkflowDoc(w.id);
		await db.workflows.delete(w.id);
	}
	return gone.length;
}


/** Remembers (or forgets, with undefined) the room a workflow is shared in. */
export async function setRoom(id: string, room: RoomConfig | undefined, db = workspaceDb()): Promise<void> {
	await db.workflows.where('id').equals(id).modify((w) => {
		if (room) w.room = room;
		else delete w.room;
	});
}

/** The workflow of this browser that is in room `roomId`, if any. */
export async function findByRoom(roomId: string, db = workspaceDb()): Promise<WorkflowMeta | undefined> {
	return (await db.workflows.toArray()).find((w) => w.room?.id === roomId && !w.deletedAt);
}

/** Adds the list entry of a workflow whose document arrives from a room (nothing written to the doc). */
export async function addJoinedWorkflow(id: string, room: RoomConfig, name = 'Joining…', db = workspaceDb()): Promise<WorkflowMeta> {
	const now = Date.now();
	const meta: WorkflowMeta = { id, name, createdAt: now, updatedAt: now, stateCount: 0, preview: { boxes: [], lines: [], view: [0, 0, 400, 240] }, room };
	await db.workflows.put(meta);
	return meta;
}

const BUNDLE_MARK = 'fsm-studio/workflow-with-history';

/** True when a file's text is a workflow saved with its history ("Download with history"). */
export function isHistoryBundle(text: string): boolean {
	if (!text.includes(BUNDLE_MARK)) return false;
	try {
		const v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as { format?: unknown };
		return v?.format === BUNDLE_MARK;
	} catch {
		return false;
	}
}

/** Creates a workflow from a file made by "Download with history" (a new id; the history comes along). */
export async function importWorkflowWithHistory(text: string, db = workspaceDb()): Promise<WorkflowMeta & { versions: number }> {
	const { readBundle } = await import('./history');
	const r = readBundle(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
	if (!r.ok) throw new Error(r.error);
	const id = newId();
	const errors: string[] = [];
	const open = openWorkflowDoc(id, { broadcast: false, onError: (m) => errors.push(m) });
	await open.ready;
	Y.applyUpdate(open.doc, r.update, null);
	open.doc.getMap('workflow').set('id', id);
	const wf = readWorkflow(open.doc);
	await open.destroy();
	if (errors.length) throw new Error(errors[0]);
	const meta = metaFor(wf);
	await db.workflows.put(meta);
	return { ...meta, versions: r.versions };
}
