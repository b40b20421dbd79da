// End-to-end test of the served playground in a real headless Chromium:
// load, play, toggle, open the A/B view, follow a share link, download a
// pcap. Fails on any console error, page error or request to another
// origin. Saves screenshots (desktop and phone width) to target/e2e/.
//
// Run by `make test` after `make www`: node tests/e2e/playground.mjs

import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, '.tools/node_modules/'));
const { chromium } = require('playwright-core');

const port = 18000 + (process.pid % 1000);
const origin = `http://127.0.0.1:${port}`;
const shots = path.join(root, 'target/e2e');
mkdirSync(shots, { recursive: true });

const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', path.join(root, 'www')], { stdio: 'ignore' });
const problems = [];
let passed = 0;
const check = (ok, what) => {
  if (ok) { passed += 1; console.log(`ok    ${what}`); } else { problems.push(what); console.log(`FAIL  ${what}`); }
};

async function waitForServer() {
  for (let i = 0; i < 50; i++) {
    try { const r = await fetch(origin + '/'); if (r.ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the static server did not start');
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

try {
  await waitForServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) problems.push(`request to another origin: ${r.url()}`); });

  // Load: the default scenario, drawn.
  await page.goto(origin + '/');
  await page.waitForSelector('.topology .flow-label', { timeout: 15000 });
  check((await page.textContent('.scenario-title')).includes('iOS 16.1'), 'opens on the iOS 16.1 default scenario');
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
  const printer = async () => (await page.$$eval('.topology .flow-label', (els) => els.map((e) => e.textContent))).find((t) => t.startsWith('printer'));
  check((await printer()) === 'printer · D', 'without includeAllNetworks the LAN printer is direct');
  await page.selectOption('select[aria-label="include_all_networks"]', 'on');
  await page.waitForTimeout(100);
  check((await printer()) === 'printer · T', 'with includeAllNetworks (and exclude_local_networks off) it goes into the tunnel');

  // A/B: the same scenario with the flag flipped, side by side.
  await page.selectOption('select[aria-label="Property to flip for the comparison"]', 'include_all_networks');
  await page.waitForSelector('.views.ab');
  check((await page.$$('.views.ab .topology')).length === 2, 'the A/B view shows two drawings');
  check((await page.textContent('.differences')).includes('printer'), 'the A/B view lists the printer as differing');
  await page.click('.flow-label >> text=printer');
  await page.screenshot({ path: path.join(shots, 'desktop-ab-inspector.png') });

  // Share link: a fresh page opened on the address shows the same view.
  const link = page.url();
  const second = await context.newPage();
  second.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  await second.goto(link);
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
  await page.waitForSelector('.notice');
  check((await page.textContent('.notice')).includes('damaged'), 'a damaged link says so');

  // Support mode: pick a symptom, read the answer, download it, print it.
  await page.goto(origin + '/');
  await page.waitForSelector('.topology .flow-label');
  await page.selectOption('select[aria-label="Pick a symptom to answer"]', 'no-internet-after-update');
  await page.waitForSelector('.support h2');
  check((await page.textContent('.support h2')) === 'No internet after updating the VPN app', 'support mode answers the picked symptom');
  check((await page.textContent('.scenario-title')).startsWith('The update loop'), 'support mode loads the symptom\'s scenario');
  check((await page.$$('.support ol.steps > li')).length === 4, 'the answer lists the four documented steps');
  check((await page.getAttribute('.support-body a[href*="#sup=no-internet-after-update"]', 'href')) === `${origin}/#sup=no-internet-after-update`, 'the answer links to the playground it came from');
  check((await page.textContent('.support ol.steps')).includes('Exposes:'), 'each step says what it exposes');
  await page.waitForFunction(() => location.hash.startsWith('#sup=no-internet-after-update'));
  check(true, 'the address holds the support view');
  const [ticket] = await Promise.all([
    page.waitForEvent('download'),
    page.click('button:has-text("Download as Markdown")'),
  ]);
  const ticketFile = path.join(shots, 'ticket.md');
  await ticket.saveAs(ticketFile);
  const markdown = readFileSync(ticketFile, 'utf8');
  check(markdown.startsWith('# No internet after updating the VPN app\n') && markdown.includes('## Sources'), 'the ticket downloads as Markdown with its sources');
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
  // Each symptom's link opens its answer on its own scenario (the titles
  // come from `tunnelscope support` and the scenario files).
  for (const [id, title, scenario] of [['push-missing', 'Push notifications missing', 'Push notifications missing with the kill switch'],
    ['airdrop-airplay-broken', 'AirDrop or AirPlay', 'iOS 18.2 with includeAllNetworks: exclude_local_networks on, then off'],
    ['mms-wifi-calling-broken', 'MMS or Wi-Fi Calling', 'Wi-Fi Calling and MMS with the kill switch on iOS 16.2'],
    ['hotspot-clients-offline', 'Personal Hotspot', 'Personal Hotspot with the kill switch on'],
    ['leaks-during-update', 'What leaks', 'Workaround 2: Force all apps off']]) {
    await page.goto(`${origin}/#sup=${id}`);
    await page.waitForSelector('.support h2');
    const shown = await page.textContent('.scenario-title');
    check((await page.textContent('.support h2')).includes(title) && shown.startsWith(scenario) && !(await page.$('.notice')),
      `a link opens the support answer for ${id} on its scenario (${shown})`);
  }

  // Learn pages: the text is there, the live scenarios mount into it.
  await page.goto(origin + '/');
  await page.click('a.learn-link');
  await page.waitForSelector('.learn-index');
  const lessons = await page.$$eval('.learn-index a', (as) => as.map((a) => a.getAttribute('href')));
  check(lessons.length >= 5, `the learn index lists ${lessons.length} explanations`);
  for (const lesson of lessons) {
    await page.goto(`${origin}/learn/${lesson}`);
    await page.waitForSelector('.embed .topology .flow-label', { timeout: 15000 });
    const embeds = await page.$$('.embed');
    const drawn = await page.$$('.embed .embed-player');
    const sources = await page.$$('.sources li');
    check(embeds.length > 0 && drawn.length === embeds.length && sources.length >= 3, `${lesson}: text, ${embeds.length} live scenario(s) and ${sources.length} sources`);
  }
  await page.goto(`${origin}/learn/why-updates-break.html`);
  await page.waitForSelector('.embed .topology .flow-label');
  await page.click('.embed button.play');
  await page.waitForTimeout(400);
  await page.click('.embed button.play');
  check(parseFloat((await page.textContent('.embed .clock')).split(' ')[0]) > 0, 'a learn page\'s scenario plays');
  await page.screenshot({ path: path.join(shots, 'learn-desktop.png'), fullPage: true });

  // Phone width.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  small.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await small.goto(origin + '/#lib=wifi-to-cellular&t=21000');
  await small.waitForSelector('.topology .flow-label');
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'no sideways scrolling at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390.png'), fullPage: true });
  await small.goto(origin + '/#sup=no-internet-after-update');
  await small.waitForSelector('.support h2');
  check(!(await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)), 'no sideways scrolling in support mode at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390-support.png') });
  await small.goto(origin + '/learn/what-ian-covers.html');
  await small.waitForSelector('.embed .topology .flow-label');
  check(!(await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1)), 'no sideways scrolling on a learn page at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390-learn.png'), fullPage: true });
  await phone.close();
  await context.close();
} catch (error) {
  problems.push(`error: ${error.message}`);
} finally {
  await browser.close();
  server.kill();
}

for (const p of problems) console.log(`FAIL  ${p}`);
console.log(`screenshots: ${shots}`);
console.log(`e2e: ${passed} passed, ${problems.length} failed`);
process.exit(problems.length === 0 ? 0 : 1);
