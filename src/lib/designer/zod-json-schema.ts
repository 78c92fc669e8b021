/** zod schema → JSON Schema (the input side), cached per schema. Loaded with the effect kinds. */
import { z } from 'zod';
import type { JsonSchema } from './json-schema';

const cache = new WeakMap<object, JsonSchema | null>();

/** JSON Schema of a zod schema, or null when it cannot be represented. */
export function toJsonSchema(schema: z.ZodType | undefined): JsonSchema | null {
	if (!schema) return null;
	if (cache.has(schema)) return cache.get(schema)!;
	let out: JsonSchema | null = null;
	try {
		out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
	} catch {
		out = null;
	}
	cache.set(schema, out);
	return out;
}
