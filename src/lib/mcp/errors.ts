/**
 * Turns what the SDK, fetch and servers throw into problems people can act on. Pure: the
 * connection code gathers the facts (was the server reachable without CORS? did it issue a
 * session?) and this decides what to say.
 */
import type { McpProblem } from './types';

export interface ExplainContext {
	/** The server's MCP endpoint. */
	url: string;
	/** Origin of the page (or worker) making the requests. */
	origin?: string;
	/** Whether the request ran where CORS applies (a browser page or worker). */
	browser?: boolean;
	/** What a `no-cors` probe found after a failed fetch: the server answered (so CORS blocked us), or nothing answered. */
	reachable?: boolean;
	/** The initialize request succeeded but no session id could be read, and the server then refused the session. */
	sessionLost?: boolean;
	/** How requests were authenticated. */
	auth?: 'none' | 'bearer' | 'headers' | 'oauth';
	/** Names of custom headers sent (they must pass the CORS preflight). */
	headerNames?: string[];
	/** The tool being called, for tool errors. */
	tool?: string;
}

export const CORS_ALLOW_HEADERS = 'Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID';
export const CORS_EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate';

interface ErrorLike {
	name?: string;
	message?: string;
	code?: unknown;
	status?: unknown;
	data?: unknown;
	cause?: unknown;
}

function statusOf(e: ErrorLike): number | undefined {
	if (typeof e.status === 'number') return e.status;
	const d = e.data as { status?: unknown } | undefined;
	if (d && typeof d.status === 'number') return d.status;
	if (typeof e.code === 'number' && e.code >= 400 && e.code < 600) return e.code;
	const m = /\bHTTP (\d{3})\b|\((\d{3})\)|status(?: code)? (\d{3})|Non-200 status code \((\d{3})\)|Error POSTing to endpoint \(HTTP (\d{3})\)/i.exec(e.message ?? '');
	if (m) return Number(m.slice(1).find(Boolean));
	return undefined;
}

function chain(e: unknown): ErrorLike[] {
	const out: ErrorLike[] = [];
	let cur: unknown = e;
	for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
		out.push(cur as ErrorLike);
		const next = (cur as ErrorLike).cause ?? ((cur as ErrorLike).data as { cause?: unknown } | undefined)?.cause;
		if (next === cur) break;
		cur = next;
	}
	if (out.length === 0) out.push({ message: String(e) });
	return out;
}

function origin(ctx: ExplainContext): string {
	return ctx.origin ?? 'this page’s origin';
}

function host(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}

/** What went wrong while connecting to a server or calling one of its tools, and what to do. */
export function explainMcpError(err: unknown, ctx: ExplainContext): McpProblem {
	const errors = chain(err);
	const top = errors[0];
	const detail = errors.map((e) => e.message).filter(Boolean).join(' ← ') || undefined;
	const names = errors.map((e) => e.name ?? '');
	const text = errors.map((e) => `${e.name ?? ''} ${e.message ?? ''}`).join(' ');
	const status = errors.map(statusOf).find((s) => s !== undefined);
	const base = { ...(detail ? { detail } : {}), ...(status ? { status } : {}) };

	// a page served over https cannot call http:// (except localhost): the browser blocks it before any request
	if (ctx.browser && ctx.origin?.startsWith('https:') && /^http:/.test(ctx.url) && !/^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/.test(ctx.url)) {
		return {
			code: 'mixed_content',
			message: `This page is served over https, so the browser does not let it call ${ctx.url} over plain http.`,
			fix: 'Use the server’s https:// address, or run FSM Studio from http://localhost while you develop.',
			...base
		};
	}

	if (ctx.sessionLost) {
		return {
			code: 'cors_session_id',
			message: `${host(ctx.url)} started a session, but its CORS headers do not expose the Mcp-Session-Id header, so the browser hides the session id and the server refuses the next request.`,
			fix: `Add Mcp-Session-Id to Access-Control-Expose-Headers on the server (for example: Access-Control-Expose-Headers: ${CORS_EXPOSE_HEADERS}), or run the server stateless.`,
			...base
		};
	}

	if (names.includes('UnauthorizedError') || /redirect to authorization|sign in again/i.test(text)) {
		return {
			code: 'sign_in_needed',
			message: `${host(ctx.url)} needs you to sign in.`,
			fix: ctx.auth === 'oauth' ? 'Open Settings → MCP servers and choose “Sign in”.' : 'Choose OAuth sign-in for this server in Settings → MCP servers, or give it a bearer token.',
			...base
		};
	}

	if (names.includes('OAuthError') || /invalid_grant|invalid_client|OAuth|authorization server|registration/i.test(text)) {
		if (status !== 401 && status !== 403) {
			return {
				code: 'oauth',
				message: `Signing in to ${host(ctx.url)} failed: ${top.message ?? 'the authorization server refused'}.`,
				fix: 'Try “Sign in” again. If it keeps failing, the server may not support dynamic client registration: enter a client id registered with its authorization server.',
				...base
			};
		}
	}

	if (status === 401) {
		return {
			code: 'unauthorized',
			message:
				ctx.auth === 'bearer' || ctx.auth === 'headers'
					? `${host(ctx.url)} refused the credentials (401 Unauthorized).`
					: ctx.auth === 'oauth'
						? `${host(ctx.url)} refused the access token (401 Unauthorized) and it could not be refreshed.`
						: `${host(ctx.url)} requires authentication (401 Unauthorized).`,
			fix:
				ctx.auth === 'bearer' || ctx.auth === 'headers'
					? 'Check the token or header values in Settings → MCP servers (they may have expired or been revoked).'
					: ctx.auth === 'oauth'
						? 'Sign in again in Settings → MCP servers.'
						: 'Edit the server in Settings → MCP servers: add a bearer token or headers, or choose OAuth sign-in.',
			...base
		};
	}
	if (status === 403) {
		return {
			code: 'forbidden',
			message: `${host(ctx.url)} understood who you are but does not allow this (403 Forbidden).`,
			fix: 'Ask the server’s owner for access, or sign in with an account (or scope) that has it.',
			...base
		};
	}
	if (status === 404) {
		return {
			code: 'not_found',
			message: `There is no MCP endpoint at ${ctx.url} (404 Not Found).`,
			fix: 'Check the address: MCP servers usually answer at a path such as /mcp (Streamable HTTP) or /sse (older servers).',
			...base
		};
	}
	if (status === 405 || status === 415 || status === 406) {
		return {
			code: 'not_mcp',
			message: `${ctx.url} answered, but not like an MCP server (${status}).`,
			fix: 'Check that the address is the server’s MCP endpoint, not its home page.',
			...base
		};
	}

	if (names.includes('TimeoutError') || /timed out|timeout|REQUEST_TIMEOUT/i.test(text)) {
		return {
			code: 'timeout',
			message: `${host(ctx.url)} did not answer in time.`,
			fix: 'The server may be overloaded or the tool slow; try again, or raise the effect’s timeout.',
			...base
		};
	}

	// a fetch that failed without a response: CORS or the network
	const fetchFailed = names.includes('TypeError') || /Failed to fetch|NetworkError|fetch failed|Load failed|ECONNREFUSED|ENOTFOUND/i.test(text);
	if (fetchFailed) {
		if (ctx.browser && ctx.reachable) {
			return {
				code: 'cors',
				message: `${host(ctx.url)} is running, but its CORS headers do not allow requests from ${origin(ctx)}, so the browser blocked the answer.`,
				fix:
					`The server must answer OPTIONS preflight requests and send Access-Control-Allow-Origin: ${ctx.origin ?? '<this origin>'} (or *), ` +
					`Access-Control-Allow-Headers: ${CORS_ALLOW_HEADERS}${ctx.headerNames?.length ? `, ${ctx.headerNames.join(', ')}` : ''}, ` +
					`and Access-Control-Expose-Headers: ${CORS_EXPOSE_HEADERS}. If you cannot change the server, put a proxy that adds these headers in front of it.`,
				...base
			};
		}
		return {
			code: 'unreachable',
			message: `Nothing answered at ${ctx.url}.`,
			fix: 'Check that the server is running and the address (host, port, http or https) is right.',
			...base
		};
	}

	if (typeof top.code === 'number' && top.code === -32602) {
		return { code: 'invalid_arguments', message: top.message ?? 'The arguments were not accepted.', fix: 'Check the tool’s parameters in the effect’s form.', ...base };
	}
	if (typeof top.code === 'number' && top.code === -32601) {
		return { code: 'protocol', message: `${host(ctx.url)} does not support this request (${top.message}).`, ...base };
	}
	if (/session/i.test(text) && (status === 400 || /no valid session|session not found|mcp-session-id/i.test(text))) {
		return {
			code: 'cors_session_id',
			message: `${host(ctx.url)} refused the session (${top.message}).`,
			fix: `If the server runs with sessions, it must expose Mcp-Session-Id to browsers (Access-Control-Expose-Headers: ${CORS_EXPOSE_HEADERS}).`,
			...base
		};
	}
	return { code: 'failed', message: top.message ?? 'The request failed.', ...base };
}

/** A tool's own error (`isError: true`), in words. */
export function toolErrorProblem(tool: string, server: string, text: string): McpProblem {
	return {
		code: 'tool_error',
		message: `The tool ${tool} on ${server} reported an error: ${text || '(no message)'}`,
		fix: 'This comes from the tool itself: check its arguments, or what it says it needs.'
	};
}

/** One line for logs, events and effect errors. */
export function problemText(p: McpProblem): string {
	return p.fix ? `${p.message} ${p.fix}` : p.message;
}
