/** Small helpers for sentences the UI shows ("1 input", "2 errors"). */

// one formatter for all (n.toLocaleString('en') builds a new one on every call)
const numberFormat = new Intl.NumberFormat('en');

/** A number as the UI writes it: `1234` → "1,234". */
export function formatNumber(n: number): string {
	return numberFormat.format(n);
}

/** `plural(1, 'input')` → "1 input"; `plural(2, 'entry', 'entries')` → "2 entries". */
export function plural(n: number, noun: string, many?: string): string {
	return `${formatNumber(n)} ${n === 1 ? noun : (many ?? noun + 's')}`;
}

/** A list in words: `['a', 'b', 'c']` → "a, b and c". */
export function listWords(items: string[], and = 'and'): string {
	if (items.length <= 1) return items[0] ?? '';
	return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`;
}
