/** The add/edit server form: its values, and turning them into what the store saves. */
import type { ServerInput } from '../store';
import type { McpAuth, McpServerConfig } from '../types';

export interface ServerFormValue {
	id?: string;
	name: string;
	url: string;
	transport: McpServerConfig['transport'];
	authKind: McpAuth['kind'];
	bearer: string;
	hadBearer: boolean;
	headersText: string;
	clientId: string;
	scope: string;
}

export function emptyForm(): ServerFormValue {
	return { name: '', url: '', transport: 'auto', authKind: 'none', bearer: '', hadBearer: false, headersText: '', clientId: '', scope: '' };
}

export function formOf(s: McpServerConfig, headers: Record<string, string>, hasBearer: boolean): ServerFormValue {
	return {
		id: s.id,
		name: s.name,
		url: s.url,
		transport: s.transport,
		authKind: s.auth.kind,
		bearer: '',
		hadBearer: hasBearer,
		headersText: Object.entries(headers)
			.map(([k, v]) => `${k}: ${v}`)
			.join('\n'),
		clientId: s.auth.kind === 'oauth' ? (s.auth.clientId ?? '') : '',
		scope: s.auth.kind === 'oauth' ? (s.auth.scope ?? '') : ''
	};
}

/** "Name: value" lines to headers; a string is the error to show. */
export function parseHeaderLines(text: string): Record<string, string> | string {
	const out: Record<string, string> = {};
	for (const [i, line] of text.split('\n').entries()) {
		if (!line.trim()) continue;
		const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*)$/.exec(line);
		if (!m) return `Line ${i + 1} of the headers should look like "Name: value".`;
		if (/^(host|origin|content-length|cookie)$/i.test(m[1])) return `The browser does not let pages set the ${m[1]} header.`;
		out[m[1]] = m[2].trim();
	}
	return out;
}

/** What to save for a form; throws with a sentence when something is missing. */
export function inputOf(f: ServerFormValue): ServerInput {
	let auth: McpAuth;
	const extra: Partial<ServerInput> = {};
	switch (f.authKind) {
		case 'bearer':
			auth = { kind: 'bearer' };
			if (f.bearer.trim()) extra.bearer = f.bearer;
			else if (!f.hadBearer) throw new Error('Enter the token (or choose another kind of authentication).');
			break;
		case 'headers': {
			const h = parseHeaderLines(f.headersText);
			if (typeof h === 'string') throw new Error(h);
			if (!Object.keys(h).length) throw new Error('Enter at least one header, e.g. "X-Api-Key: …".');
			auth = { kind: 'headers', names: Object.keys(h) };
			extra.headers = h;
			break;
		}
		case 'oauth':
			auth = { kind: 'oauth', ...(f.clientId.trim() ? { clientId: f.clientId.trim() } : {}), ...(f.scope.trim() ? { scope: f.scope.trim() } : {}) };
			break;
		default:
			auth = { kind: 'none' };
	}
	return { id: f.id, name: f.name, url: f.url, transport: f.transport, auth, ...extra };
}
