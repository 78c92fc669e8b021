import type { Snippet } from 'svelte';

/**
 * An extra panel for the designer (the simulator's run panel, a timeline, …): a tab in the
 * bottom area or in the right sidebar next to Properties.
 */
export interface DesignerPanel {
	id: string;
	label: string;
	/** Where the tab goes (default: bottom). */
	area?: 'bottom' | 'right';
	/** Small text after the label, e.g. a count. */
	badge?: string;
	content: Snippet;
}

const KEY = 'fsm-studio:panels';

export interface PanelSizes {
	left: number;
	right: number;
	bottom: number;
	leftOpen: boolean;
	rightOpen: boolean;
	bottomOpen: boolean;
}

export function loadPanelSizes(): PanelSizes {
	const d: PanelSizes = { left: 220, right: 320, bottom: 220, leftOpen: true, rightOpen: true, bottomOpen: true };
	try {
		return { ...d, ...JSON.parse(localStorage.getItem(KEY) ?? '{}') };
	} catch {
		return d;
	}
}
export function savePanelSizes(s: PanelSizes) {
	try {
		localStorage.setItem(KEY, JSON.stringify(s));
	} catch {
		/* not essential */
	}
}
