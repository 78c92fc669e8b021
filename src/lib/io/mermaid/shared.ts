/** How text is escaped inside a Mermaid state diagram, for the exporter and the importer. */
/** Mermaid labels are free text up to the end of the line; `#`, `;` and quotes are written as entity codes. */
export function escapeText(s: string, chars = /[#;"\r\n:{}]/g): string {
	return s.replace(chars, (c) => (c === '\n' || c === '\r' ? ' ' : `#${c.charCodeAt(0)};`));
}
/** Event names also escape what the label syntax uses: `[guard]` and ` / action`. */
export const escapeEvent = (s: string) => escapeText(s, /[#;"\r\n:{}[\]/]/g);
export function unescapeText(s: string): string {
	return s.replace(/#(\d{1,6}|quot|amp|lt|gt|semi);/g, (m, code: string) => {
		const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', semi: ';' };
		if (Object.hasOwn(named, code)) return named[code];
		const n = Number(code);
		return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
	});
}
