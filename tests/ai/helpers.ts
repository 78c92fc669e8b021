import 'fake-indexeddb/auto';
import { AiDb, setAiDb } from '$lib/store/ai-db';

/** A fresh AI database (fake-indexeddb) installed as the app's, for one test. */
export function freshAiDb(): AiDb {
	const db = new AiDb({ name: `ai-test-${Math.random().toString(36).slice(2)}` });
	setAiDb(db);
	return db;
}
