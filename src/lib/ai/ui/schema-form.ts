/**
 * The JSON Schema of a JSON answer as a simple form: an object whose properties are strings,
 * numbers, integers, booleans or string enums (each with a description and required flag).
 * Anything richer is edited as raw JSON; `toFields` says which.
 */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

export interface SchemaFieldRow {
	name: string;
	type: FieldType;
	/** For enums. */
	values: string[];
	description: string;
	required: boolean;
}

type Json = Record<string, unknown>;
const SIMPLE = new Set(['string', 'number', 'integer', 'boolean']);
const KNOWN_PROP_KEYS = new Set(['type', 'description', 'enum']);
const KNOWN_ROOT_KEYS = new Set(['type', 'properties', 'required', 'additionalProperties', '$schema', 'title']);

/** The rows of a simple schema, or why it needs the raw JSON editor. */
export function toFields(schema: unknown): { ok: true; fields: SchemaFieldRow[]; closed: boolean } | { ok: false; reason: string } {
	if (schema === undefined) return { ok: true, fields: [], closed: false };
	if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return { ok: false, reason: 'The schema is not an object.' };
	const s = schema as Json;
	if (s.type !== 'object') return { ok: false, reason: 'Only an object answer can be edited as a form.' };
	const extra = Object.keys(s).find((k) => !KNOWN_ROOT_KEYS.has(k));
	if (extra) return { ok: false, reason: `"${extra}" needs the JSON editor.` };
	const required = Array.isArray(s.required) ? (s.required as string[]) : [];
	const fields: SchemaFieldRow[] = [];
	for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, Json>)) {
		if (!p || typeof p !== 'object') return { ok: false, reason: `Property "${name}" is not a schema.` };
		const extraKey = Object.keys(p).find((k) => !KNOWN_PROP_KEYS.has(k));
		if (extraKey) return { ok: false, reason: `"${name}.${extraKey}" needs the JSON editor.` };
		const description = typeof p.description === 'string' ? p.description : '';
		if (Array.isArray(p.enum)) {
			if (!p.enum.every((v) => typeof v === 'string') || (p.type !== undefined && p.type !== 'string')) return { ok: false, reason: `Property "${name}" has non-text choices.` };
			fields.push({ name, type: 'enum', values: p.enum as string[], description, required: required.includes(name) });
		} else if (typeof p.type === 'string' && SIMPLE.has(p.type)) fields.push({ name, type: p.type as FieldType, values: [], description, required: required.includes(name) });
		else return { ok: false, reason: `Property "${name}" (${JSON.stringify(p.type ?? 'any')}) needs the JSON editor.` };
	}
	return { ok: true, fields, closed: s.additionalProperties === false };
}

/** The schema of form rows (rows without a name are skipped; later duplicates win). */
export function fromFields(fields: SchemaFieldRow[], closed = false): Json {
	const properties: Json = {};
	const required: string[] = [];
	for (const f of fields) {
		const name = f.name.trim();
		if (!name) continue;
		const p: Json = f.type === 'enum' ? { type: 'string', enum: f.values.map((v) => v.trim()).filter(Boolean) } : { type: f.type };
		if (f.description.trim()) p.description = f.description.trim();
		properties[name] = p;
		if (f.required && !required.includes(name)) required.push(name);
	}
	return { type: 'object', properties, ...(required.length ? { required } : {}), ...(closed ? { additionalProperties: false } : {}) };
}

/** Parses the raw editor's text: a JSON object, or a sentence saying what is wrong. */
export function parseSchemaText(text: string): { ok: true; schema: Json | undefined } | { ok: false; message: string } {
	if (!text.trim()) return { ok: true, schema: undefined };
	try {
		const v = JSON.parse(text);
		if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: 'A JSON Schema is an object, e.g. { "type": "object", "properties": { … } }.' };
		return { ok: true, schema: v as Json };
	} catch (e) {
		return { ok: false, message: `Not valid JSON: ${(e as Error).message}` };
	}
}
