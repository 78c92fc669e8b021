/**
 * Connects the Assistant panel to an open designer session: proposals are drawn on the canvas
 * through `session.preview` (the document untouched) with an overlay marking what is added,
 * changed and removed; accepted ones go through the session's undo history.
 */
import type { DesignerSession } from '../session.svelte';
import type { CanvasOverlay } from '../context';
import type { AssistantHost, PreviewOverlay } from './assistant.svelte';

export function sessionHost(session: DesignerSession, onOverlay: (o: PreviewOverlay | null) => void): AssistantHost {
	return {
		get doc() {
			return session.doc;
		},
		get workflow() {
			return session.workflow;
		},
		get selectedNodes() {
			return session.selectedNodes;
		},
		revealElement: (t) => session.revealElement(t),
		setPreview(p) {
			session.preview = p?.workflow ?? null;
			onOverlay(p?.overlay ?? null);
		},
		endUndoStep: () => session.stopCapturing()
	};
}

/** The preview's marks replace the other overlays while a proposal is shown. */
export function withPreview(base: CanvasOverlay | undefined, preview: PreviewOverlay | null): CanvasOverlay | undefined {
	return preview ?? base;
}
