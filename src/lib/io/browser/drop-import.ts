/**
 * A Svelte action that turns an element into a drop target for workflow files
 * (FSM Studio / XState JSON, Mermaid, SCXML):
 *
 *   <main use:dropImport={{ onImport: (result, file) => …, onDragChange: (over) => … }}>
 *
 * `onImport` gets the typed `ImportResult` (never a throw); the page decides what to do
 * with it (create a workflow, show the errors). While a file is dragged over the element
 * it has `data-dropping="true"` for styling.
 */
import { tooLargeMessage } from '../size';
import type { ImportResult } from '../types';

export interface DropImportOptions {
	onImport: (result: ImportResult, file: { name: string }) => void;
	onDragChange?: (over: boolean) => void;
	/** Files larger than this are refused before reading (default 5 MB). */
	maxBytes?: number;
}

function hasFiles(e: DragEvent): boolean {
	return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}

export function dropImport(node: HTMLElement, options: DropImportOptions) {
	let opts = options;
	let depth = 0;
	const set = (over: boolean) => {
		node.dataset.dropping = over ? 'true' : 'false';
		opts.onDragChange?.(over);
	};
	const enter = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		e.preventDefault();
		if (depth++ === 0) set(true);
	};
	const over = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		e.preventDefault();
		if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
	};
	const leave = (e: DragEvent) => {
		if (!hasFiles(e)) return;
		if (--depth <= 0) {
			depth = 0;
			set(false);
		}
	};
	const drop = async (e: DragEvent) => {
		if (!hasFiles(e)) return;
		e.preventDefault();
		depth = 0;
		set(false);
		const files = Array.from(e.dataTransfer?.files ?? []);
		for (const file of files) {
			const limit = opts.maxBytes ?? 5_000_000;
			if (file.size > limit) {
				opts.onImport({ ok: false, errors: [{ message: tooLargeMessage(file.size, 'file', limit) }] }, file);
				continue;
			}
			let text: string;
			try {
				text = await file.text();
			} catch (err) {
				opts.onImport({ ok: false, errors: [{ message: `"${file.name}" could not be read: ${err instanceof Error ? err.message : String(err)}` }] }, file);
				continue;
			}
			// the importers load on the first drop, not with the page that accepts drops
			const { importFile } = await import('../drop');
			opts.onImport(await importFile(file.name, text), file);
		}
	};
	// Marks the element as a drop target (tests and styles find it by this attribute).
	node.dataset.dropImport = '';
	node.addEventListener('dragenter', enter);
	node.addEventListener('dragover', over);
	node.addEventListener('dragleave', leave);
	node.addEventListener('drop', drop);
	return {
		update(next: DropImportOptions) {
			opts = next;
		},
		destroy() {
			node.removeEventListener('dragenter', enter);
			node.removeEventListener('dragover', over);
			node.removeEventListener('dragleave', leave);
			node.removeEventListener('drop', drop);
		}
	};
}
