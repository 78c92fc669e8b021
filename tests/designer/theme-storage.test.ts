import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetLocalStorageState, storageRefusal } from '../../src/lib/designer/local-storage';

// The theme is read first thing on every page: a browser that refuses storage (an embedded
// page with third-party storage blocked) must still get a page, and the refusal is noted.
describe('theme with storage refused', () => {
	afterEach(() => {
		vi.unstubAllGlobals();
		resetLocalStorageState();
	});

	it('opens and switches theme when reading window.localStorage throws', async () => {
		const refuse = () => {
			throw new DOMException('The operation is insecure.', 'SecurityError');
		};
		vi.stubGlobal('window', { matchMedia: () => ({ matches: true, addEventListener() {} }) });
		Object.defineProperty(globalThis, 'localStorage', { configurable: true, get: refuse });
		try {
			const { theme } = await import('../../src/lib/designer/theme.svelte');
			expect(() => theme.init()).not.toThrow();
			expect(theme.resolved).toBe('dark');
			expect(() => theme.set('light')).not.toThrow();
			expect(theme.resolved).toBe('light');
			expect(storageRefusal()).toMatch(/refuses storage/);
		} finally {
			Object.defineProperty(globalThis, 'localStorage', { configurable: true, value: undefined });
		}
	});
});
