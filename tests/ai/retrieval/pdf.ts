/**
 * Writes a small, valid PDF with a text layer (Helvetica, one text object per page), so
 * tests need no binary fixture. Lines are drawn top-down; an empty string leaves a blank line.
 */
export function makePdf(pages: string[][]): Uint8Array {
	const esc = (s: string) => s.replace(/[\\()]/g, (c) => '\\' + c);
	const objects: string[] = [];
	const pageIds: number[] = [];
	const fontId = 3 + pages.length * 2;
	pages.forEach((lines, i) => {
		const pageId = 3 + i * 2;
		const contentId = pageId + 1;
		pageIds.push(pageId);
		const ops = ['BT', '/F1 12 Tf', '16 TL', '72 720 Td', ...lines.map((l, k) => (k === 0 ? '' : 'T* ') + (l ? `(${esc(l)}) Tj` : '')), 'ET'].join('\n');
		objects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${contentId} 0 R >>`;
		objects[contentId] = `<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`;
	});
	objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
	objects[2] = `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${pages.length} >>`;
	objects[fontId] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	for (let id = 1; id < objects.length; id++) {
		offsets[id] = out.length;
		out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
	}
	const xref = out.length;
	out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
	for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new TextEncoder().encode(out);
}
