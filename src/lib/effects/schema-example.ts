/** Example values for JSON Schemas (simulated answers of model calls). No imports: effect kinds use it too. */

/**
 * A value matching a JSON schema, built deterministically: `const`, then `default`, then the
 * first of `examples` / `enum`, else the simplest value of the type (every property of an
 * object, one item of an array, numbers at their minimum).
 */
export function exampleFromSchema(schema: unknown, depth = 0): unknown {
	if (!schema || typeof schema !== 'object' || depth > 12) return null;
	const s = schema as Record<string, unknown>;
	if ('const' in s) return s.const;
	if ('default' in s) return s.default;
	if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
	if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
	for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
		const list = s[key];
		if (Array.isArray(list) && list.length) {
			if (key !== 'allOf') return exampleFromSchema(list[0], depth + 1);
			const parts = list.map((x) => exampleFromSchema(x, depth + 1));
			return parts.every((x) => x && typeof x === 'object' && !Array.isArray(x)) ? Object.assign({}, ...parts) : parts[0];
		}
	}
	let type = s.type;
	if (Array.isArray(type)) type = type.find((t) => t !== 'null') ?? type[0];
	if (type === undefined) type = s.properties ? 'object' : s.items ? 'array' : undefined;
	switch (type) {
		case 'object': {
			const out: Record<string, unknown> = {};
			const props = (s.properties ?? {}) as Record<string, unknown>;
			for (const [k, v] of Object.entries(props)) out[k] = exampleFromSchema(v, depth + 1);
			return out;
		}
		case 'array': {
			const min = typeof s.minItems === 'number' ? Math.max(1, Math.min(s.minItems, 3)) : 1;
			const item = Array.isArray(s.prefixItems) ? s.prefixItems.map((x) => exampleFromSchema(x, depth + 1)) : undefined;
			return item ?? Array.from({ length: min }, () => exampleFromSchema(s.items, depth + 1));
		}
		case 'string': {
			const f = s.format;
			if (f === 'date-time') return '2000-01-01T00:00:00.000Z';
			if (f === 'date') return '2000-01-01';
			if (f === 'email') return 'simulated@example.com';
			if (f === 'uri' || f === 'url') return 'https://example.com/simulated';
			const text = 'simulated';
			return typeof s.minLength === 'number' && s.minLength > text.length ? text.padEnd(s.minLength, '.') : text;
		}
		case 'integer':
		case 'number': {
			if (typeof s.minimum === 'number') return type === 'integer' ? Math.ceil(s.minimum) : s.minimum;
			if (typeof s.exclusiveMinimum === 'number') return type === 'integer' ? Math.floor(s.exclusiveMinimum) + 1 : s.exclusiveMinimum + 1;
			if (typeof s.maximum === 'number' && s.maximum < 0) return s.maximum;
			return 0;
		}
		case 'boolean':
			return false;
		case 'null':
			return null;
		default:
			return null;
	}
}
