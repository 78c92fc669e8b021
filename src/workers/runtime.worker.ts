/// <reference lib="webworker" />
// Runtime worker: runs the engine, the effects and the event store off the main thread.
import * as Comlink from 'comlink';
import { createRuntime } from '$lib/runtime/runtime';
import { createPluginSink } from '$lib/plugins/sink';

const name = (self as unknown as DedicatedWorkerGlobalScope).name;
const workspaceId = name.startsWith('fsm-runtime:') ? name.slice('fsm-runtime:'.length) : 'default';

// the workspace's Logger and Audit see every event of every run
Comlink.expose(createRuntime({ workspaceId, plugins: (ws) => createPluginSink({ workspaceId: ws, interval: 30 }) }));
