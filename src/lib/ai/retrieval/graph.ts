/**
 * Graph retrieval: chunks are nodes; edges join neighbouring chunks of a document, chunks
 * under the same heading, chunks naming the same entity, and chunks that link to another
 * document with that document. Expanding from the best semantic and keyword hits finds
 * passages that share no words with the query but belong with those that do.
 */
import { isSpace, isWordChar } from './text';

/** Edge weights (how much of a seed's weight flows along each kind of edge). */
export const EDGE_WEIGHTS = { neighbour: 0.8, section: 0.6, entity: 0.5, link: 0.7, backlink: 0.5 } as const;

export type EdgeKind = keyof typeof EDGE_WEIGHTS;

export interface GraphNode {
	id: number;
	docId: number;
	index: number;
	/** Heading path, outermost first. */
	headings: string[];
	/** Normalized entity keys found in the chunk. */
	entities: string[];
	/** Raw link targets found in the chunk (URLs, file names, wiki titles). */
	links: string[];
}

export interface GraphDoc {
	id: number;
	title: string;
	/** File name or URL the document came from. */
	source: string;
}

const STOP = new Set(
	'a an and are as at be but by for from has have he her his i if in into is it its me my no not of on or our she so that the their them then there these they this those to us was we were what when where which while who why will with you your yes also after before here how all any each every some such than too very can may might must should would could shall'.split(
		' '
	)
);

function isUpper(ch: string): boolean {
	return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/**
 * Named entities by shape: runs of capitalized words ("Ada Lovelace", "Grand Central
 * Station"), acronyms ("NASA"), and capitalized words inside a sentence ("in Paris").
 * A capitalized first word of a sentence counts only as part of a longer run.
 */
export function extractEntities(text: string): string[] {
	const found = new Set<string>();
	let run: string[] = [];
	let runAtStart = false;
	let sentenceStart = true;
	const flush = () => {
		while (run.length && STOP.has(run[0].toLowerCase())) {
			run.shift();
			runAtStart = false;
		}
		while (run.length && STOP.has(run[run.length - 1].toLowerCase())) run.pop();
		if (run.length >= 2 || (run.length === 1 && (!runAtStart || /^[A-Z0-9]{2,}$/.test(run[0])) && run[0].length > 1)) {
			found.add(run.join(' ').toLowerCase());
		}
		run = [];
	};
	let i = 0;
	const n = text.length;
	while (i < n) {
		const c = text.charCodeAt(i);
		if (!isWordChar(c)) {
			if (!isSpace(c)) {
				// punctuation ends a run; sentence ends also start a new sentence
				flush();
				if (c === 46 || c === 33 || c === 63 || c === 10 || c === 35 || c === 58) sentenceStart = true;
			} else if (c === 10) {
				flush();
				sentenceStart = true;
			}
			i++;
			continue;
		}
		const a = i;
		while (i < n && (isWordChar(text.charCodeAt(i)) || (text.charCodeAt(i) === 39 && isWordChar(text.charCodeAt(i + 1))))) i++;
		const word = text.slice(a, i);
		if (isUpper(word[0]) && !/^\d/.test(word)) {
			if (run.length === 0) runAtStart = sentenceStart;
			run.push(word);
		} else if (run.length && (word === 'of' || word === 'de' || word === 'von' || word === 'van') && i < n && isUpper(text[i + 1] ?? '')) {
			run.push(word);
		} else flush();
		sentenceStart = false;
	}
	flush();
	return [...found];
}

/** Link targets in Markdown links, bare URLs and [[wiki links]]. */
export function extractLinks(text: string): string[] {
	const out = new Set<string>();
	for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.add(m[1]);
	for (const m of text.matchAll(/\[\[([^\]|]+)(?:\|[^\]]*)?\]\]/g)) out.add(m[1].trim());
	for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>()"']+[^\s<>()"'.,;:!?]/g)) out.add(m[0]);
	return [...out];
}

function normTarget(t: string): string {
	let s = t.trim().toLowerCase();
	try {
		s = decodeURIComponent(s);
	} catch {
		/* keep as is */
	}
	return s.replace(/[#?].*$/, '').replace(/\/+$/, '');
}

function baseName(s: string): string {
	const b = s.split('/').pop() ?? s;
	return b.replace(/\.(md|markdown|txt|html?|pdf|json|csv)$/, '');
}

export interface Expansion {
	id: number;
	score: number;
	/** Why the node was reached, in words (for the playground). */
	reasons: string[];
}

export class ChunkGraph {
	private readonly nodes = new Map<number, GraphNode>();
	private readonly docs = new Map<number, GraphDoc>();
	private readonly byDoc = new Map<number, number[]>();
	private readonly bySection = new Map<string, Set<number>>();
	private readonly byEntity = new Map<string, Set<number>>();
	private dirtyDocs = true;
	private linkTargets = new Map<number, number[]>();
	private backlinks = new Map<number, number[]>();

	get size(): number {
		return this.nodes.size;
	}

	setDocument(doc: GraphDoc): void {
		this.docs.set(doc.id, doc);
		this.dirtyDocs = true;
	}

	add(node: GraphNode): void {
		if (this.nodes.has(node.id)) this.remove(node.id);
		this.nodes.set(node.id, node);
		let list = this.byDoc.get(node.docId);
		if (!list) this.byDoc.set(node.docId, (list = []));
		list.push(node.id);
		const sk = sectionKey(node);
		let sec = this.bySection.get(sk);
		if (!sec) this.bySection.set(sk, (sec = new Set()));
		sec.add(node.id);
		for (const e of node.entities) {
			let s = this.byEntity.get(e);
			if (!s) this.byEntity.set(e, (s = new Set()));
			s.add(node.id);
		}
		this.dirtyDocs = true;
	}

	remove(id: number): void {
		const node = this.nodes.get(id);
		if (!node) return;
		this.nodes.delete(id);
		const list = this.byDoc.get(node.docId);
		if (list) {
			const i = list.indexOf(id);
			if (i >= 0) list.splice(i, 1);
			if (list.length === 0) this.byDoc.delete(node.docId);
		}
		this.bySection.get(sectionKey(node))?.delete(id);
		for (const e of node.entities) this.byEntity.get(e)?.delete(id);
		this.dirtyDocs = true;
	}

	removeDocument(docId: number): void {
		for (const id of [...(this.byDoc.get(docId) ?? [])]) this.remove(id);
		this.docs.delete(docId);
		this.dirtyDocs = true;
	}

	clear(): void {
		this.nodes.clear();
		this.docs.clear();
		this.byDoc.clear();
		this.bySection.clear();
		this.byEntity.clear();
		this.dirtyDocs = true;
	}

	/** Resolves link targets to documents (by URL, file name or title). */
	private resolveLinks() {
		if (!this.dirtyDocs) return;
		for (const list of this.byDoc.values()) list.sort((a, b) => this.nodes.get(a)!.index - this.nodes.get(b)!.index);
		const byKey = new Map<string, number>();
		for (const d of this.docs.values()) {
			const src = normTarget(d.source);
			if (src) {
				byKey.set(src, d.id);
				byKey.set(baseName(src), d.id);
			}
			if (d.title) byKey.set(d.title.trim().toLowerCase(), d.id);
		}
		this.linkTargets = new Map();
		this.backlinks = new Map();
		for (const node of this.nodes.values()) {
			const targets: number[] = [];
			for (const l of node.links) {
				const t = normTarget(l);
				const doc = byKey.get(t) ?? byKey.get(baseName(t));
				if (doc !== undefined && doc !== node.docId && !targets.includes(doc)) targets.push(doc);
			}
			if (targets.length) {
				this.linkTargets.set(node.id, targets);
				for (const d of targets) {
					let b = this.backlinks.get(d);
					if (!b) this.backlinks.set(d, (b = []));
					b.push(node.id);
				}
			}
		}
		this.dirtyDocs = false;
	}

	/** The neighbours of one chunk with the kind of each edge. */
	edges(id: number): { id: number; kind: EdgeKind; detail?: string }[] {
		this.resolveLinks();
		const node = this.nodes.get(id);
		if (!node) return [];
		const out: { id: number; kind: EdgeKind; detail?: string }[] = [];
		const list = this.byDoc.get(node.docId) ?? [];
		const pos = list.indexOf(id);
		if (pos > 0) out.push({ id: list[pos - 1], kind: 'neighbour' });
		if (pos >= 0 && pos < list.length - 1) out.push({ id: list[pos + 1], kind: 'neighbour' });
		const section = node.headings.length ? this.bySection.get(sectionKey(node)) : undefined;
		// a long section (a book chapter) is not one topic: only its nearby chunks count
		if (section && section.size <= 50) {
			for (const other of section) if (other !== id) out.push({ id: other, kind: 'section' });
		} else if (section) {
			for (const other of list.slice(Math.max(0, pos - 3), pos + 4)) if (other !== id && section.has(other)) out.push({ id: other, kind: 'section' });
		}
		for (const e of node.entities) {
			const s = this.byEntity.get(e);
			// an entity in very many chunks says little about any of them
			if (!s || s.size > 50) continue;
			for (const other of s) if (other !== id) out.push({ id: other, kind: 'entity', detail: e });
		}
		for (const d of this.linkTargets.get(id) ?? []) {
			const first = this.byDoc.get(d)?.[0];
			if (first !== undefined) out.push({ id: first, kind: 'link', detail: this.docs.get(d)?.title });
		}
		for (const other of this.backlinks.get(node.docId) ?? []) if (other !== id) out.push({ id: other, kind: 'backlink', detail: this.docs.get(this.nodes.get(other)!.docId)?.title });
		return out;
	}

	/**
	 * Spreads the seeds' weights one step along the edges. A node's score is the sum over
	 * its edges from seeds of seedWeight × edgeWeight × (0.5 + 0.5 × relevance), where
	 * `relevance` (e.g. the node's cosine to the query) keeps the expansion on topic. Seeds
	 * themselves appear only when another seed reaches them.
	 */
	expand(seeds: { id: number; weight: number }[], relevance?: (id: number) => number, allow?: (id: number) => boolean): Expansion[] {
		const scores = new Map<number, Expansion>();
		const label = (id: number) => {
			const n = this.nodes.get(id);
			return n ? `${this.docs.get(n.docId)?.title ?? 'document'} #${n.index + 1}` : `#${id}`;
		};
		for (const seed of seeds) {
			const seen = new Set<number>();
			for (const e of this.edges(seed.id)) {
				// one contribution per (seed, node): the strongest edge
				if (seen.has(e.id) || (allow && !allow(e.id))) continue;
				seen.add(e.id);
				const rel = relevance ? Math.max(0, Math.min(1, relevance(e.id))) : 1;
				const s = seed.weight * EDGE_WEIGHTS[e.kind] * (0.5 + 0.5 * rel);
				let x = scores.get(e.id);
				if (!x) scores.set(e.id, (x = { id: e.id, score: 0, reasons: [] }));
				x.score += s;
				const why =
					e.kind === 'neighbour'
						? `next to ${label(seed.id)}`
						: e.kind === 'section'
							? `same section as ${label(seed.id)}`
							: e.kind === 'entity'
								? `mentions “${e.detail}” like ${label(seed.id)}`
								: e.kind === 'link'
									? `linked from ${label(seed.id)}`
									: `links to the document of ${label(seed.id)}`;
				if (x.reasons.length < 3) x.reasons.push(why);
			}
		}
		return [...scores.values()].sort((a, b) => b.score - a.score || a.id - b.id);
	}
}

function sectionKey(n: GraphNode): string {
	return n.docId + '\u0000' + n.headings.join('\u0000');
}
