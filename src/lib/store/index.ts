export { WorkspaceDb, databaseName, DEFAULT_WORKSPACE } from './db';
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
