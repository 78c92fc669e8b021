import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImports, checkRepository, findImports, layerResolver, resolveSpecifier } from './layers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('layers of docs/architecture.md', () => {
	const repo = checkRepository(root);

	it('every import of the app follows the layer order, and every source file is in a layer', () => {
		expect(repo.files.length).toBeGreaterThan(200);
		// the parser finds the imports (a wrong regular expression would find none and pass)
		expect(repo.imports.filter((i) => i.to).length).toBeGreaterThan(1000);
		expect(repo.violations.map((v) => v.message)).toEqual([]);
	});

	it('the table is the one the documentation describes: numbered in order, each folder of src/lib placed', () => {
		expect(repo.layers.map((l) => l.rank)).toEqual(repo.layers.map((_, i) => i + 1));
		const names = repo.layers.map((l) => l.name);
		for (const n of ['model', 'expr', 'effects', 'engine', 'store', 'ai', 'mcp', 'runtime', 'sim', 'ui', 'app']) expect(names).toContain(n);
		// effects sits below engine; the simulator above the runtime it extends; the UI above both
		expect(names.indexOf('effects')).toBeLessThan(names.indexOf('engine'));
		expect(names.indexOf('runtime')).toBeLessThan(names.indexOf('sim'));
		expect(names.indexOf('sim')).toBeLessThan(names.indexOf('ui'));
	});

	const layers = repo.layers;
	const layerOf = layerResolver(layers);

	it('places a file by its most specific path', () => {
		expect(layerOf('src/lib/model/tree.ts')?.name).toBe('model');
		expect(layerOf('src/lib/mcp/client.ts')?.name).toBe('mcp');
		expect(layerOf('src/lib/mcp/server/tools.ts')?.name).toBe('mcp server');
		expect(layerOf('src/lib/mcp/ui/CallToolEditor.svelte')?.name).toBe('ui');
		expect(layerOf('src/lib/ai/agents/ui/AgentsPage.svelte')?.name).toBe('ui');
		expect(layerOf('src/lib/nav.ts')?.name).toBe('ui');
		expect(layerOf('src/routes/w/[id]/+page.svelte')?.name).toBe('app');
		expect(layerOf('src/lib/unknown-folder/x.ts')).toBeUndefined();
	});

	it('fails on an import against the order, on a pure layer importing Dexie, and on a file in no layer', () => {
		const imports = [
			...findImports('src/lib/effects/x.ts', "import type { Interpreter } from '../engine/types';\nimport Dexie from 'dexie';"),
			...findImports('src/lib/engine/y.ts', "export { x } from '../effects/x';\nconst m = await import('$lib/designer/Icon.svelte');"),
			...findImports('src/lib/runtime/z.ts', "import {\n\ta,\n\ttype B\n} from '../model/types';\nimport '../sim/host';")
		];
		expect(imports.map((i) => [i.spec, i.to, i.line])).toEqual([
			['../engine/types', 'src/lib/engine/types', 1],
			['dexie', undefined, 2],
			['../effects/x', 'src/lib/effects/x', 1],
			['$lib/designer/Icon.svelte', 'src/lib/designer/Icon.svelte', 2],
			['../model/types', 'src/lib/model/types', 1],
			['../sim/host', 'src/lib/sim/host', 5]
		]);
		const messages = checkImports(layers, imports, ['src/lib/effects/x.ts', 'src/lib/nowhere/a.ts']).map((v) => v.message);
		expect(messages).toEqual([
			'src/lib/nowhere/a.ts is in no layer of docs/architecture.md: add its folder to the table',
			"src/lib/effects/x.ts:1 imports '../engine/types': layer 3 (effects) may not import layer 4 (engine)",
			"src/lib/effects/x.ts:2 imports 'dexie': layer effects is pure (no Svelte, Dexie, Yjs, lib0 or Comlink)",
			"src/lib/engine/y.ts:2 imports '$lib/designer/Icon.svelte': layer 4 (engine) may not import layer 19 (ui)",
			"src/lib/runtime/z.ts:5 imports '../sim/host': layer 14 (runtime) may not import layer 15 (sim)"
		]);
	});

	it('resolves specifiers to the files they name', () => {
		expect(resolveSpecifier('src/lib/sim/host.ts', '../runtime/host', root)).toBe('src/lib/runtime/host.ts');
		expect(resolveSpecifier('src/routes/+page.svelte', '$lib/designer/Icon.svelte', root)).toBe('src/lib/designer/Icon.svelte');
		expect(resolveSpecifier('src/lib/nav.ts', './examples', root)).toBe('src/lib/examples/index.ts');
		expect(resolveSpecifier('src/lib/runtime/client.ts', '../../workers/runtime.worker?worker', root)).toBe('src/workers/runtime.worker.ts');
		expect(resolveSpecifier('src/lib/x.ts', 'dexie', root)).toBeUndefined();
	});
});

describe('things spelled in one place', () => {
	const { files } = checkRepository(root);
	const texts = files.map((f) => [f, readFileSync(join(root, f), 'utf8')] as const);

	it('the clipboard is used through io/browser/clipboard.ts only', () => {
		const raw = texts.filter(([f, t]) => f !== 'src/lib/io/browser/clipboard.ts' && /navigator\.clipboard/.test(t)).map(([f]) => f);
		expect(raw).toEqual([]);
	});

	it("the engine's event names (done.invoke., error.invoke., error.effect., done.state.) are built by model/events.ts only", () => {
		const prefix = /['"`](done\.invoke|error\.invoke|error\.effect|done\.state)\.(['"`]|\$\{)/;
		const spelled = texts.filter(([f, t]) => f !== 'src/lib/model/events.ts' && prefix.test(t)).map(([f]) => f);
		expect(spelled).toEqual([]);
		// and the check sees a spelled prefix
		expect(prefix.test("const t = 'done.invoke.' + path;")).toBe(true);
		expect(prefix.test('const t = `error.effect.${path}`;')).toBe(true);
		expect(prefix.test("'done.invoke.classifying': []")).toBe(false);
	});
});
