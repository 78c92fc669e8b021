/**
 * Workflow files in a folder (FSM Studio JSON, XState JSON or code, Mermaid, SCXML), read
 * through the same importers as the app. Re-read when a file changes, so an agent sees
 * edits without a restart.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { detectFormat, importDataFile, importFile } from '../io/drop';
import type { Workflow } from '../model/types';
import type { WorkflowInfo } from '../mcp/server/host';

export interface FolderWorkflow {
	workflow: Workflow;
	/** Path relative to the folder. */
	file: string;
}

export interface FolderProblem {
	file: string;
	message: string;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.fsm-studio']);
const MAX_FILES = 2000;

function countStates(states: Workflow['states'] | undefined): number {
	let n = 0;
	for (const s of Object.values(states ?? {})) n += 1 + countStates(s.states);
	return n;
}

/** Reads one workflow file; the error says which file and what is wrong. */
export async function readWorkflowFile(path: string): Promise<{ ok: true; workflow: Workflow } | { ok: false; message: string }> {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (e) {
		return { ok: false, message: `${path} could not be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (e as Error).message}` };
	}
	const r = await importFile(basename(path), text);
	if (!r.ok) return { ok: false, message: `${path} is not a workflow FSM Studio can run: ${r.errors.slice(0, 5).map((e) => e.message).join(' ')}` };
	return { ok: true, workflow: r.workflow };
}

export class WorkflowFolder {
	private cache = new Map<string, { mtimeMs: number; size: number; result: FolderWorkflow | FolderProblem }>();

	constructor(readonly dir: string) {}

	/** Scans the folder (and sub-folders); unchanged files are not parsed again. */
	scan(): { workflows: FolderWorkflow[]; problems: FolderProblem[] } {
		const workflows: FolderWorkflow[] = [];
		const problems: FolderProblem[] = [];
		const seen = new Set<string>();
		const walk = (d: string, depth: number) => {
			let entries: import('node:fs').Dirent[];
			try {
				entries = readdirSync(d, { withFileTypes: true });
			} catch (e) {
				problems.push({ file: relative(this.dir, d) || '.', message: `The folder could not be read: ${(e as Error).message}` });
				return;
			}
			for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
				if (seen.size >= MAX_FILES) return;
				const full = join(d, ent.name);
				if (ent.isDirectory()) {
					if (depth < 4 && !SKIP_DIRS.has(ent.name) && !ent.name.startsWith('.')) walk(full, depth + 1);
					continue;
				}
				if (!ent.isFile() || !/\.(json|mmd|mermaid|scxml|xml)$/i.test(ent.name) || /^(package(-lock)?|tsconfig)\.json$/.test(ent.name)) continue;
				seen.add(full);
				const st = statSync(full);
				let c = this.cache.get(full);
				if (!c || c.mtimeMs !== st.mtimeMs || c.size !== st.size) {
					const file = relative(this.dir, full);
					const text = readFileSync(full, 'utf8');
					if (!detectFormat(ent.name, text)) continue;
					const r = importDataFile(ent.name, text);
					c = { mtimeMs: st.mtimeMs, size: st.size, result: r.ok ? { workflow: r.workflow, file } : { file, message: r.errors.slice(0, 3).map((e) => e.message).join(' ') } };
					this.cache.set(full, c);
				}
				if ('workflow' in c.result) workflows.push(c.result);
				else problems.push(c.result);
			}
		};
		walk(this.dir, 0);
		for (const k of [...this.cache.keys()]) if (!seen.has(k)) this.cache.delete(k);
		return { workflows, problems };
	}

	list(): WorkflowInfo[] {
		return this.scan().workflows.map(({ workflow: w, file }) => ({
			id: w.id,
			name: w.name,
			...(w.description ? { description: w.description } : {}),
			states: countStates(w.states),
			source: file
		}));
	}

	/** A workflow by its id, or by its file name (with or without the extension). */
	get(ref: string): FolderWorkflow | undefined {
		const { workflows } = this.scan();
		return (
			workflows.find((w) => w.workflow.id === ref) ??
			workflows.find((w) => w.file === ref || w.file.replace(/\.[^.]+$/, '') === ref.replace(/\.[^.]+$/, '') || basename(w.file) === ref)
		);
	}
}
