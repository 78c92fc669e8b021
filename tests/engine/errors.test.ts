import { describe, expect, it } from 'vitest';
import { createInterpreter } from '../../src/lib/engine';
import { flush, recorder, wf } from './helpers';

describe('errors', () => {
	it('a guard that fails at run time puts the instance in error, naming the transition', () => {
		const rec = recorder();
		const it = createInterpreter(wf({ a: { on: { GO: { target: 'b', guard: 'context.n > "x"' } } }, b: {} }, { context: { n: 1 } }), { onEvent: rec.onEvent });
		it.start();
		expect(() => it.send('GO')).not.toThrow();
		const s = it.snapshot();
		expect(s.status).toBe('error');
		expect(s.error).toMatchObject({ state: 'a', transition: 'a|on:GO|0' });
		expect(s.error?.message).toMatch(/Guard of transition a\|on:GO\|0 failed: Expression "context.n > "x"" failed/);
		expect(rec.of('status').at(-1)).toMatchObject({ status: 'error', error: s.error });
	});

	it('an assign that fails names the effect, the state and the key', () => {
		const it = createInterpreter(wf({ a: { entry: [{ type: 'assign', id: 'bump', set: { n: 'context.n + "x"' } }] } }, { context: { n: 1 } }));
		it.start();
		expect(it.snapshot().error).toMatchObject({ state: 'a', effect: 'bump' });
		expect(it.snapshot().error?.message).toMatch(/Effect bump failed on "n"/);
	});

	it('a failing transition effect names the transition; unnamed effects get a positional label', () => {
		const it = createInterpreter(wf({ a: { on: { GO: { target: 'b', effects: [{ type: 'log', message: '{{ $error("nope") }}' }] } } }, b: {} }));
		it.start();
		it.send('GO');
		expect(it.snapshot().error).toMatchObject({ transition: 'a|on:GO|0', effect: 'a.on:GO[0].effects[0] (log)' });
	});

	it('after an error, further events are ignored and nothing is thrown', async () => {
		const it = createInterpreter(wf({ a: { on: { GO: { target: 'b', guard: '$error("x")' } } }, b: {} }));
		it.start();
		it.send('GO');
		it.send('GO');
		await flush();
		expect(it.snapshot().status).toBe('error');
	});

	it('a throwing subscriber or onEvent listener cannot break the instance', () => {
		const it = createInterpreter(wf({ a: { on: { GO: 'b' } }, b: {} }));
		it.subscribe(() => {
			throw new Error('listener bug');
		});
		it.start();
		expect(() => it.send('GO')).not.toThrow();
		expect(it.snapshot().value).toBe('b');
	});

	it('no unhandled rejection escapes from failing effects', async () => {
		const seen: unknown[] = [];
		const handler = (e: unknown) => seen.push(e);
		process.on('unhandledRejection', handler);
		try {
			const it = createInterpreter(wf({ a: { entry: [{ type: 'nothing-handles-this' }] } }));
			it.start();
			await new Promise((r) => setTimeout(r, 10));
			expect(it.snapshot().status).toBe('error');
		} finally {
			process.off('unhandledRejection', handler);
		}
		expect(seen).toEqual([]);
	});
});
