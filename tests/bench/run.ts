// Node benchmarks: runs every tests/bench/node/*.bench.ts (or only those whose file name
// contains an argument) and prints one JSON object per line: {"name","value","unit"}.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join, dirname } from 'node:path';
import { printReport, type Report } from './report';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'node');
const filters = process.argv.slice(2);
const files = readdirSync(dir)
	.filter((f) => f.endsWith('.bench.ts'))
	.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
	.sort();
const report = printReport();
for (const f of files) {
	const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: (r: Report) => Promise<void> | void };
	await mod.default(report);
}
