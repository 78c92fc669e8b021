/**
 * Workspace agents (the Agents page): list, validate, save, delete, and tell other tabs and
 * the node library when they change. Also where agents keep their memory per run.
 */
import { agentsDb, type AgentMemoryRecord, type AgentsDb } from '../../store/agents-db';
import { isMcpToolRef, mcpToolRefProblem } from './mcp-tools';
import type { AgentDefinition, AgentMemory } from './types';

/** What the Agents page edits (id and times are kept by the store). */
export type AgentInput = Omit<AgentDefinition, 'id' | 'workspaceId' | 'createdAt' | 'updatedAt'> & { id?: string };

export type AgentValidation = { ok: true; value: AgentInput } | { ok: false; errors: Record<string, string> };

export const DEFAULT_MEMORY: AgentMemory = { type: 'none' };

/** A new, empty agent for the editor. */
export function blankAgent(): AgentInput {
	return { name: '', role: '', system: '', fallback: [], tools: [], memory: { ...DEFAULT_MEMORY } };
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Checks an agent before saving; errors are keyed by field and say how to fix them. */
export function validateAgent(input: AgentInput, others: Pick<AgentDefinition, 'id' | 'name'>[] = []): AgentValidation {
	const errors: Record<string, string> = {};
	const name = input.name.trim();
	if (!name) errors.name = 'Give the agent a name; workflows and the Run panel show it.';
	else if (name.length > 64) errors.name = 'Keep the name under 64 characters.';
	else if (others.some((o) => o.id !== input.id && o.name.trim().toLowerCase() === name.toLowerCase())) errors.name = `There is already an agent called “${name}”. Names must differ so the Run panel can tell them apart.`;
	if (input.temperature !== undefined && (!Number.isFinite(input.temperature) || input.temperature < 0 || input.temperature > 2)) errors.temperature = 'Temperature goes from 0 (focused) to 2 (most varied).';
	if (input.maxTokens !== undefined && (!Number.isInteger(input.maxTokens) || input.maxTokens < 1)) errors.maxTokens = 'Max tokens is a whole number above 0.';
	input.fallback.forEach((f, i) => {
		if (!f.provider.trim()) errors[`fallback.${i}`] = 'Choose a provider for this fallback, or remove it.';
	});
	for (const t of input.tools) {
		const problem = isMcpToolRef(t) ? mcpToolRefProblem(t) : TOOL_NAME.test(t) ? undefined : `“${t}” is not a tool name: letters, digits, _ and - only (at most 64), or mcp:<server> for an MCP server’s tools.`;
		if (problem) {
			errors.tools = problem;
			break;
		}
	}
	const m = input.memory;
	if (m.type === 'window' && (!Number.isInteger(m.messages) || m.messages < 1 || m.messages > 200)) errors.memory = 'Keep between 1 and 200 messages.';
	if (m.type === 'summary' && (!Number.isInteger(m.maxTokens) || m.maxTokens < 16 || m.maxTokens > 4000)) errors.memory = 'A summary may hold between 16 and 4,000 tokens.';
	if (Object.keys(errors).length) return { ok: false, errors };
	const clean = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
	return {
		ok: true,
		value: {
			...(input.id ? { id: input.id } : {}),
			name,
			...(clean(input.role) ? { role: clean(input.role) } : {}),
			...(input.system?.trim() ? { system: input.system } : {}),
			...(clean(input.provider) ? { provider: clean(input.provider) } : {}),
			...(clean(input.model) ? { model: clean(input.model) } : {}),
			fallback: input.fallback.map((f) => ({ provider: f.provider.trim(), ...(f.model?.trim() ? { model: f.model.trim() } : {}) })),
			...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
			...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {}),
			tools: [...new Set(input.tools)],
			memory: m
		}
	};
}

// ------------------------------------------------------------------ change notices

const listeners = new Set<() => void>();
let channel: BroadcastChannel | undefined | null;
function bus(): BroadcastChannel | null {
	if (channel === undefined) {
		channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('fsm-studio-agents');
		channel?.addEventListener('message', () => listeners.forEach((f) => f()));
	}
	return channel;
}
function changed() {
	listeners.forEach((f) => f());
	bus()?.postMessage('changed');
}

/** Calls `f` when agents change in this tab or another; returns an unsubscribe. */
export function onAgentsChange(f: () => void): () => void {
	bus();
	listeners.add(f);
	return () => listeners.delete(f);
}

// ------------------------------------------------------------------ CRUD

/** The workspace's agents, by name. */
export async function listAgents(workspaceId = 'default', db: AgentsDb = agentsDb()): Promise<AgentDefinition[]> {
	const all = await db.agents.where('workspaceId').equals(workspaceId).toArray();
	return all.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

export async function getAgent(id: string, db: AgentsDb = agentsDb()): Promise<AgentDefinition | undefined> {
	return db.agents.get(id);
}

function newId(): string {
	const c = globalThis.crypto;
	return c?.randomUUID ? c.randomUUID() : `a${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Validates and saves an agent (new when it has no id); throws an Error listing what to fix. */
export async function saveAgent(input: AgentInput, workspaceId = 'default', db: AgentsDb = agentsDb()): Promise<AgentDefinition> {
	const others = await listAgents(workspaceId, db);
	const v = validateAgent(input, others);
	if (!v.ok) throw Object.assign(new Error(Object.values(v.errors).join(' ')), { errors: v.errors });
	const now = Date.now();
	const old = input.id ? await db.agents.get(input.id) : undefined;
	const { id: _id, ...value } = v.value;
	void _id;
	const rec: AgentDefinition = { ...value, id: old?.id ?? input.id ?? newId(), workspaceId, createdAt: old?.createdAt ?? now, updatedAt: now };
	await db.agents.put(rec);
	changed();
	return rec;
}

/** Deletes an agent; returns it so that the page can offer to undo. */
export async function deleteAgent(id: string, db: AgentsDb = agentsDb()): Promise<AgentDefinition | undefined> {
	const old = await db.agents.get(id);
	await db.agents.delete(id);
	changed();
	return old;
}

/** Puts back a deleted agent exactly as it was (undo). */
export async function restoreAgent(rec: AgentDefinition, db: AgentsDb = agentsDb()): Promise<void> {
	await db.agents.put(rec);
	changed();
}

/** A copy under a free name ("Critic (copy)"). */
export async function duplicateAgent(id: string, db: AgentsDb = agentsDb()): Promise<AgentDefinition | undefined> {
	const a = await db.agents.get(id);
	if (!a) return undefined;
	const names = new Set((await listAgents(a.workspaceId, db)).map((x) => x.name.toLowerCase()));
	let name = `${a.name} (copy)`;
	for (let i = 2; names.has(name.toLowerCase()); i++) name = `${a.name} (copy ${i})`;
	const { id: _i, createdAt: _c, updatedAt: _u, workspaceId, ...rest } = a;
	void _i;
	void _c;
	void _u;
	return saveAgent({ ...rest, name }, workspaceId, db);
}

// ------------------------------------------------------------------ memory

/** Where agents keep what they remember per run. */
export interface MemoryStore {
	get(agentKey: string, runId: string): Promise<AgentMemoryRecord | undefined>;
	put(rec: AgentMemoryRecord): Promise<void>;
}

/** In memory (Node, tests, a browser whose storage refuses). */
export function createMemoryStore(): MemoryStore & { size(): number } {
	const m = new Map<string, AgentMemoryRecord>();
	return {
		async get(agentKey, runId) {
			return m.get(`${agentKey}\u0000${runId}`);
		},
		async put(rec) {
			m.set(`${rec.agentKey}\u0000${rec.runId}`, rec);
		},
		size: () => m.size
	};
}

/** In the agents database; a failing database degrades to forgetting (a memory never fails a run). */
export function createDbMemoryStore(db: () => AgentsDb = agentsDb): MemoryStore {
	const fallback = createMemoryStore();
	return {
		async get(agentKey, runId) {
			try {
				return (await db().memory.get([agentKey, runId])) ?? (await fallback.get(agentKey, runId));
			} catch {
				return fallback.get(agentKey, runId);
			}
		},
		async put(rec) {
			try {
				await db().memory.put(rec);
			} catch {
				await fallback.put(rec);
			}
		}
	};
}
