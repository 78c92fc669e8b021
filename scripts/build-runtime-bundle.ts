/**
 * Builds the runtime that the TypeScript export embeds: src/lib/engine + src/lib/effects +
 * src/lib/expr, with jsonata and zod, bundled by esbuild into one IIFE, then made acceptable
 * to `tsc --strict` by reprinting it without comments and packing it into long lines, each
 * after a `//@ts-ignore` (the bundle is plain JS; the exported module's typed part is not
 * affected).
 *
 * Writes src/lib/io/generated/runtime.ts (committed). tests/io/runtime-freshness.test.ts
 * rebuilds it in memory and fails when the committed copy is stale:
 *   node --import tsx scripts/build-runtime-bundle.ts
 */
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const RUNTIME_FILE = join(root, 'src/lib/io/generated/runtime.ts');
export const GLOBAL_NAME = '__fsmRuntime';

const ENTRY = `
export { createInterpreter } from './src/lib/engine/index';
export { createExecutor } from './src/lib/effects/index';
`;

/**
 * zod re-exports ~50 locales (250 kB minified) that the runtime never uses: error messages
 * stay in English, so `z.locales` is reduced to `en`.
 */
const englishOnlyZod: Plugin = {
	name: 'zod-english-only',
	setup(b) {
		b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
			args.importer.includes(`${'node_modules'}/zod/`) ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' } : undefined
		);
		b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
			contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
			loader: 'js',
			resolveDir: dirname(args.path)
		}));
	}
};

/** Bundles the runtime and returns the JS (an IIFE assigning \`var ${GLOBAL_NAME}\`). */
export async function bundleRuntime(): Promise<string> {
	const result = await build({
		stdin: { contents: ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'fsm-runtime-entry.ts' },
		bundle: true,
		write: false,
		format: 'iife',
		globalName: GLOBAL_NAME,
		platform: 'neutral',
		mainFields: ['module', 'main'],
		target: 'es2022',
		minifyWhitespace: false,
		minifyIdentifiers: true,
		minifySyntax: false,
		legalComments: 'inline',
		charset: 'utf8',
		logLevel: 'silent',
		plugins: [englishOnlyZod]
	});
	return result.outputFiles[0].text;
}

/**
 * Writes line breaks inside untagged template literals as `\n` escapes (same string), so
 * that no line of code starts inside a literal where a `// @ts-ignore` cannot be put.
 */
export function escapeTemplateNewlines(js: string): string {
	const sf = ts.createSourceFile('runtime.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
	const spans: [number, number][] = [];
	const visit = (n: ts.Node) => {
		if (
			(n.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral || n.kind === ts.SyntaxKind.TemplateHead || n.kind === ts.SyntaxKind.TemplateMiddle || n.kind === ts.SyntaxKind.TemplateTail) &&
			!isInTaggedTemplate(n)
		) {
			const start = n.getStart(sf);
			if (js.slice(start, n.end).includes('\n')) spans.push([start, n.end]);
		}
		ts.forEachChild(n, visit);
	};
	visit(sf);
	let out = '';
	let last = 0;
	for (const [a, b] of spans.sort((x, y) => x[0] - y[0])) {
		out += js.slice(last, a) + js.slice(a, b).replace(/\r\n|\n/g, (m) => (m === '\n' ? '\\n' : '\\r\\n'));
		last = b;
	}
	return out + js.slice(last);
}

function isInTaggedTemplate(n: ts.Node): boolean {
	for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
		if (ts.isTaggedTemplateExpression(p)) return true;
		if (ts.isTemplateExpression(p) || ts.isTemplateSpan(p) || ts.isNoSubstitutionTemplateLiteral(p)) continue;
		return false;
	}
	return false;
}

/**
 * Reprints the bundle without comments (TypeScript's own printer, so the text parses the
 * same way as TypeScript), then packs lines into chunks of about `width` characters, each
 * preceded by one `//@ts-ignore`. Every statement ends in a semicolon in printer output,
 * so joining lines never changes the program; lines that start inside a literal keep
 * their line break.
 */
export function packForTypeScript(js: string, width = 4000): string {
	const sf = ts.createSourceFile('runtime.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
	const printed = escapeTemplateNewlines(ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed }).printFile(sf));
	const ranges = literalRanges(printed);
	const out: string[] = [];
	let group = '';
	let offset = 0;
	let r = 0;
	for (const line of printed.split('\n')) {
		while (r < ranges.length && ranges[r][1] <= offset) r++;
		const inside = r < ranges.length && ranges[r][0] < offset && offset < ranges[r][1];
		offset += line.length + 1;
		if (inside) {
			group += '\n' + line;
			continue;
		}
		const text = line.trim();
		if (text === '') continue;
		if (group.length + text.length > width && group !== '') {
			out.push('//@ts-ignore', group);
			group = '';
		}
		group += group === '' ? text : ' ' + text;
	}
	if (group !== '') out.push('//@ts-ignore', group);
	return out.join('\n');
}

function literalRanges(js: string): [number, number][] {
	const sf = ts.createSourceFile('runtime.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
	const ranges: [number, number][] = [];
	const visit = (n: ts.Node) => {
		if (
			n.kind === ts.SyntaxKind.StringLiteral ||
			n.kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral ||
			n.kind === ts.SyntaxKind.TemplateHead ||
			n.kind === ts.SyntaxKind.TemplateMiddle ||
			n.kind === ts.SyntaxKind.TemplateTail ||
			n.kind === ts.SyntaxKind.RegularExpressionLiteral
		) {
			ranges.push([n.getStart(sf), n.end]);
		}
		ts.forEachChild(n, visit);
	};
	visit(sf);
	return ranges.sort((a, b) => a[0] - b[0]);
}

/** The text of src/lib/io/generated/runtime.ts. */
export async function runtimeModuleText(): Promise<string> {
	const js = (await bundleRuntime()).trimEnd();
	const body = packForTypeScript(js);
	const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
	return `// Generated by scripts/build-runtime-bundle.ts — do not edit. Rebuild with:
//   node --import tsx scripts/build-runtime-bundle.ts
// The engine, effects executor and expression language (with jsonata and zod), bundled
// for the TypeScript export. tests/io/runtime-freshness.test.ts checks it is current.
export const RUNTIME_HASH = ${JSON.stringify(hash)};
export const RUNTIME_GLOBAL = ${JSON.stringify(GLOBAL_NAME)};
export const RUNTIME_SOURCE = ${JSON.stringify(body)};
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const text = await runtimeModuleText();
	mkdirSync(dirname(RUNTIME_FILE), { recursive: true });
	writeFileSync(RUNTIME_FILE, text);
	console.log(`wrote ${RUNTIME_FILE} (${Math.round(text.length / 1024)} kB)`);
}
