/**
 * Debate: N agents × R rounds (defaults 3 × 2). In the first round every agent answers on its
 * own; in each later round every agent sees the others' last answers (and its own
 * conversation so far) and answers again. The final answers are decided like a consensus —
 * by vote or by a judge. An agent that fails drops out; a majority must last to the end by
 * default. Leaving the state stops every agent mid-round.
 */
import { EffectError } from '../../../effects/errors';
import type { ChatMessage } from '../../types';
import { debatePrompt, taskPrompt } from '../prompts';
import { participants } from '../resolve';
import { decide } from '../decide';
import { debateRounds } from '../params';
import type { Coordination } from '../coordination';
import type { CoordinationResult, ResolvedAgent } from '../types';

export async function runDebate(co: Coordination): Promise<CoordinationResult> {
	const p = co.params;
	const team = participants(p, co.agents);
	if (!team.length) throw new EffectError('invalid_params', 'Every agent is the judge: add agents that debate.');
	const rounds = debateRounds(p, co.ctx.spec as Record<string, unknown>);
	const min = Math.min(p.minSuccess ?? Math.floor(team.length / 2) + 1, team.length);
	const json = p.output === 'json' ? (p.schema ?? { type: 'object' }) : undefined;
	co.announce(p.judge, rounds);
	for (const a of co.agents) co.status(a.name, 'waiting');
	const convo = new Map<string, ChatMessage[]>();
	const last = new Map<string, unknown>();
	let alive: ResolvedAgent[] = team;
	for (let round = 1; round <= rounds; round++) {
		const before = new Map(last);
		const start = alive;
		let failures = 0;
		if (round > 1) for (const a of start) co.status(a.name, 'waiting', { round });
		const results = await co.settle(
			start.map((agent) => async () => {
				const others = start.filter((o) => o !== agent && before.has(o.name)).map((o) => ({ agent: o.name, output: before.get(o.name) }));
				const messages = round === 1 ? await co.opening(agent, taskPrompt(co.task)) : [...convo.get(agent.name)!, { role: 'user' as const, content: debatePrompt(round, rounds, others) }];
				try {
					const r = await co.step(agent, messages, { phase: 'answer', round, ...(json ? { schema: json } : {}) });
					convo.set(agent.name, r.messages);
					last.set(agent.name, r.value);
					co.succeeded(agent.name, r.value);
					return r.value;
				} catch (e) {
					co.failed(agent.name, e);
					if (start.length - ++failures < min) co.stopOthers(`Too few agents are left in the debate (${min} needed).`);
					throw e;
				}
			})
		);
		alive = start.filter((_, i) => results[i].ok);
		for (const a of start) if (!alive.includes(a)) last.delete(a.name);
		co.require(min, team.map((a) => a.name), `agents (after round ${round})`);
	}
	for (const a of alive) co.finalAnswers.set(a.name, { task: taskPrompt(co.task), answer: last.get(a.name) });
	const decision = await decide(co, alive.map((a) => ({ agent: a.name, output: last.get(a.name) })));
	return co.result(decision.output, { decision, rounds });
}
