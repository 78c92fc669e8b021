/**
 * Keyboard shortcuts of the designer: ONE table. The help overlay (`ShortcutsHelp.svelte`) shows
 * it, and the keyboard handler (`keyboard.ts`) finds the command of a key press in it, so the two
 * cannot disagree.
 */

/** What a shortcut does; `commands.ts` implements each. */
export type CommandId =
	| 'undo'
	| 'redo'
	| 'copy'
	| 'cut'
	| 'paste'
	| 'duplicate'
	| 'delete'
	| 'selectAll'
	| 'edit'
	| 'makeInitial'
	| 'keepMoved'
	| 'addState'
	| 'addFinal'
	| 'addCompound'
	| 'addParallel'
	| 'fitView'
	| 'zoomIn'
	| 'zoomOut'
	| 'autoLayout'
	| 'clearSelection'
	| 'help';

export interface Shortcut {
	/** As shown in the help. */
	keys: string;
	action: string;
	/** The command run; none for pointer gestures that are only explained. */
	command?: CommandId;
	/**
	 * Key presses that run the command, as `mod+shift+z` (`mod` is Ctrl, or ⌘ on a Mac), a key
	 * name (`Delete`, `F2`, `?`), or `Arrow*`. Empty when the browser delivers the command some
	 * other way (copy, cut and paste arrive as clipboard events).
	 */
	bind?: string[];
}

export const shortcuts: { group: string; items: Shortcut[] }[] = [
	{
		group: 'Edit',
		items: [
			{ keys: 'Ctrl/⌘ Z', action: 'Undo', command: 'undo', bind: ['mod+z'] },
			{ keys: 'Ctrl/⌘ Shift Z · Ctrl Y', action: 'Redo', command: 'redo', bind: ['mod+shift+z', 'mod+y'] },
			{ keys: 'Ctrl/⌘ C · X · V', action: 'Copy · cut · paste states (also between workflows)', command: 'copy', bind: [] },
			{ keys: 'Ctrl/⌘ D', action: 'Duplicate selection', command: 'duplicate', bind: ['mod+d'] },
			{ keys: 'Delete · Backspace', action: 'Delete selection', command: 'delete', bind: ['Delete', 'Backspace'] },
			{ keys: 'Ctrl/⌘ A', action: 'Select all states', command: 'selectAll', bind: ['mod+a'] },
			{ keys: 'F2 · Enter', action: 'Rename the selected state / edit the event', command: 'edit', bind: ['F2', 'Enter'] },
			{ keys: 'I', action: 'Make the selected state the initial one', command: 'makeInitial', bind: ['i'] },
			{ keys: 'Arrows · Shift arrows', action: 'Move the focused selection', command: 'keepMoved', bind: ['Arrow*', 'shift+Arrow*'] },
			{ keys: 'Double-click', action: 'Add a state (on the canvas) · rename (on a state)' },
			{ keys: 'Right-click · long press', action: 'Menu of what can be done with a state, a transition or the canvas' },
			{ keys: 'Drag onto a compound', action: 'Move a state into it (or out, onto the canvas)' }
		]
	},
	{
		group: 'Add',
		items: [
			{ keys: 'S', action: 'Add a state', command: 'addState', bind: ['s'] },
			{ keys: 'Shift F', action: 'Add a final state', command: 'addFinal', bind: ['shift+F'] },
			{ keys: 'C', action: 'Add a compound state', command: 'addCompound', bind: ['c'] },
			{ keys: 'P', action: 'Add a parallel state', command: 'addParallel', bind: ['p'] }
		]
	},
	{
		group: 'View',
		items: [
			{ keys: 'F', action: 'Fit the workflow in view', command: 'fitView', bind: ['f'] },
			{ keys: '+', action: 'Zoom in', command: 'zoomIn', bind: ['+', '='] },
			{ keys: '−', action: 'Zoom out', command: 'zoomOut', bind: ['-'] },
			{ keys: 'Shift L', action: 'Auto-layout', command: 'autoLayout', bind: ['shift+L'] },
			{ keys: 'Shift-drag', action: 'Select with a rectangle' },
			{ keys: 'Scroll · Ctrl scroll · pinch', action: 'Pan · zoom' },
			{ keys: 'Esc', action: 'Clear the selection, close dialogs; in a field: back to the canvas', command: 'clearSelection', bind: ['Escape'] },
			{ keys: '?', action: 'This help', command: 'help', bind: ['?'] }
		]
	}
];

interface Binding {
	key: string;
	mod: boolean;
	shift: boolean | undefined;
	command: CommandId;
}

function parse(bind: string, command: CommandId): Binding {
	// a lone '+' is the plus key itself
	const parts = bind === '+' ? ['+'] : bind.split('+');
	const key = parts.pop()!;
	const mods = new Set(parts);
	// printable keys already say whether Shift was held (F vs f, ? on most layouts): Shift only
	// counts when the binding names it or the key is a named one
	const named = key.length > 1;
	return { key, mod: mods.has('mod'), shift: mods.has('shift') ? true : named || mods.has('mod') ? false : undefined, command };
}

const bindings: Binding[] = shortcuts.flatMap((g) => g.items.flatMap((s) => (s.command ? (s.bind ?? []).map((b) => parse(b, s.command!)) : [])));

/** The command a key press asks for, or null. Pure: the caller decides whether to run it. */
export function commandForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): CommandId | null {
	if (e.altKey) return null;
	const mod = e.ctrlKey || e.metaKey;
	for (const b of bindings) {
		if (b.mod !== mod) continue;
		const keyMatches = b.key === 'Arrow*' ? e.key.startsWith('Arrow') : b.mod ? b.key === e.key.toLowerCase() : b.key === e.key;
		if (!keyMatches) continue;
		if (b.shift !== undefined && b.shift !== e.shiftKey) continue;
		return b.command;
	}
	return null;
}

/** Every command reachable from the keyboard (tests check each against the help). */
export function boundCommands(): Set<CommandId> {
	return new Set(bindings.map((b) => b.command));
}

/** True when the key event comes from a text field (shortcuts must not steal typing). */
export function isTyping(e: KeyboardEvent | ClipboardEvent): boolean {
	const el = eventTarget(e);
	if (!el || !el.tagName) return false;
	const tag = el.tagName;
	return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/**
 * Where an event really started: inside a shadow root (`<fsm-studio>`), listeners on the window
 * or document see the shadow host as `target`; the composed path still starts at the element.
 */
export function eventTarget(e: Event): HTMLElement | null {
	return ((e.composedPath?.()[0] as HTMLElement | undefined) ?? (e.target as HTMLElement | null)) || null;
}
