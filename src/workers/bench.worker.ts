/// <reference lib="webworker" />
// Benchmarks of the store and the runtime, off the main thread like the real runtime.
import * as Comlink from 'comlink';
import { benchAppend, benchReplay } from '$lib/runtime/bench';

Comlink.expose({ benchAppend, benchReplay });
