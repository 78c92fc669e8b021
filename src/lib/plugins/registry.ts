/**
 * Declared effect kinds of a workspace, as the run hosts and the designer use them: read from
 * IndexedDB, kept current when another tab or the Plugins page changes them, and merged into
 * the handlers of live runs (`withDeclaredKinds`), so runs started afterwards use them.
 */
import type { EffectHandler } from '../effects/types';
import { readDeclaredKind, runDeclaredKind, type DeclaredKind } from './kinds';
import { announce, extensionsDb, onAnnounce } from './store';

const loaded = new Map<string, Map<string, DeclaredKind>>();
const watching = new Set<string>();

/** The declared kinds of a workspace, from the database (broken records are skipped). */
export async function listKinds(workspaceId = 'default'): Promise<DeclaredKind[]> {
	const rows = await extensionsDb(workspaceId).kinds.toArray();
	const out: DeclaredKind[] = [];
	for (const r of rows) {
		const k = readDeclaredKind(r.def);
		if (k.ok) out.push(k.kind);
	}
	return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** Stores a kind (checked first); tells the other contexts. */
export async function saveKind(def: unknown, workspaceId = 'default', replacing?: string): Promise<{ ok: true; kind: DeclaredKind } | { ok: false; errors: string[] }> {
	const r = readDeclaredKind(def);
	if (!r.ok) return r;
	const db = extensionsDb(workspaceId);
	await db.transaction('rw', db.kinds, async () => {
		if (replacing && replacing !== r.kind.type) await db.kinds.delete(replacing);
		await db.kinds.put({ type: r.kind.type, def: r.kind, updatedAt: Date.now() });
	});
	await refreshKinds(workspaceId);
	announce(workspaceId, 'kinds');
	return r;
}

export async function deleteKind(type: string, workspaceId = 'default'): Promise<void> {
	await extensionsDb(workspaceId).kinds.delete(type);
	await refreshKinds(workspaceId);
	announce(workspaceId, 'kinds');
}

/** Re-reads the kinds into this context's registry. */
export async function refreshKinds(workspaceId = 'default'): Promise<DeclaredKind[]> {
	const list = await listKinds(workspaceId).catch(() => [] as DeclaredKind[]);
	loaded.set(workspaceId, new Map(list.map((k) => [k.type, k])));
	return list;
}

/** Loads the kinds once and follows changes made elsewhere. */
export function watchKinds(workspaceId = 'default'): Promise<DeclaredKind[]> {
	if (watching.has(workspaceId)) return Promise.resolve(knownKinds(workspaceId));
	watching.add(workspaceId);
	onAnnounce(workspaceId, (what) => {
		if (what === 'kinds') void refreshKinds(workspaceId);
	});
	return refreshKinds(workspaceId);
}

/** The kinds known to this context now (synchronous; empty until loaded). */
export function knownKinds(workspaceId = 'default'): DeclaredKind[] {
	return [...(loaded.get(workspaceId)?.values() ?? [])];
}

/**
 * `base` plus a handler for every declared kind of the workspace. The object follows the
 * registry: a kind declared later is there for the runs started after it (each run reads the
 * handlers when it starts), and an edited kind runs with its new definition.
 */
export function withDeclaredKinds<T extends Record<string, EffectHandler<never>>>(base: T, workspaceId = 'default'): T {
	void watchKinds(workspaceId);
	const declared = () => loaded.get(workspaceId) ?? new Map<string, DeclaredKind>();
	const handler = (type: string): EffectHandler<never> =>
		((params: Record<string, unknown>, ctx: Parameters<typeof runDeclaredKind>[2]) => {
			const k = declared().get(type);
			if (!k) throw new Error(`The effect kind "${type}" is no longer declared in this workspace.`);
			return runDeclaredKind(k, params, ctx);
		}) as EffectHandler<never>;
	return new Proxy(base, {
		get(target, prop, receiver) {
			if (typeof prop === 'string' && !(prop in target) && declared().has(prop)) return handler(prop);
			return Reflect.get(target, prop, receiver);
		},
		has(target, prop) {
			return Reflect.has(target, prop) || (typeof prop === 'string' && declared().has(prop));
		},
		ownKeys(target) {
			return [...new Set([...Reflect.ownKeys(target), ...declared().keys()])];
		},
		getOwnPropertyDescriptor(target, prop) {
			const own = Reflect.getOwnPropertyDescriptor(target, prop);
			if (own) return own;
			if (typeof prop === 'string' && declared().has(prop)) return { value: handler(prop), enumerable: true, configurable: true, writable: false };
			return undefined;
		}
	});
}
