/**
 * State of the Knowledge page: the bases and documents of the workspace, running jobs and
 * model downloads, kept live from the knowledge worker's events.
 */
import * as Comlink from 'comlink';
import { getKnowledgeClient, type KnowledgeClient } from '$lib/ai/retrieval/client';
import type { BaseSummary, JobState, KnowledgeEvent } from '$lib/ai/retrieval/service';
import type { ModelLoadProgress } from '$lib/ai/embeddings/types';
import type { DocumentRecord } from '$lib/store/knowledge-db';

export interface ModelDownload {
	modelKey: string;
	model: string;
	/** Bytes per file. */
	files: Record<string, { loaded: number; total: number }>;
	done: boolean;
}

export class KnowledgeState {
	client = $state<KnowledgeClient | null>(null);
	error = $state<string | null>(null);
	bases = $state<BaseSummary[] | null>(null);
	documents = $state<DocumentRecord[] | null>(null);
	selectedId = $state<string | null>(null);
	jobs = $state<Record<string, JobState>>({});
	downloads = $state<Record<string, ModelDownload>>({});
	warnings = $state<string[]>([]);
	readonly selected = $derived(this.bases?.find((b) => b.id === this.selectedId) ?? null);
	readonly activeJobs = $derived(Object.values(this.jobs).filter((j) => j.baseId === this.selectedId && (j.status === 'queued' || j.status === 'running')));
	private listener: number | null = null;
	private refreshing = false;
	private again = false;

	constructor(private readonly workspaceId = 'default') {}

	async open(): Promise<void> {
		try {
			const c = await getKnowledgeClient(this.workspaceId);
			this.client = c;
			this.listener = await c.subscribe(Comlink.proxy((e: KnowledgeEvent) => this.onEvent(e)));
			for (const j of await c.listJobs()) this.jobs[j.id] = j;
			await this.refresh();
		} catch (e) {
			this.error = `The knowledge store could not be opened: ${(e as Error).message}. Reload the page; if it persists, your browser may block storage for this site.`;
		}
	}

	close(): void {
		if (this.client && this.listener !== null) void this.client.unsubscribe(this.listener).catch(() => {});
	}

	private onEvent(e: KnowledgeEvent) {
		if (e.type === 'job') {
			this.jobs[e.job.id] = e.job;
			if (e.job.status === 'done' || e.job.status === 'cancelled' || e.job.status === 'failed') {
				const id = e.job.id;
				setTimeout(() => {
					if (this.jobs[id]?.status === e.job.status) delete this.jobs[id];
				}, 8000);
			}
		} else if (e.type === 'model') this.onModel(e.modelKey, e.progress);
		else if (e.type === 'warning') this.warnings = [...this.warnings.slice(-4), e.message];
		else void this.refresh();
	}

	private onModel(key: string, p: ModelLoadProgress) {
		const d = this.downloads[key] ?? { modelKey: key, model: p.model, files: {}, done: false };
		if (p.file && (p.status === 'progress' || p.status === 'done') && p.total) d.files[p.file] = { loaded: p.status === 'done' ? p.total : (p.loaded ?? 0), total: p.total };
		if (p.status === 'ready') d.done = true;
		this.downloads[key] = { ...d };
	}

	/** Re-reads bases and the selected base's documents (coalesced). */
	async refresh(): Promise<void> {
		if (!this.client) return;
		if (this.refreshing) {
			this.again = true;
			return;
		}
		this.refreshing = true;
		try {
			do {
				this.again = false;
				const bases = await this.client.listBases();
				this.bases = bases;
				if (!this.selectedId || !bases.some((b) => b.id === this.selectedId)) this.selectedId = bases[0]?.id ?? null;
				this.documents = this.selectedId ? await this.client.listDocuments(this.selectedId) : [];
			} while (this.again);
		} catch (e) {
			this.error = `Could not read the knowledge bases: ${(e as Error).message}`;
		} finally {
			this.refreshing = false;
		}
	}

	async select(id: string | null): Promise<void> {
		this.selectedId = id;
		this.documents = null;
		await this.refresh();
	}
}

export function formatBytes(n: number): string {
	if (n < 1024) return `${n} B`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
	return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
