/**
 * An agent dropped from the node library onto a state that already coordinates agents joins
 * that coordination instead of starting a second one (the designer's `registerEffectMerge`).
 * Pure and small: it runs on the drop.
 */
import type { EffectSpec } from '../../model/types';

type Entry = { ref?: string; name?: string } & Record<string, unknown>;

/**
 * The coordination with the dropped agent(s) added, or undefined when the drop is a team of
 * its own (two or more agents: it is added as usual). An agent already there (same workspace
 * agent) is not added twice; one whose name is taken gets a number ("Critic 2"). Added agents
 * come before the judge and the synthesizer, who decide rather than answer.
 */
export function joinCoordination(existing: EffectSpec, dropped: EffectSpec): EffectSpec | undefined {
	const adding = Array.isArray(dropped.agents) ? (dropped.agents as Entry[]) : [];
	if (adding.length !== 1) return undefined;
	const agents = Array.isArray(existing.agents) ? [...(existing.agents as Entry[])] : [];
	const a = adding[0];
	if (a.ref && agents.some((x) => x.ref === a.ref)) return existing;
	const taken = new Set(agents.map((x) => String(x.name ?? '').toLowerCase()));
	let name = String(a.name ?? 'Agent');
	for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${String(a.name ?? 'Agent')} ${i}`;
	const deciders = new Set([existing.judge, existing.synthesizer].filter((n): n is string => typeof n === 'string'));
	let at = agents.length;
	while (at > 0 && deciders.has(String(agents[at - 1].name))) at--;
	agents.splice(at, 0, { ...a, name });
	return { ...existing, agents };
}
