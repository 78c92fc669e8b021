import type { ProviderKind } from '../types';

/** Ready-made provider set-ups offered by "Add provider". */
export interface ProviderPreset {
	id: string;
	label: string;
	kind: ProviderKind;
	baseUrl?: string;
	defaultModel?: string;
	needsKey: boolean;
	/** Where to get a key or how to start the server. */
	help: string;
}

export const PROVIDER_PRESETS: ProviderPreset[] = [
	{ id: 'openai', label: 'OpenAI', kind: 'openai', defaultModel: 'gpt-4o-mini', needsKey: true, help: 'Key from platform.openai.com → API keys.' },
	{ id: 'anthropic', label: 'Anthropic', kind: 'anthropic', defaultModel: 'claude-haiku-4-5', needsKey: true, help: 'Key from the Anthropic Console → API keys. Your organisation must allow browser access.' },
	{ id: 'google', label: 'Google Gemini', kind: 'google', defaultModel: 'gemini-2.5-flash', needsKey: true, help: 'Key from Google AI Studio → Get API key.' },
	{ id: 'openrouter', label: 'OpenRouter', kind: 'openai-compatible', baseUrl: 'https://openrouter.ai/api/v1', defaultModel: 'openai/gpt-4o-mini', needsKey: true, help: 'Key from openrouter.ai → Keys. One key reaches many models; costs are reported by OpenRouter.' },
	{ id: 'ollama', label: 'Ollama (local)', kind: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', defaultModel: 'llama3.2', needsKey: false, help: 'Runs on your computer: `ollama serve`. Allow this page with OLLAMA_ORIGINS (Test connection says how).' },
	{ id: 'lmstudio', label: 'LM Studio (local)', kind: 'openai-compatible', baseUrl: 'http://localhost:1234/v1', needsKey: false, help: 'Start the server in LM Studio’s Developer tab with CORS enabled (`lms server start --cors`).' },
	{ id: 'llamacpp', label: 'llama.cpp (local)', kind: 'openai-compatible', baseUrl: 'http://localhost:8080/v1', needsKey: false, help: '`llama-server -m model.gguf --port 8080 --jinja` (--jinja for tool calls).' },
	{ id: 'compatible', label: 'Other OpenAI-compatible', kind: 'openai-compatible', needsKey: false, help: 'Any server that speaks the OpenAI Chat Completions API (base URL usually ends in /v1).' },
	{ id: 'webllm', label: 'In this browser (WebGPU)', kind: 'webllm', needsKey: false, help: 'Models run on your GPU with web-llm: no key, no cost, nothing leaves the browser. Download a model below.' }
];

export const KIND_LABELS: Record<ProviderKind, string> = {
	openai: 'OpenAI',
	anthropic: 'Anthropic',
	google: 'Google Gemini',
	'openai-compatible': 'OpenAI-compatible',
	webllm: 'In-browser (web-llm)'
};
