/** The effects system: kinds, executor, composition, resilience, cancellation, telemetry, cache. */
export { createExecutor, type Executor, type ExecutorOptions } from './executor';
export { effectKinds, type EffectType } from './kinds';
export { EffectError, type EffectErrorCode, matchesErrorFilter } from './errors';
export { SharedResilience, createSharedResilience, type CircuitState, type ResilienceChange, type SagaLogEntry } from './resilience';
export { createMemoryCache, tieredCache, type EffectCacheBackend, type CacheEntry } from './cache';
export { systemClock } from './clock';
export { newTraceId, seededRandom } from './random';
export type { EffectCategory, EffectContext, EffectHandler, EffectKind } from './types';
