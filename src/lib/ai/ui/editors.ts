/**
 * Custom property editors of the AI effect kinds, by kind and field, for the designer's
 * property panel (each takes `{ value, onchange, name }`).
 */
import type { Component } from 'svelte';
import JsonSchemaEditor from './JsonSchemaEditor.svelte';

export type FieldEditor = Component<{ value: unknown; onchange: (v: unknown) => void; name?: string }>;

export const aiFieldEditors: Record<string, Record<string, FieldEditor>> = {
	call_llm: { schema: JsonSchemaEditor as unknown as FieldEditor }
};
