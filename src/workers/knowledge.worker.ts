/// <reference lib="webworker" />
// Knowledge worker: extraction, chunking, embeddings (transformers.js), indexes and search.
import * as Comlink from 'comlink';
import { getKnowledgeService } from '$lib/ai/retrieval/instance';

const name = (self as unknown as DedicatedWorkerGlobalScope).name;
const workspaceId = name.startsWith('fsm-knowledge:') ? name.slice('fsm-knowledge:'.length) : 'default';

getKnowledgeService(workspaceId).then((svc) => {
	Comlink.expose(svc);
	void svc.recoverInterrupted();
	(self as unknown as DedicatedWorkerGlobalScope).postMessage({ type: 'fsm-knowledge-ready' });
});
