/**
 * Where features plug into the designer: one line per registration (see `extensions.ts` and
 * README.md in this folder). Keep each registration small — an editor component loads on first
 * use through a dynamic import — since this runs on every designer page once the canvas has
 * drawn.
 */
import { registerEffectEditor, registerEffectMerge, registerLibrarySource } from './extensions';
import { patternsSource } from './patterns';
import { declaredKindsSource } from '../plugins/library-source';
import { agentsLibrarySource } from '../ai/agents/library-source';
import { joinCoordination } from '../ai/agents/merge';
import { callToolEditor, mcpLibrarySource } from '../mcp/plugin';

let loaded = false;

/** Runs the registrations once. */
export function loadPlugins(): void {
	if (loaded) return;
	loaded = true;
	registerLibrarySource(patternsSource);
	// MCP servers' tools (src/lib/mcp): a library group and call_tool's form from each tool's input schema
	registerLibrarySource(mcpLibrarySource);
	registerEffectEditor(callToolEditor);
	// the JSON Schema of a model call's JSON answer: a form (src/lib/ai/ui)
	registerEffectEditor({ type: 'call_llm', field: 'schema', load: () => import('../ai/ui/JsonSchemaEditor.svelte') });
	// the node library's Agents group, and a coordination's plan and estimate (src/lib/ai/agents)
	registerLibrarySource(agentsLibrarySource);
	registerEffectEditor({ type: 'coordinate_agents', placement: 'below', load: () => import('../ai/agents/ui/CoordinationPlan.svelte') });
	// an agent dropped onto a state that coordinates agents joins them
	registerEffectMerge('coordinate_agents', joinCoordination);
	// effect kinds declared as data in Settings → Plugins (src/lib/plugins)
	registerLibrarySource(declaredKindsSource);
}
