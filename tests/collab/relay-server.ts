/**
 * Starts the real relay (`bin/relay.js`, y-webrtc's signaling server) in a child process on a
 * free loopback port, for tests that need one.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/relay.js', import.meta.url));

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

export interface Relay {
	url: string;
	port: number;
	stop(): Promise<void>;
}

/** Starts a relay; on `port` when given (to bring one back after stopping it), else on a free one. */
export async function startRelay(fixedPort?: number): Promise<Relay> {
	for (let attempt = 0; ; attempt++) {
		const port = fixedPort ?? (await freePort());
		const child = spawn(process.execPath, [BIN, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
		const started = await new Promise<boolean>((resolve) => {
			let out = '';
			const done = (ok: boolean) => {
				clearTimeout(timer);
				resolve(ok);
			};
			const timer = setTimeout(() => done(false), 10_000);
			child.stdout!.on('data', (b) => {
				out += String(b);
				if (out.includes('running')) done(true);
			});
			child.once('exit', () => done(false));
		});
		if (started) {
			return {
				url: `ws://127.0.0.1:${port}`,
				port,
				stop: () =>
					new Promise<void>((resolve) => {
						if (child.exitCode !== null) return resolve();
						child.once('exit', () => resolve());
						child.kill();
					})
			};
		}
		child.kill();
		if (attempt >= 3) throw new Error('The relay did not start.');
	}
}
