/**
 * Test connection: tries a provider the way a workflow will (from this page, with this key)
 * and says in words what is wrong and how to fix it. The browser hides why a cross-origin
 * request failed, so a failed request is probed again with `mode: 'no-cors'`: if that opaque
 * request gets through, the server is up and it is CORS that blocks us.
 */
import { ProviderError } from './errors';
import { createProvider } from './providers/create';
import { isLocalUrl } from './usage/prices';
import type { ProviderConfig } from './types';

export interface Diagnosis {
	ok: boolean;
	/** One sentence: what happened. */
	summary: string;
	/** What to do, step by step (may be empty when all is well). */
	fix: string[];
	/** Models the provider lists, when it has a models endpoint and it answered. */
	models?: string[];
	/** A command or setting to copy, when there is one. */
	command?: string;
}

export interface DiagnoseOptions {
	/** Model to try a one-token call with (default: the first listed). */
	model?: string;
	/** The page's origin (for CORS advice and mixed content). */
	origin?: string;
	signal?: AbortSignal;
	/** Probe a URL with an opaque request (default: fetch with mode no-cors); true when the server answered. */
	probe?: (url: string) => Promise<boolean>;
}

/** Which local server a base URL most likely is. */
export function localServerOf(baseUrl: string | undefined): 'ollama' | 'lmstudio' | 'llamacpp' | undefined {
	if (!baseUrl) return undefined;
	try {
		const u = new URL(baseUrl);
		if (u.port === '11434' || /ollama/i.test(u.hostname)) return 'ollama';
		if (u.port === '1234' || /lmstudio|lm-studio/i.test(u.hostname)) return 'lmstudio';
		if (u.port === '8080' || /llama/i.test(u.hostname)) return 'llamacpp';
	} catch {
		/* not a URL */
	}
	return undefined;
}

function defaultProbe(url: string): Promise<boolean> {
	return fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(
		() => true,
		() => false
	);
}

function corsFix(config: ProviderConfig, origin: string): { fix: string[]; command?: string } {
	const server = localServerOf(config.baseUrl);
	if (server === 'ollama')
		return {
			fix: [
				`Ollama only accepts pages from localhost by default. Allow this page's origin (${origin}) with OLLAMA_ORIGINS, then restart Ollama.`,
				'On macOS (the Ollama app): run `launchctl setenv OLLAMA_ORIGINS "' + origin + '"` and quit and reopen Ollama.',
				'On Linux (systemd): `sudo systemctl edit ollama`, add `Environment="OLLAMA_ORIGINS=' + origin + '"` under [Service], then `sudo systemctl restart ollama`.',
				'On Windows: set a user environment variable OLLAMA_ORIGINS to ' + origin + ' and restart Ollama from the tray.'
			],
			command: `OLLAMA_ORIGINS="${origin}" ollama serve`
		};
	if (server === 'lmstudio')
		return {
			fix: ['LM Studio blocks browser pages until CORS is switched on: in the Developer tab, open Server Settings and turn on "Enable CORS", or start the server with `lms server start --cors`.'],
			command: 'lms server start --cors'
		};
	if (server === 'llamacpp')
		return {
			fix: [
				'llama.cpp\'s llama-server allows browser pages by itself, so something in front of it (a proxy) is refusing this origin — or it is not llama-server. Let the proxy send Access-Control-Allow-Origin: ' + origin + '.',
				'For tool calls, start it with `--jinja`.'
			],
			command: 'llama-server -m model.gguf --port 8080 --jinja'
		};
	return { fix: [`The server must allow this page's origin: it should answer with Access-Control-Allow-Origin: ${origin} (and allow the Authorization and Content-Type headers). If it is not yours, call it through a proxy that you control.`] };
}

/** Tests a provider configuration and explains the outcome. */
export async function diagnose(config: ProviderConfig, options: DiagnoseOptions = {}): Promise<Diagnosis> {
	const origin = options.origin ?? (globalThis as { location?: { origin: string } }).location?.origin ?? 'this page';
	const pageHttps = origin.startsWith('https:');
	const base = config.baseUrl;
	if (config.kind === 'webllm') return { ok: true, summary: 'In-browser models need no connection; download one below.', fix: [] };
	if (config.kind === 'openai-compatible' && !base) return { ok: false, summary: 'This provider has no base URL.', fix: ['Enter the server’s address, e.g. http://localhost:11434/v1 for Ollama, http://localhost:1234/v1 for LM Studio, http://localhost:8080/v1 for llama.cpp.'] };
	if (base) {
		let u: URL;
		try {
			u = new URL(base);
		} catch {
			return { ok: false, summary: `"${base}" is not a web address.`, fix: ['It should look like https://api.example.com/v1 or http://localhost:11434/v1.'] };
		}
		const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(u.hostname);
		if (pageHttps && u.protocol === 'http:' && !loopback)
			return {
				ok: false,
				summary: `This page is served over https, so the browser blocks requests to ${u.origin} (plain http): mixed content.`,
				fix: [
					`Serve the model server over https (a reverse proxy such as Caddy with a certificate), or reach it through http://localhost (for example an SSH tunnel: ssh -L ${u.port || '80'}:localhost:${u.port || '80'} ${u.hostname}).`,
					'Or open FSM Studio itself from http://localhost.'
				]
			};
	}
	if (config.kind !== 'openai-compatible' && !config.apiKey) return { ok: false, summary: 'No API key.', fix: [keyHelp(config)] };

	const provider = createProvider(config);
	let models: string[] | undefined;
	try {
		models = await provider.listModels?.(options.signal);
	} catch (e) {
		if (options.signal?.aborted) throw e;
		if (!(e instanceof ProviderError)) throw e;
		// No models endpoint on some compatible servers: fall through to a tiny call.
		if (!(e.kind === 'not_found' && config.kind === 'openai-compatible')) return explain(e, config, origin, options);
	}
	const model = options.model || models?.[0];
	if (!model) return { ok: true, summary: models ? 'Connected, but the provider lists no models.' : 'Connected.', fix: models ? ['Load or pull a model on the server, then test again.'] : [], ...(models ? { models } : {}) };
	try {
		const c = await provider.complete({ model, messages: [{ role: 'user', content: 'Reply with the word OK.' }], maxTokens: 16, temperature: 0 }, options.signal);
		return { ok: true, summary: `Connected: ${model} answered${c.text.trim() ? ` “${c.text.trim().slice(0, 40)}”` : ''}.`, fix: [], ...(models ? { models } : {}) };
	} catch (e) {
		if (options.signal?.aborted) throw e;
		if (!(e instanceof ProviderError)) throw e;
		const d = await explain(e, config, origin, options, model);
		return { ...d, ...(models ? { models } : {}) };
	}
}

function keyHelp(config: ProviderConfig): string {
	if (config.kind === 'openai') return 'Create a key at platform.openai.com → API keys, and paste it here.';
	if (config.kind === 'anthropic') return 'Create a key in the Anthropic Console → API keys, and paste it here.';
	if (config.kind === 'google') return 'Create a key in Google AI Studio → Get API key, and paste it here.';
	return 'Paste the key the server expects (local servers usually need none).';
}

async function explain(e: ProviderError, config: ProviderConfig, origin: string, options: DiagnoseOptions, model?: string): Promise<Diagnosis> {
	const msg = e.message;
	if (/CORS requests are not allowed for this Organization/i.test(msg))
		return {
			ok: false,
			summary: 'Your Anthropic organisation does not allow calls from a browser.',
			fix: ['An admin can allow direct browser access in the Anthropic Console (organisation settings), or use a key from an organisation that allows it — or reach Claude through OpenRouter.']
		};
	switch (e.kind) {
		case 'auth':
			return { ok: false, summary: `The key was refused (${e.status === 400 ? 'invalid key' : `HTTP ${e.status}`}).`, fix: ['Check that the whole key was pasted, that it belongs to this provider and has not been revoked.', keyHelp(config)] };
		case 'forbidden':
			return { ok: false, summary: `The key works, but may not do this (HTTP 403): ${msg}`, fix: [model ? `Check that the key's project may use ${model}, or choose another model.` : 'Check the key’s permissions.'] };
		case 'rate_limited':
			return {
				ok: false,
				summary: /quota|credit|billing|insufficient/i.test(msg + (e.code ?? '')) ? 'The key works, but the account is out of credits.' : 'The key works, but the provider is rate limiting it (HTTP 429).',
				fix: [/quota|credit|billing|insufficient/i.test(msg + (e.code ?? '')) ? 'Add credits or a payment method in the provider’s billing settings.' : `Wait${e.retryAfterMs ? ` ${Math.ceil(e.retryAfterMs / 1000)} s` : ' a little'} and test again; workflows fall back to the next model when this happens.`]
			};
		case 'not_found':
			return {
				ok: false,
				summary: model ? `${model} was not found at ${config.baseUrl ?? 'the provider'} (HTTP 404).` : `Nothing answers at ${config.baseUrl ?? 'this address'} (HTTP 404).`,
				fix: [config.kind === 'openai-compatible' ? 'The base URL usually ends in /v1 (e.g. http://localhost:11434/v1).' : 'Check the base URL (leave it empty for the official one) and the model name.']
			};
		case 'overloaded':
		case 'server':
			return { ok: false, summary: `The provider is having trouble (${e.status ? `HTTP ${e.status}` : 'overloaded'}).`, fix: ['Try again in a minute; workflows fall back to the next model when this happens.'] };
		case 'network': {
			const url = config.baseUrl ?? '';
			const up = url ? await (options.probe ?? defaultProbe)(url).catch(() => false) : false;
			const local = isLocalUrl(url);
			const lna = local && origin.startsWith('https:') ? ['Chrome asks before a public website may reach devices on your local network: if it asked, choose Allow (or allow "Local network access" in this site’s settings), then test again.'] : [];
			if (up) {
				const { fix, command } = corsFix(config, origin);
				return { ok: false, summary: `${new URL(url).host} is running but refuses requests from this page (CORS).`, fix: [...fix, ...lna], ...(command ? { command } : {}) };
			}
			if (local) {
				const server = localServerOf(url);
				const start = server === 'ollama' ? 'Start Ollama (`ollama serve`).' : server === 'lmstudio' ? 'Start the LM Studio server (Developer tab → Start, or `lms server start --cors`).' : server === 'llamacpp' ? 'Start `llama-server -m model.gguf --port 8080`.' : 'Start the server.';
				return { ok: false, summary: `Nothing answers at ${url}.`, fix: [start, 'Check the port in the base URL.', ...lna] };
			}
			return { ok: false, summary: `Could not reach ${url || 'the provider'}.`, fix: ['Check your internet connection; a browser extension, proxy or firewall may block the request.'] };
		}
		case 'timeout':
			return { ok: false, summary: 'The provider did not answer in time.', fix: ['Try again; a local server may still be loading the model.'] };
		default:
			return { ok: false, summary: msg, fix: [] };
	}
}
