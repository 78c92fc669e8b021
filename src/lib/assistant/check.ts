/**
 * Checking what a model proposed: the same `parseWorkflow` and lint as the designer, plus
 * each effect's parameters against its kind's schema (an HTTP request without a URL parses,
 * but fails when it runs). Errors are what the repair loop sends back to the model.
 */
import { lintWorkflow, parseWorkflow } from '../model';
import type { Problem, Workflow } from '../model/types';
import type { KindInfo } from './catalogue';
import { plainJson } from './json';
import { forEachEffect, pathText } from './walk';

export interface Checked {
	/** The parsed workflow, when it parses (it may still have errors from lint or effects). */
	workflow?: Workflow;
	/** What must be fixed before the workflow can be used. */
	errors: Problem[];
	/** What is worth knowing but does not stop it. */
	warnings: Problem[];
}

/** Problems of each effect: unknown kinds, parameters the kind's schema refuses. */
export function effectProblems(wf: Workflow, kinds: KindInfo[]): Problem[] {
	const byType = new Map(kinds.map((k) => [k.type, k]));
	const out: Problem[] = [];
	forEachEffect(wf, ({ effect, path, state }) => {
		const kind = byType.get(effect.type);
		const where = pathText(path);
		if (!kind) {
			out.push({ rule: 'unknown-effect', severity: 'error', message: `${where}: there is no effect kind "${effect.type}". Use one of: ${[...byType.keys()].join(', ')}.`, path, ...(state ? { state } : {}) });
			return;
		}
		for (const issue of kind.validate?.(effect) ?? []) {
			out.push({ rule: 'bad-effect', severity: 'error', message: `${where}${issue.path ? `.${issue.path}` : ''} (${effect.type}): ${issue.message}`, path, ...(state ? { state } : {}) });
		}
	});
	return out;
}

/** Parses, lints and checks the effects of a candidate document. Never throws. */
export function checkCandidate(value: unknown, kinds: KindInfo[]): Checked {
	const plain = plainJson(value);
	if (!plain.ok) return { errors: [{ rule: 'parse', severity: 'error', message: plain.message, path: [] }], warnings: [] };
	const parsed = parseWorkflow(plain.value);
	if (!parsed.ok) return { errors: parsed.errors.map((e) => ({ rule: 'parse', severity: 'error' as const, message: e.message, path: e.path })), warnings: [] };
	if (parsed.readOnly) return { errors: [{ rule: 'parse', severity: 'error', message: 'The document says it is a newer version of the format; write version 1.', path: ['version'] }], warnings: [] };
	const wf = parsed.workflow;
	let problems: Problem[];
	try {
		problems = [...lintWorkflow(wf), ...effectProblems(wf, kinds)];
	} catch (e) {
		problems = [{ rule: 'lint-crash', severity: 'error', message: `Checking failed: ${(e as Error).message}`, path: [] }];
	}
	return { workflow: wf, errors: problems.filter((p) => p.severity === 'error'), warnings: problems.filter((p) => p.severity !== 'error') };
}

/** Problems as a numbered list for the model (at most `max`). */
export function problemsText(problems: Problem[], max = 30): string {
	const lines = problems.slice(0, max).map((p, i) => `${i + 1}. [${p.rule}] ${p.message}${p.path.length && !p.message.includes(pathText(p.path)) ? ` (at ${pathText(p.path)})` : ''}`);
	if (problems.length > max) lines.push(`… and ${problems.length - max} more.`);
	return lines.join('\n');
}
