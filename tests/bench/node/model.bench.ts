// Model benchmarks: parse, lint and serialize of a 500-state workflow (the designer
// re-parses and re-lints on every edit, so these must stay in the low milliseconds).
import type { Report } from '../report';
import { lintWorkflow, parseWorkflow, serializeWorkflow, type Workflow } from '../../../src/lib/model';

function bigWorkflow(n: number): Workflow {
	const states: Record<string, unknown> = {};
	for (let i = 0; i < n; i++) {
		const next = `s${(i + 1) % n}`;
		states[`s${i}`] =
			i % 10 === 0
				? {
						initial: 'a',
						states: { a: { on: { STEP: 'b' } }, b: { after: { '1000': 'a' } } },
						on: { NEXT: next }
					}
				: {
						on: {
							NEXT: [{ target: next, guard: `context.n > ${i}`, effects: [{ type: 'assign', set: { n: `context.n + ${i}` } }] }, { target: `s${i}` }]
						},
						entry: [{ type: 'log', message: `in s${i}: {{ context.n * ${i} }}` }]
					};
	}
	return { format: 'fsm-studio/workflow', version: 1, id: 'big', name: 'Big', initial: 's0', context: { n: 0 }, states } as Workflow;
}

/** Wall-clock ms per run, plus CPU ms per run (steadier when the machine is shared). */
function time(fn: () => void, runs: number): number {
	fn();
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	for (let i = 0; i < runs; i++) fn();
	const wall = (performance.now() - t0) / runs;
	const c = process.cpuUsage(c0);
	lastCpu = (c.user + c.system) / 1000 / runs;
	return wall;
}
let lastCpu = 0;

export default async function (report: Report) {
	const w = bigWorkflow(500);
	const text = JSON.stringify(w);
	report('model.parse_500_ms', time(() => parseWorkflow(text), 50), 'ms', { cpuMs: lastCpu });
	report('model.lint_500_ms', time(() => lintWorkflow(w), 50), 'ms', { cpuMs: lastCpu });
	// First lint of fresh expressions (JSONata parse cache cold): a new workflow each run.
	let k = 0;
	const fresh = Array.from({ length: 6 }, () => {
		const s = JSON.stringify(bigWorkflow(500)).replaceAll('context.n', `context.m${k++}`);
		return JSON.parse(s) as Workflow;
	});
	let j = 0;
	report('model.lint_500_cold_ms', time(() => lintWorkflow(fresh[j++]), 5), 'ms', { cpuMs: lastCpu });
	const parsed = parseWorkflow(w);
	if (!parsed.ok) throw new Error('bench workflow does not parse');
	report('model.serialize_500_ms', time(() => serializeWorkflow(parsed.workflow), 50), 'ms', { cpuMs: lastCpu });
}
