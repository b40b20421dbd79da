// Accessibility: axe-core's default rules on every kind of page the site
// serves — the default view, a scenario, a comparison by another setting,
// a support answer, the learn index and each learn page, the glossary and
// the 404 page — at a phone's width (390 px) and a desktop's (1280 px),
// after the live app has taken over. axe is injected with the page's
// Content-Security-Policy bypassed (the site allows only its own scripts).
//
//   make www && node tests/e2e/axe.mjs
//
// Prints one line per page and width, the violations' rules and where they
// are, and last `axe: N pages checked, M violations`; exits 0 only with none.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, serve, root, site } from './serve.mjs';

const axeSource = readFileSync(path.join(root, '.tools/node_modules/axe-core/axe.min.js'), 'utf8');

const learn = readdirSync(path.join(site, 'learn')).filter((f) => f.endsWith('.html')).sort().map((f) => `/learn/${f}`);
const pages = [
  '/',
  '/s/localnet-leak-without-ian.html',
  '/s/localnet-leak-without-ian.html#ab=exclude_local_networks',
  '/support/no-internet-after-update.html',
  ...learn,
  '/glossary.html',
  '/no-such-page.html',
];

const { origin, stop } = await serve(19000 + (process.pid % 1000));
const browser = await launchChromium();
let checked = 0;
let violations = 0;
try {
  for (const [width, height] of [[390, 844], [1280, 800]]) {
    const context = await browser.newContext({ viewport: { width, height }, bypassCSP: true });
    for (const address of pages) {
      const page = await context.newPage();
      await page.goto(origin + address);
      // The live app (or a learn page's embeds) has taken over; a page with
      // no app (the glossary, the 404) is read as served.
      const live = await page.evaluate(() => !!document.querySelector('script[src*="main.js"], script[src*="embed.js"]'));
      if (live) {
        await page.waitForFunction(() => document.documentElement.dataset.live && !document.querySelector('[data-prerendered]'), null, { timeout: 20000 });
      }
      await page.addScriptTag({ content: axeSource });
      const found = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, nodes: v.nodes.length, where: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      checked += 1;
      const nodes = found.reduce((n, v) => n + v.nodes, 0);
      violations += nodes;
      console.log(`${nodes === 0 ? 'ok  ' : 'FAIL'}  ${width} px ${address}: ${nodes} violating node${nodes === 1 ? '' : 's'}`);
      for (const v of found) console.log(`        ${v.id} (${v.nodes}): ${v.where.join(' | ')}`);
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  stop();
}
console.log(`axe: ${checked} pages checked, ${violations} violations`);
process.exit(violations === 0 ? 0 : 1);
