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
