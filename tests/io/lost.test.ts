/** What a format cannot carry is reported, never dropped silently: one test per case. */
import { describe, expect, it } from 'vitest';
import type { Workflow } from '../../src/lib/model/types';
import { exportMermaid } from '../../src/lib/io/mermaid';
import { exportScxml } from '../../src/lib/io/scxml';
import { exportXStateJson, exportXStateCode, importXState } from '../../src/lib/io/xstate';
import type { ExportResult, LostItem } from '../../src/lib/io/types';

const base = (states: Workflow['states'], extra: Partial<Workflow> = {}): Workflow => ({
	format: 'fsm-studio/workflow',
	version: 1,
	id: 'w',
	name: 'W',
	initial: Object.keys(states)[0],
	states,
	...extra
});

function lostAt(r: ExportResult | { lost: LostItem[] }, path: (string | number)[], words: RegExp) {
	const hit = r.lost.find((l) => JSON.stringify(l.path) === JSON.stringify(path));
	expect(hit, `${JSON.stringify(path)} in ${JSON.stringify(r.lost)}`).toBeDefined();
	expect(hit!.message).toMatch(words);
}

describe('Mermaid export reports', () => {
	it('context', () => lostAt(exportMermaid(base({ a: {} }, { context: { n: 1 } })), ['context'], /context/));
	it('transitions of every state (root on)', () => lostAt(exportMermaid(base({ a: {} }, { on: { E: 'a' } })), ['on'], /every state/));
	it('layout', () => lostAt(exportMermaid(base({ a: {} }, { layout: { a: { x: 1, y: 2 } } })), ['layout'], /Positions/));
	it('entry and exit effects', () => {
		const r = exportMermaid(base({ a: { entry: [{ type: 'log', message: 'x' }], exit: [{ type: 'log', message: 'y' }] } }));
		lostAt(r, ['states', 'a', 'entry'], /entry effects/);
		lostAt(r, ['states', 'a', 'exit'], /exit effects/);
	});
	it('transition effects', () => lostAt(exportMermaid(base({ a: { on: { E: { target: 'a', effects: [{ type: 'log', message: 'x' }] } } } })), ['states', 'a', 'on', 'E', 0, 'effects'], /effects/));
	it('invoked work', () => lostAt(exportMermaid(base({ a: { invoke: { type: 'http', url: 'x' } } })), ['states', 'a', 'invoke'], /invoked work/));
	it('targetless transitions', () => lostAt(exportMermaid(base({ a: { on: { E: { effects: [{ type: 'log', message: 'x' }] } } } })), ['states', 'a', 'on', 'E', 0], /no target/));
	it('several targets', () => lostAt(exportMermaid(base({ p: { type: 'parallel', states: { r: { initial: 'x', states: { x: {} } }, s: { initial: 'y', states: { y: {} } } } }, a: { on: { E: { target: ['#x', '#y'] } } } })), ['states', 'a', 'on', 'E', 0], /only the first/));
	it('history states', () => lostAt(exportMermaid(base({ c: { initial: 'x', states: { x: {}, h: { type: 'history' } } } })), ['states', 'c', 'states', 'h'], /History/));
	it('re-entry', () => lostAt(exportMermaid(base({ a: { on: { E: { target: 'a', reenter: true } } } })), ['states', 'a', 'on', 'E', 0, 'reenter'], /Re-enter/));
	it('tags, meta and output', () => {
		const r = exportMermaid(base({ a: { tags: ['t'], meta: { k: 1 } }, f: { type: 'final', output: 'context.n' } }));
		lostAt(r, ['states', 'a', 'tags'], /tags/);
		lostAt(r, ['states', 'a', 'meta'], /meta/);
		lostAt(r, ['states', 'f', 'output'], /output/);
	});
});

describe('SCXML export reports', () => {
	it('transitions of every state (root on)', () => lostAt(exportScxml(base({ a: {} }, { on: { E: 'a' } })), ['on'], /every state/));
	it('layout', () => lostAt(exportScxml(base({ a: {} }, { layout: { a: { x: 1, y: 2 } } })), ['layout'], /Positions/));
	it('workflow meta', () => lostAt(exportScxml(base({ a: {} }, { meta: { k: 1 } })), ['meta'], /meta/));
	it('tags and state meta', () => {
		const r = exportScxml(base({ a: { tags: ['t'], meta: { k: 1 } } }));
		lostAt(r, ['states', 'a', 'tags'], /tags/);
		lostAt(r, ['states', 'a', 'meta'], /meta/);
	});
	it('transition descriptions', () => lostAt(exportScxml(base({ a: { on: { E: { target: 'a', description: 'why' } } } })), ['states', 'a', 'on', 'E', 'description'], /description/));
	it('keeps everything else: effects, delays, history, invoke, output', () => {
		const r = exportScxml(
			base({
				a: { entry: [{ type: 'http', url: 'https://x' }], after: { 100: 'c' }, invoke: { type: 'call_llm', prompt: 'hi' }, onDone: 'c', onError: 'f' },
				c: { initial: 'x', states: { x: {}, h: { type: 'history', history: 'deep', target: 'x' } } },
				f: { type: 'final', output: 'context.n' }
			})
		);
		expect(r.lost).toEqual([]);
	});
});

describe('XState', () => {
	it('code export is valid TypeScript syntax', async () => {
		const ts = (await import('typescript')).default;
		const { examples } = await import('../../src/lib/examples');
		const awkward = base({ 'a "b"': { on: { '*/': 'c\\d' }, entry: [{ type: "it's", x: 1 }], invoke: { type: "we'ird\\" } }, 'c\\d': {} }, { name: 'Name */ with\nnewline', context: { 'k "q"': 1 } });
		for (const ex of [...examples, { workflow: awkward }]) {
			const out = ts.transpileModule(exportXStateCode(ex.workflow).text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
			expect(out.diagnostics ?? []).toEqual([]);
		}
	});
	it('export loses nothing (extras ride in meta)', () => {
		expect(exportXStateJson(base({ a: { tags: ['t'], onError: 'a', output: 'x' } }, { layout: { a: { x: 0, y: 0 } } })).lost).toEqual([]);
	});
	it('code export says the output expression is not evaluated', () => lostAt(exportXStateCode(base({ a: { on: { E: 'f' } }, f: { type: 'final', output: 'context.n' } })), ['states', 'f', 'output'], /output/));
	it('import reports named guards, inline actions, named delays, several invokes, unknown fields (wildcard events are imported)', () => {
		const r = importXState({
			id: 'm',
			initial: 'a',
			predictableActionArguments: true,
			states: {
				a: {
					on: { E: { target: 'b', guard: 'isReady' }, '*': 'b' },
					after: { SLOW: 'b' },
					invoke: [{ src: 'x' }, { src: 'y' }],
					entry: [42, 'notifyUser', { type: 'log', params: { message: 'hi' } }],
					activities: ['beep']
				},
				b: {}
			}
		});
		expect(r.ok).toBe(true);
		if (!r.ok) return;
		const msgs = r.lost.map((l) => l.message).join('\n');
		expect(msgs).toMatch(/guard "isReady" is code/);
		expect(msgs).not.toMatch(/Wildcard/);
		expect(r.workflow.states.a.on!['*']).toEqual('b');
		expect(msgs).toMatch(/delay "SLOW" is named/);
		expect(msgs).toMatch(/invokes 2 things/);
		expect(msgs).toMatch(/An action is neither/);
		expect(msgs).toMatch(/action "notifyUser" is code in XState/);
		expect(msgs).not.toMatch(/action "log"/);
		expect(msgs).toMatch(/"activities"/);
		expect(msgs).toMatch(/"predictableActionArguments"/);
		expect(msgs).toMatch(/invoked actor "x" is code in XState/);
		expect(r.workflow.states.a.on!.E).toEqual({ target: 'b' });
	});
});
