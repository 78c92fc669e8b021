/**
 * Sequential: each agent works on the previous one's output, in the order of the list; the
 * last answer is the result. An agent that fails is skipped (the next one gets the last good
 * output) as long as the failure policy can still be met — by default every agent must answer.
 */
import { sequentialPrompt } from '../prompts';
import { FatalCoordinationError, type Coordination } from '../coordination';
import type { CoordinationResult } from '../types';

export async function runSequential(co: Coordination): Promise<CoordinationResult> {
	const team = co.agents;
	const min = Math.min(co.params.minSuccess ?? team.length, team.length);
	co.announce();
	for (const a of team) co.status(a.name, 'waiting');
	let previous: { agent: string; output: unknown } | undefined;
	let failures = 0;
	for (let i = 0; i < team.length; i++) {
		const agent = team[i];
		const last = i === team.length - 1;
		const prompt = sequentialPrompt(co.task, previous);
		try {
			const r = await co.step(agent, await co.opening(agent, prompt), { phase: 'answer', ...(last && co.params.output === 'json' ? { schema: co.params.schema ?? { type: 'object' } } : {}) });
			co.succeeded(agent.name, r.value);
			co.finalAnswers.set(agent.name, { task: prompt, answer: r.value });
			previous = { agent: agent.name, output: r.value };
		} catch (e) {
			if (e instanceof FatalCoordinationError) throw e;
			co.failed(agent.name, e);
			failures++;
			if (team.length - failures < min) {
				for (const rest of team.slice(i + 1)) co.failed(rest.name, new Error('not run: too many agents before it failed'));
				break;
			}
		}
	}
	co.require(min, team.map((a) => a.name));
	const out = previous!;
	co.progress({ kind: 'decision', method: 'sequential', winner: out.agent, output: out.output, reasons: `${out.agent} gave the last answer of the chain (${team.length - failures} of ${team.length} agents answered).` });
	return co.result(out.output);
}
