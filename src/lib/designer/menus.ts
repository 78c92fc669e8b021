/**
 * Context menus of the canvas (right-click, long press): what can be done with a state, a
 * transition or the empty canvas. The items run the same commands as the toolbar and keys.
 */
import type { XYPosition } from '@xyflow/svelte';
import { stateAt, stateType } from '../model/tree';
import type { DesignerCommands } from './commands.svelte';
import type { MenuItem } from './ContextMenu.svelte';
import { transitionOfEdge } from './graph';
import { dropOnCanvas } from './library';
import type { DesignerSession } from './session.svelte';

/** What the menu was opened on. */
export interface MenuTarget {
	/** Screen position of the pointer. */
	x: number;
	y: number;
	/** The same point on the canvas. */
	flow: XYPosition;
	node?: string;
	edge?: string;
}

export function menuItems(m: MenuTarget, session: DesignerSession, commands: DesignerCommands): MenuItem[] {
	const items: MenuItem[] = [];
	const addState = (stateType: 'atomic' | 'final', parent: string | null) => {
		const p = dropOnCanvas(session, { kind: 'state', stateType }, m.flow, parent, commands.absOf, commands.measured());
		if (p && stateType === 'atomic') session.focusRequest = { field: 'name', target: p, join: true };
	};
	if (m.node) {
		const path = m.node;
		const s = stateAt(session.workflow, path);
		const t = s ? stateType(s) : 'atomic';
		const many = session.selectedNodes.size > 1;
		if (!many) {
			items.push({ label: 'Rename', hint: 'F2', run: () => (session.focusRequest = { field: 'name', target: path }) });
			items.push({ label: 'Set as initial state', hint: 'I', run: () => commands.makeInitial(path) });
			if (t === 'compound' || t === 'parallel') items.push({ label: t === 'parallel' ? 'Add a region' : 'Add a child state', run: () => addState('atomic', path) });
		}
		items.push({ label: 'Copy', hint: 'Ctrl C', run: () => void commands.clipboard.copy() });
		items.push({ label: 'Duplicate', hint: 'Ctrl D', run: () => commands.clipboard.duplicate() });
		items.push({ label: many ? `Delete ${session.selectedNodes.size} states` : 'Delete', hint: 'Del', danger: true, run: () => commands.deleteSelection() });
	} else if (m.edge) {
		const id = transitionOfEdge(m.edge);
		items.push({ label: 'Edit event', hint: 'Enter', run: () => (session.focusRequest = { field: 'event', target: id }) });
		items.push({ label: 'Delete transition', hint: 'Del', danger: true, run: () => commands.deleteSelection() });
	} else {
		items.push({ label: 'Add a state here', hint: 'S', run: () => addState('atomic', null) });
		items.push({ label: 'Add a final state here', run: () => addState('final', null) });
		items.push({ label: 'Paste', hint: 'Ctrl V', run: () => void commands.clipboard.paste() });
		items.push({ label: 'Select all', hint: 'Ctrl A', run: () => commands.selectAll() });
		items.push({ label: 'Auto-layout', hint: 'Shift L', run: () => void commands.autoLayout() });
		items.push({ label: 'Fit view', hint: 'F', run: () => commands.fitView() });
	}
	return items;
}
