/**
 * What a tool call puts into a workflow's context. Structured content as it is; text as a
 * string (or the JSON value when the text is JSON); images, audio and resources kept with
 * their MIME type so the run view can show them.
 */

export interface ContentBlock {
	type: string;
	text?: string;
	data?: string;
	mimeType?: string;
	uri?: string;
	name?: string;
	resource?: { uri: string; mimeType?: string; text?: string; blob?: string };
	[k: string]: unknown;
}

export interface ToolCallResultLike {
	content?: ContentBlock[];
	structuredContent?: Record<string, unknown>;
	isError?: boolean;
	/** Pre-2025-06 servers answer `toolResult`. */
	toolResult?: unknown;
}

/** A media block as it lands in context. */
export interface MediaValue {
	type: 'image' | 'audio';
	mimeType: string;
	/** Base64 data, as the server sent it. */
	data: string;
}

export interface RichResult {
	/** All text blocks, joined by blank lines. */
	text: string;
	images: MediaValue[];
	audio: MediaValue[];
	resources: { uri: string; mimeType?: string; text?: string; name?: string }[];
}

function parseJsonText(t: string): unknown {
	const s = t.trim();
	if (!(s.startsWith('{') && s.endsWith('}')) && !(s.startsWith('[') && s.endsWith(']'))) return t;
	try {
		return JSON.parse(s);
	} catch {
		return t;
	}
}

/** The value a tool call puts into context (`assignTo`) and returns as the effect's output. */
export function toolResultValue(r: ToolCallResultLike): unknown {
	if (r.structuredContent && typeof r.structuredContent === 'object') return r.structuredContent;
	if (r.toolResult !== undefined && !r.content) return r.toolResult;
	const blocks = Array.isArray(r.content) ? r.content : [];
	const texts = blocks.filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string);
	const others = blocks.filter((b) => b.type !== 'text');
	if (others.length === 0) {
		if (texts.length === 0) return null;
		if (texts.length === 1) return parseJsonText(texts[0]);
		return texts.join('\n\n');
	}
	const rich: RichResult = { text: texts.join('\n\n'), images: [], audio: [], resources: [] };
	for (const b of others) {
		if ((b.type === 'image' || b.type === 'audio') && typeof b.data === 'string') {
			(b.type === 'image' ? rich.images : rich.audio).push({ type: b.type, mimeType: b.mimeType ?? 'application/octet-stream', data: b.data });
		} else if (b.type === 'resource' && b.resource) {
			rich.resources.push({ uri: b.resource.uri, ...(b.resource.mimeType ? { mimeType: b.resource.mimeType } : {}), ...(b.resource.text !== undefined ? { text: b.resource.text } : {}) });
		} else if (b.type === 'resource_link' && typeof b.uri === 'string') {
			rich.resources.push({ uri: b.uri, ...(b.mimeType ? { mimeType: b.mimeType } : {}), ...(b.name ? { name: b.name } : {}) });
		}
	}
	return rich;
}

/** The text of a tool's error result. */
export function toolErrorText(r: ToolCallResultLike): string {
	const blocks = Array.isArray(r.content) ? r.content : [];
	return blocks
		.filter((b) => b.type === 'text' && typeof b.text === 'string')
		.map((b) => b.text)
		.join('\n')
		.trim();
}

/** A `data:` URL for an image or audio value (for `<img src>`; only for image/* and audio/* types). */
export function mediaDataUrl(m: { mimeType: string; data: string }): string | null {
	if (!/^(image\/(png|jpeg|gif|webp|svg\+xml)|audio\/[a-z0-9.+-]+)$/i.test(m.mimeType)) return null;
	if (!/^[A-Za-z0-9+/=\s]*$/.test(m.data)) return null;
	return `data:${m.mimeType};base64,${m.data.replace(/\s+/g, '')}`;
}

/** An image or audio value from a tool result (`{ type, mimeType, data }`), as the run view draws it. */
export function mediaValueOf(v: unknown): MediaValue | undefined {
	if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
	const o = v as Record<string, unknown>;
	if ((o.type !== 'image' && o.type !== 'audio') || typeof o.mimeType !== 'string' || typeof o.data !== 'string') return undefined;
	if (Object.keys(o).some((k) => k !== 'type' && k !== 'mimeType' && k !== 'data')) return undefined;
	return o as unknown as MediaValue;
}

/** A resource of a tool result (`{ uri, mimeType?, name?, text? }`), as the run view shows it. */
export function resourceValueOf(v: unknown): RichResult['resources'][number] | undefined {
	if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
	const o = v as Record<string, unknown>;
	if (typeof o.uri !== 'string' || !o.uri) return undefined;
	for (const [k, x] of Object.entries(o)) if (k !== 'uri' && !((k === 'mimeType' || k === 'name' || k === 'text') && typeof x === 'string')) return undefined;
	return o as unknown as RichResult['resources'][number];
}

/** Bytes of base64 data. */
export function base64Bytes(data: string): number {
	const s = data.replace(/\s+/g, '');
	return Math.max(0, Math.floor((s.length * 3) / 4) - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0));
}

/** An address the browser may open from a resource (http and https only; MCP's own schemes are shown as text). */
export function openableUri(uri: string): string | undefined {
	try {
		const u = new URL(uri);
		return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
	} catch {
		return undefined;
	}
}
