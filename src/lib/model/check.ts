/**
 * Parse and lint in one call, for the designer's problems panel and for importers:
 * everything wrong with a document as one list of problems.
 */
import type { ParseResult, Problem, Workflow } from './types';
import { parseWorkflow, type ParseOptions } from './parse';
import { lintWorkflow } from './lint';

export interface CheckResult {
	/** The parsed workflow, when it parses (it may still have lint errors). */
	workflow?: Workflow;
	/** Parse errors (rule `parse`) or lint problems, in document order of their checks. */
	problems: Problem[];
	parse: ParseResult;
}

/** Parses `input` and, when it parses, lints it. Never throws. */
export function checkWorkflow(input: unknown, options?: ParseOptions): CheckResult {
	const parse = parseWorkflow(input, options);
	if (!parse.ok) {
		return { parse, problems: parse.errors.map((e) => ({ rule: 'parse', severity: 'error', message: e.message, path: e.path })) };
	}
	return { parse, workflow: parse.workflow, problems: lintWorkflow(parse.workflow) };
}
