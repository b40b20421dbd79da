// Serves the built site (dist/) the way `make serve` does: npm's
// http-server with precompressed brotli and gzip, on 127.0.0.1 only.
// Shared by the end-to-end tests and `make bench-web`.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const site = process.env.TUNNELSCOPE_SITE || path.join(root, 'dist');

/** Starts the server on `port`; resolves to { origin, stop } once it answers. */
export async function serve(port) {
  const bin = path.join(root, '.tools/node_modules/.bin/http-server');
  const server = spawn(bin, [site, '-a', '127.0.0.1', '-p', String(port), '--brotli', '--gzip', '-c-1', '-s'], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(origin + '/')).ok) return { origin, stop: () => server.kill() }; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  server.kill();
  throw new Error(`the static server did not start on ${origin}`);
}
