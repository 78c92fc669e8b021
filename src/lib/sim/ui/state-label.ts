/**
 * A state value as readable lines, one per active leaf: `open` stays `open`;
 * `{ on: { playback: 'stopped', sound: { audible: 'normal' } } }` becomes
 * `['on.playback.stopped', 'on.sound.audible.normal']` (same dotted form as the /run page).
 */
export function stateLines(v: unknown): string[] {
	if (v === null || v === undefined) return [];
	if (typeof v === 'string') return [v];
	const lines: string[] = [];
	const walk = (x: unknown, prefix: string) => {
		if (typeof x === 'string') lines.push(prefix + x);
		else if (x && typeof x === 'object') {
			const entries = Object.entries(x);
			// A compound state whose value is an empty object: the state itself is the leaf.
			if (entries.length === 0 && prefix) lines.push(prefix.slice(0, -1));
			for (const [k, c] of entries) walk(c, `${prefix}${k}.`);
		}
	};
	walk(v, '');
	return lines;
}
