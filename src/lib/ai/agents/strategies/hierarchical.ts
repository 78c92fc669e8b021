/**
 * Hierarchical: a supervisor delegates subtasks to worker agents through handoff tools
 * (`delegate_to_<name>`), gets their results back as tool results, and answers when it has
 * what it needs. Workers may delegate further (their `workers`) down to `maxDepth` levels; all
 * delegations and tool calls together stop at `maxSteps` — then the supervisor is told so and
 * must answer with what it has, so a supervisor that would loop ends.
 */
import type { ToolCall, ToolSpec } from '../../types';
import { FatalCoordinationError, type Coordination } from '../coordination';
import { STEP_LIMIT_NOTE, handoffToolName, show, supervisorExtra, taskPrompt } from '../prompts';
import type { CoordinationResult, ResolvedAgent } from '../types';

type Step = NonNullable<CoordinationResult['steps']>[number];

export async function runHierarchical(co: Coordination): Promise<CoordinationResult> {
	const p = co.params;
	const sup = p.supervisor ? co.agent(p.supervisor) : co.agents[0];
	const json = p.output === 'json' ? (p.schema ?? { type: 'object' }) : undefined;
	const steps: Step[] = [];
	co.announce(sup.name);
	for (const a of co.agents) co.status(a.name, 'waiting');

	const workersOf = (agent: ResolvedAgent): ResolvedAgent[] => {
		const names = agent.workers ?? (agent === sup ? co.agents.filter((a) => a !== sup).map((a) => a.name) : []);
		return names.filter((n) => n !== agent.name).map((n) => co.agent(n));
	};

	async function work(agent: ResolvedAgent, task: string, depth: number, from?: string): Promise<unknown> {
		const workers = depth < p.maxDepth ? workersOf(agent) : [];
		const own = co.toolsFor(agent);
		const handoffs = new Map<string, ResolvedAgent>(workers.map((w) => [handoffToolName(w.name), w]));
		const specs: ToolSpec[] = [
			...workers.map((w) => ({
				name: handoffToolName(w.name),
				description: `Delegate a subtask to ${w.name}${w.role ? ` (${w.role})` : ''}; returns its result.`,
				parameters: { type: 'object', properties: { task: { type: 'string', description: 'The subtask, with everything the agent needs to know' } }, required: ['task'] }
			})),
			...own.specs
		];
		const run = async (call: ToolCall): Promise<string | null> => {
			if (!co.takeStep()) return null;
			const w = handoffs.get(call.name);
			if (w) {
				const sub = String(call.arguments.task ?? '').trim() || task;
				try {
					const out = await work(w, sub, depth + 1, agent.name);
					co.succeeded(w.name, out);
					steps.push({ from: agent.name, to: w.name, task: sub, ok: true, output: out });
					return show(out);
				} catch (e) {
					if (e instanceof FatalCoordinationError) throw e;
					co.failed(w.name, e);
					const error = (e as Error)?.message ?? String(e);
					steps.push({ from: agent.name, to: w.name, task: sub, ok: false, error });
					return JSON.stringify({ error: `${w.name} could not do it: ${error}` });
				}
			}
			const tool = own.byName.get(call.name);
			const out = await co.runTool(agent, call, tool, co.stepsUsed);
			steps.push({ from: agent.name, to: `tool:${call.name}`, task: JSON.stringify(call.arguments), ok: !!tool && !out.startsWith('{"error"'), output: out });
			return out;
		};
		const prompt = from ? task : taskPrompt(task);
		const messages = await co.opening(agent, prompt, workers.length ? supervisorExtra(workers) : undefined);
		const r = await co.step(agent, messages, {
			phase: 'answer',
			...(from ? { from, task } : {}),
			...(json && agent === sup ? { schema: json } : {}),
			...(specs.length ? { tools: { specs, run, limitNote: STEP_LIMIT_NOTE(p.maxSteps) } } : {})
		});
		co.finalAnswers.set(agent.name, { task: prompt, answer: r.value });
		return r.value;
	}

	let output: unknown;
	try {
		output = await work(sup, co.task, 0);
		co.succeeded(sup.name, output);
	} catch (e) {
		if (!(e instanceof FatalCoordinationError)) co.failed(sup.name, e);
		throw e;
	}
	co.require(Math.min(p.minSuccess ?? 1, co.agents.length), co.agents.map((a) => a.name));
	const stoppedBy: CoordinationResult['stoppedBy'] = co.stepLimitHit ? 'maxSteps' : 'answer';
	const delegations = steps.filter((s) => !s.to.startsWith('tool:')).length;
	co.progress({
		kind: 'decision',
		method: 'hierarchical',
		winner: sup.name,
		output,
		reasons:
			stoppedBy === 'maxSteps'
				? `${sup.name} reached the limit of ${p.maxSteps} steps and answered with what it had (${steps.length} delegations and tool calls).`
				: `${sup.name} answered after ${delegations} delegation${delegations === 1 ? '' : 's'}.`
	});
	return co.result(output, { steps, stoppedBy });
}
