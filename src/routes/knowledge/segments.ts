/** Text cut into plain and marked segments (rendered as text nodes: no HTML is ever built from it). */
export interface Segment {
	text: string;
	mark: boolean;
	start: number;
}

/** Splits `text` at the given spans (overlapping or unsorted spans are merged). */
export function segments(text: string, spans: { start: number; end: number }[]): Segment[] {
	const sorted = spans
		.map((s) => ({ start: Math.max(0, Math.min(text.length, s.start)), end: Math.max(0, Math.min(text.length, s.end)) }))
		.filter((s) => s.end > s.start)
		.sort((a, b) => a.start - b.start);
	const merged: { start: number; end: number }[] = [];
	for (const s of sorted) {
		const last = merged[merged.length - 1];
		if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
		else merged.push({ ...s });
	}
	const out: Segment[] = [];
	let at = 0;
	for (const m of merged) {
		if (m.start > at) out.push({ text: text.slice(at, m.start), mark: false, start: at });
		out.push({ text: text.slice(m.start, m.end), mark: true, start: m.start });
		at = m.end;
	}
	if (at < text.length || out.length === 0) out.push({ text: text.slice(at), mark: false, start: at });
	return out;
}
