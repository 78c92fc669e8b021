import type { InstanceEvent } from '../engine/types';
import type { StatePath } from '../model/types';
import { addUsage, countedUsage, emptyAiSummary, reduceAiProgress, type AiRunTotals, type AiSpanSummary } from '../ai/usage/aggregate';
import { reduceAgentProgress, type AgentLanes } from '../ai/agents/lanes';

type EffectEvent = Extract<InstanceEvent, { kind: 'effect' }>;

export type SpanStatus = 'running' | 'ok' | 'error' | 'cancelled';

/** One effect execution on the timeline (a bar of the Gantt chart). */
export interface Span {
	spanId: string;
	parentSpanId?: string;
	traceId: string;
	effect: string;
	effectType: string;
	state?: StatePath;
	start: number;
	/** Undefined while running. */
	end?: number;
	status: SpanStatus;
	error?: string;
	cached?: boolean;
	/** Number of `retry` telemetry events seen (attempts = retries + 1). */
	retries: number;
	/** Last progress payload (streamed tokens, bytes, attempt …). */
	progress?: unknown;
	progressCount: number;
	/** Model calls: streamed text, tokens, cost, attempts (folded from the AI progress payloads). */
	ai?: AiSpanSummary;
	/** coordinate_agents: one lane per agent and the decision (folded from the agent progress payloads). */
	agents?: AgentLanes;
	children: Span[];
	/** Nesting depth (0 for roots). */
	depth: number;
}

/**
 * Builds the effect tree of an instance from its telemetry, incrementally: feed events as
 * they arrive, read `roots()` / `rows()` whenever the UI redraws.
 */
export class TimelineBuilder {
	private spans = new Map<string, Span>();
	private order: Span[] = [];
	private orphans = new Map<string, Span[]>();
	/** Spans started and not finished yet. */
	running = 0;
	/** Tokens and cost of every model call seen, per state and for the run (undefined until a call reports usage). */
	ai: AiRunTotals | undefined = undefined;

	add(e: InstanceEvent): void {
		if (e.kind !== 'effect') return;
		let span = this.spans.get(e.spanId);
		if (!span) {
			span = {
				spanId: e.spanId,
				parentSpanId: e.parentSpanId,
				traceId: e.traceId,
				effect: e.effect,
				effectType: e.effectType,
				state: e.state,
				start: e.time,
				status: 'running',
				retries: 0,
				progressCount: 0,
				children: [],
				depth: 0
			};
			this.spans.set(e.spanId, span);
			this.order.push(span);
			this.running++;
			if (e.parentSpanId) {
				const parent = this.spans.get(e.parentSpanId);
				if (parent) {
					parent.children.push(span);
				} else {
					const list = this.orphans.get(e.parentSpanId) ?? [];
					list.push(span);
					this.orphans.set(e.parentSpanId, list);
				}
			}
			const waiting = this.orphans.get(e.spanId);
			if (waiting) {
				span.children.push(...waiting);
				this.orphans.delete(e.spanId);
			}
		}
		this.apply(span, e);
	}

	private apply(span: Span, e: EffectEvent) {
		const wasRunning = span.status === 'running';
		this.applyPhase(span, e);
		if (wasRunning && span.status !== 'running') this.running--;
	}

	private applyPhase(span: Span, e: EffectEvent) {
		switch (e.phase) {
			case 'start':
				span.start = Math.min(span.start, e.time);
				break;
			case 'progress': {
				span.progress = e.data;
				span.progressCount++;
				span.ai = reduceAiProgress(span.ai, e.data);
				const usage = countedUsage(e.data);
				if (usage) {
					const t = (this.ai ??= { run: emptyAiSummary(), byState: {}, calls: 0 });
					addUsage(t.run, usage);
					addUsage((t.byState[span.state ?? ''] ??= emptyAiSummary()), usage);
					t.calls++;
				}
				const lanes = reduceAgentProgress(span.agents, e.data);
				if (lanes) span.agents = lanes;
				break;
			}
			case 'retry':
				span.retries++;
				if (e.error) span.error = e.error;
				break;
			case 'end':
				span.status = 'ok';
				span.end = e.durationMs !== undefined ? span.start + e.durationMs : e.time;
				span.cached = e.cached;
				span.error = undefined;
				break;
			case 'error':
				span.status = 'error';
				span.end = e.durationMs !== undefined ? span.start + e.durationMs : e.time;
				span.error = e.error;
				break;
			case 'cancel':
				span.status = 'cancelled';
				span.end = e.time;
				break;
		}
	}

	addAll(events: Iterable<InstanceEvent>): this {
		for (const e of events) this.add(e);
		return this;
	}

	/** Top-level spans (no parent, or a parent never seen), in start order. */
	roots(): Span[] {
		return this.order.filter((s) => !s.parentSpanId || !this.spans.has(s.parentSpanId));
	}

	/** Number of spans seen. */
	get size(): number {
		return this.order.length;
	}

	/** Depth-first flattening for drawing one row per span; `limit` keeps the latest trees. */
	rows(limit = Infinity): Span[] {
		const out: Span[] = [];
		const visit = (s: Span, depth: number) => {
			s.depth = depth;
			out.push(s);
			for (const c of [...s.children].sort((a, b) => a.start - b.start)) visit(c, depth + 1);
		};
		const roots = this.roots();
		let from = roots.length;
		let count = 0;
		// Walk back from the newest root until the limit is reached.
		while (from > 0 && count < limit) {
			from--;
			count += this.countTree(roots[from]);
		}
		for (const r of roots.slice(from)) visit(r, 0);
		return out;
	}

	private countTree(s: Span): number {
		let n = 1;
		for (const c of s.children) n += this.countTree(c);
		return n;
	}

	get(spanId: string): Span | undefined {
		return this.spans.get(spanId);
	}
}

/** The effect tree of a complete log. */
export function timelineOf(events: Iterable<InstanceEvent>): Span[] {
	return new TimelineBuilder().addAll(events).rows();
}
