/**
 * `npm run eval:assistant [-- --limit N] [-- --json report.json]`: drafts every description of
 * tests/fixtures/assistant-eval/ with the assistant against a real provider from the
 * environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, OPENROUTER_API_KEY, or
 * OPENAI_BASE_URL + FSM_STUDIO_MODEL for a local OpenAI-compatible server; FSM_STUDIO_MODEL
 * picks the model) and reports the share of drafts that parse and the share that are
 * lint-clean. Without any, it says so and is skipped (exit code 0).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatServiceFromEnv, configuredProviders, NO_PROVIDER_HINT } from '../src/lib/headless/ai';
import { evaluateAssistant, type EvalCase } from '../src/lib/assistant/eval';

const dir = join(import.meta.dirname, '../tests/fixtures/assistant-eval');
const args = process.argv.slice(2);
const arg = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};

const cases: EvalCase[] = readdirSync(dir)
	.filter((f) => f.endsWith('.txt'))
	.sort()
	.map((f) => ({ id: f.replace(/\.txt$/, ''), description: readFileSync(join(dir, f), 'utf8').trim() }))
	.slice(0, Number(arg('--limit') ?? Infinity));

const chat = await chatServiceFromEnv(process.env);
if (!chat) {
	console.log(`eval:assistant skipped — no model provider in the environment. ${NO_PROVIDER_HINT.replace(' of fsm-studio', '').replace(', then start it again.', ', then run it again.')}`);
	process.exit(0);
}
const provider = configuredProviders(process.env)[0];
console.log(`eval:assistant: ${cases.length} descriptions, provider ${provider}${process.env.FSM_STUDIO_MODEL ? `, model ${process.env.FSM_STUDIO_MODEL}` : ''}`);

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const ac = new AbortController();
process.on('SIGINT', () => ac.abort());
const report = await evaluateAssistant(
	cases,
	{ chat: chat.chat, workspaceId: 'eval' },
	(item, i) => {
		const mark = item.lintClean ? 'clean' : item.parsed ? 'parsed' : 'FAILED';
		console.log(
			`${String(i + 1).padStart(2)}. ${item.id.padEnd(20)} ${mark.padEnd(6)} repairs ${item.repairs}  states ${String(item.states).padStart(2)}  ${(item.ms / 1000).toFixed(1)} s  $${item.spend.costUsd.toFixed(4)}` +
				(item.failure ? `\n    ${item.failure.slice(0, 300)}` : '') +
				(item.warnings.length ? `\n    warnings: ${item.warnings.slice(0, 3).join(' | ').slice(0, 300)}` : '')
		);
	},
	ac.signal
);
console.log(
	`\nparse: ${pct(report.parsedShare)} (${report.items.filter((x) => x.parsed).length}/${report.total})  ` +
		`lint-clean: ${pct(report.lintCleanShare)} (${report.items.filter((x) => x.lintClean).length}/${report.total})  ` +
		`valid on the first answer: ${pct(report.firstTryShare)}  cost: $${report.costUsd.toFixed(4)}${report.estimated ? ' (estimated)' : ''}`
);
const out = arg('--json');
if (out) writeFileSync(out, JSON.stringify(report, null, 2));
