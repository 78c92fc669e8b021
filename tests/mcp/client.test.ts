/** The MCP client core (SDK client, fallback, catalog, results, explanations) against real local servers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fetchCatalog, McpError } from '../../src/lib/mcp/connection';
import { toolResultValue, toolErrorText, mediaValueOf, resourceValueOf, mediaDataUrl, openableUri, base64Bytes, type RichResult } from '../../src/lib/mcp/results';
import { startTestServer, type TestServer } from './fixtures/mcp-test-server';

let plain: TestServer;
let legacy: TestServer;
let bearer: TestServer;

beforeAll(async () => {
	[plain, legacy, bearer] = await Promise.all([startTestServer(), startTestServer({ legacySseOnly: true }), startTestServer({ auth: 'bearer', token: 'tok-123' })]);
});
afterAll(async () => {
	await Promise.all([plain, legacy, bearer].map((s) => s?.close()));
});

async function problemOf(p: Promise<unknown>) {
	try {
		await p;
	} catch (e) {
		expect(e).toBeInstanceOf(McpError);
		return (e as McpError).problem;
	}
	throw new Error('expected a failure');
}

describe('MCP client', () => {
	it('connects over Streamable HTTP and reads tools, resources and prompts', async () => {
		const conn = await connect({ url: plain.url, transport: 'auto', auth: 'none' });
		try {
			expect(conn.transport).toBe('streamable-http');
			expect(conn.sessionId()).toBeTruthy();
			const cat = await fetchCatalog(conn);
			expect(cat.serverName).toBe('test-tools');
			expect(cat.instructions).toContain('FSM Studio tests');
			expect(cat.tools.map((t) => t.name).sort()).toEqual(['add', 'chart', 'echo', 'fail', 'slow', 'weather']);
			const weather = cat.tools.find((t) => t.name === 'weather')!;
			expect(weather.inputSchema.properties?.unit).toMatchObject({ enum: ['celsius', 'fahrenheit'], default: 'celsius' });
			expect(weather.inputSchema.required).toEqual(['city']);
			expect(cat.resources.map((r) => r.uri).sort()).toEqual(['note://config.json', 'note://readme']);
			expect(cat.prompts[0]).toMatchObject({ name: 'summarize', arguments: [{ name: 'text', required: true }, { name: 'words' }] });
		} finally {
			await conn.close();
		}
	});

	it('turns tool results into context values: structured content, JSON text, images, and tool errors', async () => {
		const conn = await connect({ url: plain.url, transport: 'streamable-http', auth: 'none' });
		try {
			const add = await conn.request((c, o) => c.callTool({ name: 'add', arguments: { a: 2, b: 40 } }, o));
			expect(toolResultValue(add as never)).toEqual({ sum: 42 });
			const weather = await conn.request((c, o) => c.callTool({ name: 'weather', arguments: { city: 'Oslo', days: 2 } }, o));
			expect(toolResultValue(weather as never)).toMatchObject({ city: 'Oslo', unit: 'celsius', forecast: [{ day: 1 }, { day: 2 }] });
			const chart = await conn.request((c, o) => c.callTool({ name: 'chart', arguments: { title: 'Sales' } }, o));
			const v = toolResultValue(chart as never) as { text: string; images: { mimeType: string; data: string }[] };
			expect(v.text).toBe('Chart: Sales');
			expect(v.images[0].mimeType).toBe('image/png');
			expect(Buffer.from(v.images[0].data, 'base64').subarray(1, 4).toString()).toBe('PNG');
			// audio, a resource link and an embedded resource: kept with their types, recognised by the run view
			const rich = toolResultValue((await conn.request((c, o) => c.callTool({ name: 'chart', arguments: { title: 'Sales', attachments: true } }, o))) as never) as RichResult;
			expect(rich.audio).toHaveLength(1);
			expect(mediaValueOf(rich.audio[0])).toEqual({ type: 'audio', mimeType: 'audio/wav', data: expect.any(String) });
			expect(Buffer.from(rich.audio[0].data, 'base64').subarray(0, 4).toString()).toBe('RIFF');
			expect(base64Bytes(rich.audio[0].data)).toBe(Buffer.from(rich.audio[0].data, 'base64').length);
			expect(mediaDataUrl(rich.audio[0])).toMatch(/^data:audio\/wav;base64,UklGR/);
			expect(mediaValueOf(rich.images[0])?.mimeType).toBe('image/png');
			expect(rich.resources).toEqual([
				{ uri: 'https://example.com/reports/sales.csv', name: 'Sales report', mimeType: 'text/csv' },
				{ uri: 'test://data/sales', mimeType: 'text/csv', text: 'month,sales\nJan,10\nFeb,12' }
			]);
			expect(rich.resources.map((r) => resourceValueOf(r) !== undefined)).toEqual([true, true]);
			expect(rich.resources.map((r) => openableUri(r.uri))).toEqual(['https://example.com/reports/sales.csv', undefined]);
			// what is not media or a resource stays JSON; no script address becomes a link; no odd type becomes a data URL
			expect(mediaValueOf({ type: 'image', mimeType: 'image/png', data: 'x', extra: 1 })).toBeUndefined();
			expect(resourceValueOf({ uri: 'https://x', size: 3 })).toBeUndefined();
			expect(openableUri('javascript:alert(1)')).toBeUndefined();
			expect(mediaDataUrl({ mimeType: 'text/html', data: 'PGI+' })).toBeNull();
			const fail = (await conn.request((c, o) => c.callTool({ name: 'fail', arguments: {} }, o))) as { isError?: boolean };
			expect(fail.isError).toBe(true);
			expect(toolErrorText(fail as never)).toBe('The database is read-only');
			const bad = await conn.request((c, o) => c.callTool({ name: 'add', arguments: { a: 'x' } }, o));
			expect((bad as { isError?: boolean }).isError).toBe(true);
			expect(toolErrorText(bad as never)).toContain('Invalid arguments for tool add');
			const readme = await conn.request((c, o) => c.readResource({ uri: 'note://readme' }, o));
			expect((readme.contents[0] as { text: string }).text).toContain('# Test tools');
			const prompt = await conn.request((c, o) => c.getPrompt({ name: 'summarize', arguments: { text: 'Long story' } }, o));
			expect((prompt.messages[0].content as { text: string }).text).toContain('Long story');
		} finally {
			await conn.close();
		}
	});

	it('falls back to the legacy HTTP+SSE transport when Streamable HTTP is refused', async () => {
		const conn = await connect({ url: legacy.url, transport: 'auto', auth: 'none' });
		try {
			expect(conn.transport).toBe('sse');
			const r = await conn.request((c, o) => c.callTool({ name: 'echo', arguments: { text: 'over sse' } }, o));
			expect(toolResultValue(r as never)).toBe('over sse');
		} finally {
			await conn.close();
		}
		// pinned to Streamable HTTP, the same server is explained as not an MCP endpoint there
		const p = await problemOf(connect({ url: legacy.url, transport: 'streamable-http', auth: 'none' }));
		expect(p.code).toBe('not_mcp');
	});

	it('explains a wrong path, a dead port and a missing or wrong token', async () => {
		const notFound = await problemOf(connect({ url: plain.origin + '/nope', transport: 'auto', auth: 'none' }));
		expect(notFound.code).toBe('not_found');
		expect(notFound.fix).toContain('/mcp');

		const dead = await problemOf(connect({ url: 'http://127.0.0.1:9/mcp', transport: 'streamable-http', auth: 'none' }));
		expect(dead.code).toBe('unreachable');

		const missing = await problemOf(connect({ url: bearer.url, transport: 'auto', auth: 'none' }));
		expect(missing).toMatchObject({ code: 'unauthorized', status: 401 });
		expect(missing.fix).toContain('bearer token');
		const wrong = await problemOf(connect({ url: bearer.url, transport: 'auto', auth: 'bearer', headers: { Authorization: 'Bearer nope' } }));
		expect(wrong.code).toBe('unauthorized');
		expect(wrong.message).toContain('refused the credentials');

		const ok = await connect({ url: bearer.url, transport: 'auto', auth: 'bearer', headers: { Authorization: 'Bearer tok-123' } });
		expect((await fetchCatalog(ok)).tools.length).toBe(6);
		await ok.close();
	});
});
