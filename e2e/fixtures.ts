/**
 * The `test` every E2E journey uses: like Playwright's, but a journey fails when the app writes
 * an error or a warning to the console, or throws an uncaught error. A journey that expects a
 * message (a test of an error path) lists it with `test.use({ allowConsole: [/…/] })`.
 */
import { test as base, expect, type ConsoleMessage } from '@playwright/test';

export { expect };

/**
 * Messages the browser itself writes (not the app's code) about what a journey makes fail on
 * purpose: refused requests, CORS refusals, no WebGPU adapter in headless Chromium.
 */
const BROWSER_NOISE = [/^Failed to load resource/, /net::ERR_/, /has been blocked by CORS policy/, /^No available adapters\.$/];

export const test = base.extend<{ allowConsole: RegExp[]; consoleGuard: void }>({
	allowConsole: [[], { option: true }],
	consoleGuard: [
		async ({ context, allowConsole }, use) => {
			const problems: string[] = [];
			const onConsole = (m: ConsoleMessage) => {
				const type = m.type();
				if (type !== 'error' && type !== 'warning') return;
				const text = m.text();
				if (BROWSER_NOISE.some((r) => r.test(text)) || allowConsole.some((r) => r.test(text))) return;
				const at = m.location();
				problems.push(`${type}: ${text}${at.url ? ` (${at.url.replace(/^https?:\/\/[^/]+/, '')}:${at.lineNumber})` : ''}`);
			};
			const onError = (e: { error(): Error }) => {
				const err = e.error();
				if (allowConsole.some((r) => r.test(err.message))) return;
				problems.push(`uncaught: ${err.message}`);
			};
			context.on('console', onConsole);
			context.on('weberror', onError);
			await use();
			context.off('console', onConsole);
			context.off('weberror', onError);
			expect(problems, 'the app wrote errors or warnings to the console').toEqual([]);
		},
		{ auto: true }
	]
});
