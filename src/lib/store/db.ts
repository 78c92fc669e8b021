import Dexie, { type EntityTable, type Table } from 'dexie';
import type {
	AuditRecord,
	EventSegment,
	InputSegment,
	InstanceRecord,
	LlmCacheRecord,
	SettingRecord,
	SnapshotRecord,
	VectorRecord
} from './types';

export const DEFAULT_WORKSPACE = 'default';

/**
 * Name of a workspace's event database. The `ws-` prefix is this family's own: other
 * databases of the app are `fsm-studio-workspace` (the workflow list), `fsm-studio-wf-<id>`
 * (each workflow's document) and `fsm-studio.<name>` (ai, mcp, agents …), so no workspace
 * name can open one of them.
 */
export function databaseName(workspaceId: string = DEFAULT_WORKSPACE): string {
	return `fsm-studio-ws-${workspaceId}`;
}

/** Where a workspace's events were kept before: `fsm-studio-<workspace>`, which other databases' names could match. */
export function legacyDatabaseName(workspaceId: string = DEFAULT_WORKSPACE): string {
	return `fsm-studio-${workspaceId}`;
}

type DexieOptions = { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange };

/** The event store of one workspace: one IndexedDB database per workspace. */
export class EventStoreDb extends Dexie {
	events!: Table<EventSegment, [string, number]>;
	inputs!: Table<InputSegment, [string, number]>;
	instances!: EntityTable<InstanceRecord, 'id'>;
	snapshots!: Table<SnapshotRecord, [string, number]>;
	llmCache!: EntityTable<LlmCacheRecord, 'key'>;
	audit!: EntityTable<AuditRecord, 'id'>;
	vectors!: EntityTable<VectorRecord, 'id'>;
	settings!: EntityTable<SettingRecord, 'key'>;

	constructor(workspaceId: string = DEFAULT_WORKSPACE, options: DexieOptions & { name?: string } = {}) {
		const { name, ...dexie } = options;
		super(name ?? databaseName(workspaceId), {
			// Events are an append-only log re-creatable up to the last flush: relaxed durability
			// roughly doubles Chromium's write throughput.
			chromeTransactionDurability: 'relaxed',
			// The worker is the only writer and never uses liveQuery: skip Dexie's optimistic cache.
			cache: 'disabled',
			...dexie
		});
		this.version(1).stores({
			// Both hold segments (consecutive seqs of one instance); `last` finds the segment
			// holding a given seq. `inputs` duplicates the input events so replay reads only them.
			events: '[instanceId+seq], [instanceId+last]',
			inputs: '[instanceId+seq], [instanceId+last]',
			instances: 'id, workflowId, createdAt',
			snapshots: '[instanceId+seq]',
			llmCache: 'key, createdAt',
			audit: '++id, time, instanceId',
			vectors: 'id, collection',
			settings: 'key'
		});
	}
}

const TABLES = ['events', 'inputs', 'instances', 'snapshots', 'llmCache', 'audit', 'vectors', 'settings'] as const;

interface LockManagerLike {
	request<T>(name: string, cb: () => Promise<T>): Promise<T>;
}

/**
 * Moves a workspace's events from its old database (`fsm-studio-<workspace>`) into its own
 * (`fsm-studio-ws-<workspace>`), once, then deletes the old one. A database of that old name
 * that is not an event store (the workflow list was `fsm-studio-workspace`) is left alone.
 * Runs under a Web Lock, so the runtime and simulator workers of one workspace never both copy.
 */
export async function migrateLegacyDatabase(workspaceId: string = DEFAULT_WORKSPACE, options: DexieOptions = {}): Promise<'migrated' | 'none'> {
	const legacy = legacyDatabaseName(workspaceId);
	const deps = { indexedDB: options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB, IDBKeyRange: options.IDBKeyRange ?? (globalThis as { IDBKeyRange?: typeof IDBKeyRange }).IDBKeyRange };
	if (!deps.indexedDB) return 'none';
	const run = async (): Promise<'migrated' | 'none'> => {
		if (!(await Dexie.exists(legacy).catch(() => false))) return 'none';
		// Open whatever schema is there (no version given), and check it is an event store.
		const old = new Dexie(legacy, deps as never);
		await old.open();
		const names = new Set(old.tables.map((t) => t.name));
		if (!names.has('events') || !names.has('inputs') || !names.has('instances')) {
			old.close();
			return 'none';
		}
		const target = new EventStoreDb(workspaceId, options);
		await target.open();
		for (const name of TABLES) {
			if (!names.has(name)) continue;
			const from = old.table(name);
			const to = target.table(name);
			// In pages, so a long history never sits in memory at once.
			let offset = 0;
			for (;;) {
				const rows = await from.offset(offset).limit(500).toArray();
				if (!rows.length) break;
				await to.bulkPut(rows);
				offset += rows.length;
			}
		}
		target.close();
		old.close();
		await Dexie.delete(legacy);
		return 'migrated';
	};
	const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
	return locks ? locks.request(`fsm-studio-migrate:${workspaceId}`, run) : run();
}
