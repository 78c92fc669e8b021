/**
 * What the designer's toolbar, keyboard shortcuts and context menus do: one function per
 * command, shared by all three.
 */
import type { useSvelteFlow, XYPosition } from '@xyflow/svelte';
import { LOCAL } from '../collab/binding';
import { removeStates, removeTransitions, setInitial, setLayout } from '../collab/ops';
import { allStatePaths } from '../model/tree';
import { createClipboard, type Clipboard } from './clipboard';
import { transitionOfEdge } from './graph';
import { addFromLibrary, type LibraryItem } from './library';
import { motion } from './motion';
import type { DesignerSession } from './session.svelte';
import type { CommandId } from './shortcuts';
import { toasts } from './toasts.svelte';

type Flow = ReturnType<typeof useSvelteFlow>;

export interface CommandDeps {
	session: DesignerSession;
	flow: Flow;
	/** The canvas element (for "add in the middle of the view"). */
	canvas: () => HTMLElement | undefined;
	openHelp: () => void;
}

export class DesignerCommands {
	layingOut = $state(false);
	readonly clipboard: Clipboard;
	private session: DesignerSession;
	private flow: Flow;

	constructor(private deps: CommandDeps) {
		this.session = deps.session;
		this.flow = deps.flow;
		this.clipboard = createClipboard(deps.session, () => this.deleteSelection());
	}

	/** Absolute position of a drawn state (children are placed relative to it). */
	absOf = (id: string): XYPosition | undefined => this.flow.getInternalNode(id)?.internals.positionAbsolute;

	/** The flow position at the middle of the visible canvas. */
	viewCenter(): XYPosition {
		const r = this.deps.canvas()?.getBoundingClientRect();
		if (!r) return { x: 0, y: 0 };
		return this.flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }, { snapToGrid: true });
	}

	/** Where the pointer is over the canvas (screen coordinates), or null. */
	pointer: { x: number; y: number } | null = null;

	/** Measured sizes of the drawn states (new states are placed clear of them). */
	measured(): Map<string, { width: number; height: number }> {
		const out = new Map<string, { width: number; height: number }>();
		for (const n of this.flow.getNodes()) {
			const m = this.flow.getInternalNode(n.id)?.measured;
			if (m?.width && m.height) out.set(n.id, { width: m.width, height: m.height });
		}
		return out;
	}

	/** The state under a screen point (null over the empty canvas). */
	private stateUnder(p: { x: number; y: number }): string | null {
		// the designer may be in a shadow root (`<fsm-studio>`), where the document sees only its host
		const root = (this.deps.canvas()?.getRootNode() ?? document) as Document | ShadowRoot;
		return root.elementFromPoint(p.x, p.y)?.closest('.svelte-flow__node')?.getAttribute('data-id') ?? null;
	}

	/**
	 * Adds a library item from a click or a key: a state near the pointer when it is over the
	 * canvas (else in the middle of the view), in free space; an effect to the selected state.
	 */
	add(item: LibraryItem) {
		const p = item.kind === 'state' ? this.pointer : null;
		const at = p ? this.flow.screenToFlowPosition(p, { snapToGrid: true }) : this.viewCenter();
		const path = addFromLibrary(this.session, item, at, p ? this.stateUnder(p) : null, this.absOf, this.measured());
		if (path && item.kind === 'state') this.session.focusRequest = { field: 'name', target: path, join: true };
	}

	deleteSelection() {
		const s = this.session;
		const nodes = [...s.selectedNodes];
		const edges = [...new Set([...s.selectedEdges].map(transitionOfEdge))];
		if ((!nodes.length && !edges.length) || s.readonly) return;
		s.stopCapturing();
		s.edit((doc) =>
			doc.transact(() => {
				if (edges.length) removeTransitions(doc, edges);
				if (nodes.length) removeStates(doc, nodes);
			}, LOCAL)
		);
		s.stopCapturing();
		s.select();
	}

	selectAll() {
		this.session.select(allStatePaths(this.session.workflow), []);
	}

	makeInitial(path = [...this.session.selectedNodes][0]) {
		if (!path) return;
		this.session.stopCapturing();
		this.session.edit((d) => setInitial(d, path));
		this.session.stopCapturing();
	}

	fitView() {
		void this.flow.fitView({ padding: 0.2, duration: motion(250), maxZoom: 1.1 });
	}

	async autoLayout() {
		if (this.layingOut) return;
		this.layingOut = true;
		const s = this.session;
		try {
			await new Promise((r) => requestAnimationFrame(() => r(null)));
			const { layoutWorkflow } = await import('./layout-client');
			const sizes = new Map<string, { width: number; height: number }>();
			for (const p of allStatePaths(s.workflow)) {
				const n = this.flow.getInternalNode(p);
				if (n?.measured.width && n.measured.height) sizes.set(p, { width: n.measured.width, height: n.measured.height });
			}
			const layout = await layoutWorkflow(s.workflow, sizes);
			s.stopCapturing();
			s.edit((doc) => setLayout(doc, layout));
			s.stopCapturing();
			setTimeout(() => this.fitView(), 50);
			toasts.show('Laid out. Undo with Ctrl+Z.');
		} catch (e) {
			toasts.error(`Auto-layout failed: ${(e as Error).message}`);
		} finally {
			this.layingOut = false;
		}
	}

	/** Rename the selected state, or edit the selected transition's event. */
	editSelection(): boolean {
		const s = this.session;
		if (s.selectedNodes.size === 1) s.focusRequest = { field: 'name', target: [...s.selectedNodes][0] };
		else if (s.selectedEdges.size === 1) s.focusRequest = { field: 'event', target: transitionOfEdge([...s.selectedEdges][0]) };
		else return false;
		return true;
	}

	/** Svelte Flow has just moved the selected states with the arrow keys: keep their new places. */
	keepMoved() {
		const moved = this.flow.getNodes([...this.session.selectedNodes]);
		if (moved.length) this.session.edit((d) => setLayout(d, Object.fromEntries(moved.map((n) => [n.id, { x: n.position.x, y: n.position.y }]))));
	}

	/**
	 * Runs a command by id (keyboard); returns false when it did not apply, so the key press
	 * keeps its default meaning.
	 */
	run(id: CommandId): boolean {
		const s = this.session;
		switch (id) {
			case 'undo':
				s.undo();
				return true;
			case 'redo':
				s.redo();
				return true;
			case 'copy':
				void this.clipboard.copy();
				return true;
			case 'cut':
				void this.clipboard.copy().then((ok) => ok && this.deleteSelection());
				return true;
			case 'paste':
				void this.clipboard.paste();
				return true;
			case 'duplicate':
				this.clipboard.duplicate();
				return true;
			case 'delete':
				this.deleteSelection();
				return true;
			case 'selectAll':
				this.selectAll();
				return true;
			case 'edit':
				return this.editSelection();
			case 'makeInitial':
				if (s.selectedNodes.size !== 1) return false;
				this.makeInitial();
				return true;
			case 'keepMoved':
				this.keepMoved();
				return false; // Svelte Flow's own handling of the key stays
			case 'addState':
				this.add({ kind: 'state', stateType: 'atomic' });
				return true;
			case 'addFinal':
				this.add({ kind: 'state', stateType: 'final' });
				return true;
			case 'addCompound':
				this.add({ kind: 'state', stateType: 'compound' });
				return true;
			case 'addParallel':
				this.add({ kind: 'state', stateType: 'parallel' });
				return true;
			case 'fitView':
				this.fitView();
				return true;
			case 'zoomIn':
				void this.flow.zoomIn({ duration: motion(150) });
				return true;
			case 'zoomOut':
				void this.flow.zoomOut({ duration: motion(150) });
				return true;
			case 'autoLayout':
				void this.autoLayout();
				return true;
			case 'clearSelection':
				s.select();
				return true;
			case 'help':
				this.deps.openHelp();
				return true;
		}
	}
}
