import Dexie, { type EntityTable } from 'dexie';

/**
 * Agents of every workspace of this browser (the Agents page) and what they remember per run.
 * Named with a dot, like the AI database, so it never collides with a workspace's
 * `fsm-studio-<workspace>` database.
 */
export const AGENTS_DB_NAME = 'fsm-studio.agents';

/** An agent saved in a workspace (the Agents page). */
export interface AgentRecord {
	id: string;
	workspaceId: string;
	name: string;
	role?: string;
	system?: string;
	/** Provider id or name from Settings → Providers (default: the workspace default). */
	provider?: string;
	model?: string;
	/** Tried in order when the model is rate limited, overloaded, failing or times out. */
	fallback: { provider: string; model?: string }[];
	temperature?: number;
	maxTokens?: number;
	/** Names of tools it may call: effects of the workflow it runs in (later MCP tools). */
	tools: string[];
	/** What it remembers from earlier coordinations of the same run. */
	memory: { type: 'none' } | { type: 'window'; messages: number } | { type: 'summary'; maxTokens: number };
	createdAt: number;
	updatedAt: number;
}

/** What one agent remembers in one run (instance): the last messages, or a running summary. */
export interface AgentMemoryRecord {
	agentKey: string;
	runId: string;
	messages: { role: 'user' | 'assistant'; content: string }[];
	summary?: string;
	updatedAt: number;
}

export class AgentsDb extends Dexie {
	agents!: EntityTable<AgentRecord, 'id'>;
	memory!: Dexie.Table<AgentMemoryRecord, [string, string]>;

	constructor(options: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange; name?: string } = {}) {
		const { name, ...rest } = options;
		super(name ?? AGENTS_DB_NAME, { cache: 'disabled', ...rest });
		this.version(1).stores({
			agents: 'id, workspaceId, [workspaceId+name]',
			memory: '[agentKey+runId], runId, updatedAt'
		});
	}
}

let shared: AgentsDb | undefined;

/** The agents database of this browser (one connection per page or worker). */
export function agentsDb(): AgentsDb {
	return (shared ??= new AgentsDb());
}

/** Tests: use this database instead (fake-indexeddb, a separate name). */
export function setAgentsDb(db: AgentsDb | undefined): void {
	shared = db;
}
