import { describe, expect, test } from 'vitest';
import { extractFile, htmlToText, csvToText, jsonToText, MAX_FILE_BYTES } from '../../../src/lib/ai/retrieval/extract';
import { chunkText } from '../../../src/lib/ai/retrieval/chunking';
import { makePdf } from './pdf';

const enc = (s: string) => new TextEncoder().encode(s);
const loadPdfJs = async () => (await import('pdfjs-dist/legacy/build/pdf.mjs')) as never;

describe('bad input gets a sentence that names the file', () => {
	test('an empty file', async () => {
		const r = await extractFile({ name: 'empty.txt', bytes: new Uint8Array(0) });
		expect(r).toEqual({ ok: false, error: 'empty.txt is empty: there is nothing to index.' });
	});
	test('binary data named .txt', async () => {
		const bytes = new Uint8Array(4096).map((_, i) => (i * 37) % 256);
		const r = await extractFile({ name: 'photo.txt', bytes });
		expect(r.ok).toBe(false);
		expect(!r.ok && r.error).toMatch(/^photo\.txt does not contain text \(it holds binary data\)/);
	});
	test('a file over the size limit is refused before it is read', async () => {
		const r = await extractFile({ name: 'big.txt', bytes: new Uint8Array(MAX_FILE_BYTES + 1) });
		expect(!r.ok && r.error).toMatch(/^big\.txt is 25 MB; files up to 25 MB can be added/);
	});
	test('a damaged PDF, and a file that only claims to be one', async () => {
		const broken = await extractFile({ name: 'broken.pdf', bytes: enc('%PDF-1.4\n1 0 obj garbage'), loadPdfJs });
		expect(!broken.ok && broken.error).toMatch(/^broken\.pdf could not be read as a PDF: it is damaged or not a PDF/);
		const fake = await extractFile({ name: 'fake.pdf', bytes: enc('hello'), loadPdfJs });
		expect(!fake.ok && fake.error).toMatch(/^fake\.pdf is not a PDF/);
	});
	test('invalid JSON and an unknown format', async () => {
		const j = await extractFile({ name: 'data.json', bytes: enc('{"a": ') });
		expect(!j.ok && j.error).toMatch(/^data\.json is not valid JSON/);
		const x = await extractFile({ name: 'sheet.xlsx', bytes: enc('PK') });
		expect(!x.ok && x.error).toMatch(/^sheet\.xlsx: FSM Studio reads/);
	});
});

describe('formats', () => {
	test('a PDF is read page by page through pdfjs', async () => {
		const r = await extractFile({ name: 'trains.pdf', bytes: makePdf([['Railways', 'A locomotive pulls trains.'], ['Tickets cost less early.']]), loadPdfJs });
		expect(r.ok && r.value.text).toBe('Railways\nA locomotive pulls trains.\n\nTickets cost less early.');
		expect(r.ok && r.value.pageStarts).toEqual([0, 37]);
	});
	test('HTML keeps headings, paragraphs and links, drops scripts, decodes entities', () => {
		const r = htmlToText('<html><head><title>T &amp; C</title><script>alert(1)</script></head><body><h1>Terms</h1><p>Read <a href="cats.md">the cats</a> &mdash; now.</p><ul><li>one</li></ul></body></html>');
		expect(r.title).toBe('T & C');
		expect(r.text).toBe('# Terms\n\nRead [the cats](cats.md) — now.\n\n- one');
	});
	test('CSV rows become paragraphs of header: value', () => {
		expect(csvToText('name,price\n"Tea, green",3\nCoffee,"4"')).toBe('name: Tea, green\nprice: 3\n\nname: Coffee\nprice: 4');
	});
	test('JSON becomes key: value lines, records one paragraph each', () => {
		expect(jsonToText([{ q: 'a', n: 1 }, { q: 'b', n: 2 }])).toBe('q: a\nn: 1\n\nq: b\nn: 2');
	});
});

describe('chunking', () => {
	test('chunks are exact slices within the token budget, cut at headings, with overlap inside a section', () => {
		const text = '# A\n\n' + 'One two three four five. '.repeat(40) + '\n\n# B\n\nSix seven.';
		const chunks = chunkText(text, { maxTokens: 40, overlapTokens: 10 });
		for (const c of chunks) {
			expect(text.slice(c.start, c.end)).toBe(c.text);
			expect(c.tokens).toBeLessThanOrEqual(40);
		}
		const last = chunks[chunks.length - 1];
		expect(last.text).toBe('# B\n\nSix seven.');
		expect(last.headings).toEqual(['B']);
		// consecutive chunks of section A overlap by whole sentences
		expect(chunks[1].start).toBeLessThan(chunks[0].end);
	});
});
