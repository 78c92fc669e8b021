/** The TypeScript export: user-code regions survive a new export; handler slots per provider effect. */
import { describe, expect, it } from 'vitest';
import { exportTypeScript, userRegions } from '../../src/lib/io/typescript';
import { examples } from '../../src/lib/examples';
import type { Workflow } from '../../src/lib/model/types';

const triage = examples.find((e) => e.id === 'support-triage')?.workflow ?? examples[0].workflow;
const withLlm: Workflow = {
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'ask',
	name: 'Ask',
	initial: 'asking',
	context: { answer: '' },
	states: {
		asking: { invoke: { type: 'call_llm', prompt: 'Hi' }, onDone: 'done', on: { CANCEL: 'done' } },
		done: { type: 'final' }
	}
};

describe('TypeScript export', () => {
	it('types the events and context, and has a handler slot for each provider effect', () => {
		const { text } = exportTypeScript(withLlm);
		expect(text).toContain('| { type: "CANCEL"; [key: string]: unknown }');
		expect(text).toContain('"answer": string;');
		expect(text).toContain('// <user-code id="handler:call_llm">');
		expect(text).toMatch(/export function createWorkflow\(options: WorkflowOptions = \{\}\): WorkflowInstance/);
		expect(text).not.toMatch(/^import /m);
	});

	it('keeps the code written in user-code regions when the previous file is given back', () => {
		const first = exportTypeScript(withLlm).text;
		const edited = first
			.replace(/(\/\/ <user-code id="handler:call_llm">\n)[\s\S]*?(\t\/\/ <\/user-code>)/, '$1\t"call_llm": async (params) => ({ text: `echo ${params.prompt}` }),\n$2')
			.replace('// <user-code id="extra">\n', '// <user-code id="extra">\nexport const mine = 42;\n');
		const changed: Workflow = { ...withLlm, states: { ...withLlm.states, asking: { ...withLlm.states.asking, on: { CANCEL: 'done', RETRY: 'asking' } } } };
		const second = exportTypeScript(changed, { previous: edited });
		expect(second.lost).toEqual([]);
		expect(second.text).toContain('"call_llm": async (params) => ({ text: `echo ${params.prompt}` }),');
		expect(second.text).toContain('export const mine = 42;');
		expect(second.text).toContain('"RETRY"');
		expect(userRegions(second.text).get('handler:call_llm')).toBe(userRegions(edited).get('handler:call_llm'));
	});

	it('reports code whose region no longer exists, and keeps it commented at the end', () => {
		const first = exportTypeScript(withLlm).text.replace(/(\/\/ <user-code id="handler:call_llm">\n)[\s\S]*?(\t\/\/ <\/user-code>)/, '$1\t"call_llm": () => "mine",\n$2');
		const noLlm: Workflow = { ...withLlm, states: { asking: { on: { CANCEL: 'done' } }, done: { type: 'final' } } };
		const second = exportTypeScript(noLlm, { previous: first });
		expect(second.lost[0].message).toMatch(/region "handler:call_llm" has no place/);
		expect(second.text).toContain('/* Region "handler:call_llm" from the previous export:\n\t"call_llm": () => "mine",\n*/');
	});

	it('exports every example', () => {
		for (const ex of [...examples.map((e) => e.workflow), triage]) expect(exportTypeScript(ex).text.length).toBeGreaterThan(1000);
	});
});

describe('TypeScript export of awkward names', () => {
	it('quotes, backslashes, comment ends and unicode in names, events and context stay valid strict TypeScript', async () => {
		const ts = (await import('typescript')).default;
		const { RUNTIME_GLOBAL, RUNTIME_SOURCE } = await import('../../src/lib/io/generated/runtime');
		const w: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'we*/ird',
			name: 'Name with */ and \\ and "quotes"\nand a newline',
			description: 'Ends a comment */ here',
			initial: 'a "b"',
			context: { 'key with "quotes"': 1, 'ünï': 'x', nested: { 'a-b': [1, 'two', null] } },
			states: {
				'a "b"': { on: { 'EVT "1"': 'c\\d', '*/': 'c\\d', 'ÉVÉNEMENT': 'c\\d' } },
				'c\\d': { type: 'final' }
			}
		};
		const text = exportTypeScript(w).text;
		const typed = text.replace(RUNTIME_SOURCE, `declare var ${RUNTIME_GLOBAL}: unknown;\n`);
		const file = '/virtual/awkward.ts';
		const options: import('typescript').CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [], skipLibCheck: true };
		const host = ts.createCompilerHost(options);
		const getSource = host.getSourceFile.bind(host);
		host.getSourceFile = (f, lang, onError) => (f === file ? ts.createSourceFile(f, typed, lang, true) : getSource(f, lang, onError));
		const readFile = host.readFile.bind(host);
		host.readFile = (f) => (f === file ? typed : readFile(f));
		host.fileExists = ((exists) => (f: string) => f === file || exists(f))(host.fileExists.bind(host));
		const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([file], options, host)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		expect(diagnostics).toEqual([]);
		expect(text).toContain('| { type: "EVT \\"1\\""; [key: string]: unknown }');
	}, 60_000);
});

describe('handlers in the exported module', () => {
	it('a handler passed to createWorkflow runs the effect, gets an AbortSignal, and its result flows into the workflow', async () => {
		const { transform } = await import('esbuild');
		const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const { join } = await import('node:path');
		const { pathToFileURL } = await import('node:url');
		const w: Workflow = {
			format: 'fsm-studio/workflow',
			version: 1,
			id: 'ask',
			name: 'Ask',
			initial: 'asking',
			context: { answer: null },
			states: {
				asking: { invoke: { type: 'call_llm', prompt: 'Say hi to {{ event.who }}', assignTo: 'answer' }, onDone: 'done', onError: 'failed' },
				done: { type: 'final' },
				failed: { type: 'final' }
			}
		};
		const dir = mkdtempSync(join(tmpdir(), 'fsm-io-handlers-'));
		try {
			const file = join(dir, 'ask.mjs');
			writeFileSync(file, (await transform(exportTypeScript(w).text, { loader: 'ts', format: 'esm' })).code);
			const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as {
				createWorkflow(o: { handlers?: Record<string, (p: Record<string, unknown>, ctx: { signal: AbortSignal }) => unknown> }): { start(): void; snapshot(): { value: unknown; context: Record<string, unknown>; status: string } };
			};
			const seen: unknown[] = [];
			const run = mod.createWorkflow({
				handlers: {
					call_llm: async (params, ctx) => {
						seen.push(params.prompt, ctx.signal instanceof AbortSignal);
						return `hi from the model`;
					}
				}
			});
			run.start();
			for (let i = 0; i < 20 && run.snapshot().status === 'active'; i++) await new Promise((r) => setTimeout(r, 5));
			expect(run.snapshot()).toMatchObject({ value: 'done', status: 'done', context: { answer: 'hi from the model' } });
			expect(seen[0]).toMatch(/^Say hi to/);
			expect(seen[1]).toBe(true);
			// Without a handler the file's own stub explains what to do, and onError is taken.
			const bare = mod.createWorkflow({});
			bare.start();
			for (let i = 0; i < 20 && bare.snapshot().status === 'active'; i++) await new Promise((r) => setTimeout(r, 5));
			expect(bare.snapshot().value).toBe('failed');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
