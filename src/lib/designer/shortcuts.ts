/** Keyboard shortcuts of the designer: one table, used by the handler and the help overlay. */
export interface Shortcut {
	keys: string;
	action: string;
}
export const shortcuts: { group: string; items: Shortcut[] }[] = [
	{
		group: 'Edit',
		items: [
			{ keys: 'Ctrl/⌘ Z', action: 'Undo' },
			{ keys: 'Ctrl/⌘ Shift Z · Ctrl Y', action: 'Redo' },
			{ keys: 'Ctrl/⌘ C · X · V', action: 'Copy · cut · paste states (also between workflows)' },
			{ keys: 'Ctrl/⌘ D', action: 'Duplicate selection' },
			{ keys: 'Delete · Backspace', action: 'Delete selection' },
			{ keys: 'Ctrl/⌘ A', action: 'Select all states' },
			{ keys: 'F2 · Enter', action: 'Rename the selected state / edit the event' },
			{ keys: 'I', action: 'Make the selected state the initial one' },
			{ keys: 'Arrows · Shift arrows', action: 'Move the focused selection' },
			{ keys: 'Double-click', action: 'Add a state (on the canvas) · rename (on a state)' },
			{ keys: 'Right-click', action: 'Menu of what can be done with a state, a transition or the canvas' },
			{ keys: 'Drag onto a compound', action: 'Move a state into it (or out, onto the canvas)' }
		]
	},
	{
		group: 'Add',
		items: [
			{ keys: 'S', action: 'Add a state' },
			{ keys: 'Shift F', action: 'Add a final state' },
			{ keys: 'C', action: 'Add a compound state' },
			{ keys: 'P', action: 'Add a parallel state' }
		]
	},
	{
		group: 'View',
		items: [
			{ keys: 'F', action: 'Fit the workflow in view' },
			{ keys: '+ · −', action: 'Zoom in · out' },
			{ keys: 'Shift L', action: 'Auto-layout' },
			{ keys: 'Shift-drag', action: 'Select with a rectangle' },
			{ keys: 'Scroll · Ctrl scroll', action: 'Pan · zoom' },
			{ keys: 'Esc', action: 'Clear the selection, close dialogs' },
			{ keys: '?', action: 'This help' }
		]
	}
];

/** True when the key event comes from a text field (shortcuts must not steal typing). */
export function isTyping(e: KeyboardEvent | ClipboardEvent): boolean {
	const el = e.target as HTMLElement | null;
	if (!el || !el.tagName) return false;
	const tag = el.tagName;
	return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}
