import { describe, expect, it } from 'vitest';
import { assign, createActor, createMachine } from 'xstate';
import { createInterpreter } from '../../src/lib/engine';
import type { StateNodeSpec, Workflow } from '../../src/lib/model/types';

// The differences docs/format.md lists under "Where FSM Studio follows SCXML rather than
// XState", each run through FSM Studio's engine and through XState v5 itself, so the
// documentation cannot drift from what either tool does.

const doc = (states: Record<string, StateNodeSpec>, extra: Partial<Workflow> = {}): Workflow => ({
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'm',
	name: 'M',
	initial: Object.keys(states)[0],
	states,
	...extra
});

function both(wf: Workflow, xs: object, events: string[]) {
	const fsm = createInterpreter(wf);
	fsm.start();
	const actor = createActor(createMachine(xs as never));
	actor.start();
	for (const e of events) {
		fsm.send(e);
		actor.send({ type: e });
	}
	return { fsm: fsm.snapshot(), xstate: actor.getSnapshot() };
}

const assignGo = assign({ go: true });

describe('documented differences from XState v5, checked against XState', () => {
	it('1. the domain is the least common compound ancestor', () => {
		const nested = {
			outer: {
				type: 'parallel',
				states: {
					inner: { type: 'parallel', states: { a: { on: { GO: '#b2' } }, b: { initial: 'b1', states: { b1: {}, b2: { id: 'b2' } } } } },
					other: { initial: 'x', states: { x: { on: { NEXT: 'y' } }, y: {} } }
				}
			}
		} as Record<string, StateNodeSpec>;
		const r = both(doc(nested), { id: 'm', initial: 'outer', states: nested }, ['NEXT', 'GO']);
		expect(r.fsm.value).toEqual({ outer: { inner: { a: {}, b: 'b2' }, other: 'x' } });
		expect(r.xstate.value).toEqual({ outer: { inner: { a: {}, b: 'b2' }, other: 'y' } });
	});

	it('2. transitions are selected per atomic state, walking up', () => {
		const fsmStates: Record<string, StateNodeSpec> = {
			p: { type: 'parallel', on: { E: 'done' }, states: { a: { on: { E: { effects: [{ type: 'log', message: 'a saw E' }] } } }, b: {} } },
			done: {}
		};
		const xsStates = { p: { type: 'parallel', on: { E: 'done' }, states: { a: { on: { E: { actions: () => undefined } } }, b: {} } }, done: {} };
		const r = both(doc(fsmStates), { id: 'm', initial: 'p', states: xsStates }, ['E']);
		expect(r.fsm.value).toBe('done');
		expect(r.xstate.value).toEqual({ p: { a: {}, b: {} } });
	});

	it('3. a plain name matches the events that continue it; keys are tried in document order', () => {
		const states: Record<string, StateNodeSpec> = { a: { on: { error: 'failed', '*': 'other' } }, failed: {}, other: {} };
		const r = both(doc(states), { id: 'm', initial: 'a', states }, ['error.execution']);
		expect(r.fsm.value).toBe('failed');
		expect(r.xstate.value).toBe('other');
		const order: Record<string, StateNodeSpec> = { a: { on: { '*': 'other', STOP: 'stopped' } }, stopped: {}, other: {} };
		const o = both(doc(order), { id: 'm', initial: 'a', states: order }, ['STOP']);
		expect(o.fsm.value).toBe('other');
		expect(o.xstate.value).toBe('stopped');
	});

	it('4. a history target that restores the source itself exits and re-enters it', () => {
		const trace: string[] = [];
		const fsm = createInterpreter(
			doc({ r: { initial: 'a', states: { a: { entry: [{ type: 'log', message: 'in a' }], exit: [{ type: 'log', message: 'out a' }], on: { D: '#rh' } }, h: { type: 'history', id: 'rh' } } } }),
			{ onEvent: (e) => e.kind === 'log' && trace.push(e.message) }
		);
		fsm.start();
		trace.length = 0;
		fsm.send('D');
		const xlog: string[] = [];
		const actor = createActor(
			createMachine({
				id: 'm',
				initial: 'r',
				states: { r: { initial: 'a', states: { a: { entry: () => xlog.push('in a'), exit: () => xlog.push('out a'), on: { D: '#rh' } }, h: { type: 'history', id: 'rh' } } } }
			} as never)
		);
		actor.start();
		xlog.length = 0;
		actor.send({ type: 'D' });
		expect(trace).toEqual(['out a', 'in a']);
		// XState runs the entry again without leaving the state first.
		expect(xlog).toEqual(['in a']);
	});

	it('5. eventless transitions are taken in document order of the atomic states', () => {
		// After GO, r0's state y is the last one entered; both regions then have an enabled
		// `always` that conflicts with the other's. SCXML takes r0's (first in the document);
		// XState takes r1's (its atomic states are in the order they were entered).
		const states: Record<string, StateNodeSpec> = {
			p: {
				type: 'parallel',
				states: {
					r0: { initial: 'x', states: { x: { on: { GO: 'y' } }, y: { always: { target: '#left', guard: 'context.go' } } } },
					r1: { initial: 'w', states: { w: { always: { target: '#right', guard: 'context.go' } } } }
				},
				on: { GO: { effects: [{ type: 'assign', set: { go: 'true' } }] } }
			},
			left: { id: 'left' },
			right: { id: 'right' }
		};
		const fsm = createInterpreter(doc(states, { context: { go: false } }));
		fsm.start();
		fsm.send('GO');
		const xs = createMachine({
			id: 'm',
			initial: 'p',
			context: { go: false },
			states: {
				p: {
					type: 'parallel',
					states: {
						r0: { initial: 'x', states: { x: { on: { GO: { target: 'y', actions: assignGo } } }, y: { always: { target: '#left', guard: ({ context }: { context: { go: boolean } }) => context.go } } } },
						r1: { initial: 'w', states: { w: { always: { target: '#right', guard: ({ context }: { context: { go: boolean } }) => context.go } } } }
					}
				},
				left: { id: 'left' },
				right: { id: 'right' }
			}
		} as never);
		const actor = createActor(xs);
		actor.start();
		actor.send({ type: 'GO' });
		expect(fsm.snapshot().value).toBe('left');
		expect(actor.getSnapshot().value).toBe('right');
	});
});
