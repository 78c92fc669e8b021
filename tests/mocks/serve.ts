/**
 * Runs the mock LLM server as a process (Playwright's second webServer):
 * `node --import tsx tests/mocks/serve.ts --port 5299`.
 */
import { startMockLlmServer } from './llm-server';

const i = process.argv.indexOf('--port');
const port = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.MOCK_LLM_PORT || 5299);
const server = await startMockLlmServer({ port });
console.log(`mock LLM server on ${server.url}`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
