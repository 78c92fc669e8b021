/// <reference lib="webworker" />
// Runtime worker: runs the engine, the effects and the event store off the main thread.
import * as Comlink from 'comlink';
import { createRuntime } from '$lib/runtime/runtime';

const name = (self as unknown as DedicatedWorkerGlobalScope).name;
const workspaceId = name.startsWith('fsm-runtime:') ? name.slice('fsm-runtime:'.length) : 'default';

Comlink.expose(createRuntime({ workspaceId }));
