// Effects executor throughput: simple effects through `execute`/`run`, their p99 latency,
// and a 10,000-branch parallel of simple effects.
import type { Report } from '../report';
import { createExecutor } from '../../../src/lib/effects';
import type { EffectScope } from '../../../src/lib/engine/types';

function scope(context: Record<string, unknown>): EffectScope {
	return {
		context,
		event: { type: 'TICK' },
		signal: new AbortController().signal,
		state: 'counting',
		traceId: '0af7651916cd43dd8448eb211c80319c',
		send() {},
		emit() {},
		assign(patch) {
			Object.assign(context, patch);
		},
		report() {}
	};
}

export default async function (report: Report) {
	const ex = createExecutor();
	const context = { count: 0 };
	const s = scope(context);
	const effect = { type: 'assign', set: { count: 'context.count + 1' } };

	// Warm up (JIT, schema validation of the spec happens once).
	for (let i = 0; i < 200_000; i++) ex.execute(effect, s);

	// Throughput through the synchronous path.
	const N = 2_000_000;
	context.count = 0;
	let t0 = performance.now();
	for (let i = 0; i < N; i++) ex.execute(effect, s);
	let ms = performance.now() - t0;
	if (context.count !== N) throw new Error(`expected ${N} increments, got ${context.count}`);
	report('effects.simple', (N / ms) * 1000, 'effects/s', { path: 'execute (sync)' });

	// Same through the engine's RunEffect seam (returns a promise).
	const M = 1_000_000;
	t0 = performance.now();
	for (let i = 0; i < M; i++) {
		const p = ex.run(effect, s);
		if (i % 1000 === 999) await p; // let the microtask queue drain now and then
	}
	ms = performance.now() - t0;
	report('effects.simple_run', (M / ms) * 1000, 'effects/s', { path: 'run (promise)' });

	// Per-effect latency, in batches of 100 so the timer's own cost does not dominate.
	const B = 100;
	const samples: number[] = [];
	for (let k = 0; k < 20_000; k++) {
		const a = performance.now();
		for (let i = 0; i < B; i++) ex.execute(effect, s);
		samples.push(((performance.now() - a) * 1000) / B);
	}
	samples.sort((x, y) => x - y);
	report('effects.simple_p99_us', samples[Math.floor(samples.length * 0.99)], 'µs', { p50: samples[Math.floor(samples.length * 0.5)] });

	// Single un-batched runs: the worst case including timer resolution.
	const single: number[] = [];
	for (let k = 0; k < 100_000; k++) {
		const a = performance.now();
		ex.execute(effect, s);
		single.push((performance.now() - a) * 1000);
	}
	single.sort((x, y) => x - y);
	report('effects.simple_single_p99_us', single[Math.floor(single.length * 0.99)], 'µs');

	// 10,000-branch parallel of simple effects.
	const branches = Array.from({ length: 10_000 }, () => ({ type: 'assign', set: { count: 'context.count + 1' } }));
	const par = { type: 'parallel', effects: branches };
	await ex.run(par, s); // warm-up
	const times: number[] = [];
	for (let k = 0; k < 10; k++) {
		const a = performance.now();
		await ex.run(par, s);
		times.push(performance.now() - a);
	}
	times.sort((x, y) => x - y);
	report('effects.parallel_10k_ms', times[Math.floor(times.length / 2)], 'ms', { max: Math.round(times.at(-1)! * 10) / 10 });
}
