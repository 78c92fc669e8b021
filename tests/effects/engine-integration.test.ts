// The executor plugged into the real engine: an invoke of retry(timeout(http)) against a
// flaky local server, the way the runtime wires it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterpreter, type InstanceEvent } from '../../src/lib/engine';
import { createExecutor } from '../../src/lib/effects';
import type { Workflow } from '../../src/lib/model/types';

let server: Server;
let base = '';
const calls = new Map<string, number>();
const aborted: string[] = [];

beforeAll(async () => {
	server = createServer((req, res) => {
		const url = new URL(req.url!, 'http://x');
		const key = url.searchParams.get('key') ?? '';
		const n = (calls.get(key) ?? 0) + 1;
		calls.set(key, n);
		if (url.pathname === '/hang') {
			res.on('close', () => aborted.push(key));
			return;
		}
		const failures = Number(url.searchParams.get('failures') ?? 0);
		if (n <= failures) {
			res.writeHead(503, { 'content-type': 'text/plain' });
			res.end('try later');
		} else {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ answer: 42, attempt: n }));
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function workflow(path: string): Workflow {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'fetcher',
		name: 'Fetcher',
		initial: 'loading',
		context: {},
		states: {
			loading: {
				invoke: {
					type: 'retry',
					maxAttempts: 4,
					backoff: { initialMs: 10, jitter: 'none' },
					effect: { type: 'timeout', ms: 2000, effect: { type: 'http', url: `${base}${path}`, resultPath: 'body.answer', assignTo: 'answer' } }
				},
				onDone: 'ready',
				onError: 'failed',
				on: { CANCEL: 'idle' }
			},
			ready: { type: 'final' },
			failed: { type: 'final' },
			idle: {}
		}
	};
}

function run(path: string) {
	const events: InstanceEvent[] = [];
	const it = createInterpreter(workflow(path), { runEffect: createExecutor().run, onEvent: (e) => events.push(e) });
	const settled = new Promise<void>((resolve) => {
		it.subscribe((s) => {
			if (s.status !== 'active') resolve();
		});
	});
	it.start();
	return { it, events, settled, retries: () => events.filter((e) => e.kind === 'effect' && e.phase === 'retry') };
}

describe('engine + executor', () => {
	it('retries a flaky endpoint, maps the answer into context and ends in the done state', async () => {
		const r = run('/ok?failures=2&key=a');
		await r.settled;
		expect(r.it.snapshot()).toMatchObject({ value: 'ready', status: 'done', context: { answer: 42 } });
		expect(r.retries()).toHaveLength(2);
		expect(calls.get('a')).toBe(3);
	});

	it('gives up after maxAttempts and takes onError', async () => {
		const r = run('/ok?failures=99&key=b');
		await r.settled;
		expect(r.it.snapshot()).toMatchObject({ value: 'failed', status: 'done' });
		expect(r.retries()).toHaveLength(3);
		expect(calls.get('b')).toBe(4);
	});

	it('leaving the state aborts the request and records the cancel', async () => {
		const r = run('/hang?key=c');
		for (let i = 0; i < 100 && !calls.get('c'); i++) await new Promise((res) => setTimeout(res, 10));
		r.it.send({ type: 'CANCEL' });
		expect(r.it.snapshot().value).toBe('idle');
		for (let i = 0; i < 100 && !aborted.includes('c'); i++) await new Promise((res) => setTimeout(res, 10));
		expect(aborted).toContain('c');
		const phases = r.events.filter((e) => e.kind === 'effect').map((e) => `${(e as { phase: string }).phase} ${(e as { effect: string }).effect}`);
		expect(phases).toContain('cancel retry/effect:timeout/effect:http');
		expect(phases.at(-1)).toBe('cancel retry');
	});
});
