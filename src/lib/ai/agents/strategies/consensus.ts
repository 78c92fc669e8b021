/**
 * Consensus: every agent answers the task on its own (different agents or models: diversity
 * helps); the answers are normalized and decided by majority vote (structured answers), by a
 * judge, by clustering similar answers (free text) or by a ballot; the agreement is recorded.
 * A majority of the agents must answer by default.
 */
import { EffectError } from '../../../effects/errors';
import { taskPrompt } from '../prompts';
import { participants } from '../resolve';
import { decide } from '../decide';
import type { Coordination } from '../coordination';
import type { CoordinationResult } from '../types';

export async function runConsensus(co: Coordination): Promise<CoordinationResult> {
	const p = co.params;
	const team = participants(p, co.agents);
	if (!team.length) throw new EffectError('invalid_params', 'Every agent is the judge: add agents that answer the task.');
	const min = Math.min(p.minSuccess ?? Math.floor(team.length / 2) + 1, team.length);
	const json = p.output === 'json' ? (p.schema ?? { type: 'object' }) : undefined;
	co.announce(p.judge);
	for (const a of co.agents) co.status(a.name, 'waiting');
	let failures = 0;
	const prompt = taskPrompt(co.task);
	const results = await co.settle(
		team.map((agent) => async () => {
			try {
				const r = await co.step(agent, await co.opening(agent, prompt), { phase: 'answer', ...(json ? { schema: json } : {}) });
				co.succeeded(agent.name, r.value);
				co.finalAnswers.set(agent.name, { task: prompt, answer: r.value });
				return r.value;
			} catch (e) {
				co.failed(agent.name, e);
				if (team.length - ++failures < min) co.stopOthers(`Too few agents can still answer (${min} needed).`);
				throw e;
			}
		})
	);
	co.require(min, team.map((a) => a.name));
	const candidates = team.flatMap((a, i) => (results[i].ok ? [{ agent: a.name, output: (results[i] as { value: unknown }).value }] : []));
	const decision = await decide(co, candidates);
	return co.result(decision.output, { decision });
}
