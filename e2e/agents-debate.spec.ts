import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { addProvider, session } from './llm-helpers';
import { connect, dragFromLibrary, mod, newWorkflow, stateNode, workflowJson } from './designer-helpers';

// A newcomer's journey with agents: save four agents on the Agents page, drop a ready-made
// debate of them from the node library onto a state, read the plan and the estimate, run it
// live against the mock LLM server and watch each agent's lane stream, vote and the judge
// decide; after a reload the run is still there, in the lanes and in the event log.

async function createAgent(page: Page, name: string, role: string, tools?: string) {
	await page.getByRole('button', { name: 'New agent' }).click();
	const form = page.getByRole('form', { name: 'New agent' });
	await form.getByLabel('Name', { exact: true }).fill(name);
	await form.getByLabel(/^Role/).fill(role);
	if (tools) await form.getByLabel(/^Tools it may call/).fill(tools);
	await form.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('list', { name: 'Agents of this workspace' }).getByRole('heading', { name, exact: true })).toBeVisible();
}

test('build a debate from the node library, see the estimate, run it, watch the lanes and votes, find it again after a reload', async ({ page }) => {
	test.setTimeout(180_000);
	const s = session();
	await s.script([
		{ match: 'You are Moderator', reply: { json: { winner: 2, reasons: 'Waiting for the audit costs little and removes the main risk.', agreement: 0.67 } } },
		{ match: '/You are Optimist[\\s\\S]*Debate round 2/', reply: { text: 'Still: ship on Friday.', deltaChars: 2, delayMs: 40 } },
		{ match: '/You are (Pessimist|Realist)[\\s\\S]*Debate round 2/', reply: { text: 'Ship after the audit.', deltaChars: 2, delayMs: 40 } },
		{ match: 'You are Optimist', reply: { text: 'Ship on Friday: the tests are green.', deltaChars: 2, delayMs: 40 } },
		{ match: 'You are Pessimist', reply: { text: 'Ship after the audit: the payment code changed.', deltaChars: 2, delayMs: 40 } },
		{ match: 'You are Realist', reply: { text: 'Ship on Friday, behind a flag.', deltaChars: 2, delayMs: 40 } }
	]);
	await addProvider(page, { preset: 'OpenAI', name: 'Mock OpenAI', baseUrl: s.openai, apiKey: 'sk-test-agents', model: 'gpt-4o-mini' });

	// Agents page: four agents, one of them a judge.
	await page.goto('/agents');
	await expect(page.getByRole('heading', { name: 'No agents yet' })).toBeVisible();
	await createAgent(page, 'Optimist', 'argues for shipping');
	await createAgent(page, 'Pessimist', 'a sceptical reviewer who looks for risks');
	await createAgent(page, 'Realist', 'weighs both sides');
	await createAgent(page, 'Moderator', 'an impartial judge');

	// A new workflow: a state, then the ready-made debate dropped onto it.
	await newWorkflow(page);
	await dragFromLibrary(page, 'lib-atomic', 320, 220);
	await expect(stateNode(page, 'state')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).press('Escape');
	await expect(page.getByTestId('lib-source-agents')).toBeVisible();
	await expect(page.getByTestId('lib-agents-team:debate')).toContainText('Debate (3 × 2 rounds)');
	await dragFromLibrary(page, 'lib-agents-team:debate', 0, 0, stateNode(page, 'state'));
	await expect(stateNode(page, 'state').locator('.chip')).toContainText('coordinate_agents');
	// When the debate is decided, the workflow is done.
	await dragFromLibrary(page, 'lib-final', 680, 220);
	await expect(stateNode(page, 'done')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).press('Escape');
	await connect(page, 'state', 'done');
	await page.getByLabel('Trigger').selectOption('onDone');
	await expect.poll(async () => (await workflowJson(page)).states.state.onDone).toBe('done');
	const invoke = (await workflowJson(page)).states.state.invoke;
	expect(invoke).toMatchObject({ type: 'coordinate_agents', strategy: 'debate', judge: 'Moderator', decision: 'judge', rounds: 2 });
	expect(invoke.agents.map((a: { name: string }) => a.name)).toEqual(['Optimist', 'Pessimist', 'Realist', 'Moderator']);

	// The property panel: the task, then the plan and the estimate.
	await stateNode(page, 'state').click();
	const effect = page.locator('.props .effect').filter({ hasText: 'Coordinate agents' }).first();
	await effect.getByRole('button', { name: /^Coordinate agents/ }).first().click();
	const task = effect.getByLabel(/^Task/);
	await task.fill('Should we ship the release on Friday?');
	await task.blur();
	const plan = page.getByTestId('agents-plan');
	await expect(plan).toContainText('Round 2: each agent reads the other 2 answers and answers again');
	await expect(plan).toContainText('Moderator judges the 3 answers and gives reasons');
	await expect(page.getByTestId('estimate-calls')).toHaveText('7');
	await expect(page.getByTestId('estimate-cost')).toContainText('$');
	await expect(page.getByTestId('estimate-warning').first()).toContainText('Debate multiplies: 3 agents × 2 rounds = 6 calls');
	await expect(plan).toContainText('Mock OpenAI · gpt-4o-mini');

	// Live mode for this workflow, then run it.
	const id = (await workflowJson(page)).id as string;
	expect((await workflowJson(page)).states.state.invoke.task).toBe('Should we ship the release on Friday?');
	await page.evaluate((id) => localStorage.setItem(`fsm-sim:run-mode:${id}`, 'live'), id);
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await page.getByTestId('sim-start').click();

	// One lane per agent: streaming while thinking, then the rounds, the votes and the decision.
	const lanes = page.getByTestId('agent-lanes');
	await expect(lanes).toBeVisible();
	await expect(lanes.getByTestId('agent-lane')).toHaveCount(4);
	await expect(lanes.locator('[data-testid="agent-lane"][data-state="thinking"]').first()).toBeVisible();
	await expect(lanes.getByTestId('agent-stream').first()).not.toBeEmpty();
	await expect(page.getByTestId('agent-decision')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('agent-reasons')).toHaveText('Moderator chose the answer of Pessimist, Realist: Waiting for the audit costs little and removes the main risk.');
	await expect(page.getByTestId('agent-agreement')).toHaveText('agreement 67%');
	const lane = (name: string) => lanes.locator(`[data-testid="agent-lane"][data-agent="${name}"]`);
	await expect(lane('Optimist').getByTestId('agent-status')).toHaveText('done · round 2/2');
	await expect(lane('Optimist').getByTestId('agent-vote')).toContainText('Still: ship on Friday');
	await expect(lane('Pessimist').getByTestId('agent-vote')).toContainText('Ship after the audit');
	await expect(lane('Moderator')).toHaveAttribute('data-state', 'done');
	await expect(lane('Realist')).toContainText('tokens · $');
	await expect(page.getByTestId('sim-value')).toHaveText('done');
	expect(await s.requests()).toHaveLength(7);

	// Every agent step is a span on the effect timeline.
	await page.getByRole('tab', { name: 'Effects', exact: true }).click();
	await expect(page.locator('[data-testid="sim-span"][data-type="agent:Optimist"]')).toHaveCount(2);
	await expect(page.locator('[data-testid="sim-span"][data-type="agent:Moderator"]')).toHaveCount(1);

	// After a reload the run is still there: its lanes, and its steps in the event log.
	await page.reload();
	await page.getByRole('tab', { name: 'Run', exact: true }).click();
	await expect(page.getByTestId('agent-reasons')).toContainText('Moderator chose the answer of Pessimist, Realist');
	await page.getByRole('tab', { name: 'Event log', exact: true }).click();
	await page.getByTestId('sim-log-search').fill('agent:Moderator');
	await expect(page.getByTestId('sim-log-row').first()).toContainText('agent:Moderator');
	// The decision is one progress event of the coordination, with the judge's reasons.
	await page.getByTestId('sim-log-search').fill('"kind":"decision"');
	await expect(page.getByTestId('sim-log-row')).toHaveCount(1);
	await expect(page.getByTestId('sim-log-row')).toContainText('coordinate_agents progress');
});

test('agents dropped one by one onto a state join one coordination, and undo takes the last one back', async ({ page }) => {
	await page.goto('/agents');
	await createAgent(page, 'Optimist', 'argues for shipping');
	await createAgent(page, 'Pessimist', 'looks for risks', 'search');

	await newWorkflow(page);
	await dragFromLibrary(page, 'lib-atomic', 320, 220);
	await expect(stateNode(page, 'state')).toBeVisible();
	await page.getByLabel('Name', { exact: true }).press('Escape');
	const agentItem = (name: string) => page.locator('[data-testid^="lib-agents-agent:"]').filter({ hasText: name });
	await agentItem('Optimist').dragTo(stateNode(page, 'state'));
	await expect(stateNode(page, 'state').locator('.chip')).toContainText('coordinate_agents');
	await agentItem('Pessimist').dragTo(stateNode(page, 'state'));
	await expect(page.getByText('Added Pessimist to the Coordinate agents of "state".')).toBeVisible();
	const states = (await workflowJson(page)).states;
	expect(states.state.invoke.agents.map((a: { name: string }) => a.name)).toEqual(['Optimist', 'Pessimist']);
	expect(states.state.entry ?? []).toEqual([]);
	// The plan says before any run what would fail it: a tool the agent names that the effect lacks.
	await stateNode(page, 'state').click();
	const effect = page.locator('.props .effect').filter({ hasText: 'Coordinate agents' }).first();
	await effect.getByRole('button', { name: /^Coordinate agents/ }).first().click();
	await expect(page.getByTestId('plan-problem')).toHaveText('Pessimist may call the tool “search”, but this effect has no tool of that name. Add it under Tools, or remove it from the agent.');
	// The same agent again is not added twice.
	await agentItem('Pessimist').dragTo(stateNode(page, 'state'));
	await expect(page.getByText('Pessimist is already in the Coordinate agents of "state".')).toBeVisible();
	expect((await workflowJson(page)).states.state.invoke.agents).toHaveLength(2);

	await stateNode(page, 'state').click();
	await page.keyboard.press(`${mod}+z`);
	await expect.poll(async () => (await workflowJson(page)).states.state.invoke.agents.map((a: { name: string }) => a.name)).toEqual(['Optimist']);
});
