/**
 * The page's `StudioHost`: the workflows of this browser's workspace, instances run by the
 * workspace's runtime worker (live, recorded in its event log, visible in the app), effect
 * pipelines and AI tools through the same handlers the runtime uses.
 */
import * as Comlink from 'comlink';
import { createAiHandlers } from '../../ai/handlers';
import { listWorkflows, loadWorkflow } from '../../collab/workspace';
import type { EffectHandler } from '../../effects/types';
import type { EventObject } from '../../engine/types';
import type { Workflow } from '../../model/types';
import { getRuntime, type RuntimeClient } from '../../runtime/client';
import type { InstanceSummary, RuntimeUpdate } from '../../runtime/types';
import { createMcpHandlers } from '../handlers';
import type { InstanceInfo, RunOptions, StudioHost, WorkflowInfo } from './host';

function info(s: InstanceSummary): InstanceInfo {
	const out: InstanceInfo = {
		instanceId: s.id,
		workflowId: s.workflowId,
		status: s.status,
		value: s.value,
		context: s.context,
		enabledEvents: s.enabledEvents,
		inputs: s.inputs
	};
	if (s.error) out.error = s.error;
	return out;
}

/**
 * Knows which effects of an instance are still running, from the runtime's event stream
 * (effect spans that started and have not ended), so a tool can answer once they settled.
 */
class SpanWatch {
	private open = new Map<string, Set<string>>();
	private sub: Promise<number> | null = null;

	constructor(private readonly rt: RuntimeClient) {}

	private onUpdate = (u: RuntimeUpdate) => {
		for (const [id, events] of Object.entries(u.events ?? {})) {
			let set = this.open.get(id);
			if (!set) this.open.set(id, (set = new Set()));
			for (const e of events) {
				if (e.kind !== 'effect') continue;
				const p = e.payload as { phase: string; spanId: string };
				if (p.phase === 'start') set.add(p.spanId);
				else if (p.phase === 'end' || p.phase === 'error' || p.phase === 'cancel') set.delete(p.spanId);
			}
		}
	};

	async watch(id: string): Promise<void> {
		if (!this.sub) this.sub = this.rt.subscribe(Comlink.proxy(this.onUpdate), { events: [] });
		const sub = await this.sub;
		if (!this.open.has(id)) this.open.set(id, new Set());
		await this.rt.watch(sub, [...this.open.keys()]);
	}

	/**
	 * Resolves once the instance has had no running effect for two ticks in a row (its
	 * results had time to come back as inputs), or after `maxMs`. Updates arrive at most
	 * every 16 ms, so a tick of 40 ms sees an effect that an event just started.
	 */
	async idle(id: string, maxMs: number): Promise<void> {
		const deadline = Date.now() + maxMs;
		let quiet = 0;
		while (Date.now() < deadline) {
			await new Promise((r) => setTimeout(r, 40));
			if ((this.open.get(id)?.size ?? 0) === 0) {
				if (++quiet >= 2) return;
			} else quiet = 0;
		}
	}
}

export class PageStudioHost implements StudioHost {
	readonly kind = 'page' as const;
	readonly noProviderHint = 'Add a provider in FSM Studio under Settings → Providers (and make it the default).';
	private readonly rt: RuntimeClient;
	private readonly spans: SpanWatch;
	private handlersCache: Record<string, EffectHandler<never>> | null = null;

	constructor(private readonly workspaceId = 'default') {
		this.rt = getRuntime(workspaceId);
		this.spans = new SpanWatch(this.rt);
	}

	async handlers(): Promise<Record<string, EffectHandler<never>>> {
		return (this.handlersCache ??= { ...createAiHandlers({ workspaceId: this.workspaceId }), ...createMcpHandlers({ workspaceId: this.workspaceId }) });
	}

	/** `create_ai_workflow` through the assistant, with the workspace's default model (Settings → Providers). */
	async assistant(description: string, options: { signal?: AbortSignal; name?: string } = {}): Promise<Workflow> {
		const [{ designWorkflow }, { chat }] = await Promise.all([import('../../assistant/mcp'), import('../../ai/llm/chat')]);
		return designWorkflow(description, { chat, workspaceId: this.workspaceId, ...options });
	}

	async listWorkflows(): Promise<WorkflowInfo[]> {
		return (await listWorkflows()).map((m) => ({ id: m.id, name: m.name, ...(m.description ? { description: m.description } : {}), states: m.stateCount, source: 'workspace' }));
	}

	async getWorkflow(id: string): Promise<Workflow | undefined> {
		const metas = await listWorkflows();
		const meta = metas.find((m) => m.id === id) ?? metas.find((m) => m.name === id);
		return meta ? loadWorkflow(meta.id) : undefined;
	}

	async runWorkflow(workflow: Workflow, options: RunOptions): Promise<InstanceInfo> {
		const settle = options.settleMs ?? 30_000;
		const workflowId = await this.rt.loadWorkflow(workflow);
		const id = await this.rt.createInstance(workflowId, { start: false, mode: 'live', ...(options.context ? { context: options.context } : {}) });
		await this.spans.watch(id);
		await this.rt.start(id);
		await this.spans.idle(id, settle);
		for (const e of options.events ?? []) {
			if ((await this.rt.getInstance(id)).status !== 'active') break;
			await this.rt.send(id, e);
			await this.spans.idle(id, settle);
		}
		return info(await this.rt.getInstance(id));
	}

	async sendEvent(instanceId: string, event: EventObject, options: { settleMs?: number } = {}): Promise<InstanceInfo> {
		const before = await this.instance(instanceId);
		if (before.status !== 'active' || !before.running)
			throw new Error(`Instance ${instanceId} is ${before.status === 'done' ? 'finished' : before.status === 'error' ? `stopped with an error (${before.error?.message ?? 'unknown'})` : 'stopped'}; start a new one with run_workflow.`);
		await this.spans.watch(instanceId);
		await this.rt.send(instanceId, event);
		await this.spans.idle(instanceId, options.settleMs ?? 30_000);
		return info(await this.rt.getInstance(instanceId));
	}

	async getSnapshot(instanceId: string): Promise<InstanceInfo> {
		return info(await this.instance(instanceId));
	}

	private async instance(id: string): Promise<InstanceSummary> {
		await this.rt.ready();
		try {
			return await this.rt.getInstance(id);
		} catch {
			throw new Error(`There is no instance "${id}". Start one with run_workflow (it returns the instanceId).`);
		}
	}
}
