/**
 * Composed effects as a tree: which fields of an effect kind hold other effects (a retry's
 * `effect`, a sequence's `effects`, a saga's `steps[].effect` and `.compensate`), and the edits
 * the designer makes on that tree (wrap an effect in a composer, unwrap it, summarise it for a
 * chip). Pure; read from each kind's JSON Schema, so a new composer kind needs no code here.
 */
import type { EffectSpec } from '../model/types';
import type { JsonSchema } from './json-schema';

/** A field of an effect kind that holds effects. */
export interface EffectSlot {
	field: string;
	/** `one`: a single effect; `many`: a list of effects; `steps`: a list of objects holding effects. */
	shape: 'one' | 'many' | 'steps';
	required: boolean;
	description?: string;
	/** For `steps`: the effect fields of each step (e.g. `effect`, `compensate`) and whether each is required. */
	stepFields?: { field: string; required: boolean; description?: string }[];
}

/** True for the schema of "any effect" (an object with a free `type` and open other fields). */
export function isEffectSchema(s: JsonSchema | undefined | null): boolean {
	if (!s || s.type !== 'object' || !s.properties) return false;
	const t = s.properties.type;
	if (!t || t.type !== 'string' || t.const !== undefined || t.enum) return false;
	if (!(s.required ?? []).includes('type')) return false;
	if (s.additionalProperties === false) return false;
	return Object.keys(s.properties).every((k) => k === 'type' || k === 'id');
}

/** The effect-holding fields of a kind's parameter schema. */
export function effectSlotsOf(schema: JsonSchema | null | undefined): EffectSlot[] {
	const out: EffectSlot[] = [];
	const req = new Set(schema?.required ?? []);
	for (const [field, s] of Object.entries(schema?.properties ?? {})) {
		if (field === 'type') continue;
		if (isEffectSchema(s)) {
			out.push({ field, shape: 'one', required: req.has(field), description: s.description });
		} else if (s.type === 'array' && isEffectSchema(s.items)) {
			out.push({ field, shape: 'many', required: req.has(field), description: s.description });
		} else if (s.type === 'array' && s.items?.type === 'object' && s.items.properties) {
			const inner = s.items;
			const stepReq = new Set(inner.required ?? []);
			const stepFields = Object.entries(inner.properties ?? {})
				.filter(([, v]) => isEffectSchema(v))
				.map(([f, v]) => ({ field: f, required: stepReq.has(f), description: v.description }));
			if (stepFields.length) out.push({ field, shape: 'steps', required: req.has(field), description: s.description, stepFields });
		}
	}
	return out;
}

type SlotsOf = (type: string) => EffectSlot[];

function isEffect(v: unknown): v is EffectSpec {
	return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { type?: unknown }).type === 'string';
}

/** The effects directly inside `spec`, in order, with their path relative to it. */
export function childEffects(spec: EffectSpec, slotsOf: SlotsOf): { path: (string | number)[]; spec: EffectSpec }[] {
	const out: { path: (string | number)[]; spec: EffectSpec }[] = [];
	for (const slot of slotsOf(spec.type)) {
		const v = spec[slot.field];
		if (slot.shape === 'one') {
			if (isEffect(v)) out.push({ path: [slot.field], spec: v });
		} else if (Array.isArray(v)) {
			v.forEach((item, i) => {
				if (slot.shape === 'many') {
					if (isEffect(item)) out.push({ path: [slot.field, i], spec: item });
				} else if (item && typeof item === 'object') {
					for (const f of slot.stepFields ?? []) {
						const e = (item as Record<string, unknown>)[f.field];
						if (isEffect(e)) out.push({ path: [slot.field, i, f.field], spec: e });
					}
				}
			});
		}
	}
	return out;
}

/** `spec` placed inside a new effect of kind `composer` (its first effect field). */
export function wrapEffect(spec: EffectSpec, composer: EffectSpec, slotsOf: SlotsOf): EffectSpec {
	const slot = slotsOf(composer.type)[0];
	if (!slot) throw new Error(`${composer.type} does not hold other effects`);
	const out: EffectSpec = { ...composer };
	if (slot.shape === 'one') out[slot.field] = spec;
	else if (slot.shape === 'many') out[slot.field] = [spec];
	else {
		const first = slot.stepFields![0].field;
		const step: Record<string, unknown> = { [first]: spec };
		// saga steps carry a name, which the log shows
		if (composer.type === 'saga') step.name = spec.id ?? spec.type;
		out[slot.field] = [step];
	}
	return out;
}

/**
 * What replaces a composer when it is unwrapped: its inner effects (compensations are dropped,
 * they undo steps that no longer exist). Null when it holds none.
 */
export function unwrapEffect(spec: EffectSpec, slotsOf: SlotsOf): EffectSpec[] | null {
	const slots = slotsOf(spec.type);
	if (!slots.length) return null;
	const inner: EffectSpec[] = [];
	for (const c of childEffects(spec, slotsOf)) {
		const slot = slots.find((s) => s.field === c.path[0])!;
		if (slot.shape === 'steps' && c.path[2] !== slot.stepFields![0].field) continue;
		inner.push(c.spec);
	}
	return inner.length ? inner : null;
}

/**
 * A short text for a chip: `retry › timeout › call_llm` for a chain of single effects,
 * `sequence (3)` for a list. `max` bounds the length of the chain shown.
 */
export function effectSummary(spec: EffectSpec, slotsOf: SlotsOf, max = 3): string {
	const parts: string[] = [];
	let cur: EffectSpec | undefined = spec;
	while (cur && parts.length < max) {
		const kids = childEffects(cur, slotsOf);
		const slots = slotsOf(cur.type);
		if (kids.length === 1 && slots.length && slots.every((s) => s.shape === 'one')) {
			parts.push(cur.type);
			cur = kids[0].spec;
			continue;
		}
		parts.push(kids.length ? `${cur.type} (${kids.length})` : cur.type);
		cur = undefined;
	}
	if (cur) parts.push('…');
	return parts.join(' › ');
}

/** The whole tree as indented lines (for a chip's tooltip). */
export function effectOutline(spec: EffectSpec, slotsOf: SlotsOf, depth = 0): string[] {
	const lines = [`${'  '.repeat(depth)}${spec.type}${spec.id ? ` (${spec.id})` : ''}`];
	for (const c of childEffects(spec, slotsOf)) lines.push(...effectOutline(c.spec, slotsOf, depth + 1));
	return lines;
}

/** Immutable set at a path inside an effect (`['steps', 0, 'effect']`); undefined removes. */
export function setAt(spec: EffectSpec, path: (string | number)[], value: unknown): EffectSpec {
	if (!path.length) return value as EffectSpec;
	const [head, ...rest] = path;
	const clone = (v: unknown): Record<string | number, unknown> | unknown[] => (Array.isArray(v) ? [...v] : { ...((v as object) ?? {}) });
	const root = clone(spec) as Record<string | number, unknown>;
	const child = rest.length ? setAt((root[head] ?? (typeof rest[0] === 'number' ? [] : {})) as EffectSpec, rest, value) : value;
	if (child === undefined && !Array.isArray(root)) delete root[head];
	else root[head] = child;
	return root as unknown as EffectSpec;
}

/**
 * The effect after its kind is changed to `fresh.type`: the new kind's defaults, the common
 * fields kept (id, description, assignTo), and the inner effects carried over when both kinds
 * hold effects (retry → timeout keeps what is retried).
 */
export function changeKind(spec: EffectSpec, fresh: EffectSpec, slotsOf: SlotsOf): EffectSpec {
	const out: EffectSpec = { ...fresh };
	for (const k of ['id', 'description', 'assignTo']) if (spec[k] !== undefined) out[k] = spec[k];
	const inner = unwrapEffect(spec, slotsOf);
	const slot = slotsOf(fresh.type)[0];
	if (inner && slot) {
		if (slot.shape === 'one') out[slot.field] = inner[0];
		else if (slot.shape === 'many') out[slot.field] = inner;
		else out[slot.field] = inner.map((e, i) => ({ [slot.stepFields![0].field]: e, ...(fresh.type === 'saga' ? { name: e.id ?? `step ${i + 1}` } : {}) }));
	}
	return out;
}
