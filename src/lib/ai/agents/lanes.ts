/**
 * Folds the progress of a `coordinate_agents` effect (`coordination`, `agent`, agent-tagged
 * `text` and `tool`, `decision` payloads) into one lane per agent — status, round, streamed
 * text, answers per round, votes, tokens and cost — and the decision. Pure: the simulator's
 * timeline runs it in its worker, the Run panel renders the result.
 */
import { isEffectProgress, type DecisionProgress, type EffectProgress } from '../../effects/progress';

export interface LaneStep {
	round?: number;
	phase?: string;
	ok: boolean;
	output?: unknown;
	error?: string;
	from?: string;
	task?: string;
}

export interface AgentLane {
	name: string;
	role?: string;
	model?: string;
	status: 'waiting' | 'thinking' | 'done' | 'failed';
	round?: number;
	phase?: string;
	/** Hierarchical: who delegated the current step, and the subtask. */
	from?: string;
	task?: string;
	/** Text streamed in the current step (the tail). */
	text: string;
	/** A note on the current step ("retrying on Anthropic claude-haiku-4-5"). */
	note?: string;
	/** The last answer. */
	output?: unknown;
	error?: string;
	/** Finished steps, in order (answers per round, votes, judgements). */
	steps: LaneStep[];
	/** What this agent backs in the decision. */
	vote?: unknown;
	tools: { name: string; ok: boolean }[];
	inputTokens: number;
	outputTokens: number;
	costUsd: number;
	estimated: boolean;
}

export interface AgentLanes {
	strategy?: string;
	rounds?: number;
	/** Judge, synthesizer or supervisor. */
	lead?: string;
	lanes: AgentLane[];
	decision?: Omit<DecisionProgress, 'kind'>;
}

/** Keeps at most this much streamed text per lane (the tail). */
const MAX_TEXT = 8_000;

function lane(s: AgentLanes, name: string): AgentLane {
	let l = s.lanes.find((x) => x.name === name);
	if (!l) {
		l = { name, status: 'waiting', text: '', steps: [], tools: [], inputTokens: 0, outputTokens: 0, costUsd: 0, estimated: false };
		s.lanes.push(l);
	}
	return l;
}

/** Adds one progress payload (returns the same summary, a new one for a coordination's first payload, or undefined for payloads of other effects). */
export function reduceAgentProgress(s: AgentLanes | undefined, data: unknown): AgentLanes | undefined {
	if (!isEffectProgress(data)) return s;
	const p = data as EffectProgress;
	if (p.kind === 'coordination') {
		const out = s ?? { lanes: [] };
		out.strategy = p.strategy;
		if (p.rounds !== undefined) out.rounds = p.rounds;
		if (p.lead) out.lead = p.lead;
		for (const a of p.agents) {
			const l = lane(out, a.name);
			if (a.role) l.role = a.role;
			if (a.model) l.model = a.model;
		}
		return out;
	}
	if (!s) return s;
	switch (p.kind) {
		case 'agent': {
			const l = lane(s, p.agent);
			if (p.status === 'thinking') {
				// A new step, or a new attempt of it (retry, fallback, JSON repair): its text starts again.
				l.text = '';
				l.note = p.error;
				delete l.error;
			} else if (p.status === 'waiting') l.note = undefined;
			l.status = p.status;
			if (p.round !== undefined) l.round = p.round;
			l.phase = p.phase;
			l.from = p.from;
			l.task = p.task;
			if (p.usage) {
				l.inputTokens += p.usage.inputTokens;
				l.outputTokens += p.usage.outputTokens;
				l.costUsd += p.usage.costUsd;
				l.estimated ||= !!p.usage.estimated;
			}
			if (p.status === 'done') {
				l.output = p.output;
				l.note = undefined;
				l.steps.push({ ...(p.round !== undefined ? { round: p.round } : {}), ...(p.phase ? { phase: p.phase } : {}), ok: true, output: p.output, ...(p.from ? { from: p.from, task: p.task } : {}) });
			} else if (p.status === 'failed') {
				l.error = p.error;
				l.note = undefined;
				l.steps.push({ ...(p.round !== undefined ? { round: p.round } : {}), ...(p.phase ? { phase: p.phase } : {}), ok: false, ...(p.error ? { error: p.error } : {}) });
			}
			return s;
		}
		case 'text':
			if (p.agent !== undefined) {
				const l = lane(s, p.agent);
				l.text = (l.text + p.delta).slice(-MAX_TEXT);
			}
			return s;
		case 'tool':
			if (p.agent !== undefined) lane(s, p.agent).tools.push({ name: p.name, ok: p.error === undefined });
			return s;
		case 'decision': {
			const { kind: _k, ...d } = p;
			void _k;
			s.decision = d;
			for (const v of p.votes ?? []) lane(s, v.agent).vote = v.vote;
			return s;
		}
		default:
			return s;
	}
}

/** The lanes of a whole progress list (tests, a log read back). */
export function lanesOf(progress: Iterable<unknown>): AgentLanes | undefined {
	let s: AgentLanes | undefined;
	for (const d of progress) s = reduceAgentProgress(s, d);
	return s;
}
