/**
 * A plain static host page for the web components, on its own origin (localhost:<random
 * port>), not the SvelteKit app: it loads the elements from the app's stable URL
 * (<app>/embed/…) as any site would. Also serves workflow files for `src`.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostServer {
	url: string;
	close(): Promise<void>;
}

/** Starts a host server answering `/` (and any path) with `html`, and /files/<name> from e2e/fixtures/embed. */
export async function hostPage(html: string | ((path: string) => string)): Promise<HostServer> {
	const server: Server = createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		if (path.startsWith('/files/')) {
			try {
				const body = readFileSync(join(import.meta.dirname, 'fixtures', 'embed', path.slice(7).replace(/[^\w.-]/g, '')));
				res.writeHead(200, { 'Content-Type': 'application/json' });
				return void res.end(body);
			} catch {
				res.writeHead(404);
				return void res.end('not found');
			}
		}
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(typeof html === 'function' ? html(path) : html);
	});
	await new Promise<void>((r) => server.listen(Number(process.env.EMBED_HOST_PORT ?? 0), 'localhost', r));
	return {
		url: `http://localhost:${(server.address() as { port: number }).port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((r) => server.close(r));
		}
	};
}
