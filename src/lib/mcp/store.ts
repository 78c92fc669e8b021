/**
 * MCP servers as the user configured them in Settings → MCP servers, in this browser's
 * `fsm-studio.mcp` database (shared by every workspace, like providers). Secrets — bearer
 * tokens, header values, OAuth tokens and client registrations — are sealed with the AI
 * layer's vault key (the same non-extractable AES-GCM key that seals provider keys).
 */
import Dexie, { liveQuery, type EntityTable } from 'dexie';
import { aiDb, type AiDb, type SealedSecret } from '../store/ai-db';
import { seal, unseal } from '../ai/keys/vault';
import type { McpAuth, McpCatalog, McpProblem, McpSecrets, McpServerConfig } from './types';

export const MCP_DB_NAME = 'fsm-studio.mcp';

interface ServerRecord extends McpServerConfig {
	secret?: SealedSecret;
}

interface SettingRecord {
	key: string;
	value: unknown;
}

export class McpDb extends Dexie {
	servers!: EntityTable<ServerRecord, 'id'>;
	settings!: EntityTable<SettingRecord, 'key'>;
	constructor(options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange; name?: string } = {}) {
		const { name, ...rest } = options;
		super(name ?? MCP_DB_NAME, { cache: 'disabled', ...rest });
		this.version(1).stores({ servers: 'id, name', settings: 'key' });
	}
}

let shared: McpDb | undefined;
/** This browser's MCP database (one connection per page or worker). */
export function mcpDb(): McpDb {
	return (shared ??= new McpDb());
}
/** Tests: use this database instead. */
export function setMcpDb(db: McpDb | undefined): void {
	shared = db;
}

interface Dbs {
	db?: McpDb;
	vault?: AiDb;
}

function strip(r: ServerRecord): McpServerConfig {
	const { secret, ...rest } = r;
	void secret;
	return rest;
}

export async function listServers({ db = mcpDb() }: Dbs = {}): Promise<McpServerConfig[]> {
	return (await db.servers.orderBy('name').toArray()).map(strip);
}

/**
 * Calls `onChange` whenever the stored servers change — saved, removed, switched, connected —
 * here or in another tab (and once when it starts listening, since a change may have landed
 * while it started); returns a function that stops listening.
 */
export function onServersChange(onChange: () => void, { db = mcpDb() }: Dbs = {}): () => void {
	const sub = liveQuery(() => db.servers.toArray()).subscribe({ next: () => onChange(), error: () => {} });
	return () => sub.unsubscribe();
}

export async function getServer(id: string, { db = mcpDb() }: Dbs = {}): Promise<McpServerConfig | undefined> {
	const r = await db.servers.get(id);
	return r ? strip(r) : undefined;
}

export interface ServerInput {
	id?: string;
	name: string;
	url: string;
	transport?: McpServerConfig['transport'];
	auth: McpAuth;
	enabled?: boolean;
	/** A new bearer token; null removes it; undefined keeps the stored one. */
	bearer?: string | null;
	/** Header values by name (for `auth.kind === 'headers'`); undefined keeps the stored ones. */
	headers?: Record<string, string>;
}

/** Checks an address; returns it normalised or throws with what is wrong. */
export function checkServerUrl(url: string): string {
	const t = url.trim();
	if (!t) throw new Error('Enter the server’s address, e.g. https://example.com/mcp.');
	let u: URL;
	try {
		u = new URL(t);
	} catch {
		throw new Error(`"${t}" is not a web address; it should look like https://example.com/mcp.`);
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`"${t}" must start with https:// (or http:// for a server on this computer).`);
	if (u.username || u.password) throw new Error('Put credentials in the token or headers fields, not in the address.');
	u.hash = '';
	return u.href;
}

function newId(name: string): string {
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'server';
	return `${slug}-${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}`;
}

/** Adds or updates a server (sealing its secrets); returns it without secrets. */
export async function saveServer(input: ServerInput, { db = mcpDb(), vault = aiDb() }: Dbs = {}): Promise<McpServerConfig> {
	const name = input.name.trim();
	if (!name) throw new Error('Give the server a name.');
	const url = checkServerUrl(input.url);
	if (input.auth.kind === 'headers') {
		const names = input.auth.names.map((n) => n.trim()).filter(Boolean);
		const bad = names.find((n) => !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(n));
		if (bad) throw new Error(`"${bad}" is not a valid header name (letters, digits and - only).`);
	}
	// no Dexie transaction around this: WebCrypto's promises would end it early
	{
		const old = input.id ? await db.servers.get(input.id) : undefined;
		let secrets: McpSecrets = old?.secret ? await unseal<McpSecrets>(vault, old.secret).catch(() => ({})) : {};
		if (input.bearer === null) delete secrets.bearer;
		else if (typeof input.bearer === 'string' && input.bearer.trim()) secrets.bearer = input.bearer.trim().replace(/^Bearer\s+/i, '');
		if (input.headers !== undefined) secrets.headers = input.headers;
		// a new address or a new way to sign in makes old OAuth state meaningless
		if (old && (old.url !== url || old.auth.kind !== input.auth.kind)) delete secrets.oauth;
		if (input.auth.kind !== 'bearer') delete secrets.bearer;
		if (input.auth.kind !== 'headers') delete secrets.headers;
		const now = Date.now();
		const sameEndpoint = old && old.url === url;
		const rec: ServerRecord = {
			id: old?.id ?? input.id ?? newId(name),
			name,
			url,
			transport: input.transport ?? old?.transport ?? 'auto',
			auth: input.auth,
			enabled: input.enabled ?? old?.enabled ?? true,
			createdAt: old?.createdAt ?? now,
			updatedAt: now,
			...(sameEndpoint && old?.catalog ? { catalog: old.catalog } : {}),
			...(Object.keys(secrets).length ? { secret: await seal(vault, secrets) } : {})
		};
		await db.servers.put(rec);
		return strip(rec);
	}
}

export async function deleteServer(id: string, { db = mcpDb() }: Dbs = {}): Promise<void> {
	await db.servers.delete(id);
}

/** Records what a connection found (or the problem it hit). */
export async function recordConnection(id: string, result: { catalog: McpCatalog } | { problem: McpProblem }, { db = mcpDb() }: Dbs = {}): Promise<void> {
	await db.transaction('rw', db.servers, async () => {
		const r = await db.servers.get(id);
		if (!r) return;
		if ('catalog' in result) {
			r.catalog = result.catalog;
			delete r.lastError;
		} else r.lastError = result.problem;
		await db.servers.put(r);
	});
}

/** A server's secrets, decrypted. Never store, log or send what this returns. */
export async function serverSecrets(id: string, { db = mcpDb(), vault = aiDb() }: Dbs = {}): Promise<McpSecrets> {
	const r = await db.servers.get(id);
	if (!r?.secret) return {};
	return unseal<McpSecrets>(vault, r.secret);
}

type Locks = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
const localQueues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` alone under `name`: across every page and worker of this browser (Web Locks), or
 * within this context where there are none (Node).
 */
export function exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
	const locks = (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
	if (locks?.request) return locks.request(name, () => fn());
	const run = (localQueues.get(name) ?? Promise.resolve()).then(fn, fn);
	localQueues.set(name, run.catch(() => {}));
	return run;
}

/**
 * Changes a server's secrets (OAuth tokens, registrations, PKCE verifier): read, change and
 * write one at a time across pages and workers, so that a token one of them just saved is not
 * overwritten with an older copy by another.
 */
export async function updateSecrets(id: string, change: (s: McpSecrets) => McpSecrets, { db = mcpDb(), vault = aiDb() }: Dbs = {}): Promise<void> {
	await exclusive(`fsm-studio-mcp-secrets:${id}`, async () => {
		// seal outside a Dexie transaction: WebCrypto promises would end it early
		const r = await db.servers.get(id);
		if (!r) throw new Error('This MCP server was removed.');
		const current: McpSecrets = r.secret ? await unseal<McpSecrets>(vault, r.secret).catch(() => ({})) : {};
		const next = change(structuredClone(current));
		const sealed = Object.keys(next).length ? await seal(vault, next) : undefined;
		await db.servers.update(id, { secret: sealed } as Partial<ServerRecord>);
	});
}

/** Request headers for a server (Authorization for a bearer token, or its custom headers). */
export async function requestHeaders(server: McpServerConfig, dbs: Dbs = {}): Promise<Record<string, string>> {
	if (server.auth.kind !== 'bearer' && server.auth.kind !== 'headers') return {};
	const s = await serverSecrets(server.id, dbs);
	if (server.auth.kind === 'bearer') return s.bearer ? { Authorization: `Bearer ${s.bearer}` } : {};
	const out: Record<string, string> = {};
	for (const n of server.auth.names) if (s.headers?.[n] !== undefined) out[n] = s.headers[n];
	return out;
}

// ---- settings: origins allowed to use FSM Studio's tools over postMessage ----

const ALLOWLIST = 'embed.allowedOrigins';
const REQUESTS = 'embed.requests';

/** Normalises an origin the user typed (`https://example.com`), or throws with what is wrong. */
export function checkOrigin(origin: string): string {
	const t = origin.trim().replace(/\/+$/, '');
	let u: URL;
	try {
		u = new URL(t);
	} catch {
		throw new Error(`"${origin}" is not an origin; it should look like https://example.com (scheme, host and port only).`);
	}
	if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`"${origin}" must start with https:// or http://.`);
	if (u.pathname !== '/' || u.search || u.hash) throw new Error(`"${origin}" has a path; give only the origin, e.g. ${u.origin}.`);
	return u.origin;
}

export async function allowedOrigins({ db = mcpDb() }: Dbs = {}): Promise<string[]> {
	return ((await db.settings.get(ALLOWLIST))?.value as string[] | undefined) ?? [];
}

export async function setAllowedOrigins(origins: string[], { db = mcpDb() }: Dbs = {}): Promise<void> {
	const clean = [...new Set(origins.map(checkOrigin))];
	await db.transaction('rw', db.settings, async () => {
		await db.settings.put({ key: ALLOWLIST, value: clean });
		// an allowed origin is no longer waiting
		const pending = ((await db.settings.get(REQUESTS))?.value as EmbedRequest[] | undefined) ?? [];
		await db.settings.put({ key: REQUESTS, value: pending.filter((p) => !clean.includes(p.origin)) });
	});
}

/** A page that tried to use the tools without being allowed (shown in Settings, never answered). */
export interface EmbedRequest {
	origin: string;
	firstAt: number;
	lastAt: number;
	count: number;
}

export async function embedRequests({ db = mcpDb() }: Dbs = {}): Promise<EmbedRequest[]> {
	return ((await db.settings.get(REQUESTS))?.value as EmbedRequest[] | undefined) ?? [];
}

export async function noteEmbedRequest(origin: string, { db = mcpDb() }: Dbs = {}): Promise<void> {
	await db.transaction('rw', db.settings, async () => {
		const list = ((await db.settings.get(REQUESTS))?.value as EmbedRequest[] | undefined) ?? [];
		const now = Date.now();
		const hit = list.find((r) => r.origin === origin);
		if (hit) {
			hit.lastAt = now;
			hit.count++;
		} else list.push({ origin, firstAt: now, lastAt: now, count: 1 });
		await db.settings.put({ key: REQUESTS, value: list.slice(-20) });
	});
}

export async function dismissEmbedRequest(origin: string, { db = mcpDb() }: Dbs = {}): Promise<void> {
	const list = await embedRequests({ db });
	await db.settings.put({ key: REQUESTS, value: list.filter((r) => r.origin !== origin) });
}
