import 'fake-indexeddb/auto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExecutor } from '../../src/lib/effects';
import type { Workflow } from '../../src/lib/model/types';
import { SimHost } from '../../src/lib/sim/host';
import { createEventStore, type EventStore } from '../../src/lib/store';

// The AI layer's handlers as a provider would register them (the real ones need keys).
const llmCalls: string[] = [];
vi.mock('../../src/lib/ai/handlers', () => ({
	createAiHandlers: ({ workspaceId }: { workspaceId: string }) => ({
		call_llm: (p: { prompt: string }) => {
			llmCalls.push(`${workspaceId}: ${p.prompt}`);
			return `model says hi to ${p.prompt}`;
		}
	})
}));

let server: Server;
let base = '';
const requests: string[] = [];
beforeAll(async () => {
	server = createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		res.setHeader('access-control-allow-origin', '*');
		if (req.url?.startsWith('/fail')) {
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end('{"error":"down"}');
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end('{"deleted":true}');
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const stores: EventStore[] = [];
const hosts: SimHost[] = [];
afterEach(async () => {
	for (const h of hosts.splice(0)) await h.close();
	for (const s of stores.splice(0)) await s.close();
	llmCalls.length = 0;
});

function host(persist = false) {
	const h = new SimHost({
		executor: (o) => createExecutor({ ...o, seed: 1 }).run,
		...(persist
			? {
					openStore: (id: string) => {
						const s = createEventStore({ workspaceId: id });
						stores.push(s);
						return s;
					}
				}
			: {})
	});
	hosts.push(h);
	return h;
}

/** Waits (on real time: the live HTTP request is real) until the instance leaves `state` or stops being active. */
async function settle(h: SimHost, id: string, state: string) {
	for (let i = 0; i < 400; i++) {
		const v = await h.view(id);
		if (v.value !== state || v.status !== 'active') return v;
		await new Promise((r) => setTimeout(r, 5));
	}
	return h.view(id);
}

function cleanup(path: string, withOnError = true): Workflow {
	return {
		format: 'fsm-studio/workflow',
		version: 1,
		id: 'cleanup',
		name: 'Cleanup',
		initial: 'deleting',
		context: {},
		states: {
			deleting: {
				invoke: { type: 'http', method: 'DELETE', url: `${base}${path}`, assignTo: 'result' },
				onDone: 'summarising',
				...(withOnError ? { onError: 'failed' } : {})
			},
			summarising: { invoke: { type: 'call_llm', prompt: 'the log', assignTo: 'summary' }, onDone: 'done' },
			done: { type: 'final' },
			failed: { type: 'final' }
		}
	} as Workflow;
}

describe('run modes in the simulator', () => {
	it('is simulated by default: the DELETE never reaches the server, call_llm is answered without the model, and the log says so first', async () => {
		const before = requests.length;
		const h = host();
		await h.init({ persist: false, workspaceId: 'ws-sim' });
		const id = await h.start(cleanup('/items/1'));
		const v = await settle(h, id, 'deleting');
		const done = v.value === 'summarising' ? await settle(h, id, 'summarising') : v;
		expect(done.value).toBe('done');
		expect(done.mode).toBe('simulated');
		expect(requests.length).toBe(before);
		expect(llmCalls).toEqual([]);
		expect(done.context.result).toEqual({ simulated: true, method: 'DELETE', url: `${base}/items/1` });
		expect(done.context.summary).toMatch(/^Simulated answer/);
		const { rows } = await h.logPage(id, 0, 1);
		expect(rows[0].entry).toMatchObject({ kind: 'log', data: { runMode: 'simulated' } });
	});

	it('live runs call the real server and the AI handlers registered for the workspace; configured stubs still win', async () => {
		const before = requests.length;
		const h = host();
		await h.init({ persist: false, workspaceId: 'ws-live' });
		const id = await h.start(cleanup('/items/2'), { mode: 'live' });
		await settle(h, id, 'deleting');
		const v = await settle(h, id, 'summarising');
		expect(v.value).toBe('done');
		expect(v.mode).toBe('live');
		expect(requests.slice(before)).toEqual(['DELETE /items/2']);
		expect(llmCalls).toEqual(['ws-live: the log']);
		expect(v.context).toMatchObject({ result: { deleted: true }, summary: 'model says hi to the log' });
		expect((await h.logPage(id, 0, 1)).rows[0].entry).toMatchObject({ kind: 'log', data: { runMode: 'live' } });

		const stubbed = await h.start(cleanup('/items/3'), { mode: 'live', stubs: { http: [{ output: 'stubbed' }] } });
		const s = await settle(h, stubbed, 'deleting');
		expect(s.context.result).toBe('stubbed');
		expect(requests.slice(before)).toEqual(['DELETE /items/2']);
	});

	it('a failed effect without onError puts the instance in error with a message that says to add an onError transition', async () => {
		const h = host();
		await h.init({ persist: false });
		const id = await h.start(cleanup('/fail', false), { mode: 'live' });
		const v = await settle(h, id, 'deleting');
		expect(v.status).toBe('error');
		expect(v.error?.message).toContain('HTTP 500');
		expect(v.error?.message).toContain('add an onError transition on state "deleting"');
		// Simulated, the same failure comes from a stub.
		const sim = await h.start(cleanup('/fail', false), { stubs: { http: [{ error: { code: 'network', message: 'offline' } }] } });
		const w = await settle(h, sim, 'deleting');
		expect(w.status).toBe('error');
		expect(w.error?.message).toMatch(/offline\. To handle it, add an onError transition on state "deleting"/);
	});

	it('a fork keeps its parent’s mode unless told otherwise, and its log says when it changes', async () => {
		const h = host();
		await h.init({ persist: false });
		const id = await h.start(cleanup('/items/4'), { paused: true });
		const same = await h.fork(id, 1);
		expect((await h.view(same)).mode).toBe('simulated');
		const live = await h.fork(id, 1, { mode: 'live', paused: true });
		expect((await h.view(live)).mode).toBe('live');
		const { rows } = await h.logPage(live, 0, 100);
		const modes = rows.filter((r) => r.entry.kind === 'log').map((r) => (r.entry as { data: { runMode: string } }).data.runMode);
		expect(modes).toEqual(['simulated', 'live']);
	});

	it('the mode is kept across a reload', async () => {
		const workspaceId = `run-mode-${Date.now()}`;
		const a = host(true);
		await a.init({ workspaceId });
		const sim = await a.start(cleanup('/items/5'), { paused: true });
		const live = await a.start(cleanup('/items/6'), { paused: true, mode: 'live' });
		await a.flush();
		expect(stores[0].getInstance(live)?.mode).toBe('live');
		const b = host(true);
		await b.init({ workspaceId });
		const views = await b.list('cleanup');
		expect(Object.fromEntries(views.map((v) => [v.id, v.mode]))).toEqual({ [sim]: 'simulated', [live]: 'live' });
	});
});
