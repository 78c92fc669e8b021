/** Visiting every effect of a workflow, nested ones included, with its JSON path. */
import type { EffectSpec, StateNodeSpec, Workflow } from '../model/types';

export type JsonPath = (string | number)[];

/** Where an effect sits. */
export interface EffectSite {
	effect: EffectSpec;
	path: JsonPath;
	/** The state it belongs to ('' = the workflow's own transitions). */
	state: string;
	/** `entry`, `exit`, `invoke` or `transition`. */
	slot: 'entry' | 'exit' | 'invoke' | 'transition';
	/** Types of the effects around it, outermost first (`retry`, `timeout` …). */
	wrappers: string[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEffect = (v: unknown): v is EffectSpec => isObj(v) && typeof v.type === 'string';

/** The effects nested directly inside one effect (composition kinds, tools, saga steps). */
export function childEffects(e: EffectSpec): { effect: EffectSpec; path: JsonPath }[] {
	const out: { effect: EffectSpec; path: JsonPath }[] = [];
	if (isEffect(e.effect)) out.push({ effect: e.effect, path: ['effect'] });
	if (Array.isArray(e.effects)) e.effects.forEach((x, i) => isEffect(x) && out.push({ effect: x, path: ['effects', i] }));
	for (const key of ['tools', 'steps'] as const) {
		const list = e[key];
		if (!Array.isArray(list)) continue;
		list.forEach((t, i) => {
			if (!isObj(t)) return;
			if (isEffect(t.effect)) out.push({ effect: t.effect, path: [key, i, 'effect'] });
			if (isEffect(t.compensate)) out.push({ effect: t.compensate, path: [key, i, 'compensate'] });
		});
	}
	return out;
}

function visitEffect(e: EffectSpec, site: Omit<EffectSite, 'effect'>, fn: (s: EffectSite) => void) {
	fn({ ...site, effect: e });
	for (const c of childEffects(e)) visitEffect(c.effect, { ...site, path: [...site.path, ...c.path], wrappers: [...site.wrappers, e.type] }, fn);
}

function transitionEffects(cfg: unknown, base: JsonPath, state: string, fn: (s: EffectSite) => void) {
	const list = Array.isArray(cfg) ? cfg : [cfg];
	list.forEach((t, i) => {
		if (!isObj(t) || !Array.isArray(t.effects)) return;
		const at = Array.isArray(cfg) ? [...base, i] : base;
		t.effects.forEach((e, j) => isEffect(e) && visitEffect(e, { path: [...at, 'effects', j], state, slot: 'transition', wrappers: [] }, fn));
	});
}

function visitState(s: StateNodeSpec, path: string, base: JsonPath, fn: (s: EffectSite) => void) {
	(s.entry ?? []).forEach((e, i) => isEffect(e) && visitEffect(e, { path: [...base, 'entry', i], state: path, slot: 'entry', wrappers: [] }, fn));
	(s.exit ?? []).forEach((e, i) => isEffect(e) && visitEffect(e, { path: [...base, 'exit', i], state: path, slot: 'exit', wrappers: [] }, fn));
	if (isEffect(s.invoke)) visitEffect(s.invoke, { path: [...base, 'invoke'], state: path, slot: 'invoke', wrappers: [] }, fn);
	for (const [ev, t] of Object.entries(s.on ?? {})) transitionEffects(t, [...base, 'on', ev], path, fn);
	for (const [ms, t] of Object.entries(s.after ?? {})) transitionEffects(t, [...base, 'after', ms], path, fn);
	for (const k of ['always', 'onDone', 'onError'] as const) if (s[k] !== undefined) transitionEffects(s[k], [...base, k], path, fn);
	for (const [key, child] of Object.entries(s.states ?? {})) if (isObj(child)) visitState(child, path ? `${path}.${key}` : key, [...base, 'states', key], fn);
}

/** Calls `fn` for every effect of the workflow, in document order, nested effects after their parent. */
export function forEachEffect(wf: Workflow, fn: (site: EffectSite) => void): void {
	for (const [key, s] of Object.entries(wf.states ?? {})) if (isObj(s)) visitState(s, key, ['states', key], fn);
	for (const [ev, t] of Object.entries(wf.on ?? {})) transitionEffects(t, ['on', ev], '', fn);
}

/** A JSON path as people read it: `states.open.entry[0].url`. */
export function pathText(path: JsonPath): string {
	let out = '';
	for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
	return out || '(the workflow)';
}
