#!/usr/bin/env node
// The fsm-studio command line. Subcommands live in TypeScript modules of the app's source
// (the same pure core the browser runs), loaded through tsx.
import { register } from 'tsx/esm/api';

/** Subcommands: the module that implements each, its exported function and a one-line summary. */
const commands = {
	mcp: { module: '../src/lib/mcp/stdio.ts', run: 'mcpCommand', summary: 'Serve FSM Studio’s tools over MCP on stdio (for Claude Desktop, VS Code, agents)' },
	run: { module: '../src/lib/headless/run-command.ts', run: 'runCommand', summary: 'Run a workflow file headless and print the final snapshot as JSON' },
	relay: { module: './relay.js', run: 'relay', summary: 'Run the relay that collaboration rooms meet on (encrypted, y-webrtc signaling)' }
};

const usage = `Usage: fsm-studio <command> [options]

Commands:
${Object.entries(commands)
	.map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
	.join('\n')}

Run fsm-studio <command> --help for its options.`;

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 6)) {
	process.stderr.write(`fsm-studio needs Node.js 20.6 or newer (this is ${process.versions.node}).\n`);
	process.exit(2);
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
	process.stdout.write(`${usage}\n`);
	process.exit(name ? 0 : 2);
}
if (name === '--version' || name === '-v') {
	const { createRequire } = await import('node:module');
	process.stdout.write(`${createRequire(import.meta.url)('../package.json').version}\n`);
	process.exit(0);
}
const command = Object.hasOwn(commands, name) ? commands[/** @type {keyof typeof commands} */ (name)] : undefined;
if (!command) {
	process.stderr.write(`Unknown command "${name}".\n\n${usage}\n`);
	process.exit(2);
}
if (command.module.endsWith('.ts')) register();
try {
	const mod = await import(new URL(command.module, import.meta.url).href);
	const code = await mod[command.run](rest);
	// a command that returns an exit code is done; one that returns nothing keeps serving
	if (typeof code === 'number') process.exit(code);
} catch (e) {
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
}
