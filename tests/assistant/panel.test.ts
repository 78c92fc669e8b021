import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { LOCAL, readWorkflow, writeWorkflow } from '$lib/collab/binding';
import { saveProvider, setWorkspaceDefault } from '$lib/ai/settings/providers';
import { AssistantController, type AssistantHost, type PreviewOverlay } from '$lib/designer/assistant/assistant.svelte';
import type { Workflow } from '$lib/model/types';
import { freshAiDb } from '../ai/helpers';
import { mockSession } from '../mocks/client';
import { goodDraft, httpWorkflow } from './helpers';

// The panel's controller with the app's real chat service (providers in IndexedDB, pointed at
// the mock LLM server) on a real Y.Doc with the designer's undo manager.

const base = inject('mockLlmUrl');
let s: ReturnType<typeof mockSession>;

class Host implements AssistantHost {
	doc = new Y.Doc();
	undo: Y.UndoManager;
	previews: ({ workflow: Workflow; overlay: PreviewOverlay } | null)[] = [];
	revealed: string[] = [];
	selectedNodes = new Set<string>();
	constructor(wf: Workflow) {
		writeWorkflow(this.doc, wf, 'load');
		this.undo = new Y.UndoManager(this.doc.getMap('workflow'), { trackedOrigins: new Set([LOCAL]), captureTimeout: 250 });
	}
	get workflow() {
		return readWorkflow(this.doc);
	}
	revealElement(t: { node?: string }) {
		if (t.node) this.revealed.push(t.node);
	}
	setPreview(p: { workflow: Workflow; overlay: PreviewOverlay } | null) {
		this.previews.push(p);
	}
	endUndoStep() {
		this.undo.stopCapturing();
	}
}

const blank = { format: 'fsm-studio/workflow', version: 1, id: 'wf-blank', name: 'Untitled workflow', initial: '', states: {} } as unknown as Workflow;

beforeEach(async () => {
	const db = freshAiDb();
	s = mockSession(base);
	await saveProvider({ id: 'mock', name: 'Mock', kind: 'openai', baseUrl: s.openai, apiKey: 'sk-test', defaultModel: 'gpt-4o-mini' }, db);
	await setWorkspaceDefault('default', { providerId: 'mock' }, db);
});

describe('the Assistant panel', () => {
	it('draft: previewed on the canvas, the document untouched until Accept, which is one undo step', async () => {
		await s.script([{ reply: { json: { summary: 'Answers tickets.', workflow: goodDraft }, usage: { input: 900, output: 400 } } }]);
		const host = new Host(blank);
		const c = new AssistantController(host);
		await c.loadProviders();
		expect(c.providers.map((p) => p.name)).toEqual(['Mock']);
		c.input = 'Answer support tickets with a model';
		await c.run();
		await expect.poll(() => c.proposal).not.toBeNull();
		expect(c.error).toBeNull();
		// shown, not applied
		expect(readWorkflow(host.doc).states).toEqual({});
		const shown = host.previews.at(-1)!;
		expect(Object.keys(shown.workflow.states)).toEqual(['idle', 'answering', 'human', 'done']);
		expect(shown.overlay.classes).toMatchObject({ idle: 'ai-added', done: 'ai-added' });
		expect(c.proposal!.preview.counts.added).toBeGreaterThan(4);
		expect(c.lastSpend).toMatchObject({ inputTokens: 900, outputTokens: 400, calls: 1 });
		expect(c.lastSpend!.costUsd).toBeGreaterThan(0);

		expect(await c.accept()).toBe(true);
		const after = readWorkflow(host.doc);
		expect(after.id).toBe('wf-blank');
		expect(after.name).toBe('Ticket answerer');
		expect(Object.keys(after.states)).toEqual(['idle', 'answering', 'human', 'done']);
		for (const p of ['idle', 'answering', 'human', 'done']) expect(after.layout?.[p], p).toBeDefined();
		expect(host.previews.at(-1)).toBeNull();
		expect(host.undo.undoStack).toHaveLength(1);
		host.undo.undo();
		expect(readWorkflow(host.doc).states).toEqual({});
	});

	it('discard leaves the document as it was and removes the preview', async () => {
		await s.script([{ reply: { json: { summary: 'x', workflow: goodDraft } } }]);
		const host = new Host(httpWorkflow);
		const before = JSON.stringify(readWorkflow(host.doc));
		const c = new AssistantController(host);
		c.input = 'something else entirely';
		await c.run();
		await expect.poll(() => c.proposal).not.toBeNull();
		// the draft replaces the workflow: its old states show as removed ghosts
		expect(host.previews.at(-1)!.overlay.classes).toMatchObject({ fetching: 'ai-removed', answering: 'ai-added' });
		c.discard();
		expect(c.proposal).toBeNull();
		expect(host.previews.at(-1)).toBeNull();
		expect(JSON.stringify(readWorkflow(host.doc))).toBe(before);
		expect(host.undo.undoStack).toHaveLength(0);
	});

	it('edit: the designer’s operations, applied as one undo step; a review finding’s fix becomes an edit', async () => {
		await s.script([
			{ match: 'You review FSM Studio workflows', reply: { json: { summary: 'One risk.', findings: [] } } },
			{ reply: { json: { summary: 'Wrapped in a timeout.', operations: [{ op: 'setStateFields', path: 'fetching', fields: { invoke: { type: 'timeout', ms: 30000, effect: { type: 'http', url: 'https://api.example.com/items' } } } }] } } }
		]);
		const host = new Host(httpWorkflow);
		const c = new AssistantController(host);
		c.setMode('review');
		await c.run();
		expect(c.findings?.map((f) => f.rule)).toContain('no-timeout');
		const finding = c.findings!.find((f) => f.rule === 'no-timeout')!;
		c.fix(finding);
		expect(c.mode).toBe('edit');
		expect(c.input).toMatch(/timeout/);
		await expect.poll(() => c.proposal).not.toBeNull();
		expect(host.previews.at(-1)!.overlay.classes).toEqual({ fetching: 'ai-changed' });
		expect(c.proposal!.steps).toEqual(['Change invoke of fetching']);
		expect(await c.accept()).toBe(true);
		expect(readWorkflow(host.doc).states.fetching.invoke).toMatchObject({ type: 'timeout', ms: 30000 });
		expect(host.undo.undoStack).toHaveLength(1);
		host.undo.undo();
		expect(readWorkflow(host.doc)).toEqual(httpWorkflow);
		expect(c.totalSpend.calls).toBe(2);
	});

	it('an edit that no longer fits the document (changed meanwhile) is refused on Accept, nothing applied', async () => {
		await s.script([{ reply: { json: { summary: 'x', operations: [{ op: 'addTransition', source: 'done', event: 'AGAIN', target: 'idle' }] } } }]);
		const host = new Host(httpWorkflow);
		const c = new AssistantController(host);
		c.setMode('edit');
		c.input = 'let it start again when done';
		await c.run();
		await expect.poll(() => c.proposal).not.toBeNull();
		// someone removes "done" meanwhile
		const { removeStates } = await import('$lib/collab/ops');
		removeStates(host.doc, ['done']);
		expect(c.stale).toBe(true);
		const before = JSON.stringify(readWorkflow(host.doc));
		expect(await c.accept()).toBe(false);
		expect(c.error).toMatch(/changed since this was proposed/);
		expect(JSON.stringify(readWorkflow(host.doc))).toBe(before);
	});

	it('cancel: the request stops, the connection closes, nothing changes', async () => {
		await s.script([{ scenario: 'slow' }]);
		const host = new Host(httpWorkflow);
		const c = new AssistantController(host);
		c.input = 'anything';
		const running = c.run();
		await expect.poll(() => c.stream.length).toBeGreaterThan(5);
		c.cancel();
		await running;
		expect(c.busy).toBe(false);
		expect(c.proposal).toBeNull();
		expect(c.notice).toMatch(/Cancelled — nothing was changed/);
		await expect.poll(async () => (await s.requests())[0]?.aborted).toBe(true);
		expect(readWorkflow(host.doc)).toEqual(httpWorkflow);
	});

	it('without any provider: an empty state, and a request says what to do', async () => {
		freshAiDb();
		const host = new Host(httpWorkflow);
		const c = new AssistantController(host);
		await c.loadProviders();
		expect(c.providers).toEqual([]);
		c.input = 'x';
		await c.run();
		expect(c.error).toMatch(/No provider configured — add one in Settings → Providers/);
	});
});
