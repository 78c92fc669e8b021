/**
 * Text out of what users add to a knowledge base: plain text and Markdown as they are,
 * HTML and JSON and CSV turned into readable Markdown-like text (headings kept, so that
 * chunking can follow them), PDF through pdfjs (loaded only for PDFs). Every failure is a
 * sentence that names the file and says what to do.
 */

export type SourceFormat = 'text' | 'markdown' | 'html' | 'json' | 'csv' | 'pdf';

/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

export interface Extracted {
	title: string;
	text: string;
	format: SourceFormat;
	/** Character offset where each page starts (PDF). */
	pageStarts?: number[];
}

export type ExtractResult = { ok: true; value: Extracted } | { ok: false, error: string };

/** The pdfjs module (or the parts of it used here). */
export interface PdfJs {
	getDocument(src: { data: Uint8Array; isEvalSupported?: boolean; useSystemFonts?: boolean; disableFontFace?: boolean; verbosity?: number }): {
		promise: Promise<PdfDocument>;
		destroy?(): Promise<void>;
	};
}
interface PdfDocument {
	numPages: number;
	getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }>; cleanup?(): void }>;
	destroy(): Promise<void>;
}

export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
	if (bytes < 1024 * 1024) return `${f(Math.round((bytes / 1024) * 10) / 10)} KB`;
	return `${f(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
}

/** Format by file name, then by MIME type. */
export function formatOf(name: string, mime = ''): SourceFormat | null {
	const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
	const byExt: Record<string, SourceFormat> = {
		txt: 'text',
		text: 'text',
		log: 'text',
		md: 'markdown',
		markdown: 'markdown',
		mdx: 'markdown',
		html: 'html',
		htm: 'html',
		xhtml: 'html',
		json: 'json',
		csv: 'csv',
		tsv: 'csv',
		pdf: 'pdf'
	};
	if (byExt[ext]) return byExt[ext];
	const m = mime.toLowerCase().split(';')[0].trim();
	if (m === 'application/pdf') return 'pdf';
	if (m === 'text/html' || m === 'application/xhtml+xml') return 'html';
	if (m === 'application/json' || m.endsWith('+json')) return 'json';
	if (m === 'text/csv' || m === 'text/tab-separated-values') return 'csv';
	if (m === 'text/markdown' || m === 'text/x-markdown') return 'markdown';
	if (m.startsWith('text/')) return 'text';
	return null;
}

export const SUPPORTED_FILES = '.txt, .md, .html, .json, .csv or .pdf';

function titleFromName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? name;
	return base.replace(/\.[a-z0-9]+$/i, '') || base;
}

/**
 * Decodes text bytes: UTF-8 (or UTF-16 with a byte-order mark); Windows-1252 when the
 * bytes are not UTF-8 but still look like text. Binary data is refused.
 */
export function decodeText(bytes: Uint8Array, name: string): { ok: true; text: string } | { ok: false; error: string } {
	if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
		return { ok: true, text: new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes) };
	}
	// control characters other than tab, newlines and form feed mean binary data
	const sample = bytes.subarray(0, Math.min(bytes.length, 65536));
	let control = 0;
	for (let i = 0; i < sample.length; i++) {
		const b = sample[i];
		if (b === 0) {
			control = sample.length;
			break;
		}
		if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27) control++;
	}
	if (control > sample.length * 0.02) {
		return {
			ok: false,
			error: `${name} does not contain text (it holds binary data). If it is a PDF or another document, give it its real extension; FSM Studio reads ${SUPPORTED_FILES} files.`
		};
	}
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
	} catch {
		return { ok: true, text: new TextDecoder('windows-1252').decode(bytes) };
	}
}

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”',
	copy: '©',
	reg: '®',
	trade: '™',
	euro: '€',
	pound: '£',
	yen: '¥',
	cent: '¢',
	deg: '°',
	times: '×',
	middot: '·',
	bull: '•',
	laquo: '«',
	raquo: '»',
	shy: ''
};

export function decodeEntities(s: string): string {
	if (s.indexOf('&') < 0) return s;
	return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (m, e: string) => {
		if (e[0] === '#') {
			const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
			return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : '';
		}
		return ENTITIES[e.toLowerCase()] ?? m;
	});
}

const BLOCK = new Set([
	'p', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'blockquote', 'figure',
	'figcaption', 'table', 'thead', 'tbody', 'tfoot', 'ul', 'ol', 'dl', 'dd', 'dt', 'form', 'fieldset',
	'address', 'details', 'summary', 'caption', 'hr'
]);
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'head', 'iframe', 'object', 'canvas', 'select', 'button']);

/** HTML to Markdown-like text (headings, paragraphs, list items, links), without a DOM. */
export function htmlToText(html: string): { text: string; title?: string } {
	const title = html.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1];
	html = html.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
	const out: string[] = [];
	const tagRe = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
	let last = 0;
	let skip: string | null = null;
	let pre = 0;
	const links: (string | null)[] = [];
	const text = (s: string) => {
		if (skip) return;
		s = decodeEntities(s);
		out.push(pre ? s : s.replace(/\s+/g, ' '));
	};
	for (let m = tagRe.exec(html); m; m = tagRe.exec(html)) {
		text(html.slice(last, m.index));
		last = tagRe.lastIndex;
		const closing = m[1] === '/';
		const tag = m[2].toLowerCase();
		if (skip) {
			if (closing && tag === skip) skip = null;
			continue;
		}
		if (SKIP.has(tag)) {
			if (!closing && !m[3].trim().endsWith('/')) skip = tag;
			continue;
		}
		const h = /^h([1-6])$/.exec(tag);
		if (h) out.push(closing ? '\n\n' : `\n\n${'#'.repeat(Number(h[1]))} `);
		else if (tag === 'br') out.push('\n');
		else if (tag === 'li') out.push(closing ? '\n' : '\n- ');
		else if (tag === 'tr') out.push('\n');
		else if (tag === 'td' || tag === 'th') out.push(closing ? ' ' : ' | ');
		else if (tag === 'pre') {
			pre += closing ? -1 : 1;
			out.push(closing ? '\n```\n\n' : '\n\n```\n');
		} else if (tag === 'a') {
			if (!closing) {
				const href = m[3].match(/\bhref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i);
				const target = href ? decodeEntities(href[2] ?? href[3] ?? href[4] ?? '').trim() : '';
				const keep = target && !/^(javascript|data|vbscript):/i.test(target) && !target.startsWith('#');
				links.push(keep ? target : null);
				if (keep) out.push('[');
			} else {
				const target = links.pop();
				if (target) out.push(`](${target.replace(/[()\s]/g, encodeURIComponent)})`);
			}
		} else if (BLOCK.has(tag)) out.push('\n\n');
	}
	text(html.slice(last));
	const body = out
		.join('')
		.replace(/\[\s*\]\([^)]*\)/g, '')
		.replace(/[ \t]+\n/g, '\n')
		.replace(/\n[ \t]+/g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
	return { text: body, title: title ? decodeEntities(title).replace(/\s+/g, ' ').trim() || undefined : undefined };
}

function scalar(v: unknown): string {
	if (v === null) return 'null';
	if (typeof v === 'string') return v;
	return String(v);
}

/** JSON as text: `key: value` lines; arrays of records as one paragraph per record. */
export function jsonToText(value: unknown): string {
	const lines: string[] = [];
	const walk = (v: unknown, path: string) => {
		if (v === null || typeof v !== 'object') {
			lines.push(path ? `${path}: ${scalar(v)}` : scalar(v));
			return;
		}
		if (Array.isArray(v)) {
			const records = v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));
			v.forEach((x, i) => {
				if (records && lines.length && lines[lines.length - 1] !== '') lines.push('');
				walk(x, records ? path : `${path}[${i}]`);
			});
			if (records) lines.push('');
			return;
		}
		for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
			if (!path && x && typeof x === 'object') {
				// top-level sections become headings
				if (lines.length && lines[lines.length - 1] !== '') lines.push('');
				lines.push(`## ${k}`, '');
				walk(x, '');
				lines.push('');
			} else walk(x, path ? `${path}.${k}` : k);
		}
	};
	walk(value, '');
	return lines
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF); the delimiter is guessed from the first line. */
export function parseCsv(text: string): string[][] {
	const firstLine = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
	const delim = [',', ';', '\t', '|'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i++;
				} else quoted = false;
			} else field += c;
		} else if (c === '"' && field === '') quoted = true;
		else if (c === delim) {
			row.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			field = '';
			if (row.length > 1 || row[0] !== '') rows.push(row);
			row = [];
		} else field += c;
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

/** CSV as text: one paragraph per row, `header: value` per cell. */
export function csvToText(text: string): string {
	const rows = parseCsv(text);
	if (rows.length === 0) return '';
	const header = rows[0].map((h, i) => h.trim() || `column ${i + 1}`);
	if (rows.length === 1) return header.join(', ');
	return rows
		.slice(1)
		.map((r) =>
			r
				.map((v, i) => (v.trim() ? `${header[i] ?? `column ${i + 1}`}: ${v.trim()}` : ''))
				.filter(Boolean)
				.join('\n')
		)
		.filter(Boolean)
		.join('\n\n');
}

interface PdfTextItem {
	str: string;
	hasEOL?: boolean;
	transform?: number[];
	height?: number;
}

/** Text of a PDF, page by page; a vertical gap larger than a line starts a new paragraph. */
export async function pdfToText(bytes: Uint8Array, name: string, pdfjs: PdfJs): Promise<ExtractResult> {
	let doc: PdfDocument;
	try {
		// pdfjs takes ownership of (and detaches) the buffer it is given
		doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
	} catch (e) {
		const n = (e as { name?: string })?.name;
		if (n === 'PasswordException') return { ok: false, error: `${name} is protected by a password. Remove the protection and add it again.` };
		return { ok: false, error: `${name} could not be read as a PDF: it is damaged or not a PDF (${(e as Error)?.message ?? e}).` };
	}
	try {
		const parts: string[] = [];
		const pageStarts: number[] = [];
		let length = 0;
		for (let p = 1; p <= doc.numPages; p++) {
			const page = await doc.getPage(p);
			const content = await page.getTextContent();
			let pageText = '';
			let lastY: number | undefined;
			let lastH = 0;
			for (const raw of content.items) {
				const it = raw as PdfTextItem;
				if (typeof it.str !== 'string') continue;
				const y = it.transform?.[5];
				const h = it.height || lastH || 10;
				if (lastY !== undefined && y !== undefined && pageText && !pageText.endsWith('\n')) {
					const gap = Math.abs(lastY - y);
					if (gap > h * 1.8) pageText += '\n\n';
					else if (gap > h * 0.5) pageText += '\n';
				} else if (lastY !== undefined && y !== undefined && pageText.endsWith('\n') && !pageText.endsWith('\n\n') && Math.abs(lastY - y) > h * 1.8) {
					pageText += '\n';
				}
				pageText += it.str;
				if (it.hasEOL) pageText += '\n';
				if (y !== undefined) lastY = y;
				lastH = h;
			}
			page.cleanup?.();
			pageText = pageText.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
			if (parts.length) {
				parts.push('\n\n');
				length += 2;
			}
			pageStarts.push(length);
			parts.push(pageText);
			length += pageText.length;
		}
		const text = parts.join('');
		if (!text.trim()) {
			return { ok: false, error: `${name} has no text layer (scanned pages are images); FSM Studio cannot read text from images. Run it through OCR first.` };
		}
		return { ok: true, value: { title: titleFromName(name), text, format: 'pdf', pageStarts } };
	} finally {
		await doc.destroy().catch(() => {});
	}
}

export interface ExtractInput {
	name: string;
	mime?: string;
	bytes: Uint8Array;
	/** Loads pdfjs on first use (PDFs only). */
	loadPdfJs?: () => Promise<PdfJs>;
}

/** Text of a file by its format; every failure names the file and says what to do. */
export async function extractFile(input: ExtractInput): Promise<ExtractResult> {
	const { name, bytes } = input;
	if (bytes.length > MAX_FILE_BYTES) {
		return { ok: false, error: `${name} is ${formatSize(bytes.length)}; files up to ${formatSize(MAX_FILE_BYTES)} can be added. Split it into smaller files.` };
	}
	if (bytes.length === 0) return { ok: false, error: `${name} is empty: there is nothing to index.` };
	const format = formatOf(name, input.mime);
	if (!format) {
		return { ok: false, error: `${name}: FSM Studio reads ${SUPPORTED_FILES} files. Save it in one of these formats, or paste its text.` };
	}
	if (format === 'pdf') {
		if (!(bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)) {
			// tolerate leading junk like real readers do, within the first kilobyte
			const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
			if (!head.includes('%PDF-')) return { ok: false, error: `${name} is not a PDF (it does not start with %PDF). It may be damaged, or another kind of file.` };
		}
		if (!input.loadPdfJs) return { ok: false, error: `${name}: PDF reading is not available here.` };
		let pdfjs: PdfJs;
		try {
			pdfjs = await input.loadPdfJs();
		} catch (e) {
			return { ok: false, error: `The PDF reader could not be loaded (${(e as Error)?.message ?? e}). Check your connection and try again.` };
		}
		return pdfToText(bytes, name, pdfjs);
	}
	const decoded = decodeText(bytes, name);
	if (!decoded.ok) return decoded;
	return textToExtracted(decoded.text, name, format);
}

/** Structured text of an already decoded source. */
export function textToExtracted(raw: string, name: string, format: Exclude<SourceFormat, 'pdf'>): ExtractResult {
	let text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	let title = titleFromName(name);
	if (format === 'html') {
		const r = htmlToText(text);
		text = r.text;
		if (r.title) title = r.title;
	} else if (format === 'json') {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (e) {
			return { ok: false, error: `${name} is not valid JSON (${(e as Error).message}). Fix it, or give it a .txt extension to index it as plain text.` };
		}
		text = jsonToText(value);
	} else if (format === 'csv') {
		text = csvToText(text);
	}
	if (!text.trim()) return { ok: false, error: `${name} has no text to index${format === 'text' || format === 'markdown' ? ' (it holds only spaces and line breaks)' : ''}.` };
	return { ok: true, value: { title, text, format } };
}
