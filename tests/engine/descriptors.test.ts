import { describe, expect, it } from 'vitest';
import { compile, createInterpreter, type RunEffect } from '../../src/lib/engine';
import { ManualClock, flush, wf } from './helpers';

const value = (w: Parameters<typeof createInterpreter>[0], ...events: string[]) => {
	const it = createInterpreter(w);
	it.start();
	for (const e of events) it.send(e);
	return it.snapshot().value;
};

describe('event descriptors', () => {
	it('`*` matches any event', () => {
		const w = wf({ a: { on: { KNOWN: 'b', '*': 'c' } }, b: {}, c: {} });
		expect(value(w, 'WHATEVER')).toBe('c');
		expect(value(w, 'KNOWN')).toBe('b');
	});

	it('a name matches the events that continue it after a dot; `x.*` is the same', () => {
		for (const key of ['error', 'error.*']) {
			const w = wf({ a: { on: { [key]: 'b' } }, b: {} });
			expect(value(w, 'error.execution'), key).toBe('b');
			expect(value(w, 'error'), key).toBe('b');
			expect(value(w, 'errors'), key).toBe('a');
			expect(value(w, 'error.communication.timeout'), key).toBe('b');
		}
	});

	it('a key lists several descriptors separated by spaces', () => {
		const w = wf({ a: { on: { 'CANCEL ABORT user.quit': 'b' } }, b: {} });
		expect(value(w, 'CANCEL')).toBe('b');
		expect(value(w, 'ABORT')).toBe('b');
		expect(value(w, 'user.quit.now')).toBe('b');
		expect(value(w, 'CANCEL ABORT')).toBe('a');
		const it = createInterpreter(w);
		it.start();
		expect(it.enabledEvents().sort()).toEqual(['ABORT', 'CANCEL', 'user.quit']);
	});

	it('keys are tried in document order, as SCXML does (a wildcard first shadows the rest)', () => {
		expect(value(wf({ a: { on: { '*': 'b', A: 'c' } }, b: {}, c: {} }), 'A')).toBe('b');
		expect(value(wf({ a: { on: { A: 'c', '*': 'b' } }, b: {}, c: {} }), 'A')).toBe('c');
		expect(value(wf({ a: { on: { error: 'b', 'error.x': 'c' } }, b: {}, c: {} }), 'error.x')).toBe('b');
		// A guard that fails passes the event on to the next key.
		const guarded = wf({ a: { on: { '*': { target: 'b', guard: 'event.ok' }, A: 'c' } }, b: {}, c: {} });
		const it = createInterpreter(guarded);
		it.start();
		it.send({ type: 'A', ok: false });
		expect(it.snapshot().value).toBe('c');
	});

	it('a descendant’s wildcard wins over an ancestor’s exact name', () => {
		const w = wf({ p: { initial: 'a', on: { A: 'q' }, states: { a: { on: { '*': 'b' } }, b: {} } }, q: {} });
		expect(value(w, 'A')).toEqual({ p: 'b' });
	});

	it('`*` and `error` catch error events, so a failure they handle does not stop the instance', async () => {
		const runEffect: RunEffect = async () => {
			throw new Error('boom');
		};
		for (const key of ['*', 'error', 'error.invoke']) {
			const it = createInterpreter(wf({ a: { invoke: { type: 'work' }, on: { [key]: 'failed' } }, failed: {} }), { runEffect });
			it.start();
			await flush();
			expect(it.snapshot(), key).toMatchObject({ value: 'failed', status: 'active' });
		}
	});

	it('the state’s own onError comes before its keys', async () => {
		const runEffect: RunEffect = async () => {
			throw new Error('boom');
		};
		const it = createInterpreter(wf({ a: { invoke: { type: 'work' }, on: { '*': 'other' }, onError: 'failed' }, failed: {}, other: {} }), { runEffect });
		it.start();
		await flush();
		expect(it.snapshot().value).toBe('failed');
	});

	it('timers belong to their state: `*` does not catch them', () => {
		const clock = new ManualClock();
		const it = createInterpreter(
			wf({ p: { initial: 'a', on: { '*': 'q' }, states: { a: { after: { '100': { target: 'b', guard: 'false' } } }, b: {} } }, q: {} }),
			{ clock }
		);
		it.start();
		clock.advance(200);
		expect(it.snapshot().value).toEqual({ p: 'a' });
	});

	it('lists the wildcard descriptors of the active states', () => {
		const it = createInterpreter(wf({ p: { initial: 'a', on: { 'error.*': 'q', X: 'q' }, states: { a: { on: { '*': 'a', Y: 'a' } } } }, q: {} }));
		it.start();
		expect(it.enabledDescriptors().sort()).toEqual(['*', 'error.*']);
		expect(it.enabledEvents().sort()).toEqual(['X', 'Y']);
	});

	it('keeps at most a bounded number of event types met at run time, and stays right past it', () => {
		const w = wf({ a: { on: { '*': { target: 'a', effects: [{ type: 'assign', set: { n: 'context.n + 1' } }] } } } }, { context: { n: 0 } });
		const m = compile(w);
		const it = createInterpreter(m);
		it.start();
		for (let i = 0; i < 2500; i++) it.send(`E${i}`);
		expect(it.snapshot().context.n).toBe(2500);
		expect(m.dynamicTypes.size).toBeLessThanOrEqual(1000);
		// A machine without descriptors that could match learns nothing.
		const plain = compile(wf({ a: { on: { A: 'b' } }, b: {} }));
		const p = createInterpreter(plain);
		p.start();
		p.send('B');
		p.send('C.x');
		expect(plain.dynamicTypes.size).toBe(0);
		expect(p.snapshot().value).toBe('a');
		p.send('A.x');
		expect(p.snapshot().value).toBe('b');
	});
});
