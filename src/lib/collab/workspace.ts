/**
 * The workflows of this browser: their documents (Y.Docs in their own y-indexeddb databases)
 * created, renamed, copied and imported, each with its entry in the list (`workspace-db.ts`,
 * re-exported here, holds the list itself and needs no Yjs).
 */
import * as Y from 'yjs';
import type { Workflow } from '../model/types';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from '../model/types';
import { readWorkflow, writeWorkflow } from './binding';
import { openWorkflowDoc } from './persistence';
import { computePreview } from './preview';
import { workspaceDb, type WorkflowMeta } from './workspace-db';

export * from './workspace-db';

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
