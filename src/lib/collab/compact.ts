/**
 * History compaction: keeps a workflow edited for months small and quick to open.
 *
 * A version is normally a Yjs snapshot, read back from the deleted content the document
 * keeps (gc off). That content only grows, so now and then (when a workflow is opened with a
 * long history) the history is compacted:
 *
 *  1. thinned: named versions, restores and merges are always kept, and so are the last
 *     `keepLast` versions; older automatic checkpoints keep one per hour for `hourlyFor`,
 *     then one per day;
 *  2. the versions kept become self-contained: their workflows go into one archive (in
 *     `doc.getMap('archives')`: the oldest in full, each next one as a line edit of the one
 *     before, gzipped), and each keeps a snapshot with its state vector only (still enough
 *     for "who changed what"). An archive is written whole by one compaction, so two peers
 *     compacting at once each write a complete one;
 *  3. Yjs garbage-collects the deleted content no version needs any more; the document
 *     keeps the identity of everything it holds, so it still merges with every peer.
 *
 * The caller then rewrites the stored document (persistence `rewrite`).
 */
import * as Y from 'yjs';
import { gunzipSync, gzipSync, strFromU8, strToU8 } from 'fflate';
import type { Workflow } from '../model/types';
import { readWorkflow } from './binding';
import { fromBase64, toBase64 } from './crypto';
import { lineDiff } from './diff';
import { HISTORY_ORIGIN, historyArray, type Version } from './history';

function newArchiveId(): string {
	const a = new Uint8Array(6);
	crypto.getRandomValues(a);
	return [...a].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface CompactPolicy {
	/** The newest versions always kept (default 30). */
	keepLast?: number;
	/** Older automatic checkpoints: one per hour this far back, then one per day (ms, default 7 days). */
	hourlyFor?: number;
	now?: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Where compaction archives live: archive id → base64 gzip of the archive's JSON. */
export const ARCHIVES = 'archives';

interface Archive {
	/** The first workflow's JSON text, then each next one as an edit of the one before. */
	first: string;
	/** Edit scripts: a number n > 0 keeps n lines, n < 0 drops -n lines, a string array adds lines. */
	deltas: (number | string[])[][];
}

const text = (wf: Workflow) => JSON.stringify(wf, null, 1);

function delta(a: string, b: string): (number | string[])[] {
	const out: (number | string[])[] = [];
	for (const l of lineDiff(a, b, Infinity)) {
		const last = out[out.length - 1];
		if (l.op === '+') {
			if (Array.isArray(last)) last.push(l.text);
			else out.push([l.text]);
		} else {
			const n = l.op === ' ' ? 1 : -1;
			if (typeof last === 'number' && Math.sign(last) === n) out[out.length - 1] = last + n;
			else out.push(n);
		}
	}
	return out;
}

function patch(a: string, d: (number | string[])[]): string {
	const x = a.split('\n');
	const out: string[] = [];
	let i = 0;
	for (const op of d) {
		if (Array.isArray(op)) out.push(...op);
		else if (op > 0) {
			out.push(...x.slice(i, i + op));
			i += op;
		} else i -= op;
	}
	return out.join('\n');
}

/** One archive holding workflows (oldest first), each stored as a line edit of the one before, gzipped. */
export function packArchive(workflows: Workflow[]): string {
	const texts = workflows.map(text);
	const a: Archive = { first: texts[0] ?? '', deltas: texts.slice(1).map((t, i) => delta(texts[i], t)) };
	return toBase64(gzipSync(strToU8(JSON.stringify(a)), { level: 9 }));
}

/** Every workflow of an archive, oldest first. */
export function unpackArchive(packed: string): Workflow[] {
	const a = JSON.parse(strFromU8(gunzipSync(fromBase64(packed)))) as Archive;
	const texts = [a.first];
	for (const d of a.deltas) texts.push(patch(texts[texts.length - 1], d));
	return texts.map((t) => JSON.parse(t) as Workflow);
}

const cache = new Map<string, Workflow[]>();

/** The workflow of a version a compaction archived. */
export function archivedWorkflow(doc: Y.Doc, v: Version): Workflow {
	const packed = doc.getMap<string>(ARCHIVES).get(v.archive ?? '');
	if (typeof packed !== 'string') throw new Error(`The archive of version "${v.name ?? v.id}" is missing.`);
	let all = cache.get(packed);
	if (!all) {
		all = unpackArchive(packed);
		cache.clear();
		cache.set(packed, all);
	}
	const wf = all[v.index ?? -1];
	if (!wf) throw new Error(`Version "${v.name ?? v.id}" is not in its archive.`);
	return JSON.parse(JSON.stringify(wf)) as Workflow;
}

/** Ids of the versions a compaction keeps (`versions` oldest first). */
export function versionsToKeep(versions: Version[], policy: CompactPolicy = {}): Set<string> {
	const keepLast = policy.keepLast ?? 30;
	const hourlyFor = policy.hourlyFor ?? 7 * DAY;
	const now = policy.now ?? Date.now();
	const keep = new Set<string>();
	const buckets = new Set<string>();
	// newest first, so the newest of each hour/day is the one kept
	const newestFirst = [...versions].reverse();
	newestFirst.forEach((v, i) => {
		if (i < keepLast || v.kind !== 'auto') {
			keep.add(v.id);
			return;
		}
		const bucket = now - v.at < hourlyFor ? `h${Math.floor(v.at / HOUR)}` : `d${Math.floor(v.at / DAY)}`;
		if (buckets.has(bucket)) return;
		buckets.add(bucket);
		keep.add(v.id);
	});
	// the first version (the workflow as created) anchors "who changed what" for the next one
	if (versions[0]) keep.add(versions[0].id);
	return keep;
}

/** True when the history is long enough (or holds enough unpacked versions) to compact. */
export function needsCompaction(doc: Y.Doc, policy: CompactPolicy = {}): boolean {
	const list = historyArray(doc).toArray();
	const unpacked = list.filter((v) => v && !v.archive).length;
	return unpacked > (policy.keepLast ?? 30) * 2 || list.length > versionsToKeep(list, policy).size + 20;
}

export interface CompactResult {
	removed: number;
	packed: number;
	bytesBefore: number;
	bytesAfter: number;
}

/**
 * Compacts the history of `doc` in place (see the file comment). Run it before an undo
 * manager records anything: undoing a deletion needs the content this collects.
 */
export function compactHistory(doc: Y.Doc, policy: CompactPolicy = {}): CompactResult {
	const bytesBefore = Y.encodeStateAsUpdate(doc).length;
	const arr = historyArray(doc);
	const raw = arr.toArray().filter((v) => v && typeof v.snapshot === 'string');
	// one entry per id (two peers compacting at once can both write a packed copy)
	const byId = new Map<string, Version>();
	for (const v of raw) if (!byId.has(v.id) || (v.archive && !byId.get(v.id)!.archive)) byId.set(v.id, v);
	const versions = [...byId.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
	const keep = versionsToKeep(versions, policy);
	const archiveId = newArchiveId();
	const workflows: Workflow[] = [];
	const kept: Version[] = [];
	let packed = 0;
	for (const v of versions) {
		if (!keep.has(v.id)) continue;
		let wf: Workflow;
		let sv: string = v.snapshot;
		if (v.archive) wf = archivedWorkflow(doc, v);
		else {
			const snap = Y.decodeSnapshotV2(fromBase64(v.snapshot));
			const old = Y.createDocFromSnapshot(doc, snap);
			wf = readWorkflow(old);
			old.destroy();
			sv = toBase64(Y.encodeSnapshotV2(Y.createSnapshot(Y.createDeleteSet(), snap.sv)));
			packed++;
		}
		kept.push({ ...v, snapshot: sv, archive: archiveId, index: workflows.length });
		workflows.push(wf);
	}
	const removed = versions.length - kept.length;
	const archives = doc.getMap<string>(ARCHIVES);
	doc.transact(() => {
		arr.delete(0, arr.length);
		arr.push(kept);
		for (const k of [...archives.keys()]) archives.delete(k);
		archives.set(archiveId, packArchive(workflows));
	}, HISTORY_ORIGIN);
	// no version reads deleted content any more: collect it
	Y.tryGc(Y.createDeleteSetFromStructStore(doc.store), doc.store, () => true);
	return { removed, packed, bytesBefore, bytesAfter: Y.encodeStateAsUpdate(doc).length };
}
