/**
 * XState v5 itself, on FSM Studio's XState code export: the exported module is transpiled
 * (esbuild), written where it can import the project's `xstate` and `jsonata`, and loaded —
 * which runs XState's `createMachine` — then driven by `createActor` on XState's
 * `SimulatedClock`, step for step like the app's engine on a manual clock.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { createActor, SimulatedClock, type AnyStateMachine } from 'xstate';
import { createInterpreter } from '../../../src/lib/engine';
import type { Workflow } from '../../../src/lib/model/types';
import { exportXStateCode } from '../../../src/lib/io/xstate';
import { ManualClock } from '../trace-harness.mjs';

export type Step = { kind: 'send'; event: string; x: number } | { kind: 'advance'; ms: number };
export interface Observed {
	value: unknown;
	context: unknown;
	status: string;
}

const require = createRequire(import.meta.url);
/** Inside the project, so the module's `import 'xstate'` finds node_modules. */
const DIR = join(dirname(require.resolve('xstate/package.json')), '..', '.cache', `fsm-io-xstate-${process.pid}`);
let counter = 0;

/** Loads the XState code export of a workflow as XState does: `createMachine` runs on import. */
export async function loadXStateExport(workflow: Workflow): Promise<{ machine: AnyStateMachine; text: string }> {
	const text = exportXStateCode(workflow).text;
	const js = (await transform(text, { loader: 'ts', format: 'esm' })).code;
	mkdirSync(DIR, { recursive: true });
	const file = join(DIR, `machine-${++counter}.mjs`);
	writeFileSync(file, js);
	const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { machine: AnyStateMachine };
	return { machine: mod.machine, text };
}

export function cleanXStateExports() {
	rmSync(DIR, { recursive: true, force: true });
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v ?? null)) as unknown;

/**
 * Moves XState's clock as the manual clock moves: to each timer's due time in turn, so a
 * timer started by another timer fires within the same advance (SimulatedClock.increment
 * would start it only at the end of the jump).
 */
async function advance(clock: SimulatedClock, ms: number) {
	const until = clock.now() + ms;
	const timeouts = (clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }).timeouts;
	for (;;) {
		let next = Infinity;
		for (const t of timeouts.values()) next = Math.min(next, t.start + t.timeout);
		if (next > until) break;
		clock.set(Math.max(next, clock.now()));
		await settle();
	}
	clock.set(until);
}

/** The machine driven by XState's interpreter: what it shows after start and after every step. */
export async function traceXState(machine: AnyStateMachine, script: Step[]): Promise<Observed[]> {
	const clock = new SimulatedClock();
	const actor = createActor(machine, { clock });
	const out: Observed[] = [];
	const snap = () => {
		const s = actor.getSnapshot();
		out.push({ value: plain(s.value), context: plain(s.context), status: s.status });
	};
	const log = console.log;
	console.log = () => {};
	try {
		actor.start();
		await settle();
		snap();
		for (const step of script) {
			if (step.kind === 'send') actor.send({ type: step.event, x: step.x });
			else await advance(clock, step.ms);
			await settle();
			snap();
		}
	} finally {
		console.log = log;
		actor.stop();
	}
	return out;
}

/** The same workflow and steps through FSM Studio's engine. */
export async function traceEngine(workflow: Workflow, script: Step[]): Promise<Observed[]> {
	const clock = new ManualClock();
	const it = createInterpreter(workflow, { clock });
	const out: Observed[] = [];
	const snap = () => {
		const s = it.snapshot();
		out.push({ value: plain(s.value), context: plain(s.context), status: s.status });
	};
	it.start();
	await settle();
	snap();
	for (const step of script) {
		if (step.kind === 'send') it.send({ type: step.event, x: step.x });
		else clock.advance(step.ms);
		await settle();
		snap();
	}
	it.stop();
	return out;
}
