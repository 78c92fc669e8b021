/**
 * One open workflow in the designer: its Y.Doc, undo history, the current snapshot of the
 * workflow, lint problems and the selection. Components read this; edits go through `edit`.
 */
import { Doc, type Doc as YDoc } from 'yjs';
import type { LayoutEntry, Problem, Workflow } from '../model/types';

/** Origin of the layout written when a workflow without positions is opened (not undoable). */
const ARRANGE = 'fsm-studio:arrange';
/** Up to this many states, a workflow without positions gets the quick layout (no ELK). */
const QUICK_LAYOUT_MAX = 80;
import { readWorkflow, hasWorkflow } from '../collab/binding';
import { EditError, setLayout } from '../collab/ops';
import { allStatePaths } from '../model/tree';
import { fitContainers, placeMissing, quickLayout, unplacedStates } from './placement';
import { deleteWorkflowDoc, openWorkflowDoc, type OpenDoc } from '../collab/persistence';
import { getMeta, saveViewport, touchWorkflow } from '../collab/workspace';
import { storageRefusedNow } from './local-storage';
import { lintWorkflow } from './lint';
import { toasts } from './toasts.svelte';
import { UndoHistory } from './undo.svelte';

/** A field the property panel should focus once the element is shown. */
export interface FocusRequest {
	field: 'name' | 'event';
	target: string;
	/**
	 * The element was just created by the same gesture: what is typed into the field joins that
	 * gesture's undo step (adding and naming a state is one step).
	 */
	join?: boolean;
}

export class DesignerSession {
	readonly id: string;
	readonly doc: YDoc;
	private open: OpenDoc;
	/** Undo and redo (`undo.svelte.ts`); undefined until the document has loaded. */
	history: UndoHistory | undefined = $state.raw(undefined);

	loaded = $state(false);
	/** While a workflow without positions is laid out before it is shown: how many states. */
	arranging = $state(0);
	missing = $state(false);
	workflow = $state.raw<Workflow>({ format: 'fsm-studio/workflow', version: 1, id: '', name: '', initial: '', states: {} } as Workflow);
	problems = $state.raw<Problem[]>([]);
	/** A proposal drawn on the canvas instead of the document (the assistant's preview); the document is untouched. */
	preview = $state.raw<Workflow | null>(null);
	/** Read-only (an embedding page's choice, `<fsm-studio readonly>`): edits are refused, the canvas can be looked at only. */
	readonly = $state(false);
	/** False until the first lint has finished (the problems panel says it is checking). */
	linted = $state(false);
	storageError = $state<string | null>(null);
	/** The browser refuses this page storage: the workflow is a scratch copy in memory (nothing is read or kept). */
	readonly storageRefused: boolean;
	selectedNodes = $state.raw<Set<string>>(new Set());
	selectedEdges = $state.raw<Set<string>>(new Set());
	viewport = $state.raw<{ x: number; y: number; zoom: number } | undefined>(undefined);
	/** Bumped when the canvas should reveal an element (problems panel click). */
	reveal = $state.raw<{ node?: string; edge?: string; n: number } | null>(null);
	/** Asks the property panel to focus a field once the element is shown (after creating it). */
	focusRequest = $state.raw<FocusRequest | null>(null);
	/** Resolves once the canvas has drawn the workflow for the first time (or after 2 s). */
	readonly drawn: Promise<void>;
	/** Called by the canvas when it has drawn. */
	markDrawn: () => void = () => {};
	/** True while a node is being dragged (remote updates wait until it ends). */
	dragging = false;

	private refreshQueued = false;
	private lintTimer: ReturnType<typeof setTimeout> | null = null;
	private metaTimer: ReturnType<typeof setTimeout> | null = null;
	private viewportTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(id: string) {
		this.id = id;
		const refused = storageRefusedNow();
		this.storageRefused = !!refused;
		this.open = refused
			? scratchDoc(id, refused, (m) => (this.storageError = m))
			: openWorkflowDoc(id, {
					onError: (message) => {
						this.storageError = message;
						toasts.error(message);
					}
				});
		this.doc = this.open.doc;
		this.drawn = new Promise((resolve) => {
			this.markDrawn = () => resolve();
			setTimeout(resolve, 2000);
		});
	}

	async load(): Promise<void> {
		performance.mark('fsm:load-start');
		const [meta] = await Promise.all([this.storageRefused ? undefined : getMeta(this.id).catch(() => undefined), this.open.ready]);
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
		this.history = new UndoHistory(this.doc);
		await this.arrange();
		this.doc.on('update', this.onUpdate);
		this.refresh();
		performance.mark('fsm:read');
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
		if (this.history?.tracks(origin)) this.scheduleMeta();
	};

	/**
	 * A workflow whose states have no positions (imported from another format, made by a
	 * program) is laid out before it is shown, never drawn as a pile: ELK for a whole workflow,
	 * free spots for a few missing states. Not an undo step: it is part of opening it.
	 */
	private async arrange() {
		const wf = readWorkflow(this.doc);
		const missing = unplacedStates(wf);
		if (!missing.length) return;
		const total = allStatePaths(wf).length;
		let layout: Record<string, LayoutEntry>;
		if (missing.length * 2 > total && total <= QUICK_LAYOUT_MAX) {
			// small: a quick layered layout, at once
			layout = quickLayout(wf);
		} else if (missing.length * 2 > total) {
			// big: ELK in its worker (seconds), with a message instead of a pile of states
			this.arranging = total;
			try {
				const { layoutWorkflow } = await import('./layout-client');
				layout = await layoutWorkflow(wf, new Map());
			} catch (e) {
				toasts.error(`The workflow could not be laid out (${(e as Error).message}); its states are placed in a grid.`);
				layout = quickLayout(wf);
			} finally {
				this.arranging = 0;
			}
		} else {
			layout = { ...placeMissing(wf) };
		}
		this.doc.transact(() => {
			setLayout(this.doc, layout);
			setLayout(this.doc, fitContainers(readWorkflow(this.doc)));
		}, ARRANGE);
		touchWorkflow(readWorkflow(this.doc)).catch(() => {});
	}

	/** Re-reads the workflow from the doc (batched per microtask). */
	refresh() {
		this.workflow = readWorkflow(this.doc);
		if (this.lintTimer) clearTimeout(this.lintTimer);
		this.lintTimer = setTimeout(() => void this.lint(), 120);
	}

	/** Lints the current workflow (the lint rules load on first use, after the canvas has drawn). */
	private async lint() {
		// the first check waits for the canvas: its modules must not delay the first drawing
		await this.drawn;
		const wf = this.workflow;
		const problems = await lintWorkflow(wf);
		// a newer snapshot has been linted (or is waiting): keep that one
		if (wf === this.workflow) {
			this.problems = problems;
			this.linted = true;
		}
	}

	private scheduleMeta() {
		if (this.storageRefused) return;
		if (this.metaTimer) clearTimeout(this.metaTimer);
		this.metaTimer = setTimeout(() => {
			touchWorkflow(this.workflow).catch((e) => toasts.error(`Could not update the workflow list: ${(e as Error).message}`));
		}, 400);
	}

	/** Runs an edit; an EditError becomes a toast instead of an exception. */
	edit<T>(fn: (doc: YDoc) => T): T | undefined {
		if (this.readonly) return undefined;
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

	get canUndo() {
		return !this.readonly && (this.history?.canUndo ?? false);
	}
	get canRedo() {
		return !this.readonly && (this.history?.canRedo ?? false);
	}

	/** Ends the current undo step, so the next edit is a step of its own. */
	stopCapturing() {
		this.history?.stop();
	}

	undo() {
		if (!this.readonly) this.history?.undo();
	}
	redo() {
		if (!this.readonly) this.history?.redo();
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
		if (this.storageRefused) return;
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
		this.history?.destroy();
		await this.open.destroy();
	}
}

/**
 * Where the browser refuses storage, the designer still opens: on a small workflow kept in
 * memory for this visit (the storage notice says nothing is kept), never on the database,
 * which would wait forever or throw. (Its content comes with `./scratch`, on this path only.)
 */
function scratchDoc(id: string, reason: string, onError: (message: string) => void): OpenDoc {
	const doc = new Doc({ gc: false });
	onError(`${reason}: this workflow is kept in this page only and is lost when it closes.`);
	return { doc, ready: import('./scratch').then((m) => m.fillScratch(doc, id)), destroy: async () => doc.destroy() };
}
