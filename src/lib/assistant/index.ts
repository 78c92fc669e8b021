/**
 * The AI assistant's pure core (runs in the browser and in Node): drafting a workflow from a
 * description with structured output constrained by the format's JSON Schema and a repair
 * loop over parse + lint, edits as the designer's own operations, explanations and reviews.
 * The panel lives in `src/lib/designer/assistant/`; the MCP tool `create_ai_workflow` uses
 * `designWorkflow`.
 */
export { createAssistant, type Assistant, type AssistantConfig, type AssistantStatus, type ChatFn, type DraftResult, type EditResult, type ExplainResult, type Failure, type FailureReason, type RequestOptions, type ReviewFinding, type ReviewResult, type Round, type Spend } from './assistant';
export { builtinKinds, allKinds, describeKinds, type KindInfo } from './catalogue';
export { checkCandidate, effectProblems, problemsText, type Checked } from './check';
export { applyOps, previewOps, readOps, describeOp, scratchCopy, scratchDoc, triggerOf, EditOpSchema, type EditOp, type ApplyResult } from './edits';
export { readJsonReply, plainJson } from './json';
export { layoutMissing, withLayout } from './layout';
export { buildPreview, type Preview, type PreviewMarks, type Mark } from './preview';
export { reviewRules, type Finding, type Severity } from './review';
export { draftSchema, editSchema, reviewSchema, operationSchemas } from './schema';
export { designWorkflow, type DesignOptions } from './mcp';
