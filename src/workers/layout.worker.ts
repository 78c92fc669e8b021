/// <reference lib="webworker" />
// Auto-layout worker: ELK runs here, so laying out hundreds of states never blocks the page.
import * as Comlink from 'comlink';
import { autoLayout } from '$lib/designer/auto-layout';

Comlink.expose({ autoLayout });
