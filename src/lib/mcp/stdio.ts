/**
 * `fsm-studio mcp`: FSM Studio's tools over MCP on stdin/stdout, for MCP clients (Claude
 * Desktop, VS Code, agents) that start it as a child process. Workflows come from a folder;
 * instances and their events are kept on disk so they survive a restart.
 */
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { HeadlessHost } from '../headless/host';
import { configuredProviders } from '../headless/ai';
import { last, parseArgs } from '../headless/args';
import { createStudioMcpServer } from './server/server';

export const MCP_USAGE = `Usage: fsm-studio mcp [options]

Serves FSM Studio's tools over MCP on stdin/stdout: list_workflows, get_workflow,
run_workflow, send_event, get_snapshot, execute_effect_pipeline, call_llm, embed_text,
rag_pipeline, coordinate_agents, create_ai_workflow.

Options:
  --dir <folder>     Folder with workflow files (default: the current folder).
  --store <folder>   Where instances and their events are kept
                     (default: <dir>/.fsm-studio/instances).
  --no-store         Keep instances in memory only.

Language models use keys from the environment: OPENAI_API_KEY, ANTHROPIC_API_KEY,
GEMINI_API_KEY or OPENROUTER_API_KEY (the first one set is the default), or
OPENAI_BASE_URL for an OpenAI-compatible server (Ollama, LM Studio…).
FSM_STUDIO_MODEL overrides the default model.`;

export async function mcpCommand(argv: string[]): Promise<number> {
	let args;
	try {
		args = parseArgs(argv, ['dir', 'store'], ['help', 'no-store']);
	} catch (e) {
		process.stderr.write(`${(e as Error).message}\n\n${MCP_USAGE}\n`);
		return 2;
	}
	if (args.switches.has('help')) {
		process.stdout.write(`${MCP_USAGE}\n`);
		return 0;
	}
	const dir = resolve(last(args, 'dir') ?? process.cwd());
	if (!existsSync(dir) || !statSync(dir).isDirectory()) {
		process.stderr.write(`--dir ${dir} is not a folder.\n`);
		return 2;
	}
	const storeFlag = last(args, 'store');
	const host = new HeadlessHost({ dir, storeDir: args.switches.has('no-store') ? null : storeFlag ? resolve(storeFlag) : undefined });
	const { workflows, problems } = host.folder.scan();
	const providers = configuredProviders(process.env);
	// stdout is the protocol channel: everything for people goes to stderr
	process.stderr.write(
		`FSM Studio MCP server on stdio: ${workflows.length} workflow${workflows.length === 1 ? '' : 's'} in ${dir}` +
			`${host.store ? `; instances in ${host.store.dir}` : '; instances in memory'}` +
			`; language models: ${providers.length ? providers.join(', ') : 'none (set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OPENAI_BASE_URL)'}.\n`
	);
	for (const p of problems) process.stderr.write(`  skipped ${p.file}: ${p.message}\n`);

	const handle = serveStdio(() => createStudioMcpServer(host), { onerror: (e) => process.stderr.write(`MCP error: ${e.message}\n`) });
	return new Promise<number>((done) => {
		let closing = false;
		const shutdown = (code: number) => {
			if (closing) return;
			closing = true;
			host.close();
			void handle.close().finally(() => done(code));
		};
		process.stdin.on('end', () => shutdown(0));
		process.stdin.on('close', () => shutdown(0));
		process.on('SIGINT', () => shutdown(130));
		process.on('SIGTERM', () => shutdown(143));
	});
}
