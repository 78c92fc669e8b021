/**
 * The command line's event store: one folder per workspace on disk, with per instance a
 * metadata file (the workflow it runs, when it started) and its events as JSON Lines. Like
 * the browser's IndexedDB store, the recorded inputs are the source of truth: an instance
 * is rebuilt by replaying them (event sourcing), so a restarted server resumes it.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayInputs, type RecordedInput } from '../engine';
import type { InstanceEvent, PersistedSnapshot } from '../engine/types';
import type { Workflow } from '../model/types';

export interface InstanceMeta {
	id: string;
	workflowId: string;
	workflowName: string;
	/** The workflow as this instance runs it (a later edit of the file does not change it). */
	workflow: Workflow;
	createdAt: number;
	startedAt: number;
	/** File the workflow came from, when it came from one. */
	file?: string;
}

/** A stored event line: the engine's event plus the instance-wide sequence number. */
export type StoredLine = InstanceEvent & { n: number };

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

export class DiskEventStore {
	private readonly pending = new Map<string, string[]>();
	private readonly counters = new Map<string, number>();
	private scheduled = false;

	constructor(readonly dir: string) {
		mkdirSync(dir, { recursive: true });
	}

	private metaPath(id: string) {
		return join(this.dir, `${checkId(id)}.json`);
	}
	private logPath(id: string) {
		return join(this.dir, `${checkId(id)}.events.jsonl`);
	}

	createInstance(meta: InstanceMeta): void {
		const tmp = `${this.metaPath(meta.id)}.tmp`;
		writeFileSync(tmp, JSON.stringify(meta, null, 2));
		renameSync(tmp, this.metaPath(meta.id));
		this.counters.set(meta.id, 0);
	}

	has(id: string): boolean {
		return SAFE_ID.test(id) && existsSync(this.metaPath(id));
	}

	meta(id: string): InstanceMeta | undefined {
		if (!this.has(id)) return undefined;
		return JSON.parse(readFileSync(this.metaPath(id), 'utf8')) as InstanceMeta;
	}

	/** Every instance on disk, newest first. */
	list(): InstanceMeta[] {
		const out: InstanceMeta[] = [];
		for (const f of readdirSync(this.dir)) {
			if (!f.endsWith('.json')) continue;
			try {
				out.push(JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as InstanceMeta);
			} catch {
				/* a half-written or foreign file: skip it */
			}
		}
		return out.sort((a, b) => b.createdAt - a.createdAt);
	}

	/** Queues an event; lines are written together at the end of the current task (or on flush). */
	append(id: string, e: InstanceEvent): void {
		const n = (this.counters.get(id) ?? this.countLines(id)) + 1;
		this.counters.set(id, n);
		let q = this.pending.get(id);
		if (!q) this.pending.set(id, (q = []));
		q.push(JSON.stringify({ n, ...e }));
		if (!this.scheduled) {
			this.scheduled = true;
			queueMicrotask(() => this.flush());
		}
	}

	/** Writes every queued line now. */
	flush(): void {
		this.scheduled = false;
		for (const [id, lines] of this.pending) if (lines.length) appendFileSync(this.logPath(id), lines.join('\n') + '\n');
		this.pending.clear();
	}

	/** All stored events of an instance, in order. */
	events(id: string): StoredLine[] {
		this.flush();
		const p = this.logPath(id);
		if (!existsSync(p)) return [];
		const out: StoredLine[] = [];
		for (const line of readFileSync(p, 'utf8').split('\n')) {
			if (!line) continue;
			try {
				out.push(JSON.parse(line) as StoredLine);
			} catch {
				// a line cut short by a crash is the last one: everything before it is intact
				break;
			}
		}
		return out;
	}

	/** Rebuilds an instance's state from its recorded inputs. */
	replay(id: string): PersistedSnapshot | undefined {
		const meta = this.meta(id);
		if (!meta) return undefined;
		const inputs: RecordedInput[] = [];
		for (const e of this.events(id)) if (e.kind === 'input') inputs.push({ seq: e.seq, time: e.time, event: e.event });
		return replayInputs(meta.workflow, inputs, undefined, { startTime: meta.startedAt });
	}

	private countLines(id: string): number {
		const p = this.logPath(id);
		if (!existsSync(p)) return 0;
		return this.events(id).length;
	}
}

function checkId(id: string): string {
	if (!SAFE_ID.test(id)) throw new Error(`"${id}" is not a valid instance id (letters, digits, '.', '_' and '-' only).`);
	return id;
}
