// Hostile links in a real headless Chromium: the worst scenario the format
// allows (tests/worst-case.toml, 1000 flows, 200 events, 24 h), a 2 MB
// fragment, TOML nested 100,000 deep, unknown keys and a link in the older
// fragment-only form. Each must give a clear notice and a page that still
// works (the editor takes a new scenario). The longest task while the
// worst case opens and runs is printed; `make bench-web` holds it to 200 ms.
//
// Run by `make e2e` after `make www`: node tests/e2e/hostile-links.mjs

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { root, serve } from './serve.mjs';

const require = createRequire(path.join(root, '.tools/node_modules/'));
const { chromium } = require('playwright-core');

const LONGEST_TASK_MS = 200;
const { origin, stop } = await serve(19000 + (process.pid % 1000));
const problems = [];
let passed = 0;
const check = (ok, what) => {
  if (ok) { passed += 1; console.log(`ok    ${what}`); } else { problems.push(what); console.log(`FAIL  ${what}`); }
};
const fail = (what) => { problems.push(what); console.log(`FAIL  ${what}`); };
const base64url = (text) => Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const live = (page) => page.waitForFunction(() => document.documentElement.dataset.live
  && !document.querySelector('[data-prerendered]'), null, { timeout: 30000 });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// A fresh page that records long tasks and fails the run on page errors or
// requests to another origin.
const open = async (context) => {
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text().slice(0, 300)}`); });
  page.on('request', (r) => { if (!r.url().startsWith(origin)) fail(`request to another origin: ${r.url().slice(0, 100)}`); });
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
};

// The editor still works: a small valid scenario typed in replaces the view.
const editorWorks = async (page) => {
  await page.fill('.editor textarea', 'title = "typed after"\nios = "17.0"\n\n[[flow]]\nname = "web"\nkind = "app"\nopen = "0s"\n');
  await page.waitForFunction(() => document.querySelector('.scenario-title')?.textContent === 'typed after', null, { timeout: 10000 });
  return !(await page.$('.errors'));
};

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });

  // The worst case, as a link.
  const worst = readFileSync(path.join(root, 'tests/worst-case.toml'), 'utf8');
  let page = await open(context);
  await page.goto(`${origin}/#s=${base64url(worst)}`);
  await live(page);
  check((await page.textContent('.scenario-title')).startsWith('Worst case: 1000 flows'), 'the worst-case link opens its scenario');
  // Meanwhile the control plane's own stop shows; the packets' comes last.
  await page.waitForFunction(() => !document.querySelector('.notice.running'), null, { timeout: 60000 });
  const budget = await page.textContent('.notice.budget');
  check(budget.includes('budget of 500,000 captured packets') && budget.includes('To see the whole run'),
    `the worst case says which limit it reached and how to shrink it (${budget.slice(0, 70)}…)`);
  check((await page.$$('.lanes.wide .lane, .lanes.tall .lane')).length <= 13 && (await page.textContent('.more-flows')).includes('1000 flows'),
    'at most a dozen flows are drawn, and the page says how many there are');
  await page.fill('.more-flows input', 'f500');
  await page.press('.more-flows input', 'Enter');
  await page.waitForFunction(() => document.querySelector('.inspector')?.textContent.includes('f500'));
  check(true, 'a flow past the first dozen is shown by its name');
  const tasks = await page.evaluate(() => window.longTasks);
  const longest = Math.max(0, ...tasks);
  // A timing, so a figure here, not a check (timed checks flake): `make
  // bench-web` holds it to its budget.
  console.log(`info  longest task while the worst case opened and ran: ${longest} ms of ${tasks.length} long tasks (budget ${LONGEST_TASK_MS} ms, held by make bench-web)`);
  check(await editorWorks(page), 'after the worst case the editor takes a new scenario');
  await page.close();

  // A 2 MB fragment (Chromium's longest address is 2 MiB): not read, said,
  // and the page works.
  page = await open(context);
  await page.goto(`${origin}/#s=${'A'.repeat(2_000_000)}&t=0`);
  await live(page);
  await page.waitForSelector('.notice');
  check((await page.textContent('.notice')).includes('more than a scenario file may be'), 'a 2 MB fragment is refused with a notice');
  check(await editorWorks(page), 'after a 2 MB fragment the editor takes a new scenario');
  await page.close();

  // TOML nested 100,000 deep, and unknown keys: errors with their place.
  const deep = `title = "deep"\nios = "17.0"\nx = ${'['.repeat(100000)}1${']'.repeat(100000)}\n`;
  page = await open(context);
  await page.goto(`${origin}/#s=${base64url(deep)}`);
  await live(page);
  await page.waitForSelector('.errors');
  check((await page.textContent('.errors')).includes('line 3, column 85'), 'deeply nested TOML gets an error at its line and column');
  check(await editorWorks(page), 'after nested TOML the editor takes a new scenario');
  await page.goto(`${origin}/#s=${base64url('title = "x"\nios = "17.0"\ncolour = "red"\n')}`);
  await live(page);
  await page.waitForSelector('.errors');
  const unknown = await page.textContent('.errors');
  check(unknown.includes('line 3') && unknown.includes('colour'), `an unknown key is named with its line (${unknown.slice(0, 80)}…)`);
  check((await page.inputValue('.editor textarea')).includes('colour = "red"'), 'the text with the unknown key stays in the editor');

  // A link in the older, fragment-only form.
  await page.goto(`${origin}/#lib=wifi-to-cellular&t=21000`);
  await live(page);
  check(page.url() === `${origin}/s/wifi-to-cellular.html#t=21000&speed=2000`, `an older link opens on its scenario's page (${page.url()})`);
  await page.close();
  await context.close();
} catch (error) {
  fail(`error: ${error.message.slice(0, 300)}`);
} finally {
  await browser.close();
  stop();
}

console.log(`hostile links: ${passed} passed, ${problems.length} failed`);
process.exit(problems.length === 0 ? 0 : 1);
