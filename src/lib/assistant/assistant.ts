/**
 * The assistant: draft a workflow from a description, change one by instruction, explain it,
 * review it. Every request goes through the app's chat service (any configured provider,
 * web-llm included), streams, can be cancelled, and reports what it cost. A reply is only
 * ever parsed and checked — nothing in it runs — and no failure escapes as an exception:
 * each method resolves to `{ ok: true, … }` or `{ ok: false, reason, message }`.
 */
import * as Y from 'yjs';
import { readWorkflow } from '../collab/binding';
import type { ChatCall, ChatResult, ChatTarget } from '../ai/llm/chat';
import type { ChatMessage } from '../ai/types';
import type { Problem, Workflow } from '../model/types';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION } from '../model/types';
import { allKinds, type KindInfo } from './catalogue';
import { checkCandidate, problemsText } from './check';
import { previewOps, readOps, type EditOp } from './edits';
import { readJsonReply } from './json';
import { draftSystem, draftUser, editRepairUser, editSystem, editUser, explainMessages, repairUser, reviewMessages } from './prompts';
import { reviewRules, type Finding, type Severity } from './review';
import { draftSchema, editSchema, reviewSchema } from './schema';

/** The chat service's `chat` (or any function with its contract). */
export type ChatFn = (call: ChatCall) => Promise<ChatResult>;

export interface AssistantConfig {
	chat: ChatFn;
	/** Provider/model chain (default: the workspace's default model). */
	targets?: ChatTarget[];
	/** Repair rounds after the first answer (default 3). */
	maxRepairs?: number;
	/** Effect kinds the workspace declares, besides the built-in ones. */
	kinds?: KindInfo[];
	workspaceId?: string;
	/** Sampling temperature for drafts and edits (default 0.2). */
	temperature?: number;
	/** Longest answer (default 8,000 tokens). */
	maxTokens?: number;
}

export interface RequestOptions {
	signal?: AbortSignal;
	/** Streamed text of the current model call (a new call starts from nothing: see `onStatus`). */
	onText?: (delta: string) => void;
	onStatus?: (status: AssistantStatus) => void;
	/** The workflow the request is about, for the usage records. */
	workflowId?: string;
}

export interface AssistantStatus {
	phase: 'asking' | 'checking' | 'repairing' | 'done';
	/** 0 for the first answer, then the repair round. */
	round: number;
	maxRepairs: number;
}

/** What a request cost, over all its model calls (failed attempts included). */
export interface Spend {
	calls: number;
	inputTokens: number;
	outputTokens: number;
	costUsd: number;
	/** Some figures were estimated (the provider sent none). */
	estimated: boolean;
	/** Who answered last. */
	provider?: string;
	model?: string;
}

/** One answer that did not pass, and why (shown as the repair history). */
export interface Round {
	round: number;
	problems: string[];
}

export type FailureReason = 'cancelled' | 'no_provider' | 'provider' | 'budget' | 'invalid';

export interface Failure {
	ok: false;
	reason: FailureReason;
	/** In the user's words, with what to do. */
	message: string;
	spend: Spend;
	rounds: Round[];
}

export type DraftResult =
	| { ok: true; workflow: Workflow; summary: string; warnings: Problem[]; spend: Spend; rounds: Round[] }
	| Failure;

export type EditResult =
	| { ok: true; operations: EditOp[]; workflow: Workflow; summary: string; warnings: Problem[]; spend: Spend; rounds: Round[] }
	| Failure;

export type ExplainResult = { ok: true; text: string; spend: Spend } | Failure;

export interface ReviewFinding extends Finding {}

export type ReviewResult = { ok: true; summary: string; findings: ReviewFinding[]; modelNote?: string; spend: Spend } | Failure;

export interface Assistant {
	draft(description: string, options?: RequestOptions & { current?: Workflow; id?: string }): Promise<DraftResult>;
	edit(source: Workflow | Y.Doc, instruction: string, options?: RequestOptions & { selection?: string[] }): Promise<EditResult>;
	explain(wf: Workflow, options?: RequestOptions & { question?: string }): Promise<ExplainResult>;
	review(wf: Workflow, options?: RequestOptions): Promise<ReviewResult>;
}

const emptySpend = (): Spend => ({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false });

function addSpend(s: Spend, r: ChatResult): void {
	s.calls += r.attempts.length || 1;
	s.inputTokens += r.totalUsage.inputTokens;
	s.outputTokens += r.totalUsage.outputTokens;
	s.costUsd += r.totalUsage.costUsd;
	s.estimated ||= r.totalUsage.estimated;
	s.provider = r.provider;
	s.model = r.model;
}

/** Turns what `chat` threw into a failure the panel can show. */
function failureOf(e: unknown, signal: AbortSignal | undefined, spend: Spend, rounds: Round[]): Failure {
	if (signal?.aborted) return { ok: false, reason: 'cancelled', message: 'Cancelled — nothing was changed.', spend, rounds };
	const err = e as { name?: string; message?: string };
	if (err?.name === 'NoProviderError') return { ok: false, reason: 'no_provider', message: err.message ?? 'No provider configured — add one in Settings → Providers.', spend, rounds };
	if (err?.name === 'BudgetExceededError') return { ok: false, reason: 'budget', message: err.message ?? 'The budget would be exceeded.', spend, rounds };
	const msg = err?.message ?? String(e);
	return { ok: false, reason: 'provider', message: `The model could not be reached: ${msg}`, spend, rounds };
}

const slug = (s: string) =>
	s
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 48) || 'workflow';

/** The workflow inside a draft reply, made a document: format, version, id; no layout. */
function workflowOfReply(value: unknown, id?: string): unknown {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
	const v = value as Record<string, unknown>;
	const wf = v.workflow && typeof v.workflow === 'object' && !Array.isArray(v.workflow) ? (v.workflow as Record<string, unknown>) : 'states' in v ? v : undefined;
	if (!wf) return undefined;
	const out: Record<string, unknown> = { ...wf };
	out.format ??= WORKFLOW_FORMAT;
	out.version ??= WORKFLOW_VERSION;
	const name = typeof out.name === 'string' && out.name.trim() ? out.name : 'Drafted workflow';
	out.name = name;
	out.id = id ?? (typeof out.id === 'string' && out.id ? out.id : slug(name));
	delete out.layout;
	delete out.$schema;
	return out;
}

const summaryOf = (v: unknown): string => {
	const s = v && typeof v === 'object' ? (v as { summary?: unknown }).summary : undefined;
	return typeof s === 'string' ? s.trim() : '';
};

/** Creates an assistant over a chat function. */
export function createAssistant(config: AssistantConfig): Assistant {
	const kinds = allKinds(config.kinds);
	const kindNames = kinds.map((k) => k.type);
	const maxRepairs = Math.max(0, config.maxRepairs ?? 3);

	async function ask(messages: ChatMessage[], schema: Record<string, unknown> | undefined, spend: Spend, o: RequestOptions, json = true): Promise<ChatResult> {
		const r = await config.chat({
			request: {
				messages,
				temperature: json ? (config.temperature ?? 0.2) : 0.3,
				maxTokens: config.maxTokens ?? 8000,
				...(schema ? { responseSchema: schema } : {})
			},
			...(config.targets?.length ? { targets: config.targets } : {}),
			...(config.workspaceId ? { workspaceId: config.workspaceId } : {}),
			...(o.signal ? { signal: o.signal } : {}),
			...(o.onText ? { onText: o.onText } : {}),
			usage: { caller: 'assistant', ...(o.workflowId ? { workflowId: o.workflowId } : {}) }
		});
		addSpend(spend, r);
		return r;
	}

	async function draft(description: string, o: RequestOptions & { current?: Workflow; id?: string } = {}): Promise<DraftResult> {
		const spend = emptySpend();
		const rounds: Round[] = [];
		if (!description.trim()) return { ok: false, reason: 'invalid', message: 'Describe the workflow you want first.', spend, rounds };
		const messages: ChatMessage[] = [
			{ role: 'system', content: draftSystem(kinds) },
			{ role: 'user', content: draftUser(description, o.current) }
		];
		const schema = draftSchema(kindNames);
		for (let round = 0; round <= maxRepairs; round++) {
			o.onStatus?.({ phase: round === 0 ? 'asking' : 'repairing', round, maxRepairs });
			let reply: ChatResult;
			try {
				reply = await ask(messages, schema, spend, o);
			} catch (e) {
				return failureOf(e, o.signal, spend, rounds);
			}
			o.onStatus?.({ phase: 'checking', round, maxRepairs });
			const read = readJsonReply(reply.text);
			let problems: string[];
			let errors: Problem[] = [];
			if (!read.ok) problems = [`The answer is not the JSON object asked for: ${read.message}.`];
			else {
				const candidate = workflowOfReply(read.value, o.id);
				if (candidate === undefined) problems = ['The answer has no "workflow" object.'];
				else {
					const checked = checkCandidate(candidate, kinds);
					if (checked.workflow && checked.errors.length === 0) {
						o.onStatus?.({ phase: 'done', round, maxRepairs });
						return { ok: true, workflow: checked.workflow, summary: summaryOf(read.value), warnings: checked.warnings, spend, rounds };
					}
					errors = checked.errors;
					problems = checked.errors.map((p) => p.message);
				}
			}
			rounds.push({ round, problems });
			if (round === maxRepairs) break;
			messages.push({ role: 'assistant', content: reply.text.slice(0, 200_000) });
			messages.push({ role: 'user', content: repairUser(errors.length ? problemsText(errors) : problems.join('\n'), round + 1, maxRepairs) });
		}
		const last = rounds.at(-1)?.problems ?? [];
		return {
			ok: false,
			reason: 'invalid',
			message: `The model did not manage a valid workflow${maxRepairs ? ` after ${maxRepairs} repair round${maxRepairs === 1 ? '' : 's'}` : ''}; nothing was changed. Still wrong: ${last.slice(0, 3).join(' ')}${last.length > 3 ? ` (and ${last.length - 3} more)` : ''} Try a more specific description, or another model.`,
			spend,
			rounds
		};
	}

	async function edit(source: Workflow | Y.Doc, instruction: string, o: RequestOptions & { selection?: string[] } = {}): Promise<EditResult> {
		const spend = emptySpend();
		const rounds: Round[] = [];
		if (!instruction.trim()) return { ok: false, reason: 'invalid', message: 'Say what to change first.', spend, rounds };
		const beforeWf = source instanceof Y.Doc ? readWorkflow(source) : source;
		const known = new Set(checkCandidate(beforeWf, kinds).errors.map((p) => p.message));
		const messages: ChatMessage[] = [
			{ role: 'system', content: editSystem(kinds) },
			{ role: 'user', content: editUser(beforeWf, instruction, o.selection) }
		];
		const schema = editSchema(kindNames);
		for (let round = 0; round <= maxRepairs; round++) {
			o.onStatus?.({ phase: round === 0 ? 'asking' : 'repairing', round, maxRepairs });
			let reply: ChatResult;
			try {
				reply = await ask(messages, schema, spend, o);
			} catch (e) {
				return failureOf(e, o.signal, spend, rounds);
			}
			o.onStatus?.({ phase: 'checking', round, maxRepairs });
			const read = readJsonReply(reply.text);
			let problems: string[] = [];
			if (!read.ok) problems = [`The answer is not the JSON object asked for: ${read.message}.`];
			else {
				const v = read.value as { operations?: unknown };
				const list = Array.isArray(read.value) ? read.value : v && typeof v === 'object' ? v.operations : undefined;
				const ops = readOps(list ?? null);
				if (!ops.ok) problems = ops.errors;
				else if (ops.ops.length === 0) problems = ['The list of operations is empty: nothing would change.'];
				else {
					const applied = previewOps(source, ops.ops);
					if (!applied.ok) problems = [`Operation ${applied.index + 1} (${ops.ops[applied.index].op}) fails: ${applied.message}`];
					else {
						const checked = checkCandidate(applied.workflow, kinds);
						const fresh = checked.errors.filter((p) => !known.has(p.message));
						if (checked.workflow && fresh.length === 0) {
							o.onStatus?.({ phase: 'done', round, maxRepairs });
							return { ok: true, operations: ops.ops, workflow: applied.workflow, summary: summaryOf(read.value), warnings: checked.warnings, spend, rounds };
						}
						problems = fresh.length ? [`After the operations the workflow has these problems:`, problemsText(fresh)] : ['The result could not be read back.'];
					}
				}
			}
			rounds.push({ round, problems });
			if (round === maxRepairs) break;
			messages.push({ role: 'assistant', content: reply.text.slice(0, 200_000) });
			messages.push({ role: 'user', content: editRepairUser(problems.join('\n'), round + 1, maxRepairs) });
		}
		const last = rounds.at(-1)?.problems ?? [];
		return {
			ok: false,
			reason: 'invalid',
			message: `The model did not manage a change that works${maxRepairs ? ` after ${maxRepairs} repair round${maxRepairs === 1 ? '' : 's'}` : ''}; nothing was changed. ${last.slice(0, 2).join(' ')} Try saying it more precisely (name the states), or another model.`,
			spend,
			rounds
		};
	}

	async function explain(wf: Workflow, o: RequestOptions & { question?: string } = {}): Promise<ExplainResult> {
		const spend = emptySpend();
		o.onStatus?.({ phase: 'asking', round: 0, maxRepairs: 0 });
		try {
			const r = await ask(explainMessages(wf, o.question), undefined, spend, o, false);
			o.onStatus?.({ phase: 'done', round: 0, maxRepairs: 0 });
			return { ok: true, text: r.text.trim(), spend };
		} catch (e) {
			return failureOf(e, o.signal, spend, []);
		}
	}

	async function review(wf: Workflow, o: RequestOptions = {}): Promise<ReviewResult> {
		const spend = emptySpend();
		const found = reviewRules(wf);
		const foundText = found.map((f, i) => `${i + 1}. [${f.severity}] ${f.title}: ${f.detail}`).join('\n');
		o.onStatus?.({ phase: 'asking', round: 0, maxRepairs: 0 });
		let reply: ChatResult;
		try {
			reply = await ask(reviewMessages(wf, foundText), reviewSchema(), spend, o);
		} catch (e) {
			return failureOf(e, o.signal, spend, []);
		}
		o.onStatus?.({ phase: 'done', round: 0, maxRepairs: 0 });
		const read = readJsonReply(reply.text);
		const model: ReviewFinding[] = [];
		let summary = '';
		let modelNote: string | undefined;
		if (!read.ok) modelNote = `The model's review could not be read (${read.message}); the automatic checks are shown.`;
		else {
			const v = read.value as { summary?: unknown; findings?: unknown };
			summary = typeof v?.summary === 'string' ? v.summary : '';
			const list = Array.isArray(v?.findings) ? v.findings : [];
			for (const f of list.slice(0, 12)) {
				if (!f || typeof f !== 'object') continue;
				const x = f as Record<string, unknown>;
				const sev: Severity = x.severity === 'high' || x.severity === 'medium' || x.severity === 'low' ? x.severity : 'low';
				const title = typeof x.title === 'string' ? x.title.slice(0, 200) : '';
				const detail = typeof x.detail === 'string' ? x.detail.slice(0, 1000) : '';
				if (!title && !detail) continue;
				model.push({
					rule: 'model',
					severity: sev,
					title: title || detail.slice(0, 60),
					detail,
					...(typeof x.state === 'string' && x.state ? { state: x.state } : {}),
					...(typeof x.fix === 'string' && x.fix ? { fix: x.fix.slice(0, 500) } : {}),
					source: 'model'
				});
			}
		}
		const order: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
		return { ok: true, summary, findings: [...found, ...model].sort((a, b) => order[a.severity] - order[b.severity]), ...(modelNote ? { modelNote } : {}), spend };
	}

	return { draft, edit, explain, review };
}
