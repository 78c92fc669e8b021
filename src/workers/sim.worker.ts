/// <reference lib="webworker" />
// Simulator worker: debug sessions (virtual clock, pause/step, breakpoints, time travel)
// off the main thread, writing their logs to the workspace's event store.
import * as Comlink from 'comlink';
import { createSimHost } from '$lib/sim/worker-host';

Comlink.expose(createSimHost());
