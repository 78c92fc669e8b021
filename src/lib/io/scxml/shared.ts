/** What the SCXML exporter and importer share: namespaces, the data model name, templates as expressions. */
export const SCXML_NS = 'http://www.w3.org/2005/07/scxml';
export const FSM_NS = 'https://fsm-studio.dev/scxml';
export const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** The `datamodel` FSM Studio writes: JSONata over `context`. */
export const DATAMODEL = 'fsm-studio-jsonata';

/** `Hello {{ context.name }}!` → `"Hello " & context.name & "!"` (a JSONata string expression). */
export function templateToExpr(template: string): string {
	const parts: string[] = [];
	let last = 0;
	const re = /\{\{([\s\S]*?)\}\}/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(template))) {
		if (m.index > last) parts.push(JSON.stringify(template.slice(last, m.index)));
		parts.push(`$string(${m[1].trim()})`);
		last = m.index + m[0].length;
	}
	if (last < template.length || parts.length === 0) parts.push(JSON.stringify(template.slice(last)));
	return parts.join(' & ');
}
