import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createInterpreter, replayInputs, type PersistedSnapshot, type RecordedInput, type RunEffect } from '../../src/lib/engine';
import type { EffectSpec, StateNodeSpec, TransitionSpec, Workflow } from '../../src/lib/model/types';
import { machineOf } from '../../src/lib/engine/interpreter';
import { scratchIsClean } from '../../src/lib/engine/scratch';
import { ManualClock, flush } from './helpers';

// Random valid workflows (nested, parallel, history, final, guards on counters, assigns,
// raise, delayed send and cancel, always, after, invokes that patch the context, send events, succeed or fail)
// driven by random event sequences
// and clock advances. The live run must never throw, must always be in a legal
// configuration, and replaying its recorded inputs must rebuild exactly the same state.

const EVENTS = ['A', 'B', 'C', 'D'];

interface Shape {
	kind: 'atomic' | 'compound' | 'parallel' | 'final';
	children: Shape[];
	history: boolean;
}

const shapeArb: fc.Arbitrary<Shape> = fc.letrec<{ node: Shape }>((tie) => ({
	node: fc.oneof(
		{ depthSize: 'small', maxDepth: 3 },
		fc.record({ kind: fc.constantFrom('atomic' as const, 'atomic' as const, 'atomic' as const, 'final' as const), children: fc.constant([] as Shape[]), history: fc.constant(false) }),
		fc.record({ kind: fc.constantFrom('compound' as const, 'parallel' as const), children: fc.array(tie('node') as fc.Arbitrary<Shape>, { minLength: 1, maxLength: 3 }), history: fc.boolean() })
	)
})).node;

/** Random decisions, drawn in order while building the document. */
type Pick = (n: number) => number;

function buildWorkflow(top: Shape[], pick: Pick): Workflow {
	// First pass: names and ids.
	const ids: string[] = [];
	const specs: StateNodeSpec[] = [];
	const mk = (shape: Shape, path: string): StateNodeSpec => {
		const id = 's_' + path.replace(/\./g, '_');
		const spec: StateNodeSpec = { id };
		if (shape.kind === 'final') spec.type = 'final';
		if (shape.kind === 'parallel' || shape.kind === 'compound') {
			spec.type = shape.kind;
			spec.states = {};
			shape.children.forEach((c, i) => {
				// Parallel regions should be compound to be meaningful; atomic regions are still valid.
				spec.states![`n${i}`] = mk(c, `${path}.n${i}`);
			});
			if (shape.history && shape.kind === 'compound') spec.states.h = { type: 'history', history: pick(2) ? 'deep' : 'shallow', id: id + '_h' };
		}
		if (shape.kind !== 'final') {
			ids.push(id);
			if (spec.states?.h) ids.push(id + '_h');
		} else ids.push(id);
		specs.push(spec);
		return spec;
	};
	const states: Record<string, StateNodeSpec> = {};
	top.forEach((s, i) => (states[`t${i}`] = mk(s, `t${i}`)));
	// Second pass: behaviour.
	const guard = (): string | undefined => [undefined, undefined, 'context.c0 < 3', 'context.c1 % 2 = 0', 'context.c0 + context.c1 > 2 and event.type != "B"'][pick(5)];
	const effects = (): EffectSpec[] => {
		const out: EffectSpec[] = [];
		const n = pick(3);
		for (let i = 0; i < n; i++) {
			switch (pick(10)) {
				case 0:
					out.push({ type: 'assign', set: { c0: 'context.c0 + 1' } });
					break;
				case 1:
					out.push({ type: 'assign', set: { c1: 'context.c1 + context.c0', last: 'event.type' } });
					break;
				case 2:
					if (pick(3) > 0) break;
					out.push({ type: 'raise', event: EVENTS[pick(EVENTS.length)] });
					break;
				case 3:
				case 4:
					out.push({ type: 'assign', set: { c0: 'context.c0 + 1' } });
					break;
				case 8:
					// A delayed send (outlives its state); two ids so that cancels hit and miss. Its
					// event S is handled only by the workflow (no state entered or left): a sent
					// event whose handling sends it again twice would grow without bound, as in SCXML.
					out.push({ type: 'send', id: 's' + pick(2), event: { type: 'S', n: '{{ context.c0 }}' }, delay: [40, 150, 'context.c0 * 10 + 60'][pick(3)] });
					break;
				case 9:
					out.push({ type: 'cancel', sendid: 's' + pick(2) });
					break;
				default:
					out.push({ type: 'log', message: 'c0={{ context.c0 }}' });
			}
		}
		return out;
	};
	const transition = (): TransitionSpec => {
		const t: TransitionSpec = {};
		if (pick(5) > 0) t.target = '#' + ids[pick(ids.length)];
		const g = guard();
		if (g) t.guard = g;
		const e = effects();
		if (e.length) t.effects = e;
		if (pick(6) === 0) t.reenter = true;
		return t;
	};
	for (const spec of specs) {
		if (spec.type === 'final') continue;
		spec.entry = effects();
		spec.exit = effects();
		const on: Record<string, TransitionSpec[]> = {};
		for (const ev of EVENTS) if (pick(3) === 0) on[ev] = Array.from({ length: 1 + pick(2) }, transition);
		if (Object.keys(on).length) spec.on = on;
		if (pick(6) === 0) spec.always = { ...transition(), guard: 'context.c0 < 2', effects: [{ type: 'assign', set: { c0: 'context.c0 + 1' } }] };
		if (pick(4) === 0) spec.after = { [String(100 * (1 + pick(5)))]: transition() };
		if (pick(5) === 0) {
			spec.invoke =
				pick(2) === 0
					? { type: 'delay', ms: 50 * (1 + pick(4)) }
					: { type: 'work', ms: 50 * (1 + pick(4)), fail: pick(3) === 0, patch: pick(2) === 0, send: pick(3) === 0 ? EVENTS[pick(EVENTS.length)] : null };
			spec.onDone = transition();
			if (pick(2) === 0) spec.onError = transition();
		}
		if (spec.type === 'compound' || spec.type === 'parallel') if (pick(2) === 0) spec.onDone = transition();
	}
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'random',
		name: 'Random',
		initial: 't0',
		context: { c0: 0, c1: 0 },
		on: { ...(pick(2) ? { D: { target: '#' + ids[pick(ids.length)] } } : {}), S: { effects: [{ type: 'assign', set: { c1: 'context.c1 + event.n + 1' } }] } },
		states
	};
}

const commandArb = fc.oneof(
	fc.constantFrom(...EVENTS).map((type) => ({ send: type })),
	fc.constantFrom(30, 100, 250, 600).map((ms) => ({ advance: ms }))
);

const scenarioArb = fc.record({
	top: fc.array(shapeArb, { minLength: 1, maxLength: 4 }),
	choices: fc.array(fc.nat(1000), { minLength: 200, maxLength: 200 }),
	commands: fc.array(commandArb, { minLength: 5, maxLength: 40 }),
	cut: fc.nat(40)
});

/** '' when the active leaves form a legal SCXML configuration, else what is wrong. */
function legalConfiguration(workflow: Workflow, leaves: string[]): string {
	const m = machineOf(workflow);
	const active = new Set<string>();
	for (const p of leaves) {
		const node = m.byPath.get(p);
		if (!node) return `unknown leaf ${p}`;
		if (node.type !== 'atomic' && node.type !== 'final') return `${p} is not atomic`;
		for (let n = node.parent; n && n.parent; n = n.parent) active.add(n.path);
		active.add(p);
	}
	const top = m.root.regions.filter((c) => active.has(c.path));
	if (top.length !== 1) return `${top.length} top-level states active`;
	for (const path of active) {
		const node = m.byPath.get(path)!;
		const on = node.regions.filter((c) => active.has(c.path)).length;
		if (node.type === 'compound' && on !== 1) return `${path} has ${on} active children`;
		if (node.type === 'parallel' && on !== node.regions.length) return `${path} has ${on}/${node.regions.length} regions active`;
	}
	return '';
}

function withAncestors(leaves: string[]): string[] {
	const out = new Set<string>();
	for (const leaf of leaves) {
		const parts = leaf.split('.');
		for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('.'));
	}
	return [...out].sort();
}

describe('random workflows', () => {
	it('never throw, and replaying the recorded inputs rebuilds the live state', async () => {
		let nonTrivial = 0;
		let withSends = 0;
		const statuses: Record<string, number> = {};
		await fc.assert(
			fc.asyncProperty(scenarioArb, async ({ top, choices, commands, cut }) => {
				let k = 0;
				const pick: Pick = (n) => choices[k++ % choices.length] % n;
				const workflow = buildWorkflow(top, pick);
				const clock = new ManualClock();
				const inputs: RecordedInput[] = [];
				let midway: PersistedSnapshot | undefined;
				// The entered/exited telemetry must track the configuration exactly.
				const byEvents = new Set<string>();
				const eventProblems: string[] = [];
				// delay as the built-in does; work patches the context, sends an event, then
				// succeeds or fails after its time — all through the scope, so all recorded.
				const runEffect: RunEffect = (effect, scope) =>
					new Promise((resolve, reject) => {
						const ms = Number(effect.ms);
						if (effect.type === 'work') {
							if (effect.patch) scope.assign({ c1: (scope.context.c1 as number) + 10 });
							// Sent later, not synchronously: a state whose invoke makes it re-enter
							// itself at once would otherwise loop forever (as it would in real life).
							if (typeof effect.send === 'string') {
								const type = effect.send;
								const hs = clock.setTimeout(() => scope.send({ type }), ms / 2);
								scope.signal.addEventListener('abort', () => clock.clearTimeout(hs));
							}
						}
						const h = clock.setTimeout(() => (effect.fail ? reject(new Error('work failed')) : resolve({ at: clock.now() })), ms);
						scope.signal.addEventListener('abort', () => clock.clearTimeout(h));
					});
				const live = createInterpreter(workflow, {
					clock,
					runEffect,
					maxMicrosteps: 100,
					onEvent: (e) => {
						if (e.kind === 'input') inputs.push(e);
						if (e.kind === 'entered') {
							if (byEvents.has(e.state)) eventProblems.push(`entered ${e.state} twice`);
							byEvents.add(e.state);
						}
						if (e.kind === 'exited' && !byEvents.delete(e.state)) eventProblems.push(`exited ${e.state} while not in it`);
					}
				});
				live.start();
				for (let i = 0; i < commands.length; i++) {
					const c = commands[i];
					if ('send' in c) live.send(c.send);
					else clock.advance(c.advance);
					await flush();
					if (live.snapshot().status === 'active') {
						const leaves = live.persist().configuration;
						expect(legalConfiguration(workflow, leaves)).toBe('');
						expect(eventProblems).toEqual([]);
						expect([...byEvents].sort()).toEqual(withAncestors(leaves));
					}
					if (i === cut) midway = structuredClone(live.persist());
				}
				const final = live.persist();
				if (inputs.length > 3) nonTrivial++;
				if (inputs.some((i) => i.event.type === 'S')) withSends++;
				statuses[final.status] = (statuses[final.status] ?? 0) + 1;
				if (final.error) statuses[final.error.message.slice(0, 40)] = (statuses[final.error.message.slice(0, 40)] ?? 0) + 1;
				const replayed = replayInputs(workflow, inputs, undefined, { startTime: 0, maxMicrosteps: 100 });
				expect(replayed.value).toEqual(final.value);
				expect(replayed.context).toEqual(final.context);
				expect(replayed).toEqual(final);
				if (midway) expect(replayInputs(workflow, inputs, midway, { maxMicrosteps: 100 })).toEqual(final);
				expect(scratchIsClean(machineOf(workflow))).toBe(true);
				live.stop();
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 300), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261125 }
		);
		// The generator must exercise real runs, not only instances that end at once.
		expect(nonTrivial, JSON.stringify(statuses)).toBeGreaterThan(150);
		expect(statuses.active, JSON.stringify(statuses)).toBeGreaterThan(100);
		// Delayed sends fire (and replay) in a good share of the runs.
		expect(withSends).toBeGreaterThan(30);
		// CPU-bound (300 generated runs, ~1 s on an idle core, nothing waited for): on a loaded
		// machine the worker gets a small share of a core, and 20 s is not enough.
	}, 120_000);
});
