/**
 * State of the Assistant panel (Svelte 5 runes): which model answers, the request running
 * (streamed text, phase, cancel), the proposal being previewed on the canvas, explanations,
 * review findings and what each request cost. The pure work is in `src/lib/assistant`; this
 * file only connects it to the open document: a draft is applied with the collaboration
 * layer's `applyWorkflow`, an edit with the designer's own operations — each one Yjs
 * transaction with the LOCAL origin, so one undo step that other tabs and peers receive.
 */
import type * as Y from 'yjs';
import type { Workflow } from '../../model/types';
import type { DraftResult, EditOp, EditResult, Finding, Preview, Round, Spend, AssistantStatus } from '../../assistant';
import type { ChatTarget } from '../../ai/llm/chat';
import { LOCAL, readWorkflow } from '../../collab/binding';

export type Mode = 'draft' | 'edit' | 'explain' | 'review';

/** What the assistant needs of the designer's session. */
export interface AssistantHost {
	readonly doc: Y.Doc;
	readonly workflow: Workflow;
	readonly selectedNodes: Set<string>;
	revealElement(target: { node?: string; edge?: string }): void;
	/** Shows a proposal on the canvas instead of the document (null: the document again). */
	setPreview(preview: { workflow: Workflow; overlay: PreviewOverlay } | null): void;
	/** Ends the current undo step, so what follows is a step of its own. */
	endUndoStep(): void;
}

export interface PreviewOverlay {
	classes: Record<string, string>;
	badges: Record<string, string>;
	edgeClasses: Record<string, string>;
	edgeBadges: Record<string, string>;
}

export interface Proposal {
	kind: 'draft' | 'edit';
	/** What the document becomes on Accept. */
	workflow: Workflow;
	preview: Preview;
	summary: string;
	/** Edit: the operations, in words. */
	steps: string[];
	ops?: EditOp[];
	warnings: string[];
	rounds: Round[];
	/** The document when the proposal was made (to notice changes made meanwhile). */
	basis: string;
}

export interface ProviderOption {
	id: string;
	name: string;
	kind: string;
	defaultModel?: string;
	models: string[];
}

const TARGET_KEY = 'fsm-assistant:target';
const MARK_CLASS = { added: 'ai-added', changed: 'ai-changed', removed: 'ai-removed' } as const;
const MARK_BADGE = { added: '+ new', changed: '~ changed', removed: '− removed' } as const;

function loadTarget(): ChatTarget | undefined {
	try {
		const v = JSON.parse(localStorage.getItem(TARGET_KEY) ?? 'null');
		return v && typeof v.provider === 'string' ? v : undefined;
	} catch {
		return undefined;
	}
}

function saveTarget(t: ChatTarget | undefined) {
	try {
		if (t) localStorage.setItem(TARGET_KEY, JSON.stringify(t));
		else localStorage.removeItem(TARGET_KEY);
	} catch {
		// storage refused (private mode, an iframe): the choice lasts for this page
	}
}

const emptySpend = (): Spend => ({ calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false });

export class AssistantController {
	mode = $state<Mode>('draft');
	input = $state('');
	busy = $state(false);
	status = $state<AssistantStatus | null>(null);
	/** Text streamed by the current model call. */
	stream = $state('');
	error = $state<string | null>(null);
	notice = $state<string | null>(null);
	proposal = $state.raw<Proposal | null>(null);
	explanation = $state('');
	findings = $state.raw<Finding[] | null>(null);
	reviewSummary = $state('');
	/** Cost of the last request, and of every request since the page opened. */
	lastSpend = $state.raw<Spend | null>(null);
	totalSpend = $state.raw<Spend>(emptySpend());
	providers = $state.raw<ProviderOption[]>([]);
	providersLoaded = $state(false);
	target = $state.raw<ChatTarget | undefined>(loadTarget());
	private abort: AbortController | null = null;

	constructor(readonly host: AssistantHost) {}

	/** Reads the providers of Settings → Providers (the panel shows an empty state without any). */
	async loadProviders(): Promise<void> {
		try {
			const { listProviders } = await import('../../ai/settings/providers');
			const list = await listProviders();
			this.providers = list.map((p) => ({ id: p.id, name: p.name, kind: p.kind, ...(p.defaultModel ? { defaultModel: p.defaultModel } : {}), models: p.models ?? [] }));
			if (this.target && !this.providers.some((p) => p.id === this.target!.provider)) this.setTarget(undefined);
			// What a request needs loads while the user types, not after Send (on a slow device
			// these chunks, the price table above all, took seconds between the click and the answer).
			if (this.providers.length) {
				const priced = this.providers.some((p) => p.kind !== 'webllm');
				void Promise.all([
					import('../../assistant'),
					import('../../ai/llm/chat'),
					priced ? import('../../ai/usage/prices').then((m) => m.loadPrices()) : null
				]).catch(() => {});
			}
		} catch {
			this.providers = [];
		} finally {
			this.providersLoaded = true;
		}
	}

	setTarget(t: ChatTarget | undefined) {
		this.target = t;
		saveTarget(t);
	}

	setMode(m: Mode) {
		if (this.busy) return;
		this.mode = m;
		this.error = null;
		this.notice = null;
	}

	private async assistant() {
		const [{ createAssistant }, { chat }] = await Promise.all([import('../../assistant'), import('../../ai/llm/chat')]);
		return createAssistant({ chat, ...(this.target ? { targets: [this.target] } : {}) });
	}

	private begin() {
		this.abort?.abort();
		this.abort = new AbortController();
		this.busy = true;
		this.error = null;
		this.notice = null;
		this.stream = '';
		this.status = null;
		return this.abort.signal;
	}

	private end(spend: Spend) {
		this.busy = false;
		this.abort = null;
		this.status = null;
		this.lastSpend = spend;
		const t = this.totalSpend;
		this.totalSpend = { calls: t.calls + spend.calls, inputTokens: t.inputTokens + spend.inputTokens, outputTokens: t.outputTokens + spend.outputTokens, costUsd: t.costUsd + spend.costUsd, estimated: t.estimated || spend.estimated };
	}

	private options(signal: AbortSignal) {
		return {
			signal,
			workflowId: this.host.workflow.id,
			onText: (d: string) => {
				this.stream += d;
			},
			onStatus: (s: AssistantStatus) => {
				// a new model call (a repair round) starts its text from nothing
				if (s.phase === 'asking' || s.phase === 'repairing') this.stream = '';
				this.status = s;
			}
		};
	}

	/** Cancels the request running; nothing is changed. */
	cancel() {
		this.abort?.abort();
	}

	/** Runs the current mode with the text typed. */
	async run(): Promise<void> {
		if (this.busy) return;
		if (this.proposal) this.discard();
		const text = this.input.trim();
		if ((this.mode === 'draft' || this.mode === 'edit') && !text) {
			this.error = this.mode === 'draft' ? 'Describe the workflow you want, e.g. “classify support emails and draft a reply; escalate angry ones to a person”.' : 'Say what to change, e.g. “wrap the HTTP call in a retry with 3 attempts”.';
			return;
		}
		if (this.mode === 'edit' && Object.keys(this.host.workflow.states ?? {}).length === 0) {
			this.error = 'The canvas is empty: draft a workflow first, or add states.';
			return;
		}
		const signal = this.begin();
		try {
			const a = await this.assistant();
			const wf = readWorkflow(this.host.doc);
			if (this.mode === 'draft') this.showDraft(await a.draft(text, { ...this.options(signal), current: wf, id: wf.id }), wf);
			else if (this.mode === 'edit') this.showEdit(await a.edit(this.host.doc, text, { ...this.options(signal), selection: [...this.host.selectedNodes] }), wf);
			else if (this.mode === 'explain') {
				this.explanation = '';
				const r = await a.explain(wf, { ...this.options(signal), ...(text ? { question: text } : {}) });
				if (r.ok) this.explanation = r.text;
				else this.fail(r.message, r.reason);
				this.end(r.spend);
			} else {
				this.findings = null;
				const r = await a.review(wf, this.options(signal));
				if (r.ok) {
					this.findings = r.findings;
					this.reviewSummary = r.summary;
					if (r.modelNote) this.notice = r.modelNote;
				} else this.fail(r.message, r.reason);
				this.end(r.spend);
			}
		} catch (e) {
			// the assistant never throws for a model's answer; this is a bug or a failed import
			this.fail(`Something went wrong: ${(e as Error).message}`);
			this.end(emptySpend());
		}
	}

	private fail(message: string, reason?: string) {
		if (reason === 'cancelled') this.notice = message;
		else this.error = message;
	}

	private showDraft(r: DraftResult, before: Workflow) {
		this.end(r.spend);
		if (!r.ok) return this.fail(r.message, r.reason);
		void this.propose('draft', before, this.placedDraft(r.workflow, before), r.summary, [], r.warnings.map((w) => w.message), r.rounds);
	}

	private showEdit(r: EditResult, before: Workflow) {
		this.end(r.spend);
		if (!r.ok) return this.fail(r.message, r.reason);
		void import('../../assistant').then(({ describeOp }) =>
			this.propose('edit', before, r.workflow, r.summary, r.operations.map(describeOp), r.warnings.map((w) => w.message), r.rounds, r.operations)
		);
	}

	/** The draft as it will be written: this workflow's id, positions kept where states stay. */
	private placedDraft(draft: Workflow, before: Workflow): Workflow {
		const keep = Object.fromEntries(Object.entries(before.layout ?? {}).filter(([p]) => pathExists(draft, p)));
		const named = before.name && before.name !== 'Untitled workflow' ? before.name : draft.name;
		return { ...draft, id: before.id, name: named, layout: keep };
	}

	private async propose(kind: Proposal['kind'], before: Workflow, after: Workflow, summary: string, steps: string[], warnings: string[], rounds: Round[], ops?: EditOp[]) {
		const { buildPreview, withLayout } = await import('../../assistant');
		const workflow = withLayout(after);
		const preview = buildPreview(before, workflow);
		this.proposal = { kind, workflow, preview, summary, steps: steps.length ? steps : preview.changes, ...(ops ? { ops } : {}), warnings, rounds, basis: JSON.stringify(before) };
		const overlay: PreviewOverlay = { classes: {}, badges: {}, edgeClasses: {}, edgeBadges: {} };
		for (const [p, m] of Object.entries(preview.marks.states)) {
			overlay.classes[p] = MARK_CLASS[m];
			overlay.badges[p] = MARK_BADGE[m];
		}
		for (const [t, m] of Object.entries(preview.marks.transitions)) overlay.edgeClasses[t] = MARK_CLASS[m];
		this.host.setPreview({ workflow: preview.workflow, overlay });
	}

	/** Applies the proposal: one undo step, seen by everyone in the room. */
	async accept(): Promise<boolean> {
		const p = this.proposal;
		if (!p) return false;
		const doc = this.host.doc;
		this.host.endUndoStep();
		try {
			if (p.kind === 'draft') {
				const { applyWorkflow } = await import('../../collab/history');
				applyWorkflow(doc, p.workflow, LOCAL);
			} else {
				const { applyOps } = await import('../../assistant');
				const r = applyOps(doc, p.ops ?? [], LOCAL);
				if (!r.ok) {
					this.error = `The workflow changed since this was proposed, and step ${r.index + 1} no longer fits (${r.message}). Ask again.`;
					this.clearProposal();
					return false;
				}
			}
		} catch (e) {
			this.error = `The change could not be applied: ${(e as Error).message}. Nothing was changed.`;
			this.clearProposal();
			return false;
		}
		this.host.endUndoStep();
		this.notice = p.kind === 'draft' ? 'Draft applied — Undo (Ctrl+Z) takes it back in one step.' : 'Change applied — Undo (Ctrl+Z) takes it back in one step.';
		this.clearProposal();
		return true;
	}

	/** Drops the proposal; the document was never touched. */
	discard() {
		if (!this.proposal) return;
		this.clearProposal();
		this.notice = 'Discarded — the workflow is as it was.';
	}

	/** Whether the document changed after the proposal was made. */
	get stale(): boolean {
		return !!this.proposal && JSON.stringify(this.host.workflow) !== this.proposal.basis;
	}

	private clearProposal() {
		this.proposal = null;
		this.host.setPreview(null);
	}

	/** Turns a review finding into an edit request, and runs it. */
	fix(f: Finding) {
		if (!f.fix || this.busy) return;
		this.mode = 'edit';
		this.input = f.fix;
		void this.run();
	}

	dispose() {
		this.abort?.abort();
		this.host.setPreview(null);
	}
}

function pathExists(wf: Workflow, path: string): boolean {
	let states: Workflow['states'] | undefined = wf.states;
	for (const k of path.split('.')) {
		const s: Workflow["states"][string] | undefined = states?.[k];
		if (!s) return false;
		states = s.states;
	}
	return true;
}
