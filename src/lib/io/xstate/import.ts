/**
 * XState v5 import: a machine config as JSON (or an object), and `createMachine({ … })` code
 * in JS/TS read as data, never run. Fields map one to one; what has no equivalent (code,
 * named guards and actions, named delays, extra invokes) is listed as lost.
 */
import type { EffectSpec, StateNodeSpec, TransitionConfig, TransitionSpec, Workflow } from '../../model/types';
import type { ImportResult, LostItem } from '../types';
import { checkSize, dict, finish, guarded, ImportFailure, isRecord, own } from '../util';
import { KNOWN_KINDS, NS, ORDER, type Json } from './shared';
import { eventDescriptors } from '../../model/events';
import { normalizeTransitions } from '../../model/tree';

/**
 * Imports XState code (`createMachine({ … })` in JS or TS): the code is parsed (acorn with
 * its TypeScript plugin, loaded only now) and the config read as data, never run; functions,
 * variables and other code are listed as lost.
 */
export async function importXStateCode(source: string): Promise<ImportResult> {
	const errs = checkSize(source, 'XState code');
	if (errs.length) return { ok: false, errors: errs };
	let reader: typeof import('./code-reader');
	try {
		reader = await import('./code-reader');
	} catch (e) {
		return { ok: false, errors: [{ message: `The XState code reader could not be loaded (${e instanceof Error ? e.message : String(e)}); check the connection and try again.` }] };
	}
	return guarded('XState code', () => {
		let value: unknown;
		let lines: Map<string, number>;
		try {
			({ config: value, lines } = reader.readMachineCode(source));
		} catch (e) {
			if (e instanceof reader.CodeReadError) return { ok: false, errors: [{ line: e.line, ...(e.column ? { column: e.column } : {}), message: `Line ${e.line}: ${e.message}.` }] };
			throw e;
		}
		if (!isRecord(value)) return { ok: false, errors: [{ message: 'createMachine( … ) is not given an object literal, so there is no config to read.' }] };
		const lost: LostItem[] = [];
		const data = withoutCode(value, [], lost);
		const result = finish(fromXStateConfig(data as Json, lost), lost, 'XState code');
		// Each loss names the line of the nearest part of the config it is about.
		for (const l of lost) {
			for (let n = l.path?.length ?? 0; l.line === undefined && n >= 0; n--) {
				const line = lines!.get(JSON.stringify((l.path ?? []).slice(0, n)));
				if (line !== undefined) l.line = line;
			}
		}
		return result;
	});
}

/** Drops code (functions, variables, calls) from a config read from source, reporting each. */
function withoutCode(v: unknown, path: (string | number)[], lost: LostItem[]): unknown {
	const isCode = (x: unknown): x is { $code: string; line?: number } => isRecord(x) && typeof x.$code === 'string' && Object.keys(x).every((k) => k === '$code' || k === 'line');
	if (Array.isArray(v)) {
		const out: unknown[] = [];
		v.forEach((x, i) => {
			if (isCode(x)) lost.push({ path: [...path, i], ...(x.line ? { line: x.line } : {}), message: `"${x.$code}" is code, not data; it was not imported.` });
			else out.push(withoutCode(x, [...path, i], lost));
		});
		return out;
	}
	if (isRecord(v)) {
		const out = dict<unknown>();
		for (const k of Object.keys(v)) {
			const x = v[k];
			if (isCode(x)) lost.push({ path: k.startsWith('...') ? path : [...path, k], ...(x.line ? { line: x.line } : {}), message: `${k.startsWith('...') ? '' : `"${k}": `}"${x.$code}" is code, not data; it was not imported.` });
			else if (x !== undefined) out[k] = withoutCode(x, [...path, k], lost);
		}
		return out;
	}
	return v;
}

/** Imports an XState v5 machine config, given as JSON text or an already parsed object. */
export function importXState(input: string | unknown): ImportResult {
	return guarded('XState config', () => {
		let value: unknown = input;
		if (typeof input === 'string') {
			const errs = checkSize(input, 'XState config');
			if (errs.length) return { ok: false, errors: errs };
			try {
				value = JSON.parse(input);
			} catch (e) {
				return { ok: false, errors: [{ message: `The XState config is not valid JSON: ${(e as Error).message}.` }] };
			}
		}
		if (!isRecord(value)) return { ok: false, errors: [{ path: [], message: 'An XState machine config must be a JSON object with "states".' }] };
		const lost: LostItem[] = [];
		return finish(fromXStateConfig(value, lost), lost, 'XState config');
	});
}

function fromXStateConfig(cfg: Json, lost: LostItem[]): Workflow {
	if (own(cfg, 'states') === undefined && own(cfg, 'type') !== 'parallel') {
		// A machine without states is one state that handles events (usually with actions only).
		const key = typeof own(cfg, 'id') === 'string' && /^[^.#][^.]*$/.test(cfg.id as string) ? (cfg.id as string) : 'main';
		cfg = { ...cfg, initial: key, states: { [key]: {} } };
		lost.push({ path: ['states'], message: `The machine has no states; it was imported as one state "${key}" (its value is "${key}" where XState shows {}).` });
	}
	if (!isRecord(own(cfg, 'states'))) throw new ImportFailure([{ path: ['states'], message: 'The XState config has no "states" object, so there is nothing to import.' }]);
	const metaAll = isRecord(own(cfg, 'meta')) ? { ...(cfg.meta as Json) } : {};
	const extra = isRecord(own(metaAll, NS)) ? (metaAll[NS] as Json) : {};
	delete metaAll[NS];
	const id = typeof own(cfg, 'id') === 'string' && cfg.id ? (cfg.id as string) : 'xstate-machine';
	const wf: Json = {
		format: 'fsm-studio/workflow',
		version: 1,
		id,
		name: typeof extra.name === 'string' ? extra.name : id
	};
	if (typeof own(cfg, 'description') === 'string') wf.description = cfg.description;
	const vocab = xstateVocabulary(cfg);
	const states = dict<unknown>();
	const src = cfg.states as Json;
	for (const k of Object.keys(src)) states[k] = convertState(src[k], ['states', k], lost, vocab);
	wf.states = states;
	if (own(cfg, 'type') === 'parallel') {
		// A parallel root: every top-level state is a region.
		wf.type = 'parallel';
	} else {
		const keys = Object.keys(states);
		if (typeof own(cfg, 'initial') === 'string') wf.initial = cfg.initial;
		else if (keys.length) {
			wf.initial = keys[0];
			lost.push({ path: ['initial'], message: `The machine has no "initial" state; "${keys[0]}" was taken as the start.` });
		}
	}
	if (own(cfg, 'context') !== undefined) {
		if (isRecord(cfg.context)) wf.context = cfg.context;
		else lost.push({ path: ['context'], message: 'The context is not a JSON object (in XState it may be a function); it was not imported.' });
	}
	if (own(cfg, 'on') !== undefined) wf.on = convertTransitionRecord(cfg.on, ['on'], lost, false, extra.keys, vocab);
	for (const k of ['always', 'after', 'entry', 'exit', 'invoke']) {
		if (own(cfg, k) !== undefined) lost.push({ path: [k], message: `"${k}" on the machine itself is not supported; put it on a state.` });
	}
	if (isRecord(extra.layout)) wf.layout = extra.layout;
	for (const k of Object.keys(extra)) if (k !== 'name' && k !== 'layout' && k !== 'keys') wf[k] = extra[k];
	if (Object.keys(metaAll).length) wf.meta = metaAll;
	for (const k of Object.keys(cfg)) {
		// "types" only declares TypeScript types: there is nothing to carry over.
		if (!['id', 'initial', 'context', 'states', 'on', 'description', 'meta', 'type', 'always', 'after', 'entry', 'exit', 'invoke', 'types'].includes(k)) {
			lost.push({ path: [k], message: `The machine field "${k}" has no equivalent in FSM Studio and was not imported.` });
		}
	}
	return wf as unknown as Workflow;
}

function convertState(raw: unknown, path: (string | number)[], lost: LostItem[], vocab: Set<string>, depth = 0): StateNodeSpec {
	if (depth > 100) throw new ImportFailure([{ path, message: 'States are nested more than 100 deep.' }]);
	if (!isRecord(raw)) {
		lost.push({ path, message: `"${path[path.length - 1]}" is not a state object; it was imported as an empty state.` });
		return {};
	}
	const out: Json = {};
	const meta = isRecord(own(raw, 'meta')) ? { ...(raw.meta as Json) } : undefined;
	const extra = meta && isRecord(own(meta, NS)) ? (meta[NS] as Json) : {};
	if (meta) delete meta[NS];
	for (const k of Object.keys(raw)) {
		const v = raw[k];
		const p = [...path, k];
		switch (k) {
			case 'id':
			case 'type':
			case 'history':
			case 'target':
			case 'initial':
			case 'description':
				out[k] = v;
				break;
			case 'tags':
				out.tags = typeof v === 'string' ? [v] : v;
				break;
			case 'states': {
				if (!isRecord(v)) {
					lost.push({ path: p, message: 'The "states" field is not an object; it was not imported.' });
					break;
				}
				const states = dict<unknown>();
				for (const c of Object.keys(v)) states[c] = convertState(v[c], [...p, c], lost, vocab, depth + 1);
				out.states = states;
				break;
			}
			case 'on':
				out.on = convertTransitionRecord(v, p, lost, false, extra.keys, vocab);
				break;
			case 'after':
				out.after = convertTransitionRecord(v, p, lost, true);
				break;
			case 'always':
			case 'onDone':
				out[k] = convertTransitions(v, p, lost);
				break;
			case 'entry':
			case 'exit':
				out[k] = convertActions(v, p, lost);
				break;
			case 'invoke': {
				const list = Array.isArray(v) ? v : [v];
				if (list.length > 1) lost.push({ path: p, message: `The state invokes ${list.length} things; only the first was imported.` });
				const inv = list[0];
				if (!isRecord(inv)) {
					lost.push({ path: p, message: 'The invoke is not an object; it was not imported.' });
					break;
				}
				if (typeof inv.src !== 'string') {
					lost.push({ path: [...p, 'src'], message: 'The invoke has no named "src" (inline actors cannot be stored as JSON); it was not imported.' });
					break;
				}
				if (!KNOWN_KINDS.has(inv.src)) lost.push({ path: [...p, 'src'], message: `The invoked actor "${inv.src}" is code in XState; it was imported as a "${inv.src}" effect, which runs only once you give it a handler.` });
				const eff: Json = { type: inv.src };
				if (typeof inv.id === 'string') eff.id = inv.id;
				if (isRecord(inv.input)) Object.assign(eff, inv.input);
				else if (inv.input !== undefined) eff.input = inv.input;
				out.invoke = eff;
				if (inv.onDone !== undefined) {
					if (own(raw, 'onDone') !== undefined) lost.push({ path: [...p, 'onDone'], message: 'Both the state and its invoke have "onDone"; the invoke\'s was not imported.' });
					else out.onDone = convertTransitions(inv.onDone, [...p, 'onDone'], lost);
				}
				if (inv.onError !== undefined) out.onError = convertTransitions(inv.onError, [...p, 'onError'], lost);
				for (const ik of Object.keys(inv)) {
					if (!['src', 'id', 'input', 'onDone', 'onError'].includes(ik)) lost.push({ path: [...p, ik], message: `The invoke field "${ik}" has no equivalent and was not imported.` });
				}
				break;
			}
			case 'output':
				out.output = JSON.stringify(v);
				break;
			case 'meta':
				break;
			default:
				lost.push({ path: p, message: `The state field "${k}" has no equivalent in FSM Studio and was not imported.` });
		}
	}
	if (typeof extra.output === 'string') out.output = extra.output;
	if (extra.onError !== undefined) out.onError = convertTransitions(extra.onError, [...path, 'meta', NS, 'onError'], lost);
	for (const k of Object.keys(extra)) if (k !== 'output' && k !== 'onError' && k !== 'keys') out[k] = extra[k];
	if (meta && Object.keys(meta).length) out.meta = meta;
	return out as StateNodeSpec;
}

/**
 * The event names an XState machine names itself: exact keys of `on` and the events its
 * raise/sendTo actions name. In XState a plain key matches only that name; in FSM Studio it
 * also matches the names that continue it after a dot, so those are what could differ.
 */
function xstateVocabulary(cfg: Json): Set<string> {
	const names = new Set<string>();
	const seen = new Set<unknown>();
	const visit = (v: unknown, depth: number) => {
		if (depth > 120 || seen.has(v)) return;
		if (Array.isArray(v)) {
			seen.add(v);
			for (const x of v) visit(x, depth + 1);
		} else if (isRecord(v)) {
			seen.add(v);
			if (isRecord(own(v, 'on'))) for (const k of Object.keys(v.on as Json)) if (!/\s/.test(k) && !k.endsWith('*')) names.add(k);
			const ev = isRecord(own(v, 'params')) ? own(v.params as Json, 'event') : undefined;
			if ((v.type === 'raise' || v.type === 'sendTo' || v.type === 'emit') && typeof ev === 'string') names.add(ev);
			else if (isRecord(ev) && typeof ev.type === 'string') names.add(ev.type);
			for (const k of Object.keys(v)) visit(v[k], depth + 1);
		}
	};
	visit(cfg, 0);
	return names;
}

/**
 * An `on` (or `after`) record. XState tries exact names first, then partial wildcards
 * (longest first), then `*`; FSM Studio tries keys in order, so they are ordered that way,
 * and a name comes before a shorter name it continues (`x.y` before `x`: in FSM Studio `x`
 * matches `x.y` too). `keys` (written by the exporter in meta) gives back FSM Studio's own
 * keys: several descriptors in one key, a plain name written `name.*`. What FSM Studio
 * would still read differently (a space in a name, a name other events continue) is listed.
 */
function convertTransitionRecord(v: unknown, path: (string | number)[], lost: LostItem[], delays: boolean, keys?: unknown, vocab?: Set<string>): Record<string, TransitionConfig> | undefined {
	if (!isRecord(v)) {
		lost.push({ path, message: `"${path[path.length - 1]}" is not an object of transitions; it was not imported.` });
		return undefined;
	}
	const out = dict<TransitionConfig>();
	const original = isRecord(keys) ? keys : {};
	// With FSM Studio's keys (its own export), the order written is FSM Studio's.
	const ours = isRecord(keys);
	const rank = (x: string) => (delays || ours ? 0 : x === '*' ? 2 : x.endsWith('.*') ? 1 : 0);
	const sorted = Object.keys(v)
		.map((k, i) => ({ k, i }))
		.sort((a, b) => rank(a.k) - rank(b.k) || (rank(a.k) === 1 ? b.k.length - a.k.length : 0) || a.i - b.i)
		.map((x) => x.k);
	// Exact names: one that continues an earlier one goes before it.
	const ordered: string[] = [];
	for (const k of sorted) {
		const at = delays || ours || rank(k) !== 0 ? -1 : ordered.findIndex((o) => rank(o) === 0 && k.startsWith(o + '.'));
		if (at < 0) ordered.push(k);
		else ordered.splice(at, 0, k);
	}
	for (const k of ordered) {
		const segments = original[k];
		if (!delays && Array.isArray(segments)) {
			// One XState key that holds several of FSM Studio's keys, alternatives in order.
			const all = normalizeTransitions(convertTransitions(v[k], [...path, k], lost));
			let at = 0;
			for (const seg of segments) {
				if (!Array.isArray(seg) || typeof seg[0] !== 'string' || typeof seg[1] !== 'number') continue;
				const part = all.slice(at, at + seg[1]);
				at += seg[1];
				if (!Object.hasOwn(out, seg[0])) out[seg[0]] = part.length === 1 ? part[0] : part;
			}
			continue;
		}
		if (delays && !/^(?:0|[1-9]\d*)(?:\.\d+)?$/.test(k)) {
			lost.push({ path: [...path, k], message: `The delay "${k}" is named, not a number of milliseconds; the delayed transition was not imported.` });
			continue;
		}
		const key = typeof original[k] === 'string' ? (original[k] as string) : k;
		// The exporter splits a key into one XState key per descriptor: the copies are the same transitions.
		if (key !== k && Object.hasOwn(out, key)) continue;
		if (!delays && !ours) {
			if (/\s/.test(k)) lost.push({ path: [...path, k], message: `The event name "${k}" contains a space; FSM Studio reads a key as event names separated by spaces, so it now matches ${eventDescriptors(k).map((d) => `"${d}"`).join(' or ')} instead.` });
			else if (rank(k) === 0 && vocab) {
				const more = [...vocab].filter((n) => n.startsWith(k + '.') && !Object.hasOwn(v, n));
				if (more.length) lost.push({ path: [...path, k], message: `In XState "${k}" matches only "${k}"; in FSM Studio it also matches the events that continue it (${more.slice(0, 3).map((n) => `"${n}"`).join(', ')}${more.length > 3 ? ', …' : ''}).` });
			}
		}
		const t = convertTransitions(v[k], [...path, k], lost);
		if (t !== undefined) out[key] = t;
	}
	const order = original[ORDER];
	if (!delays && Array.isArray(order) && order.every((x) => typeof x === 'string')) {
		const sorted = dict<TransitionConfig>();
		for (const x of order as string[]) if (Object.hasOwn(out, x)) sorted[x] = out[x];
		for (const x of Object.keys(out)) if (!Object.hasOwn(sorted, x)) sorted[x] = out[x];
		return sorted;
	}
	return out;
}

function convertTransitions(v: unknown, path: (string | number)[], lost: LostItem[]): TransitionConfig | undefined {
	if (typeof v === 'string') return v;
	if (v === undefined || v === null) return [];
	const list = Array.isArray(v) ? v : [v];
	const out: TransitionSpec[] = [];
	list.forEach((t, i) => {
		const p = Array.isArray(v) ? [...path, i] : path;
		if (typeof t === 'string') {
			out.push({ target: t });
			return;
		}
		if (!isRecord(t)) {
			lost.push({ path: p, message: 'A transition is neither a target nor an object; it was not imported.' });
			return;
		}
		const spec: Json = {};
		for (const k of Object.keys(t)) {
			const x = t[k];
			switch (k) {
				case 'target':
					if (typeof x === 'string' || (Array.isArray(x) && x.every((y) => typeof y === 'string'))) spec.target = x;
					else lost.push({ path: [...p, k], message: 'The target is not a state name; it was not imported.' });
					break;
				case 'guard':
				case 'cond': {
					const g = isRecord(x) && x.type === 'jsonata' && isRecord(x.params) && typeof x.params.expr === 'string' ? x.params.expr : undefined;
					if (g !== undefined) spec.guard = g;
					else {
						const name = typeof x === 'string' ? x : isRecord(x) && typeof x.type === 'string' ? x.type : 'inline function';
						lost.push({ path: [...p, k], message: `The guard "${name}" is code in XState, not an expression; the transition was imported without it — write it as a JSONata guard.` });
					}
					break;
				}
				case 'actions':
					spec.effects = convertActions(x, [...p, k], lost);
					break;
				case 'reenter':
					spec.reenter = x;
					break;
				case 'internal':
					spec.reenter = x === false;
					break;
				case 'description':
					spec.description = x;
					break;
				default:
					lost.push({ path: [...p, k], message: `The transition field "${k}" has no equivalent and was not imported.` });
			}
		}
		out.push(spec as TransitionSpec);
	});
	return !Array.isArray(v) && out.length === 1 ? out[0] : out;
}

function convertActions(v: unknown, path: (string | number)[], lost: LostItem[]): EffectSpec[] {
	const list = Array.isArray(v) ? v : [v];
	const out: EffectSpec[] = [];
	list.forEach((a, i) => {
		const p = Array.isArray(v) ? [...path, i] : path;
		const name = typeof a === 'string' ? a : isRecord(a) && typeof a.type === 'string' ? a.type : '';
		if (name && !KNOWN_KINDS.has(name)) lost.push({ path: p, message: `The action "${name}" is code in XState; it was imported as a "${name}" effect, which runs only once you give it a handler.` });
		if (typeof a === 'string' && a) out.push({ type: a });
		else if (isRecord(a) && typeof a.type === 'string' && a.type) {
			const eff: Json = { type: a.type };
			if (isRecord(a.params)) for (const k of Object.keys(a.params)) if (k !== 'type') eff[k] = a.params[k];
			for (const k of Object.keys(a)) if (k !== 'type' && k !== 'params') eff[k] = a[k];
			out.push(eff as EffectSpec);
		} else lost.push({ path: p, message: 'An action is neither a name nor an object with a "type" (inline functions cannot be stored as JSON); it was not imported.' });
	});
	return out;
}
