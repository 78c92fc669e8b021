/** Light/dark theme: follows the system until the user picks one; the choice is kept. */
import { readLocal, writeLocal } from './local-storage';

export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'fsm-studio:theme';

class Theme {
	choice = $state<ThemeChoice>('system');
	system = $state<'light' | 'dark'>('light');
	resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? this.system : this.choice);

	init() {
		if (typeof window === 'undefined') return;
		// storage may be refused (an embedded page with third-party storage blocked): the page still opens
		const saved = readLocal(KEY);
		if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
		const mq = window.matchMedia('(prefers-color-scheme: dark)');
		this.system = mq.matches ? 'dark' : 'light';
		mq.addEventListener('change', (e) => (this.system = e.matches ? 'dark' : 'light'));
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		writeLocal(KEY, choice); // refused: the choice lasts for this visit
	}

	toggle() {
		this.set(this.resolved === 'dark' ? 'light' : 'dark');
	}
}

export const theme = new Theme();
