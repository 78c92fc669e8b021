// The layer check behind tests/architecture/layers.test.ts: reads the layer table of
// docs/architecture.md, finds every import of the app's sources, and lists the ones that go
// the wrong way. Plain Node (fs, path), no app code, so it can check any tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

export interface Layer {
	rank: number;
	name: string;
	paths: string[];
}

export interface Import {
	/** Repository path of the importing file (posix separators). */
	from: string;
	/** The specifier as written. */
	spec: string;
	/** Repository path it resolves to (without query), for imports of the app's own files. */
	to?: string;
	line: number;
}

export interface Violation {
	from: string;
	line: number;
	spec: string;
	message: string;
}

/** Parses the table between `<!-- layers:start -->` and `<!-- layers:end -->`. */
export function parseLayers(markdown: string): Layer[] {
	const start = markdown.indexOf('<!-- layers:start -->');
	const end = markdown.indexOf('<!-- layers:end -->');
	if (start < 0 || end < start) throw new Error('docs/architecture.md has no <!-- layers:start --> … <!-- layers:end --> table');
	const layers: Layer[] = [];
	for (const row of markdown.slice(start, end).split('\n')) {
		const cells = row.split('|').map((c) => c.trim());
		// | # | layer | paths | owns |  →  ['', '#', 'layer', 'paths', 'owns', '']
		if (cells.length < 5 || !/^\d+$/.test(cells[1])) continue;
		const paths = [...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
		if (!paths.length) throw new Error(`layer ${cells[2]} lists no paths`);
		layers.push({ rank: Number(cells[1]), name: cells[2], paths });
	}
	if (!layers.length) throw new Error('the layer table is empty');
	return layers;
}

function globToRegExp(pattern: string): RegExp {
	let re = '';
	for (let i = 0; i < pattern.length; i++) {
		if (pattern.startsWith('**/', i)) {
			re += '(?:[^/]+/)*';
			i += 2;
		} else if (pattern[i] === '*') re += '[^/]+';
		else re += pattern[i].replace(/[.+?^${}()|[\]\\]/g, '\\$&');
	}
	// a folder is a prefix; a file matches itself
	return new RegExp('^' + re + (pattern.endsWith('/') ? '' : '$'));
}

/**
 * Finds the layer of a repository path: the row whose path matches the longest part of it
 * wins (the deepest folder; a file named exactly beats any folder).
 */
export function layerResolver(layers: Layer[]): (path: string) => Layer | undefined {
	const rules = layers.flatMap((layer) => layer.paths.map((p) => ({ layer, re: globToRegExp(p) })));
	return (path) => {
		let best: { layer: Layer; length: number } | undefined;
		for (const r of rules) {
			const m = r.re.exec(path);
			if (m && (!best || m[0].length > best.length)) best = { layer: r.layer, length: m[0].length };
		}
		return best?.layer;
	};
}

const IMPORT_RE = /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** Every import (static, `export … from`, side-effect, dynamic with a literal) in a source text. */
export function findImports(from: string, text: string): Import[] {
	const out: Import[] = [];
	for (const m of text.matchAll(IMPORT_RE)) {
		const spec = m[1] ?? m[2];
		const line = text.slice(0, m.index).split('\n').length + (text[m.index!] === '\n' ? 1 : 0);
		out.push({ from, spec, to: resolveSpecifier(from, spec), line });
	}
	return out;
}

const EXTENSIONS = ['', '.ts', '.svelte', '.js', '/index.ts', '/index.js'];

/** The repository path an import of our own code points to (undefined for packages). */
export function resolveSpecifier(from: string, spec: string, root?: string): string | undefined {
	const bare = spec.split('?')[0];
	let target: string;
	if (bare.startsWith('$lib/') || bare === '$lib') target = posix.join('src/lib', bare.slice(4));
	else if (bare.startsWith('.')) target = posix.join(posix.dirname(from), bare);
	else return undefined;
	if (root) for (const ext of EXTENSIONS) if (existsSync(join(root, target + ext)) && statSync(join(root, target + ext)).isFile()) return target + ext;
	return target;
}

/** Every .ts / .svelte / .js file under `dir` (a repository path), generated files left out. */
export function sourceFiles(root: string, dir: string): string[] {
	const out: string[] = [];
	const walk = (rel: string) => {
		for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
			const p = posix.join(rel, e.name);
			if (e.isDirectory()) {
				if (e.name !== 'generated') walk(p);
			} else if (/\.(ts|svelte|js)$/.test(e.name)) out.push(p);
		}
	};
	walk(dir);
	return out.sort();
}

/** Packages the pure core must not import (it runs in Node and in the exported bundle). */
export const PURE_LAYERS = ['model', 'expr', 'effects', 'engine', 'io'];
const NOT_IN_PURE = /^(svelte|dexie|yjs|y-[\w-]+|lib0|comlink|@xyflow\/svelte)(\/|$)/;

/** The imports that break the layer order, and files no layer covers. */
export function checkImports(layers: Layer[], imports: Import[], files: string[]): Violation[] {
	const layerOf = layerResolver(layers);
	const out: Violation[] = [];
	for (const f of files) if (!layerOf(f)) out.push({ from: f, line: 0, spec: '', message: `${f} is in no layer of docs/architecture.md: add its folder to the table` });
	for (const i of imports) {
		const a = layerOf(i.from);
		if (!a) continue;
		if (!i.to) {
			if (PURE_LAYERS.includes(a.name) && NOT_IN_PURE.test(i.spec)) {
				out.push({ ...i, message: `${i.from}:${i.line} imports '${i.spec}': layer ${a.name} is pure (no Svelte, Dexie, Yjs, lib0 or Comlink)` });
			}
			continue;
		}
		const b = layerOf(i.to);
		if (!b || b.rank <= a.rank) continue;
		out.push({ ...i, message: `${i.from}:${i.line} imports '${i.spec}': layer ${a.rank} (${a.name}) may not import layer ${b.rank} (${b.name})` });
	}
	return out;
}

/** Reads the table and the sources of a repository checkout and checks them. */
export function checkRepository(root: string): { layers: Layer[]; files: string[]; imports: Import[]; violations: Violation[] } {
	const layers = parseLayers(readFileSync(join(root, 'docs', 'architecture.md'), 'utf8'));
	const files = ['src/lib', 'src/routes', 'src/workers'].flatMap((d) => sourceFiles(root, d));
	for (const f of readdirSync(join(root, 'src'))) if (/\.(ts|js|svelte)$/.test(f) && !f.endsWith('.d.ts')) files.push(`src/${f}`);
	const imports = files.flatMap((f) =>
		findImports(f, readFileSync(join(root, f), 'utf8')).map((i) => ({ ...i, to: resolveSpecifier(f, i.spec, root) }))
	);
	return { layers, files, imports, violations: checkImports(layers, imports, files) };
}
