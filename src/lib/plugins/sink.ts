/**
 * Where the run hosts hand every instance event to the workspace's plugins: reads which
 * plugins are on (and follows changes), turns events into output with `observe`, and writes
 * it in batches (audit entries chained in order). Cheap when no plugin is on: one boolean.
 */
import type { InstanceEvent } from '../engine/types';
import { AUDIT_GENESIS, DEFAULT_AUDIT, DEFAULT_LOGGER, chainAudit, observe, type AuditConfig, type Entry, type LoggerConfig, type PluginSettings, type RunInfo } from './observers';
import { extensionsDb, onAnnounce, type ExtensionsDb } from './store';

export interface PluginSink {
	observe(run: RunInfo, e: InstanceEvent): void;
	/** Writes what is buffered now. */
	flush(): Promise<void>;
	/** Re-reads the settings (the page calls it after a change in this context). */
	reload(): Promise<void>;
	close(): Promise<void>;
}

/** The plugin settings of a workspace, with defaults for what was never set. */
export async function readSettings(db: ExtensionsDb): Promise<PluginSettings> {
	const rows = await db.plugins.toArray();
	const get = (id: string) => rows.find((r) => r.id === id);
	const logger = get('logger');
	const audit = get('audit');
	return {
		logger: { enabled: !!logger?.enabled, config: { ...DEFAULT_LOGGER, ...((logger?.config ?? {}) as Partial<LoggerConfig>) } },
		audit: { enabled: !!audit?.enabled, config: { ...DEFAULT_AUDIT, ...((audit?.config ?? {}) as Partial<AuditConfig>) } }
	};
}

/** A sink for one workspace; `interval` is how often buffered output is written (ms). */
export function createPluginSink(options: { workspaceId?: string; db?: ExtensionsDb; interval?: number } = {}): PluginSink {
	const workspaceId = options.workspaceId ?? 'default';
	const db = options.db ?? extensionsDb(workspaceId);
	const interval = options.interval ?? 250;
	let settings: PluginSettings = {};
	let active = false;
	let buffer: Entry[] = [];
	let timer: ReturnType<typeof setTimeout> | null = null;
	let writing: Promise<void> = Promise.resolve();
	let closed = false;

	const reload = async () => {
		try {
			settings = await readSettings(db);
		} catch {
			settings = {};
		}
		active = !!(settings.logger?.enabled || settings.audit?.enabled);
	};
	const ready = reload();
	const stop = onAnnounce(workspaceId, (what) => {
		if (what === 'plugins') void reload();
	});
	// events that arrive before the settings are read wait for them
	let early: { run: RunInfo; e: InstanceEvent }[] | null = [];
	void ready.then(() => {
		const q = early ?? [];
		early = null;
		for (const x of q) sinkObserve(x.run, x.e);
	});

	function schedule() {
		if (timer || closed) return;
		timer = setTimeout(() => {
			timer = null;
			void flush();
		}, interval);
	}

	function sinkObserve(run: RunInfo, e: InstanceEvent) {
		if (early) {
			if (early.length < 10_000) early.push({ run, e });
			return;
		}
		if (!active) return;
		const out = observe(settings, run, e);
		if (!out.length) return;
		buffer.push(...out);
		schedule();
	}

	async function write(batch: Entry[]) {
		if (!batch.length) return;
		const audits = batch.filter((b) => b.plugin === 'audit');
		const logs = batch.filter((b) => b.plugin === 'logger');
		await db.transaction('rw', db.output, async () => {
			if (logs.length) await db.output.bulkAdd(logs);
			if (audits.length) {
				// entries of one index key come in primary-key order: the last one is the newest
				const last = await db.output.where('plugin').equals('audit').last();
				const prev = last?.hash ?? AUDIT_GENESIS;
				await db.output.bulkAdd(await chainAudit(audits, prev));
			}
			const max = settings.logger?.config.maxEntries ?? DEFAULT_LOGGER.maxEntries;
			const count = await db.output.where('plugin').equals('logger').count();
			if (count > max) {
				const old = await db.output.where('plugin').equals('logger').limit(count - max).primaryKeys();
				await db.output.bulkDelete(old);
			}
		});
	}

	function flush(): Promise<void> {
		const batch = buffer;
		buffer = [];
		// one write at a time, so the audit chain is extended in order
		writing = writing.then(() => write(batch)).catch(() => undefined);
		return writing;
	}

	return {
		observe: sinkObserve,
		flush: async () => {
			await ready;
			await flush();
		},
		reload,
		async close() {
			await ready;
			closed = true;
			if (timer) clearTimeout(timer);
			stop();
			await flush();
		}
	};
}
