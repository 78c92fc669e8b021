/**
 * Stored servers, sealed secrets, and OAuth 2.1 against a real local authorization server:
 * discovery, dynamic client registration, PKCE (S256), the RFC 8707 resource, refresh.
 * The "person" here follows the authorization URL with fetch and presses Allow.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AiDb, setAiDb } from '../../src/lib/store/ai-db';
import { McpDb, mcpDb, saveServer, serverSecrets, setMcpDb, getServer, requestHeaders, allowedOrigins, setAllowedOrigins, noteEmbedRequest, embedRequests, checkServerUrl } from '../../src/lib/mcp/store';
import { closeConnections, connectServer, finishOAuth, refreshCatalog, callServerTool } from '../../src/lib/mcp/client';
import { McpError } from '../../src/lib/mcp/connection';
import { createMcpHandlers } from '../../src/lib/mcp/handlers';
import { startTestServer, type TestServer } from './fixtures/mcp-test-server';
import type { EffectContext } from '../../src/lib/effects/types';

let servers: TestServer[] = [];

beforeEach(() => {
	setAiDb(new AiDb({ name: `ai-${Math.random().toString(36).slice(2)}` }));
	setMcpDb(new McpDb({ name: `mcp-${Math.random().toString(36).slice(2)}` }));
});
afterEach(async () => {
	await closeConnections();
});
afterAll(async () => {
	await Promise.all(servers.map((s) => s.close()));
});

/** Plays the person at the consent page: opens the URL, presses Allow, returns the callback query. */
async function approve(url: URL): Promise<URLSearchParams> {
	const page = await fetch(url);
	expect(page.status).toBe(200);
	expect(await page.text()).toContain('Allow FSM Studio to use test-tools?');
	const approveUrl = new URL(`/authorize/approve${url.search}`, url);
	const r = await fetch(approveUrl, { method: 'POST', redirect: 'manual' });
	expect(r.status).toBe(302);
	const back = new URL(r.headers.get('location')!);
	expect(back.pathname).toBe('/settings/mcp/callback');
	return back.searchParams;
}

function ctx(signal = new AbortController().signal) {
	return { signal } as unknown as EffectContext;
}

describe('MCP servers in Settings', () => {
	it('keeps bearer tokens and header values sealed, and sends them as headers', async () => {
		const s = await saveServer({ name: 'Tools', url: 'http://127.0.0.1:1/mcp', auth: { kind: 'bearer' }, bearer: 'Bearer sk-very-secret-123' });
		const raw = await mcpDb().servers.get(s.id);
		expect(JSON.stringify(raw)).not.toContain('sk-very-secret-123');
		expect(s).not.toHaveProperty('secret');
		expect(await requestHeaders(s)).toEqual({ Authorization: 'Bearer sk-very-secret-123' });
		const h = await saveServer({ id: s.id, name: 'Tools', url: s.url, auth: { kind: 'headers', names: ['X-Api-Key'] }, headers: { 'X-Api-Key': 'k-42' } });
		expect(await requestHeaders(h)).toEqual({ 'X-Api-Key': 'k-42' });
		expect((await serverSecrets(s.id)).bearer).toBeUndefined();
		await expect(saveServer({ name: 'x', url: 'ftp://example.com', auth: { kind: 'none' } })).rejects.toThrow(/must start with https/);
		await expect(saveServer({ name: ' ', url: 'https://example.com/mcp', auth: { kind: 'none' } })).rejects.toThrow('Give the server a name.');
		expect(() => checkServerUrl('https://user:pw@example.com/mcp')).toThrow(/credentials/);
	});

	it('keeps the postMessage allowlist and the pages that asked', async () => {
		await setAllowedOrigins(['https://host.example/', 'http://localhost:4000']);
		expect(await allowedOrigins()).toEqual(['https://host.example', 'http://localhost:4000']);
		await expect(setAllowedOrigins(['https://host.example/app'])).rejects.toThrow(/has a path/);
		await noteEmbedRequest('https://other.example');
		await noteEmbedRequest('https://other.example');
		expect((await embedRequests())[0]).toMatchObject({ origin: 'https://other.example', count: 2 });
		await setAllowedOrigins([...(await allowedOrigins()), 'https://other.example']);
		expect(await embedRequests()).toEqual([]);
	});
});

describe('OAuth 2.1 sign-in (PKCE, discovery, dynamic registration, refresh)', () => {
	it('signs in, calls tools with the token, refreshes it when it expires, and keeps it sealed', async () => {
		const srv = await startTestServer({ auth: 'oauth', accessTokenTtl: 2 });
		servers.push(srv);
		const s = await saveServer({ name: 'Secured', url: srv.url, auth: { kind: 'oauth' } });

		// without a person to sign in (a worker), a needed sign-in is explained, not attempted
		await expect(refreshCatalog(s.id)).rejects.toMatchObject({ problem: { code: 'sign_in_needed' } });

		let sent: URL | undefined;
		const first = refreshCatalog(s.id, { redirect: (url) => void (sent = url) });
		await expect(first).rejects.toBeInstanceOf(Error);
		expect(sent).toBeDefined();
		expect(sent!.searchParams.get('code_challenge_method')).toBe('S256');
		expect(sent!.searchParams.get('resource')).toBe(srv.url);
		expect(sent!.searchParams.get('state')).toMatch(new RegExp(`^${s.id}~`));
		const back = await approve(sent!);

		// a forged state is refused
		const forged = new URLSearchParams(back);
		forged.set('state', `${s.id}~0000`);
		await expect(finishOAuth(forged)).rejects.toThrow(/state mismatch/);

		expect((await finishOAuth(back)).id).toBe(s.id);
		expect(srv.oauthLog).toEqual(['register FSM Studio', `authorize ${srv.oauthLog[1].split(' ')[1]} resource=${srv.url}`, 'token authorization_code']);
		const secrets = await serverSecrets(s.id);
		const access = (secrets.oauth?.tokens as { access_token: string }).access_token;
		expect(access).toMatch(/^at-/);
		expect(JSON.stringify(await mcpDb().servers.get(s.id))).not.toContain(access);

		const cat = await refreshCatalog(s.id);
		expect(cat.tools.map((t) => t.name)).toContain('add');
		expect((await getServer(s.id))?.lastError).toBeUndefined();

		// the access token lives 2 s: the next call refreshes it (no person needed)
		await new Promise((r) => setTimeout(r, 2300));
		const call_tool = createMcpHandlers({ workspaceId: 'default' }).call_tool as unknown as (p: unknown, c: EffectContext) => Promise<unknown>;
		expect(await call_tool({ server: 'Secured', tool: 'add', arguments: { a: 1, b: 2 } }, ctx())).toEqual({ sum: 3 });
		expect(srv.oauthLog).toContain('token refresh_token');
	});
	it('refreshes one at a time when several connections find the token expired (rotating refresh tokens are accepted once)', async () => {
		const srv = await startTestServer({ auth: 'oauth', accessTokenTtl: 3 });
		servers.push(srv);
		const s = await saveServer({ name: 'Rotating', url: srv.url, auth: { kind: 'oauth' } });
		let sent: URL | undefined;
		await expect(refreshCatalog(s.id, { redirect: (url) => void (sent = url) })).rejects.toBeInstanceOf(Error);
		await finishOAuth(await approve(sent!));

		// three connections (think: Settings, the runtime worker, the Run panel's worker), each
		// with its own provider, all holding the same access and refresh tokens
		const conns = await Promise.all([0, 1, 2].map(() => connectServer(s)));
		try {
			await new Promise((r) => setTimeout(r, 3300));
			const sums = await Promise.all(conns.map((c, i) => c.request((cl, o) => cl.callTool({ name: 'add', arguments: { a: i, b: 10 } }, o))));
			expect(sums.map((r) => (r as { structuredContent?: { sum: number } }).structuredContent?.sum)).toEqual([10, 11, 12]);
		} finally {
			await Promise.all(conns.map((c) => c.close()));
		}
		// each refresh used the refresh token stored last: none was refused, nobody was signed out
		expect(srv.oauthLog.filter((l) => l === 'token refresh_token').length).toBeGreaterThanOrEqual(1);
		expect((await serverSecrets(s.id)).oauth?.tokens).toMatchObject({ access_token: expect.stringMatching(/^at-/) });
		expect(await refreshCatalog(s.id)).toMatchObject({ tools: expect.arrayContaining([expect.objectContaining({ name: 'add' })]) });
	});
});

describe('call_tool effect handler', () => {
	it('finds the server that has the tool, returns the result, and explains tool errors and missing tools', async () => {
		const srv = await startTestServer();
		servers.push(srv);
		const s = await saveServer({ name: 'Plain', url: srv.url, auth: { kind: 'none' } });
		await refreshCatalog(s.id);
		const call_tool = createMcpHandlers({ workspaceId: 'default' }).call_tool as unknown as (p: unknown, c: EffectContext) => Promise<unknown>;
		expect(await call_tool({ tool: 'echo', arguments: { text: 'hi' } }, ctx())).toBe('hi');
		await expect(call_tool({ tool: 'fail', arguments: {} }, ctx())).rejects.toMatchObject({
			code: 'failed',
			message: 'The tool fail on Plain reported an error: The database is read-only'
		});
		await expect(call_tool({ tool: 'nope' }, ctx())).rejects.toMatchObject({ code: 'no_provider', message: expect.stringContaining('No MCP server in Settings offers a tool called nope') });
		await expect(call_tool({ server: 'Elsewhere', tool: 'echo' }, ctx())).rejects.toThrow(/There is no MCP server "Elsewhere"/);

		// cancelling the effect cancels the request
		const ac = new AbortController();
		const p = call_tool({ tool: 'slow', arguments: { ms: 5000 } }, ctx(ac.signal));
		setTimeout(() => ac.abort(), 100);
		const t0 = Date.now();
		await expect(p).rejects.toBeTruthy();
		expect(Date.now() - t0).toBeLessThan(3000);

		// later calls reuse the pooled connection (one session for all of them)
		const r = await callServerTool(s, 'echo', { text: 'again' });
		expect(r.content?.[0].text).toBe('again');
		const posts = srv.requests.filter((q) => q.method === 'POST');
		// one initialize for the catalog (closed after), one for the pooled connection
		expect(posts.filter((q) => !q.headers['mcp-session-id'])).toHaveLength(2);
		expect(new Set(posts.map((q) => q.headers['mcp-session-id']).filter(Boolean)).size).toBe(2);
	});

	it('reports an unreachable server as a network error that retry understands', async () => {
		const s = await saveServer({ name: 'Gone', url: 'http://127.0.0.1:9/mcp', auth: { kind: 'none' } });
		const call_tool = createMcpHandlers({ workspaceId: 'default' }).call_tool as unknown as (p: unknown, c: EffectContext) => Promise<unknown>;
		const err = (await call_tool({ server: s.id, tool: 'echo', arguments: { text: 'x' } }, ctx()).catch((e) => e)) as Error;
		expect(err).not.toBeInstanceOf(McpError);
		expect(err).toMatchObject({ code: 'network' });
		expect(err.message).toContain('Nothing answered at http://127.0.0.1:9/mcp');
	});
});
