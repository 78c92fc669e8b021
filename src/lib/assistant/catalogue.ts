/**
 * The effect kinds the assistant may use, described for a model: the built-in kinds (from
 * their zod schemas) plus any kinds the workspace declares as data. The description is
 * compact text — one line per field — so that it fits in a prompt.
 */
import { z } from 'zod';
import { effectKinds } from '../effects/kinds';
import type { EffectKind } from '../effects/types';

/** One effect kind as the assistant sees it. */
export interface KindInfo {
	type: string;
	label: string;
	description: string;
	category: string;
	/** JSON Schema of the effect's parameters (input side: defaults are optional). */
	schema: Record<string, unknown>;
	/** Validates an effect of this kind: error messages with their field path ('' = the effect). */
	validate?: (effect: Record<string, unknown>) => { path: string; message: string }[];
}

// Fields every effect has: described once in the prompt, not per kind.
const SKIP_FIELDS = new Set(['type', 'id', 'description', 'assignTo']);

function zodJson(schema: z.ZodType): Record<string, unknown> {
	try {
		return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
	} catch {
		return { type: 'object' };
	}
}

function zodValidate(schema: z.ZodType) {
	return (effect: Record<string, unknown>) => {
		const r = schema.safeParse(effect);
		if (r.success) return [];
		return r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
	};
}

let builtins: KindInfo[] | undefined;

/** The built-in effect kinds. */
export function builtinKinds(): KindInfo[] {
	return (builtins ??= Object.entries(effectKinds as Record<string, EffectKind>).map(([type, k]) => ({
		type,
		label: k.label,
		description: k.description,
		category: k.category,
		schema: zodJson(k.schema),
		validate: zodValidate(k.schema)
	})));
}

/** Built-in kinds and extra ones (declared by the workspace), extra ones winning on a clash. */
export function allKinds(extra: KindInfo[] = []): KindInfo[] {
	const byType = new Map(builtinKinds().map((k) => [k.type, k]));
	for (const k of extra) byType.set(k.type, k);
	return [...byType.values()];
}

function typeText(s: Record<string, unknown> | undefined, depth = 0): string {
	if (!s) return 'any';
	if (Array.isArray(s.enum)) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
	if (s.const !== undefined) return JSON.stringify(s.const);
	const alts = (s.anyOf ?? s.oneOf) as Record<string, unknown>[] | undefined;
	if (alts) return alts.map((a) => typeText(a, depth)).join(' | ');
	const t = s.type;
	if (t === 'array') return `${typeText(s.items as Record<string, unknown>, depth + 1)}[]`;
	if (t === 'object') {
		const props = s.properties as Record<string, Record<string, unknown>> | undefined;
		if (props && depth < 1) {
			const req = new Set((s.required as string[] | undefined) ?? []);
			return `{ ${Object.entries(props)
				.map(([k, v]) => `${k}${req.has(k) ? '' : '?'}: ${typeText(v, depth + 1)}`)
				.join(', ')} }`;
		}
		if (props) return 'object';
		if (s.additionalProperties && typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length) return `{ [key]: ${typeText(s.additionalProperties as Record<string, unknown>, depth + 1)} }`;
		return 'object';
	}
	if (typeof t === 'string') return t === 'integer' ? 'integer' : t;
	if (s.description === 'An effect' || (s.properties as Record<string, unknown> | undefined)?.type) return 'effect';
	return 'any';
}

function short(text: unknown, max = 110): string {
	const s = String(text ?? '').replace(/\s+/g, ' ').trim();
	return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** One kind as prompt text: a header line and one line per parameter. */
export function describeKind(k: KindInfo): string {
	const props = (k.schema.properties ?? {}) as Record<string, Record<string, unknown>>;
	const req = new Set((k.schema.required as string[] | undefined) ?? []);
	const lines = [`${k.type} (${k.category}) — ${k.description}`];
	for (const [name, p] of Object.entries(props)) {
		if (SKIP_FIELDS.has(name)) continue;
		const isEffect = p.description === 'An effect' || /^The (effect|step|protected|limited|isolated)/.test(String(p.description ?? ''));
		const type = isEffect ? 'effect' : typeText(p);
		const dflt = p.default !== undefined ? ` = ${short(JSON.stringify(p.default), 40)}` : '';
		lines.push(`  ${name}${req.has(name) && p.default === undefined ? '' : '?'}: ${short(type, 90)}${dflt}${p.description ? ` — ${short(p.description)}` : ''}`);
	}
	return lines.join('\n');
}

/** Every kind as prompt text. */
export function describeKinds(kinds: KindInfo[]): string {
	return kinds.map(describeKind).join('\n');
}
