import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import { makeScope, manualClock, registerWork } from './helpers';

describe('telemetry', () => {
	it('nests spans with OpenTelemetry-style ids, durations and composition paths', async () => {
		const clock = manualClock();
		const ex = createExecutor({ clock });
		registerWork(ex, []);
		const { scope, effects } = makeScope();
		const p = ex.run(
			{ type: 'sequence', id: 'checkout', effects: [{ type: 'work', name: 'a', ms: 30 }, { type: 'retry', effect: { type: 'work', id: 'charge', name: 'b', ms: 20 } }] },
			scope
		);
		await clock.advance(50);
		await p;
		const ev = effects();
		expect(ev.map((e) => `${e.phase} ${e.effect}`)).toEqual([
			'start checkout',
			'start checkout/0:work',
			'end checkout/0:work',
			'start checkout/1:retry',
			'start checkout/1:retry/charge',
			'end checkout/1:retry/charge',
			'end checkout/1:retry',
			'end checkout'
		]);
		const byPath = (phase: string, path: string) => ev.find((e) => e.phase === phase && e.effect === path)!;
		const root = byPath('start', 'checkout');
		expect(root.spanId).toMatch(/^[0-9a-f]{16}$/);
		expect(root.traceId).toBe(scope.traceId);
		expect(root.parentSpanId).toBeUndefined();
		expect(root.state).toBe('working');
		expect(byPath('start', 'checkout/1:retry').parentSpanId).toBe(root.spanId);
		expect(byPath('start', 'checkout/1:retry/charge').parentSpanId).toBe(byPath('start', 'checkout/1:retry').spanId);
		expect(new Set(ev.map((e) => e.spanId)).size).toBe(4);
		expect(byPath('end', 'checkout/0:work').durationMs).toBe(30);
		expect(byPath('end', 'checkout').durationMs).toBe(50);
		expect(byPath('end', 'checkout/1:retry').effectType).toBe('retry');
	});

	it('records errors with their code and message', async () => {
		const ex = createExecutor({ clock: manualClock() });
		const { scope, effects } = makeScope();
		await ex.run({ type: 'call_llm', prompt: 'x' }, scope).catch(() => {});
		const err = effects().find((e) => e.phase === 'error')!;
		expect(err.error).toBe('No provider configured for call_llm — add one in Settings → Providers');
		expect(err.data).toEqual({ code: 'no_provider' });
	});

	it('reports handler progress on the effect span', async () => {
		const ex = createExecutor({ clock: manualClock() });
		ex.register('stream', (_p, ctx) => {
			ctx.progress({ token: 'Hel' });
			ctx.progress({ token: 'lo' });
			return 'Hello';
		});
		const { scope, effects } = makeScope();
		await ex.run({ type: 'stream' }, scope);
		expect(effects().map((e) => [e.phase, e.data])).toEqual([
			['start', undefined],
			['progress', { token: 'Hel' }],
			['progress', { token: 'lo' }],
			['end', undefined]
		]);
	});
});

describe('late progress', () => {
	it('progress reported by a handler after its effect was cancelled is dropped', async () => {
		const clock = manualClock();
		const ex = createExecutor({ clock });
		let late: (() => void) | undefined;
		ex.register('leaky', (_p, ctx) => {
			late = () => ctx.progress({ token: 'late' });
			return new Promise(() => {});
		});
		const { scope, controller, trace } = makeScope();
		const p = ex.run({ type: 'leaky' }, scope).catch(() => 'cancelled');
		controller.abort();
		expect(await p).toBe('cancelled');
		late!();
		expect(trace()).toEqual(['start leaky', 'cancel leaky']);
	});
});

describe('trace ids', () => {
	it('keeps an OpenTelemetry trace id and maps any other scope trace id to a stable 32-hex one', async () => {
		const ex = createExecutor({ clock: manualClock() });
		const a = makeScope();
		await ex.run({ type: 'log', message: 'x' }, a.scope);
		expect(a.effects()[0].traceId).toBe(a.scope.traceId);
		const ids: string[] = [];
		for (let i = 0; i < 2; i++) {
			const b = makeScope();
			await ex.run({ type: 'log', message: 'x' }, { ...b.scope, traceId: 'trace-1' });
			ids.push(b.effects()[0].traceId);
		}
		expect(ids[0]).toMatch(/^[0-9a-f]{32}$/);
		expect(ids[1]).toBe(ids[0]);
		const c = makeScope();
		await ex.run({ type: 'log', message: 'x' }, { ...c.scope, traceId: 'trace-2' });
		expect(c.effects()[0].traceId).not.toBe(ids[0]);
	});
});
