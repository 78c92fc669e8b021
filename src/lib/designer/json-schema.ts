/**
 * Effect parameter forms are generated from each kind's zod 4 schema, through zod's own
 * JSON Schema conversion (it handles defaults, optionals, enums, records and descriptions).
 * The conversion itself (`zod-json-schema.ts`) loads with the effect kinds; this module only
 * reads the result, so the canvas can draw without zod.
 */
import type { z } from 'zod';
import { isEffectSchema } from './effect-tree';

export interface JsonSchema {
	type?: string | string[];
	properties?: Record<string, JsonSchema>;
	required?: string[];
	items?: JsonSchema;
	additionalProperties?: boolean | JsonSchema;
	enum?: unknown[];
	const?: unknown;
	anyOf?: JsonSchema[];
	oneOf?: JsonSchema[];
	description?: string;
	default?: unknown;
	minimum?: number;
	maximum?: number;
	title?: string;
	minLength?: number;
	minItems?: number;
	exclusiveMinimum?: number;
}

/** Drops `null` from a union so `string | null` edits as a string. */
export function simplify(s: JsonSchema): JsonSchema {
	const alts = s.anyOf ?? s.oneOf;
	if (alts) {
		const nonNull = alts.filter((a) => a.type !== 'null');
		if (nonNull.length === 1) return { ...nonNull[0], description: s.description ?? nonNull[0].description, default: s.default ?? nonNull[0].default };
	}
	return s;
}

export type FieldKind = 'enum' | 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'record' | 'json' | 'effect' | 'effects';

export function fieldKind(s0: JsonSchema): FieldKind {
	const s = simplify(s0);
	if (isEffectSchema(s)) return 'effect';
	if (s.type === 'array' && isEffectSchema(s.items)) return 'effects';
	if (s.enum) return 'enum';
	const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
	if (t === 'string') return 'string';
	if (t === 'number') return 'number';
	if (t === 'integer') return 'integer';
	if (t === 'boolean') return 'boolean';
	if (t === 'array' && s.items) return 'array';
	if (t === 'object' && s.properties && Object.keys(s.properties).length) return 'object';
	if (t === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return 'record';
	return 'json';
}

/** A starting value for a new item of this schema. */
export function emptyValue(s0: JsonSchema): unknown {
	const s = simplify(s0);
	if (s.default !== undefined) return s.default;
	switch (fieldKind(s)) {
		case 'enum':
			return s.enum![0];
		case 'string':
			return '';
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'array':
		case 'effects':
			return [];
		case 'object':
		case 'record':
			return {};
		default:
			return null;
	}
}

const LAST = ['description', 'assignTo', 'id'];

/** Field order for a form: required fields first, general-purpose ones (description, assignTo) last. */
export function orderedFields(s: JsonSchema): [string, JsonSchema][] {
	const req = new Set(s.required ?? []);
	const entries = Object.entries(s.properties ?? {}).filter(([k]) => k !== 'type');
	const rank = (k: string) => (LAST.includes(k) ? 2 : req.has(k) ? 0 : 1);
	return entries.map((e, i) => [e, i] as const).sort((a, b) => rank(a[0][0]) - rank(b[0][0]) || a[1] - b[1]).map(([e]) => e);
}

/** Validation messages keyed by the dotted path of the field they belong to. */
export function issuesByPath(schema: z.ZodType | undefined, value: unknown): Map<string, string> {
	const out = new Map<string, string>();
	if (!schema) return out;
	const r = schema.safeParse(value);
	if (r.success) return out;
	for (const i of r.error.issues) {
		const k = i.path.map(String).join('.');
		if (!out.has(k)) out.set(k, friendly(i, value));
	}
	return out;
}

/** zod speaks to programmers ("expected string, received undefined"): say what to do instead. */
function friendly(issue: z.core.$ZodIssue, value: unknown): string {
	let v: unknown = value;
	for (const p of issue.path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
	if (issue.code === 'invalid_type' && v === undefined) return 'Required: fill this in.';
	if (issue.code === 'invalid_type') return `Should be ${issue.expected === 'int' ? 'a whole number' : /^[aeiou]/.test(issue.expected) ? `an ${issue.expected}` : `a ${issue.expected}`}.`;
	return issue.message.replace(/^Invalid input: /, 'Invalid: ');
}

/** Long text fields get a textarea. */
export function isLongText(name: string, s: JsonSchema): boolean {
	return /prompt|body|message|system|template|instructions|^text$|query|content/i.test(name) || /multi-?line|paragraph/i.test(s.description ?? '');
}

/** Words for field names that camel case cannot split well. */
const LABELS: Record<string, string> = {
	assignTo: 'Save result in context key',
	resultPath: 'Result path',
	retryOn: 'Retry on errors',
	maxAttempts: 'Attempts (at most)',
	ms: 'Time limit (ms)',
	url: 'URL',
	id: 'Id',
	ttlMs: 'Keep for (ms)',
	topK: 'Top K',
	json: 'JSON answer',
	maxTokens: 'Max tokens'
};

/**
 * The label of a form field: the schema's title, a known wording, or the key in words
 * (`timeoutMs` → "Timeout (ms)", `max_tokens` → "Max tokens").
 */
export function fieldLabel(key: string, s?: JsonSchema): string {
	if (s?.title) return s.title;
	if (LABELS[key]) return LABELS[key];
	let k = key.replace(/_/g, ' ');
	let unit = '';
	const m = /^(.*[a-z])(Ms|Usd)$/.exec(k);
	if (m) {
		k = m[1];
		unit = m[2] === 'Ms' ? ' (ms)' : ' (USD)';
	}
	const words = k.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

/** The label of one item of a list field (`steps` → "Step 2"). */
export function itemLabel(listLabel: string, index: number): string {
	const singular = /ies$/.test(listLabel) ? listLabel.replace(/ies$/, 'y') : /[^s]s$/.test(listLabel) ? listLabel.slice(0, -1) : listLabel;
	return `${singular} ${index + 1}`;
}

/** Fields whose text is a JSONata expression (a monospace box). */
export function isExpression(s: JsonSchema | undefined): boolean {
	return /jsonata|expression/i.test(s?.description ?? '');
}
