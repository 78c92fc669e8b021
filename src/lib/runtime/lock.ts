/**
 * One tab runs a workspace: two hosts on one database would both resume its instances and
 * write the same seqs. A host takes the Web Lock `fsm-studio-runtime:<workspace>` before
 * restoring; a second tab waits and takes over when the first closes (see docs/decisions.md).
 */

interface LockManagerLike {
	request(name: string, options: { mode: 'exclusive'; ifAvailable?: boolean }, cb: (lock: unknown) => Promise<void>): Promise<void>;
}

export type OwnershipState = 'owner' | 'waiting' | 'unsupported';

export interface Ownership {
	/** Resolves once this host may run the workspace (at once when no lock is taken). */
	readonly owned: Promise<void>;
	/** Whether this host runs the workspace; never waits long. */
	state(): Promise<OwnershipState>;
	/** Gives the lock back (the host is disposed). */
	release(): void;
}

/** The name of a workspace's lock. */
export function workspaceLockName(workspaceId: string): string {
	return `fsm-studio-runtime:${workspaceId}`;
}

/** Takes the workspace's lock when `exclusive` and Web Locks exist; otherwise owns at once. */
export function acquireWorkspaceLock(workspaceId: string, exclusive: boolean): Ownership {
	const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
	if (!exclusive || !locks) {
		return { owned: Promise.resolve(), state: async () => 'unsupported', release: () => {} };
	}
	let current: OwnershipState = 'unsupported';
	let release: () => void = () => {};
	let known!: () => void;
	const stateKnown = new Promise<void>((r) => (known = r));
	const hold = () => new Promise<void>((r) => (release = r));
	const name = workspaceLockName(workspaceId);
	const owned = new Promise<void>((resolve) => {
		locks
			.request(name, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
				if (!lock) {
					current = 'waiting';
					known();
					// Another tab runs this workspace: wait for it to close.
					await locks.request(name, { mode: 'exclusive' }, async () => {
						current = 'owner';
						resolve();
						await hold();
					});
					return;
				}
				current = 'owner';
				known();
				resolve();
				await hold();
			})
			.catch(() => {
				current = 'unsupported';
				known();
				resolve();
			});
	});
	return {
		owned,
		state: async () => {
			await stateKnown;
			return current;
		},
		release: () => release()
	};
}
