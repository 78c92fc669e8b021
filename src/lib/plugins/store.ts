/**
 * The workspace's extensions in IndexedDB (one database per workspace): declared effect kinds,
 * plugin settings, plugin output (log lines, audit entries) and the user's own components.
 * Runs in the page and in the workers (Dexie works in both).
 */
import Dexie, { type EntityTable, type Table } from 'dexie';
import type { DeclaredKind } from './kinds';
import type { ComponentDef } from '../components';

export type PluginId = 'logger' | 'audit';

export interface KindRecord {
	type: string;
	def: DeclaredKind;
	updatedAt: number;
}

export interface PluginRecord {
	id: PluginId;
	enabled: boolean;
	config: Record<string, unknown>;
	updatedAt: number;
}

/** One line of plugin output. */
export interface OutputRecord {
	id?: number;
	plugin: PluginId;
	time: number;
	instanceId: string;
	workflowId?: string;
	workflowName?: string;
	mode?: string;
	/** `transition`, `entered`, `effect`, `emit`, `log`, `status` … */
	kind: string;
	level: 'info' | 'warn' | 'error';
	message: string;
	data?: unknown;
	/** Audit: SHA-256 of the previous entry's hash and this entry (hex). */
	hash?: string;
	prev?: string;
}

export interface ComponentRecord {
	id: string;
	def: ComponentDef;
	updatedAt: number;
}

export function extensionsDbName(workspaceId = 'default'): string {
	return `fsm-studio-extensions-${workspaceId}`;
}

export class ExtensionsDb extends Dexie {
	kinds!: EntityTable<KindRecord, 'type'>;
	plugins!: EntityTable<PluginRecord, 'id'>;
	output!: Table<OutputRecord, number>;
	components!: EntityTable<ComponentRecord, 'id'>;

	constructor(workspaceId = 'default') {
		super(extensionsDbName(workspaceId));
		this.version(1).stores({
			kinds: 'type',
			plugins: 'id',
			output: '++id, plugin, [plugin+time], instanceId',
			components: 'id'
		});
	}
}

const dbs = new Map<string, ExtensionsDb>();

/** The workspace's extensions database (opened once per context). */
export function extensionsDb(workspaceId = 'default'): ExtensionsDb {
	let db = dbs.get(workspaceId);
	if (!db) dbs.set(workspaceId, (db = new ExtensionsDb(workspaceId)));
	return db;
}

/** Tells other tabs and the workers that kinds or plugin settings changed. */
export function announce(workspaceId: string, what: 'kinds' | 'plugins' | 'components'): void {
	try {
		const ch = new BroadcastChannel(`fsm-studio:extensions:${workspaceId}`);
		ch.postMessage(what);
		ch.close();
	} catch {
		// no BroadcastChannel (old runtime): others pick the change up when they reload
	}
}

/** Calls `fn` when another context announces a change. Returns a function that stops listening. */
export function onAnnounce(workspaceId: string, fn: (what: string) => void): () => void {
	try {
		const ch = new BroadcastChannel(`fsm-studio:extensions:${workspaceId}`);
		ch.onmessage = (e) => fn(String(e.data));
		// in Node (tests, the command line) a listening channel must not keep the process alive
		(ch as { unref?: () => void }).unref?.();
		return () => ch.close();
	} catch {
		return () => {};
	}
}
