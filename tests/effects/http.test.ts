import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExecutor } from '../../src/lib/effects';
import { makeScope, outcome } from './helpers';

let server: Server;
let base = '';
let flakyCalls = 0;
const closedEarly: string[] = [];

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve) => {
		let s = '';
		req.on('data', (c) => (s += c));
		req.on('end', () => resolve(s));
	});
}

async function handle(req: IncomingMessage, res: ServerResponse) {
	const url = new URL(req.url!, base);
	if (url.pathname === '/json') {
		res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify({ items: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }], total: 2 }));
	} else if (url.pathname === '/text') {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('plain words');
	} else if (url.pathname === '/echo') {
		const body = await readBody(req);
		res.writeHead(201, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, type: req.headers['content-type'], body }));
	} else if (url.pathname === '/flaky') {
		flakyCalls++;
		const failures = Number(url.searchParams.get('failures') ?? 2);
		if (flakyCalls <= failures) {
			res.writeHead(503, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: 'busy' }));
		} else {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ ok: true, attempt: flakyCalls }));
		}
	} else if (url.pathname === '/slow') {
		const t = setTimeout(() => {
			res.writeHead(200, { 'content-type': 'text/plain' });
			res.end('finally');
		}, Number(url.searchParams.get('ms') ?? 2000));
		res.on('close', () => {
			if (!res.writableEnded) closedEarly.push(url.search);
			clearTimeout(t);
		});
	} else {
		res.writeHead(404, { 'content-type': 'text/plain' });
		res.end('not here');
	}
}

beforeAll(async () => {
	server = createServer((req, res) => void handle(req, res));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));


/** Waits until the server saw the request's connection close (the abort reached it), or fails after 10 s. */
async function serverSawClose(query: string) {
	for (let i = 0; i < 1000 && !closedEarly.includes(query); i++) await new Promise((res) => setTimeout(res, 10));
	expect(closedEarly).toContain(query);
}

describe('http', () => {
	it('reads JSON and maps it into the context with resultPath and assignTo', async () => {
		const { scope, context } = makeScope();
		const out = await createExecutor().run({ type: 'http', url: `${base}/json`, resultPath: 'body.items.name', assignTo: 'names' }, scope);
		expect(out).toEqual(['one', 'two']);
		expect(context.names).toEqual(['one', 'two']);
	});

	it('reads text', async () => {
		const { scope } = makeScope();
		expect(await createExecutor().run({ type: 'http', url: `${base}/text` }, scope)).toBe('plain words');
	});

	it('sends templated URL, headers and a JSON body', async () => {
		const { scope } = makeScope({ token: 's3cret', path: 'echo', n: 3 });
		const out = await createExecutor().run(
			{
				type: 'http',
				method: 'POST',
				url: `${base}/{{ context.path }}`,
				headers: { authorization: 'Bearer {{ context.token }}' },
				body: { count: '{{ context.n }}', note: 'n={{ context.n }}' }
			},
			scope
		);
		expect(out).toEqual({ method: 'POST', auth: 'Bearer s3cret', type: 'application/json', body: '{"count":3,"note":"n=3"}' });
	});

	it('fails on non-2xx unless the status is accepted', async () => {
		const { scope } = makeScope();
		const ex = createExecutor();
		const r = await outcome(ex.run({ type: 'http', url: `${base}/missing` }, scope));
		expect(!r.ok && r.error.code).toBe('http_status');
		expect(!r.ok && r.error.status).toBe(404);
		expect(!r.ok && r.error.message).toBe(`HTTP 404 Not Found from GET ${base}/missing`);
		expect(await ex.run({ type: 'http', url: `${base}/missing`, acceptStatus: [404] }, scope)).toBe('not here');
	});

	it('retries a flaky endpoint until it answers', async () => {
		flakyCalls = 0;
		const { scope, effects } = makeScope();
		const out = await createExecutor().run(
			{ type: 'retry', maxAttempts: 5, backoff: { initialMs: 5, jitter: 'none' }, effect: { type: 'http', url: `${base}/flaky?failures=2` } },
			scope
		);
		expect(out).toEqual({ ok: true, attempt: 3 });
		expect(effects().filter((e) => e.phase === 'retry').map((e) => (e.data as { code: string }).code)).toEqual(['http_status', 'http_status']);
	});

	it('times out with timeoutMs and aborts the request', async () => {
		const { scope } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'http', url: `${base}/slow?ms=5000&case=own`, timeoutMs: 100 }, scope));
		expect(!r.ok && r.error.code).toBe('timeout');
		await serverSawClose('?ms=5000&case=own');
	});

	it('a timeout operator aborts the fetch of its inner effect', async () => {
		const { scope, trace } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'timeout', ms: 100, effect: { type: 'http', url: `${base}/slow?ms=5000&case=op` } }, scope));
		expect(!r.ok && r.error.code).toBe('timeout');
		expect(trace()).toEqual(['start timeout', 'start timeout/effect:http', 'cancel timeout/effect:http', 'error timeout']);
		await serverSawClose('?ms=5000&case=op');
	});

	it('leaving the state aborts the request', async () => {
		const { scope, controller, trace } = makeScope();
		const p = outcome(createExecutor().run({ type: 'http', url: `${base}/slow?ms=5000&case=leave` }, scope));
		setTimeout(() => controller.abort(), 50);
		expect((await p).ok).toBe(false);
		expect(trace()).toEqual(['start http', 'cancel http']);
		await serverSawClose('?ms=5000&case=leave');
	});

	it('a network failure says it may be CORS and how to fix it', async () => {
		const closed = createServer();
		await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((r) => closed.close(() => r()));
		const { scope } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'http', url: `http://127.0.0.1:${port}/x` }, scope));
		expect(!r.ok && r.error.code).toBe('network');
		expect(!r.ok && r.error.message).toMatch(
			new RegExp(`^The request to http://127\\.0\\.0\\.1:${port} was blocked or failed \\(CORS or network\\)\\. If the server is yours, allow this origin with Access-Control-Allow-Origin; `)
		);
	});

	it('rejects an invalid URL with a clear message', async () => {
		const { scope } = makeScope();
		const r = await outcome(createExecutor().run({ type: 'http', url: 'not a url' }, scope));
		expect(!r.ok && r.error.message).toBe('http: "not a url" is not a valid URL');
	});
});
