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

/** Name of a workspace's database. */
export function databaseName(workspaceId: string = DEFAULT_WORKSPACE): string {
	return `fsm-studio-${workspaceId}`;
}

/** One IndexedDB database per workspace. */
export class WorkspaceDb extends Dexie {
	events!: Table<EventSegment, [string, number]>;
	inputs!: Table<InputSegment, [string, number]>;
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
