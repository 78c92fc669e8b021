/**
 * The exported TypeScript module behaves exactly like the app's engine: for every bundled
 * example and 200 random valid workflows, the export compiles under `tsc --strict` and,
 * run in Node on a random sequence of events and clock advances, produces the same trace
 * (states, context, status, emitted events, transitions, logs) as `createInterpreter`.
 *
 * Type checking: the runtime part of every export is the same generated text
 * (RUNTIME_SOURCE, a single `var` statement that reads only globals), so it is checked in
 * full inside complete modules for the examples plus two random workflows; the other
 * workflows' typed parts are checked in one program with that statement replaced by a
 * `declare var` — the test asserts the replaced text is exactly RUNTIME_SOURCE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import ts from 'typescript';
import { transform } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterpreter } from '../../src/lib/engine';
import { createExecutor } from '../../src/lib/effects';
import type { InstanceEvent } from '../../src/lib/engine/types';
import type { Workflow } from '../../src/lib/model/types';
import { examples } from '../../src/lib/examples';
import { exportTypeScript } from '../../src/lib/io/typescript';
import { RUNTIME_GLOBAL, RUNTIME_SOURCE } from '../../src/lib/io/generated/runtime';
import { arbWorkflow } from './helpers';
import { trace, type ManualClock } from './trace-harness.mjs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const RANDOM = 200;
const FULLY_CHECKED_RANDOM = 2;
const AWKWARD = 20;

type Step = { kind: 'send'; event: string; x: number } | { kind: 'advance'; ms: number };

interface Instance {
	start(): void;
	send(e: { type: string; [k: string]: unknown }): void;
	snapshot(): { value: unknown; context: unknown; status: string; error?: unknown; output?: unknown };
	stop(): void;
}
type Create = (options: { clock: ManualClock; onEvent: (e: InstanceEvent) => void }) => Instance;

const steps = fc.array(
	fc.oneof(
		{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), event: fc.constantFrom('A', 'B', 'C', 'D', 'RESET', 'EVT "1"', '*/', 'with space', 'a / b', 'POWER', 'PLAY', 'OPEN', 'CLOSE', 'LOCK', 'UNLOCK', 'MUTE', 'LOUDER', 'TIMER'), x: fc.integer({ min: 0, max: 1 }) }) },
		{ weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(50, 100, 250, 1000, 6000) }) }
	),
	{ minLength: 3, maxLength: 25 }
);

const appEngine =
	(workflow: Workflow): Create =>
	({ clock, onEvent }) =>
		createInterpreter(workflow, { runEffect: createExecutor({ clock }).run, clock, onEvent }) as unknown as Instance;

let dir: string;
let cases: { name: string; workflow: Workflow; text: string; script: Step[] }[];

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'fsm-io-differential-'));
	writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
	const random = fc.sample(arbWorkflow(), { numRuns: RANDOM, seed: 20261125 });
	// A few with awkward state keys and event names (quotes, "*/", unicode, spaces).
	const awkward = fc.sample(arbWorkflow(1, true), { numRuns: AWKWARD, seed: 99 });
	const all = [
		...examples.map((e) => ({ name: e.id, workflow: e.workflow })),
		...random.map((w, i) => ({ name: `random-${i}`, workflow: w })),
		...awkward.map((w, i) => ({ name: `awkward-${i}`, workflow: w }))
	];
	const scripts = fc.sample(steps, { numRuns: all.length, seed: 7 });
	cases = all.map((c, i) => ({ ...c, text: exportTypeScript(c.workflow).text, script: scripts[i] }));
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Where the module is meant to run: a browser page, Node (no DOM types), a worker. */
const ENVIRONMENTS: Record<string, ts.CompilerOptions> = {
	browser: { lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] },
	node: { lib: ['lib.es2022.d.ts'], types: ['node'] },
	worker: { lib: ['lib.es2022.d.ts', 'lib.webworker.d.ts'], types: [] },
	/** The strictest flags users turn on beyond `strict`. */
	strictest: {
		lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
		types: [],
		exactOptionalPropertyTypes: true,
		noUncheckedIndexedAccess: true,
		noUnusedLocals: true,
		noUnusedParameters: true,
		noImplicitReturns: true,
		noImplicitOverride: true,
		noPropertyAccessFromIndexSignature: true,
		noFallthroughCasesInSwitch: true
	}
};

function typeCheck(files: Record<string, string>, environment: keyof typeof ENVIRONMENTS = 'browser'): string[] {
	const options: ts.CompilerOptions = {
		strict: true,
		noEmit: true,
		target: ts.ScriptTarget.ES2022,
		module: ts.ModuleKind.ESNext,
		moduleResolution: ts.ModuleResolutionKind.Bundler,
		...ENVIRONMENTS[environment],
		skipLibCheck: true
	};
	const host = ts.createCompilerHost(options);
	const read = host.readFile.bind(host);
	const getSource = host.getSourceFile.bind(host);
	host.readFile = (f) => (Object.hasOwn(files, f) ? files[f] : read(f));
	host.fileExists = ((exists) => (f: string) => Object.hasOwn(files, f) || exists(f))(host.fileExists.bind(host));
	host.getSourceFile = (f, lang, onError) => (Object.hasOwn(files, f) ? ts.createSourceFile(f, files[f], lang, true) : getSource(f, lang, onError));
	const program = ts.createProgram(Object.keys(files), options, host);
	return ts.getPreEmitDiagnostics(program).map((d) => {
		const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
		return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
	});
}

const WORKER = fileURLToPath(new URL('./trace-worker.mjs', import.meta.url));

/** Runs an exported module in a fresh worker thread (plain Node) and returns its trace. */
function runInWorker(moduleUrl: string, script: Step[]): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const w = new Worker(WORKER, { workerData: { moduleUrl, script } });
		w.once('message', (m: { ok: boolean; trace?: unknown; error?: string }) => {
			void w.terminate();
			if (m.ok) resolve(m.trace);
			else reject(new Error(m.error));
		});
		w.once('error', reject);
	});
}

describe('exported TypeScript', () => {
	it('compiles under tsc --strict: complete modules (runtime included) for the examples and two random workflows', () => {
		const files: Record<string, string> = {};
		const full = cases.filter((c) => !c.name.startsWith('random-') && !c.name.startsWith('awkward-')).concat(cases.filter((c) => c.name.startsWith('random-')).slice(0, FULLY_CHECKED_RANDOM));
		for (const c of full) files[join(dir, `full-${c.name}.ts`)] = c.text;
		expect(typeCheck(files)).toEqual([]);
	}, 600_000);

	it(`compiles under tsc --strict: the typed part of every export (${RANDOM} random workflows, one program)`, () => {
		const files: Record<string, string> = {};
		for (const c of cases) {
			const at = c.text.indexOf(RUNTIME_SOURCE);
			expect(at).toBeGreaterThan(0);
			expect(c.text.indexOf(RUNTIME_SOURCE, at + 1)).toBe(-1);
			files[join(dir, `typed-${c.name}.ts`)] = c.text.slice(0, at) + `declare var ${RUNTIME_GLOBAL}: unknown;\n` + c.text.slice(at + RUNTIME_SOURCE.length);
		}
		expect(typeCheck(files, 'browser')).toEqual([]);
		expect(typeCheck(files, 'node')).toEqual([]);
		expect(typeCheck(files, 'worker')).toEqual([]);
		expect(typeCheck(files, 'strictest')).toEqual([]);
	}, 600_000);

	it('runs in Node and produces the same trace as the app engine', async () => {
		let transitions = 0;
		let asyncDone = 0;
		const one = async (c: (typeof cases)[number]) => {
			const js = await transform(c.text, { loader: 'ts', format: 'esm', target: 'es2022' });
			const file = join(dir, `${c.name}.mjs`);
			writeFileSync(file, js.code);
			const exported = await runInWorker(pathToFileURL(file).href, c.script);
			const app = await trace(appEngine(c.workflow) as never, c.script);
			expect(exported, c.name).toEqual(app);
			transitions += app.events.filter((e) => (e as { kind: string }).kind === 'transition').length;
			asyncDone += app.events.filter((e) => (e as { kind: string; event?: string }).kind === 'transition' && /^(done\.invoke|error)/.test((e as { event: string }).event)).length;
		};
		// Two at a time: one worker loads its module while the other runs.
		for (let i = 0; i < cases.length; i += 2) await Promise.all(cases.slice(i, i + 2).map(one));
		// The scripts must actually move the machines, or the comparison says little.
		expect(transitions).toBeGreaterThan(cases.length * 2);
		expect(asyncDone).toBeGreaterThan(10);
	}, 600_000);
});
