/**
 * `parseWorkflow`: any input (JSON text or a value) to a typed result, never a throw.
 * Steps: size and syntax → hostile-input guard (copy into plain data) → format and version →
 * migrations → defaults → zod schema → cross references. Every error carries a JSON path
 * and a sentence that starts with that path in readable form.
 */
import type { core } from 'zod';
import type { ParseError, ParseResult, Workflow } from './types';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from './types';
import { WorkflowSchema } from './schema';
import { DEFAULT_LIMITS, type Limits, checkTextSize, describeValue, duplicateKeys, locateSyntaxError, sanitize } from './guard';
import { detectVersion, migrate } from './migrations';
import { checkReferences } from './references';
import { formatPath, indexStates } from './tree';

export interface ParseOptions {
	/** Override the default limits (tests, trusted bulk imports). */
	limits?: Partial<Limits>;
}

type Doc = Record<string, unknown>;

const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

function error(path: (string | number)[], sentence: string): ParseError {
	return { path, message: `${formatPath(path)}: ${sentence}` };
}

function fail(...errors: ParseError[]): ParseResult {
	return { ok: false, errors };
}

/** Parses JSON text or a value into a workflow of the current format. Never throws. */
export function parseWorkflow(input: unknown, options: ParseOptions = {}): ParseResult {
	try {
		return parseUnsafe(input, { ...DEFAULT_LIMITS, ...options.limits });
	} catch (e) {
		// Proxies, throwing getters and engine limits end here rather than in the UI.
		return fail(error([], `the document could not be read (${e instanceof Error ? e.message : String(e)}).`));
	}
}

function parseText(text: string, limits: Limits): { ok: true; value: unknown; duplicates: (string | number)[][] } | { ok: false; errors: ParseError[] } {
	const tooBig = checkTextSize(text, limits);
	if (tooBig) return { ok: false, errors: [tooBig] };
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	if (body.trim() === '') return { ok: false, errors: [error([], 'the file is empty; a workflow is a JSON object.')] };
	try {
		const value = JSON.parse(body);
		return { ok: true, value, duplicates: duplicateKeys(body) };
	} catch (e) {
		const where = locateSyntaxError(body);
		if (where) {
			return {
				ok: false,
				errors: [{ path: where.path, message: `${formatPath(where.path)}: JSON syntax error at line ${where.line}, column ${where.column}: ${where.reason}.` }]
			};
		}
		return { ok: false, errors: [error([], `JSON syntax error: ${e instanceof Error ? e.message : String(e)}.`)] };
	}
}

function countStates(node: unknown, limit: number): number {
	let n = 0;
	const stack: unknown[] = [node];
	while (stack.length && n <= limit) {
		const cur = stack.pop();
		const states = isRecord(cur) ? cur.states : undefined;
		if (!isRecord(states)) continue;
		for (const k of Object.keys(states)) {
			n++;
			stack.push(states[k]);
		}
	}
	return n;
}

function slug(s: string): string {
	return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

function parseUnsafe(input: unknown, limits: Limits): ParseResult {
	let raw: unknown;
	let fresh = false;
	const warnings: string[] = [];
	if (typeof input === 'string') {
		const r = parseText(input, limits);
		if (!r.ok) return fail(...r.errors);
		raw = r.value;
		fresh = true;
		for (const path of r.duplicates) {
			const key = path[path.length - 1];
			warnings.push(`${formatPath(path)}: the key "${key}" appears more than once in this object; JSON keeps only the last one, so the earlier ones are ignored.`);
		}
	} else raw = input;

	const clean = sanitize(raw, limits, { inPlace: fresh });
	if (!clean.ok) return fail(...clean.errors);
	const value = clean.value;
	if (!isRecord(value)) {
		return fail(error([], `a workflow is a JSON object with "format", "version" and "states", but this is ${describeValue(value)}.`));
	}
	let doc: Doc = value;

	if (doc.format !== undefined && doc.format !== WORKFLOW_FORMAT) {
		return fail(
			error(['format'], `expected "${WORKFLOW_FORMAT}" but found ${describeValue(doc.format)} — this is not an FSM Studio workflow.`)
		);
	}
	const version = detectVersion(doc);
	if (version === undefined) {
		if (doc.version === undefined) {
			doc = { ...doc, version: WORKFLOW_VERSION };
			warnings.push(`The file has no "version"; it was read as version ${WORKFLOW_VERSION}.`);
		} else {
			return fail(error(['version'], `expected a whole number such as ${WORKFLOW_VERSION} but found ${describeValue(doc.version)}.`));
		}
	}
	const declared = version ?? WORKFLOW_VERSION;
	let readOnly = false;
	if (declared > WORKFLOW_VERSION) {
		readOnly = true;
		warnings.push(
			`This workflow was written by a newer FSM Studio (format version ${declared}); this app understands version ${WORKFLOW_VERSION}, so it opens read-only. Update FSM Studio to edit it.`
		);
	} else if (declared < WORKFLOW_VERSION) {
		try {
			const m = migrate(doc, declared, WORKFLOW_VERSION);
			doc = m.doc;
			warnings.push(`The file was upgraded from format version ${declared} to ${WORKFLOW_VERSION} (${m.applied.join(', ')}); saving writes version ${WORKFLOW_VERSION}.`);
		} catch (e) {
			return fail(error(['version'], `this version ${declared} file could not be upgraded: ${e instanceof Error ? e.message : String(e)}`));
		}
	}

	// Tolerant defaults, so hand-written files need only what matters.
	if (doc.format === undefined) doc = { format: WORKFLOW_FORMAT, ...doc };
	if (doc.id === undefined) {
		const id = (typeof doc.name === 'string' && slug(doc.name)) || 'workflow';
		doc = { ...doc, id };
	}
	if (doc.name === undefined) doc = { ...doc, name: typeof doc.id === 'string' && doc.id ? doc.id : 'Untitled workflow' };
	if (doc.states === undefined) {
		return fail(error(['states'], 'missing — a workflow needs "states", an object of its states, such as { "idle": {} }.'));
	}
	const stateCount = countStates(doc, limits.maxStates);
	if (stateCount > limits.maxStates) {
		return fail(error(['states'], `the workflow has more than ${limits.maxStates.toLocaleString('en')} states; split it into smaller workflows.`));
	}

	// A newer file is checked against v1's shape: fields it added are kept, not understood.
	const checked = readOnly ? { ...doc, version: WORKFLOW_VERSION } : doc;
	const result = WorkflowSchema.safeParse(checked);
	if (!result.success) {
		const errors = result.error.issues.flatMap((i) => issueToErrors(i, [], checked)).slice(0, 50);
		if (readOnly) {
			errors.unshift(
				error(['version'], `this workflow was written by a newer FSM Studio (format version ${declared}) and uses things this app (version ${WORKFLOW_VERSION}) cannot read. Update FSM Studio to open it.`)
			);
		}
		return fail(...errors);
	}
	const workflow = result.data as unknown as Workflow;
	if (readOnly) (workflow as { version: number }).version = declared;

	const index = indexStates(workflow);
	const fatal = checkReferences(workflow, index).filter((i) => i.fatal);
	// A newer file may reference states in ways v1 cannot resolve; it is only shown, so say so and go on.
	if (fatal.length && readOnly) warnings.push(...fatal.slice(0, 20).map((i) => `${i.message} (This may be a feature of the newer format.)`));
	else if (fatal.length) return fail(...fatal.slice(0, 50).map(({ path, message }) => ({ path, message })));

	const ok: ParseResult = { ok: true, workflow };
	if (warnings.length) ok.warnings = warnings;
	if (readOnly) ok.readOnly = true;
	return ok;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
	let cur = root;
	for (const p of path) {
		if (cur === null || typeof cur !== 'object') return undefined;
		if (!Object.hasOwn(cur, p)) return undefined;
		cur = (cur as Record<PropertyKey, unknown>)[p];
	}
	return cur;
}

const NOUNS: Record<string, string> = {
	string: 'text',
	number: 'a number',
	boolean: 'true or false',
	object: 'an object',
	array: 'a list (array)',
	record: 'an object'
};

/** What a field is for, so "missing" errors can say what to write. */
function fieldHint(path: readonly PropertyKey[], root: unknown): string {
	const last = path[path.length - 1];
	if (last === 'type' && path.length >= 2) return ' — every effect needs a "type", such as "assign", "log" or "call_llm".';
	if (last === 'initial') {
		const states = valueAt(root, ['states']);
		const keys = isRecord(states) ? Object.keys(states) : [];
		return keys.length
			? ` — name the state the workflow starts in: one of ${keys.slice(0, 8).map((k) => `"${k}"`).join(', ')}${keys.length > 8 ? ', …' : ''}.`
			: ' — name the state the workflow starts in.';
	}
	if (last === 'x' || last === 'y') return ' — a layout entry needs numbers "x" and "y".';
	return '.';
}

/** zod issues to path-addressed sentences; unions are opened to report the branch the value was meant for. */
function issueToErrors(issue: core.$ZodIssue, base: PropertyKey[], root: unknown): ParseError[] {
	const path = [...base, ...issue.path];
	const jsonPath = path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
	const received = valueAt(root, path);
	switch (issue.code) {
		case 'invalid_type': {
			if (received === undefined) return [error(jsonPath, `missing${fieldHint(path, root)}`)];
			const expected = NOUNS[issue.expected] ?? issue.expected;
			return [error(jsonPath, `expected ${expected} but found ${describeValue(received)}.`)];
		}
		case 'invalid_union': {
			// Branches that failed only because the value has another JSON type are not what the author meant.
			const meant = issue.errors.filter((branch) => !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0));
			if (meant.length === 1) return meant[0].flatMap((b) => issueToErrors(b, path, root));
			const nouns = issue.errors
				.flat()
				.filter((b) => b.code === 'invalid_type' && b.path.length === 0)
				.map((b) => NOUNS[(b as core.$ZodIssueInvalidType).expected] ?? (b as core.$ZodIssueInvalidType).expected);
			const custom = issue.message && issue.message !== 'Invalid input' ? issue.message : `expected ${[...new Set(nouns)].join(' or ')}`;
			return [error(jsonPath, `${custom}, but found ${describeValue(received)}.`)];
		}
		case 'invalid_value': {
			const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
			return [error(jsonPath, issue.values.length === 1 ? `expected ${options} but found ${describeValue(received)}.` : `expected one of ${options} but found ${describeValue(received)}.`)];
		}
		case 'invalid_key': {
			const key = path[path.length - 1];
			const why = issue.issues[0]?.message ?? 'this name is not allowed';
			return [error(jsonPath, `the name ${JSON.stringify(String(key))} is not allowed here: ${why}.`)];
		}
		case 'too_small':
			if (typeof received === 'string') return [error(jsonPath, 'must not be empty.')];
			return [error(jsonPath, `must be at least ${issue.minimum} but is ${describeValue(received)}.`)];
		case 'too_big':
			return [error(jsonPath, `must be at most ${issue.maximum} but is ${describeValue(received)}.`)];
		default:
			return [error(jsonPath, `${issue.message}.`)];
	}
}
