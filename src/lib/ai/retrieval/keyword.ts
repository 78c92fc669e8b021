/**
 * Keyword retrieval: BM25 through MiniSearch over each chunk's text, its headings and its
 * document's title (boosted), with prefix and fuzzy matching. The index serializes to JSON
 * and is persisted beside the vectors, so a reload does not re-index.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { terms } from './text';
import { TopK } from './vector-index';

/** MiniSearch 7's scoring constants (its defaults, which `searchReference` uses). */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
const PREFIX_WEIGHT = 0.375;
const FUZZY_WEIGHT = 0.45;
const MAX_FUZZY = 6;

/** Term data of MiniSearch's index: field id → (short document id → term frequency). */
type FieldTermData = Map<number, Map<number, number>>;

/** The parts of MiniSearch's index the fast scorer reads (MiniSearch 7.2, pinned). */
interface MiniSearchInternals {
	_index: {
		get(term: string): FieldTermData | undefined;
		atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
		fuzzyGet(term: string, distance: number): Map<string, [FieldTermData, number]>;
	};
	_documentIds: Map<number, unknown>;
	_fieldIds: Record<string, number>;
	_fieldLength: Map<number, number[]>;
	_avgFieldLength: number[];
	_documentCount: number;
	_nextId: number;
	_dirtCount: number;
}


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
	private lengths: { key: string; arrays: Float64Array[] } | undefined;
	private scratch: { total: Float64Array; cur: Float64Array; quality: Uint16Array; inTotal: Uint8Array; mark: Int32Array } | undefined;
	private epoch = 0;

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
		this.lengths = undefined;
	}

	/**
	 * BM25 hits, best first (ties by id), at most `limit`: MiniSearch's own scoring (the same
	 * BM25, field boosts, prefix and fuzzy weights, and the bonus for matching several query
	 * words), computed over its index in typed arrays and cut to the best `limit` without
	 * building a result object for every matching chunk — on 100,000 chunks a common word
	 * matches most of them.
	 */
	search(query: string, limit: number, o: KeywordOptions = {}, allow?: (id: number) => boolean): KeywordHit[] {
		if (!query.trim() || limit <= 0) return [];
		const m = this.ms as unknown as MiniSearchInternals;
		const fuzzy = o.fuzzy ?? DEFAULT_KEYWORD.fuzzy;
		const usePrefix = o.prefix ?? DEFAULT_KEYWORD.prefix;
		const boost: Record<string, number> = {
			text: 1,
			headings: o.boost?.headings ?? DEFAULT_KEYWORD.boost.headings,
			title: o.boost?.title ?? DEFAULT_KEYWORD.boost.title
		};
		const fields = options.fields.map((f, pos) => ({ id: m._fieldIds[f], pos, boost: boost[f] || 1, avg: m._avgFieldLength[m._fieldIds[f]] }));
		const lengthsOf = this.fieldLengths(m);
		const words = terms(query)
			.map((t) => foldTerm(t))
			.filter((t) => !!t);
		if (words.length === 0) return [];
		// scratch arrays kept between searches (allocating megabytes per search makes the
		// garbage collector walk the whole index); cleared where this search wrote
		const { total, cur, quality, inTotal, mark } = this.scratchFor(m._nextId + 1);
		const touched: number[] = [];
		const dirty = m._dirtCount > 0;
		const docIds = m._documentIds;
		const n = m._documentCount;
		const counted = new Set<string>();
		const expansions: [string, FieldTermData][] = [];
		for (let wi = 0; wi < words.length; wi++) {
			const word = words[wi];
			const epoch = this.nextEpoch();
			const first = !counted.has(word);
			counted.add(word);
			// the word, then the words it begins, then the words one or two edits away (as MiniSearch)
			const list: [string, FieldTermData, number][] = [];
			const exact = m._index.get(word);
			if (exact) list.push([word, exact, 1]);
			const maxDistance = fuzzy > 0 && word.length >= 4 ? (fuzzy < 1 ? Math.min(MAX_FUZZY, Math.round(word.length * fuzzy)) : fuzzy) : 0;
			const fuzzyMatches = maxDistance ? m._index.fuzzyGet(word, maxDistance) : undefined;
			if (usePrefix && word.length >= 3) {
				for (const [term, data] of m._index.atPrefix(word)) {
					const distance = term.length - word.length;
					if (!distance) continue;
					fuzzyMatches?.delete(term);
					list.push([term, data, (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance)]);
				}
			}
			if (fuzzyMatches) {
				for (const [term, [data, distance]] of fuzzyMatches) {
					if (!distance) continue;
					list.push([term, data, (FUZZY_WEIGHT * term.length) / (term.length + distance)]);
				}
			}
			const hit: number[] = [];
			for (const [term, data, weight] of list) {
				if (first) expansions.push([term, data]);
				for (const f of fields) {
					const freqs = data.get(f.id);
					if (!freqs) continue;
					let df = freqs.size;
					if (dirty) for (const d of freqs.keys()) if (!docIds.has(d)) df--;
					const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
					const w = weight * f.boost;
					const lens = lengthsOf[f.pos];
					const avg = f.avg;
					freqs.forEach((tf, d) => {
						if (dirty && !docIds.has(d)) return;
						// the same expression, in the same order, as MiniSearch's: identical scores
						const score = w * (idf * (BM25.d + (tf * (BM25.k + 1)) / (tf + BM25.k * (1 - BM25.b + (BM25.b * lens[d]) / avg))));
						if (mark[d] !== epoch) {
							mark[d] = epoch;
							hit.push(d);
						}
						cur[d] += score;
					});
				}
			}
			for (const d of hit) {
				if (!inTotal[d]) {
					inTotal[d] = 1;
					touched.push(d);
				}
				total[d] += cur[d];
				cur[d] = 0;
				if (first) quality[d]++;
			}
		}
		const top = new TopK(limit);
		const shortOf = new Map<number, number>();
		for (const d of touched) {
			const id = docIds.get(d) as number;
			const score = total[d] * (quality[d] || 1);
			total[d] = 0;
			quality[d] = 0;
			inTotal[d] = 0;
			if (score >= top.threshold && (!allow || allow(id))) {
				top.push(id, score);
				shortOf.set(id, d);
			}
		}
		return top.result().map((h) => {
			const d = shortOf.get(h.id)!;
			const matched: string[] = [];
			for (const [term, data] of expansions) {
				if (matched.includes(term)) continue;
				for (const f of fields) if (data.get(f.id)?.has(d)) {
					matched.push(term);
					break;
				}
			}
			return { id: h.id, score: h.score, terms: matched };
		});
	}

	private scratchFor(size: number) {
		if (!this.scratch || this.scratch.total.length < size) {
			const cap = Math.max(size, Math.ceil((this.scratch?.total.length ?? 0) * 1.5));
			this.scratch = { total: new Float64Array(cap), cur: new Float64Array(cap), quality: new Uint16Array(cap), inTotal: new Uint8Array(cap), mark: new Int32Array(cap) };
			this.epoch = 0;
		}
		return this.scratch;
	}

	private nextEpoch(): number {
		if (this.epoch >= 0x7ffffff0) {
			this.scratch!.mark.fill(0);
			this.epoch = 0;
		}
		return ++this.epoch;
	}

	/** Each field's length per short document id, as typed arrays (rebuilt after changes). */
	private fieldLengths(m: MiniSearchInternals): Float64Array[] {
		const key = `${m._nextId}:${m._documentCount}:${m._dirtCount}`;
		if (this.lengths?.key === key) return this.lengths.arrays;
		const arrays = options.fields.map(() => new Float64Array(m._nextId + 1));
		const ids = options.fields.map((f) => m._fieldIds[f]);
		m._fieldLength.forEach((lens, d) => {
			for (let i = 0; i < ids.length; i++) arrays[i][d] = lens[ids[i]] ?? 0;
		});
		this.lengths = { key, arrays };
		return arrays;
	}

	/** The same search through MiniSearch's own `search` (slower; the reference for `search`). */
	searchReference(query: string, limit: number, o: KeywordOptions = {}, allow?: (id: number) => boolean): KeywordHit[] {
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
