import { defineConfig } from '@playwright/test';

// Debian's Chromium by default (Playwright's own browser download is not reachable here);
// set CHROMIUM_PATH to use another build, or set it to an empty string for Playwright's own.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// PW_PORT lets several preview servers (one per build) run side by side.
const port = Number(process.env.PW_PORT || 4173);
// The mock LLM server (tests/mocks/README.md) that AI journeys point providers at.
const mockPort = Number(process.env.MOCK_LLM_PORT || port + 1126);
process.env.MOCK_LLM_URL = `http://127.0.0.1:${mockPort}`;

export default defineConfig({
	testDir: 'e2e',
	timeout: 60_000,
	// A fresh browser context loads and compiles the app before the first assertion can pass:
	// measured 2–6 s for the home page's first render at load average 24–29 on 2 cores (CI runs
	// there), so Playwright's default of 5 s fails journeys that are merely slow, not broken.
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	webServer: [
		{
			command: `npx vite preview --port ${port} --strictPort`,
			port,
			reuseExistingServer: !process.env.CI
		},
		{
			command: `node --import tsx tests/mocks/serve.ts --port ${mockPort}`,
			url: `http://127.0.0.1:${mockPort}/__mock/requests`,
			reuseExistingServer: !process.env.CI
		}
	],
	use: {
		baseURL: `http://localhost:${port}`,
		serviceWorkers: 'allow',
		launchOptions: {
			executablePath: executablePath || undefined,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	}
});
