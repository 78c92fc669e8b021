/**
 * MCP tools offered to a language model: `call_llm`'s tool loop runs workflow effects, so an
 * MCP tool becomes a `call_llm` tool whose effect is a `call_tool` that passes the model's
 * arguments through (`"{{ results.args }}"`). Pure: works from a server's stored catalog.
 */
import type { EffectSpec } from '../model/types';
import type { McpServerConfig, McpToolInfo } from './types';

/** A `call_llm` tool entry (the shape of that effect's `tools` items). */
export interface LlmToolEntry {
	name: string;
	description?: string;
	parameters: Record<string, unknown>;
	effect: EffectSpec;
}

/** A tool name the model APIs accept (letters, digits, _ and -, at most 64), unique within `taken`. */
export function llmToolName(name: string, taken: Set<string> = new Set()): string {
	let base = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'tool';
	let n = base;
	for (let i = 2; taken.has(n); i++) n = `${base.slice(0, 60)}_${i}`;
	taken.add(n);
	return n;
}

/** The input schema as the model APIs want it: an object schema, without `$schema`. */
function parametersOf(t: McpToolInfo): Record<string, unknown> {
	const { $schema, ...rest } = (t.inputSchema ?? {}) as Record<string, unknown>;
	void $schema;
	return rest.type === 'object' ? rest : { type: 'object', properties: {}, ...rest };
}

/** `call_llm` tool entries for a server's tools (all, or the ones named). */
export function llmToolsFor(server: Pick<McpServerConfig, 'name' | 'catalog'>, only?: string[], taken: Set<string> = new Set()): LlmToolEntry[] {
	const tools = (server.catalog?.tools ?? []).filter((t) => !only || only.includes(t.name));
	return tools.map((t) => ({
		name: llmToolName(t.name, taken),
		description: [t.title && t.title !== t.name ? t.title : '', t.description ?? ''].filter(Boolean).join(': ') || `Tool ${t.name} of ${server.name}`,
		parameters: parametersOf(t),
		effect: { type: 'call_tool', server: server.name, tool: t.name, arguments: '{{ results.args }}' }
	}));
}
