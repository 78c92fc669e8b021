import { describe, expect, it } from 'vitest';
import { compileExpr, compileTemplate, truthy, ExprError, TIME_SOURCE, type ExprInput } from '../../src/lib/expr';

const input = (context: Record<string, unknown>, event: Record<string, unknown> = {}): ExprInput => ({
	context,
	event: { type: 'E', ...event },
	results: { fetch: { status: 200 } }
});

function ev(src: string, inp: ExprInput): unknown {
	const c = compileExpr(src);
	if (!c.ok) throw new Error(c.message);
	return c.evaluate(inp);
}

describe('compileExpr', () => {
	it('evaluates paths into context, event and results', () => {
		const i = input({ a: { b: 3 } }, { text: 'hi' });
		expect(ev('context.a.b', i)).toBe(3);
		expect(ev('event.text', i)).toBe('hi');
		expect(ev('event.type', i)).toBe('E');
		expect(ev('results.fetch.status', i)).toBe(200);
		expect(ev('context.missing.deeper', i)).toBeUndefined();
	});

	it('uses the fast path for trivial expressions and jsonata for the rest', () => {
		for (const s of ['context.a', 'context.n + 1', 'context.a = 1 and $not(event.x)', '"a" & context.b', 'true', '-context.n', 'context.a ? $uppercase(context.s) : "none"']) {
			const c = compileExpr(s);
			expect(c.ok && c.fast, s).toBe(true);
		}
		for (const s of ['$sum(context.items)', 'context.items[0].(x)', 'context.items.(x * 2)', '$substring(context.s, 1)']) {
			const c = compileExpr(s);
			expect(c.ok && c.fast, s).toBe(false);
		}
	});

	it('falls back to jsonata when values leave the fast subset (arrays, objects)', () => {
		const i = input({ items: [1, 2, 3], o: { x: 1 } });
		expect(ev('context.items', i)).toEqual([1, 2, 3]);
		expect(ev('context.o = {"x": 1}', i)).toBe(true);
		expect(ev('$count(context.items) > 2', i)).toBe(true);
		expect(ev('context.items and true', i)).toBe(true);
	});

	it('follows JSONata semantics for undefined operands', () => {
		const i = input({ n: 1 });
		expect(ev('context.nope + 1', i)).toBeUndefined();
		expect(ev('context.nope = 1', i)).toBe(false);
		expect(ev('context.nope != 1', i)).toBe(false);
		expect(ev('context.nope > 1', i)).toBeUndefined();
		expect(ev('"x" & context.nope', i)).toBe('x');
		expect(ev('context.nope and true', i)).toBe(false);
	});

	it('reports a parse error naming the expression', () => {
		const c = compileExpr('context.a +');
		expect(c.ok).toBe(false);
		if (!c.ok) {
			expect(c.message).toContain('"context.a +"');
			expect(c.message).toMatch(/does not parse/);
		}
		expect(compileExpr('  ').ok).toBe(false);
	});

	it('throws an ExprError naming the expression on a runtime type error', () => {
		const c = compileExpr('context.a + "x"');
		expect(c.ok).toBe(true);
		if (!c.ok) return;
		expect(() => c.evaluate(input({ a: 1 }))).toThrow(ExprError);
		expect(() => c.evaluate(input({ a: 1 }))).toThrow(/Expression "context\.a \+ "x"" failed: .*T2002/);
	});

	it('compares strings and numbers like JSONata and rejects mixed types', () => {
		expect(ev('context.s < "b"', input({ s: 'a' }))).toBe(true);
		expect(() => ev('context.s < 1', input({ s: 'a' }))).toThrow(/T2009/);
	});
});

describe('time', () => {
	it('$now() and $millis() read the input time source when there is one', () => {
		const i: ExprInput = { ...input({}), [TIME_SOURCE]: { time: () => 86_400_000 } };
		expect(ev('$millis()', i)).toBe(86_400_000);
		expect(ev('$now()', i)).toBe('1970-01-02T00:00:00.000Z');
		expect(ev('$now("[H01]:[m01]", "+0130")', i)).toBe('01:30');
		const wall = ev('$millis()', input({})) as number;
		expect(Math.abs(wall - Date.now())).toBeLessThan(5_000);
	});
});

describe('truthy', () => {
	it('matches JSONata $boolean', () => {
		expect([truthy(''), truthy('a'), truthy(0), truthy(2), truthy(null), truthy(undefined)]).toEqual([false, true, false, true, false, false]);
		expect([truthy([]), truthy([0]), truthy([0, 1]), truthy({}), truthy({ a: 1 })]).toEqual([false, false, true, false, true]);
	});
});

describe('compileTemplate', () => {
	it('renders placeholders and keeps the rest of the text', () => {
		const t = compileTemplate('Door opened {{ context.opens }} times by {{event.who}}');
		expect(t.ok).toBe(true);
		if (!t.ok) return;
		expect(t.render(input({ opens: 3 }, { who: 'Ann' }))).toBe('Door opened 3 times by Ann');
		expect(t.render(input({}, {}))).toBe('Door opened  times by ');
	});

	it('returns the raw value for a template that is exactly one placeholder', () => {
		const t = compileTemplate('{{ context.n * 2 }}');
		expect(t.ok && t.value(input({ n: 21 }))).toBe(42);
		const s = compileTemplate('n={{ context.n }}');
		expect(s.ok && s.value(input({ n: 21 }))).toBe('n=21');
	});

	it('renders objects as JSON and constants as themselves', () => {
		const t = compileTemplate('{{ context.o }}!');
		expect(t.ok && t.render(input({ o: { a: 1 } }))).toBe('{"a":1}!');
		const c = compileTemplate('plain');
		expect(c.ok && c.constant && c.render(input({}))).toBe('plain');
	});

	it('reports a bad placeholder with the template and the expression', () => {
		const t = compileTemplate('Hi {{ context. }}');
		expect(t.ok).toBe(false);
		if (!t.ok) expect(t.message).toMatch(/Template "Hi \{\{ context\. \}\}": Expression "context\." does not parse/);
	});
});
