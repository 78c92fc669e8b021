/**
 * Helpers of xstate-differential.test.ts: trimming a random chart to where FSM Studio and
 * XState v5 agree, the same chart as an XState machine, and a lockstep run of both.
 */
import { expect } from 'vitest';
import { assign, createActor, createMachine, raise, type AnyMachineSnapshot } from 'xstate';
import { createInterpreter, type InstanceEvent } from '../../src/lib/engine';
import { matchesEventKey } from '../../src/lib/model';
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../src/lib/model/types';
import { GUARDS } from './scxml-reference';


export const NAMES = ['A', 'B', 'C'];

interface Node {
	path: string;
	spec: StateNodeSpec;
	parent: Node | null;
	kind: string;
}

function index(wf: Workflow): { nodes: Node[]; byId: Map<string, Node>; root: Node } {
	const root: Node = { path: '', spec: { states: wf.states, on: wf.on, type: wf.type === 'parallel' ? 'parallel' : 'compound' }, parent: null, kind: wf.type === 'parallel' ? 'parallel' : 'compound' };
	const nodes: Node[] = [root];
	const byId = new Map<string, Node>();
	const visit = (parent: Node) => {
		for (const [k, spec] of Object.entries(parent.spec.states ?? {})) {
			const path = parent.path ? `${parent.path}.${k}` : k;
			const kind = spec.type ?? (spec.states && Object.keys(spec.states).length ? 'compound' : 'atomic');
			const n: Node = { path, spec, parent, kind };
			nodes.push(n);
			if (spec.id) byId.set(spec.id, n);
			visit(n);
		}
	};
	visit(root);
	return { nodes, byId, root };
}

const isDesc = (a: Node, b: Node) => {
	for (let p = a.parent; p; p = p.parent) if (p === b) return true;
	return false;
};

const alternatives = (c: TransitionConfig | undefined): TransitionSpec[] => (c === undefined ? [] : typeof c === 'string' ? [{ target: c }] : Array.isArray(c) ? c : [c]);

/** Removes what the two tools do differently (see the comment at the top). */
export function restrict(wf: Workflow): Workflow {
	const { nodes, byId, root } = index(wf);
	const keep = (source: Node, t: TransitionSpec): boolean => {
		if (t.target === undefined) return true;
		const targets = (Array.isArray(t.target) ? t.target : [t.target]).map((x) => byId.get(x.slice(1))!);
		if (targets.some((x) => x.kind === 'history')) return false;
		if (!t.reenter && targets.every((x) => x === source || isDesc(x, source))) return true;
		if (source === root) return false; // root with reenter
		let fsm: Node = root;
		for (let a = source.parent; a; a = a.parent) if (a.kind === 'compound' && targets.every((x) => isDesc(x, a!))) {
			fsm = a;
			break;
		}
		let xs: Node = root;
		for (let a = source.parent; a; a = a.parent) if (targets.every((x) => isDesc(x, a!))) {
			xs = a;
			break;
		}
		return fsm === xs;
	};
	const filter = (source: Node, c: TransitionConfig | undefined): TransitionSpec[] | undefined => {
		const out = alternatives(c).filter((t) => keep(source, t));
		return out.length ? out : undefined;
	};
	for (const n of nodes) {
		const s = n.spec;
		if (s.on) {
			for (const k of Object.keys(s.on)) {
				const f = filter(n, s.on[k]);
				if (f) s.on[k] = f;
				else delete s.on[k];
			}
		}
		if (s.always !== undefined) s.always = filter(n, s.always);
		if (s.onDone !== undefined) s.onDone = filter(n, s.onDone);
	}
	// Inside a parallel state, no handler for an event the parallel state or an ancestor handles.
	for (const p of nodes) {
		if (p.kind !== 'parallel') continue;
		const above = new Set<string>();
		for (let a: Node | null = p; a; a = a.parent) for (const k of Object.keys(a.spec.on ?? {})) for (const e of NAMES) if (matchesEventKey(k, e)) above.add(e);
		for (const d of nodes) {
			if (!isDesc(d, p) || !d.spec.on) continue;
			for (const k of Object.keys(d.spec.on)) if (k === '*' ? above.size > 0 : NAMES.some((e) => above.has(e) && matchesEventKey(k, e))) delete d.spec.on[k];
		}
	}
	// XState picks eventless transitions in the order atomic states were entered, SCXML in
	// document order: let at most one region of a parallel state hold `always` transitions.
	for (const p of nodes) {
		if (p.kind !== 'parallel') continue;
		let seen = false;
		for (const region of nodes.filter((r) => r.parent === p)) {
			const inside = nodes.filter((d) => (d === region || isDesc(d, region)) && d.spec.always !== undefined);
			if (inside.length && seen) for (const d of inside) delete d.spec.always;
			if (inside.length) seen = true;
		}
	}
	wf.on = root.spec.on;
	return wf;
}

/** The same chart as an XState v5 machine config; `trace` receives the logs. */
export function toXState(wf: Workflow, trace: string[]) {
	const actionsOf = (list: EffectSpec[] | undefined) =>
		(list ?? []).map((e) => {
			if (e.type === 'assign') return assign({ n: ({ context }: { context: { n: number } }) => context.n + 1 });
			if (e.type === 'raise') return raise({ type: String(e.event) });
			if (e.type === 'log') return () => trace.push(String(e.message));
			throw new Error(`no XState action for ${e.type}`);
		});
	const transition = (id: string, t: TransitionSpec) => ({
		...(t.target !== undefined ? { target: t.target } : {}),
		...(t.guard !== undefined ? { guard: ({ context, event }: { context: { n: number }; event: { ok?: boolean; type: string } }) => GUARDS[t.guard!](context.n, { name: event.type, ok: event.ok }) } : {}),
		...(t.reenter ? { reenter: true } : {}),
		actions: [() => trace.push(`t:${id}`), ...actionsOf(t.effects)]
	});
	const onOf = (path: string, on: Record<string, TransitionConfig> | undefined) => {
		if (!on) return undefined;
		const out: Record<string, unknown[]> = {};
		const keys = Object.keys(on);
		// XState tries an exact name alone, then wildcards: give every name this state takes
		// the alternatives of every key that matches it, in FSM Studio's document order.
		for (const name of NAMES) {
			const list: unknown[] = [];
			for (const k of keys) if (matchesEventKey(k, name)) list.push(...alternatives(on[k]).map((t, i) => transition(`${path}|on:${k}|${i}`, t)));
			if (list.length) out[name] = list;
		}
		for (const k of keys) if (k === '*') out['*'] = alternatives(on[k]).map((t, i) => transition(`${path}|on:${k}|${i}`, t));
		return out;
	};
	const state = (path: string, s: StateNodeSpec): Record<string, unknown> => {
		const out: Record<string, unknown> = { id: s.id };
		if (s.type === 'parallel' || s.type === 'final') out.type = s.type;
		if (s.states) {
			out.states = Object.fromEntries(Object.entries(s.states).map(([k, c]) => [k, state(`${path}.${k}`, c)]));
			if (s.type !== 'parallel') out.initial = s.initial;
		}
		if (s.entry) out.entry = actionsOf(s.entry);
		if (s.exit) out.exit = actionsOf(s.exit);
		const on = onOf(path, s.on);
		if (on) out.on = on;
		if (s.always !== undefined) out.always = alternatives(s.always).map((t, i) => transition(`${path}|always|${i}`, t));
		if (s.onDone !== undefined) out.onDone = alternatives(s.onDone).map((t, i) => transition(`${path}|onDone|${i}`, t));
		return out;
	};
	return createMachine({
		id: wf.id,
		context: { n: 0 },
		...(wf.type === 'parallel' ? { type: 'parallel' as const } : { initial: wf.initial }),
		states: Object.fromEntries(Object.entries(wf.states).map(([k, s]) => [k, state(k, s)])),
		...(wf.on ? { on: onOf('', wf.on) } : {})
	} as never);
}

export function compare(wf: Workflow, allEvents: { type: string; ok: boolean }[]): number {
	// A loop of eventless or raised events never settles: FSM Studio stops it with an error,
	// XState loops for ever. Find where that happens first, and compare only before it.
	const dry = createInterpreter(wf, { maxMicrosteps: 60 });
	dry.start();
	if (dry.snapshot().status === 'error') return 0;
	let usable = 0;
	for (const e of allEvents) {
		dry.send(e);
		if (dry.snapshot().status === 'error') break;
		usable++;
	}
	const events = allEvents.slice(0, usable);
	const fsmTrace: string[] = [];
	const xsTrace: string[] = [];
	const onEvent = (e: InstanceEvent) => {
		if (e.kind === 'log') fsmTrace.push(e.message);
		else if (e.kind === 'transition') fsmTrace.push(`t:${e.transition}`);
	};
	const fsm = createInterpreter(wf, { onEvent, maxMicrosteps: 60 });
	const actor = createActor(toXState(wf, xsTrace));
	let xsError: unknown;
	actor.subscribe({ error: (e) => (xsError = e) });
	fsm.start();
	actor.start();
	const check = (what: string) => {
		const a = fsm.snapshot();
		const b = actor.getSnapshot() as AnyMachineSnapshot;
		const ctx = [what, ''];
		expect([...ctx, a.status]).toEqual([...ctx, b.status]);
		expect([...ctx, a.value]).toEqual([...ctx, b.value]);
		expect([...ctx, fsmTrace.join(' ')]).toEqual([...ctx, xsTrace.join(' ')]);
		expect([...ctx, a.context.n]).toEqual([...ctx, b.context.n]);
	};
	const steps = ['start'];
	check(steps.join(' '));
	let n = 0;
	for (const e of events) {
		if (fsm.snapshot().status !== 'active') break;
		fsm.send(e);
		actor.send(e);
		if (xsError) throw xsError;
		steps.push(`${e.type}${e.ok ? '+' : ''}`);
		check(steps.join(' '));
		n++;
	}
	return n;
}

