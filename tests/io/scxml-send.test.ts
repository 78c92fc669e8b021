/**
 * SCXML `<send>` and `<cancel>` ↔ the engine's `send` / `cancel` effects: what each form
 * imports as, what is listed as lost (with its line), that the imported workflow behaves as
 * SCXML says when the engine runs it, and that the exporter writes them back as `<send>` /
 * `<cancel>` that read back the same.
 */
import { describe, expect, it } from 'vitest';
import { exportScxml, importScxml } from '../../src/lib/io/scxml';
import { createInterpreter } from '../../src/lib/engine';
import type { EffectSpec, Workflow } from '../../src/lib/model/types';
import { ManualClock, wf } from '../engine/helpers';

const doc = (body: string, dm = 'ecmascript', data = '') =>
	`<scxml xmlns="http://www.w3.org/2005/07/scxml" version="1.0" datamodel="${dm}" initial="a">${data ? `<datamodel>${data}</datamodel>` : ''}${body}<final id="pass"/><final id="fail"/></scxml>`;

function imported(text: string) {
	const r = importScxml(text);
	if (!r.ok) throw new Error(JSON.stringify(r.errors));
	return r;
}

/** The effects of <onentry> of state "a" for one action. */
function entryOf(action: string, data = '<data id="Var1" expr="\'1s\'"/><data id="Var2"/>') {
	const r = imported(doc(`<state id="a"><onentry>${action}</onentry></state>`, 'ecmascript', data));
	return { entry: r.workflow.states.a.entry, lost: r.lost };
}

describe('SCXML <send> import', () => {
	it('maps each form onto send / raise with its event, data, delay and id', () => {
		const cases: [string, EffectSpec[]][] = [
			['<send event="e"/>', [{ type: 'send', event: 'e' }]],
			['<send event="e" target="#_internal"/>', [{ type: 'raise', event: 'e' }]],
			['<send event="e" type="http://www.w3.org/TR/scxml/#SCXMLEventProcessor"/>', [{ type: 'send', event: 'e' }]],
			['<send event="e" delay="1.5s" id="t"/>', [{ type: 'send', event: 'e', delay: 1500, id: 't' }]],
			['<send event="e" delay="250ms"/>', [{ type: 'send', event: 'e', delay: 250 }]],
			['<send event="e" delay="0s"/>', [{ type: 'send', event: 'e' }]],
			['<send event="e" delayexpr="\'.5s\'"/>', [{ type: 'send', event: 'e', delay: 500 }]],
			['<send eventexpr="\'ev\' + \'1\'"/>', [{ type: 'send', event: '{{ ("ev" & "1") }}' }]],
			['<send event="e" namelist="Var1"><param name="p" expr="Var2"/><param name="n" expr="3"/><param name="s" expr="\'x\'"/></send>', [{ type: 'send', event: { type: 'e', Var1: '{{ context.Var1 }}', p: '{{ context.Var2 }}', n: 3, s: 'x' } }]],
			['<send event="e"><content>{"a": 1, "b": [true]}</content></send>', [{ type: 'send', event: { type: 'e', a: 1, b: [true] } }]],
			['<send event="e" idlocation="Var2" delay="1s"/>', [{ type: 'assign', set: { Var2: expect.stringMatching(/^"send\.1\.\d+"$/) } }, { type: 'send', event: 'e', delay: 1000, id: expect.stringMatching(/^send\.1\.\d+$/) }]]
		];
		for (const [action, effects] of cases) {
			const r = entryOf(action);
			expect(r.entry, action).toEqual(effects);
			if (!action.includes('idlocation')) expect(r.lost, action).toEqual([]);
		}
		// The made-up id is the one stored in the location.
		const id = entryOf('<send event="e" idlocation="Var2"/>').entry!;
		expect(JSON.parse((id[0].set as { Var2: string }).Var2)).toBe(id[1].id);
	});

	it('a delayexpr that is not a constant becomes an expression turning SCXML\'s time text into milliseconds', () => {
		const r = entryOf('<send event="e" delayexpr="Var1"/>');
		expect(r.lost).toEqual([]);
		const delay = r.entry![0].delay as string;
		expect(delay).toContain('context.Var1');
		// Run it: Var1 is "1s" → fires at 1000 ms, not before.
		for (const [text, due] of [["'1s'", 1000], ["'1.5s'", 1500], ["'250ms'", 250], ["'.5s'", 500]] as const) {
			const w = imported(doc(`<state id="a"><onentry><send event="e" delayexpr="Var1"/></onentry><transition event="e" target="pass"/></state>`, 'ecmascript', `<data id="Var1" expr="${text}"/>`)).workflow;
			const clock = new ManualClock();
			const it = createInterpreter(w, { clock });
			it.start();
			clock.advance(due - 1);
			expect(it.snapshot().value, text).toBe('a');
			clock.advance(1);
			expect(it.snapshot().value, text).toBe('pass');
		}
	});

	it('what cannot be held is listed as lost with its line, never changed', () => {
		const lostOf: [string, RegExp][] = [
			['<send event="e" type="http://www.w3.org/TR/scxml/#BasicHTTPEventProcessor"/>', /uses an event processor FSM Studio does not have/],
			['<send event="e" typeexpr="Var1"/>', /picks its event processor while running/],
			['<send event="e" targetexpr="Var1"/>', /picks its target while running/],
			['<send event="e" target="#_parent"/>', /the session that invoked this one, which a workflow does not have/],
			['<send event="e" target="#_scxml_foo"/>', /an SCXML session by its id/],
			['<send event="e" target="#_child1"/>', /an invoked session/],
			['<send event="e" target="http://example.com/"/>', /another system/],
			['<send event="e" target="#_internal" delay="1s"/>', /a delayed <send> to "#_internal" is an error/],
			['<send event="e"><content>just text</content></send>', /not an object of named values/],
			['<send event="e"><content expr="Var1"/></send>', /<content expr> inside <send event="e"> cannot be carried over/],
			['<send event="e"><param name="p" expr="1"/><param name="p" expr="2"/></send>', /names "p" twice/],
			['<send event="e"><param name="type" expr="1"/></send>', /uses the name "type"/],
			['<send event="e" delay="soon"/>', /the delay "soon" is not a time/],
			['<send event="e" delayexpr="\'soon\'"/>', /the delay "'soon'" is not a time/],
			['<send event="e" eventexpr="Var1"/>', /both event and eventexpr/],
			['<send/>', /without an event name/],
			['<cancel/>', /needs exactly one of sendid and sendidexpr/]
		];
		for (const [action, message] of lostOf) {
			const r = entryOf(action);
			expect(r.entry, action).toBeUndefined();
			expect(r.lost, action).toEqual([{ line: 1, message: expect.stringMatching(message) }]);
		}
	});

	it('<cancel sendid> and <cancel sendidexpr> are cancel effects', () => {
		expect(entryOf('<cancel sendid="t"/>').entry).toEqual([{ type: 'cancel', sendid: 't' }]);
		expect(entryOf('<cancel sendidexpr="Var2"/>').entry).toEqual([{ type: 'cancel', sendid: '{{ context.Var2 }}' }]);
	});

	it('runs as SCXML says: a delayed send outlives the state that sent it; a cancel by a stored id drops it; sent events queue behind raised ones', async () => {
		const text = doc(
			`<state id="a">
				<onentry><send event="late" delay="2s" idlocation="Var1"/><send event="remind" delay="1s"/><send event="ext"/><raise event="int"/></onentry>
				<transition event="int" target="b"/>
				<transition event="*" target="fail"/>
			</state>
			<state id="b">
				<transition event="ext" target="c"/>
				<transition event="*" target="fail"/>
			</state>
			<state id="c">
				<transition event="remind" target="d"><cancel sendidexpr="Var1"/><send event="tick" delay="1.5s"/></transition>
				<transition event="*" target="fail"/>
			</state>
			<state id="d">
				<transition event="tick" target="pass"/>
				<transition event="*" target="fail"/>
			</state>`,
			'ecmascript',
			'<data id="Var1"/>'
		);
		const r = imported(text);
		expect(r.lost).toEqual([expect.objectContaining({ message: expect.stringMatching(/gets a new id each time it runs in SCXML/) })]);
		const clock = new ManualClock();
		const it = createInterpreter(r.workflow, { clock });
		it.start();
		expect(it.snapshot().value).toBe('c');
		clock.advance(1000);
		expect(it.snapshot().value).toBe('d');
		clock.advance(1000); // "late" would fire now had the cancel not dropped it
		expect(it.snapshot().value).toBe('d');
		clock.advance(500);
		expect(it.snapshot().value).toBe('pass');
		expect(it.snapshot().status).toBe('done');
	});

	it('a delayed send of <onentry> cancelled on exit is an "after" transition only when nothing else can see its event', () => {
		const timer = '<onentry><send event="t" id="t" delay="1s"/></onentry><onexit><cancel sendid="t"/></onexit><transition event="t" target="pass"/>';
		const alone = imported(doc(`<state id="a">${timer}</state>`)).workflow.states.a;
		expect(alone).toEqual({ after: { '1000': [{ target: 'pass' }] } });
		// Another region handles "t" too: it stays a send and a cancel, or that region would miss it.
		const shared = imported(doc(`<parallel id="a"><state id="r1"><state id="x">${timer}</state></state><state id="r2"><state id="y"><transition event="t" target="z"/></state><state id="z"/></state></parallel>`)).workflow;
		const x = shared.states.a.states!.r1.states!.x;
		expect(x.after).toBeUndefined();
		expect(x.entry).toEqual([{ type: 'send', event: 't', id: 't', delay: 1000 }]);
		expect(x.exit).toEqual([{ type: 'cancel', sendid: 't' }]);
		// A guard that reads the event sees "t" in SCXML, another name in an after transition.
		const reads = imported(doc(`<state id="a"><onentry><send event="t" id="t" delay="1s"/></onentry><onexit><cancel sendid="t"/></onexit><transition event="t" cond="_event.name == 't'" target="pass"/></state>`)).workflow.states.a;
		expect(reads.after).toBeUndefined();
		expect(reads.on).toEqual({ t: [{ target: 'pass', guard: '(event.type = "t")' }] });
	});
});

describe('SCXML <send> export', () => {
	const W: Workflow = wf(
		{
			waiting: {
				entry: [
					{ type: 'send', id: 'reminder', event: 'REMIND', delay: 86400000 },
					{ type: 'send', id: 'expiry', event: { type: 'EXPIRED', order: '{{ context.order }}', note: 'order {{ context.order }}', n: 2, flag: true, label: 'plain' }, delay: 'context.days * 86400000' },
					{ type: 'send', event: '{{ context.kind }}_DONE' },
					{ type: 'send', event: '{{ context.kind }}' }
				],
				on: {
					PAID: { target: 'paid', effects: [{ type: 'cancel', sendid: 'expiry' }, { type: 'cancel', sendid: '{{ context.sid }}' }, { type: 'cancel', sendid: 'x-{{ context.sid }}' }] },
					REMIND: { effects: [{ type: 'emit', event: 'SEND_REMINDER' }] },
					EXPIRED: 'cancelled'
				}
			},
			paid: { type: 'final' },
			cancelled: { type: 'final' }
		},
		{ context: { order: 7, days: 2, kind: 'A', sid: 'expiry' } }
	);

	it('writes send and cancel as <send> and <cancel>, which read back the same', () => {
		const out = exportScxml(W);
		expect(out.lost).toEqual([]);
		expect(out.text).not.toContain('fsm:effect type="send"');
		expect(out.text).not.toContain('fsm:effect type="cancel"');
		expect(out.text).toContain('<send event="REMIND" delay="86400000ms" id="reminder"/>');
		expect(out.text).toMatch(/<send event="EXPIRED" delayexpr="\$string\(context\.days \* 86400000\) &amp; &quot;ms&quot;" fsm:delay="context\.days \* 86400000" id="expiry">/);
		expect(out.text).toContain('<param name="order" expr="context.order"/>');
		expect(out.text).toContain('<cancel sendid="expiry"/>');
		expect(out.text).toContain('<cancel sendidexpr="context.sid"/>');
		const back = imported(out.text);
		expect(back.lost).toEqual([]);
		expect(back.workflow.states.waiting.entry).toEqual(W.states.waiting.entry);
		const on = back.workflow.states.waiting.on!;
		expect(on.PAID).toEqual([W.states.waiting.on!.PAID]);
		expect(on.REMIND).toEqual([W.states.waiting.on!.REMIND]);
	});

	it('the exported file runs the same as the workflow (both through the engine)', () => {
		const back = imported(exportScxml(W).text).workflow;
		const trace = (w: Workflow, steps: (string | number)[]) => {
			const clock = new ManualClock();
			const seen: string[] = [];
			const it = createInterpreter(w, { clock, onEvent: (e) => e.kind === 'input' && seen.push(`${clock.now()}:${e.event.type}:${JSON.stringify(e.event)}`) });
			it.start();
			for (const s of steps) typeof s === 'number' ? clock.advance(s) : it.send(s);
			return { seen, value: it.snapshot().value, context: it.snapshot().context, status: it.snapshot().status };
		};
		for (const steps of [[86400000, 86400000, 86400000], [1000, 'PAID', 86400000 * 3], [86400000 * 2 - 1, 'PAID', 10]]) {
			expect(trace(back, steps), JSON.stringify(steps)).toEqual(trace(W, steps));
		}
		expect(trace(W, [86400000 * 2]).value).toBe('cancelled');
	});

	it('a send with fields SCXML cannot hold as parameters stays an fsm:effect', () => {
		const w = wf({ a: { entry: [{ type: 'send', event: { type: 'E', nested: { x: '{{ context.n }}' } } }, { type: 'send', event: 'E', description: 'why' }] } });
		const out = exportScxml(w);
		expect(out.text.match(/<fsm:effect type="send"/g)).toHaveLength(2);
		expect(imported(out.text).workflow.states.a.entry).toEqual(w.states.a.entry);
	});
});
