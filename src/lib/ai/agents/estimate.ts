/**
 * The plan of a coordination and what it will cost, before it runs: which agents are asked
 * what in which order, how many model calls that makes, tokens (typical and worst case) and
 * cost from the price table. Pure: prices come in through `priceOf`.
 */
import { estimateTokens } from '../usage/prices';
import { debateRounds, subtasksOf } from './params';
import { STEP_LIMIT_NOTE, debatePrompt, judgePrompt, sequentialPrompt, supervisorExtra, synthesizePrompt, systemPrompt, taskPrompt } from './prompts';
import type { CoordinateAgentsParams, ResolvedAgent } from './types';

/** One step of the plan as the property panel shows it. */
export interface PlannedStep {
	label: string;
	agents: string[];
	/** Model calls of this step (most, for steps that may not happen). */
	calls: number;
	/** The step may not happen (a tie-break, a hierarchical delegation). */
	optional?: boolean;
}

export interface Range {
	typical: number;
	max: number;
}

export interface CoordinationEstimate {
	steps: PlannedStep[];
	calls: Range;
	inputTokens: Range;
	outputTokens: Range;
	/** US dollars; undefined when no agent's price is known. */
	costUsd: Range | undefined;
	/** Agents whose model has no known price (not counted in the cost). */
	unpriced: string[];
	warnings: string[];
}

export interface Price {
	inputPerMTok: number;
	outputPerMTok: number;
}

export interface EstimateOptions {
	/** Price of an agent's first model (undefined: unknown). */
	priceOf?: (agent: ResolvedAgent) => Price | undefined;
	/** Tokens of a typical answer (capped by each agent's max tokens). */
	typicalAnswerTokens?: number;
	/** The raw effect, to tell an explicit `rounds` from the default (older `maxRounds`). */
	spec?: Record<string, unknown>;
}

interface Call {
	agent: ResolvedAgent;
	input: Range;
	output: Range;
	/** Counted in `max` only. */
	optional?: boolean;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The plan and estimate of a coordination with these (schema-parsed) params and resolved agents. */
export function estimateCoordination(params: CoordinateAgentsParams, agents: ResolvedAgent[], opts: EstimateOptions = {}): CoordinationEstimate {
	const typicalAnswer = opts.typicalAnswerTokens ?? 250;
	const answer = (a: ResolvedAgent): Range => ({ typical: Math.min(a.maxTokens, typicalAnswer), max: a.maxTokens });
	const tok = (s: string) => estimateTokens(s);
	const task = String(params.task ?? '');
	const steps: PlannedStep[] = [];
	const calls: Call[] = [];
	const warnings: string[] = [];
	const byName = new Map(agents.map((a) => [a.name, a]));
	const team = agents.filter((a) => a.name !== params.judge && a.name !== params.synthesizer);
	const add = (agent: ResolvedAgent, input: Range, optional = false) => calls.push({ agent, input, output: answer(agent), ...(optional ? { optional } : {}) });
	const fixed = (n: number): Range => ({ typical: n, max: n });
	const plus = (a: Range, b: Range, k = 1): Range => ({ typical: a.typical + k * b.typical, max: a.max + k * b.max });
	const sys = (a: ResolvedAgent, extra?: string) => tok(systemPrompt(a, extra));
	const maxAnswer = (list: ResolvedAgent[]): Range => ({ typical: Math.max(0, ...list.map((a) => answer(a).typical)), max: Math.max(0, ...list.map((a) => answer(a).max)) });
	const json = params.output === 'json';

	const decision = (voters: ResolvedAgent[]) => {
		const n = voters.length;
		const answers = maxAnswer(voters);
		const judge = params.judge ? byName.get(params.judge) : undefined;
		const judgeInput = (j: ResolvedAgent, k: number) => plus(fixed(sys(j) + tok(judgePrompt(task, [], false))), answers, k);
		if (params.decision === 'judge' && judge) {
			steps.push({ label: `${judge.name} judges the ${n} answers and gives reasons`, agents: [judge.name], calls: 1 });
			add(judge, judgeInput(judge, n));
		} else if (params.decision === 'ballot') {
			steps.push({ label: `Ballot: each agent reads the answers and votes for the best`, agents: voters.map((a) => a.name), calls: n });
			for (const v of voters) add(v, plus(fixed(sys(v) + tok(task) + 40), answers, n));
		} else {
			const how = params.decision === 'cluster' ? `the largest group of similar answers wins (${params.embedding ? 'embeddings' : 'word overlap'}, similarity ≥ ${params.similarity})` : `majority vote${params.answerField ? ` on “${params.answerField}”` : ''} — no model call`;
			steps.push({ label: `Decision: ${how}`, agents: [], calls: 0 });
		}
		const tieBreak = params.tieBreak ?? (judge ? 'judge' : 'order');
		if (params.decision !== 'judge' && tieBreak === 'judge' && judge) {
			steps.push({ label: `If there is a tie, ${judge.name} breaks it`, agents: [judge.name], calls: 1, optional: true });
			add(judge, judgeInput(judge, 2), true);
		}
		if (params.decision === 'majority' && !json && n > 1)
			warnings.push('Free-text answers rarely match word for word, so a majority vote often ends in a tie. Ask for JSON and vote on a field (answerField), or decide by cluster, judge or ballot.');
		if (n === 2 && params.decision !== 'judge') warnings.push('Two agents can only agree or tie; three or more give a majority.');
	};

	switch (params.strategy) {
		case 'sequential': {
			let prev: Range = fixed(0);
			agents.forEach((a, i) => {
				steps.push({ label: i === 0 ? `${a.name} works on the task` : `${a.name} builds on ${agents[i - 1].name}'s output`, agents: [a.name], calls: 1 });
				add(a, plus(fixed(sys(a) + tok(sequentialPrompt(task, i ? { agent: agents[i - 1].name, output: '' } : undefined))), prev));
				prev = answer(a);
			});
			break;
		}
		case 'parallel': {
			const subs = subtasksOf(params.subtasks);
			const synth = params.synthesizer ? byName.get(params.synthesizer) : undefined;
			const merge = params.merge ?? (synth ? 'synthesizer' : params.reducer ? 'reducer' : 'concat');
			if (subs) {
				steps.push({ label: `${subs.length} subtask${subs.length === 1 ? '' : 's'} shared among ${team.length} agent${team.length === 1 ? '' : 's'}, all at once`, agents: team.map((a) => a.name), calls: subs.length });
				subs.forEach((s, i) => team.length && add(team[i % team.length], fixed(sys(team[i % team.length]) + tok(task) + tok(s) + 8)));
			} else if (typeof params.subtasks === 'string' && params.subtasks.includes('{{')) {
				steps.push({ label: `Subtasks from ${params.subtasks.trim()}, shared among ${team.length} agents (one call each; the count is known when it runs)`, agents: team.map((a) => a.name), calls: team.length });
				for (const a of team) add(a, fixed(sys(a) + tok(task) + 20));
			} else {
				steps.push({ label: `All ${team.length} agents work on the task at once`, agents: team.map((a) => a.name), calls: team.length });
				for (const a of team) add(a, fixed(sys(a) + tok(taskPrompt(task))));
			}
			if (merge === 'synthesizer' && synth) {
				const k = subs ? subs.length : team.length;
				steps.push({ label: `${synth.name} combines the ${k} answers into one`, agents: [synth.name], calls: 1 });
				add(synth, plus(fixed(sys(synth) + tok(synthesizePrompt(task, []))), maxAnswer(team), k));
			} else steps.push({ label: merge === 'reducer' ? `Merged by the reducer ${params.reducer ?? ''}`.trim() : `Answers merged as ${merge === 'concat' ? 'one text' : merge === 'list' ? 'a list' : 'an object by agent'} — no model call`, agents: [], calls: 0 });
			break;
		}
		case 'consensus': {
			steps.push({ label: `${team.length} agents answer on their own, at once`, agents: team.map((a) => a.name), calls: team.length });
			for (const a of team) add(a, fixed(sys(a) + tok(taskPrompt(task))));
			decision(team);
			break;
		}
		case 'debate': {
			const rounds = debateRounds(params, opts.spec ?? {});
			const n = team.length;
			const answers = maxAnswer(team);
			for (let r = 1; r <= rounds; r++) {
				steps.push({
					label: r === 1 ? `Round 1: ${n} agents answer on their own` : `Round ${r}: each agent reads the other ${n - 1} answers and answers again`,
					agents: team.map((a) => a.name),
					calls: n
				});
				for (const a of team) {
					// The conversation grows: its own earlier answers, and the others' answers of every earlier round.
					const base = sys(a) + tok(taskPrompt(task)) + (r > 1 ? (r - 1) * tok(debatePrompt(2, rounds, [])) : 0);
					add(a, plus(fixed(base), answers, (r - 1) * n));
				}
			}
			decision(team);
			const next = team.reduce((s, a) => s + sys(a) + tok(taskPrompt(task)) + rounds * (tok(debatePrompt(2, rounds, [])) + n * answers.typical) + answer(a).typical, 0);
			warnings.unshift(
				`Debate multiplies: ${n} agents × ${rounds} round${rounds === 1 ? '' : 's'} = ${n * rounds} calls before the decision, and from round 2 every prompt carries the other ${n - 1} answers, so each round costs more than the one before. One more round would add ${n} calls and about ${fmt(next)} tokens.`
			);
			break;
		}
		case 'hierarchical': {
			const sup = (params.supervisor && byName.get(params.supervisor)) || agents[0];
			const workers = agents.filter((a) => a !== sup);
			const extra = workers.length ? supervisorExtra(workers) : undefined;
			const answers = maxAnswer(agents);
			const k = params.maxSteps;
			steps.push({ label: `${sup.name} plans and delegates${workers.length ? ` to ${workers.map((w) => w.name).join(', ')}` : ''}`, agents: [sup.name], calls: 1 });
			add(sup, fixed(sys(sup, extra) + tok(taskPrompt(task)) + 60 * workers.length));
			if (workers.length) {
				steps.push({ label: `Each delegation: a worker's answer, then ${sup.name} reads it (typically one per worker; at most ${k} in all, then ${sup.name} must answer)`, agents: workers.map((w) => w.name), calls: 2 * k, optional: true });
				// Typical: one delegation per worker; worst case: every step a delegation, then the forced final answer.
				workers.forEach((w, i) => {
					add(w, fixed(sys(w) + 60));
					add(sup, plus(fixed(sys(sup, extra) + tok(task) + 60 * (i + 1)), answers, i + 1));
				});
				for (let i = workers.length; i < k; i++) {
					const w = workers[i % workers.length];
					add(w, fixed(sys(w) + 60), true);
					add(sup, plus(fixed(sys(sup, extra) + tok(task) + 60 * (i + 1)), answers, i + 1), true);
				}
				add(sup, plus(fixed(sys(sup, extra) + tok(task) + tok(STEP_LIMIT_NOTE(k)) + 60 * k), answers, k), true);
				warnings.push(`A supervisor decides how often it delegates: typically ${1 + 2 * workers.length} calls, at most ${2 + 2 * k} (maxSteps ${k}). Lower maxSteps to cap it.`);
			}
			break;
		}
	}
	const summaries = agents.filter((a) => a.memory.type === 'summary');
	if (summaries.length) {
		steps.push({ label: `Memory: ${summaries.map((a) => a.name).join(', ')} update${summaries.length === 1 ? 's its' : ' their'} running summary`, agents: summaries.map((a) => a.name), calls: summaries.length });
		for (const a of summaries) add(a, fixed(sys(a) + (a.memory.type === 'summary' ? a.memory.maxTokens : 0) + answer(a).typical + 80));
	}
	if (json) warnings.push('A JSON answer that does not match the schema gets one repair request (not counted above).');

	const sum = (pick: (c: Call) => Range) => ({
		typical: calls.filter((c) => !c.optional).reduce((s, c) => s + pick(c).typical, 0),
		max: calls.reduce((s, c) => s + pick(c).max, 0)
	});
	const unpriced = new Set<string>();
	let priced = 0;
	const cost = { typical: 0, max: 0 };
	for (const c of calls) {
		const p = opts.priceOf?.(c.agent);
		if (!p) {
			unpriced.add(c.agent.name);
			continue;
		}
		priced++;
		const usd = (i: number, o: number) => (i * p.inputPerMTok + o * p.outputPerMTok) / 1e6;
		if (!c.optional) cost.typical += usd(c.input.typical, c.output.typical);
		cost.max += usd(c.input.max, c.output.max);
	}
	return {
		steps,
		calls: { typical: calls.filter((c) => !c.optional).length, max: calls.length },
		inputTokens: sum((c) => c.input),
		outputTokens: sum((c) => c.output),
		costUsd: priced ? cost : undefined,
		unpriced: [...unpriced],
		warnings
	};
}
