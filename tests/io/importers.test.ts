/** Importing what people already have: foreign Mermaid, SCXML and XState, and errors with places. */
import { describe, expect, it } from 'vitest';
import { importMermaid } from '../../src/lib/io/mermaid';
import { importScxml } from '../../src/lib/io/scxml';
import { importJson } from '../../src/lib/io/json';
import { importXStateCode, exportXStateCode } from '../../src/lib/io/xstate';
import { examples } from '../../src/lib/examples';
import { importDataFile, importFile, detectFormat } from '../../src/lib/io/drop';
import { parseXml, XmlError } from '../../src/lib/io/xml';
import type { ImportResult } from '../../src/lib/io/types';

function ok(r: ImportResult) {
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r;
}

describe('Mermaid import', () => {
	it('reads a README diagram: composite states, notes, descriptions, labels, start and end', () => {
		const r = ok(
			importMermaid(`%% from a README
stateDiagram-v2
    direction LR
    [*] --> Still
    Still --> Moving : PUSH
    Moving --> Still : STOP [context.speed = 0]
    Moving --> Crash : HIT
    state Moving {
        [*] --> Slow
        Slow --> Fast : FASTER
    }
    Still : Not moving at all
    note right of Crash : Game over
    Crash --> [*]
`)
		);
		const w = r.workflow;
		expect(w.initial).toBe('Still');
		expect(w.states.Still.description).toBe('Not moving at all');
		expect(w.states.Moving.initial).toBe('Slow');
		expect(w.states.Moving.states!.Fast).toEqual({});
		expect(w.states.Moving.on!.STOP).toEqual([{ target: 'Still', guard: 'context.speed = 0' }]);
		expect(w.states.Crash).toEqual({ description: 'Game over', type: 'final' });
		expect(r.lost.map((l) => l.message).join()).toMatch(/direction "LR"/);
	});

	it('reads parallel regions separated by --, unlabelled arrows as eventless, end markers with events', () => {
		const r = ok(
			importMermaid(`stateDiagram-v2
[*] --> Active
state Active {
    [*] --> NumLockOff
    NumLockOff --> NumLockOn : EvNumLockPressed
    NumLockOn --> NumLockOff : EvNumLockPressed
    --
    [*] --> CapsLockOff
    CapsLockOff --> CapsLockOn : EvCapsLockPressed
    CapsLockOn --> [*] : QUIT
}
Active --> Done
Done
`)
		);
		const a = r.workflow.states.Active;
		expect(a.type).toBe('parallel');
		expect(Object.keys(a.states!)).toEqual(['region1', 'region2']);
		expect(a.states!.region2.states!.CapsLockOn.on!.QUIT).toEqual([{ target: 'end' }]);
		expect(a.states!.region2.states!.end).toEqual({ type: 'final' });
		expect(a.onDone).toEqual([{ target: 'Done' }]);
		expect(r.lost.some((l) => /no label/.test(l.message))).toBe(true);
	});

	it('extracts the diagram from a Markdown fence and reports errors with the file line', () => {
		expect(ok(importMermaid('# Doc\n\n```mermaid\nstateDiagram-v2\n[*] --> a\n```\n')).workflow.initial).toBe('a');
		const bad = importMermaid('# Doc\n\n```mermaid\nstateDiagram-v2\n[*] --> a\na -> b\n```\n');
		expect(bad.ok).toBe(false);
		if (!bad.ok) {
			expect(bad.errors[0].line).toBe(6);
			expect(bad.errors[0].message).toMatch(/Line 6: this line is not Mermaid state diagram syntax/);
		}
	});

	it('says what is wrong: missing header, unclosed composite, two starts', () => {
		const cases: [string, RegExp][] = [
			['graph TD\nA --> B', /must start with "stateDiagram-v2"/],
			['stateDiagram-v2\nstate a {\n[*] --> b', /"a" is never closed/],
			['stateDiagram-v2\n[*] --> a\n[*] --> b', /already starts at "a"/],
			['stateDiagram-v2\n', /no states/]
		];
		for (const [text, msg] of cases) {
			const r = importMermaid(text);
			expect(r.ok).toBe(false);
			if (!r.ok) expect(r.errors[0].message).toMatch(msg);
		}
	});
});

describe('SCXML import', () => {
	const W3C = `<?xml version="1.0"?>
<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" initial="idle" datamodel="ecmascript" name="Microwave">
  <datamodel><data id="timer" expr="0"/><data id="label">'ready'</data></datamodel>
  <state id="idle">
    <transition event="turn.on" target="cooking"/>
  </state>
  <parallel id="cooking">
    <state id="engine">
      <initial><transition target="off"/></initial>
      <state id="off"><transition event="start" target="on"/></state>
      <state id="on">
        <onentry><assign location="timer" expr="timer + 1"/><log label="cooking" expr="timer"/><send event="tick" id="tick" delay="1s"/></onentry>
        <onexit><cancel sendid="tick"/></onexit>
        <transition event="tick" cond="timer &lt; 5" target="on"/>
        <transition event="tick" target="done"/>
      </state>
      <final id="done"/>
      <history id="hist" type="deep"><transition target="off"/></history>
    </state>
    <state id="door"><state id="closed"><transition event="door.open" target="opened"><raise event="stop"/></transition></state><state id="opened"/></state>
    <transition event="done.state.engine" target="idle"/>
  </parallel>
</scxml>`;

	it('reads states, parallel, initial, final, history, datamodel and executable content; ECMAScript becomes JSONata; a delayed send cancelled on exit becomes after', () => {
		const r = ok(importScxml(W3C));
		const w = r.workflow;
		expect(w.name).toBe('Microwave');
		expect(w.context).toEqual({ timer: 0, label: 'ready' });
		const engine = w.states.cooking.states!.engine;
		expect(w.states.cooking.type).toBe('parallel');
		expect(engine.initial).toBe('off');
		expect(engine.states!.done.type).toBe('final');
		expect(engine.states!.hist).toMatchObject({ type: 'history', history: 'deep', target: 'off' });
		const on = engine.states!.on;
		expect(on.entry).toEqual([
			{ type: 'assign', set: { timer: '(context.timer + 1)' } },
			{ type: 'log', message: 'cooking: {{ context.timer }}' }
		]);
		expect(on.after).toEqual({ '1000': [{ target: 'on', guard: '(context.timer < 5)', reenter: true }, { target: 'done' }] });
		expect(on.on).toBeUndefined();
		expect(w.states.cooking.states!.door.states!.closed.on!['door.open']).toEqual([{ target: 'opened', effects: [{ type: 'raise', event: 'stop' }] }]);
		expect(engine.onDone).toEqual([{ target: '#idle' }]);
		expect(w.states.idle.id).toBe('idle');
		expect(w.states.cooking.on).toBeUndefined();
		expect(r.lost).toEqual([]);
	});

	it('a delayed send that is not cancelled on exit stays a send, a send to the external queue is a send, ECMAScript it cannot translate is listed as lost', () => {
		const r = ok(importScxml(W3C.replace('<onexit><cancel sendid="tick"/></onexit>', '').replace('<raise event="stop"/>', '<send event="stop"/>').replace('cond="timer &lt; 5"', 'cond="In(\'off\')"')));
		expect(r.lost.map((l) => l.message)).toEqual([expect.stringMatching(/the ECMAScript condition "In\('off'\)" was kept as written but will not work, because it calls In\(\)/)]);
		const on = r.workflow.states.cooking.states!.engine.states!.on;
		expect(on.after).toBeUndefined();
		expect(on.entry?.at(-1)).toEqual({ type: 'send', event: 'tick', delay: 1000, id: 'tick' });
		expect(Object.keys(on.on!)).toEqual(['tick']);
		expect(r.workflow.states.cooking.states!.door.states!.closed.on!['door.open']).toEqual([{ target: 'opened', effects: [{ type: 'send', event: 'stop' }] }]);
	});

	it('errors carry line and column', () => {
		const r = importScxml('<scxml>\n  <state id="a">\n    <transition target="b"/>\n  </stat>\n</scxml>');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 4, message: expect.stringMatching(/<\/stat> closes <state> from line 2/) });
		const missing = importScxml('<scxml>\n<state id="a">\n<transition event="E" target="zz"/>\n</state>\n</scxml>');
		expect(missing.ok).toBe(false);
		if (!missing.ok) expect(missing.errors[0].message).toMatch(/Line 3: the target "zz" does not exist/);
	});

	it('the XML parser refuses DOCTYPE, unknown entities and undeclared prefixes', () => {
		expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(XmlError);
		expect(() => parseXml('<x>&nope;</x>')).toThrow(/unknown entity/);
		expect(() => parseXml('<p:x/>')).toThrow(/not declared/);
		expect(parseXml('<x a="&lt;&#65;&#x42;">t<![CDATA[<raw>]]></x>')).toMatchObject({ attrs: { a: '<AB' }, children: [{ text: 't' }, { text: '<raw>' }] });
	});
});

describe('JSON import', () => {
	it('migrates a version 0 document', () => {
		const r = ok(importJson(JSON.stringify({ id: 'old', name: 'Old', initial: 'a', states: { a: {}, b: {} }, transitions: [{ from: 'a', event: 'GO', to: 'b' }] })));
		expect(r.workflow.version).toBe(1);
		expect(r.workflow.states.a.on).toEqual({ GO: 'b' });
	});
	it('takes an XState config for what it is', () => {
		const r = ok(importJson(JSON.stringify({ id: 'toggle', initial: 'off', states: { off: { on: { T: 'on' } }, on: { on: { T: 'off' } } } })));
		expect(r.workflow.id).toBe('toggle');
		expect(r.workflow.states.on.on).toEqual({ T: 'off' });
	});
	it('locates syntax errors and bad references', () => {
		const a = importJson('{\n  "format": "fsm-studio/workflow",\n  "states": {,}\n}');
		expect(a.ok).toBe(false);
		if (!a.ok) expect(a.errors[0].message).toMatch(/line 3/);
		const b = importJson(JSON.stringify({ format: 'fsm-studio/workflow', version: 1, id: 'x', name: 'x', initial: 'a', states: { a: { on: { E: 'zz' } } } }));
		expect(b.ok).toBe(false);
		if (!b.ok) expect(b.errors[0]).toMatchObject({ path: ['states', 'a', 'on', 'E'] });
	});
});

describe('importFile picks the format', () => {
	it('by name, then by content', async () => {
		expect(detectFormat('x.fsm.json', '')).toBe('json');
		expect(detectFormat('door.mmd', '')).toBe('mermaid');
		expect(detectFormat('door.scxml', '')).toBe('scxml');
		expect(detectFormat('', '  stateDiagram-v2\n')).toBe('mermaid');
		expect(detectFormat('', '<?xml version="1.0"?><scxml/>')).toBe('scxml');
		expect(detectFormat('', 'hello')).toBeUndefined();
		const r = await importFile('notes.txt', 'hello');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0].message).toMatch(/not a format FSM Studio can import/);
		expect((await importFile('door.mmd', 'stateDiagram-v2\n[*] --> closed\nclosed --> open : OPEN\n')).ok).toBe(true);
		expect(importDataFile('door.mmd', 'stateDiagram-v2\n[*] --> closed\n').ok).toBe(true);
		expect((await importFile('m.ts', "createMachine({ initial: 'a', states: { a: {} } })")).ok).toBe(true);
	});
});

describe('XState code import', () => {
	it('reads createMachine({ … }) as data and reports the code it leaves out', async () => {
		const r = ok(
			await importXStateCode(`import { setup, assign } from 'xstate';
export const m = setup({ actions: { notify: () => {} } }).createMachine({
  id: 'toggle',
  initial: 'inactive', // comment
  context: { count: 0, label: \`idle\`, max: MAX },
  states: {
    inactive: { on: { TOGGLE: 'active' } },
    active: {
      entry: [assign({ count: ({ context }) => context.count + 1 }), 'notify'],
      on: { TOGGLE: { target: 'inactive', guard: ({ context }) => context.count < 10 } },
      after: { 1000: 'inactive' },
    },
  },
} as const);`)
		);
		expect(r.workflow.context).toEqual({ count: 0, label: 'idle' });
		expect(r.workflow.states.active.after).toEqual({ '1000': 'inactive' });
		expect(r.workflow.states.active.entry).toEqual([{ type: 'notify' }]);
		const msgs = r.lost.map((l) => l.message).join('\n');
		expect(msgs).toMatch(/"max": "MAX" is code/);
		expect(msgs).toMatch(/"assign\(\{ count: .*\)" is code/);
		expect(msgs).toMatch(/"guard": "\(\{ context \}\) => context.count < 10" is code/);
	});

	it('reads back what exportXStateCode writes', async () => {
		for (const ex of examples) {
			const r = ok(await importXStateCode(exportXStateCode(ex.workflow).text));
			expect(r.workflow.states).toEqual(ok(importJson(JSON.stringify(ex.workflow))).workflow.states);
		}
	});

	it('says where the code stops being readable', async () => {
		const r = await importXStateCode('const m = createMachine({\n  states: {\n    a: { on: { E: "b" }\n');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors[0]).toMatchObject({ line: 4, message: expect.stringMatching(/^Line 4: the code cannot be read: Unexpected token/) });
		const none = await importXStateCode('export const x = 1;');
		expect(none.ok).toBe(false);
		if (!none.ok) expect(none.errors[0].message).toMatch(/no createMachine/);
	});
});
