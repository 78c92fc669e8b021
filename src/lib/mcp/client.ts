/**
 * Stored MCP servers, connected: a connection per server kept open while it is used (and
 * reopened when its settings change or its session ends), catalogs refreshed on demand,
 * tool calls with explained failures. The same code runs in the page (Settings, the
 * assistant's tool loop) and in the runtime/simulator workers (`call_tool` effects).
 */
import { connect, fetchCatalog, McpError, type McpConnection } from './connection';
import { StoredOAuthProvider, serializeRefresh, serverIdFromState, type ProviderOptions } from './oauth';
import { getServer, listServers, recordConnection, requestHeaders } from './store';
import type { McpCatalog, McpServerConfig, McpToolInfo } from './types';
import type { ToolCallResultLike } from './results';

export interface ClientOptions {
	/** Page only: how to send the person to an authorization server. */
	redirect?: ProviderOptions['redirect'];
	/** Per-request timeout (ms). */
	timeoutMs?: number;
	signal?: AbortSignal;
}

function appOrigin(): string {
	return (globalThis as { location?: { origin?: string } }).location?.origin ?? 'http://localhost';
}

/** Opens a connection to a stored server with its credentials. */
export async function connectServer(server: McpServerConfig, options: ClientOptions = {}): Promise<McpConnection> {
	const headers = await requestHeaders(server);
	const authProvider = server.auth.kind === 'oauth' ? new StoredOAuthProvider(server, { origin: appOrigin(), redirect: options.redirect }) : undefined;
	return connect({
		url: server.url,
		transport: server.transport,
		headers,
		auth: server.auth.kind,
		...(authProvider ? { authProvider, wrapFetch: (f: typeof fetch) => serializeRefresh(server.id, f) } : {}),
		timeoutMs: options.timeoutMs ?? 30_000,
		signal: options.signal
	});
}

interface PoolEntry {
	updatedAt: number;
	conn: Promise<McpConnection>;
}
const pool = new Map<string, PoolEntry>();

/** A pooled connection (for tool calls from effects); reopened after the server's settings changed. */
async function pooled(server: McpServerConfig, options: ClientOptions): Promise<McpConnection> {
	const hit = pool.get(server.id);
	if (hit && hit.updatedAt === server.updatedAt) return hit.conn;
	if (hit) void hit.conn.then((c) => c.close()).catch(() => {});
	const entry: PoolEntry = { updatedAt: server.updatedAt, conn: connectServer(server, { ...options, signal: undefined }) };
	pool.set(server.id, entry);
	entry.conn.catch(() => {
		if (pool.get(server.id) === entry) pool.delete(server.id);
	});
	return entry.conn;
}

/** Closes pooled connections (all, or one server's). */
export async function closeConnections(serverId?: string): Promise<void> {
	const entries = serverId ? [[serverId, pool.get(serverId)] as const] : [...pool.entries()];
	for (const [id, e] of entries) {
		if (!e) continue;
		pool.delete(id);
		await e.conn.then((c) => c.close()).catch(() => {});
	}
}

/** Connects, reads everything the server offers and records it (or the explained problem). */
export async function refreshCatalog(serverId: string, options: ClientOptions = {}): Promise<McpCatalog> {
	const server = await getServer(serverId);
	if (!server) throw new Error('This MCP server was removed.');
	let conn: McpConnection | undefined;
	try {
		conn = await connectServer(server, options);
		const catalog = await fetchCatalog(conn);
		await recordConnection(server.id, { catalog });
		return catalog;
	} catch (e) {
		if (e instanceof McpError && e.problem.code !== 'sign_in_needed') await recordConnection(server.id, { problem: e.problem });
		throw e;
	} finally {
		await conn?.close();
	}
}

/** Finds the server for a `call_tool` effect: by id or name, else the one enabled server whose catalog has the tool. */
export async function resolveToolServer(ref: string | undefined, tool: string): Promise<{ server: McpServerConfig; tool?: McpToolInfo }> {
	const servers = await listServers();
	if (ref) {
		const s = servers.find((x) => x.id === ref) ?? servers.find((x) => x.name === ref);
		if (!s)
			throw new McpError({
				code: 'failed',
				message: `There is no MCP server "${ref}".`,
				fix: servers.length ? `Choose one of ${servers.map((x) => `“${x.name}”`).join(', ')} in the effect, or add it in Settings → MCP servers.` : 'Add it in Settings → MCP servers.'
			});
		if (!s.enabled) throw new McpError({ code: 'failed', message: `The MCP server “${s.name}” is switched off.`, fix: 'Switch it on in Settings → MCP servers.' });
		return { server: s, tool: s.catalog?.tools.find((t) => t.name === tool) };
	}
	const having = servers.filter((s) => s.enabled && s.catalog?.tools.some((t) => t.name === tool));
	if (having.length === 1) return { server: having[0], tool: having[0].catalog!.tools.find((t) => t.name === tool) };
	if (having.length > 1)
		throw new McpError({ code: 'failed', message: `Several MCP servers have a tool called ${tool} (${having.map((s) => s.name).join(', ')}).`, fix: 'Choose the server in the effect.' });
	throw new McpError({
		code: 'unknown_tool',
		message: `No MCP server in Settings offers a tool called ${tool}.`,
		fix: 'Add the server in Settings → MCP servers (or refresh its tools there), then pick the tool again.'
	});
}

/** Calls a tool on a stored server, reusing its connection; a lost session is reopened once. */
export async function callServerTool(
	server: McpServerConfig,
	tool: string,
	args: Record<string, unknown>,
	options: ClientOptions = {}
): Promise<ToolCallResultLike> {
	for (let attempt = 0; ; attempt++) {
		const conn = await pooled(server, options);
		try {
			return (await conn.request((c, o) => c.callTool({ name: tool, arguments: args }, o), { signal: options.signal, timeoutMs: options.timeoutMs, tool })) as ToolCallResultLike;
		} catch (e) {
			const code = e instanceof McpError ? e.problem.code : '';
			// a server restart forgets sessions (404 / a refused session: the call did not run):
			// one fresh connection, then give up. Nothing else is retried here — a tool may not
			// be safe to run twice; a `retry` effect around call_tool says when it is.
			if (attempt === 0 && !options.signal?.aborted && (code === 'cors_session_id' || code === 'not_found')) {
				await closeConnections(server.id);
				continue;
			}
			if (code === 'unreachable' || code === 'cors') await closeConnections(server.id);
			throw e;
		}
	}
}

/** Page: finishes an OAuth sign-in from the callback's query; returns the server it was for. */
export async function finishOAuth(params: URLSearchParams): Promise<McpServerConfig> {
	const serverId = serverIdFromState(params.get('state'));
	const server = serverId ? await getServer(serverId) : undefined;
	if (!server) throw new Error('This sign-in does not belong to any MCP server here (it may have been removed). Start it again from Settings → MCP servers.');
	const error = params.get('error');
	if (error) throw new Error(error === 'access_denied' ? 'Sign-in was cancelled at the authorization server.' : `The authorization server refused the sign-in (${error}).`);
	const provider = new StoredOAuthProvider(server, { origin: appOrigin() });
	if ((await provider.expectedState()) !== params.get('state')) throw new Error('This sign-in answer does not match the one FSM Studio started (state mismatch); start it again.');
	if (!params.get('code')) throw new Error('The authorization server sent no code back; start the sign-in again.');
	const { StreamableHTTPClientTransport, SSEClientTransport } = await import('@modelcontextprotocol/client');
	const url = new URL(server.url);
	const transport = server.transport === 'sse' ? new SSEClientTransport(url, { authProvider: provider }) : new StreamableHTTPClientTransport(url, { authProvider: provider });
	await transport.finishAuth(params as never);
	return server;
}

/** Reads a resource of a stored server (for browsing it in Settings). */
export async function readServerResource(server: McpServerConfig, uri: string, options: ClientOptions = {}) {
	const conn = await pooled(server, options);
	return conn.request((c, o) => c.readResource({ uri }, o), { signal: options.signal, timeoutMs: options.timeoutMs });
}

/** Fills a prompt of a stored server with arguments (for browsing it in Settings). */
export async function getServerPrompt(server: McpServerConfig, name: string, args: Record<string, string>, options: ClientOptions = {}) {
	const conn = await pooled(server, options);
	return conn.request((c, o) => c.getPrompt({ name, arguments: args }, o), { signal: options.signal, timeoutMs: options.timeoutMs });
}
