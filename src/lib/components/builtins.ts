/**
 * The bundled components (plain data, checked by `readComponent`). Each is a compound state
 * that ends in a final child, so the state it is inserted as leaves through its own `onDone`
 * (and `onError` for what fails inside it). Context keys are prefixed with the inserted
 * state's name (`${key}_…`) so two copies do not share them.
 */

const timeout = (ms: number, effect: Record<string, unknown>) => ({ type: 'timeout', ms, effect });

const security = {
	format: 'fsm-studio/component',
	version: 1,
	id: 'security',
	componentVersion: '1.0.0',
	name: 'Security',
	category: 'Control',
	description: 'Checks an authorization with your service; after N failed attempts it locks out for a while; every decision writes an audit entry.',
	key: 'security',
	params: [
		{ id: 'authUrl', label: 'Authorization service', type: 'url', default: 'https://auth.example.com/check', description: 'POSTed { user, token }; it answers { "allowed": true | false }.' },
		{ id: 'maxFailures', label: 'Failures before lockout', type: 'number', default: 3, min: 1, max: 20, step: 1 },
		{ id: 'lockoutMs', label: 'Lockout (ms)', type: 'number', default: 900000, min: 1000, step: 1000, description: 'How long a locked-out user waits before trying again.' }
	],
	context: { '${key}_failures': 0, '${key}_user': null },
	state: {
		type: 'compound',
		description: 'Authorization check with lockout and audit entries.',
		initial: 'checking',
		entry: [{ type: 'assign', set: { '${key}_user': 'event.user' } }],
		states: {
			checking: {
				invoke: timeout(10000, { type: 'http', method: 'POST', url: '${authUrl}', body: { user: '{{ event.user }}', token: '{{ event.token }}' } }),
				onDone: [
					{
						target: 'granted',
						guard: 'event.output.allowed = true',
						effects: [
							{ type: 'assign', set: { '${key}_failures': '0' } },
							{ type: 'emit', event: { type: 'AUDIT', action: 'access.granted', component: '${key}', user: '{{ context.${key}_user }}' } }
						]
					},
					{
						target: 'denied',
						effects: [
							{ type: 'assign', set: { '${key}_failures': 'context.${key}_failures + 1' } },
							{ type: 'emit', event: { type: 'AUDIT', action: 'access.denied', component: '${key}', user: '{{ context.${key}_user }}' } }
						]
					}
				],
				onError: {
					target: 'denied',
					effects: [
						{ type: 'assign', set: { '${key}_failures': 'context.${key}_failures + 1' } },
						{ type: 'emit', event: { type: 'AUDIT', action: 'access.error', component: '${key}', error: '{{ event.error }}' } }
					]
				}
			},
			denied: {
				description: 'Waits for another attempt; locks out after too many failures.',
				always: { target: 'locked', guard: 'context.${key}_failures >= ${maxFailures}' },
				on: { RETRY: { target: 'checking', effects: [{ type: 'assign', set: { '${key}_user': 'event.user' } }] } }
			},
			locked: {
				entry: [{ type: 'emit', event: { type: 'AUDIT', action: 'access.locked', component: '${key}', failures: '{{ context.${key}_failures }}' } }],
				after: { '${lockoutMs}': { target: 'denied', effects: [{ type: 'assign', set: { '${key}_failures': '0' } }] } }
			},
			granted: { type: 'final' }
		}
	},
	layout: { checking: { x: 30, y: 60 }, denied: { x: 280, y: 60 }, locked: { x: 280, y: 170 }, granted: { x: 30, y: 170 } },
	size: { width: 500, height: 250 }
};

const timer = {
	format: 'fsm-studio/component',
	version: 1,
	id: 'timer',
	componentVersion: '1.0.0',
	name: 'Timer',
	category: 'Control',
	description: 'Waits for DONE; sends a reminder after a while, escalates if still nothing happens.',
	key: 'timer',
	params: [
		{ id: 'reminderMs', label: 'Reminder after (ms)', type: 'number', default: 60000, min: 1, step: 1000 },
		{ id: 'escalateMs', label: 'Escalate after the reminder (ms)', type: 'number', default: 240000, min: 1, step: 1000 },
		{ id: 'escalateTo', label: 'Escalate to', type: 'text', default: 'on-call', description: 'Who the ESCALATE event names.' }
	],
	context: {},
	state: {
		type: 'compound',
		description: 'Timeout with a reminder and an escalation.',
		initial: 'waiting',
		states: {
			waiting: { on: { DONE: 'completed' }, after: { '${reminderMs}': { target: 'reminded', effects: [{ type: 'emit', event: { type: 'REMINDER', component: '${key}' } }] } } },
			reminded: { on: { DONE: 'completed' }, after: { '${escalateMs}': { target: 'escalated', effects: [{ type: 'emit', event: { type: 'ESCALATE', to: '${escalateTo}', component: '${key}' } }] } } },
			escalated: { on: { DONE: 'completed' } },
			completed: { type: 'final' }
		}
	},
	layout: { waiting: { x: 30, y: 60 }, reminded: { x: 250, y: 60 }, escalated: { x: 470, y: 60 }, completed: { x: 250, y: 170 } },
	size: { width: 680, height: 250 }
};

const aiStep = {
	format: 'fsm-studio/component',
	version: 1,
	id: 'ai-step',
	componentVersion: '1.0.0',
	name: 'AI step',
	category: 'AI',
	description: 'Asks a model, checks the answer, and asks a fallback model when the first fails or answers too little.',
	key: 'ai_step',
	params: [
		{ id: 'input', label: 'Input (expression)', type: 'text', default: 'event.text', description: 'JSONata giving what the step works on, read when it starts, e.g. event.text.' },
		{ id: 'prompt', label: 'Prompt', type: 'text', default: 'Answer this: {{ context.${key}_input }}', description: 'What to ask; {{ }} inserts values (the input is context.<state name>_input).' },
		{ id: 'model', label: 'Model', type: 'model', default: {} },
		{ id: 'fallback', label: 'Fallback model', type: 'model', default: {} },
		{ id: 'minLength', label: 'Shortest acceptable answer', type: 'number', default: 20, min: 0, step: 1 },
		{ id: 'timeoutMs', label: 'Timeout per try (ms)', type: 'number', default: 30000, min: 1000, step: 1000 }
	],
	context: { '${key}_input': null, '${key}_answer': null },
	state: {
		type: 'compound',
		description: 'think → validate → fallback model → done',
		initial: 'thinking',
		entry: [{ type: 'assign', set: { '${key}_input': '${input}' } }],
		states: {
			thinking: {
				invoke: { type: 'timeout', ms: '${timeoutMs}', effect: { type: 'call_llm', provider: '${model.provider}', model: '${model.model}', prompt: '${prompt}' } },
				onDone: { target: 'validating', effects: [{ type: 'assign', set: { '${key}_answer': 'event.output' } }] },
				onError: 'falling_back'
			},
			validating: { always: [{ target: 'done', guard: '$length($string(context.${key}_answer)) >= ${minLength}' }, { target: 'falling_back' }] },
			falling_back: {
				invoke: { type: 'timeout', ms: '${timeoutMs}', effect: { type: 'call_llm', provider: '${fallback.provider}', model: '${fallback.model}', prompt: '${prompt}' } },
				onDone: { target: 'done', effects: [{ type: 'assign', set: { '${key}_answer': 'event.output' } }] },
				onError: 'failed'
			},
			done: { type: 'final' },
			failed: { type: 'final', output: '{ "failed": true }' }
		}
	},
	layout: { thinking: { x: 30, y: 60 }, validating: { x: 250, y: 60 }, falling_back: { x: 250, y: 170 }, done: { x: 470, y: 60 }, failed: { x: 470, y: 170 } },
	size: { width: 680, height: 250 }
};

const rag = {
	format: 'fsm-studio/component',
	version: 1,
	id: 'rag',
	componentVersion: '1.0.0',
	name: 'RAG',
	category: 'AI',
	description: 'Retrieves passages from a knowledge base, prepares them as numbered sources, and has a model answer from them with citations.',
	key: 'rag',
	params: [
		{ id: 'knowledgeBase', label: 'Knowledge base', type: 'knowledgeBase', default: 'handbook' },
		{ id: 'question', label: 'Question (expression)', type: 'text', default: 'event.question', description: 'JSONata giving the question when the state is entered, e.g. event.question or context.query.' },
		{ id: 'topK', label: 'Passages', type: 'number', default: 5, min: 1, max: 50, step: 1 },
		{ id: 'model', label: 'Model', type: 'model', default: {} }
	],
	context: { '${key}_question': null, '${key}_passages': [], '${key}_sources': '', '${key}_answer': null },
	state: {
		type: 'compound',
		description: 'retrieve → prepare context → generate',
		initial: 'retrieving',
		entry: [{ type: 'assign', set: { '${key}_question': '${question}' } }],
		states: {
			retrieving: {
				invoke: timeout(20000, { type: 'vector_search', collection: '${knowledgeBase}', query: '{{ context.${key}_question }}', topK: '${topK}' }),
				onDone: { target: 'preparing', effects: [{ type: 'assign', set: { '${key}_passages': 'event.output' } }] },
				onError: 'failed'
			},
			preparing: {
				invoke: { type: 'transform', expr: '$join($map(context.${key}_passages, function($p, $i) { "[" & ($i + 1) & "] " & ($exists($p.text) ? $p.text : $string($p)) }), "\\n\\n")' },
				onDone: { target: 'generating', effects: [{ type: 'assign', set: { '${key}_sources': 'event.output' } }] },
				onError: 'failed'
			},
			generating: {
				invoke: timeout(60000, { type: 'call_llm', provider: '${model.provider}', model: '${model.model}', system: 'Answer only from the sources; cite them as [n]; say so when they do not answer.', prompt: 'Sources:\n{{ context.${key}_sources }}\n\nQuestion: {{ context.${key}_question }}' }),
				onDone: { target: 'answered', effects: [{ type: 'assign', set: { '${key}_answer': 'event.output' } }] },
				onError: 'failed'
			},
			answered: { type: 'final' },
			failed: { type: 'final', output: '{ "failed": true }' }
		}
	},
	layout: { retrieving: { x: 30, y: 60 }, preparing: { x: 250, y: 60 }, generating: { x: 470, y: 60 }, answered: { x: 470, y: 170 }, failed: { x: 250, y: 170 } },
	size: { width: 680, height: 250 }
};

const multiAgent = {
	format: 'fsm-studio/component',
	version: 1,
	id: 'multi-agent',
	componentVersion: '1.0.0',
	name: 'Multi-agent',
	category: 'AI',
	description: 'Spawns a team (researcher, critic, writer) on a task, coordinates them in parallel, and synthesizes one answer.',
	key: 'team',
	params: [
		{ id: 'task', label: 'Task (expression)', type: 'text', default: 'event.task', description: 'JSONata giving the task when the state is entered, e.g. event.task.' },
		{ id: 'model', label: 'Model', type: 'model', default: {} },
		{ id: 'timeoutMs', label: 'Timeout (ms)', type: 'number', default: 180000, min: 1000, step: 1000 }
	],
	context: { '${key}_task': null, '${key}_result': null },
	state: {
		type: 'compound',
		description: 'spawn → coordinate → synthesize',
		initial: 'spawning',
		states: {
			spawning: { entry: [{ type: 'assign', set: { '${key}_task': '${task}' } }], always: 'coordinating' },
			coordinating: {
				invoke: {
					type: 'timeout',
					ms: '${timeoutMs}',
					effect: {
						type: 'coordinate_agents',
						strategy: 'parallel',
						synthesizer: 'writer',
						provider: '${model.provider}',
						model: '${model.model}',
						task: '{{ context.${key}_task }}',
						agents: [
							{ name: 'researcher', role: 'finds the facts' },
							{ name: 'critic', role: 'looks for what is wrong or missing' },
							{ name: 'writer', role: 'writes the final answer from the others' }
						]
					}
				},
				onDone: { target: 'synthesized', effects: [{ type: 'assign', set: { '${key}_result': 'event.output.output' } }] },
				onError: 'failed'
			},
			synthesized: { type: 'final' },
			failed: { type: 'final', output: '{ "failed": true }' }
		}
	},
	layout: { spawning: { x: 30, y: 60 }, coordinating: { x: 250, y: 60 }, synthesized: { x: 470, y: 60 }, failed: { x: 470, y: 170 } },
	size: { width: 680, height: 250 }
};

export const BUILTIN_COMPONENTS: unknown[] = [security, timer, aiStep, rag, multiAgent];
