/**
 * What the assistant tells the model: the format in brief, the effect kinds available, the
 * conventions of a good workflow, and the task. The texts are plain data: nothing a model
 * answers is ever run, only parsed and checked.
 */
import type { ChatMessage } from '../ai/types';
import type { Workflow } from '../model/types';
import { describeKinds, type KindInfo } from './catalogue';

export const FORMAT_GUIDE = `FSM Studio workflows are statecharts written as JSON (format "fsm-studio/workflow", version 1), close to XState v5:
- Top level: format, version (1), id, name, description, initial (key of the first top-level state), context (the workflow's data, an object), states (object keyed by state name), optional on (transitions valid in every state) and budget ({ maxCostUsd?, maxTokens? } for model calls per run).
- A state may have: type ("atomic" default, "compound" with states + initial, "parallel", "final", "history"), description, entry and exit (lists of effects), invoke (ONE long-running effect; when it finishes onDone is taken with the result in event.output, when it fails onError with the message in event.error), on (event name → transition), always (eventless transitions, checked after every step), after (milliseconds as a string key → transition), onDone, onError, output (final states: JSONata).
- A transition is a target string, an object { target, guard, effects, description, reenter }, or an array of such objects tried in order (the first whose guard holds wins; put an unguarded one last as the default).
- Targets name a sibling state by key ("review"), ".child" for a child of the source, "sibling.child" for a nested state of a sibling, or "#id" for a state with an explicit id.
- Guards and assign values are JSONata expressions over { context, event, results }: "context.count < 3", "event.output.score >= 0.7", "$exists(event.text)". Text values inside expressions need quotes: "'pending'". Any text parameter may contain {{ expression }} templates: "Summarise: {{ context.document }}".
- assign: { "type": "assign", "set": { "count": "context.count + 1", "answer": "event.output" } }.
- State names contain no dots and do not start with "#". Event names are UPPER_SNAKE_CASE and have no spaces.
- Every effect has "type" and may have "id", "description" and "assignTo" (a context key that receives the effect's result).`;

export const CONVENTIONS = `Write workflows that a professional would accept:
- Start in a state that waits for an event carrying the input (e.g. "idle" with on.START storing event fields with assign), unless the task starts by itself.
- Long-running work (HTTP, model calls, tools, retrieval, agents) goes in a state's invoke with onDone and onError; onError leads somewhere sensible (a failed or review state), never nowhere.
- Bound every outside call in time: wrap it in { "type": "timeout", "ms": 30000, "effect": … } (and in { "type": "retry", "maxAttempts": 3, "effect": … } where retrying is safe).
- Give call_llm a "fallback" model where it matters and set the workflow "budget"; ask for JSON with "output": "json" and a "schema" when later steps read fields of the answer.
- Loops (revise → review → revise) must count rounds in the context and leave through a guard after a limit.
- End where the work is complete in a state with "type": "final". Every other state needs a way out. Keep it small: only the states the task needs.
- Keep prompts concrete; put the user's input into prompts with {{ }} templates from the context.`;

/** The system prompt for drafting a workflow from a description. */
export function draftSystem(kinds: KindInfo[]): string {
	return `You design workflows for FSM Studio.

${FORMAT_GUIDE}

${CONVENTIONS}

Effect kinds (name (category) — what it does; then its parameters, "?" = optional, "= x" = default):
${describeKinds(kinds)}

Answer with one JSON object and nothing else: { "summary": "…", "workflow": { … } }. Do not write a "layout": positions are computed.`;
}

/** The user message of a draft request. */
export function draftUser(description: string, current?: Workflow): string {
	const base = current && Object.keys(current.states ?? {}).length ? `\n\nThe canvas already holds this workflow; design a replacement that does what is asked (keep what still fits):\n${workflowJson(current)}` : '';
	return `Design a workflow for this:\n\n${description.trim()}${base}`;
}

/** The workflow as compact JSON for a prompt (no layout). */
export function workflowJson(wf: Workflow): string {
	const { layout: _layout, ...rest } = wf;
	void _layout;
	return JSON.stringify(rest);
}

/** The repair request after a draft did not pass the checks. */
export function repairUser(problems: string, round: number, max: number): string {
	return `That workflow does not pass FSM Studio's checks (repair round ${round} of ${max}). Fix every problem below and answer again with the complete corrected JSON object { "summary", "workflow" }:\n\n${problems}`;
}

export const EDIT_OPS_GUIDE = `Operations (applied in order, each on the result of the previous ones; state paths are keys from the top joined by dots):
- { "op": "addState", "parent": "" | "<path>", "key": "<name>", "state": { …state as in the format, may include its own on/after/always/onDone/onError transitions, entry, invoke, states… } }
- { "op": "removeStates", "paths": ["<path>", …] } — also removes the transitions that lead to them
- { "op": "renameState", "path": "<path>", "newKey": "<name>" }
- { "op": "moveState", "path": "<path>", "newParent": "" | "<path>" }
- { "op": "setStateFields", "path": "<path>", "fields": { "invoke"?: effect | null, "type"?, "initial"?, "description"?, "output"?, "tags"?, "id"? } } — null removes the field
- { "op": "setEffects", "path": "<path>", "where": "entry" | "exit", "effects": [ … ] } — replaces the list
- { "op": "addEffect", "path": "<path>", "where": "entry" | "exit" | "invoke", "effect": { … } }
- { "op": "setInitial", "path": "<path>" }
- { "op": "addTransition", "source": "<path>" | "", "event": "EVENT" | "always" | "onDone" | "onError" | "after:<ms>", "target": "<full path of the target state>" | null, "guard"?, "effects"?, "description"? }
- { "op": "updateTransition", "source": "<path>", "event": "<trigger as above>", "index"?: <n, default 0>, "set": { "event"?, "target"?: "<full path>" | null, "guard"?: "…" | null, "effects"?: [ … ], "description"? } }
- { "op": "removeTransition", "source": "<path>", "event": "<trigger>", "index"?: <n> }
- { "op": "setWorkflowField", "field": "name" | "description" | "initial" | "context" | "budget", "value": … } — context and budget are replaced whole
To wrap an existing effect (e.g. in a retry), write the state's invoke again with setStateFields, the old effect nested inside. Targets in operations are full state paths, not relative names.`;

/** The system prompt for editing a workflow by instruction. */
export function editSystem(kinds: KindInfo[]): string {
	return `You change FSM Studio workflows by listing edit operations.

${FORMAT_GUIDE}

${CONVENTIONS}

Effect kinds:
${describeKinds(kinds)}

${EDIT_OPS_GUIDE}

Answer with one JSON object and nothing else: { "summary": "…", "operations": [ … ] }. Change only what the instruction asks for.`;
}

/** The user message of an edit request. */
export function editUser(wf: Workflow, instruction: string, selection: string[] = []): string {
	const sel = selection.length ? `\n\nThe user has selected: ${selection.join(', ')}.` : '';
	return `The workflow now:\n${workflowJson(wf)}${sel}\n\nInstruction: ${instruction.trim()}`;
}

/** The repair request after an edit failed or broke the workflow. */
export function editRepairUser(problems: string, round: number, max: number): string {
	return `Those operations do not work (repair round ${round} of ${max}):\n\n${problems}\n\nAnswer again with the complete corrected list { "summary", "operations" }, starting from the workflow as it was before any of them.`;
}

/** Messages asking what a workflow does. */
export function explainMessages(wf: Workflow, question?: string): ChatMessage[] {
	return [
		{
			role: 'system',
			content: `You explain FSM Studio workflows to people who did not write them.\n\n${FORMAT_GUIDE}\n\nAnswer in plain text, no markdown headings or tables: first one sentence on what the workflow is for, then its main path step by step (use the state names), then what happens when something fails, then anything surprising. Short paragraphs or lines starting with "- ". At most about 250 words.`
		},
		{ role: 'user', content: `${question?.trim() ? `${question.trim()}\n\n` : 'What does this workflow do?\n\n'}${workflowJson(wf)}` }
	];
}

/** Messages asking a model for a review, with what the rules already found. */
export function reviewMessages(wf: Workflow, found: string): ChatMessage[] {
	return [
		{
			role: 'system',
			content: `You review FSM Studio workflows for risks before they run in production.\n\n${FORMAT_GUIDE}\n\nLook for: loops that can run forever, effects that reach the outside without a timeout, model steps without a fallback or without a budget, errors that are swallowed or lead nowhere, prompts that leak private data or invite prompt injection, guards that can never be true, missing inputs. Do not repeat what the automatic checks below already found. Answer with one JSON object: { "summary": "…", "findings": [ { "severity": "high" | "medium" | "low", "state"?: "<path>", "title": "…", "detail": "…", "fix"?: "an instruction to change the workflow" } ] } — at most 8 findings, most important first; an empty list when you find nothing more.`
		},
		{ role: 'user', content: `Automatic checks found:\n${found || '(nothing)'}\n\nThe workflow:\n${workflowJson(wf)}` }
	];
}
