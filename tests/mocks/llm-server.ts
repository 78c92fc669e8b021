/**
 * A mock language-model server (Node `http`) that speaks each provider's real wire format:
 * OpenAI Chat Completions, OpenRouter, Anthropic Messages and Gemini streamGenerateContent.
 * It replays recorded fixture streams byte for byte, or generates streams of the same shape
 * from a scripted reply. Deterministic: the same request gives the same bytes.
 * How to script it: tests/mocks/README.md.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddingFlavorOf, embeddingResponse, readEmbeddingRequest, serveModelFile } from './embeddings';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export type Flavor = 'openai' | 'openrouter' | 'anthropic' | 'google';

/** A scripted answer, in provider-neutral terms. */
export interface MockReply {
	/** Text streamed in deltas of `deltaChars` characters. */
	text?: string;
	/** A JSON answer (for a JSON-schema request; Anthropic gets it as the forced tool's input). */
	json?: unknown;
	/** Tool calls the model asks for (arguments streamed in fragments). */
	toolCalls?: { name: string; arguments: Record<string, unknown>; id?: string }[];
	usage?: { input?: number; output?: number; cached?: number; reasoning?: number; cost?: number };
	/** Provider finish reason in the provider's own words (default: stop / end_turn / STOP, or the tool one). */
	finish?: string;
	/** Fail with this HTTP status before streaming, with the provider's error body. */
	status?: number;
	/** Error message in that body. */
	message?: string;
	/** Provider error type/code in that body (`overloaded_error`, `rate_limit_exceeded`, `API_KEY_INVALID` …). */
	code?: string;
	/** Retry-After header value (seconds) on an error response. */
	retryAfter?: string;
	/** Break off with an in-stream error event after this many text deltas. */
	errorAfterDeltas?: number;
	/** Close the socket (no error event) after this many text deltas. */
	dropAfterDeltas?: number;
	/** Characters per text delta (default 4). */
	deltaChars?: number;
	/** Milliseconds between events (a slow stream to cancel). */
	delayMs?: number;
	/** Re-chunk the bytes every N bytes (splits multi-byte characters and JSON across writes). */
	splitBytes?: number;
	/** Serve a recorded fixture stream from tests/mocks/fixtures instead. */
	fixture?: string;
	/** Leave out CORS headers (the browser then blocks the response). */
	noCors?: boolean;
}

/** A scripting rule of a session: the first rule whose `match` is found in the request's text wins. */
export interface MockRule {
	/** Substring of the messages' text, or `/regex/flags`; absent matches everything. */
	match?: string;
	/** Only for this flavor. */
	flavor?: Flavor;
	/** Only for this model. */
	model?: string;
	/** A named scenario (see SCENARIOS) or an inline reply. */
	scenario?: string;
	reply?: MockReply;
	/** How many requests this rule answers (default: unlimited). */
	times?: number;
}

/** A request as the mock saw it. */
export interface MockRequestRecord {
	id: number;
	session: string | undefined;
	flavor: Flavor | 'models' | 'embeddings' | 'files' | 'other';
	method: string;
	path: string;
	model: string | undefined;
	scenario: string;
	/** The request body as parsed JSON (tests assert what adapters send). */
	body: unknown;
	/** Header names only: their values may hold keys. */
	headerNames: string[];
	/** Whether the key presented was the one the mock treats as good. */
	auth: 'none' | 'ok' | 'bad';
	status: number;
	/** The client closed the connection before the stream ended (a cancel). */
	aborted: boolean;
	finished: boolean;
	startedAt: number;
	endedAt?: number;
}

/** Named scenarios, usable as `x-mock-scenario`, `[mock:<name>]` in a prompt, `model@<name>` or a rule. */
export const SCENARIOS: Record<string, MockReply> = {
	'rate-limited': { status: 429, retryAfter: '1', message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' },
	'rate-limited-long': { status: 429, retryAfter: '120', message: 'Rate limit reached for requests', code: 'rate_limit_exceeded' },
	'server-error': { status: 500, message: 'The server had an error while processing your request.', code: 'server_error' },
	overloaded: { status: 529, message: 'Overloaded', code: 'overloaded_error' },
	'bad-request': { status: 400, message: 'Invalid parameter: messages must not be empty.', code: 'invalid_request_error' },
	unauthorized: { status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' },
	/** A careless server that repeats the presented key in its error (the app must never show it). */
	'echo-key': { status: 401, message: 'Incorrect API key provided: {key}. You can find your API key at your dashboard.', code: 'invalid_api_key' },
	forbidden: { status: 403, message: 'You do not have access to this model.', code: 'permission_denied' },
	'org-no-browser': {
		status: 401,
		message: 'CORS requests are not allowed for this Organization because of the organization\'s settings. Contact your organization admin to enable direct browser access.',
		code: 'authentication_error'
	},
	'mid-stream-error': { text: 'This answer will break off in the middle of a sentence', errorAfterDeltas: 3 },
	'dropped-connection': { text: 'This answer loses its connection part way through', dropAfterDeltas: 3 },
	slow: { text: 'slow '.repeat(400).trim(), deltaChars: 5, delayMs: 50 },
	multibyte: { text: 'Grüße, 世界! 🦊 naïve café — ünïcödé ✓', deltaChars: 3, splitBytes: 5 },
	'split-json': { json: { answer: 'São Paulo ☀', n: 42, tags: ['ü', '✓'] }, splitBytes: 3 },
	'no-cors': { text: 'You should never see this in a browser', noCors: true },
	'openai-fixture': { fixture: 'openai-text-usage.sse' },
	'openai-tools-fixture': { fixture: 'openai-tool-calls.sse' },
	'openrouter-fixture': { fixture: 'openrouter-comments-cost.sse' },
	'openrouter-error-fixture': { fixture: 'openrouter-mid-stream-error.sse' },
	'anthropic-fixture': { fixture: 'anthropic-text.sse' },
	'anthropic-tools-fixture': { fixture: 'anthropic-tool-use.sse' },
	'anthropic-overloaded-fixture': { fixture: 'anthropic-overloaded.sse' },
	'google-fixture': { fixture: 'google-text.sse' },
	'google-tools-fixture': { fixture: 'google-function-call.sse' }
};

/** Keys the mock refuses (401 in the provider's words); any other non-empty key is accepted. */
export function isBadKey(key: string | undefined): boolean {
	return !!key && /bad|invalid|wrong/i.test(key);
}

export interface MockLlmServer {
	url: string;
	port: number;
	/** Requests seen, optionally of one session. */
	requests(session?: string): MockRequestRecord[];
	/** Sets (replaces) a session's rules. */
	script(session: string, rules: MockRule[]): void;
	reset(session?: string): void;
	close(): Promise<void>;
}

interface Session {
	rules: (MockRule & { used: number })[];
}

const enc = new TextEncoder();

export async function startMockLlmServer(options: { port?: number; host?: string } = {}): Promise<MockLlmServer> {
	const sessions = new Map<string, Session>();
	const log: MockRequestRecord[] = [];
	let nextId = 1;
	const server: Server = createServer((req, res) => {
		handle(req, res).catch((e) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(e?.stack ?? e));
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? '/', 'http://mock');
		let path = url.pathname;
		// Control API (used by tests from Node).
		if (path.startsWith('/__mock/')) return control(req, res, url);
		let session: string | undefined;
		let noCors = false;
		for (;;) {
			const m = /^\/s\/([^/]+)(\/.*)$/.exec(path);
			if (m) {
				session = decodeURIComponent(m[1]);
				path = m[2];
				continue;
			}
			if (path.startsWith('/nocors/')) {
				noCors = true;
				path = path.slice('/nocors'.length);
				continue;
			}
			break;
		}
		const origin = req.headers.origin;
		const cors = (extra: Record<string, string> = {}): Record<string, string> =>
			noCors
				? extra
				: {
						'access-control-allow-origin': origin ?? '*',
						'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
						'access-control-allow-methods': 'GET, POST, OPTIONS',
						'access-control-expose-headers': 'retry-after, x-request-id',
						'access-control-allow-private-network': 'true',
						vary: 'origin',
						...extra
					};
		if (req.method === 'OPTIONS') {
			res.writeHead(204, cors({ 'access-control-max-age': '600' }));
			return res.end();
		}
		const body = req.method === 'POST' ? await readBody(req) : undefined;
		const flavor = flavorOf(path);
		const embeddings = req.method === 'POST' ? embeddingFlavorOf(path) : undefined;
		const record: MockRequestRecord = {
			id: nextId++,
			session,
			flavor: flavor ?? (embeddings ? 'embeddings' : path.startsWith('/files/') ? 'files' : /\/models\/?$/.test(path) ? 'models' : 'other'),
			method: req.method ?? 'GET',
			path,
			model: undefined,
			scenario: 'default',
			body,
			headerNames: Object.keys(req.headers),
			auth: 'none',
			status: 200,
			aborted: false,
			finished: false,
			startedAt: Date.now()
		};
		log.push(record);
		if (log.length > 5000) log.splice(0, log.length - 5000);
		res.on('close', () => {
			record.endedAt = Date.now();
			if (!res.writableFinished) record.aborted = true;
		});
		res.on('finish', () => (record.finished = true));
		const key = keyOf(req);
		record.auth = key === undefined ? 'none' : isBadKey(key) ? 'bad' : 'ok';

		if ((req.method === 'GET' || req.method === 'HEAD') && path.startsWith('/files/models/')) {
			if (serveModelFile(path, res, cors(), req)) return;
			record.status = 404;
			res.writeHead(404, cors({ 'content-type': 'text/plain' }));
			return res.end('Not found');
		}
		if (embeddings) {
			const b = (body ?? {}) as Record<string, unknown>;
			const info = readEmbeddingRequest(embeddings, path, b);
			record.model = info.model;
			const { name, reply } = choose(req, session, embeddings, info.model, b, JSON.stringify(info.texts));
			record.scenario = name;
			if (reply.noCors) noCors = true;
			if (record.auth === 'bad')
				return sendError(res, embeddings, embeddings === 'google' ? { status: 400, message: 'API key not valid. Please pass a valid API key.', code: 'API_KEY_INVALID' } : { status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' }, cors, record);
			if (reply.status) return sendError(res, embeddings, reply, cors, record);
			if (info.invalid) return sendError(res, embeddings, { status: 400, message: info.invalid }, cors, record);
			if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
			if (res.destroyed) return;
			res.writeHead(200, cors({ 'content-type': 'application/json' }));
			return res.end(JSON.stringify(reply.json !== undefined ? reply.json : embeddingResponse(embeddings, info)));
		}
		if (req.method === 'GET' && /\/models\/?$/.test(path)) {
			if (record.auth === 'bad') return sendError(res, modelsFlavor(path), { status: 401, message: 'Incorrect API key provided.', code: 'invalid_api_key' }, cors, record);
			res.writeHead(200, cors({ 'content-type': 'application/json' }));
			return res.end(JSON.stringify(modelsBody(modelsFlavor(path))));
		}
		if (!flavor || req.method !== 'POST') {
			record.status = 404;
			res.writeHead(404, cors({ 'content-type': 'application/json' }));
			return res.end(JSON.stringify({ error: { message: `No route ${req.method} ${path}`, type: 'not_found' } }));
		}
		const b = (body ?? {}) as Record<string, unknown>;
		const model = flavor === 'google' ? decodeURIComponent(/models\/([^/:]+):/.exec(path)?.[1] ?? '') : String(b.model ?? '');
		record.model = model;
		const { name, reply } = choose(req, session, flavor, model, b);
		record.scenario = name;
		if (reply.noCors) noCors = true;
		if (record.auth === 'bad')
			return sendError(res, flavor, flavor === 'google' ? { status: 400, message: 'API key not valid. Please pass a valid API key.', code: 'API_KEY_INVALID' } : { status: 401, message: 'Incorrect API key provided.', code: flavor === 'anthropic' ? 'authentication_error' : 'invalid_api_key' }, cors, record);
		if (reply.status) return sendError(res, flavor, reply.message?.includes('{key}') ? { ...reply, message: reply.message.replace('{key}', key ?? '') } : reply, cors, record);
		const bytes = reply.fixture ? readFileSync(join(FIXTURES, reply.fixture)) : enc.encode(generate(flavor, model, b, reply));
		res.writeHead(200, cors({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' }));
		await writeStream(res, bytes, flavor, reply);
	}

	function choose(req: IncomingMessage, session: string | undefined, flavor: Flavor, model: string, body: Record<string, unknown>, input?: string): { name: string; reply: MockReply } {
		const header = req.headers['x-mock-scenario'];
		if (typeof header === 'string' && SCENARIOS[header]) return { name: header, reply: SCENARIOS[header] };
		const text = input ?? promptText(flavor, body);
		const s = session ? sessions.get(session) : undefined;
		if (s)
			for (const rule of s.rules) {
				if (rule.times !== undefined && rule.used >= rule.times) continue;
				if (rule.flavor && rule.flavor !== flavor) continue;
				if (rule.model && rule.model !== model) continue;
				if (rule.match !== undefined && !matches(rule.match, text)) continue;
				rule.used++;
				if (rule.scenario) return { name: rule.scenario, reply: SCENARIOS[rule.scenario] ?? {} };
				return { name: `rule:${rule.match ?? '*'}`, reply: rule.reply ?? {} };
			}
		const at = model.lastIndexOf('@');
		if (at > 0 && SCENARIOS[model.slice(at + 1)]) return { name: model.slice(at + 1), reply: SCENARIOS[model.slice(at + 1)] };
		const tag = /\[mock:([a-z0-9-]+)\]/.exec(input ?? lastUser(flavor, body));
		if (tag && SCENARIOS[tag[1]]) return { name: tag[1], reply: SCENARIOS[tag[1]] };
		return { name: 'default', reply: input !== undefined ? {} : defaultReply(flavor, body) };
	}

	function control(req: IncomingMessage, res: ServerResponse, url: URL) {
		const send = (v: unknown) => {
			res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
			res.end(JSON.stringify(v));
		};
		const session = url.searchParams.get('session') ?? undefined;
		if (url.pathname === '/__mock/requests') return send(api.requests(session));
		if (url.pathname === '/__mock/reset') {
			api.reset(session);
			return send({ ok: true });
		}
		if (url.pathname === '/__mock/script' && req.method === 'POST' && session)
			return readBody(req).then((rules) => {
				api.script(session, rules as MockRule[]);
				send({ ok: true });
			});
		res.writeHead(404);
		res.end();
	}

	const api: Omit<MockLlmServer, 'url' | 'port' | 'close'> = {
		requests: (session) => (session ? log.filter((r) => r.session === session) : log.slice()),
		script: (session, rules) => sessions.set(session, { rules: rules.map((r) => ({ ...r, used: 0 })) }),
		reset(session) {
			if (session) {
				sessions.delete(session);
				for (let i = log.length - 1; i >= 0; i--) if (log[i].session === session) log.splice(i, 1);
			} else {
				sessions.clear();
				log.length = 0;
			}
		}
	};

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	return {
		url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : (options.host ?? '127.0.0.1')}:${port}`,
		port,
		...api,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

function matches(pattern: string, text: string): boolean {
	const re = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
	return re ? new RegExp(re[1], re[2]).test(text) : text.includes(pattern);
}

function flavorOf(path: string): Flavor | undefined {
	if (/^\/openrouter\/.*chat\/completions$/.test(path)) return 'openrouter';
	if (/^\/(openai|v1)\/?.*chat\/completions$/.test(path) || /\/chat\/completions$/.test(path)) return 'openai';
	if (/\/v1\/messages$/.test(path)) return 'anthropic';
	if (/:streamGenerateContent$/.test(path)) return 'google';
	return undefined;
}

function modelsFlavor(path: string): Flavor {
	if (path.startsWith('/anthropic')) return 'anthropic';
	if (path.startsWith('/google') || path.includes('/v1beta/')) return 'google';
	if (path.startsWith('/openrouter')) return 'openrouter';
	return 'openai';
}

function modelsBody(flavor: Flavor): unknown {
	if (flavor === 'google')
		return {
			models: [
				{ name: 'models/gemini-2.5-flash', supportedGenerationMethods: ['generateContent', 'countTokens'] },
				{ name: 'models/gemini-2.5-pro', supportedGenerationMethods: ['generateContent'] },
				{ name: 'models/text-embedding-004', supportedGenerationMethods: ['embedContent'] }
			]
		};
	if (flavor === 'anthropic')
		return {
			data: [
				{ type: 'model', id: 'claude-sonnet-4-5', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
				{ type: 'model', id: 'claude-haiku-4-5', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' }
			],
			has_more: false,
			first_id: 'claude-sonnet-4-5',
			last_id: 'claude-haiku-4-5'
		};
	return {
		object: 'list',
		data: [
			{ id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
			{ id: 'gpt-4.1-nano', object: 'model', created: 1744321025, owned_by: 'system' }
		]
	};
}

function keyOf(req: IncomingMessage): string | undefined {
	const auth = req.headers.authorization;
	if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
	const x = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
	return typeof x === 'string' ? x : undefined;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** All message text of a request (what rules match against). */
function promptText(flavor: Flavor, b: Record<string, unknown>): string {
	return JSON.stringify(flavor === 'google' ? [b.systemInstruction, b.contents] : [b.system, b.messages]);
}

function lastUser(flavor: Flavor, b: Record<string, unknown>): string {
	if (flavor === 'google') {
		const c = ((b.contents ?? []) as { role: string; parts: { text?: string }[] }[]).filter((x) => x.role === 'user').pop();
		return (c?.parts ?? []).map((p) => p.text ?? '').join('');
	}
	const m = ((b.messages ?? []) as { role: string; content: unknown }[]).filter((x) => x.role === 'user').pop();
	if (!m) return '';
	if (typeof m.content === 'string') return m.content;
	return Array.isArray(m.content) ? (m.content as { text?: string }[]).map((p) => p.text ?? '').join('') : '';
}

/** The schema a request asks the answer to follow, in any flavor. */
function requestedSchema(flavor: Flavor, b: Record<string, unknown>): Record<string, unknown> | undefined {
	if (flavor === 'google') return (b.generationConfig as Record<string, unknown> | undefined)?.responseJsonSchema as Record<string, unknown> | undefined;
	if (flavor === 'anthropic') {
		const choice = b.tool_choice as { type?: string; name?: string } | undefined;
		if (choice?.type !== 'tool') return undefined;
		return ((b.tools ?? []) as { name: string; input_schema: Record<string, unknown> }[]).find((t) => t.name === choice.name)?.input_schema;
	}
	const rf = b.response_format as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
	return rf?.type === 'json_schema' ? rf.json_schema?.schema : undefined;
}

/** A deterministic answer: a minimal value of the requested schema, or a sentence about the prompt. */
function defaultReply(flavor: Flavor, b: Record<string, unknown>): MockReply {
	const schema = requestedSchema(flavor, b);
	if (schema) return { json: exampleOf(schema) };
	const q = lastUser(flavor, b).replace(/\s+/g, ' ').trim();
	return { text: `Mock answer to: ${q.slice(0, 80)}` };
}

/** A value that satisfies simple JSON Schemas (the first enum value, minimal lengths). */
export function exampleOf(schema: Record<string, unknown>): unknown {
	if (Array.isArray(schema.enum)) return schema.enum[0];
	if ('const' in schema) return schema.const;
	const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
	if (t === 'object' || schema.properties) {
		const out: Record<string, unknown> = {};
		for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) out[k] = exampleOf(s);
		return out;
	}
	if (t === 'array') return [exampleOf((schema.items ?? {}) as Record<string, unknown>)].slice(0, Math.max(1, Number(schema.minItems ?? 1)));
	if (t === 'integer') return Number(schema.minimum ?? 1);
	if (t === 'number') return Number(schema.minimum ?? 1);
	if (t === 'boolean') return true;
	if (t === 'null') return null;
	const min = Number(schema.minLength ?? 0);
	return 'example'.padEnd(min, 'x');
}

function tokensOf(s: string): number {
	return Math.max(1, Math.ceil(s.length / 4));
}

function pieces(text: string, size: number): string[] {
	const chars = Array.from(text);
	const out: string[] = [];
	for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
	return out;
}

/** The reply as one provider's SSE stream (exported for the fixture-shape tests). */
export function generate(flavor: Flavor, model: string, b: Record<string, unknown>, reply: MockReply): string {
	const schema = requestedSchema(flavor, b);
	const jsonText = reply.json !== undefined ? JSON.stringify(reply.json) : undefined;
	const anthropicJson = flavor === 'anthropic' && schema && jsonText !== undefined;
	const text = anthropicJson ? (reply.text ?? '') : (reply.text ?? jsonText ?? '');
	const deltas = pieces(text, reply.deltaChars ?? 4);
	const calls = (reply.toolCalls ?? []).map((c, i) => ({ ...c, id: c.id ?? (flavor === 'anthropic' ? `toolu_mock${i + 1}` : `call_mock${i + 1}`) }));
	if (anthropicJson) calls.unshift({ name: String((b.tool_choice as { name: string }).name), arguments: reply.json as Record<string, unknown>, id: 'toolu_mockjson' });
	const input = reply.usage?.input ?? tokensOf(promptText(flavor, b));
	const output = reply.usage?.output ?? tokensOf(text + calls.map((c) => JSON.stringify(c.arguments)).join(''));
	const cut = reply.errorAfterDeltas ?? reply.dropAfterDeltas;
	const shown = cut !== undefined ? deltas.slice(0, cut) : deltas;
	if (flavor === 'openai' || flavor === 'openrouter') return openAiStream(flavor, model, shown, calls, input, output, reply, cut !== undefined);
	if (flavor === 'anthropic') return anthropicStream(model, shown, calls, input, output, reply, cut !== undefined);
	return googleStream(model, shown, calls, input, output, reply, cut !== undefined);
}

function openAiStream(flavor: Flavor, model: string, deltas: string[], calls: { id: string; name: string; arguments: unknown }[], input: number, output: number, reply: MockReply, broken: boolean): string {
	const id = flavor === 'openrouter' ? 'gen-1700000000-mock' : 'chatcmpl-mock0001';
	const head = flavor === 'openrouter' ? { id, provider: 'OpenAI', model, object: 'chat.completion.chunk', created: 1700000000 } : { id, object: 'chat.completion.chunk', created: 1700000000, model, system_fingerprint: 'fp_mock' };
	const chunk = (delta: unknown, finish: string | null, extra: Record<string, unknown> = {}) =>
		'data: ' + JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(flavor === 'openai' ? { usage: null } : {}), ...extra }) + '\n\n';
	let s = flavor === 'openrouter' ? ': OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n' : '';
	s += chunk({ role: 'assistant', content: '', refusal: null }, null);
	for (const d of deltas) s += chunk({ content: d }, null);
	if (broken) {
		if (reply.errorAfterDeltas !== undefined)
			s += 'data: ' + JSON.stringify({ ...head, error: { code: 'server_error', message: 'Provider disconnected unexpectedly' }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] }) + '\n\n';
		return s;
	}
	calls.forEach((c, i) => {
		const args = JSON.stringify(c.arguments);
		s += chunk({ tool_calls: [{ index: i, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }, null);
		for (const frag of pieces(args, 7)) s += chunk({ tool_calls: [{ index: i, function: { arguments: frag } }] }, null);
	});
	s += chunk({}, reply.finish ?? (calls.length ? 'tool_calls' : 'stop'));
	const usage: Record<string, unknown> = {
		prompt_tokens: input,
		completion_tokens: output,
		total_tokens: input + output,
		prompt_tokens_details: { cached_tokens: reply.usage?.cached ?? 0, audio_tokens: 0 },
		completion_tokens_details: { reasoning_tokens: reply.usage?.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
	};
	if (flavor === 'openrouter') {
		usage.cost = reply.usage?.cost ?? Math.round((input * 0.15 + output * 0.6)) / 1e6;
		usage.is_byok = false;
	}
	s += 'data: ' + JSON.stringify({ ...head, choices: [], usage }) + '\n\n';
	return s + 'data: [DONE]\n\n';
}

function anthropicStream(model: string, deltas: string[], calls: { id: string; name: string; arguments: unknown }[], input: number, output: number, reply: MockReply, broken: boolean): string {
	const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
	const cached = reply.usage?.cached ?? 0;
	let s = ev('message_start', {
		type: 'message_start',
		message: { id: 'msg_mock0001', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: input - cached, cache_creation_input_tokens: 0, cache_read_input_tokens: cached, output_tokens: 1 } }
	});
	let index = 0;
	if (deltas.length || !calls.length) {
		s += ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
		s += ev('ping', { type: 'ping' });
		for (const d of deltas) s += ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: d } });
		if (broken) {
			if (reply.errorAfterDeltas !== undefined) s += ev('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
			return s;
		}
		s += ev('content_block_stop', { type: 'content_block_stop', index });
		index++;
	}
	for (const c of calls) {
		s += ev('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: c.id, name: c.name, input: {} } });
		s += ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } });
		pieces(JSON.stringify(c.arguments), 9).forEach((frag, i) => {
			if (i === 1) s += ev('ping', { type: 'ping' });
			s += ev('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: frag } });
		});
		s += ev('content_block_stop', { type: 'content_block_stop', index });
		index++;
	}
	s += ev('message_delta', { type: 'message_delta', delta: { stop_reason: reply.finish ?? (calls.length ? 'tool_use' : 'end_turn'), stop_sequence: null }, usage: { output_tokens: output } });
	return s + ev('message_stop', { type: 'message_stop' });
}

function googleStream(model: string, deltas: string[], calls: { id: string; name: string; arguments: unknown }[], input: number, output: number, reply: MockReply, broken: boolean): string {
	const ev = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
	const partial = { promptTokenCount: input, totalTokenCount: input, promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }] };
	let s = '';
	for (const d of deltas) s += ev({ candidates: [{ content: { parts: [{ text: d }], role: 'model' }, index: 0 }], usageMetadata: partial, modelVersion: model, responseId: 'mockResponse01' });
	if (broken) {
		if (reply.errorAfterDeltas !== undefined) s += ev({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
		return s;
	}
	const reasoning = reply.usage?.reasoning ?? 0;
	const final: Record<string, unknown> = { promptTokenCount: input, candidatesTokenCount: output, totalTokenCount: input + output + reasoning, promptTokensDetails: [{ modality: 'TEXT', tokenCount: input }] };
	if (reasoning) final.thoughtsTokenCount = reasoning;
	if (reply.usage?.cached) final.cachedContentTokenCount = reply.usage.cached;
	const parts: unknown[] = calls.length ? calls.map((c) => ({ functionCall: { name: c.name, args: c.arguments } })) : [{ text: '' }];
	s += ev({ candidates: [{ content: { parts, role: 'model' }, finishReason: reply.finish ?? 'STOP', index: 0 }], usageMetadata: final, modelVersion: model, responseId: 'mockResponse01' });
	return s;
}

function sendError(res: ServerResponse, flavor: Flavor, reply: MockReply, cors: (e?: Record<string, string>) => Record<string, string>, record: MockRequestRecord) {
	const status = reply.status ?? 500;
	record.status = status;
	const message = reply.message ?? 'Error';
	let body: unknown;
	if (flavor === 'anthropic') {
		const type = reply.code && /_error$/.test(reply.code) ? reply.code : status === 429 ? 'rate_limit_error' : status === 401 ? 'authentication_error' : status === 403 ? 'permission_error' : status === 529 ? 'overloaded_error' : status >= 500 ? 'api_error' : 'invalid_request_error';
		body = { type: 'error', error: { type, message }, request_id: 'req_mock0001' };
	} else if (flavor === 'google') {
		const st = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 403 ? 'PERMISSION_DENIED' : status === 401 ? 'UNAUTHENTICATED' : status >= 500 ? 'UNAVAILABLE' : 'INVALID_ARGUMENT';
		body = { error: { code: status, message, status: st, ...(reply.code === 'API_KEY_INVALID' ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } : {}) } };
	} else body = { error: { message, type: status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: reply.code ?? null } };
	res.writeHead(status, cors({ 'content-type': 'application/json', ...(reply.retryAfter ? { 'retry-after': reply.retryAfter } : {}) }));
	res.end(JSON.stringify(body));
}

/** Writes the stream event by event (or in `splitBytes` pieces), waiting `delayMs` between writes; stops when the client goes away. */
async function writeStream(res: ServerResponse, bytes: Uint8Array, flavor: Flavor, reply: MockReply) {
	const pieces: Uint8Array[] = [];
	if (reply.splitBytes) for (let i = 0; i < bytes.length; i += reply.splitBytes) pieces.push(bytes.subarray(i, i + reply.splitBytes));
	else {
		// One write per event (the blank line ends it), as servers flush them.
		const sep = flavor === 'google' ? '\r\n\r\n' : '\n\n';
		const text = Buffer.from(bytes).toString('utf8');
		let start = 0;
		for (let i = text.indexOf(sep); i >= 0; i = text.indexOf(sep, start)) {
			pieces.push(enc.encode(text.slice(start, i + sep.length)));
			start = i + sep.length;
		}
		if (start < text.length) pieces.push(enc.encode(text.slice(start)));
	}
	for (const p of pieces) {
		if (res.destroyed) return;
		res.write(p);
		if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
		else await new Promise((r) => setImmediate(r));
	}
	if (reply.dropAfterDeltas !== undefined) {
		res.socket?.destroy();
		return;
	}
	res.end();
}
