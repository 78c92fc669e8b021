/**
 * Parallel: every agent works at the same time — on the whole task (fan-out), or on its share
 * of `subtasks` (split, handed out in turn) — and the answers are merged: joined (concat), as a
 * list or an object by agent, by a JSONata reducer, or by a synthesizer agent that writes one
 * answer from all of them. Fan-out needs one answer by default; split work needs every agent.
 */
import { EffectError } from '../../../effects/errors';
import { show, subtaskPrompt, synthesizePrompt, taskPrompt } from '../prompts';
import { participants } from '../resolve';
import { subtasksOf } from '../params';
import type { Coordination } from '../coordination';
import type { CoordinationResult } from '../types';

export async function runParallel(co: Coordination): Promise<CoordinationResult> {
	const p = co.params;
	const team = participants(p, co.agents);
	if (!team.length) throw new EffectError('invalid_params', 'Every agent is the synthesizer or the judge: add agents that do the work.');
	const synth = p.synthesizer ? co.agent(p.synthesizer) : undefined;
	const merge = p.merge ?? (synth ? 'synthesizer' : p.reducer ? 'reducer' : 'concat');
	if (merge === 'synthesizer' && !synth) throw new EffectError('invalid_params', 'merge "synthesizer" needs a synthesizer: name one of the agents in synthesizer.');
	if (merge === 'reducer' && !p.reducer) throw new EffectError('invalid_params', 'merge "reducer" needs a reducer: a JSONata expression over outputs, e.g. $join(outputs.output, "\\n").');
	const subs = subtasksOf(p.subtasks);
	if (subs && !subs.length) throw new EffectError('invalid_params', 'subtasks is empty: give at least one subtask, or leave it out to give every agent the whole task.');
	const jobs = subs ? subs.map((task, i) => ({ agent: team[i % team.length], task })) : team.map((agent) => ({ agent, task: co.task }));
	const working = [...new Set(jobs.map((j) => j.agent))];
	const min = Math.min(p.minSuccess ?? (subs ? working.length : 1), working.length);
	const json = p.output === 'json' && merge !== 'synthesizer' ? (p.schema ?? { type: 'object' }) : undefined;

	co.announce(synth?.name);
	for (const a of co.agents) co.status(a.name, 'waiting');
	const failedAgents = new Set<string>();
	const results = await co.settle(
		jobs.map((job) => async () => {
			const prompt = subs ? subtaskPrompt(co.task, job.task) : taskPrompt(co.task);
			try {
				const r = await co.step(job.agent, await co.opening(job.agent, prompt), { phase: 'answer', ...(subs ? { task: job.task } : {}), ...(json ? { schema: json } : {}) });
				co.finalAnswers.set(job.agent.name, { task: prompt, answer: r.value });
				return r.value;
			} catch (e) {
				failedAgents.add(job.agent.name);
				if (working.length - failedAgents.size < min) co.stopOthers(`Too few agents can still answer (${min} needed).`);
				throw e;
			}
		})
	);
	for (const a of working) {
		const mine = jobs.map((j, i) => ({ j, r: results[i] })).filter((x) => x.j.agent === a);
		const bad = mine.find((x) => !x.r.ok);
		if (bad) co.failed(a.name, (bad.r as { error: unknown }).error);
		else co.succeeded(a.name, mine.length === 1 ? (mine[0].r as { value: unknown }).value : mine.map((x) => (x.r as { value: unknown }).value));
	}
	co.require(min, working.map((a) => a.name));
	const outputs = jobs.flatMap((j, i) => (results[i].ok ? [{ agent: j.agent.name, task: j.task, output: (results[i] as { value: unknown }).value }] : []));

	let output: unknown;
	let reasons: string;
	switch (merge) {
		case 'list':
			output = outputs.map((o) => o.output);
			reasons = `The ${outputs.length} answers as a list.`;
			break;
		case 'object': {
			const by: Record<string, unknown[]> = {};
			for (const x of outputs) (by[x.agent] ??= []).push(x.output);
			output = Object.fromEntries(Object.entries(by).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
			reasons = `The answers by agent.`;
			break;
		}
		case 'reducer':
			try {
				output = co.ctx.evaluate(p.reducer!, { outputs });
			} catch (e) {
				throw new EffectError('expression', `The reducer failed: ${(e as Error).message}. It sees outputs: [{ agent, task, output }].`);
			}
			reasons = `Merged by the reducer ${p.reducer}.`;
			break;
		case 'synthesizer': {
			const prompt = synthesizePrompt(co.task, outputs);
			try {
				const r = await co.step(synth!, await co.opening(synth!, prompt), { phase: 'synthesize', ...(p.output === 'json' ? { schema: p.schema ?? { type: 'object' } } : {}) });
				co.succeeded(synth!.name, r.value);
				co.finalAnswers.set(synth!.name, { task: prompt, answer: r.value });
				output = r.value;
			} catch (e) {
				co.failed(synth!.name, e);
				throw e;
			}
			reasons = `${synth!.name} combined ${outputs.length} answers into one.`;
			break;
		}
		default:
			output = outputs.every((o) => typeof o.output === 'string') ? outputs.map((o) => `## ${subs ? o.task : o.agent}\n\n${show(o.output)}`).join('\n\n') : outputs.map((o) => o.output);
			reasons = `The ${outputs.length} answers joined in order.`;
	}
	co.progress({ kind: 'decision', method: merge, ...(merge === 'synthesizer' ? { winner: synth!.name } : {}), output, reasons });
	return co.result(output);
}
