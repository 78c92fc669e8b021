/**
 * The command line's `StudioHost`: workflows from a folder, instances run by the pure core
 * in this process, their events on disk, language models from environment variables.
 */
import { join, resolve } from 'node:path';
import { createSharedResilience } from '../effects/resilience';
import type { EffectHandler } from '../effects/types';
import type { EventObject } from '../engine/types';
import type { Workflow } from '../model/types';
import type { InstanceInfo, RunOptions, StudioHost, WorkflowInfo } from '../mcp/server/host';
import { EffectError } from '../effects/errors';
import { aiHandlersFromEnv, chatServiceFromEnv, NO_PROVIDER_HINT } from './ai';
import { HeadlessInstance } from './instance';
import { DiskEventStore } from './store';
import { WorkflowFolder } from './workflows';

export interface HeadlessHostOptions {
	/** Folder with workflow files. */
	dir: string;
	/** Where instances and their events are kept (default `<dir>/.fsm-studio/instances`); null: in memory only. */
	storeDir?: string | null;
	/** Environment to read provider keys from (default process.env). */
	env?: Record<string, string | undefined>;
	/** Extra or replacement effect handlers (tests, embedders). */
	handlers?: Record<string, EffectHandler<never>>;
}

let counter = 0;
function newInstanceId(workflowId: string): string {
	const safe = workflowId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 60) || 'instance';
	const rand = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
	return `${safe}-${Date.now().toString(36)}${(counter++ % 1296).toString(36)}${rand}`;
}

export class HeadlessHost implements StudioHost {
	readonly kind = 'cli' as const;
	readonly noProviderHint = NO_PROVIDER_HINT;
	readonly folder: WorkflowFolder;
	readonly store: DiskEventStore | null;
	private readonly env: Record<string, string | undefined>;
	private readonly extra: Record<string, EffectHandler<never>>;
	private readonly shared = createSharedResilience();
	private readonly live = new Map<string, HeadlessInstance>();
	private handlersPromise: Promise<Record<string, EffectHandler<never>>> | null = null;

	constructor(o: HeadlessHostOptions) {
		this.folder = new WorkflowFolder(resolve(o.dir));
		const storeDir = o.storeDir === undefined ? join(resolve(o.dir), '.fsm-studio', 'instances') : o.storeDir;
		this.store = storeDir ? new DiskEventStore(storeDir) : null;
		this.env = o.env ?? process.env;
		this.extra = o.handlers ?? {};
	}

	handlers(): Promise<Record<string, EffectHandler<never>>> {
		return (this.handlersPromise ??= aiHandlersFromEnv(this.env).then((ai) => ({ ...ai, ...this.extra })));
	}

	/** `create_ai_workflow` through the assistant, with the environment's default model. */
	async assistant(description: string, options: { signal?: AbortSignal; name?: string } = {}): Promise<Workflow> {
		const service = await chatServiceFromEnv(this.env);
		if (!service) throw new EffectError('no_provider', NO_PROVIDER_HINT);
		const { designWorkflow } = await import('../assistant/mcp');
		return designWorkflow(description, { chat: (c) => service.chat(c), workspaceId: 'cli', ...options });
	}

	async listWorkflows(): Promise<WorkflowInfo[]> {
		return this.folder.list();
	}

	async getWorkflow(id: string): Promise<Workflow | undefined> {
		return this.folder.get(id)?.workflow;
	}

	async runWorkflow(workflow: Workflow, options: RunOptions): Promise<InstanceInfo> {
		const wf: Workflow = options.context ? { ...workflow, context: { ...(workflow.context ?? {}), ...options.context } } : workflow;
		const id = newInstanceId(wf.id);
		const now = Date.now();
		this.store?.createInstance({
			id,
			workflowId: wf.id,
			workflowName: wf.name,
			workflow: wf,
			createdAt: now,
			startedAt: now,
			...(this.folder.get(wf.id) ? { file: this.folder.get(wf.id)!.file } : {})
		});
		const inst = await this.spawn(id, wf);
		inst.start();
		await inst.settle(options.settleMs);
		for (const e of options.events ?? []) {
			inst.send(e);
			await inst.settle(options.settleMs);
		}
		this.store?.flush();
		return inst.info();
	}

	async sendEvent(instanceId: string, event: EventObject, options: { settleMs?: number } = {}): Promise<InstanceInfo> {
		const inst = await this.instance(instanceId);
		const before = inst.info();
		if (before.status !== 'active') throw new Error(`Instance ${instanceId} has ${before.status === 'done' ? 'finished' : `stopped with an error (${before.error?.message ?? 'unknown'})`}; start a new one with run_workflow.`);
		inst.send(event);
		await inst.settle(options.settleMs);
		this.store?.flush();
		return inst.info();
	}

	async getSnapshot(instanceId: string): Promise<InstanceInfo> {
		return (await this.instance(instanceId)).info();
	}

	/** Instances kept on disk, newest first. */
	listInstances() {
		return this.store?.list() ?? [];
	}

	/** Stops every live instance and writes what is queued (call before the process exits). */
	close(): void {
		for (const i of this.live.values()) i.stop();
		this.live.clear();
		this.store?.flush();
	}

	private async spawn(id: string, workflow: Workflow, snapshot?: ReturnType<DiskEventStore['replay']>): Promise<HeadlessInstance> {
		const store = this.store;
		const inst = new HeadlessInstance({
			id,
			workflow,
			handlers: await this.handlers(),
			shared: this.shared,
			...(snapshot ? { snapshot } : {}),
			onEvent: store ? (e) => store.append(id, e) : undefined
		});
		this.live.set(id, inst);
		return inst;
	}

	/** A live instance, resumed from disk (replaying its inputs) when this process did not start it. */
	private async instance(id: string): Promise<HeadlessInstance> {
		const live = this.live.get(id);
		if (live) return live;
		const meta = this.store?.meta(id);
		if (!meta) throw new Error(`There is no instance "${id}". Start one with run_workflow (it returns the instanceId).`);
		const snapshot = this.store!.replay(id)!;
		const inst = await this.spawn(id, meta.workflow, snapshot);
		inst.start();
		return inst;
	}
}
