import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	worker: { format: 'es' },
	server: { port: 5173 },
	preview: { port: 4173 },
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		// the mock LLM server (tests/mocks/README.md) for tests of the AI layer
		globalSetup: ['tests/mocks/global-setup.ts'],
		testTimeout: 20_000
	}
});
