export { EventStoreDb, databaseName, legacyDatabaseName, migrateLegacyDatabase, DEFAULT_WORKSPACE } from './db';
export { createIndexedDbCache } from './effect-cache';
export {
	EventStore,
	createEventStore,
	toStoredEvent,
	toInstanceEvent,
	describeStoreError,
	type EventStoreOptions,
	type ReplaySource,
	type StoreStats
} from './event-store';
export type * from './types';
