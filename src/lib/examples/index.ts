import type { Workflow } from '../model/types';
import smartDoor from './smart-door.json';

/** Workflows bundled with the app, offered on the home page and used by tests and benchmarks. */
export const examples: { id: string; name: string; description: string; workflow: Workflow }[] = [
	{ id: 'smart-door', name: 'Smart door', description: smartDoor.description, workflow: smartDoor as Workflow }
];
