/**
 * OAuth 2.1 for MCP servers, per the MCP authorization spec: the SDK does discovery
 * (protected resource metadata → authorization server metadata), dynamic client
 * registration, PKCE and token refresh; this provider stores what it produces, sealed, and
 * sends people to sign in. In a worker there is nobody to sign in: a refresh still works,
 * an expired sign-in is reported ("sign in again in Settings").
 */
import type { OAuthClientMetadata, OAuthClientProvider } from '@modelcontextprotocol/client';
import { McpError } from './connection';
import { exclusive, serverSecrets, updateSecrets } from './store';
import type { McpSecrets, McpServerConfig } from './types';

/** Where the authorization server sends people back to (a page of this app). */
export const OAUTH_CALLBACK_PATH = '/settings/mcp/callback';
/** The channel that tells Settings a sign-in finished (in the popup, or after a full-page redirect). */
export const OAUTH_CHANNEL = 'fsm-studio-mcp-oauth';

export type OAuthMessage = { type: 'oauth-done'; serverId: string } | { type: 'oauth-failed'; serverId: string; message: string };

type Stored = NonNullable<McpSecrets['oauth']>;

function randomString(bytes = 16): string {
	const a = crypto.getRandomValues(new Uint8Array(bytes));
	return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The server id a sign-in's `state` belongs to (state is `<serverId>~<random>`). */
export function serverIdFromState(state: string | null): string | undefined {
	if (!state) return undefined;
	const i = state.lastIndexOf('~');
	return i > 0 ? state.slice(0, i) : undefined;
}

export interface ProviderOptions {
	/** Origin of the app (the callback page is on it). */
	origin: string;
	/** Sends the person to the authorization URL (page only). Without it, a needed sign-in is an error. */
	redirect?: (url: URL) => void | Promise<void>;
}

/**
 * An `OAuthClientProvider` that keeps everything in the server's sealed secrets. It keeps no
 * copy of its own: the page, Settings and the workers each have providers for the same server,
 * and an authorization server that rotates refresh tokens accepts each one only once, so every
 * read sees what any of them saved last.
 */
export class StoredOAuthProvider implements OAuthClientProvider {
	/** The refresh token this provider last handed to the SDK. */
	private handedRefresh: unknown;

	constructor(
		private readonly server: McpServerConfig,
		private readonly options: ProviderOptions
	) {}

	get redirectUrl(): string {
		return `${this.options.origin}${OAUTH_CALLBACK_PATH}`;
	}

	get clientMetadata(): OAuthClientMetadata {
		const scope = this.server.auth.kind === 'oauth' ? this.server.auth.scope : undefined;
		return {
			client_name: 'FSM Studio',
			redirect_uris: [this.redirectUrl],
			grant_types: ['authorization_code', 'refresh_token'],
			response_types: ['code'],
			token_endpoint_auth_method: 'none',
			application_type: 'web',
			...(scope ? { scope } : {})
		} as OAuthClientMetadata;
	}

	private async read(): Promise<Stored> {
		return (await serverSecrets(this.server.id)).oauth ?? {};
	}

	private async write(change: (o: Stored) => void): Promise<void> {
		await updateSecrets(this.server.id, (s) => {
			const o = s.oauth ?? {};
			change(o);
			return { ...s, oauth: o };
		});
	}

	async state(): Promise<string> {
		const state = `${this.server.id}~${randomString()}`;
		await this.write((o) => (o.state = state));
		return state;
	}

	async clientInformation(ctx?: { issuer: string }) {
		if (this.server.auth.kind === 'oauth' && this.server.auth.clientId) return { client_id: this.server.auth.clientId };
		const o = await this.read();
		if (!o.clients) return undefined;
		if (ctx) return o.clients[ctx.issuer] as never;
		// without an issuer (older call sites): the only registration, if there is one
		const all = Object.values(o.clients);
		return (all.length === 1 ? all[0] : undefined) as never;
	}

	async saveClientInformation(info: Record<string, unknown>, ctx?: { issuer: string }) {
		const issuer = ctx?.issuer ?? String((info as { issuer?: unknown }).issuer ?? 'default');
		await this.write((o) => (o.clients = { ...(o.clients ?? {}), [issuer]: info }));
	}

	async tokens() {
		const t = (await this.read()).tokens;
		this.handedRefresh = t?.refresh_token;
		return t as never;
	}

	async saveTokens(tokens: Record<string, unknown>) {
		await this.write((o) => {
			o.tokens = tokens;
			delete o.codeVerifier;
		});
	}

	async redirectToAuthorization(url: URL) {
		if (!this.options.redirect) {
			throw new McpError({
				code: 'sign_in_needed',
				message: `${this.server.name} needs you to sign in again (its sign-in expired or was revoked).`,
				fix: 'Open Settings → MCP servers and choose “Sign in”.'
			});
		}
		await this.options.redirect(url);
	}

	async saveCodeVerifier(v: string) {
		await this.write((o) => (o.codeVerifier = v));
	}

	async codeVerifier(): Promise<string> {
		const v = (await this.read()).codeVerifier;
		if (!v) throw new Error('This sign-in was not started here (no PKCE verifier). Start it again from Settings → MCP servers.');
		return v;
	}

	async saveDiscoveryState(state: unknown) {
		await this.write((o) => (o.discovery = state));
	}

	async discoveryState() {
		return (await this.read()).discovery as never;
	}

	async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
		await this.write((o) => {
			// a refresh refused because another page or worker had already used that refresh
			// token keeps the tokens it saved (the SDK then retries with them)
			const replaced = scope === 'tokens' && o.tokens?.refresh_token !== undefined && o.tokens.refresh_token !== this.handedRefresh;
			if (scope === 'all' || (scope === 'tokens' && !replaced)) delete o.tokens;
			if (scope === 'all' || scope === 'client') delete o.clients;
			if (scope === 'all' || scope === 'verifier') delete o.codeVerifier;
			if (scope === 'all' || scope === 'discovery') delete o.discovery;
		});
	}

	/** The `state` this provider handed out last (to check a callback against). */
	async expectedState(): Promise<string | undefined> {
		return (await this.read()).state;
	}
}

/**
 * The fetch of an OAuth server's connections: token refreshes run one at a time for a server
 * in this browser, each with the refresh token stored last (a connection may hold one that
 * another page or worker has used meanwhile), and the new tokens are stored before the next
 * refresh may start.
 */
export function serializeRefresh(serverId: string, f: typeof fetch): typeof fetch {
	return async (input, init) => {
		const body = init?.body;
		const params = body instanceof URLSearchParams ? body : typeof body === 'string' && body.includes('grant_type=') ? new URLSearchParams(body) : null;
		if ((init?.method ?? 'GET').toUpperCase() !== 'POST' || params?.get('grant_type') !== 'refresh_token') return f(input, init);
		return exclusive(`fsm-studio-mcp-refresh:${serverId}`, async () => {
			const stored = (await serverSecrets(serverId)).oauth?.tokens;
			const p = new URLSearchParams(params);
			if (typeof stored?.refresh_token === 'string' && stored.refresh_token !== p.get('refresh_token')) p.set('refresh_token', stored.refresh_token);
			const res = await f(input, { ...init, body: p });
			if (res.ok) {
				const t = (await res
					.clone()
					.json()
					.catch(() => null)) as Record<string, unknown> | null;
				if (t && typeof t.access_token === 'string') {
					await updateSecrets(serverId, (s) => {
						const o = s.oauth ?? {};
						o.tokens = { ...(o.tokens ?? {}), ...t, refresh_token: t.refresh_token ?? stored?.refresh_token };
						return { ...s, oauth: o };
					});
				}
			}
			return res;
		});
	};
}

/** Whether a server has OAuth tokens stored. */
export async function hasOAuthTokens(serverId: string): Promise<boolean> {
	return !!(await serverSecrets(serverId)).oauth?.tokens;
}

/** Forgets a server's tokens (Sign out); its client registration is kept. */
export async function signOut(serverId: string): Promise<void> {
	await updateSecrets(serverId, (s) => {
		if (s.oauth) {
			delete s.oauth.tokens;
			delete s.oauth.codeVerifier;
			delete s.oauth.state;
		}
		return s;
	});
}
