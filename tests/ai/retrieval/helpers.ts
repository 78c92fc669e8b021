import 'fake-indexeddb/auto';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';
import { configureLocalRuntime } from '../../../src/lib/ai/embeddings/local';
import type { LocalModelRef } from '../../../src/lib/ai/embeddings/types';
import { KnowledgeService, type KnowledgeServiceOptions } from '../../../src/lib/ai/retrieval/service';
import { KnowledgeDb } from '../../../src/lib/store/knowledge-db';

const here = dirname(fileURLToPath(import.meta.url));
/** The generated test model, served as this app's `/models/` folder. */
export const MODELS_DIR = join(here, '..', '..', 'fixtures', 'models') + '/';
export const TEST_MODEL: LocalModelRef = { kind: 'local', model: 'fsm-studio/test-embedder', source: 'app', dtype: 'q8' };

/** Real transformers.js, local files only. */
export function useTestModel() {
	configureLocalRuntime({ appModelPath: MODELS_DIR, allowRemote: false, cacheModels: false });
}

let n = 0;
export function freshService(o: Partial<KnowledgeServiceOptions> = {}) {
	useTestModel();
	const workspaceId = `test-${process.pid}-${Date.now()}-${n++}`;
	const db = new KnowledgeDb(workspaceId);
	return new KnowledgeService({ workspaceId, db, broadcast: false, ...o });
}
