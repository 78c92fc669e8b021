import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileExpr, type ExprInput } from '../../src/lib/expr';

// Random trivial expressions over random contexts: the closure fast path must agree
// with jsonata exactly (same value, or both throw).
const leafValue = fc.oneof(
	fc.integer({ min: -5, max: 5 }),
	fc.double({ min: -10, max: 10, noNaN: true }),
	fc.constantFrom('', 'a', 'b', 'ab', '1', ' x  y\t', 'Straße', 'a😀b'),
	fc.boolean(),
	fc.constant(null),
	fc.constant(undefined),
	fc.constantFrom([1, 2], [5], [], ['a'], [[1, 2], [3]], [{ x: 1 }, { x: 2 }], [{ x: [1] }], [null]),
	fc.constant({}),
	fc.constant({ x: 1 })
);

const contextArb = fc.record({
	a: leafValue,
	b: leafValue,
	s: leafValue,
	n: fc.integer({ min: -3, max: 3 }),
	o: fc.record({ x: leafValue, y: leafValue })
});

const path = fc.oneof(
	fc.constantFrom('context.a', 'context.b', 'context.s', 'context.n', 'context.o.x', 'context.o.y', 'context.missing', 'event.v', 'context.o', 'context.a.x'),
	fc.tuple(fc.constantFrom('context.a', 'context.b', 'context.o.x', 'event.v', 'context.o'), fc.constantFrom(0, 1, -1, 2, -3, 0.5), fc.constantFrom('', '.x', '.x.y')).map(
		([p, i, rest]) => `${p}[${i}]${rest}`
	)
);
const literal = fc.oneof(
	fc.integer({ min: -3, max: 3 }).map(String),
	fc.constantFrom('"a"', '"b"', '""', 'true', 'false', 'null', '0.5', '1.25')
);

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
	expr: fc.oneof(
		{ depthSize: 'small', withCrossShrink: true },
		path,
		literal,
		fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&'), tie('expr')).map(
			([l, op, r]) => `(${l}) ${op} (${r})`
		),
		fc.tuple(fc.constantFrom('not', 'exists', 'count', 'string', 'boolean', 'length', 'uppercase', 'lowercase', 'trim', 'abs', 'floor', 'ceil'), tie('expr')).map(
			([f, e]) => `$${f}(${e})`
		),
		fc.tuple(tie('expr'), tie('expr'), fc.option(tie('expr'))).map(([c, t, e]) => (e === null ? `(${c}) ? (${t})` : `(${c}) ? (${t}) : (${e})`)),
		fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
		fc.tuple(tie('expr'), tie('expr'), fc.constantFrom('k', '1', 'constructor')).map(([a, b, k]) => `{"${k}": ${a}, "m": ${b}}`),
		fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `$append(${a}, ${b})`),
		tie('expr').map((e) => `-(${e})`)
	)
}));

function run(src: string, fastPath: boolean, input: ExprInput): { value?: unknown; error?: string } {
	const c = compileExpr(src, { fastPath });
	if (!c.ok) return { error: 'compile: ' + c.message };
	try {
		return { value: c.evaluate(input) };
	} catch (e) {
		return { error: (e as Error).message };
	}
}

describe('fast path', () => {
	it('agrees with jsonata on random trivial expressions', () => {
		let fastCount = 0;
		fc.assert(
			fc.property(expr, contextArb, leafValue, (src, context, v) => {
				const input: ExprInput = { context, event: { type: 'E', v } };
				const compiled = compileExpr(src);
				if (compiled.ok && compiled.fast) fastCount++;
				const a = run(src, true, input);
				const b = run(src, false, input);
				expect(a, src).toEqual(b);
			}),
			{ numRuns: Number(process.env.FC_RUNS ?? 3000), seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : 42 }
		);
		// The generator must actually exercise the fast path.
		expect(fastCount).toBeGreaterThan(Number(process.env.FC_RUNS ?? 3000) * 0.66);
		// CPU-bound (3000 runs through both evaluators, nothing waited for): 38 s at load 25–30
		// with one test worker, past the default 20 s.
	}, 120_000);
});
