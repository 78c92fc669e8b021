import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createInterpreter, type InstanceEvent } from '../../src/lib/engine';
import type { EffectSpec, StateNodeSpec, TransitionSpec, Workflow } from '../../src/lib/model/types';
import { buildDocument, GUARDS, Reference } from './scxml-reference';
import { randomChart, type ChartOptions } from './random-charts';

// Random statecharts run through the engine and through the line-by-line transcription of
// SCXML's Appendix D in scxml-reference.ts; after every event the active states, the
// counter and the order of entry/exit/transition effects must be the same.

function run(wf: Workflow, events: { name: string; ok: boolean }[]) {
	const trace: string[] = [];
	const onEvent = (e: InstanceEvent) => {
		if (e.kind === 'log') trace.push(e.message);
		else if (e.kind === 'transition') trace.push(`t:${e.transition}`);
	};
	const engine = createInterpreter(wf, { onEvent, maxMicrosteps: 60 });
	const ref = new Reference(buildDocument(wf), 600);
	const active = () => {
		const p = engine.persist();
		const out = new Set<string>();
		for (const leaf of p.configuration) {
			const parts = leaf.split('.');
			for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
		}
		return [...out].sort();
	};
	const steps: string[] = [];
	let refFailed = false;
	const step = (what: string, f: () => void, g: () => void) => {
		f();
		try {
			g();
		} catch (e) {
			if (!String(e).includes('did not settle')) throw e;
			refFailed = true;
		}
		const snap = engine.snapshot();
		if (snap.status === 'error' || refFailed) {
			// A loop that never settles: both must see it.
			expect([what, snap.status === 'error' && /did not settle/.test(snap.error!.message)]).toEqual([what, true]);
			expect([what, refFailed]).toEqual([what, true]);
			return false;
		}
		steps.push(what);
		const ctx = [steps.join(' '), ''];
		expect([...ctx, snap.status]).toEqual([...ctx, ref.running ? 'active' : 'done']);
		expect([...ctx, snap.context.n]).toEqual([...ctx, ref.n]);
		expect([...ctx, trace.join(' ')]).toEqual([...ctx, ref.trace.join(' ')]);
		if (ref.running) expect([...ctx, active()]).toEqual([...ctx, ref.activeStates()]);
		return ref.running;
	};
	if (!step('start', () => engine.start(), () => ref.start())) return { ended: true, events: 0 };
	let n = 0;
	for (const ev of events) {
		n++;
		if (!step(`${ev.name}${ev.ok ? '+' : ''}`, () => engine.send({ type: ev.name, ok: ev.ok }), () => ref.send(ev))) return { ended: true, events: n };
	}
	return { ended: false, events: n };
}

const options: ChartOptions = {
	events: ['A', 'B', 'x', 'x.y', 'x.*', '*', 'A B', 'done'],
	guards: Object.keys(GUARDS),
	history: true,
	parallelRoot: true,
	reenter: true,
	always: true,
	raise: ['A', 'x.y', 'B']
};

describe('engine against a transcription of SCXML Appendix D', () => {
	it('agrees on random statecharts after every event', () => {
		let events = 0;
		let ended = 0;
		fc.assert(
			fc.property(
				fc.nat(),
				fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'C', 'x', 'x.y', 'x.z', 'done'), ok: fc.boolean() }), { minLength: 1, maxLength: 25 }),
				(seed, evs) => {
					const wf = randomChart(seed, options);
					const r = run(wf, evs);
					events += r.events;
					if (r.ended) ended++;
				}
			),
			{ numRuns: Number(process.env.FC_RUNS ?? 400), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 9102 }
		);
		expect(events).toBeGreaterThan(2000);
		expect(ended).toBeGreaterThan(10);
	}, 120_000);

	it('agrees on the examples of docs/format.md', () => {
		const entry = (p: string): EffectSpec[] => [{ type: 'log', message: `in:${p}` }];
		const exit = (p: string): EffectSpec[] => [{ type: 'log', message: `out:${p}` }];
		const s = (path: string, spec: StateNodeSpec): StateNodeSpec => ({ id: path.replace(/\./g, '_'), entry: entry(path), exit: exit(path), ...spec });
		const t = (target: string, extra: TransitionSpec = {}): TransitionSpec => ({ target: `#${target.replace(/\./g, '_')}`, ...extra });
		// A transition between regions of a parallel state nested in a parallel state.
		const nested: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'nested',
			name: 'Nested',
			initial: 'outer',
			context: { n: 0 },
			states: {
				outer: s('outer', {
					type: 'parallel',
					states: {
						inner: s('outer.inner', {
							type: 'parallel',
							states: {
								a: s('outer.inner.a', { on: { GO: t('outer.inner.b.b2') } }),
								b: s('outer.inner.b', { initial: 'b1', states: { b1: s('outer.inner.b.b1', {}), b2: s('outer.inner.b.b2', {}) } })
							}
						}),
						other: s('outer.other', { initial: 'x', states: { x: s('outer.other.x', { on: { NEXT: t('outer.other.y') } }), y: s('outer.other.y', {}) } })
					}
				})
			}
		};
		run(nested, [
			{ name: 'NEXT', ok: false },
			{ name: 'GO', ok: false }
		]);
		const engine = createInterpreter(nested);
		engine.start();
		engine.send('NEXT');
		engine.send('GO');
		expect(engine.snapshot().value).toEqual({ outer: { inner: { a: {}, b: 'b2' }, other: 'x' } });
	});
});
