import 'fake-indexeddb/auto';
import { inject } from 'vitest';
import { createExecutor } from '$lib/effects';
import { createAiHandlers } from '$lib/ai/handlers';
import { createChatService } from '$lib/ai';
import { saveProvider, setWorkspaceDefault } from '$lib/ai/settings/providers';
import { AgentsDb, setAgentsDb } from '$lib/store/agents-db';
import type { UsageRecord } from '$lib/store/ai-db';
import type { MockRule } from '../../mocks/llm-server';
import { mockSession } from '../../mocks/client';
import { makeScope } from '../../effects/helpers';
import { freshAiDb } from '../helpers';

/** A mock session with two providers (OpenAI "oa" default, Anthropic "an"), fresh databases, and an executor with the AI handlers. */
export async function setup(rules: MockRule[] = []) {
	const db = freshAiDb();
	const agentsDb = new AgentsDb({ name: `agents-test-${Math.random().toString(36).slice(2)}` });
	setAgentsDb(agentsDb);
	const s = mockSession(inject('mockLlmUrl'));
	await saveProvider({ id: 'oa', name: 'OpenAI', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-good', defaultModel: 'gpt-4o-mini' }, db);
	await saveProvider({ id: 'an', name: 'Anthropic', kind: 'anthropic', baseUrl: s.anthropic, apiKey: 'sk-ant', defaultModel: 'claude-haiku-4-5' }, db);
	await setWorkspaceDefault('default', { providerId: 'oa' }, db);
	if (rules.length) await s.script(rules);
	const records: UsageRecord[] = [];
	const service = createChatService({ sleep: async () => {}, recordUsage: (r) => records.push(r) });
	const executor = createExecutor({ handlers: createAiHandlers({ workspaceId: 'default', chatService: service }) });
	return { s, db, agentsDb, records, executor, service };
}

export type Scope = ReturnType<typeof makeScope>;

/** Progress payloads of one kind reported by the coordination (its own span). */
export function progressOf(h: Scope, kind: string) {
	return h.effects().filter((e) => e.phase === 'progress' && (e.data as { kind?: string })?.kind === kind).map((e) => e.data as Record<string, any>);
}

/** Agent statuses as `name:status` lines (round and phase when given). */
export function statuses(h: Scope) {
	return progressOf(h, 'agent').map((a) => `${a.agent}:${a.status}${a.round ? `@${a.round}` : ''}${a.phase && a.phase !== 'answer' ? `:${a.phase}` : ''}`);
}

/** Bodies of the requests the mock saw, as `messages` arrays. */
export async function sentMessages(s: ReturnType<typeof mockSession>) {
	return (await s.requests()).map((r) => (r.body as { messages?: { role: string; content: unknown }[] }).messages ?? []);
}

export { makeScope };
