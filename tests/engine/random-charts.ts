/**
 * Random statecharts for differential tests (the SCXML transcription, XState). Every state
 * logs `in:<path>` on entry and `out:<path>` on exit, so the order of effects is compared
 * too; targets are `#id` (the id is the path with `_` for `.`).
 */
import type { EffectSpec, StateNodeSpec, TransitionSpec, Workflow } from '../../src/lib/model/types';

export interface ChartOptions {
	/** `on` keys to draw from (descriptors allowed). */
	events: string[];
	guards: string[];
	history: boolean;
	parallelRoot: boolean;
	reenter: boolean;
	always: boolean;
	/** Events raised by effects. */
	raise?: string[];
}

/** mulberry32: a small seeded generator. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const idOf = (path: string) => 's_' + path.replace(/\./g, '_');

export function randomChart(seed: number, o: ChartOptions): Workflow {
	const rnd = prng(seed);
	const int = (n: number) => Math.floor(rnd() * n);
	const chance = (p: number) => rnd() < p;
	const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

	const all: { path: string; spec: StateNodeSpec }[] = [];
	const mk = (path: string, depth: number): StateNodeSpec => {
		const spec: StateNodeSpec = { id: idOf(path) };
		all.push({ path, spec });
		const roll = rnd();
		if (depth < 3 && roll < 0.35) {
			spec.type = roll < 0.12 ? 'parallel' : 'compound';
			spec.states = {};
			const n = 1 + int(3);
			for (let i = 0; i < n; i++) spec.states[`n${i}`] = mk(`${path}.n${i}`, depth + 1);
			if (spec.type === 'compound') {
				spec.initial = `n${int(n)}`;
				if (o.history && chance(0.35)) spec.states.h = { id: idOf(`${path}.h`), type: 'history', history: chance(0.5) ? 'deep' : 'shallow' };
			}
		} else if (depth > 0 && roll > 0.85) spec.type = 'final';
		return spec;
	};
	const parallelRoot = o.parallelRoot && chance(0.2);
	const states: Record<string, StateNodeSpec> = {};
	const top = 1 + int(3);
	for (let i = 0; i < top; i++) states[`t${i}`] = mk(`t${i}`, 0);
	if (!parallelRoot && chance(0.3)) {
		states.end = { id: 'end', type: 'final' };
		all.push({ path: 'end', spec: states.end });
	}
	const targets = all;
	const effects = (): EffectSpec[] => {
		const out: EffectSpec[] = [];
		if (chance(0.3)) out.push({ type: 'assign', set: { n: 'context.n + 1' } });
		if (o.raise && chance(0.1)) out.push({ type: 'raise', event: pick(o.raise) });
		return out;
	};
	const transition = (): TransitionSpec => {
		const t: TransitionSpec = {};
		if (chance(0.85)) t.target = '#' + pick(targets).spec.id!;
		if (chance(0.4)) t.guard = pick(o.guards);
		const e = effects();
		if (e.length) t.effects = e;
		if (o.reenter && chance(0.15)) t.reenter = true;
		return t;
	};
	const behave = (spec: StateNodeSpec) => {
		const keys = [...o.events].sort(() => rnd() - 0.5).slice(0, int(4));
		if (keys.length) {
			spec.on = {};
			for (const k of keys) spec.on[k] = Array.from({ length: 1 + int(2) }, transition);
		}
	};
	for (const { path, spec } of all) {
		if (spec.type === 'history') {
			if (chance(0.5)) {
				const parentPath = path.slice(0, path.lastIndexOf('.'));
				const parent = all.find((s) => s.path === parentPath)!;
				const kids = Object.keys(parent.spec.states!).filter((k) => k !== 'h');
				spec.target = '#' + idOf(`${parentPath}.${pick(kids)}`);
			}
			continue;
		}
		spec.entry = [{ type: 'log', message: `in:${path}` }, ...(chance(0.2) ? [{ type: 'assign', set: { n: 'context.n + 1' } }] : [])];
		spec.exit = [{ type: 'log', message: `out:${path}` }, ...(chance(0.2) ? [{ type: 'assign', set: { n: 'context.n + 1' } }] : [])];
		if (spec.type === 'final') continue;
		behave(spec);
		if (o.always && chance(0.12)) spec.always = { ...transition(), guard: 'context.n < 3', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] };
		if ((spec.type === 'compound' || spec.type === 'parallel') && chance(0.3)) spec.onDone = transition();
	}
	const wf: Workflow = {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'random',
		name: 'Random',
		context: { n: 0 },
		states
	};
	if (parallelRoot) wf.type = 'parallel';
	else wf.initial = 't0';
	const root: StateNodeSpec = {};
	behave(root);
	if (root.on) wf.on = root.on;
	return wf;
}
