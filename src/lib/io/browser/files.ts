/**
 * Saving and opening `.fsm.json` files in the browser: the File System Access API where
 * the browser has it (and "save" writes back to the same file), download/upload elsewhere.
 * The only DOM code of `io`, kept apart from the pure core.
 */

/** A file the user picked; `handle` is set when it can be saved back in place. */
export interface PickedFile {
	name: string;
	text: string;
	handle?: FileSystemFileHandleLike;
}

/** The part of FileSystemFileHandle we use (not yet in TypeScript's DOM types everywhere). */
export interface FileSystemFileHandleLike {
	name: string;
	getFile(): Promise<File>;
	createWritable(): Promise<{ write(data: string | Blob): Promise<void>; close(): Promise<void> }>;
}

interface PickerWindow {
	showSaveFilePicker?: (options: unknown) => Promise<FileSystemFileHandleLike>;
	showOpenFilePicker?: (options: unknown) => Promise<FileSystemFileHandleLike[]>;
}

const TYPES = [{ description: 'FSM Studio workflow', accept: { 'application/json': ['.fsm.json', '.json'] } }];

/** Whether this browser can save back to the file it opened. */
export function canSaveInPlace(): boolean {
	return typeof window !== 'undefined' && typeof (window as PickerWindow).showSaveFilePicker === 'function';
}

/** Offers text as a download (works everywhere, including headless browsers). */
export function download(filename: string, text: string, mime = 'application/json'): void {
	const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	a.rel = 'noopener';
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type SaveOutcome = { saved: true; handle?: FileSystemFileHandleLike; method: 'in-place' | 'picker' | 'download' } | { saved: false; reason: 'cancelled' | 'error'; message?: string };

/**
 * Saves text: back to `handle` when given, else through the save picker when the browser has
 * one, else as a download. Never throws.
 */
export async function saveText(filename: string, text: string, handle?: FileSystemFileHandleLike, mime = 'application/json'): Promise<SaveOutcome> {
	try {
		if (handle) {
			const w = await handle.createWritable();
			await w.write(text);
			await w.close();
			return { saved: true, handle, method: 'in-place' };
		}
		const picker = (window as PickerWindow).showSaveFilePicker;
		if (picker && mime === 'application/json') {
			const h = await picker({ suggestedName: filename, types: TYPES });
			const w = await h.createWritable();
			await w.write(text);
			await w.close();
			return { saved: true, handle: h, method: 'picker' };
		}
		download(filename, text, mime);
		return { saved: true, method: 'download' };
	} catch (e) {
		if (e instanceof DOMException && e.name === 'AbortError') return { saved: false, reason: 'cancelled' };
		return { saved: false, reason: 'error', message: e instanceof Error ? e.message : String(e) };
	}
}

/** Lets the user pick a file (open picker where available, else an `<input type=file>`). Resolves null when cancelled. */
export async function pickFile(accept: string): Promise<PickedFile | null> {
	const picker = (window as PickerWindow).showOpenFilePicker;
	if (picker) {
		try {
			const [h] = await picker({ types: TYPES, multiple: false });
			const f = await h.getFile();
			return { name: f.name, text: await f.text(), handle: h };
		} catch (e) {
			if (e instanceof DOMException && e.name === 'AbortError') return null;
			throw e;
		}
	}
	return new Promise((resolve) => {
		const input = document.createElement('input');
		input.type = 'file';
		input.accept = accept;
		input.hidden = true;
		document.body.appendChild(input);
		const done = (v: PickedFile | null) => {
			input.remove();
			resolve(v);
		};
		input.onchange = async () => {
			const f = input.files?.[0];
			done(f ? { name: f.name, text: await f.text() } : null);
		};
		input.oncancel = () => done(null);
		input.click();
	});
}
