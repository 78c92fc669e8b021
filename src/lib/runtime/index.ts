export { Runtime, createRuntime, type RuntimeOptions } from './runtime';
export { replayInstance, sameState, type RecordedInput } from './replay';
export type * from './types';
