/**
 * Totals of recorded usage: per run (budgets, the Run panel), per day, workflow and model
 * (the Usage page). Reads the AI database's usage table.
 */
import { aiDb, type AiDb, type UsageRecord } from '../../store/ai-db';

export interface Totals {
	calls: number;
	inputTokens: number;
	outputTokens: number;
	cachedInputTokens: number;
	reasoningTokens: number;
	costUsd: number;
	/** Some figures were estimated (a stream ended before the provider counted). */
	estimated: boolean;
}

export function emptyTotals(): Totals {
	return { calls: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUsd: 0, estimated: false };
}

export function addTo(t: Totals, r: Pick<UsageRecord, 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'reasoningTokens' | 'costUsd' | 'estimated'>): Totals {
	t.calls++;
	t.inputTokens += r.inputTokens;
	t.outputTokens += r.outputTokens;
	t.cachedInputTokens += r.cachedInputTokens ?? 0;
	t.reasoningTokens += r.reasoningTokens ?? 0;
	t.costUsd += r.costUsd;
	t.estimated ||= !!r.estimated;
	return t;
}

/** What a run has spent so far (for its budget after a reload). */
export async function spentByInstance(instanceId: string, db: AiDb = aiDb()): Promise<{ costUsd: number; tokens: number }> {
	const rows = await db.usage.where('instanceId').equals(instanceId).toArray();
	return rows.reduce((a, r) => ({ costUsd: a.costUsd + r.costUsd, tokens: a.tokens + r.inputTokens + r.outputTokens }), { costUsd: 0, tokens: 0 });
}

/** Usage records of a run, per state, with the run's total. */
export async function runTotals(instanceId: string, db: AiDb = aiDb()): Promise<{ total: Totals; byState: Record<string, Totals>; records: UsageRecord[] }> {
	const records = await db.usage.where('instanceId').equals(instanceId).sortBy('time');
	const total = emptyTotals();
	const byState: Record<string, Totals> = {};
	for (const r of records) {
		addTo(total, r);
		addTo((byState[r.state ?? '(none)'] ??= emptyTotals()), r);
	}
	return { total, byState, records };
}

export interface UsageSummary {
	total: Totals;
	byDay: { day: string; totals: Totals }[];
	byWorkflow: { workflowId: string; name: string; totals: Totals }[];
	byModel: { model: string; provider: string; totals: Totals }[];
	pricesVersions: string[];
}

/** Totals per day (every day of the range, zeros included), workflow and model since `from` (epoch ms). */
export async function usageSummary(options: { from: number; to?: number; workspaceId?: string } , db: AiDb = aiDb()): Promise<UsageSummary> {
	const to = options.to ?? Date.now();
	let rows = await db.usage.where('time').between(options.from, to, true, true).toArray();
	if (options.workspaceId) rows = rows.filter((r) => r.workspaceId === options.workspaceId);
	const total = emptyTotals();
	const days = new Map<string, Totals>();
	for (let t = startOfDay(options.from); t <= to; t += 86_400_000) days.set(dayOf(t), emptyTotals());
	const wf = new Map<string, { name: string; totals: Totals }>();
	const models = new Map<string, { model: string; provider: string; totals: Totals }>();
	const versions = new Set<string>();
	for (const r of rows) {
		addTo(total, r);
		addTo(days.get(r.day) ?? days.set(r.day, emptyTotals()).get(r.day)!, r);
		const wkey = r.workflowId ?? (r.caller ? `caller:${r.caller}` : '(none)');
		const w = wf.get(wkey) ?? { name: r.workflowName ?? (r.caller ? capital(r.caller) : r.workflowId ?? 'Outside workflows'), totals: emptyTotals() };
		wf.set(wkey, w);
		addTo(w.totals, r);
		const mkey = `${r.providerId}\u0000${r.model}`;
		const m = models.get(mkey) ?? { model: r.model, provider: r.providerId, totals: emptyTotals() };
		models.set(mkey, m);
		addTo(m.totals, r);
		if (r.pricesVersion) versions.add(r.pricesVersion);
	}
	return {
		total,
		byDay: [...days.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([day, totals]) => ({ day, totals })),
		byWorkflow: [...wf.entries()].map(([workflowId, v]) => ({ workflowId, ...v })).sort((a, b) => b.totals.costUsd - a.totals.costUsd || b.totals.calls - a.totals.calls),
		byModel: [...models.values()].sort((a, b) => b.totals.costUsd - a.totals.costUsd || b.totals.calls - a.totals.calls),
		pricesVersions: [...versions].sort()
	};
}

function capital(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

function startOfDay(t: number): number {
	const d = new Date(t);
	d.setHours(0, 0, 0, 0);
	return d.getTime();
}

export function dayOf(t: number): string {
	const d = new Date(t);
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
