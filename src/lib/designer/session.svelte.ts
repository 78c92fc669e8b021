/**
 * One open workflow in the designer: its Y.Doc, undo history, the current snapshot of the
 * workflow, lint problems and the selection. Components read this; edits go through `edit`.
 */
import * as Y from 'yjs';
import type { Problem, Workflow } from '../model/types';
import { LOCAL, readWorkflow, rootMap, hasWorkflow } from '../collab/binding';
import { EditError } from '../collab/ops';
import { deleteWorkflowDoc, openWorkflowDoc, type OpenDoc } from '../collab/persistence';
import { getMeta, saveViewport, touchWorkflow } from '../collab/workspace';
import { lint } from './model-adapter';
import { toasts } from './toasts.svelte';

export class DesignerSession {
	readonly id: string;
	readonly doc: Y.Doc;
	private open: OpenDoc;
	undoManager!: Y.UndoManager;

	loaded = $state(false);
	missing = $state(false);
	workflow = $state.raw<Workflow>({ format: 'fsm-studio/workflow', version: 1, id: '', name: '', initial: '', states: {} } as Workflow);
	problems = $state.raw<Problem[]>([]);
	storageError = $state<string | null>(null);
	canUndo = $state(false);
	canRedo = $state(false);
	selectedNodes = $state.raw<Set<string>>(new Set());
	selectedEdges = $state.raw<Set<string>>(new Set());
	viewport = $state.raw<{ x: number; y: number; zoom: number } | undefined>(undefined);
	/** Bumped when the canvas should reveal an element (problems panel click). */
	reveal = $state.raw<{ node?: string; edge?: string; n: number } | null>(null);
	/** Asks the property panel to focus a field once the element is shown (after creating it). */
	focusRequest = $state.raw<{ field: 'name' | 'event'; target: string } | null>(null);
	/** True while a node is being dragged (remote updates wait until it ends). */
	dragging = false;

	private refreshQueued = false;
	private lintTimer: ReturnType<typeof setTimeout> | null = null;
	private metaTimer: ReturnType<typeof setTimeout> | null = null;
	private viewportTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(id: string) {
		this.id = id;
		this.open = openWorkflowDoc(id, {
			onError: (message) => {
				this.storageError = message;
				toasts.error(message);
			}
		});
		this.doc = this.open.doc;
	}

	async load(): Promise<void> {
		performance.mark('fsm:load-start');
		const [meta] = await Promise.all([getMeta(this.id).catch(() => undefined), this.open.ready]);
		performance.mark('fsm:doc-loaded');
		this.viewport = meta?.viewport;
		if (!hasWorkflow(this.doc)) {
			this.missing = true;
			// opening an unknown id must not leave an empty database behind
			if (!meta) {
				await this.open.destroy();
				await deleteWorkflowDoc(this.id).catch(() => {});
			}
			return;
		}
		this.undoManager = new Y.UndoManager(rootMap(this.doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 250 });
		const syncUndo = () => {
			this.canUndo = this.undoManager.undoStack.length > 0;
			this.canRedo = this.undoManager.redoStack.length > 0;
		};
		this.undoManager.on('stack-item-added', syncUndo);
		this.undoManager.on('stack-item-popped', syncUndo);
		this.undoManager.on('stack-cleared', syncUndo);
		this.doc.on('update', this.onUpdate);
		this.refresh();
		performance.mark('fsm:read');
		this.problems = lint(this.workflow);
		performance.mark('fsm:linted');
		this.loaded = true;
	}

	private onUpdate = (_u: Uint8Array, origin: unknown) => {
		if (!this.refreshQueued) {
			this.refreshQueued = true;
			queueMicrotask(() => {
				this.refreshQueued = false;
				this.refresh();
			});
		}
		// only the tab that made the change updates the home page's list entry
		if (origin === LOCAL || origin instanceof Y.UndoManager) this.scheduleMeta();
	};

	/** Re-reads the workflow from the doc (batched per microtask). */
	refresh() {
		this.workflow = readWorkflow(this.doc);
		if (this.lintTimer) clearTimeout(this.lintTimer);
		this.lintTimer = setTimeout(() => (this.problems = lint(this.workflow)), 120);
	}

	private scheduleMeta() {
		if (this.metaTimer) clearTimeout(this.metaTimer);
		this.metaTimer = setTimeout(() => {
			touchWorkflow(this.workflow).catch((e) => toasts.error(`Could not update the workflow list: ${(e as Error).message}`));
		}, 400);
	}

	/** Runs an edit; an EditError becomes a toast instead of an exception. */
	edit<T>(fn: (doc: Y.Doc) => T): T | undefined {
		try {
			return fn(this.doc);
		} catch (e) {
			if (e instanceof EditError) {
				toasts.error(e.message);
				return undefined;
			}
			throw e;
		}
	}

	/** Ends the current undo step, so the next edit is a step of its own. */
	stopCapturing() {
		this.undoManager?.stopCapturing();
	}

	undo() {
		this.undoManager?.undo();
	}
	redo() {
		this.undoManager?.redo();
	}

	select(nodes: Iterable<string> = [], edges: Iterable<string> = []) {
		this.selectedNodes = new Set(nodes);
		this.selectedEdges = new Set(edges);
	}

	revealElement(target: { node?: string; edge?: string }) {
		this.select(target.node ? [target.node] : [], target.edge ? [target.edge] : []);
		this.reveal = { ...target, n: (this.reveal?.n ?? 0) + 1 };
	}

	rememberViewport(v: { x: number; y: number; zoom: number }) {
		this.viewport = v;
		if (this.viewportTimer) clearTimeout(this.viewportTimer);
		this.viewportTimer = setTimeout(() => {
			saveViewport(this.id, v).catch((e) => toasts.error(`Could not save the view: ${(e as Error).message}`));
		}, 250);
	}

	async flush() {
		if (this.metaTimer) {
			clearTimeout(this.metaTimer);
			this.metaTimer = null;
			await touchWorkflow(this.workflow).catch(() => {});
		}
		if (this.viewportTimer && this.viewport) {
			clearTimeout(this.viewportTimer);
			await saveViewport(this.id, this.viewport).catch(() => {});
		}
	}

	async destroy() {
		await this.flush();
		this.doc.off('update', this.onUpdate);
		this.undoManager?.destroy();
		await this.open.destroy();
	}
}
