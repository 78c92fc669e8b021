/**
 * One entry point for every import path (file, drop, paste): guesses the format from the
 * file name and the content, then runs that importer. Pure: the browser helpers only read
 * the file's text and call this.
 */
import { importJson } from './json';
import { importMermaid } from './mermaid';
import { importScxml } from './scxml';
import { importXStateCode } from './xstate';
import type { ImportFormat, ImportResult } from './types';
import { checkSize } from './util';

export { IMPORT_ACCEPT } from './accept';

/** The format a text is in, from its file name first, then its first characters. */
export function detectFormat(name: string, text: string): ImportFormat | undefined {
	const n = (name || '').toLowerCase();
	if (n.endsWith('.json')) return 'json';
	if (n.endsWith('.scxml') || n.endsWith('.xml')) return 'scxml';
	if (n.endsWith('.mmd') || n.endsWith('.mermaid')) return 'mermaid';
	if (/\.(?:[cm]?[jt]s|tsx|jsx)$/.test(n)) return 'xstate';
	const head = text.replace(/^\uFEFF/, '').trimStart();
	if (head.startsWith('{') || head.startsWith('[')) return 'json';
	if (/\bcreateMachine\s*\(/.test(head)) return 'xstate';
	if (head.startsWith('<')) return 'scxml';
	if (/^(?:---[\s\S]*?---\s*)?(?:%%[^\n]*\n\s*)*stateDiagram/.test(head) || /```\s*mermaid[\s\S]*stateDiagram/.test(head)) return 'mermaid';
	return undefined;
}

/**
 * Imports a file's text by its name and content; never throws. XState code loads its parser
 * on first use, hence the promise; `importDataFile` is the synchronous form for the data
 * formats (JSON, XState JSON, Mermaid, SCXML).
 */
export async function importFile(name: string, text: string): Promise<ImportResult> {
	if (checkSize(text, 'file').length === 0 && detectFormat(name, text) === 'xstate' && !/^\s*[{[]/.test(text)) return importXStateCode(text);
	return importDataFile(name, text);
}

/** Imports a data file (everything but XState code) synchronously; never throws. */
export function importDataFile(name: string, text: string): ImportResult {
	const sizeErrors = checkSize(text, name ? 'file' : 'text');
	// (no file name in front: every caller says which file it was)
	if (sizeErrors.length) return { ok: false, errors: sizeErrors };
	const format = detectFormat(name, text);
	switch (format) {
		case 'json':
			return importJson(text);
		case 'xstate':
			if (/^\s*[{[]/.test(text)) return importJson(text);
			return { ok: false, errors: [{ line: 1, message: `${name ? `"${name}"` : 'This text'} is XState code; it is read by the asynchronous importer (importFile).` }] };
		case 'mermaid':
			return importMermaid(text);
		case 'scxml':
			return importScxml(text);
		default:
			return {
				ok: false,
				errors: [{ line: 1, message: `${name ? `"${name}"` : 'This text'} is not a format FSM Studio can import. Use an FSM Studio or XState JSON file, XState code (createMachine), a Mermaid state diagram (stateDiagram-v2) or SCXML.` }]
			};
	}
}

/** Imports pasted text (no file name): the format is guessed from the content. */
export function importPasted(text: string): Promise<ImportResult> {
	return importFile('', text);
}
