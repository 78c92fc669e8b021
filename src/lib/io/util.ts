/** Small helpers shared by the importers and exporters. */
import { parseWorkflow } from '../model';
import type { Workflow } from '../model/types';
import type { ImportError, ImportResult, LostItem } from './types';
import { MAX_IMPORT_CHARS } from './types';
import { tooLargeMessage } from './size';

export function isRecord(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own-property lookup that ignores `__proto__` and friends inherited from Object.prototype. */
export function own<T = unknown>(obj: Record<string, unknown>, key: string): T | undefined {
	return Object.hasOwn(obj, key) ? (obj[key] as T) : undefined;
}

/** A record with no prototype, so hostile keys such as `__proto__` stay plain data. */
export function dict<T>(): Record<string, T> {
	return Object.create(null) as Record<string, T>;
}

/** Converts prototype-less records (built with `dict`) back to plain objects, deeply. */
export function plain<T>(v: T): T {
	if (Array.isArray(v)) return v.map((x) => plain(x)) as T;
	if (v !== null && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const k of Object.keys(v)) {
			Object.defineProperty(out, k, { value: plain((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
		}
		return out as T;
	}
	return v;
}

/** Turns any text into a workflow id: lowercase words joined by dashes. */
export function slug(text: string, fallback = 'imported'): string {
	const s = text
		.normalize('NFKD')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
	return s || fallback;
}

/** Base of a file name for a workflow: its name as words, else its id. */
export function fileBase(workflow: { name?: string; id?: string }): string {
	return slug(workflow.name ?? '', '') || slug(workflow.id ?? '', 'workflow');
}

/** Rejects inputs that are not text or are too large, before any parsing. */
export function checkSize(text: unknown, what: string): ImportError[] {
	if (typeof text !== 'string') return [{ message: `The ${what} is not text.` }];
	if (text.length > MAX_IMPORT_CHARS) return [{ message: tooLargeMessage(text.length, what) }];
	if (text.trim() === '') return [{ message: `The ${what} is empty.` }];
	return [];
}

/**
 * Final step of every importer: the candidate document goes through the model's
 * `parseWorkflow` (schema, references, migrations), so an import yields a workflow the
 * rest of the app can trust, or errors with paths.
 */
export function finish(candidate: unknown, lost: LostItem[], formatName: string): ImportResult {
	let parsed;
	try {
		parsed = parseWorkflow(plain(candidate));
	} catch (e) {
		return { ok: false, errors: [{ message: `The ${formatName} could not be read as a workflow: ${describe(e)}` }] };
	}
	if (!parsed.ok) {
		return {
			ok: false,
			errors: parsed.errors.map((e) => ({ path: e.path, message: `${formatName}: ${e.message}` }))
		};
	}
	return {
		ok: true,
		workflow: parsed.workflow,
		lost,
		...(parsed.warnings?.length ? { warnings: parsed.warnings } : {}),
		...(parsed.readOnly ? { readOnly: true } : {})
	};
}

export function describe(e: unknown): string {
	if (e instanceof Error) return e.message;
	return String(e);
}

/** Runs an importer body and turns anything unexpected into an error result: no exception escapes. */
export function guarded(formatName: string, body: () => ImportResult): ImportResult {
	try {
		return body();
	} catch (e) {
		if (e instanceof ImportFailure) return { ok: false, errors: e.errors };
		if (e instanceof RangeError) return { ok: false, errors: [{ message: `The ${formatName} is nested too deeply or too large to import.` }] };
		return { ok: false, errors: [{ message: `The ${formatName} could not be imported: ${describe(e)}` }] };
	}
}

/** Thrown inside an importer to stop with user-facing errors; caught by `guarded`. */
export class ImportFailure extends Error {
	constructor(public errors: ImportError[]) {
		super(errors.map((e) => e.message).join('; '));
	}
}

/** Deep copy of JSON data. */
export function cloneJson<T>(v: T): T {
	return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export type { Workflow };
