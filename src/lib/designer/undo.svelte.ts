/**
 * Undo and redo of the designer: one step per user gesture.
 *
 * Edits are Yjs transactions with the `LOCAL` origin (see `collab/ops.ts`); a Y.UndoManager
 * records them and merges changes that follow each other within 250 ms (typing, a drag). A
 * gesture ends its step with `stop()`, so the next gesture starts a new one; a gesture that
 * continues the previous one (naming the state just added) joins it with `join()`.
 * Changes from other tabs or peers are never undone here.
 */
import * as Y from 'yjs';
import { LOCAL, rootMap } from '../collab/binding';

export class UndoHistory {
	canUndo = $state(false);
	canRedo = $state(false);
	private manager: Y.UndoManager;

	constructor(doc: Y.Doc) {
		this.manager = new Y.UndoManager(rootMap(doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 250 });
		const sync = () => {
			this.canUndo = this.manager.undoStack.length > 0;
			this.canRedo = this.manager.redoStack.length > 0;
		};
		this.manager.on('stack-item-added', sync);
		this.manager.on('stack-item-popped', sync);
		this.manager.on('stack-cleared', sync);
	}

	undo() {
		this.manager.undo();
	}

	redo() {
		this.manager.redo();
	}

	/** Ends the current step: the next edit starts a new one. */
	stop() {
		this.manager.stopCapturing();
	}

	/**
	 * Runs `fn`, whose edits join the last step instead of making a new one (the name typed
	 * into a state that was just added: adding and naming it is one gesture).
	 */
	join<T>(fn: () => T): T {
		// the manager merges a change into the last step when it follows within captureTimeout
		if (this.manager.undoStack.length) this.manager.lastChange = Date.now();
		try {
			return fn();
		} finally {
			this.manager.stopCapturing();
		}
	}

	/** Whether a change with this origin is recorded here (the binding's own edits). */
	tracks(origin: unknown): boolean {
		return origin === LOCAL || origin instanceof Y.UndoManager;
	}

	destroy() {
		this.manager.destroy();
	}
}
