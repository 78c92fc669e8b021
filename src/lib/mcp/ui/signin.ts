/**
 * Signing in to an OAuth-protected MCP server from Settings. A popup is opened in the click
 * (so no blocker stops it) and sent to the authorization server once the SDK has discovered
 * it; the callback page finishes the sign-in in the popup and says so on a BroadcastChannel.
 * Without a popup (blocked), the whole page goes to sign in and comes back to Settings.
 */
import { refreshCatalog } from '../client';
import { McpError } from '../connection';
import { OAUTH_CHANNEL, type OAuthMessage } from '../oauth';
import type { McpCatalog } from '../types';

export const SIGNIN_RETURN_KEY = 'fsm-studio:mcp-signin-return';

/** Opens the sign-in window; call it synchronously in a click handler. */
export function openSignInWindow(serverId: string): Window | null {
	return window.open('about:blank', `fsm-mcp-signin-${serverId}`, 'popup,width=520,height=720');
}

/** Waits for the callback page to report this server's sign-in, or for the window to close. */
function waitForCallback(serverId: string, popup: Window | null, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		const ch = new BroadcastChannel(OAUTH_CHANNEL);
		let closedChecks = 0;
		const timer = setInterval(() => {
			// the window may report just before it closes: give the message a moment
			if (popup?.closed && ++closedChecks > 3) finish(new Error('The sign-in window was closed before signing in finished.'));
		}, 250);
		const finish = (err?: Error) => {
			clearInterval(timer);
			ch.close();
			signal?.removeEventListener('abort', onAbort);
			if (err) reject(err);
			else resolve();
		};
		const onAbort = () => finish(new Error('Sign-in cancelled.'));
		signal?.addEventListener('abort', onAbort, { once: true });
		ch.onmessage = (e: MessageEvent<OAuthMessage>) => {
			if (e.data?.serverId !== serverId) return;
			if (e.data.type === 'oauth-done') finish();
			else finish(new Error(e.data.message));
		};
	});
}

/**
 * Connects to a server, signing in first when it asks. Resolves with what the server offers;
 * rejects with an `McpError` (explained) or an Error from the sign-in.
 */
export async function connectWithSignIn(serverId: string, popup: Window | null, signal?: AbortSignal): Promise<McpCatalog> {
	let redirected = false;
	try {
		const catalog = await refreshCatalog(serverId, {
			signal,
			redirect: (url) => {
				redirected = true;
				if (popup && !popup.closed) popup.location.href = url.href;
				else {
					sessionStorage.setItem(SIGNIN_RETURN_KEY, serverId);
					location.assign(url.href);
				}
			}
		});
		popup?.close();
		return catalog;
	} catch (e) {
		if (!redirected || !(e instanceof McpError) || e.problem.code !== 'sign_in_needed') {
			popup?.close();
			throw e;
		}
		// no popup: this page is on its way to the authorization server
		if (!popup) return new Promise<McpCatalog>(() => {});
		if (popup.closed) throw new Error('The sign-in window was closed before signing in finished.');
	}
	await waitForCallback(serverId, popup!, signal);
	popup!.close();
	return refreshCatalog(serverId, { signal });
}
