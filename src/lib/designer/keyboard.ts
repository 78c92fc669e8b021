/**
 * The designer's key handler: finds the command of a key press in the shortcut table
 * (`shortcuts.ts`, the same table the help shows) and runs it, unless the key belongs to
 * something else (a text field, a dialog, a button's Enter).
 */
import { commandForKey, eventTarget, isTyping, type CommandId } from './shortcuts';

export interface KeyTarget {
	/** False while a dialog or menu of the designer is open, or the workflow is loading. */
	active(): boolean;
	/** Runs the command; false when it did not apply (the key keeps its default meaning). */
	run(id: CommandId): boolean;
	/** Puts the focus back on the canvas (the selected element, or the canvas itself). */
	focusCanvas(): void;
}

/** Handles one keydown on the designer's window. */
export function handleDesignerKey(e: KeyboardEvent, target: KeyTarget): void {
	if (!target.active()) return;
	const el = eventTarget(e);
	// Esc in a field of the side panels (after the field has restored its value) goes back to the
	// canvas, so the next Ctrl+Z undoes the last edit instead of the field's text
	if (e.key === 'Escape' && isTyping(e) && el?.closest?.('[data-escape-to-canvas]')) {
		target.focusCanvas();
		e.preventDefault();
		return;
	}
	const id = commandForKey(e);
	if (!id) return;
	// text fields keep their own keys: undo, copy and paste of text, Delete, letters
	if (isTyping(e)) return;
	const mod = e.ctrlKey || e.metaKey;
	if (!mod && el?.closest?.('dialog')) return;
	// Enter on a button or link presses it
	if (id === 'edit' && e.key === 'Enter' && el?.closest?.('button, a, [role="tab"]')) return;
	// arrows move states only when a state has the focus (Svelte Flow moves it first)
	if (id === 'keepMoved' && !el?.closest?.('.svelte-flow__node')) return;
	if (target.run(id)) e.preventDefault();
}
