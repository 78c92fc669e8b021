/** ECMAScript expressions of SCXML files read as JSONata: what keeps its meaning is translated, the rest is refused with a reason. */
import { describe, expect, it } from 'vitest';
import jsonata from 'jsonata';
import { ecmascriptLiteral, ecmascriptToJsonata } from '../../src/lib/io/scxml/ecmascript';

const data = new Set(['Var1', 'Var2', 'list', 'obj']);
const context = { Var1: 1, Var2: 2, list: [1, 2, 3], obj: { a: { b: 'x' } } };
const run = (src: string, event: Record<string, unknown> = { type: 'foo', aParam: 7 }) => {
	const t = ecmascriptToJsonata(src, data);
	if (!t.ok) throw new Error(t.reason);
	return jsonata(t.jsonata).evaluate({ context, event });
};

describe('ECMAScript → JSONata', () => {
	it('keeps the value of literals, data names, _event fields, arithmetic, comparisons and logic', () => {
		const cases: [string, unknown][] = [
			["'pass'", 'pass'],
			['"a\\"b"', 'a"b'],
			['Var1 + 1', 2],
			['Var1 + Var2 * 3', 7],
			['(Var1 + Var2) * 3', 9],
			['Var1==1', true],
			['Var1 === Var2', false],
			['Var1 !== 2', true],
			['Var1 < Var2 && Var2 <= 2', true],
			['!(Var1 == 1) || false', false],
			['_event.name', 'foo'],
			['_event.data.aParam', 7],
			["typeof Var1 === 'undefined'", false],
			["typeof _event.data.nope === 'undefined'", true],
			["typeof Var1 !== 'undefined'", true],
			['list[1]', 2],
			["obj.a['b']", 'x'],
			["'n=' + Var1", 'n=1'],
			['Var1 == 1 ? "one" : "other"', 'one'],
			['-Var2 + 5', 3],
			['[1, 2, Var1]', [1, 2, 1]]
		];
		for (const [src, want] of cases) expect(run(src), src).toEqual(want);
	});

	it('refuses what JSONata cannot mean the same way, saying why', () => {
		const refused: [string, RegExp][] = [
			["In('s1')", /In\(\)/],
			['Math.max(1, 2)', /calls/],
			['++Var1 == 2', /"\+\+" or "--"/],
			['Var1 = 2', /not an expression|character "="/],
			['Var3 + 1', /"Var3" is not a data name/],
			['_event.origin', /"_event.origin" has no FSM Studio equivalent/],
			['_sessionid', /not a data name/],
			['function () {}', /not an expression FSM Studio can read/]
		];
		for (const [src, why] of refused) {
			const t = ecmascriptToJsonata(src, data);
			expect(t.ok, src).toBe(false);
			if (!t.ok) expect(t.reason, src).toMatch(why);
		}
	});

	it('reads data values written as literals', () => {
		expect(ecmascriptLiteral("{ a: [1, 'x', true], 'b c': null }")).toEqual({ ok: true, value: { a: [1, 'x', true], 'b c': null } });
		expect(ecmascriptLiteral('-3')).toEqual({ ok: true, value: -3 });
		expect(ecmascriptLiteral('Var1 + 1').ok).toBe(false);
		expect(ecmascriptLiteral('{ __proto__: 1 }').ok).toBe(false);
	});
});
