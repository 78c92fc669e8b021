/** A chat service talking to the mock LLM server (no IndexedDB: the provider is given directly). */
import { createChatService, type ChatService } from '$lib/ai';
import type { ProviderKind } from '$lib/ai/types';
import type { ProviderInfo } from '$lib/ai/settings/providers';
import type { Workflow } from '$lib/model/types';

export function mockChat(baseUrl: string, kind: ProviderKind = 'openai', model = 'gpt-4o-mini'): ChatService {
	const now = Date.now();
	const info = { id: 'mock', name: 'Mock', kind, baseUrl, defaultModel: model, createdAt: now, updatedAt: now, hasKey: true } as ProviderInfo;
	return createChatService({
		resolve: async () => ({ config: { kind, baseUrl, apiKey: 'sk-test-assistant' }, info }),
		defaultTarget: async () => ({ provider: 'mock' }),
		priceOverrides: async () => ({}),
		recordUsage: () => undefined
	});
}

/** A small valid workflow as a model would write it (no layout). */
export const goodDraft = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ignored',
	name: 'Ticket answerer',
	description: 'Answers a support ticket with a model, or hands it to a person.',
	initial: 'idle',
	context: { ticket: null, answer: null, error: null },
	budget: { maxCostUsd: 0.5 },
	states: {
		idle: { on: { TICKET: { target: 'answering', effects: [{ type: 'assign', set: { ticket: 'event.text' } }] } } },
		answering: {
			invoke: {
				type: 'timeout',
				ms: 30000,
				effect: { type: 'call_llm', prompt: 'Answer this ticket: {{ context.ticket }}', fallback: [{ provider: 'backup' }] }
			},
			onDone: { target: 'done', effects: [{ type: 'assign', set: { answer: 'event.output' } }] },
			onError: { target: 'human', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
		},
		human: { on: { RESOLVED: 'done' } },
		done: { type: 'final' }
	}
};

/** The same with three problems: a target that does not exist, an HTTP call without a URL, a bad guard. */
export const brokenDraft = {
	...goodDraft,
	states: {
		...goodDraft.states,
		idle: { on: { TICKET: { target: 'answerring', guard: 'event.text = ' } } },
		human: { entry: [{ type: 'http', method: 'POST' }], on: { RESOLVED: 'done' } }
	}
};

export const httpWorkflow: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'fetcher',
	name: 'Fetcher',
	initial: 'idle',
	context: { data: null },
	states: {
		idle: { on: { FETCH: 'fetching' } },
		fetching: {
			invoke: { type: 'http', url: 'https://api.example.com/items' },
			onDone: { target: 'done', effects: [{ type: 'assign', set: { data: 'event.output' } }] },
			onError: 'idle'
		},
		done: { type: 'final' }
	},
	layout: { idle: { x: 0, y: 0 }, fetching: { x: 260, y: 0 }, done: { x: 520, y: 0 } }
} as Workflow;
