import Dexie, { type EntityTable, type Table } from 'dexie';
import type {
	AuditRecord,
	InstanceRecord,
	LlmCacheRecord,
	SettingRecord,
	SnapshotRecord,
	StoredEvent,
	VectorRecord
} from './types';

export const DEFAULT_WORKSPACE = 'default';

/** Name of a workspace's database. */
export function databaseName(workspaceId: string = DEFAULT_WORKSPACE): string {
	return `fsm-studio-${workspaceId}`;
}

/** One IndexedDB database per workspace. */
export class WorkspaceDb extends Dexie {
	events!: Table<StoredEvent, [string, number]>;
	instances!: EntityTable<InstanceRecord, 'id'>;
	snapshots!: Table<SnapshotRecord, [string, number]>;
	llmCache!: EntityTable<LlmCacheRecord, 'key'>;
	audit!: EntityTable<AuditRecord, 'id'>;
	vectors!: EntityTable<VectorRecord, 'id'>;
	settings!: EntityTable<SettingRecord, 'key'>;

	constructor(workspaceId: string = DEFAULT_WORKSPACE, options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {}) {
		super(databaseName(workspaceId), {
			// Events are an append-only log re-creatable up to the last flush: relaxed durability
			// roughly doubles Chromium's write throughput.
			chromeTransactionDurability: 'relaxed',
			// The worker is the only writer and never uses liveQuery: skip Dexie's optimistic cache.
			cache: 'disabled',
			...options
		});
		this.version(1).stores({
			// `[instanceId+inputSeq]` is sparse: only input rows carry inputSeq, so replay reads
			// the inputs alone without scanning transitions and telemetry.
			events: '[instanceId+seq], [instanceId+inputSeq]',
			instances: 'id, workflowId, createdAt',
			snapshots: '[instanceId+seq]',
			llmCache: 'key, createdAt',
			audit: '++id, time, instanceId',
			vectors: 'id, collection',
			settings: 'key'
		});
	}
}
