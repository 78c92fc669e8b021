import { getContext, setContext } from 'svelte';
import type { DesignerSession } from './session.svelte';

const KEY = Symbol('fsm-designer');

export interface CanvasOverlay {
	/** Extra CSS class per state path (e.g. `visited`, `breakpoint`). */
	classes?: Record<string, string>;
	/** A small badge text per state path (e.g. a visit count). */
	badges?: Record<string, string>;
	/** Extra CSS class per transition id (on the edge's path and label), e.g. `sim-taken`. */
	edgeClasses?: Record<string, string>;
	/** A small badge per transition id, shown in the edge's label (e.g. how often it was taken). */
	edgeBadges?: Record<string, string>;
}

export interface DesignerContext {
	session: DesignerSession;
	overlay(): CanvasOverlay | undefined;
}

export function setDesigner(ctx: DesignerContext) {
	setContext(KEY, ctx);
}
export function getDesigner(): DesignerContext {
	return getContext<DesignerContext>(KEY);
}
