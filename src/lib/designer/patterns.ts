/**
 * Ready-made pieces for the node library ("Patterns"): a first library source, and an example
 * of one for features that add their own (MCP tools, agents).
 */
import type { LibrarySource } from './extensions';

export const patternsSource: LibrarySource = {
	id: 'patterns',
	label: 'Patterns',
	order: 5,
	items: () => [
		{
			id: 'llm-retry-timeout',
			label: 'Model call, retried',
			description: 'Ask a language model; each try is cut after 30 s, and a failed try is retried up to 3 times.',
			icon: 'sparkles',
			tone: 'ai',
			drop: {
				kind: 'effect',
				spec: { type: 'retry', maxAttempts: 3, effect: { type: 'timeout', ms: 30000, effect: { type: 'call_llm', prompt: 'Answer: {{ event.text }}' } } }
			}
		},
		{
			id: 'approval',
			label: 'Approval step',
			description: 'Waits for a person to APPROVE or REJECT, and gives up after a day.',
			icon: 'layers',
			drop: {
				kind: 'state',
				key: 'approval',
				size: { width: 440, height: 200 },
				spec: {
					type: 'compound',
					initial: 'waiting',
					states: {
						waiting: { on: { APPROVE: 'approved', REJECT: 'rejected' }, after: { '86400000': 'rejected' } },
						approved: { type: 'final' },
						rejected: { type: 'final' }
					}
				},
				layout: {
					'approval.waiting': { x: 30, y: 90 },
					'approval.approved': { x: 270, y: 50 },
					'approval.rejected': { x: 270, y: 130 }
				}
			}
		},
		{
			id: 'fetch-json',
			label: 'Fetch JSON',
			description: 'GET a URL and keep the answer in context.data.',
			icon: 'globe',
			tone: 'io',
			drop: { kind: 'effect', spec: { type: 'http', method: 'GET', url: 'https://api.example.com/items/{{ event.id }}', assignTo: 'data' } }
		}
	]
};
