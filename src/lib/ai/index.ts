/**
 * The AI layer's public entry: providers behind one interface, the chat service that
 * workflows, retrieval, agents and the assistant call, and the error type they share.
 */
export type * from './types';
export { createProvider } from './providers/create';
export { ProviderError, redactSecrets, type ProviderErrorKind } from './errors';
export { collect } from './providers/common';
export { chat, createChatService, NoProviderError, type ChatCall, type ChatResult, type ChatTarget, type ChatService, type CallUsage, type UsageContext, type AttemptRecord } from './llm/chat';
export { RunBudget, BudgetExceededError, type BudgetLimits } from './usage/budget';
