/**
 * `create_ai_workflow` without an assistant: picks the template that best fits the
 * description (answering, documents, agents, triage, review, tools) and fills it in.
 * Deterministic, so the same description always gives the same workflow.
 */
import { parseWorkflow, lintWorkflow } from '../../model';
import type { Problem, Workflow } from '../../model/types';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from '../../model/types';

export interface TemplateInfo {
	id: string;
	name: string;
	/** Words that make a description fit this template. */
	keywords: string[];
	build(t: { id: string; name: string; description: string; task: string }): Omit<Workflow, 'format' | 'version' | 'id' | 'name' | 'description'>;
}

const answer: TemplateInfo = {
	id: 'answer',
	name: 'Answer with a model',
	keywords: ['answer', 'reply', 'chat', 'write', 'summar', 'translat', 'generate', 'draft', 'explain', 'question'],
	build: ({ task }) => ({
		initial: 'idle',
		context: { question: null, answer: null, error: null },
		states: {
			idle: { on: { ASK: { target: 'answering', guard: '$exists(event.text)', effects: [{ type: 'assign', set: { question: 'event.text' } }] } } },
			answering: {
				invoke: {
					type: 'retry',
					maxAttempts: 3,
					effect: { type: 'timeout', ms: 60000, effect: { type: 'call_llm', system: task, prompt: '{{ context.question }}', temperature: 0.3 } }
				},
				onDone: { target: 'answered', effects: [{ type: 'assign', set: { answer: 'event.output' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
			},
			answered: { on: { ASK: { target: 'answering', effects: [{ type: 'assign', set: { question: 'event.text' } }] } } },
			failed: { on: { RETRY: 'answering' } }
		},
		layout: { idle: { x: 0, y: 0 }, answering: { x: 240, y: 0 }, answered: { x: 480, y: -80 }, failed: { x: 480, y: 80 } }
	})
};

const documents: TemplateInfo = {
	id: 'rag',
	name: 'Answer from documents',
	keywords: ['document', 'docs', 'knowledge', 'rag', 'retriev', 'search', 'faq', 'manual', 'source', 'cite', 'citation', 'pdf', 'wiki'],
	build: () => ({
		initial: 'idle',
		context: { question: null, answer: null, sources: [], error: null },
		states: {
			idle: { on: { ASK: { target: 'retrieving', guard: '$exists(event.text)', effects: [{ type: 'assign', set: { question: 'event.text' } }] } } },
			retrieving: {
				invoke: { type: 'rag', question: '{{ context.question }}', collection: 'docs', topK: 5, citations: true },
				onDone: { target: 'answered', effects: [{ type: 'assign', set: { answer: 'event.output.answer', sources: 'event.output.sources' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
			},
			answered: { on: { ASK: { target: 'retrieving', effects: [{ type: 'assign', set: { question: 'event.text' } }] } } },
			failed: { on: { RETRY: 'retrieving' } }
		},
		layout: { idle: { x: 0, y: 0 }, retrieving: { x: 240, y: 0 }, answered: { x: 480, y: -80 }, failed: { x: 480, y: 80 } }
	})
};

const agents: TemplateInfo = {
	id: 'agents',
	name: 'Agents working together',
	keywords: ['agent', 'team', 'research', 'debate', 'supervisor', 'collaborat', 'critic', 'planner', 'multi'],
	build: ({ task }) => ({
		initial: 'idle',
		context: { task: null, result: null, error: null },
		states: {
			idle: { on: { START: { target: 'working', effects: [{ type: 'assign', set: { task: '$exists(event.task) ? event.task : ' + JSON.stringify(task) } }] } } },
			working: {
				invoke: {
					type: 'coordinate_agents',
					task: '{{ context.task }}',
					strategy: 'supervisor',
					maxRounds: 5,
					agents: [
						{ name: 'planner', role: 'Breaks the task into steps' },
						{ name: 'worker', role: 'Carries out the steps' },
						{ name: 'reviewer', role: 'Checks the result and asks for fixes' }
					]
				},
				onDone: { target: 'done', effects: [{ type: 'assign', set: { result: 'event.output' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
			},
			done: { type: 'final', output: 'context.result' },
			failed: { on: { RETRY: 'working' } }
		},
		layout: { idle: { x: 0, y: 0 }, working: { x: 240, y: 0 }, done: { x: 480, y: -80 }, failed: { x: 480, y: 80 } }
	})
};

const triage: TemplateInfo = {
	id: 'triage',
	name: 'Classify and route',
	keywords: ['classif', 'triage', 'route', 'routing', 'ticket', 'support', 'categor', 'sort', 'label', 'inbox', 'email'],
	build: ({ task }) => ({
		initial: 'waiting',
		context: { item: null, category: null, result: null },
		states: {
			waiting: { on: { ITEM: { target: 'classifying', effects: [{ type: 'assign', set: { item: 'event' } }] } } },
			classifying: {
				invoke: {
					type: 'retry',
					maxAttempts: 3,
					effect: {
						type: 'call_llm',
						system: `${task}\nAnswer only with JSON: {"category": "a" | "b" | "other"}.`,
						prompt: '{{ $string(context.item) }}',
						json: true,
						temperature: 0
					}
				},
				onDone: { target: 'routing', effects: [{ type: 'assign', set: { category: 'event.output.category' } }] },
				onError: 'human_review'
			},
			routing: {
				always: [
					{ target: 'handled', guard: "context.category in ['a', 'b']" },
					{ target: 'human_review' }
				]
			},
			human_review: { tags: ['needs-human'], on: { RESOLVE: { target: 'handled', effects: [{ type: 'assign', set: { result: 'event.result' } }] } } },
			handled: { type: 'final', output: "{ 'category': context.category, 'result': context.result }" }
		},
		layout: { waiting: { x: 0, y: 0 }, classifying: { x: 240, y: 0 }, routing: { x: 480, y: 0 }, human_review: { x: 720, y: 120 }, handled: { x: 960, y: 0 } }
	})
};

const review: TemplateInfo = {
	id: 'review',
	name: 'Draft, then a person approves',
	keywords: ['approv', 'review', 'human', 'sign off', 'publish', 'moderat', 'check by', 'manager'],
	build: ({ task }) => ({
		initial: 'idle',
		context: { request: null, draft: null, feedback: null },
		states: {
			idle: { on: { REQUEST: { target: 'drafting', effects: [{ type: 'assign', set: { request: 'event.text' } }] } } },
			drafting: {
				invoke: { type: 'call_llm', system: task, prompt: '{{ context.request }}{{ context.feedback ? "\\n\\nReviewer feedback: " & context.feedback : "" }}' },
				onDone: { target: 'in_review', effects: [{ type: 'assign', set: { draft: 'event.output' } }] },
				onError: 'failed'
			},
			in_review: {
				tags: ['needs-human'],
				on: {
					APPROVE: 'published',
					REJECT: { target: 'drafting', effects: [{ type: 'assign', set: { feedback: 'event.feedback' } }] }
				}
			},
			published: { type: 'final', output: 'context.draft' },
			failed: { on: { RETRY: 'drafting' } }
		},
		layout: { idle: { x: 0, y: 0 }, drafting: { x: 240, y: 0 }, in_review: { x: 480, y: 0 }, published: { x: 720, y: -80 }, failed: { x: 480, y: 160 } }
	})
};

const tools: TemplateInfo = {
	id: 'tool',
	name: 'Call a tool, then summarise',
	keywords: ['tool', 'mcp', 'api', 'fetch', 'webhook', 'call', 'lookup', 'weather', 'crm'],
	build: ({ task }) => ({
		initial: 'idle',
		context: { input: null, data: null, summary: null, error: null },
		states: {
			idle: { on: { RUN: { target: 'fetching', effects: [{ type: 'assign', set: { input: 'event' } }] } } },
			fetching: {
				invoke: { type: 'retry', maxAttempts: 3, effect: { type: 'http', method: 'GET', url: 'https://example.com/api?q={{ context.input.query }}' } },
				onDone: { target: 'summarising', effects: [{ type: 'assign', set: { data: 'event.output' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
			},
			summarising: {
				invoke: { type: 'call_llm', system: task, prompt: 'Summarise for the user: {{ $string(context.data) }}' },
				onDone: { target: 'done', effects: [{ type: 'assign', set: { summary: 'event.output' } }] },
				onError: { target: 'failed', effects: [{ type: 'assign', set: { error: 'event.error' } }] }
			},
			done: { type: 'final', output: 'context.summary' },
			failed: { on: { RETRY: 'fetching' } }
		},
		layout: { idle: { x: 0, y: 0 }, fetching: { x: 240, y: 0 }, summarising: { x: 480, y: 0 }, done: { x: 720, y: -80 }, failed: { x: 480, y: 160 } }
	})
};

export const workflowTemplates: TemplateInfo[] = [triage, documents, agents, review, tools, answer];

/** Lower-case words of a description, for matching keywords. */
function score(t: TemplateInfo, text: string): number {
	let s = 0;
	for (const k of t.keywords) if (text.includes(k)) s += 1;
	return s;
}

/** The template that fits a description best (`answer` when nothing stands out). */
export function pickTemplate(description: string, templateId?: string): TemplateInfo {
	if (templateId) {
		const t = workflowTemplates.find((x) => x.id === templateId);
		if (t) return t;
	}
	const text = description.toLowerCase();
	let best = answer;
	let bestScore = 0;
	for (const t of workflowTemplates) {
		const s = score(t, text);
		if (s > bestScore) [best, bestScore] = [t, s];
	}
	return best;
}

export function slugify(text: string, fallback = 'workflow'): string {
	const s = text
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 40)
		.replace(/-+$/, '');
	return s || fallback;
}

/** A short name from the description's first sentence. */
export function nameFrom(description: string): string {
	const first = description.trim().split(/(?<=[.!?])\s|\n/)[0] ?? '';
	const clean = first.replace(/[.!?]+$/, '').trim();
	if (!clean) return 'AI workflow';
	const cut = clean.length > 60 ? `${clean.slice(0, 57).replace(/\s+\S*$/, '')}…` : clean;
	return cut.charAt(0).toUpperCase() + cut.slice(1);
}

export interface TemplateWorkflow {
	workflow: Workflow;
	template: string;
	problems: Problem[];
}

/** Builds a workflow for a description from the best-fitting template (or the one named). */
export function workflowFromTemplate(description: string, options: { name?: string; id?: string; template?: string } = {}): TemplateWorkflow {
	const t = pickTemplate(description, options.template);
	const name = options.name?.trim() || nameFrom(description);
	const id = options.id?.trim() || slugify(name);
	const task = description.trim() || 'You are a helpful assistant.';
	const wf = {
		format: WORKFLOW_FORMAT,
		version: WORKFLOW_VERSION,
		id,
		name,
		description: task,
		...t.build({ id, name, description: task, task })
	} as Workflow;
	const parsed = parseWorkflow(wf);
	if (!parsed.ok) throw new Error(`Template ${t.id} is broken: ${parsed.errors.map((e) => e.message).join('; ')}`);
	return { workflow: parsed.workflow, template: t.id, problems: lintWorkflow(parsed.workflow).filter((p) => p.severity === 'error') };
}
