import type { Workflow } from '../model/types';
import smartDoor from './smart-door.json';
import supportTriage from './support-triage.json';
import mediaPlayer from './media-player.json';
import trafficLight from './traffic-light.json';

export interface Example {
	id: string;
	name: string;
	description: string;
	workflow: Workflow;
	/**
	 * Sample payloads per event type (the same shape as the path generator's `payloads`), for
	 * the simulator's "send" menu and for exploring guards that read `event.*`. Keys may also
	 * be `done.invoke.<state>` with an `output`, standing in for what an invoke would return.
	 */
	payloads: Record<string, Record<string, unknown>[]>;
}

const example = (json: unknown, payloads: Example['payloads'] = {}): Example => {
	const workflow = json as Workflow;
	return { id: workflow.id, name: workflow.name, description: workflow.description ?? '', workflow, payloads };
};

/** Workflows bundled with the app, offered on the home page and used by tests and benchmarks. */
export const examples: Example[] = [
	example(smartDoor),
	example(supportTriage, {
		TICKET: [
			{ from: 'ana@example.com', subject: 'Charged twice', text: 'My card was charged twice for the May invoice.' },
			{ from: 'bo@example.com', subject: 'App crashes', text: 'The app crashes when I open settings. Urgent, our shop is down!' }
		],
		'done.invoke.classifying': [
			{ output: { category: 'billing', urgency: 'low', summary: 'Double charge on the May invoice.' } },
			{ output: { category: 'technical', urgency: 'low', summary: 'Crash when opening settings.' } },
			{ output: { category: 'technical', urgency: 'high', summary: 'Shop down: crash when opening settings.' } },
			{ output: { category: 'other', urgency: 'low', summary: 'Unclear request.' } }
		],
		'done.invoke.billing': [{ output: 'Sorry for the double charge: we have refunded it.' }],
		RESOLVE: [{ reply: 'Handled by phone.' }]
	}),
	example(mediaPlayer, { LOAD: [{ track: 'Blue in Green' }] }),
	example(trafficLight)
];
