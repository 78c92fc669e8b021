/**
 * The assistant's evaluation (`npm run eval:assistant`): each description is drafted with the
 * repair loop, and what comes back is checked again on its own — parsed with `parseWorkflow`,
 * linted, effect parameters checked — so the shares reported do not take the assistant's word.
 */
import { builtinKinds } from './catalogue';
import { checkCandidate } from './check';
import { createAssistant, type AssistantConfig, type Spend } from './assistant';

export interface EvalCase {
	id: string;
	description: string;
}

export interface EvalItem {
	id: string;
	/** The draft came back and parses. */
	parsed: boolean;
	/** No lint problem at all, warnings included. */
	lintClean: boolean;
	/** Valid on the model's first answer, without a repair round. */
	firstTry: boolean;
	repairs: number;
	states: number;
	warnings: string[];
	/** Why there is no draft (the assistant's message). */
	failure?: string;
	spend: Spend;
	ms: number;
}

export interface EvalReport {
	items: EvalItem[];
	total: number;
	parsedShare: number;
	lintCleanShare: number;
	firstTryShare: number;
	costUsd: number;
	estimated: boolean;
}

/** Drafts every case one after the other (a report line per case through `onItem`). */
export async function evaluateAssistant(cases: EvalCase[], config: AssistantConfig, onItem?: (item: EvalItem, index: number) => void, signal?: AbortSignal): Promise<EvalReport> {
	const assistant = createAssistant(config);
	const kinds = config.kinds ?? builtinKinds();
	const items: EvalItem[] = [];
	for (const [i, c] of cases.entries()) {
		if (signal?.aborted) break;
		const t0 = Date.now();
		const r = await assistant.draft(c.description, { ...(signal ? { signal } : {}), id: c.id });
		let item: EvalItem;
		if (r.ok) {
			// checked again, independently of the loop that produced it
			const checked = checkCandidate(r.workflow, kinds);
			const parsed = !!checked.workflow;
			item = {
				id: c.id,
				parsed,
				lintClean: parsed && checked.errors.length === 0 && checked.warnings.length === 0,
				firstTry: parsed && checked.errors.length === 0 && r.rounds.length === 0,
				repairs: r.rounds.length,
				states: countStates(r.workflow.states),
				warnings: checked.warnings.map((w) => w.message),
				...(checked.errors.length ? { failure: checked.errors.map((e) => e.message).join(' ') } : {}),
				spend: r.spend,
				ms: Date.now() - t0
			};
		} else {
			item = { id: c.id, parsed: false, lintClean: false, firstTry: false, repairs: r.rounds.length, states: 0, warnings: [], failure: r.message, spend: r.spend, ms: Date.now() - t0 };
		}
		items.push(item);
		onItem?.(item, i);
	}
	const n = items.length || 1;
	return {
		items,
		total: items.length,
		parsedShare: items.filter((x) => x.parsed).length / n,
		lintCleanShare: items.filter((x) => x.lintClean).length / n,
		firstTryShare: items.filter((x) => x.firstTry).length / n,
		costUsd: items.reduce((s, x) => s + x.spend.costUsd, 0),
		estimated: items.some((x) => x.spend.estimated)
	};
}

function countStates(states: Record<string, { states?: Record<string, unknown> }> | undefined): number {
	let n = 0;
	for (const s of Object.values(states ?? {})) n += 1 + countStates(s.states as Record<string, { states?: Record<string, unknown> }> | undefined);
	return n;
}
