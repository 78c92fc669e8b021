/**
 * Fusion of ranked lists by reciprocal rank fusion (each list contributes w / (k + rank)),
 * diversity by maximal marginal relevance, and a minimum score. Every order is total
 * (ties fall back to the best single rank, then to the id) so results never flicker.
 */

export type Strategy = 'semantic' | 'keyword' | 'graph';
export const STRATEGIES: Strategy[] = ['semantic', 'keyword', 'graph'];

export interface RankedList {
	strategy: Strategy;
	ids: number[];
	weight: number;
}

export interface Fused {
	id: number;
	/** Σ weight / (k + rank) over the lists holding this id. */
	score: number;
	/** `score` over the best score possible (rank 1 in every list with weight > 0): 0–1. */
	normalized: number;
	/** 1-based rank in each list that holds this id. */
	ranks: Partial<Record<Strategy, number>>;
}

/** The RRF constant from Cormack et al. (2009). */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: RankedList[], k = RRF_K): Fused[] {
	const byId = new Map<number, Fused>();
	let best = 0;
	for (const list of lists) {
		if (!(list.weight > 0)) continue;
		best += list.weight / (k + 1);
		list.ids.forEach((id, i) => {
			let f = byId.get(id);
			if (!f) byId.set(id, (f = { id, score: 0, normalized: 0, ranks: {} }));
			if (f.ranks[list.strategy] !== undefined) return;
			f.ranks[list.strategy] = i + 1;
			f.score += list.weight / (k + i + 1);
		});
	}
	const out = [...byId.values()];
	for (const f of out) f.normalized = best > 0 ? f.score / best : 0;
	const bestRank = (f: Fused) => Math.min(...Object.values(f.ranks).map((r) => r ?? Infinity));
	out.sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.id - b.id);
	return out;
}

/**
 * Maximal marginal relevance: picks `k` items, each maximizing
 * λ·relevance − (1 − λ)·(highest similarity to an item already picked).
 * `relevance` should be on a 0–1 scale; `similarity(a, b)` in [-1, 1] (cosine).
 */
export function mmr<T extends { id: number }>(
	items: T[],
	k: number,
	lambda: number,
	relevance: (item: T) => number,
	similarity: (a: T, b: T) => number
): T[] {
	if (lambda >= 1 || items.length <= 1) return items.slice(0, k);
	const picked: T[] = [];
	const rest = items.slice();
	const maxSim: number[] = rest.map(() => -Infinity);
	while (picked.length < k && rest.length) {
		let bi = 0;
		let bs = -Infinity;
		for (let i = 0; i < rest.length; i++) {
			const penalty = picked.length ? Math.max(0, maxSim[i]) : 0;
			const s = lambda * relevance(rest[i]) - (1 - lambda) * penalty;
			if (s > bs + 1e-12) {
				bs = s;
				bi = i;
			}
		}
		const chosen = rest.splice(bi, 1)[0];
		maxSim.splice(bi, 1);
		for (let i = 0; i < rest.length; i++) maxSim[i] = Math.max(maxSim[i], similarity(rest[i], chosen));
		picked.push(chosen);
	}
	return picked;
}
