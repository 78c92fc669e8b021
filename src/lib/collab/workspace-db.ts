/**
 * The list of workflows in this browser (Dexie): what the home page shows, plus each
 * workflow's last viewport. Only Dexie here, so that the home page loads without Yjs; the
 * documents themselves (Y.Docs in their own y-indexeddb databases) are in `workspace.ts`.
 */
import Dexie, { liveQuery, type EntityTable } from 'dexie';
import type { Preview } from './preview';
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

export async function getMeta(id: string, db = workspaceDb()): Promise<WorkflowMeta | undefined> {
	return db.workflows.get(id);
}

export async function saveViewport(id: string, viewport: { x: number; y: number; zoom: number }, db = workspaceDb()): Promise<void> {
	await db.workflows.update(id, { viewport });
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
		// the documents' own databases: loaded only when there is something to remove
		const { deleteWorkflowDoc } = await import('./persistence');
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
