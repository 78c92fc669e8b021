/** The import size limit in the user's words (no dependencies: pages use it before loading any importer). */
import { MAX_IMPORT_CHARS } from './types';

/** A size in megabytes as a person reads it: "5.2 MB", "12 MB", "just over 5 MB". */
export function megabytes(size: number, limit = MAX_IMPORT_CHARS): string {
	const mb = size / 1e6;
	const text = mb >= 10 ? String(Math.round(mb)) : mb.toFixed(1);
	if (size > limit && Number(text) <= limit / 1e6) return `just over ${limit / 1e6} MB`;
	return `${text} MB`;
}

/**
 * What the user reads when a workflow is over the import limit: its real size, the limit, and
 * what to do. `what` names the thing ("file", "text"); callers add the file's name themselves.
 */
export function tooLargeMessage(size: number, what: string, limit = MAX_IMPORT_CHARS): string {
	return `This ${what} is ${megabytes(size, limit)}; FSM Studio opens workflows up to ${limit / 1e6} MB. Remove what the workflow does not need (long embedded texts or data) and try again.`;
}
