/**
 * The keyword index's fast scorer gives MiniSearch's own results — the same chunks, in the
 * same order, with the same scores to the last bit, and the same matched words — for exact,
 * prefix and fuzzy matches, field boosts, repeated and accented query words, a filter, and
 * after deletions; and a saved index answers the same.
 */
import { describe, expect, test } from 'vitest';
import { KeywordIndex, type KeywordDoc, type KeywordHit, type KeywordOptions } from '../../../src/lib/ai/retrieval/keyword';

function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) >>> 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = (
	'cat cats catalog category kitten kitchen dog dogs doggy puppy walk walks walked walking leash train trains trainer ' +
	'railway rail locomotive engine engineer engines car cars carbon card care careful battery brake brakes ' +
	'café cafe naïve résumé resume Berlin Paris London station stations food foods feed fed water waters sleep sleeps ' +
	'the a of and to in is it that for on with as at by from this be or 東京 駅 кошка собака 2024 42'
).split(' ');

function corpus(n: number, seed: number): KeywordDoc[] {
	const r = rng(seed);
	const pick = () => WORDS[Math.floor(r() * r() * WORDS.length)];
	return Array.from({ length: n }, (_, i) => ({
		id: 1000 + i * 3,
		text: Array.from({ length: 5 + Math.floor(r() * 40) }, pick).join(' ') + '.',
		headings: r() < 0.6 ? Array.from({ length: 1 + Math.floor(r() * 3) }, pick).join(' ') : '',
		title: `Doc ${Math.floor(i / 5)} ${pick()}`
	}));
}

const QUERIES = [
	'cat',
	'cats food',
	'Cat CAT cat',
	'kitchn', // a typo: fuzzy
	'loco', // a prefix
	'engin walk',
	'cafe',
	'café resume',
	'the cat and the dog',
	'東京 駅',
	'кошка',
	'2024 station',
	'zzzz',
	'railway from Paris to Berlin',
	'br'
];

const OPTIONS: KeywordOptions[] = [{}, { fuzzy: 0 }, { prefix: false }, { fuzzy: 2, boost: { title: 5, headings: 0.5 } }];

function same(a: KeywordHit[], b: KeywordHit[]) {
	expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
	expect(a.map((h) => h.score)).toEqual(b.map((h) => h.score));
	expect(a.map((h) => [...h.terms].sort())).toEqual(b.map((h) => [...h.terms].sort()));
}

describe('keyword search', () => {
	test('the fast scorer gives exactly what MiniSearch gives', () => {
		const k = new KeywordIndex();
		k.addAll(corpus(600, 1));
		let compared = 0;
		for (const q of QUERIES)
			for (const o of OPTIONS)
				for (const limit of [1, 10, 1000]) {
					const ref = k.searchReference(q, limit, o);
					same(k.search(q, limit, o), ref);
					compared += ref.length;
				}
		expect(compared).toBeGreaterThan(5000);
		// something is found at all, by each kind of match
		expect(k.search('kitchn', 5, { prefix: false }).length).toBeGreaterThan(0);
		expect(k.search('kitchn', 5, { fuzzy: 0, prefix: false })).toEqual([]);
		expect(k.search('loco', 5, { fuzzy: 0 })[0].terms).toEqual(['locomotive']);
	});

	test('with a filter, after deletions, and from a saved copy', () => {
		const k = new KeywordIndex();
		const docs = corpus(400, 2);
		k.addAll(docs);
		const allow = (id: number) => id % 2 === 0;
		for (const q of QUERIES) same(k.search(q, 20, {}, allow), k.searchReference(q, 20, {}, allow));
		// deleting a few leaves MiniSearch's index "dirty" until it vacuums: still the same hits
		k.remove(docs.slice(0, 8).map((d) => d.id));
		for (const q of ['cat', 'walk', 'the']) {
			const got = k.search(q, 50);
			expect(got.some((h) => h.id < docs[8].id)).toBe(false);
			expect(got.map((h) => h.id)).toEqual(k.searchReference(q, 50).map((h) => h.id));
		}
		const again = KeywordIndex.fromJSON(k.toJSON(), k.chunkIds());
		for (const q of QUERIES) {
			same(again.search(q, 10), again.searchReference(q, 10));
			// the restored tree lists prefix and fuzzy matches in another order: sums may differ in the last bit
			const a = again.search(q, 10);
			const b = k.search(q, 10);
			expect(a.map((h) => h.id)).toEqual(b.map((h) => h.id));
			a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i].score, 9));
		}
	});

	test('empty and wordless queries find nothing', () => {
		const k = new KeywordIndex();
		k.addAll(corpus(20, 3));
		expect(k.search('', 10)).toEqual([]);
		expect(k.search('  ?! ', 10)).toEqual([]);
		expect(k.search('cat', 0)).toEqual([]);
	});
});
