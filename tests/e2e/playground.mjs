// End-to-end test of the served site (dist/, as `make serve` serves it) in
// a real headless Chromium: each page readable before any script, the app
// taking over without a jump, play, toggle, the A/B view, share links old
// and new, a pcap, support mode and the learn pages, at desktop and phone
// width. Fails on any console error, page error or request to another
// origin (from any context), and on a served page with an inline script or
// a Content-Security-Policy that would allow one. Saves screenshots to
// target/e2e/.
//
// Run by `make test` after `make www`: node tests/e2e/playground.mjs

import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root, serve } from './serve.mjs';

const require = createRequire(path.join(root, '.tools/node_modules/'));
const { chromium } = require('playwright-core');

const shots = path.join(root, 'target/e2e');
mkdirSync(shots, { recursive: true });

const { origin, stop } = await serve(18000 + (process.pid % 1000));
const problems = [];
let passed = 0;
const check = (ok, what) => {
  if (ok) { passed += 1; console.log(`ok    ${what}`); } else { problems.push(what); console.log(`FAIL  ${what}`); }
};

// The live app has taken the prerendered page's place (and every learn
// page embed has too).
const live = (page) => page.waitForFunction(() => document.documentElement.dataset.live
  && !document.querySelector('[data-prerendered]'), null, { timeout: 20000 });

// The text a reader sees on the first screen, without scrolling.
const firstScreenText = () => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const visible = [...range.getClientRects()].some((r) => r.width > 0 && r.height > 0 && r.top < innerHeight && r.bottom > 0);
    if (visible && getComputedStyle(node.parentElement).visibility !== 'hidden') out.push(node.textContent);
  }
  return out.join(' ');
};

// Where the things a reader looks at are on the page.
const positions = (page) => page.evaluate(() => ['.scenario-title', '.topology', '.timeline', '.lanes', '.controls']
  .map((selector) => {
    const element = [...document.querySelectorAll(selector)].find((e) => e.getBoundingClientRect().height > 0);
    const r = element ? element.getBoundingClientRect() : { x: -1, y: -1, width: -1, height: -1 };
    return [selector, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height)];
  }));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

// Every context fails the run on a request to another origin (the site is
// static files of its own; nothing is fetched from anywhere else).
const foreign = (url) => !url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:');
const newContext = async (options) => {
  const ctx = await browser.newContext(options);
  ctx.on('request', (r) => { if (foreign(r.url())) problems.push(`request to another origin: ${r.url()}`); });
  return ctx;
};

try {
  // Kept strict: every page the site serves has the Content-Security-Policy
  // that allows its own scripts only, and no inline script but the one that
  // starts the engine's fetch, allowed by its own SHA-256 (computed here,
  // apart from the site build that wrote it).
  const pages = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) pages.push(full);
    }
  };
  walk(path.join(root, 'dist'));
  const lax = pages.filter((file) => {
    const html = readFileSync(file, 'utf8');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]));
    const hashed = (m) => scriptSrc.includes(`'sha256-${createHash('sha256').update(m[2]).digest('base64')}'`);
    const unhashed = inline.length > 1 || inline.some((m) => !hashed(m) || !m[2].startsWith('window.tunnelscopeWasm = fetch('));
    return unhashed || !scriptSrc.includes("'self'") || scriptSrc.includes('unsafe-inline') || /\son[a-z]+=/.test(html.replace(/<svg[\s\S]*?<\/svg>/g, ''));
  }).map((file) => path.relative(root, file));
  check(pages.length > 50 && lax.length === 0, `all ${pages.length} pages allow only their own scripts and, inline, only the engine's fetch by its hash${lax.length ? `: not ${lax.join(', ')}` : ''}`);

  // Every scenario page says, before any script runs, what the kill switch
  // changes in it (or why there is nothing to compare).
  const scenarioPages = pages.filter((file) => file.includes(`${path.sep}s${path.sep}`));
  const unsaid = scenarioPages.filter((file) => {
    const html = readFileSync(file, 'utf8');
    return !/class="change-summary"[\s\S]*?<p class="headline">[^<]{20,}/.test(html);
  }).map((file) => path.basename(file));
  check(scenarioPages.length > 50 && unsaid.length === 0, `every one of ${scenarioPages.length} scenario pages says what the kill switch changes${unsaid.length ? `: not ${unsaid.join(', ')}` : ''}`);

  // Every page a link can open reads before any script runs: its drawing,
  // title and text are in the HTML, and the server compresses it.
  for (const [address, words] of [['/', 'iOS 16.1: Apple push and Maps leave the tunnel'],
    ['/s/wifi-to-cellular.html', 'iOS 17.4 with includeAllNetworks: Wi-Fi to cellular'],
    ['/support/no-internet-after-update.html', 'No internet after updating the VPN app']]) {
    const response = await fetch(origin + address, { headers: { 'Accept-Encoding': 'br' } });
    const html = await response.text();
    check(response.ok && html.includes('<svg') && html.includes(words) && response.headers.get('content-encoding') === 'br',
      `${address} arrives compressed with its drawing and "${words}" in the HTML`);
  }
  const missing = await fetch(origin + '/s/no-such-scenario.html');
  check(missing.status === 404 && (await missing.text()).includes('No such page'), 'a page that does not exist says so and links to the playground');
  const wasm = await fetch(origin + '/pkg/tunnelscope_bg.wasm', { headers: { 'Accept-Encoding': 'br, gzip' } });
  check(wasm.headers.get('content-encoding') === 'br' && wasm.headers.get('content-type') === 'application/wasm',
    `the wasm comes as ${wasm.headers.get('content-type')} with Content-Encoding ${wasm.headers.get('content-encoding')}`);

  // With JavaScript off the pages still read. With it on, the prerendered
  // page shows while the Wasm loads (held back here until it is measured),
  // and the app takes over without moving anything.
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const still = await newContext({ viewport: { width, height }, javaScriptEnabled: false });
    const off = await still.newPage();
    await off.goto(origin + '/s/localnet-leak-without-ian.html');
    const drawn = await off.evaluate(() => [...document.querySelectorAll('.topology svg')].filter((s) => s.getBoundingClientRect().width > 0).length);
    // The kill switch on and off: side by side on a desktop, one at a time on a phone.
    const sides = width > 760 ? 2 : 1;
    check(drawn === sides && (await off.textContent('.scenario-title')).includes('LAN'), `without JavaScript at ${width} px the page shows ${sides} drawing${sides > 1 ? 's' : ''} and its title`);
    await off.screenshot({ path: path.join(shots, `no-script-${width}.png`) });
    await still.close();

    const moving = await newContext({ viewport: { width, height } });
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await moving.route('**/tunnelscope_bg.wasm', async (route) => { await held; await route.continue(); });
    const page = await moving.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // (`load` waits for the preloaded Wasm, which is held back.)
    await page.goto(origin + '/s/localnet-leak-without-ian.html', { waitUntil: 'commit' });
    await page.waitForSelector('#app[data-prerendered] .topology svg', { state: 'attached' });
    await page.screenshot({ path: path.join(shots, `prerendered-${width}.png`) });
    const before = await positions(page);
    release();
    await live(page);
    await page.screenshot({ path: path.join(shots, `live-${width}.png`) });
    const after = await positions(page);
    const moved = before.filter((p, i) => p.some((v, j) => j > 0 && Math.abs(v - after[i][j]) > 2));
    check(moved.length === 0, `at ${width} px nothing moves when the app takes over${moved.length ? `: ${JSON.stringify(moved)} vs ${JSON.stringify(after)}` : ''}`);
    await moving.close();
  }

  // Addresses as hosts and people write them, and the browser's own
  // navigation: the view and the address bar always agree.
  {
    const ctx = await newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await p.goto(origin + '/s/update-loop-ian');
    await live(p);
    await p.waitForFunction(() => location.pathname.endsWith('.html'));
    check((await p.textContent('.scenario-title')).startsWith('The update loop') && p.url().startsWith(`${origin}/s/update-loop-ian.html#`),
      `an address without .html keeps its scenario and is written back whole (${p.url().slice(origin.length)})`);
    check((await p.title()).startsWith('The update loop'), 'the tab names the scenario');
    await p.selectOption('select[aria-label="Scenario library"]', 'wifi-to-cellular');
    await p.waitForFunction(() => location.pathname.endsWith('/s/wifi-to-cellular.html'));
    check((await p.title()).startsWith('iOS 17.4 with includeAllNetworks: Wi-Fi to cellular'), 'the tab follows the view');
    await p.evaluate(() => { location.hash = '#lib=no-vpn'; });
    await p.waitForFunction(() => document.querySelector('.scenario-title').textContent.startsWith('No VPN'));
    await p.waitForFunction(() => location.pathname.endsWith('/s/no-vpn.html'));
    await p.goBack();
    await p.waitForFunction(() => !document.querySelector('.scenario-title').textContent.startsWith('No VPN'), null, { timeout: 5000 }).catch(() => {});
    const shown = await p.textContent('.scenario-title');
    const at = await p.evaluate(() => location.pathname);
    check(shown.startsWith('iOS 17.4 with includeAllNetworks: Wi-Fi') && at.endsWith('/s/wifi-to-cellular.html'),
      `after Back the address (${at}) and the view (${shown.slice(0, 30)}…) agree`);
    await p.goto(origin + '/s/wifi-to-cellular.html#t=21000');
    await live(p);
    await p.evaluate(() => { location.hash = '#top'; });
    await p.waitForTimeout(300);
    check((await p.textContent('.scenario-title')).startsWith('iOS 17.4 with includeAllNetworks: Wi-Fi') && !(await p.$('.notice')),
      'a fragment that is not a view (#top) leaves the view alone');
    // A link with a comparison waits for the app rather than jumping.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await ctx.route('**/tunnelscope_bg.wasm', async (route) => { await held; await route.continue(); });
    const q = await ctx.newPage();
    await q.goto(origin + '/s/localnet-leak-without-ian.html#ab=include_all_networks&t=10000', { waitUntil: 'commit' });
    await q.waitForSelector('#app[data-prerendered]', { state: 'attached' });
    const hidden = await q.evaluate(() => document.documentElement.classList.contains('pending')
      && getComputedStyle(document.getElementById('app')).visibility === 'hidden');
    release();
    await live(q);
    check(hidden && (await q.$$('.views.ab .topology')).length === 2, 'a link with a comparison shows nothing else first, then its two drawings');
    await ctx.close();
  }

  const context = await newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`); });

  // The page's inline script starts the engine's fetch, and it is the only
  // one: main.js uses it (a hash the policy refused would show as a console
  // error, and main.js would fetch the module a second time).
  {
    const once = await context.newPage();
    const fetched = [];
    once.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
    once.on('request', (r) => { if (r.url().endsWith('/tunnelscope_bg.wasm')) fetched.push(r.url()); });
    await once.goto(origin + '/s/wifi-to-cellular.html');
    await live(once);
    check(fetched.length === 1, `a page fetches the engine once (${fetched.length} requests)`);
    await once.close();
  }

  // The heading follows an edit and says what was changed.
  {
    const edit = await context.newPage();
    await edit.goto(origin + '/');
    await live(edit);
    await edit.selectOption('select[aria-label="iOS release"]', '18.0');
    await edit.waitForFunction(() => /Edited: iOS 18\.0/.test(document.querySelector('.scenario-title').textContent));
    const [heading, title] = await edit.evaluate(() => [document.querySelector('.scenario-title').textContent, document.title]);
    check(/Edited: iOS 18\.0/.test(heading), `after choosing iOS 18.0 the heading says so (${heading})`);
    await edit.waitForFunction(() => /Edited: iOS 18\.0/.test(document.title)).catch(() => {});
    check(/Edited: iOS 18\.0/.test(await edit.title()), `and so does the tab's title (${await edit.title()})`);
    await edit.close();
  }

  // "Your iPhone": three answers open the view of that case, with its summary.
  {
    const find = await context.newPage();
    await find.goto(origin + '/');
    await live(find);
    await find.click('.finder summary');
    await find.selectOption('select[name="case-ios"]', '18.0');
    await find.selectOption('select[name="case-app"]', 'mullvad-force-all-apps');
    await find.selectOption('select[name="case-place"]', 'home');
    await find.waitForFunction(() => /Your iPhone: iOS 18\.0, Mullvad/.test(document.querySelector('.scenario-title').textContent));
    const said = await find.textContent('.change-summary .headline');
    check(/kill switch/.test(said), `"Your iPhone" opens the case with what the kill switch changes (${said.slice(0, 80)}…)`);
    const noAdvice = (await find.$$('.finder .advice')).length === 0;
    // A café's Wi-Fi: the view shows the attack, and a link says what to set.
    await find.selectOption('select[name="case-place"]', 'public');
    await find.waitForSelector('.finder .advice a');
    await find.click('.finder .advice a');
    await find.waitForFunction(() => /public Wi-Fi/.test(document.title) && document.documentElement.dataset.live);
    const steps = await find.textContent('body');
    check(noAdvice && /local network sharing off/.test(steps),
      `on a café's Wi-Fi (not at home) "Your iPhone" links to the answer that says what to set (${find.url().split('/').slice(-2).join('/')})`);
    await find.close();
  }

  // Load: the default scenario, drawn.
  await page.goto(origin + '/');
  await live(page);
  check((await page.textContent('.scenario-title')).includes('iOS 16.1'), 'opens on the iOS 16.1 default scenario');
  check(await page.evaluate(() => performance.getEntriesByName('tunnelscope-first-frame').length === 1), 'the app marks its first live frame');
  await page.screenshot({ path: path.join(shots, 'desktop-default.png') });

  // Play: the clock moves.
  const clock = async () => parseFloat((await page.textContent('.clock')).split(' ')[0]);
  const before = await clock();
  await page.click('button.play');
  await page.waitForTimeout(600);
  await page.click('button.play');
  check((await clock()) > before, 'play advances the clock');
  await page.keyboard.press('Shift+ArrowRight');
  check((await clock()) >= 0, 'keyboard stepping works');

  // Toggle: includeAllNetworks on a scenario where it matters.
  await page.selectOption('select[aria-label="Scenario library"]', 'localnet-leak-without-ian');
  await page.fill('input.scrubber', '10000').catch(() => {});
  await page.$eval('input.scrubber', (el) => { el.value = '10000'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  // A label ends in ≠ where the flow goes another way in the other drawing.
  const printer = async () => (await page.$$eval('.topology .flow-label', (els) => els.map((e) => e.textContent.replace(/ ≠$/, '')))).find((t) => t.startsWith('printer'));
  check((await printer()) === 'printer · D', 'without includeAllNetworks the LAN printer is direct');
  await page.selectOption('select[name="include_all_networks"]', 'on');
  await page.waitForTimeout(100);
  check((await printer()) === 'printer · T', 'with includeAllNetworks (and exclude_local_networks off) it goes into the tunnel');

  // A/B: the same scenario with the flag flipped, side by side.
  await page.selectOption('select[name="compare"]', 'include_all_networks');
  await page.waitForSelector('.views.ab');
  check((await page.$$('.views.ab .topology')).length === 2, 'the A/B view shows two drawings');
  check((await page.textContent('.change-summary')).includes('printer'), 'the summary names the printer as what the kill switch changes');
  await page.click('.flow-label >> text=printer');
  await page.screenshot({ path: path.join(shots, 'desktop-ab-inspector.png') });

  // Share link: a fresh page opened on the address shows the same view.
  const link = page.url();
  const second = await context.newPage();
  second.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await second.goto(link);
  await live(second);
  await second.waitForSelector('.views.ab .topology .flow-label');
  check(second.url() === link, 'the share link reopens to the identical address');
  check((await second.textContent('.inspector')).includes('printer'), 'the share link restores the selection');
  await second.close();

  // Download a pcap.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("en0.pcap")'),
  ]);
  const file = path.join(shots, 'en0.pcap');
  await download.saveAs(file);
  const bytes = readFileSync(file);
  check(bytes.length > 24 && bytes.readUInt32LE(0) === 0xa1b2c3d4, 'the en0 pcap downloads with a pcap header');

  // The whole run as one pcapng: a section header, then interfaces.
  const [whole] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("run.pcapng")'),
  ]);
  const ngFile = path.join(shots, 'run.pcapng');
  await whole.saveAs(ngFile);
  const ng = readFileSync(ngFile);
  check(ng.length > 28 && ng.readUInt32LE(0) === 0x0a0d0d0a && ng.readUInt32LE(8) === 0x1a2b3c4d,
    'run.pcapng downloads as a pcapng (section header, byte-order magic)');
  check(ng.includes(Buffer.from('utun0')) && ng.includes(Buffer.from(' · rule ')),
    'run.pcapng names the interfaces and comments the packets');

  // IPv6: the leak scenario draws hollow IPv6 packets on en0; the Wi-Fi IP
  // control turns them off (IPv4 only) and on again.
  await page.goto(`${origin}/s/ipv6-leak-ipv4-only-tunnel.html#t=5040`);
  await live(page);
  await page.waitForSelector('.topology .packet.v6');
  check((await page.inputValue('select[aria-label="Wi-Fi IP"]')) === 'dual-stack', 'the Wi-Fi IP control shows dual-stack');
  check((await page.textContent('.topology')).includes('NAT+IPv6'), 'the home router says it routes IPv6');
  await page.selectOption('select[aria-label="Wi-Fi IP"]', 'ipv4-only');
  await page.waitForFunction(() => !document.querySelector('.topology .packet.v6'));
  check(!(await page.inputValue('textarea')).includes('wifi_ip'), 'IPv4 only leaves wifi_ip out of the text');
  await page.selectOption('select[aria-label="Wi-Fi IP"]', 'dual-stack');
  await page.waitForSelector('.topology .packet.v6');
  await page.click('.flow-label >> text=browser');
  check((await page.textContent('.inspector')).includes('over IPv6'), 'the inspector says the browser goes over IPv6');
  check((await page.textContent('.inspector')).includes('routes.ipv4-only-tunnel-leaks-ipv6'), 'the inspector names the leak\'s rule');
  await page.screenshot({ path: path.join(shots, 'desktop-ipv6.png') });

  // Opening a scenario file: a broken one shows its error at line:column
  // and keeps the text; a good one replaces the drawing.
  const upload = 'input[type="file"][aria-label="Open a scenario file"]';
  await page.setInputFiles(upload, { name: 'broken.toml', mimeType: 'text/plain',
    buffer: Buffer.from('title = "uploaded"\nios = "16.4"\nnetwrok = "wifi"\n') });
  await page.waitForSelector('.errors');
  check((await page.textContent('.errors')).includes('line 3, column 1'), 'an uploaded broken file shows its error at line 3, column 1');
  check((await page.inputValue('textarea')).includes('netwrok'), 'the uploaded text stays in the editor');
  await page.setInputFiles(upload, { name: 'good.toml', mimeType: 'text/plain',
    buffer: Buffer.from('title = "uploaded and valid"\nios = "16.4"\n\n[[flow]]\nname = "web"\nkind = "app"\nopen = "0s"\n') });
  await page.waitForFunction(() => document.querySelector('.scenario-title')?.textContent === 'uploaded and valid');
  check(!(await page.$('.errors')), 'an uploaded valid file replaces the drawing');

  // A bad link: a message, and the default view.
  await page.goto(origin + '/#s=%%%');
  check(await page.evaluate(() => document.documentElement.classList.contains('pending') || document.documentElement.dataset.live === 'app'),
    'a link carrying a scenario hides the prerendered one until the app reads it');
  await live(page);
  await page.waitForSelector('.notice');
  check((await page.textContent('.notice')).includes('damaged'), 'a damaged link says so');
  await page.goto(origin + '/#lib=no-such-scenario&t=5');
  await live(page);
  check((await page.textContent('.notice')).includes('no-such-scenario') && page.url().startsWith(origin + '/'),
    'an older link naming an unknown scenario says so and shows the default');

  // Support mode: pick a symptom, read the answer, download it, print it.
  await page.goto(origin + '/');
  await live(page);
  await page.selectOption('select[aria-label="Pick a symptom to answer"]', 'no-internet-after-update');
  await page.waitForSelector('.support h2');
  check((await page.textContent('.support h2')) === 'No internet after updating the VPN app', 'support mode answers the picked symptom');
  check((await page.textContent('.scenario-title')).startsWith('The update loop'), 'support mode loads the symptom\'s scenario');
  const lists = await page.$$('.support ol.steps');
  check(lists.length === 2 && (await lists[0].$$(':scope > li')).length === 4 && (await lists[1].$$(':scope > li')).length === 4,
    'the customer\'s message and the agent\'s notes each list the four documented steps');
  check((await page.$('.support-body a[href$="support/no-internet-after-update.html"]')) !== null, 'the answer links to its page');
  check(!(await lists[0].textContent()).includes('Exposes:') && (await lists[1].textContent()).includes('Exposes:'),
    'the customer\'s steps are plain; each of the agent\'s says what it exposes');
  // "Copy the customer message": the message and the view's address.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await page.click('button:has-text("Copy the customer message")');
  await page.waitForSelector('.copy-status');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  check((await page.textContent('.copy-status')) === 'Copied.' && copied.includes('\n1. Restart the iPhone.\n')
    && copied.includes(`${origin}/support/no-internet-after-update.html`) && !copied.includes('update.ian-blocks-all'),
    'the customer message is copied with its link and without rule ids');
  await page.waitForFunction(() => location.pathname.endsWith('/support/no-internet-after-update.html'));
  check(true, 'the address is the symptom\'s page');
  const [ticket] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Download as Markdown")'),
  ]);
  const ticketFile = path.join(shots, 'ticket.md');
  await ticket.saveAs(ticketFile);
  const markdown = readFileSync(ticketFile, 'utf8');
  check(markdown.startsWith('# No internet after updating the VPN app\n') && markdown.includes('## Sources')
    && markdown.includes(`${origin}/support/no-internet-after-update.html`), 'the ticket downloads as Markdown with its sources and its full address');
  await page.screenshot({ path: path.join(shots, 'desktop-support.png') });
  // "Print for the ticket" unfolds the evidence first (the print dialog
  // itself is stubbed out: headless Chromium has none).
  await page.evaluate(() => { window.print = () => { window.printed = true; }; });
  await page.click('button:has-text("Print for the ticket")');
  check(await page.evaluate(() => window.printed === true && [...document.querySelectorAll('.support details')].every((d) => d.open)),
    'printing unfolds the simulation, the sources and the assumptions');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.isVisible('.controls')) && (await page.isVisible('.support .steps')) && (await page.isVisible('.support details a')),
    'the print view drops the controls and keeps the answer with its sources');
  await page.screenshot({ path: path.join(shots, 'print-support.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // The finder: the customer's words rank the symptoms; one click answers.
  await page.fill('input[aria-label="The customer\'s words, to find the symptom"]', 'my laptop on the hotspot has no internet');
  await page.waitForSelector('.finder-results button');
  check((await page.textContent('.finder-results li:first-child')).includes('Personal Hotspot'), 'the finder ranks the hotspot symptom first for the customer\'s words');
  await page.click('.finder-results li:first-child button');
  await page.waitForFunction(() => document.querySelector('.support h2')?.textContent.includes('Personal Hotspot'));
  check(true, 'picking a found symptom opens its answer');
  await page.fill('input[aria-label="The customer\'s words, to find the symptom"]', 'qwxz');
  check((await page.textContent('.finder-none')).includes('No symptom matches'), 'words that match nothing say so and point to the full list');
  // Each symptom's link opens its answer on its own scenario (the titles
  // come from `tunnelscope support` and the scenario files).
  for (const [id, title, scenario] of [['push-missing', 'Push notifications missing', 'Push notifications missing with the kill switch'],
    ['airdrop-airplay-broken', 'AirDrop or AirPlay', 'iOS 18.2 with includeAllNetworks: exclude_local_networks on, then off'],
    ['mms-wifi-calling-broken', 'MMS or Wi-Fi Calling', 'Wi-Fi Calling and MMS with the kill switch on iOS 16.2'],
    ['hotspot-clients-offline', 'Personal Hotspot', 'Personal Hotspot with a full tunnel and no kill switch'],
    ['leaks-during-update', 'What leaks', 'Workaround 2: Force all apps off']]) {
    for (const address of [`${origin}/#sup=${id}`, `${origin}/support/${id}.html`]) {
      await page.goto(address);
      await page.waitForSelector('.support h2');
      const first = await page.textContent('.scenario-title');
      await live(page);
      const shown = await page.textContent('.scenario-title');
      check((await page.textContent('.support h2')).includes(title) && first === shown && shown.startsWith(scenario) && !(await page.$('.notice'))
        && page.url().includes(`/support/${id}.html`), `${address.slice(origin.length)} opens the support answer for ${id} on its scenario (${shown}), from the first paint`);
    }
  }

  // Learn pages: the text is there, the live scenarios mount into it.
  await page.goto(origin + '/');
  await live(page);
  await page.click('a.learn-link');
  await page.waitForSelector('.learn-index');
  const lessons = await page.$$eval('.learn-index a', (as) => as.map((a) => a.getAttribute('href')));
  check(lessons.length >= 5, `the learn index lists ${lessons.length} explanations`);
  for (const lesson of lessons) {
    await page.goto(`${origin}/learn/${lesson}`);
    check((await page.$$('.embed [data-prerendered] svg')).length > 0 || (await page.evaluate(() => document.documentElement.dataset.live)) === 'embeds',
      `${lesson}: its scenarios are drawn before the Wasm arrives`);
    await live(page);
    const embeds = await page.$$('.embed');
    const drawn = await page.$$('.embed .embed-player');
    const sources = await page.$$('.sources li');
    check(embeds.length > 0 && drawn.length === embeds.length && sources.length >= 3, `${lesson}: text, ${embeds.length} live scenario(s) and ${sources.length} sources`);
  }
  await page.goto(`${origin}/learn/why-updates-break.html`);
  await live(page);
  await page.click('.embed button.play');
  await page.waitForTimeout(400);
  await page.click('.embed button.play');
  check(parseFloat((await page.textContent('.embed .clock')).split(' ')[0]) > 0, 'a learn page\'s scenario plays');
  await page.screenshot({ path: path.join(shots, 'learn-desktop.png'), fullPage: true });

  // Phone width.
  const phone = await newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true });
  const small = await phone.newPage();
  small.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await small.goto(origin + '/#lib=wifi-to-cellular&t=21000');
  await live(small);
  check(small.url() === `${origin}/s/wifi-to-cellular.html#t=21000&speed=2000`, `an older link goes to its scenario's page (${small.url()})`);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'no sideways scrolling at 390 px');
  // The whole path, phone to servers, fits the width; its labels are legible.
  const fit = await small.evaluate(() => {
    const svg = [...document.querySelectorAll('.topology svg')].find((s) => s.getBoundingClientRect().width > 0);
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width);
    const servers = [...svg.querySelectorAll('.node-title')].find((t) => t.textContent === 'servers').getBoundingClientRect();
    return { layout: svg.getAttribute('class'), left: box.left, right: box.right, smallest: Math.min(...texts), servers: servers.right <= innerWidth };
  });
  check(fit.layout === 'tall' && fit.left >= 0 && fit.right <= 390 && fit.servers && fit.smallest >= 11,
    `at 390 px the tall drawing fits (${Math.round(fit.left)}–${Math.round(fit.right)} px) with labels of at least ${fit.smallest.toFixed(1)} px`);
  await small.screenshot({ path: path.join(shots, 'phone-390.png'), fullPage: true });

  // A phone's first screen speaks plainly: it says "kill switch" and shows
  // no snake_case key of the scenario format (those stay further down,
  // beside the settings they name).
  for (const where of ['/', '/s/localnet-leak-without-ian.html', '/s/mullvad-force-all-apps.html']) {
    await small.goto(origin + where);
    await live(small);
    const first = await small.evaluate(firstScreenText);
    check(/kill switch/i.test(first), `the first screen of ${where} at 390 px says "kill switch"`);
    const keys = first.match(/\b[a-z]+(?:_[a-z]+)+\b/g) ?? [];
    check(keys.length === 0, `the first screen of ${where} at 390 px shows no snake_case key (${keys.join(', ') || 'none'})`);
  }
  await small.screenshot({ path: path.join(shots, 'phone-390-first-screen.png') });

  // Tapping a flow in the drawing opens its explanation where the tap was.
  await small.goto(origin + '/s/localnet-leak-without-ian.html');
  await live(small);
  await small.locator('.views .side.configured svg.tall .flow-label').first().tap();
  await small.waitForSelector('.inspector.open h3');
  const sheet = await small.evaluate(() => {
    const r = document.querySelector('.inspector.open').getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, text: document.querySelector('.inspector.open').textContent };
  });
  check(sheet.top >= 0 && sheet.top < 844 && sheet.bottom <= 845 && /Why/.test(sheet.text),
    `at 390 px the explanation opens in view after a tap (${Math.round(sheet.top)}–${Math.round(sheet.bottom)} px)`);
  await small.screenshot({ path: path.join(shots, 'phone-390-tapped.png') });
  // The On | Off switch swaps the drawing in place, at the same moment.
  const beforeSwitch = await small.evaluate(() => [document.querySelector('.clock').textContent, [...document.querySelectorAll('.views .side')].map((e) => e.getBoundingClientRect().height > 0)]);
  await small.click('.side-switch button:not(.pressed)');
  await small.waitForSelector('.views.shown-flipped');
  const afterSwitch = await small.evaluate(() => [document.querySelector('.clock').textContent, [...document.querySelectorAll('.views .side')].map((e) => e.getBoundingClientRect().height > 0)]);
  check(beforeSwitch[0] === afterSwitch[0] && beforeSwitch[1].join() === 'true,false' && afterSwitch[1].join() === 'false,true',
    `the phone's On | Off switch swaps the drawing in place at the same moment (${beforeSwitch[0]} → ${afterSwitch[0]})`);
  await small.goto(origin + '/support/no-internet-after-update.html');
  await live(small);
  check(!(await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)), 'no sideways scrolling in support mode at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390-support.png') });
  await small.goto(origin + '/learn/what-ian-covers.html');
  await live(small);
  check(!(await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)), 'no sideways scrolling on a learn page at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390-learn.png'), fullPage: true });
  await phone.close();
  await context.close();
} catch (error) {
  problems.push(`error: ${error.message}`);
} finally {
  await browser.close();
  stop();
}

for (const p of problems) console.log(`FAIL  ${p}`);
console.log(`screenshots: ${shots}`);
console.log(`e2e: ${passed} passed, ${problems.length} failed`);
process.exit(problems.length === 0 ? 0 : 1);
