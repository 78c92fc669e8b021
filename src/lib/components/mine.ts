/** The user's own components, kept in the workspace's extensions database (other tabs are told). */
import { readComponent, type ComponentDef } from '.';
import { announce, extensionsDb, onAnnounce } from '../plugins/store';

export async function listMyComponents(workspaceId = 'default'): Promise<ComponentDef[]> {
	const rows = await extensionsDb(workspaceId).components.toArray();
	const out: ComponentDef[] = [];
	for (const r of rows) {
		const c = readComponent(r.def);
		if (c.ok) out.push(c.component);
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

export async function saveMyComponent(def: ComponentDef, workspaceId = 'default'): Promise<void> {
	await extensionsDb(workspaceId).components.put({ id: def.id, def, updatedAt: Date.now() });
	announce(workspaceId, 'components');
}

export async function deleteMyComponent(id: string, workspaceId = 'default'): Promise<void> {
	await extensionsDb(workspaceId).components.delete(id);
	announce(workspaceId, 'components');
}

export function onMyComponentsChange(fn: () => void, workspaceId = 'default'): () => void {
	return onAnnounce(workspaceId, (what) => {
		if (what === 'components') fn();
	});
}
