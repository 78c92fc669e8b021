/** The subset of JSON Schema that MCP tools use for their inputs, and defaults from it. */
export interface JsonSchemaLike {
	type?: string | string[];
	properties?: Record<string, JsonSchemaLike>;
	required?: string[];
	items?: JsonSchemaLike;
	additionalProperties?: boolean | JsonSchemaLike;
	enum?: unknown[];
	const?: unknown;
	anyOf?: JsonSchemaLike[];
	oneOf?: JsonSchemaLike[];
	description?: string;
	default?: unknown;
	minimum?: number;
	maximum?: number;
	title?: string;
	[key: string]: unknown;
}

/** Arguments filled from a tool's input schema: defaults where given, required fields with an empty value of their type. */
export function defaultArguments(schema: JsonSchemaLike | undefined): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	if (!schema || typeof schema !== 'object') return out;
	const req = new Set(schema.required ?? []);
	for (const [k, s] of Object.entries(schema.properties ?? {})) {
		if (s && typeof s === 'object' && s.default !== undefined) out[k] = structuredClone(s.default);
		else if (req.has(k)) out[k] = emptyOf(s);
	}
	return out;
}

function emptyOf(s: JsonSchemaLike | undefined): unknown {
	if (!s) return null;
	if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
	const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
	switch (t) {
		case 'string':
			return '';
		case 'number':
		case 'integer':
			return typeof s.minimum === 'number' ? s.minimum : 0;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return defaultArguments(s);
		default:
			return null;
	}
}

/** A string that a `{{ }}` template will fill in when the effect runs (any type is fine then). */
export function isTemplate(v: unknown): v is string {
	return typeof v === 'string' && v.includes('{{');
}

function typeOf(s: JsonSchemaLike): string | undefined {
	return Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
}

function typeName(t: string): string {
	return { integer: 'a whole number', number: 'a number', boolean: 'true or false', string: 'text', array: 'a list', object: 'an object' }[t] ?? t;
}

/**
 * What is wrong with tool arguments against the tool's input schema, in the user's words,
 * keyed by dotted path (`city`, `details.unit`; '' for the whole object). Templates are
 * accepted for any field; they are checked by the tool when the effect runs.
 */
export function checkArguments(schema: JsonSchemaLike | undefined, args: unknown, path = ''): Map<string, string> {
	const out = new Map<string, string>();
	if (!schema || typeof schema !== 'object' || isTemplate(args)) return out;
	const at = (k: string) => (path ? `${path}.${k}` : k);
	const alts = schema.anyOf ?? schema.oneOf;
	if (alts?.length) {
		// valid if any alternative fits (null included)
		if (args === null && alts.some((a) => typeOf(a) === 'null')) return out;
		const fits = alts.filter((a) => typeOf(a) !== 'null').map((a) => checkArguments(a, args, path));
		return fits.find((m) => m.size === 0) ?? fits[0] ?? out;
	}
	if (args === undefined || args === null) return out;
	if (Array.isArray(schema.enum) && schema.enum.length && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(args))) {
		out.set(path, `Choose one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}.`);
		return out;
	}
	const t = typeOf(schema);
	const actual = Array.isArray(args) ? 'array' : typeof args;
	const ok =
		!t ||
		(t === 'integer' ? typeof args === 'number' && Number.isInteger(args) : t === 'number' ? typeof args === 'number' && Number.isFinite(args) : t === 'object' ? actual === 'object' : t === 'array' ? actual === 'array' : actual === t);
	if (!ok) {
		out.set(path, `Should be ${typeName(t!)}${t === 'integer' && typeof args === 'number' ? '' : ` (or a {{ }} template)`}.`);
		return out;
	}
	if (typeof args === 'number') {
		if (typeof schema.minimum === 'number' && args < schema.minimum) out.set(path, `At least ${schema.minimum}.`);
		else if (typeof schema.maximum === 'number' && args > schema.maximum) out.set(path, `At most ${schema.maximum}.`);
	}
	if (t === 'object' && actual === 'object') {
		const obj = args as Record<string, unknown>;
		for (const k of schema.required ?? []) {
			const v = obj[k];
			if (v === undefined || (v === '' && typeOf(schema.properties?.[k] ?? {}) === 'string')) out.set(at(k), 'Required by the tool: fill this in.');
		}
		for (const [k, sub] of Object.entries(schema.properties ?? {})) {
			if (out.has(at(k)) || obj[k] === undefined) continue;
			for (const [p, m] of checkArguments(sub, obj[k], at(k))) out.set(p, m);
		}
	}
	if (t === 'array' && Array.isArray(args) && schema.items) {
		args.forEach((v, i) => {
			for (const [p, m] of checkArguments(schema.items, v, at(String(i)))) out.set(p, m);
		});
	}
	return out;
}
