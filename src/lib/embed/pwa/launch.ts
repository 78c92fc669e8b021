/**
 * Files handed to the installed app by the operating system (manifest `file_handlers`, read
 * through `launchQueue`) or shared to it (`share_target`, stored by the service worker): each
 * becomes a NEW workflow; nothing already in the workspace is touched.
 */
import { importFile } from '../../io/drop';
import { createWorkflow, importWorkflowWithHistory, isHistoryBundle } from '../../collab/workspace';

/** What happened to one file. */
export type Opened = { name: string; ok: true; id: string; workflowName: string; lost: number } | { name: string; ok: false; message: string };

export const MAX_FILE_BYTES = 5_000_000;

/** Imports one file's text as a new workflow. Never throws. */
export async function openText(name: string, text: string): Promise<Opened> {
	try {
		if (isHistoryBundle(text)) {
			const meta = await importWorkflowWithHistory(text);
			return { name, ok: true, id: meta.id, workflowName: meta.name, lost: 0 };
		}
		const r = await importFile(name, text);
		if (!r.ok) {
			const why = r.errors.map((e) => e.message).join(' ');
			return { name, ok: false, message: why.includes(name) ? why : `"${name}" could not be opened: ${why}` };
		}
		if (r.readOnly) return { name, ok: false, message: `"${name}" was made with a newer version of FSM Studio; update FSM Studio to open it.` };
		const meta = await createWorkflow(r.workflow);
		return { name, ok: true, id: meta.id, workflowName: meta.name, lost: r.lost.length };
	} catch (e) {
		return { name, ok: false, message: `"${name}" could not be opened: ${(e as Error).message}` };
	}
}

/** Imports a file (a `File`, or a handle from `launchQueue`). */
export async function openFile(file: File | FileSystemFileHandle): Promise<Opened> {
	let f: File;
	try {
		f = file instanceof File ? file : await file.getFile();
	} catch (e) {
		return { name: (file as { name?: string }).name ?? 'file', ok: false, message: `The file could not be read: ${(e as Error).message}` };
	}
	if (f.size > MAX_FILE_BYTES) return { name: f.name, ok: false, message: `"${f.name}" is too large (${(f.size / 1e6).toFixed(1)} MB); the limit is ${MAX_FILE_BYTES / 1e6} MB.` };
	return openText(f.name, await f.text());
}

interface LaunchParams {
	files: readonly FileSystemHandle[];
	targetURL?: string;
}
interface LaunchQueue {
	setConsumer(consumer: (params: LaunchParams) => void): void;
}

/**
 * Calls `onLaunch` with the files the app was launched with (Chromium's launchQueue).
 * Returns false where the browser has no launchQueue.
 */
export function consumeLaunchQueue(onLaunch: (files: FileSystemFileHandle[]) => void): boolean {
	const q = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
	if (!q) return false;
	q.setConsumer((params) => {
		const files = params.files.filter((h): h is FileSystemFileHandle => h.kind === 'file');
		if (files.length) onLaunch(files);
	});
	return true;
}

/** Cache where the service worker keeps what was shared to the app until this page reads it. */
export const SHARE_CACHE = 'fsm-studio-share';

/** Reads (and removes) what was shared to the app: files, and text as a file of its own. */
export async function takeShared(): Promise<File[]> {
	if (typeof caches === 'undefined') return [];
	const cache = await caches.open(SHARE_CACHE);
	const out: File[] = [];
	for (const req of await cache.keys()) {
		const res = await cache.match(req);
		await cache.delete(req);
		if (!res) continue;
		const name = decodeURIComponent(res.headers.get('x-file-name') ?? 'shared.txt');
		out.push(new File([await res.blob()], name, { type: res.headers.get('content-type') ?? '' }));
	}
	return out;
}
