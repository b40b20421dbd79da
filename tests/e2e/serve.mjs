// Serves the built site (dist/) the way `make serve` does: npm's
// http-server with precompressed brotli and gzip, on 127.0.0.1 only.
// Shared by the end-to-end tests and `make bench-web`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const site = process.env.TUNNELSCOPE_SITE || path.join(root, 'dist');

/** Debian's Chromium, headless, with the flags this machine needs (no
 * sandbox as root, no network of its own), through playwright-core. */
export async function launchChromium() {
  const require = createRequire(import.meta.url);
  const { chromium } = require(path.join(root, '.tools/node_modules/playwright-core'));
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

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
