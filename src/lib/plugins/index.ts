/**
 * Workspace plugins: the Logger and Audit observers of every transition and effect, and effect
 * kinds declared as data. Settings and output live in the workspace's extensions database.
 */
import { extensionsDb, announce, type PluginId, type OutputRecord } from './store';
import { readSettings } from './sink';
import { verifyAudit, type AuditConfig, type LoggerConfig, type PluginSettings } from './observers';

export { readDeclaredKind, runDeclaredKind, declaredHandlers, kindInfo, paramsProblems, EXAMPLE_KIND, KIND_FORMAT, type DeclaredKind } from './kinds';
export { listKinds, saveKind, deleteKind, refreshKinds, watchKinds, knownKinds, withDeclaredKinds } from './registry';
export { createPluginSink, readSettings, type PluginSink } from './sink';
export { observe, logLine, auditEntry, chainAudit, verifyAudit, DEFAULT_AUDIT, DEFAULT_LOGGER, AUDIT_GENESIS, type RunInfo, type LoggerConfig, type AuditConfig, type PluginSettings } from './observers';
export { extensionsDb, extensionsDbName, type OutputRecord, type PluginId } from './store';

/** The plugin settings of a workspace. */
export function pluginSettings(workspaceId = 'default'): Promise<PluginSettings> {
	return readSettings(extensionsDb(workspaceId));
}

/** Turns a plugin on or off and sets its configuration; the run hosts follow at once. */
export async function setPlugin(id: PluginId, enabled: boolean, config: LoggerConfig | AuditConfig, workspaceId = 'default'): Promise<void> {
	await extensionsDb(workspaceId).plugins.put({ id, enabled, config: { ...config } as Record<string, unknown>, updatedAt: Date.now() });
	announce(workspaceId, 'plugins');
}

/** A plugin's output, newest first. */
export async function pluginOutput(id: PluginId, limit = 500, workspaceId = 'default'): Promise<OutputRecord[]> {
	return extensionsDb(workspaceId).output.where('plugin').equals(id).reverse().limit(limit).toArray();
}

/** Removes a plugin's output (the audit trail starts a new chain). */
export async function clearOutput(id: PluginId, workspaceId = 'default'): Promise<void> {
	await extensionsDb(workspaceId).output.where('plugin').equals(id).delete();
}

/** Checks the whole audit trail: -1 when intact, else the position (oldest first) where it breaks. */
export async function verifyAuditTrail(workspaceId = 'default'): Promise<{ entries: number; brokenAt: number }> {
	const all = await extensionsDb(workspaceId).output.where('plugin').equals('audit').toArray();
	return { entries: all.length, brokenAt: await verifyAudit(all) };
}
