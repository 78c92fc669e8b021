/** JSON: the canonical document out; any format version (migrated) or an XState config in. */
import { parseWorkflow, serializeWorkflow } from '../model';
import type { Workflow } from '../model/types';
import type { ExportResult, ImportResult } from './types';
import { checkSize, guarded, isRecord, fileBase, slug } from './util';
import { importXState } from './xstate';

/** The canonical `.fsm.json` text: stable key order, so files diff well. */
export function exportJson(workflow: Workflow): ExportResult {
	return { text: serializeWorkflow(workflow), lost: [], filename: `${fileBase(workflow)}.fsm.json`, mime: 'application/json' };
}

/** True when a parsed JSON value looks like an FSM Studio document (any version) rather than an XState config. */
export function isWorkflowDocument(v: unknown): boolean {
	return isRecord(v) && (Object.hasOwn(v, 'format') || Object.hasOwn(v, 'version') || Array.isArray(v.transitions) || !isRecord(v.states));
}

/**
 * Imports JSON text: an FSM Studio workflow of any format version (migrated by the model;
 * a newer one opens read-only), or an XState v5 machine config.
 */
export function importJson(text: string): ImportResult {
	return guarded('JSON file', () => {
		const sizeErrors = checkSize(text, 'JSON file');
		if (sizeErrors.length) return { ok: false, errors: sizeErrors };
		let value: unknown;
		try {
			value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
		} catch {
			// The model locates the syntax error (line, column, path) in the user's words.
			const r = parseWorkflow(text);
			return r.ok ? { ok: true, workflow: r.workflow, lost: [] } : { ok: false, errors: r.errors };
		}
		if (!isRecord(value)) return { ok: false, errors: [{ path: [], message: 'This JSON is not an object, so it is neither an FSM Studio workflow nor an XState machine config.' }] };
		if (!isWorkflowDocument(value)) return importXState(value);
		const r = parseWorkflow(value);
		if (!r.ok) return { ok: false, errors: r.errors };
		return {
			ok: true,
			workflow: r.workflow,
			lost: [],
			...(r.warnings?.length ? { warnings: r.warnings } : {}),
			...(r.readOnly ? { readOnly: true } : {})
		};
	});
}
