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

  // Phone width.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const small = await phone.newPage();
  small.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await small.goto(origin + '/#lib=wifi-to-cellular&t=21000');
  await small.waitForSelector('.topology .flow-label');
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
  check(!overflow, 'no sideways scrolling at 390 px');
  await small.screenshot({ path: path.join(shots, 'phone-390.png'), fullPage: true });
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
