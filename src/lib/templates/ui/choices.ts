/**
 * What a parameter form can offer: the providers of Settings → Providers (with their models)
 * and the knowledge bases of the Knowledge page. Read lazily; an empty list when a store does
 * not exist yet (opening it here would create it).
 */
import Dexie from 'dexie';

export interface ProviderChoice {
	id: string;
	name: string;
	defaultModel?: string;
	models: string[];
}

export interface Choices {
	providers: ProviderChoice[];
	bases: { id: string; name: string }[];
}

/** Providers and knowledge bases of the workspace (never throws). */
export async function loadChoices(workspaceId = 'default'): Promise<Choices> {
	const [providers, bases] = await Promise.all([
		import('../../ai/settings/providers')
			.then((m) => m.listProviders())
			.then((list) => list.map((p) => ({ id: p.id, name: p.name, ...(p.defaultModel ? { defaultModel: p.defaultModel } : {}), models: p.models ?? [] })))
			.catch(() => [] as ProviderChoice[]),
		(async () => {
			const { KnowledgeDb, knowledgeDbName } = await import('../../store/knowledge-db');
			if (!(await Dexie.exists(knowledgeDbName(workspaceId)))) return [];
			const db = new KnowledgeDb(workspaceId);
			try {
				return (await db.bases.toArray()).map((b) => ({ id: b.id, name: b.name }));
			} finally {
				db.close();
			}
		})().catch(() => [] as { id: string; name: string }[])
	]);
	return { providers, bases };
}
