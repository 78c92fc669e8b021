/**
 * FSM Studio as an MCP server for the page that embeds it (an iframe) or opened it (a
 * window): listens for MCP messages over postMessage and answers only origins the user
 * allowed — in Settings → MCP servers, or when the page first says hello (FSM Studio then
 * asks its user). Any other page gets nothing, not even an error. The server (the SDK)
 * loads on the first allowed message.
 *
 * A cross-site iframe has its own storage in today's browsers (storage partitioning), so
 * an embedded FSM Studio keeps its own allowlist and workflows; a window the page opened
 * shares the user's.
 */
import { mount, unmount } from 'svelte';
import { allowedOrigins, noteEmbedRequest, setAllowedOrigins } from './store';
import { HELLO_ENVELOPE, isMcpEnvelope, PROTOCOL, READY_ENVELOPE, type PostTarget } from './server/postmessage';
import type { PostMessageServerTransport } from './server/postmessage';
import EmbedConsent from './ui/EmbedConsent.svelte';

interface Session {
	origin: string;
	transport: PostMessageServerTransport;
	close(): Promise<void>;
}

let started = false;

/** Whether this page has someone to talk to: a parent page, or the window that opened it. */
function embedder(): Window | null {
	if (typeof window === 'undefined') return null;
	if (window.parent && window.parent !== window) return window.parent;
	return window.opener ?? null;
}

/** The embedding page's origin where the browser tells it, else null. */
function embedderOrigin(): string | null {
	const ancestors = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins;
	if (window.parent !== window) return ancestors?.length ? ancestors[0] : null;
	try {
		return document.referrer ? new URL(document.referrer).origin : null;
	} catch {
		return null;
	}
}

/** Starts listening (once per page). Does nothing when FSM Studio is neither embedded nor opened by a page. */
export function startEmbedServer(): () => void {
	if (started || !embedder()) return () => {};
	started = true;
	const sessions = new Map<MessageEventSource, Session>();
	let allowed: Set<string> | null = null;
	const noted = new Set<string>();
	const denied = new Set<string>();
	/** Windows (and their origins) that said hello and wait for the user's answer. */
	const waiting = new Map<string, MessageEventSource>();

	const isAllowed = async (origin: string) => {
		if (allowed?.has(origin)) return true;
		// the user may have just allowed it (in another tab)
		allowed = new Set(await allowedOrigins().catch(() => []));
		return allowed.has(origin);
	};

	const ready = (source: MessageEventSource, origin: string) => (source as unknown as PostTarget).postMessage({ type: READY_ENVELOPE, protocol: PROTOCOL }, origin);

	// the question to the user, shown over the app
	const consent = $state({ origins: [] as string[] });
	let consentUi: ReturnType<typeof mount> | null = null;
	const ask = (origin: string, source: MessageEventSource) => {
		waiting.set(origin, source);
		if (denied.has(origin) || consent.origins.includes(origin)) return;
		consent.origins = [...consent.origins, origin];
		consentUi ??= mount(EmbedConsent, {
			target: document.body,
			props: {
				get origins() {
					return consent.origins;
				},
				onallow: async (o: string) => {
					consent.origins = consent.origins.filter((x) => x !== o);
					await setAllowedOrigins([...(await allowedOrigins()), o]);
					allowed = null;
					const src = waiting.get(o);
					waiting.delete(o);
					if (src) ready(src, o);
				},
				ondeny: (o: string) => {
					consent.origins = consent.origins.filter((x) => x !== o);
					denied.add(o);
					waiting.delete(o);
				}
			}
		});
	};

	let loading: Promise<{ open: (target: PostTarget, origin: string) => Promise<Session> }> | null = null;
	const load = () =>
		(loading ??= Promise.all([import('./server/server'), import('./server/page-host'), import('./server/postmessage')]).then(([srv, hostMod, pm]) => {
			const host = new hostMod.PageStudioHost();
			return {
				async open(target: PostTarget, origin: string): Promise<Session> {
					const transport = new pm.PostMessageServerTransport(target, origin);
					const server = srv.createStudioMcpServer(host);
					await server.connect(transport);
					return { origin, transport, close: () => server.close() };
				}
			};
		}));

	const onMessage = async (e: MessageEvent) => {
		const hello = (e.data as { type?: unknown } | null)?.type === HELLO_ENVELOPE;
		if ((!hello && !isMcpEnvelope(e.data)) || !e.source) return;
		const origin = e.origin;
		if (!origin || origin === 'null' || origin === location.origin) return;
		if (!(await isAllowed(origin))) {
			if (!noted.has(origin)) {
				noted.add(origin);
				void noteEmbedRequest(origin).catch(() => {});
			}
			ask(origin, e.source);
			return;
		}
		if (hello) return ready(e.source, origin);
		const message = e.data.message as { method?: string };
		let s = sessions.get(e.source);
		// a new initialize (the host reloaded or reconnects) starts a new session
		if (s && (message.method === 'initialize' || s.origin !== origin)) {
			sessions.delete(e.source);
			await s.close().catch(() => {});
			s = undefined;
		}
		if (!s) {
			s = await (await load()).open(e.source as unknown as PostTarget, origin);
			sessions.set(e.source, s);
		}
		s.transport.receive(e.data.message);
	};
	// one message at a time, in arrival order (a session is being created while the next arrives)
	let queue = Promise.resolve();
	const listener = (e: MessageEvent) => {
		queue = queue.then(() => onMessage(e)).catch((err) => console.warn('FSM Studio MCP (postMessage):', err));
	};
	window.addEventListener('message', listener);

	// say we are here to the embedding page, if its origin is allowed. Where the browser tells
	// that origin (an iframe's ancestorOrigins, an opener's referrer) only to it; otherwise to
	// each allowed origin (the browser drops a message whose target origin does not match).
	void allowedOrigins()
		.then((list) => {
			allowed = new Set(list);
			const target = embedder();
			const known = embedderOrigin();
			for (const o of known ? list.filter((o) => o === known) : list) target?.postMessage({ type: READY_ENVELOPE, protocol: PROTOCOL }, o);
		})
		.catch(() => {});

	return () => {
		window.removeEventListener('message', listener);
		for (const s of sessions.values()) void s.close();
		sessions.clear();
		if (consentUi) void unmount(consentUi);
		started = false;
	};
}
