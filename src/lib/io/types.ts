/**
 * Results of import and export. Importers never throw at the UI: they return a typed
 * result, and what a format cannot carry over is listed as `LostItem`s, never dropped silently.
 */
import type { Workflow } from '../model/types';

/** Where something is: a JSON path into a document, and/or a line (1-based) in a text file. */
export interface Location {
	path?: (string | number)[];
	line?: number;
	column?: number;
}

/** Something that could not be carried over, in the user's words. */
export interface LostItem extends Location {
	message: string;
}

/** Why an import failed, in the user's words, with where the problem is. */
export interface ImportError extends Location {
	message: string;
}

export type ImportResult =
	| { ok: true; workflow: Workflow; lost: LostItem[]; warnings?: string[]; readOnly?: boolean }
	| { ok: false; errors: ImportError[] };

export type ImportFormat = 'json' | 'xstate' | 'mermaid' | 'scxml';
export type ExportFormat = 'json' | 'mermaid' | 'xstate-json' | 'xstate-ts' | 'scxml' | 'typescript';

/** An exported text with what the target format could not express. */
export interface ExportResult {
	text: string;
	lost: LostItem[];
	/** Suggested file name, e.g. `smart-door.mmd`. */
	filename: string;
	mime: string;
}

/** Hard limits every importer enforces before doing any work. */
export const MAX_IMPORT_CHARS = 5_000_000;
