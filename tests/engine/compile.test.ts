import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compile, createInterpreter, WorkflowCompileError } from '../../src/lib/engine';
import type { Workflow } from '../../src/lib/model/types';

// compile() gets documents that passed parseWorkflow, but it must still never fail with
// anything but a WorkflowCompileError listing paths, whatever shape the values have.
const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom('a', 'b', '#x', '.c', '', '__proto__', 'context.(', '5000'));

const stateArb = fc.dictionary(
	fc.constantFrom('type', 'initial', 'states', 'on', 'always', 'after', 'entry', 'exit', 'invoke', 'onDone', 'onError', 'output', 'id', 'history', 'target'),
	junk,
	{ maxKeys: 5 }
);

describe('compile', () => {
	it('never throws anything but WorkflowCompileError on junk values', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'c'), stateArb, { minKeys: 1, maxKeys: 3 }), fc.constantFrom('a', 'b', 'zz'), (states, initial) => {
				const doc = { format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial, states } as unknown as Workflow;
				try {
					const m = compile(doc);
					// If it compiles, it must also start without throwing.
					const it = createInterpreter(m);
					it.start();
					it.send('a');
					it.stop();
				} catch (e) {
					expect(e).toBeInstanceOf(WorkflowCompileError);
					expect((e as WorkflowCompileError).problems.length).toBeGreaterThan(0);
				}
			}),
			{ numRuns: 2000, seed: 11 }
		);
		expect(({} as Record<string, unknown>).a).toBeUndefined();
	});

	it('compiles the machine once and shares it', () => {
		const doc: Workflow = { format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial: 'a', states: { a: {} } };
		expect(createInterpreter(doc).machine).toBe(createInterpreter(doc).machine);
	});

	it('reports a context that is not plain data', () => {
		const base = { format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial: 'a', states: { a: {} } };
		expect(() => compile({ ...base, context: { f: () => 1 } } as unknown as Workflow)).toThrow(/context must be plain data/);
		expect(() => compile({ ...base, context: [1] } as unknown as Workflow)).toThrow(/context must be an object/);
	});
});

