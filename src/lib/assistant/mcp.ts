/**
 * The assistant behind the MCP tool `create_ai_workflow`: a description in, a checked
 * workflow (with positions) out. Same code as the panel's Draft, without the preview.
 */
import { EffectError } from '../effects/errors';
import type { Workflow } from '../model/types';
import { createAssistant, type AssistantConfig } from './assistant';
import { withLayout } from './layout';

export interface DesignOptions extends AssistantConfig {
	signal?: AbortSignal;
	/** Name for the workflow (default: the model's). */
	name?: string;
	/** Id for the workflow (default: from its name). */
	id?: string;
}

/**
 * Designs a workflow from a description. Throws `EffectError('no_provider')` when no model is
 * configured (callers may fall back to a template), `EffectError('cancelled')` when cancelled,
 * and an `EffectError('failed')` saying what was still wrong when no valid workflow came back.
 */
export async function designWorkflow(description: string, options: DesignOptions): Promise<Workflow> {
	const assistant = createAssistant(options);
	const r = await assistant.draft(description, { ...(options.signal ? { signal: options.signal } : {}), ...(options.id ? { id: options.id } : {}) });
	if (!r.ok) {
		const code = r.reason === 'no_provider' ? 'no_provider' : r.reason === 'cancelled' ? 'cancelled' : 'failed';
		throw new EffectError(code, r.message);
	}
	const wf = options.name ? { ...r.workflow, name: options.name } : r.workflow;
	return withLayout(wf);
}
