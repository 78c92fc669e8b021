/** Light/dark theme: follows the system until the user picks one; the choice is kept. */
export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'fsm-studio:theme';

class Theme {
	choice = $state<ThemeChoice>('system');
	system = $state<'light' | 'dark'>('light');
	resolved = $derived<'light' | 'dark'>(this.choice === 'system' ? this.system : this.choice);

	init() {
		if (typeof window === 'undefined') return;
		const saved = localStorage.getItem(KEY);
		if (saved === 'light' || saved === 'dark' || saved === 'system') this.choice = saved;
		const mq = window.matchMedia('(prefers-color-scheme: dark)');
		this.system = mq.matches ? 'dark' : 'light';
		mq.addEventListener('change', (e) => (this.system = e.matches ? 'dark' : 'light'));
	}

	set(choice: ThemeChoice) {
		this.choice = choice;
		try {
			localStorage.setItem(KEY, choice);
		} catch {
			/* private mode: the choice lasts for this page only */
		}
	}

	toggle() {
		this.set(this.resolved === 'dark' ? 'light' : 'dark');
	}
}

export const theme = new Theme();
