/**
 * Checks that look across the tree: initial states, targets, history defaults and explicit
 * ids. `parseWorkflow` turns the `parse` ones into errors (such a document cannot run);
 * lint reports all of them as problems, for documents that never went through parse.
 */
import type { StatePath, TransitionId, Workflow } from './types';
import {
	type StateIndex,
	allTransitions,
	childStates,
	didYouMean,
	formatPath,
	resolveTarget,
	stateType,
	targetCandidates,
	targetsOf
} from './tree';

export interface ReferenceIssue {
	rule: 'no-initial' | 'unknown-target' | 'duplicate-id';
	/** True when the document cannot run with it, so parse rejects it. */
	fatal: boolean;
	path: (string | number)[];
	message: string;
	state?: StatePath;
	transition?: TransitionId;
}

const quoteList = (xs: string[]) => xs.slice(0, 8).map((x) => `"${x}"`).join(', ') + (xs.length > 8 ? ', …' : '');

function hint(word: string, candidates: Iterable<string>): string {
	const m = didYouMean(word, candidates);
	return m ? ` — did you mean "${m}"?` : '.';
}

/** All cross-reference issues of a workflow, in document order. */
export function checkReferences(workflow: Workflow, index: StateIndex): ReferenceIssue[] {
	const out: ReferenceIssue[] = [];
	const push = (i: Omit<ReferenceIssue, 'message'> & { sentence: string }) => {
		const { sentence, ...rest } = i;
		out.push({ ...rest, message: `${formatPath(i.path)}: ${sentence}` });
	};

	const topKeys = childStates(workflow).map(([k]) => k);
	if (workflow.type === 'parallel') {
		if (topKeys.length === 0) {
			push({ rule: 'no-initial', fatal: true, path: ['states'], sentence: 'a parallel workflow runs all its top-level states at once, but it has none yet; add one.' });
		}
	} else if (workflow.initial === undefined) {
		push({
			rule: 'no-initial',
			fatal: true,
			path: ['initial'],
			sentence: topKeys.length
				? `missing — name the state the workflow starts in: one of ${quoteList(topKeys)}.`
				: 'missing — the workflow has no states yet; add one and make it the initial state.'
		});
	} else if (typeof workflow.initial !== 'string' || workflow.initial === '') {
		push({
			rule: 'no-initial',
			fatal: true,
			path: ['initial'],
			sentence: topKeys.length
				? `the workflow has no initial state; set "initial" to one of ${quoteList(topKeys)}.`
				: 'the workflow has no states yet; add one and make it the initial state.'
		});
	} else if (!topKeys.includes(workflow.initial)) {
		push({
			rule: 'no-initial',
			fatal: true,
			path: ['initial'],
			sentence: `the initial state "${workflow.initial}" does not exist${hint(workflow.initial, topKeys)}`
		});
	}

	for (const e of index.entries) {
		const type = stateType(e.node);
		const kids = childStates(e.node).map(([k]) => k);
		if (type === 'compound') {
			const init = e.node.initial;
			if (init === undefined || init === '') {
				push({
					rule: 'no-initial',
					fatal: false,
					path: [...e.jsonPath, 'initial'],
					state: e.path,
					sentence: kids.length
						? `compound state "${e.path}" has no initial child; set "initial" to one of ${quoteList(kids)}.`
						: `compound state "${e.path}" has no child states.`
				});
			} else if (typeof init === 'string' && kids.includes(init) && stateType(childStates(e.node).find(([k]) => k === init)![1]) === 'history') {
				push({
					rule: 'no-initial',
					fatal: true,
					path: [...e.jsonPath, 'initial'],
					state: e.path,
					sentence: `the initial child of "${e.path}" cannot be the history state "${init}"; start in a real state and target the history state from transitions.`
				});
			} else if (typeof init === 'string' && !kids.includes(init)) {
				push({
					rule: 'no-initial',
					fatal: true,
					path: [...e.jsonPath, 'initial'],
					state: e.path,
					sentence: `the initial child "${init}" of "${e.path}" does not exist${hint(init, kids)}`
				});
			}
		}
		if (type === 'history' && typeof e.node.target === 'string' && e.node.target !== '') {
			if (resolveTarget(index, e.path, e.node.target) === undefined) {
				push({
					rule: 'unknown-target',
					fatal: true,
					path: [...e.jsonPath, 'target'],
					state: e.path,
					sentence: `the default target "${e.node.target}" of history state "${e.path}" does not exist${hint(e.node.target, targetCandidates(index, e.path))}`
				});
			}
		}
	}

	for (const [id, paths] of index.byId) {
		for (const p of paths.slice(1)) {
			const entry = index.byPath.get(p)!;
			push({
				rule: 'duplicate-id',
				fatal: true,
				path: [...entry.jsonPath, 'id'],
				state: p,
				sentence: `the id "${id}" is already used by state "${paths[0]}"; "#${id}" must point at one state.`
			});
		}
	}

	for (const t of allTransitions(workflow, index)) {
		const targets = targetsOf(t.spec);
		const many = Array.isArray(t.spec.target);
		targets.forEach((target, i) => {
			if (resolveTarget(index, t.source, target) !== undefined) return;
			const path = many ? [...t.targetPath, i] : t.targetPath;
			const what = target === '' ? 'an empty target' : `target "${target}"`;
			push({
				rule: 'unknown-target',
				fatal: true,
				path,
				state: t.source || undefined,
				transition: t.id,
				sentence: `${what} does not exist${target ? hint(target, targetCandidates(index, t.source)) : '.'}`
			});
		});
	}
	return out;
}
