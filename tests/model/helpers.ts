import type { Workflow } from '../../src/lib/model';

/** A small valid workflow; `patch` replaces top-level fields. */
export function workflow(states: Record<string, unknown>, patch: Record<string, unknown> = {}): Workflow {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'test',
		name: 'Test',
		initial: Object.keys(states)[0],
		states,
		...patch
	} as Workflow;
}
