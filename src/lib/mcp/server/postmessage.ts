/**
 * MCP over `window.postMessage`: the wire between a page and FSM Studio embedded in it
 * (an iframe, or a window it opened). Every message is an envelope
 * `{ type: 'fsm-studio:mcp', message: <JSON-RPC 2.0 message> }`. A host says
 * `{ type: 'fsm-studio:hello', protocol: 1 }` until FSM Studio answers
 * `{ type: 'fsm-studio:ready', protocol: 1 }` — which it does only to origins the user allowed.
 * Both ends are here: the server end (FSM Studio) and a client end for host pages (and tests).
 */
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';

export const MCP_ENVELOPE = 'fsm-studio:mcp';
export const READY_ENVELOPE = 'fsm-studio:ready';
/** A host page asking whether FSM Studio will talk to it (repeated until it is ready). */
export const HELLO_ENVELOPE = 'fsm-studio:hello';
export const PROTOCOL = 1;

export interface McpEnvelope {
	type: typeof MCP_ENVELOPE;
	message: JSONRPCMessage;
}

export function isMcpEnvelope(data: unknown): data is McpEnvelope {
	const d = data as { type?: unknown; message?: unknown } | null;
	return !!d && typeof d === 'object' && d.type === MCP_ENVELOPE && !!d.message && typeof d.message === 'object' && (d.message as { jsonrpc?: unknown }).jsonrpc === '2.0';
}

/** Something to post to: a window (parent, opener, iframe's contentWindow) or a MessagePort. */
export interface PostTarget {
	postMessage(message: unknown, targetOrigin: string): void;
}

/** FSM Studio's end: messages from one window of one (allowed) origin; answers go only there. */
export class PostMessageServerTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;
	private closed = false;

	constructor(
		private readonly target: PostTarget,
		readonly origin: string
	) {}

	async start(): Promise<void> {}

	/** Hands a message that arrived from the window to the server. */
	receive(message: JSONRPCMessage): void {
		if (!this.closed) this.onmessage?.(message);
	}

	async send(message: JSONRPCMessage): Promise<void> {
		if (this.closed) return;
		// the exact origin, never '*': if the window navigated elsewhere, nothing is delivered
		this.target.postMessage({ type: MCP_ENVELOPE, message } satisfies McpEnvelope, this.origin);
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.onclose?.();
	}
}

/**
 * A host page's end: talks to FSM Studio in `target` (an iframe's contentWindow or a window
 * it opened), accepting answers only from `studioOrigin`. Use it with the SDK's `Client`.
 */
export class PostMessageClientTransport implements Transport {
	onclose?: () => void;
	onerror?: (error: Error) => void;
	onmessage?: (message: JSONRPCMessage) => void;
	private readonly listener = (e: MessageEvent) => {
		if (e.origin !== this.studioOrigin || e.source !== (this.target as unknown)) return;
		if (isMcpEnvelope(e.data)) this.onmessage?.(e.data.message);
	};

	constructor(
		private readonly target: PostTarget,
		private readonly studioOrigin: string,
		private readonly self: Pick<Window, 'addEventListener' | 'removeEventListener'> = window
	) {}

	async start(): Promise<void> {
		this.self.addEventListener('message', this.listener as EventListener);
	}

	async send(message: JSONRPCMessage): Promise<void> {
		this.target.postMessage({ type: MCP_ENVELOPE, message } satisfies McpEnvelope, this.studioOrigin);
	}

	async close(): Promise<void> {
		this.self.removeEventListener('message', this.listener as EventListener);
		this.onclose?.();
	}
}

/**
 * Says hello to FSM Studio in `target` (every 500 ms, since its page may still be loading)
 * and resolves when it answers ready. It answers only pages whose origin the user allowed;
 * FSM Studio asks its user the first time a page says hello.
 */
export function waitForStudio(target: PostTarget | null, studioOrigin: string, timeoutMs = 15_000, self: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): Promise<void> {
	return new Promise((resolve, reject) => {
		// a window still on its first, blank document has this page's origin: a message to it
		// would only be dropped (with a warning in the console); knock once it has navigated
		const notThereYet = () => {
			try {
				return (target as unknown as Window).location.origin !== studioOrigin;
			} catch {
				return false; // another origin's window (or no location at all): post
			}
		};
		const hello = () => {
			if (notThereYet()) return;
			try {
				target?.postMessage({ type: HELLO_ENVELOPE, protocol: PROTOCOL }, studioOrigin);
			} catch {
				/* not loaded yet */
			}
		};
		const timer = setInterval(hello, 500);
		const finish = () => {
			clearInterval(timer);
			clearTimeout(t);
			self.removeEventListener('message', on as EventListener);
		};
		const t = setTimeout(() => {
			finish();
			reject(new Error(`FSM Studio at ${studioOrigin} did not answer within ${timeoutMs} ms. Its user has to allow this page (${(globalThis as { location?: { origin?: string } }).location?.origin ?? 'this origin'}) once.`));
		}, timeoutMs);
		const on = (e: MessageEvent) => {
			if (e.origin !== studioOrigin || e.source !== (target as unknown)) return;
			if ((e.data as { type?: unknown } | null)?.type !== READY_ENVELOPE) return;
			finish();
			resolve();
		};
		self.addEventListener('message', on as EventListener);
		hello();
	});
}
