/**
 * Connecting to an MCP server with the official SDK client (its browser build, loaded on
 * first use): Streamable HTTP first, the legacy HTTP+SSE transport as fallback, and every
 * failure turned into an explained problem. Runs in the page and in workers alike.
 */
import type { OAuthClientProvider } from '@modelcontextprotocol/client';
import { explainMcpError, type ExplainContext } from './errors';
import type { McpAuth, McpCatalog, McpProblem, McpTransportKind } from './types';
import type { JsonSchemaLike } from './json-schema';

type Sdk = typeof import('@modelcontextprotocol/client');
type SdkClient = InstanceType<Sdk['Client']>;

let sdk: Promise<Sdk> | null = null;
/** The SDK, imported on first use so that no page pays for it up front. */
export function loadSdk(): Promise<Sdk> {
	return (sdk ??= import('@modelcontextprotocol/client').catch((e) => {
		sdk = null;
		throw e;
	}));
}

export const CLIENT_INFO = { name: 'FSM Studio', version: '0.1.0' };

/** A problem with an explanation attached, thrown by everything in this module. */
export class McpError extends Error {
	readonly problem: McpProblem;
	constructor(problem: McpProblem, options?: { cause?: unknown }) {
		super(problem.fix ? `${problem.message} ${problem.fix}` : problem.message, options);
		this.name = 'McpError';
		this.problem = problem;
	}
}

export interface ConnectionSpec {
	url: string;
	transport: 'auto' | McpTransportKind;
	/** Extra request headers (a bearer token becomes `Authorization` here). */
	headers?: Record<string, string>;
	auth: McpAuth['kind'];
	/** For OAuth: stores tokens and registrations, and sends people to sign in when needed. */
	authProvider?: OAuthClientProvider;
	/** Wraps the fetch the transport uses (OAuth: refreshes one at a time). */
	wrapFetch?: (f: typeof fetch) => typeof fetch;
	/** Default per-request timeout (ms). */
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface McpConnection {
	readonly client: SdkClient;
	readonly transport: McpTransportKind;
	readonly url: string;
	/** Session id the server issued (undefined when it runs stateless, or when the browser hides it). */
	sessionId(): string | undefined;
	/** Runs a request; failures come back explained. */
	request<T>(what: (client: SdkClient, options: { signal?: AbortSignal; timeout?: number }) => Promise<T>, options?: { signal?: AbortSignal; timeoutMs?: number; tool?: string }): Promise<T>;
	close(): Promise<void>;
}

const isBrowser = () => typeof (globalThis as { document?: unknown }).document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';

function currentOrigin(): string | undefined {
	return (globalThis as { location?: { origin?: string } }).location?.origin;
}

/**
 * After a fetch failed without any response: does anything answer there at all? A `no-cors`
 * request gets an opaque response from a live server whatever its CORS headers say.
 */
export async function probeReachable(url: string, timeoutMs = 4000): Promise<boolean> {
	if (!isBrowser()) return false;
	const ctrl = new AbortController();
	const t = setTimeout(() => ctrl.abort(), timeoutMs);
	try {
		await fetch(url, { method: 'POST', mode: 'no-cors', body: '{}', headers: { 'Content-Type': 'text/plain' }, signal: ctrl.signal, credentials: 'omit' });
		return true;
	} catch {
		return false;
	} finally {
		clearTimeout(t);
	}
}

interface Observed {
	/** Status and body start of the last non-OK response. */
	lastFailure?: { status: number; body: string; url: string };
}

/** fetch that remembers the last failing response, for better explanations. */
function observingFetch(o: Observed): typeof fetch {
	return async (input, init) => {
		const res = await fetch(input, init);
		if (!res.ok && res.status !== 401) {
			let body = '';
			try {
				body = (await res.clone().text()).slice(0, 500);
			} catch {
				/* opaque or streamed */
			}
			o.lastFailure = { status: res.status, body, url: String(input instanceof Request ? input.url : input) };
		}
		return res;
	};
}

/** Explains any failure, gathering the facts the explanation needs. */
export async function explain(err: unknown, spec: Pick<ConnectionSpec, 'url' | 'auth' | 'headers'>, extra: Partial<ExplainContext> & { observed?: Observed; sessionId?: string; transport?: McpTransportKind } = {}): Promise<McpProblem> {
	if (err instanceof McpError) return err.problem;
	const ctx: ExplainContext = {
		url: spec.url,
		origin: currentOrigin(),
		browser: isBrowser(),
		auth: spec.auth,
		headerNames: Object.keys(spec.headers ?? {}).filter((h) => h.toLowerCase() !== 'authorization'),
		...extra
	};
	const text = `${(err as Error)?.name ?? ''} ${(err as Error)?.message ?? String(err)}`;
	if (ctx.browser && /TypeError|Failed to fetch|NetworkError|Load failed/i.test(text)) ctx.reachable = await probeReachable(spec.url);
	const lf = extra.observed?.lastFailure;
	// a stateful server refuses requests without the session id the browser could not read
	// (servers word it "No valid session ID provided", "Mcp-Session-Id header is required", or —
	// when they start a fresh server per session-less request — "Server not initialized")
	if (extra.transport === 'streamable-http' && !extra.sessionId && lf && (lf.status === 400 || lf.status === 404) && /session|not initialized/i.test(lf.body)) ctx.sessionLost = true;
	const p = explainMcpError(err, ctx);
	if (lf && !p.detail?.includes(lf.body) && lf.body) p.detail = `${p.detail ? `${p.detail} — ` : ''}HTTP ${lf.status}: ${lf.body}`;
	return p;
}

async function open(kind: McpTransportKind, spec: ConnectionSpec, observed: Observed): Promise<{ client: SdkClient; transport: { close(): Promise<void>; sessionId?: string } }> {
	const { Client, StreamableHTTPClientTransport, SSEClientTransport } = await loadSdk();
	const url = new URL(spec.url);
	const f = spec.wrapFetch ? spec.wrapFetch(observingFetch(observed)) : observingFetch(observed);
	const requestInit: RequestInit = spec.headers && Object.keys(spec.headers).length ? { headers: spec.headers } : {};
	const transport =
		kind === 'streamable-http'
			? new StreamableHTTPClientTransport(url, { requestInit, fetch: f, ...(spec.authProvider ? { authProvider: spec.authProvider } : {}) })
			: new SSEClientTransport(url, {
					requestInit,
					fetch: f,
					eventSourceInit: { fetch: (u: string | URL | Request, init?: RequestInit) => f(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...(spec.headers ?? {}) } }) },
					...(spec.authProvider ? { authProvider: spec.authProvider } : {})
				} as ConstructorParameters<Sdk['SSEClientTransport']>[1]);
	const client = new Client(CLIENT_INFO, { capabilities: {} });
	const onAbort = () => void transport.close().catch(() => {});
	spec.signal?.addEventListener('abort', onAbort, { once: true });
	try {
		await client.connect(transport, { timeout: spec.timeoutMs ?? 20_000 } as never);
	} finally {
		spec.signal?.removeEventListener('abort', onAbort);
	}
	return { client, transport: transport as unknown as { close(): Promise<void>; sessionId?: string } };
}

/** Statuses after which the spec says to try the legacy HTTP+SSE transport. */
function worthSseFallback(err: unknown, observed: Observed): boolean {
	const status = observed.lastFailure?.status ?? ((err as { data?: { status?: number } })?.data?.status as number | undefined);
	return status === 400 || status === 404 || status === 405;
}

/** Connects (trying Streamable HTTP, then SSE when `auto`), or throws an `McpError`. */
export async function connect(spec: ConnectionSpec): Promise<McpConnection> {
	const order: McpTransportKind[] = spec.transport === 'auto' ? ['streamable-http', 'sse'] : [spec.transport];
	let first: { err: unknown; observed: Observed; kind: McpTransportKind } | null = null;
	for (const kind of order) {
		const observed: Observed = {};
		try {
			const { client, transport } = await open(kind, spec, observed);
			return wrap(client, transport, kind, spec, observed);
		} catch (err) {
			if (spec.signal?.aborted) throw new McpError({ code: 'failed', message: 'Cancelled.' }, { cause: err });
			if (!first) first = { err, observed, kind };
			if (kind === 'streamable-http' && spec.transport === 'auto' && worthSseFallback(err, observed)) continue;
			break;
		}
	}
	const f = first!;
	throw new McpError(await explain(f.err, spec, { observed: f.observed, transport: f.kind }), { cause: f.err });
}

function wrap(client: SdkClient, transport: { close(): Promise<void>; sessionId?: string }, kind: McpTransportKind, spec: ConnectionSpec, observed: Observed): McpConnection {
	return {
		client,
		transport: kind,
		url: spec.url,
		sessionId: () => transport.sessionId,
		async request(what, options = {}) {
			observed.lastFailure = undefined;
			try {
				return await what(client, { signal: options.signal, timeout: options.timeoutMs ?? spec.timeoutMs ?? 60_000 });
			} catch (err) {
				if (options.signal?.aborted) throw err;
				throw new McpError(await explain(err, spec, { observed, sessionId: transport.sessionId, transport: kind, tool: options.tool }), { cause: err });
			}
		},
		async close() {
			try {
				const t = transport as { terminateSession?: () => Promise<void> };
				if (kind === 'streamable-http' && transport.sessionId) await t.terminateSession?.().catch(() => {});
			} finally {
				await client.close().catch(() => {});
			}
		}
	};
}

/** Everything the server offers: tools, resources, resource templates and prompts (all pages). */
export async function fetchCatalog(conn: McpConnection, signal?: AbortSignal): Promise<McpCatalog> {
	const caps = conn.client.getServerCapabilities() ?? {};
	const all = async <T>(list: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> => {
		const out: T[] = [];
		let cursor: string | undefined;
		for (let i = 0; i < 50; i++) {
			const page = await list(cursor);
			out.push(...page.items);
			if (!page.nextCursor) break;
			cursor = page.nextCursor;
		}
		return out;
	};
	const tools = caps.tools
		? await all((cursor) => conn.request((c, o) => c.listTools(cursor ? { cursor } : undefined, o)).then((r) => ({ items: r.tools, nextCursor: r.nextCursor })))
		: [];
	const resources = caps.resources
		? await all((cursor) => conn.request((c, o) => c.listResources(cursor ? { cursor } : undefined, o)).then((r) => ({ items: r.resources, nextCursor: r.nextCursor })))
		: [];
	const resourceTemplates = caps.resources
		? await all((cursor) =>
				conn.request((c, o) => c.listResourceTemplates(cursor ? { cursor } : undefined, o)).then((r) => ({ items: r.resourceTemplates, nextCursor: r.nextCursor }))
			).catch(() => [])
		: [];
	const prompts = caps.prompts
		? await all((cursor) => conn.request((c, o) => c.listPrompts(cursor ? { cursor } : undefined, o)).then((r) => ({ items: r.prompts, nextCursor: r.nextCursor })))
		: [];
	void signal;
	const v = conn.client.getServerVersion();
	const instructions = conn.client.getInstructions();
	return {
		...(v?.name ? { serverName: v.name } : {}),
		...(v?.version ? { serverVersion: v.version } : {}),
		...(instructions ? { instructions } : {}),
		transport: conn.transport,
		tools: tools.map((t) => ({
			name: t.name,
			...(t.title ? { title: t.title } : {}),
			...(t.description ? { description: t.description } : {}),
			inputSchema: (t.inputSchema ?? { type: 'object' }) as JsonSchemaLike,
			...(t.outputSchema ? { outputSchema: t.outputSchema as JsonSchemaLike } : {}),
			...(t.annotations ? { annotations: t.annotations } : {})
		})),
		resources: resources.map((r) => ({ uri: r.uri, name: r.name, ...(r.title ? { title: r.title } : {}), ...(r.description ? { description: r.description } : {}), ...(r.mimeType ? { mimeType: r.mimeType } : {}) })),
		resourceTemplates: resourceTemplates.map((r) => ({
			uriTemplate: r.uriTemplate,
			name: r.name,
			...(r.title ? { title: r.title } : {}),
			...(r.description ? { description: r.description } : {}),
			...(r.mimeType ? { mimeType: r.mimeType } : {})
		})),
		prompts: prompts.map((p) => ({
			name: p.name,
			...(p.title ? { title: p.title } : {}),
			...(p.description ? { description: p.description } : {}),
			...(p.arguments ? { arguments: p.arguments.map((a) => ({ name: a.name, ...(a.description ? { description: a.description } : {}), ...(a.required ? { required: true } : {}) })) } : {})
		})),
		fetchedAt: Date.now()
	};
}
