/** A small command-line parser: `--name value`, `--name=value`, repeated flags, positionals. */
export interface ParsedArgs {
	positionals: string[];
	/** Every value given per flag, in order (`--event A --event B` → ['A', 'B']). */
	flags: Map<string, string[]>;
	/** Flags given without a value. */
	switches: Set<string>;
}

/**
 * Parses argv. `valued` names the flags that take a value; every other `--flag` is a switch.
 * Throws an Error whose message says what is wrong, in the user's terms.
 */
export function parseArgs(argv: string[], valued: string[], known: string[] = []): ParsedArgs {
	const takes = new Set(valued);
	const all = new Set([...valued, ...known]);
	const out: ParsedArgs = { positionals: [], flags: new Map(), switches: new Set() };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			out.positionals.push(...argv.slice(i + 1));
			break;
		}
		if (!a.startsWith('--') || a === '-') {
			if (a.startsWith('-') && a.length === 2 && a !== '-') {
				const long = { h: 'help', e: 'event', q: 'quiet', v: 'verbose' }[a[1]];
				if (long) {
					argv = [...argv.slice(0, i), `--${long}`, ...argv.slice(i + 1)];
					i--;
					continue;
				}
				throw new Error(`Unknown option ${a}.`);
			}
			out.positionals.push(a);
			continue;
		}
		const eq = a.indexOf('=');
		const name = a.slice(2, eq > 0 ? eq : undefined);
		if (!all.has(name) && !takes.has(name)) throw new Error(`Unknown option --${name}.`);
		if (takes.has(name)) {
			const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
			if (value === undefined) throw new Error(`--${name} needs a value.`);
			out.flags.set(name, [...(out.flags.get(name) ?? []), value]);
		} else {
			if (eq > 0) throw new Error(`--${name} does not take a value.`);
			out.switches.add(name);
		}
	}
	return out;
}

export function last(args: ParsedArgs, name: string): string | undefined {
	const v = args.flags.get(name);
	return v?.[v.length - 1];
}

export function intFlag(args: ParsedArgs, name: string, fallback: number): number {
	const v = last(args, name);
	if (v === undefined) return fallback;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number of milliseconds (got "${v}").`);
	return n;
}
