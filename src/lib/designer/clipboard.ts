/**
 * Copy, cut, paste and duplicate of states. What is copied is a `Fragment` (states with the
 * transitions among them and their layout) as JSON text: in the system clipboard, so it can be
 * pasted into another workflow or tab, and in local storage, for pages where the clipboard
 * cannot be read (permission refused).
 */
import { copyFragment, pasteFragment, type Fragment } from '../collab/ops';
import { copyText, readText } from '../io/browser/clipboard';
import type { Workflow } from '../model/types';
import { readLocal, writeLocal } from './local-storage';
import type { DesignerSession } from './session.svelte';
import { isTyping } from './shortcuts';
import { toasts } from './toasts.svelte';

const CLIP_KEY = 'fsm-studio:clipboard';

/** A fragment from clipboard text: a copied fragment, or a whole workflow file. */
export function fragmentFrom(text: string | null | undefined): Fragment | null {
	if (!text) return null;
	try {
		const v = JSON.parse(text) as Fragment | Workflow;
		if ((v as Fragment).kind === 'fsm-studio/fragment' && (v as Fragment).states) return v as Fragment;
		if ((v as Workflow).format === 'fsm-studio/workflow' && (v as Workflow).states)
			return { kind: 'fsm-studio/fragment', states: (v as Workflow).states, layout: (v as Workflow).layout ?? {} };
	} catch {
		/* not ours */
	}
	return null;
}

function plural(n: number, one: string) {
	return `${n} ${one}${n === 1 ? '' : 's'}`;
}

export interface Clipboard {
	/** Copies the selected states (toolbar, menu); false when nothing is selected. */
	copy(): Promise<boolean>;
	/** Pastes what the system clipboard (or, failing that, the last copy) holds. */
	paste(): Promise<void>;
	/** Pastes a copy of the selection right away, offset a little. */
	duplicate(): void;
	/** Document listeners: Ctrl+C / X / V outside text fields. */
	oncopy(e: ClipboardEvent): void;
	oncut(e: ClipboardEvent): void;
	onpaste(e: ClipboardEvent): void;
}

export function createClipboard(session: DesignerSession, deleteSelection: () => void): Clipboard {
	// pasting the same copy again moves each paste a little further
	let pasteCount = 0;

	function current(): Fragment | null {
		const nodes = [...session.selectedNodes];
		return nodes.length ? copyFragment(session.workflow, nodes) : null;
	}

	function remember(frag: Fragment): string {
		const text = JSON.stringify(frag, null, 2);
		writeLocal(CLIP_KEY, text);
		pasteCount = 0;
		return text;
	}

	function pasteText(text: string | null | undefined) {
		const frag = fragmentFrom(text) ?? fragmentFrom(readLocal(CLIP_KEY));
		if (!frag) {
			toasts.show('Nothing to paste: copy some states first.');
			return;
		}
		pasteCount++;
		const inThisWorkflow = Object.keys(frag.layout).some((k) => session.workflow.layout?.[k]);
		const offset = inThisWorkflow ? { x: 40 * pasteCount, y: 40 * pasteCount } : { x: 0, y: 0 };
		session.stopCapturing();
		const pasted = session.edit((doc) => pasteFragment(doc, frag, '', offset));
		session.stopCapturing();
		if (pasted) {
			session.select(pasted, []);
			toasts.show(`Pasted ${plural(pasted.length, 'state')}.`);
		}
	}

	function oncopy(e: ClipboardEvent) {
		if (isTyping(e) || !session.loaded) return;
		const frag = current();
		if (!frag) return;
		e.clipboardData?.setData('text/plain', remember(frag));
		e.preventDefault();
		toasts.show(`Copied ${plural(Object.keys(frag.states).length, 'state')}.`);
	}

	return {
		async copy() {
			const frag = current();
			if (!frag) return false;
			await copyText(remember(frag));
			toasts.show(`Copied ${plural(Object.keys(frag.states).length, 'state')}.`);
			return true;
		},
		async paste() {
			pasteText(await readText());
		},
		duplicate() {
			const frag = current();
			if (!frag) return;
			pasteText(remember(frag));
		},
		oncopy,
		oncut(e) {
			if (isTyping(e) || !session.loaded || !session.selectedNodes.size) return;
			oncopy(e);
			deleteSelection();
		},
		onpaste(e) {
			if (isTyping(e) || !session.loaded) return;
			e.preventDefault();
			pasteText(e.clipboardData?.getData('text/plain'));
		}
	};
}
