// `make bench-web`: the playground's budgets, measured through the Chrome
// DevTools Protocol in Debian's Chromium and printed. A benchmark, not a test
// (timings flake); not part of `make test`. Exits 1 when a budget is missed.
//
// Mobile profile (Lighthouse's): CPU 4x slower, 150 ms latency, 1.6 Mbit/s
// down, 750 kbit/s up, cache off, 390x844 at 3x. Each of three pages (the
// index, a scenario page, a support page) is loaded LOADS times, each load in
// a fresh browser context; the medians must hold:
//   bytes        bytes the browser received (Network.loadingFinished
//                encodedDataLength, summed until interactive + SETTLE_MS)  <= 340 KB (1 KB = 1024 B)
//   drawing      the first paint with `.topology svg` in the document       <= 1.0 s
//   interactive  the app's `tunnelscope-first-frame` mark                  <= 2.5 s
//   On | Off     on the index, the phone's kill-switch switch, from just
//                before the click to the `tunnelscope-rendered` mark       <= 50 ms
// Desktop (1280x800, no throttling): the same three figures, for reference,
// and the toggle of includeAllNetworks on the index page, from just before
// the change event to the app's `tunnelscope-rendered` mark               <= 8 ms
//
//   node tests/e2e/bench-web.mjs            (serves dist/, as `make serve` does)
//   TUNNELSCOPE_SITE=/some/dist node tests/e2e/bench-web.mjs
//   BENCH_LOADS=7 ...                       (loads per page and profile, >= 5)
// A timed-out figure prints as "never (timeout)" and counts as a missed budget.

import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { root, serve, site as served } from './serve.mjs';

const require = createRequire(path.join(root, '.tools/node_modules/'));
const { chromium } = require('playwright-core');

const KB = 1024;
const BUDGET = { bytes: 340 * KB, drawing: 1000, interactive: 2500, toggle: 8, longestTask: 200, phoneSwitch: 50 };
const LOADS = Math.max(5, Number(process.env.BENCH_LOADS) || 5);
const TOGGLES_PER_LOAD = 4; // x LOADS desktop loads of the index: >= 20 toggles
const SETTLE_MS = 500; // after interactive, so late requests still count
const TIMEOUT = { mobile: 30000, desktop: 15000 }; // for the interactive mark
const SVG_GRACE_MS = 5000; // further wait for the drawing when interactive came first
const TOGGLE_TIMEOUT_MS = 2000;

const MOBILE = {
  name: 'mobile',
  context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  cpu: 4,
  network: { offline: false, latency: 150, downloadThroughput: (1.6 * 1000 * 1000) / 8, uploadThroughput: (750 * 1000) / 8 },
  cacheDisabled: true,
};
const DESKTOP = { name: 'desktop', context: { viewport: { width: 1280, height: 800 } } };

// The site: dist/ (what `make serve` serves) unless TUNNELSCOPE_SITE names another.
// serve.mjs serves TUNNELSCOPE_SITE when it is set, dist/ otherwise.
const site = path.resolve(served);
if (!existsSync(path.join(site, 'index.html'))) {
  console.error(`bench-web: no site at ${site} (build it with \`make www\`)`);
  process.exit(2);
}
// A site from before prerendering has no /s/ or /support/ pages: the same
// views open from the index by their link fragments.
const prerendered = existsSync(path.join(site, 's'));
const PAGES = prerendered
  ? ['/', '/s/localnet-leak-without-ian.html', '/support/no-internet-after-update.html']
  : ['/', '/#lib=localnet-leak-without-ian', '/#sup=no-internet-after-update'];

// A rebuild of the site during the run would make the figures meaningless.
const stamp = () => ['index.html', 'pkg/tunnelscope_bg.wasm']
  .map((f) => statSync(path.join(site, f), { throwIfNoEntry: false })?.mtimeMs ?? 'missing').join(' ');
const builtAs = stamp();

// Installed before any of the page's own scripts: when `.topology svg` is first
// in the document (a MutationObserver, and a look at DOMContentLoaded), and
// the next animation frame after that (a double requestAnimationFrame: the
// second callback runs once the frame with the drawing has been painted).
const OBSERVER = `(() => {
  const seen = window.__benchDrawing = { at: null, frame: null };
  const look = () => {
    if (seen.at !== null) return true;
    if (!document.querySelector('.topology svg')) return false;
    seen.at = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => { seen.frame = performance.now(); }));
    return true;
  };
  const observer = new MutationObserver(() => { if (look()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => { if (look()) observer.disconnect(); });
})();`;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One load of `url` in a fresh context under `profile`. */
async function load(browser, profile, url) {
  const context = await browser.newContext(profile.context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const requests = new Map(); // requestId -> { url, bytes, encoding, type, accept, status }
  const entry = (id) => requests.get(id) ?? requests.set(id, {}).get(id);
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  cdp.on('Network.requestWillBeSent', (e) => { entry(e.requestId).url = e.request.url; });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    const h = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k.toLowerCase(), v]));
    entry(e.requestId).accept = h['accept-encoding'];
  });
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    Object.assign(entry(e.requestId), { status: e.response.status, encoding: h['content-encoding'], type: h['content-type'] });
  });
  cdp.on('Network.loadingFinished', (e) => { entry(e.requestId).bytes = e.encodedDataLength; });
  await cdp.send('Network.enable');
  if (profile.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  if (profile.network) await cdp.send('Network.emulateNetworkConditions', profile.network);
  if (profile.cacheDisabled) await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Page.enable'); // without it, this session's script is not installed
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: OBSERVER });

  const timeout = TIMEOUT[profile.name];
  const started = Date.now();
  let interactive = null;
  let failed = null; // a navigation error (not a timeout): the load is done again
  try {
    await page.goto(url, { waitUntil: 'commit', timeout });
    await page.waitForFunction(() => performance.getEntriesByName('tunnelscope-first-frame').length > 0, null,
      { timeout: Math.max(1000, timeout - (Date.now() - started)), polling: 100 });
    interactive = await page.evaluate(() => performance.getEntriesByName('tunnelscope-first-frame')[0].startTime);
  } catch (error) {
    if (!/Timeout/i.test(String(error))) failed = String(error).split('\n')[0];
  }
  await sleep(SETTLE_MS);
  // Without a prerendered drawing, it may come after the interactive mark.
  const drawnBy = Date.now() + (interactive === null ? 0 : SVG_GRACE_MS);
  let seen = { at: null, frame: null, paints: {} };
  do {
    seen = await page.evaluate(() => ({
      ...(window.__benchDrawing ?? { at: null, frame: null }),
      paints: Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime])),
    })).catch(() => seen);
    if (seen.frame !== null) break;
    await sleep(100);
  } while (Date.now() < drawnBy);
  // Drawing: the first paint at or after the svg appeared; when that was after
  // both paint entries, the animation frame that followed it.
  let drawing = null;
  let inPaintEntry = false;
  if (seen.at !== null) {
    const paints = [seen.paints['first-paint'], seen.paints['first-contentful-paint']].filter((t) => t !== undefined && t >= seen.at);
    inPaintEntry = paints.length > 0;
    drawing = inPaintEntry ? Math.min(...paints) : seen.frame;
  }
  const resources = [...requests.values()].filter((r) => r.url && !r.url.startsWith('data:'));
  const bytes = resources.reduce((sum, r) => sum + (r.bytes ?? 0), 0);
  return { context, page, result: { bytes, drawing, inPaintEntry, interactive, resources, problems, failed } };
}

/** Toggles includeAllNetworks once: ms to the `tunnelscope-rendered` mark and to the next animation frame. */
function toggle(page) {
  return page.evaluate((limit) => new Promise((resolve) => {
    const select = document.querySelector('select[name="include_all_networks"]');
    if (!select) return resolve({ rendered: null, frame: null, missing: true });
    const value = select.value === 'on' ? 'off' : 'on';
    let frame = null;
    const t0 = performance.now();
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    requestAnimationFrame(() => { frame = performance.now() - t0; });
    const look = () => {
      const mark = performance.getEntriesByName('tunnelscope-rendered').find((m) => m.startTime >= t0);
      if (mark && frame !== null) return resolve({ rendered: mark.startTime - t0, frame });
      if (performance.now() - t0 > limit) return resolve({ rendered: mark ? mark.startTime - t0 : null, frame });
      setTimeout(look, 5);
    };
    setTimeout(look, 0);
  }), TOGGLE_TIMEOUT_MS);
}

/** Clicks the phone's On | Off switch once: ms to the `tunnelscope-rendered` mark. */
function phoneSwitch(page) {
  return page.evaluate((limit) => new Promise((resolve) => {
    const button = document.querySelector('.side-switch button:not(.pressed)');
    if (!button) return resolve(null);
    const t0 = performance.now();
    button.click();
    const look = () => {
      const mark = performance.getEntriesByName('tunnelscope-rendered').find((m) => m.startTime >= t0);
      if (mark) return resolve(mark.startTime - t0);
      if (performance.now() - t0 > limit) return resolve(null);
      setTimeout(look, 5);
    };
    setTimeout(look, 0);
  }), TOGGLE_TIMEOUT_MS);
}

// Statistics and printing. A figure that never came (timeout) counts as Infinity.
const value = (x) => (x === null || x === undefined ? Infinity : x);
function stats(xs) {
  const s = xs.map(value).sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length % 2 ? s[Math.floor(mid)] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}
const fmt = {
  bytes: (b) => (b === Infinity ? 'never (timeout)' : `${(b / KB).toFixed(1)} KB`),
  s: (ms) => (ms === Infinity ? 'never (timeout)' : `${(ms / 1000).toFixed(2)} s`),
  ms: (ms) => (ms === Infinity ? 'never (timeout)' : `${ms.toFixed(1)} ms`),
};
const range = (st, f) => (st.min === Infinity ? '[never]'
  : `[${f(st.min).replace(/ (KB|s|ms)$/, '')}–${st.max === Infinity ? 'never' : f(st.max)}]`);
const missed = [];
function figure(name, xs, f, budget, budgetText, note = '') {
  const st = stats(xs);
  let verdict = '';
  if (budget !== undefined) {
    const ok = st.median <= budget;
    if (!ok) missed.push(name);
    verdict = ` (${ok ? 'within' : 'OVER'} budget <= ${budgetText})`;
  }
  const timeouts = xs.filter((x) => x === null || x === undefined).length;
  return `  ${name}: ${f(st.median)}${verdict}, median of ${st.n} ${range(st, f)}${timeouts ? `, ${timeouts} timed out` : ''}${note}`;
}
const drawn = (rs) => `; the svg was in the first (contentful) paint in ${rs.filter((r) => r.inPaintEntry).length} of ${rs.length}`;
const short = (url, origin) => url.startsWith(origin) ? url.slice(origin.length) : url;

const port = 19000 + (process.pid % 1000);
const server = await serve(port);
const { origin } = server;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const version = browser.version();
const results = { mobile: Object.fromEntries(PAGES.map((p) => [p, []])), desktop: Object.fromEntries(PAGES.map((p) => [p, []])) };
const toggles = [];
const frames = [];
const switches = [];
const worstTasks = [];
const WORST_LOADS = 5;
let missingSelect = false;
const retried = [];
const problems = new Map();
try {
  // Rounds over the pages, so drift in the machine's load spreads over all of them.
  for (const profile of [MOBILE, DESKTOP]) {
    for (let round = 0; round < LOADS; round++) {
      for (const p of PAGES) {
        let { context, page, result } = await load(browser, profile, origin + p);
        for (let retry = 0; result.failed && retry < 2; retry++) {
          retried.push(`${profile.name} ${p}: ${result.failed}`);
          await context.close();
          ({ context, page, result } = await load(browser, profile, origin + p));
        }
        results[profile.name][p].push(result);
        for (const m of result.problems) problems.set(m, (problems.get(m) ?? 0) + 1);
        if (profile === MOBILE && p === '/' && result.interactive !== null) {
          for (let i = 0; i < TOGGLES_PER_LOAD; i++) {
            await sleep(300); // each switch from a quiet page
            switches.push(await phoneSwitch(page));
          }
        }
        if (profile === DESKTOP && p === '/' && result.interactive !== null) {
          for (let i = 0; i < TOGGLES_PER_LOAD; i++) {
            await sleep(200); // each toggle from a quiet page
            const t = await toggle(page);
            missingSelect ||= Boolean(t.missing);
            toggles.push(t.rendered);
            frames.push(t.frame);
          }
        }
        await context.close();
      }
    }
  }
  // The worst scenario the format allows, opened as a link: the longest
  // task until its run is done (Chromium's long-task entries).
  const worst = readFileSync(path.join(root, 'tests/worst-case.toml'));
  const worstLink = `${origin}/#s=${worst.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
  for (let i = 0; i < WORST_LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });
    });
    try {
      await page.goto(worstLink);
      await page.waitForFunction(() => document.documentElement.dataset.live && document.querySelector('.notice.budget')
        && !document.querySelector('.notice.running'), null, { timeout: 60000 });
      worstTasks.push(Math.max(0, ...(await page.evaluate(() => window.longTasks))));
    } catch {
      worstTasks.push(null);
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}

// The header, how the wasm came over the wire, and one load's bytes by resource.
console.log(`tunnelscope bench-web: ${site} served by http-server --brotli --gzip; Chromium ${version}; ${LOADS} loads per page and profile, each in a fresh context; 1 KB = 1024 B`);
if (!prerendered) console.log(`  (a site without prerendered pages: the scenario and support views open by link fragment)`);
const first = results.mobile['/'][0];
const wasm = first.resources.find((r) => /\.wasm(\?|$)/.test(r.url));
console.log(wasm
  ? `  wasm ${short(wasm.url, origin)}: Content-Encoding ${wasm.encoding ?? 'none'}, Content-Type ${wasm.type ?? '?'}, ${wasm.bytes ?? '?'} B received (request Accept-Encoding: ${wasm.accept ?? '?'})`
  : '  wasm: no .wasm request seen in the first mobile load of /');
console.log(`  bytes by resource, first mobile load of /: ${first.resources.map((r) => `${short(r.url, origin)} ${r.bytes ?? 'unfinished'}${r.encoding ? ` ${r.encoding}` : ''}`).join(', ')}`);

console.log(`mobile: CPU 4x slower, latency 150 ms, 1.6 Mbit/s down, 750 kbit/s up, cache off, 390x844 at 3x`);
for (const p of PAGES) {
  const rs = results.mobile[p];
  console.log(figure(`${p} bytes`, rs.map((r) => r.bytes), fmt.bytes, BUDGET.bytes, '340 KB'));
  console.log(figure(`${p} drawing`, rs.map((r) => r.drawing), fmt.s, BUDGET.drawing, '1.0 s', drawn(rs)));
  console.log(figure(`${p} interactive`, rs.map((r) => r.interactive), fmt.s, BUDGET.interactive, '2.5 s'));
}
if (switches.length < 20) for (let i = switches.length; i < 20; i++) switches.push(null);
console.log(figure('the phone\'s kill switch On | Off on /, to tunnelscope-rendered', switches, fmt.ms, BUDGET.phoneSwitch, '50 ms'));
console.log(`desktop (reference, no budgets but the toggle): no throttling, cache on, 1280x800`);
for (const p of PAGES) {
  const rs = results.desktop[p];
  console.log(figure(`${p} bytes`, rs.map((r) => r.bytes), fmt.bytes));
  console.log(figure(`${p} drawing`, rs.map((r) => r.drawing), fmt.s, undefined, '', drawn(rs)));
  console.log(figure(`${p} interactive`, rs.map((r) => r.interactive), fmt.s));
}
if (missingSelect) console.log('  toggle: no select[name="include_all_networks"] on the page');
if (toggles.length < 20) for (let i = toggles.length; i < 20; i++) toggles.push(null); // loads that never became interactive
console.log(figure('toggle includeAllNetworks on /, to tunnelscope-rendered', toggles, fmt.ms, BUDGET.toggle, '8 ms')
  + `; to the next animation frame ${fmt.ms(stats(frames.length ? frames : [null]).median)}`);
console.log(figure('worst-case link (tests/worst-case.toml), longest task until its run is done', worstTasks, fmt.ms, BUDGET.longestTask, '200 ms'));
for (const r of retried) console.log(`  load done again after: ${r}`);
for (const [m, n] of problems) console.log(`  page said (${n}x): ${m.length > 200 ? m.slice(0, 200) + '…' : m}`);
if (stamp() !== builtAs) {
  console.log(`the site in ${site} was rebuilt during the run: these figures mean nothing; run again`);
  process.exit(2);
}
console.log(missed.length ? `OVER: ${missed.length} of 12 budgets missed` : 'all 12 budgets hold');
process.exit(missed.length ? 1 : 0);
