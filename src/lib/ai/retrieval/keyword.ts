/**
 * Keyword retrieval: BM25 through MiniSearch over each chunk's text, its headings and its
 * document's title (boosted), with prefix and fuzzy matching. The index serializes to JSON
 * and is persisted beside the vectors, so a reload does not re-index.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { terms } from './text';

export interface KeywordDoc {
	id: number;
	text: string;
	headings: string;
	title: string;
}

export interface KeywordOptions {
	/** Field boosts (text is 1). */
	boost?: { title?: number; headings?: number };
	/** Fuzziness: a fraction of the term length (0.2) or an edit distance (1, 2); 0 = off. */
	fuzzy?: number;
	prefix?: boolean;
}

export const DEFAULT_KEYWORD = { boost: { title: 2, headings: 1.5 }, fuzzy: 0.2, prefix: true };

export interface KeywordHit {
	id: number;
	score: number;
	/** Document terms that matched (for highlighting). */
	terms: string[];
}

const ACCENTS = /[\u0300-\u036f]/g;

/** Lower case without accents ("Café" and "cafe" match). */
export function foldTerm(term: string): string {
	let ascii = true;
	for (let i = 0; i < term.length; i++) if (term.charCodeAt(i) > 127) ascii = false;
	return ascii ? term.toLowerCase() : term.toLowerCase().normalize('NFD').replace(ACCENTS, '').normalize('NFC');
}

const options = {
	fields: ['text', 'headings', 'title'],
	storeFields: [] as string[],
	tokenize: (text: string) => terms(text),
	processTerm: (term: string) => foldTerm(term) || null
};

export class KeywordIndex {
	private ms: MiniSearch<KeywordDoc>;
	private readonly ids = new Set<number>();

	constructor(ms?: MiniSearch<KeywordDoc>, ids?: Iterable<number>) {
		this.ms = ms ?? new MiniSearch<KeywordDoc>(options);
		if (ids) for (const id of ids) this.ids.add(id);
	}

	/** Restores a persisted index; `ids` are the chunks it holds (kept beside the JSON). */
	static fromJSON(json: string, ids: Iterable<number>): KeywordIndex {
		return new KeywordIndex(MiniSearch.loadJSON<KeywordDoc>(json, options), ids);
	}

	get size(): number {
		return this.ids.size;
	}
	has(id: number): boolean {
		return this.ids.has(id);
	}
	chunkIds(): number[] {
		return [...this.ids];
	}

	addAll(docs: KeywordDoc[]): void {
		const fresh = docs.filter((d) => !this.ids.has(d.id));
		this.ms.addAll(fresh);
		for (const d of fresh) this.ids.add(d.id);
	}

	remove(ids: Iterable<number>): void {
		const gone = [...ids].filter((id) => this.ids.has(id));
		if (gone.length === 0) return;
		this.ms.discardAll(gone);
		for (const id of gone) this.ids.delete(id);
	}

	clear(): void {
		this.ms = new MiniSearch<KeywordDoc>(options);
		this.ids.clear();
	}

	/** BM25 hits, best first (ties by id), at most `limit`. */
	search(query: string, limit: number, o: KeywordOptions = {}, allow?: (id: number) => boolean): KeywordHit[] {
		if (!query.trim() || limit <= 0) return [];
		const fuzzy = o.fuzzy ?? DEFAULT_KEYWORD.fuzzy;
		const results: SearchResult[] = this.ms.search(query, {
			boost: { text: 1, title: o.boost?.title ?? DEFAULT_KEYWORD.boost.title, headings: o.boost?.headings ?? DEFAULT_KEYWORD.boost.headings },
			prefix: (term) => (o.prefix ?? DEFAULT_KEYWORD.prefix) && term.length >= 3,
			fuzzy: (term) => (fuzzy > 0 && term.length >= 4 ? fuzzy : false),
			combineWith: 'OR',
			filter: allow ? (r) => allow(r.id as number) : undefined
		});
		results.sort((a, b) => b.score - a.score || (a.id as number) - (b.id as number));
		return results.slice(0, limit).map((r) => ({ id: r.id as number, score: r.score, terms: r.terms }));
	}

	toJSON(): string {
		return JSON.stringify(this.ms);
	}

	/** Drops discarded documents' leftovers (run after large deletions). */
	async vacuum(): Promise<void> {
		await this.ms.vacuum();
	}
}
