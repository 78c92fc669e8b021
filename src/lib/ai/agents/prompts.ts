/**
 * The words agents are given. Kept in one place so every strategy speaks the same way and
 * tests (and scripted mock models) can recognise each kind of request.
 */
import type { ResolvedAgent } from './types';

/** The system prompt of an agent: who it is, then its own instructions. */
export function systemPrompt(agent: ResolvedAgent, extra?: string): string {
	const who = `You are ${agent.name}${agent.role ? `, ${agent.role}` : ''}.`;
	return [who, agent.system?.trim(), extra].filter(Boolean).join('\n\n');
}

/** Text of an answer for another agent to read. */
export function show(output: unknown): string {
	return typeof output === 'string' ? output : JSON.stringify(output, null, 2);
}

function quoted(label: string, output: unknown): string {
	return `### ${label}\n${show(output)}`;
}

export function taskPrompt(task: string): string {
	return `Task: ${task}`;
}

/** Sequential: the task and what the previous agent produced. */
export function sequentialPrompt(task: string, previous: { agent: string; output: unknown } | undefined): string {
	if (!previous) return taskPrompt(task);
	return `${taskPrompt(task)}\n\nThe previous agent, ${previous.agent}, produced this:\n\n${show(previous.output)}\n\nDo your part: build on it and give the improved result.`;
}

/** Parallel, split work: the whole task for context, and this agent's share. */
export function subtaskPrompt(task: string, subtask: string): string {
	return `${taskPrompt(task)}\n\nYour part of it: ${subtask}`;
}

/** Debate, rounds after the first: the others' last answers. */
export function debatePrompt(round: number, rounds: number, others: { agent: string; output: unknown }[]): string {
	const list = others.length ? others.map((o) => quoted(o.agent, o.output)).join('\n\n') : '(No other agent answered.)';
	return `Debate round ${round} of ${rounds}. The other agents' answers from round ${round - 1}:\n\n${list}\n\nWeigh their arguments against yours. Then give your answer again — keep it, or change it if they convinced you.`;
}

/** Numbered candidates for a judge or a ballot (authors left out of ballots, so nobody votes for a name). */
export function candidatesText(candidates: { agent: string; output: unknown }[], withAuthors: boolean): string {
	return candidates.map((c, i) => `### Answer ${i + 1}${withAuthors ? ` (by ${c.agent})` : ''}\n${show(c.output)}`).join('\n\n');
}

export function judgePrompt(task: string, candidates: { agent: string; output: unknown }[], tieOnly: boolean): string {
	return `${taskPrompt(task)}\n\n${tieOnly ? 'These answers are tied in a vote. Break the tie: choose' : 'Choose'} the best answer to the task.\n\n${candidatesText(candidates, true)}\n\nReply with JSON only: {"winner": <the answer's number>, "reasons": "<why, in one or two sentences>", "agreement": <how much the answers agree, 0 to 1>}.`;
}

export const JUDGE_SCHEMA = (n: number) => ({
	type: 'object',
	properties: { winner: { type: 'integer', minimum: 1, maximum: n }, reasons: { type: 'string' }, agreement: { type: 'number', minimum: 0, maximum: 1 } },
	required: ['winner', 'reasons']
});

export function ballotPrompt(task: string, candidates: { agent: string; output: unknown }[]): string {
	return `${taskPrompt(task)}\n\nVote for the best of these answers.\n\n${candidatesText(candidates, false)}\n\nReply with JSON only: {"vote": <the answer's number>, "reason": "<why, in one sentence>"}.`;
}

export const BALLOT_SCHEMA = (n: number) => ({
	type: 'object',
	properties: { vote: { type: 'integer', minimum: 1, maximum: n }, reason: { type: 'string' } },
	required: ['vote']
});

/** Parallel: the synthesizer combines everyone's answers. */
export function synthesizePrompt(task: string, outputs: { agent: string; task?: string; output: unknown }[]): string {
	const list = outputs.map((o) => quoted(o.task && o.task !== task ? `${o.agent} — ${o.task}` : o.agent, o.output)).join('\n\n');
	return `${taskPrompt(task)}\n\nThe team's answers:\n\n${list}\n\nCombine them into one complete answer to the task.`;
}

/** Hierarchical: how a supervisor is told about its workers. */
export function supervisorExtra(workers: ResolvedAgent[]): string {
	const list = workers.map((w) => `- ${w.name}${w.role ? `: ${w.role}` : ''}`).join('\n');
	return `You lead a team. Delegate subtasks with the delegate_to_… tools; each returns that agent's result. When you have what you need, answer the task yourself without calling a tool.\n\nYour team:\n${list}`;
}

export const STEP_LIMIT_NOTE = (maxSteps: number) =>
	`Step limit reached (${maxSteps} delegations and tool calls in this coordination): no more delegation is possible. Give your final answer now with what you have.`;

export function handoffToolName(agent: string): string {
	return `delegate_to_${agent.replace(/[^A-Za-z0-9_-]+/g, '_')}`.slice(0, 64);
}

/** JSON output: asked for after a tool loop, when tools and a response schema could not go in one request. */
export const FINAL_JSON = 'Now give your final answer as JSON only.';

export function repairPrompt(errors: string[]): string {
	return `Your answer does not match the required JSON Schema:\n- ${errors.join('\n- ')}\nReply again with only the corrected JSON.`;
}

/** Memory: the running summary, updated after a coordination. */
export function summaryPrompt(previous: string | undefined, exchange: { task: string; answer: unknown }, maxTokens: number): string {
	return `Update your running memory of this conversation. Keep what will matter later; drop the rest. At most about ${Math.round(maxTokens * 0.75)} words.\n\nYour memory so far:\n${previous?.trim() || '(nothing yet)'}\n\nWhat just happened:\nTask: ${exchange.task}\nYour answer: ${show(exchange.answer)}\n\nReply with the updated memory only.`;
}

export function rememberedPrompt(summary: string): string {
	return `What you remember from earlier in this run:\n${summary}`;
}
