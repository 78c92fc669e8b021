/**
 * Import, export and sharing. Pure TypeScript (no DOM): the browser-only helpers for files,
 * clipboard and drag-and-drop live in `./browser/`.
 *
 * The TypeScript exporter embeds the whole runtime (~750 kB of source), so it is not
 * re-exported here: load it on demand with `loadTypeScriptExporter()`.
 */
export * from './types';
export { exportJson, importJson } from './json';
export { exportMermaid, importMermaid } from './mermaid';
export { exportXStateJson, exportXStateCode, importXState, importXStateCode, toXStateConfig } from './xstate';
export { exportScxml, importScxml } from './scxml';
export { importFile, importDataFile, importPasted, detectFormat, IMPORT_ACCEPT } from './drop';
export { encodeShareLink, decodeShareLink, linkMode, MAX_LINK_CHARS, type EncodeResult, type DecodeResult, type ShareMode } from './share-link';
export { sanitizeForSharing } from './sanitize';

/** Loads the TypeScript exporter (and the runtime it embeds) only when asked for. */
export const loadTypeScriptExporter = () => import('./typescript');

import type { Workflow } from '../model/types';
import type { ExportFormat, ExportResult } from './types';
import { exportJson } from './json';
import { exportMermaid } from './mermaid';
import { exportXStateCode, exportXStateJson } from './xstate';
import { exportScxml } from './scxml';

/** Exports to any format; `previous` is the last TypeScript export (its user-code regions are kept). */
export async function exportWorkflow(workflow: Workflow, format: ExportFormat, previous?: string): Promise<ExportResult> {
	switch (format) {
		case 'json':
			return exportJson(workflow);
		case 'mermaid':
			return exportMermaid(workflow);
		case 'xstate-json':
			return exportXStateJson(workflow);
		case 'xstate-ts':
			return exportXStateCode(workflow);
		case 'scxml':
			return exportScxml(workflow);
		case 'typescript':
			return (await loadTypeScriptExporter()).exportTypeScript(workflow, { previous });
	}
}
