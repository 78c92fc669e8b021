/**
 * Folds the AI progress of an effect (`text`, `usage`, `attempt`, `tool`, `quality` payloads
 * from src/lib/effects/progress.ts) into what the Run panel and the timeline show: the text
 * streamed so far (the current attempt's), tokens and cost, attempts, tool steps and the
 * quality score — and sums those per state and per run. Pure: runs in workers and in Node.
 */
import { isEffectProgress, type EffectProgress, type UsageProgress } from '../../effects/progress';

export interface AiSpanSummary {
	/** Text of the current attempt (a new attempt starts from nothing). */
	text: string;
	inputTokens: number;
	outputTokens: number;
	cachedInputTokens: number;
	reasoningTokens: number;
	costUsd: number;
	estimated: boolean;
	/** Attempts as `provider model: outcome`. */
	attempts: { provider: string; model: string; outcome: 'started' | 'ok' | 'error'; error?: string; waitMs?: number }[];
	tools: { step: number; name: string; ok: boolean }[];
	quality?: number;
}

export function emptyAiSummary(): AiSpanSummary {
	return { text: '', inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0, estimated: false, attempts: [], tools: [] };
}

/** Keeps at most this much streamed text per effect (the tail). */
const MAX_TEXT = 20_000;

/** The payloads a span's summary counts (a coordination's own span carries its agents' lanes; their tokens and cost are on each agent step's span). */
function counted(data: unknown): EffectProgress | undefined {
	if (!isEffectProgress(data)) return undefined;
	const p = data as EffectProgress;
	if (p.kind === 'agent' || p.kind === 'coordination' || p.kind === 'decision' || (p.kind === 'text' && p.agent !== undefined)) return undefined;
	return p;
}

/** The usage payload a summary would count, if `data` is one. */
export function countedUsage(data: unknown): UsageProgress | undefined {
	const p = counted(data);
	return p?.kind === 'usage' ? p : undefined;
}

/** Adds one call's usage to a summary. */
export function addUsage(out: AiSpanSummary, p: UsageProgress): AiSpanSummary {
	out.inputTokens += p.inputTokens;
	out.outputTokens += p.outputTokens;
	out.cachedInputTokens += p.cachedInputTokens ?? 0;
	out.reasoningTokens += p.reasoningTokens ?? 0;
	out.costUsd += p.costUsd ?? 0;
	out.estimated ||= !!p.estimated;
	return out;
}

/** Adds one progress payload to a summary (returns the same object, or a new one when `s` is undefined); ignores other payloads. */
export function reduceAiProgress(s: AiSpanSummary | undefined, data: unknown): AiSpanSummary | undefined {
	const p = counted(data);
	if (!p) return s;
	const out = s ?? emptyAiSummary();
	switch (p.kind) {
		case 'text':
			out.text = (out.text + p.delta).slice(-MAX_TEXT);
			break;
		case 'usage':
			addUsage(out, p);
			break;
		case 'attempt': {
			if (p.outcome === 'started') {
				out.text = '';
				out.attempts.push({ provider: p.provider, model: p.model, outcome: 'started' });
			} else {
				const last = out.attempts.findLast((a) => a.outcome === 'started' && a.provider === p.provider && a.model === p.model);
				const entry = { provider: p.provider, model: p.model, outcome: p.outcome, ...(p.error ? { error: p.error } : {}), ...(p.waitMs !== undefined ? { waitMs: p.waitMs } : {}) };
				if (last) Object.assign(last, entry);
				else out.attempts.push(entry);
			}
			break;
		}
		case 'tool':
			out.tools.push({ step: p.step, name: p.name, ok: p.error === undefined });
			break;
		case 'quality':
			out.quality = p.score;
			break;
	}
	return out;
}

/** Sums summaries (per state, per run). */
export function sumAi(items: (AiSpanSummary | undefined)[]): AiSpanSummary {
	const t = emptyAiSummary();
	for (const s of items) {
		if (!s) continue;
		t.inputTokens += s.inputTokens;
		t.outputTokens += s.outputTokens;
		t.cachedInputTokens += s.cachedInputTokens;
		t.reasoningTokens += s.reasoningTokens;
		t.costUsd += s.costUsd;
		t.estimated ||= s.estimated;
		t.attempts.push(...s.attempts);
		t.tools.push(...s.tools);
	}
	return t;
}

/** Totals per state and for the run, from spans that carry a summary. */
export function aiTotals(spans: { state?: string; ai?: AiSpanSummary }[]): { run: AiSpanSummary; byState: Record<string, AiSpanSummary> } {
	const groups: Record<string, AiSpanSummary[]> = {};
	for (const s of spans) if (s.ai) (groups[s.state ?? ''] ??= []).push(s.ai);
	const byState: Record<string, AiSpanSummary> = {};
	for (const [state, list] of Object.entries(groups)) byState[state] = sumAi(list);
	return { run: sumAi(spans.map((s) => s.ai)), byState };
}

/** One line for a timeline bar: `1,234 tokens · $0.0012 (estimated)`. */
export function describeAiUsage(s: AiSpanSummary): string {
	const tokens = s.inputTokens + s.outputTokens;
	const cost = s.costUsd === 0 ? '$0' : s.costUsd < 0.01 ? `$${s.costUsd.toPrecision(2)}` : `$${s.costUsd.toFixed(4)}`;
	return `${tokens.toLocaleString('en-US')} tokens · ${cost}${s.estimated ? ' (estimated)' : ''}`;
}

/** Token and cost totals of a run, per state and overall (kept by the timeline as usage arrives, so they cover every span, not only the rows shown). */
export interface AiRunTotals {
	run: AiSpanSummary;
	byState: Record<string, AiSpanSummary>;
	/** Model calls that reported usage. */
	calls: number;
}

/** A cost in US dollars as the Run panel shows it: `$0`, `$0.000045`, `$0.000779`, `$0.0123`, `$1.25`. */
export function formatUsd(v: number): string {
	if (v === 0) return '$0';
	if (v < 0.01) return '$' + v.toFixed(Math.min(12, 2 - Math.floor(Math.log10(v)))).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
	if (v < 1) return `$${v.toFixed(4)}`;
	return `$${v.toFixed(2)}`;
}
