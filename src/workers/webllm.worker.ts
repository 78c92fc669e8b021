/// <reference lib="webworker" />
// web-llm's engine (WebGPU) off the main thread; the page talks to it through CreateWebWorkerMLCEngine.
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (msg: MessageEvent) => handler.onmessage(msg);
