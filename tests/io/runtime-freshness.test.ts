/**
 * The TypeScript export embeds a bundle of src/lib/engine, src/lib/effects and src/lib/expr
 * (src/lib/io/generated/runtime.ts). When those change, the bundle must be rebuilt:
 *   node --import tsx scripts/build-runtime-bundle.ts
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RUNTIME_FILE, runtimeModuleText } from '../../scripts/build-runtime-bundle';

describe('generated runtime bundle', () => {
	it('is current with the engine, effects and expression sources (else run: npm run build:runtime)', async () => {
		const fresh = await runtimeModuleText();
		const committed = readFileSync(RUNTIME_FILE, 'utf8');
		// Compare hashes first so a failure prints one line, not 700 kB.
		const hash = (t: string) => /RUNTIME_HASH = "([0-9a-f]+)"/.exec(t)?.[1];
		expect(hash(committed)).toBe(hash(fresh));
		expect(committed === fresh).toBe(true);
	}, 60_000);
});
