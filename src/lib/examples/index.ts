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
}

const example = (json: unknown): Example => {
	const workflow = json as Workflow;
	return { id: workflow.id, name: workflow.name, description: workflow.description ?? '', workflow };
};

/** Workflows bundled with the app, offered on the home page and used by tests and benchmarks. */
export const examples: Example[] = [example(smartDoor), example(supportTriage), example(mediaPlayer), example(trafficLight)];
