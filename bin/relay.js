#!/usr/bin/env node
/**
 * `fsm-studio relay [--port 4444]`: runs the collaboration relay — y-webrtc's own signaling
 * server, a topic relay over WebSocket. It forwards what one member of a room publishes to
 * the others and never sees inside: FSM Studio encrypts every message with the room key
 * from the link, so the relay only carries ciphertext. The same server is the signaling
 * server of peer-to-peer (WebRTC) rooms.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HELP = `Usage: fsm-studio relay [--port <n>]

Runs the relay that FSM Studio rooms meet on (y-webrtc's signaling server).
It forwards encrypted messages between the people in a room and never sees
their content. Listens on all interfaces.

  --port <n>   port to listen on (default: $PORT or 4444)

Then in FSM Studio: Settings → Collaboration → Relay address: ws://<this machine>:<port>
For https pages put it behind a TLS proxy and use wss://.`;

/** Parses the arguments; returns the port, or null after printing help. */
export function parseRelayArgs(argv) {
	let port = process.env.PORT ? Number(process.env.PORT) : 4444;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '-h' || a === '--help') {
			console.log(HELP);
			return null;
		}
		if (a === '--port' || a === '-p') port = Number(argv[++i]);
		else if (a.startsWith('--port=')) port = Number(a.slice(7));
		else throw new Error(`Unknown option "${a}". Try: fsm-studio relay --help`);
	}
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('The port must be a whole number from 0 to 65535.');
	return port;
}

/** Starts y-webrtc's signaling server in this process (it listens until the process ends). */
export async function relay(argv = []) {
	const port = parseRelayArgs(argv);
	if (port === null) return;
	// y-webrtc's package map exports only its browser entry: find its bin beside the CommonJS build
	const require = createRequire(import.meta.url);
	const main = require.resolve('y-webrtc');
	const server = join(dirname(main), '..', 'bin', 'server.js');
	process.env.PORT = String(port);
	await import(pathToFileURL(server).href);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	relay(process.argv.slice(2)).catch((e) => {
		console.error(e instanceof Error ? e.message : String(e));
		process.exit(1);
	});
}
