// Repeats the two moments where WebKit trapped in tests/e2e/webkit.mjs (a
// fresh page at 390 px taken over by the app; the worst-case link's run)
// and records what the page and WebKit said each time. Not part of
// `make test`: a tool for chasing a fault that shows once in many runs.
//
//   make www && node tests/e2e/webkit-stress.mjs [takeover|worst|both|hostile|all] [rounds]
//
// The site is served through a small proxy that adds one script ahead of
// every page's own (tests/e2e/probe.js: error listeners from the first
// line on, so a trap during the app's start is seen too) and lets main.js
// keep the Wasm module's exports on the window, so the probe can read how
// deep the Wasm stack went (the shadow stack lives at the bottom of linear
// memory and grows down from its top: the lowest byte written is its
// high-water mark). WebKit's own output (WebKitWebDriver, MiniBrowser and
// the web process share its stderr) is kept in target/e2e/webkit-stress-*.log.
//
// The module is served with its stack pointer exported (`__sp`): between
// tasks no Rust code runs, so it must be back at its top, and the probe
// says so when it is not (stack that a call never gave back).
//
// Env: TUNNELSCOPE_SITE as for webkit.mjs; TUNNELSCOPE_STACK=<bytes> starts
// the module's stack there instead of at 1 MiB (8192 makes the first render
// run out of stack: the same "Out of bounds memory access" every time); any
// JSC_* variable reaches the web process (JavaScriptCore reads its options
// from the environment: JSC_useOMGJIT=0, JSC_useWasmFastMemory=0, …).

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { serve, root } from './serve.mjs';
import { freePort, startWebKit, waitFor } from './webdriver.mjs';

const mode = process.argv[2] ?? 'both';
const rounds = Number(process.argv[3] ?? 20);
const out = path.join(root, 'target/e2e');
mkdirSync(out, { recursive: true });
const probe = readFileSync(path.join(root, 'tests/e2e/probe.js'), 'utf8');

/** Unsigned LEB128, as the Wasm binary format writes sizes and indices. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}
const uleb = (v) => { const out = []; do { let b = v & 0x7f; v = Math.floor(v / 128); if (v) b |= 0x80; out.push(b); } while (v); return out; };

/**
 * The module as served, with its first global (rustc's `__stack_pointer`)
 * exported as `__sp`, so that the probe can read where the stack is; with
 * `stack` set, that global starts there instead (the stack is then `stack`
 * bytes: rustc links with --stack-first, so the stack is memory's first
 * bytes and the data follows it; one that runs out goes below address 0).
 */
function instrument(wasm, stack) {
  const out = [...wasm.subarray(0, 8)];
  let at = 8;
  while (at < wasm.length) {
    const start = at;
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    const end = body + size;
    if (id === 7) {
      const [count, rest] = leb(wasm, body);
      const section = [...uleb(count + 1), ...wasm.subarray(rest, end), ...uleb(4), ...Buffer.from('__sp'), 0x03, 0x00];
      out.push(7, ...uleb(section.length), ...section);
    } else if (id === 6 && stack) {
      // global 0: i32, mutable, `i32.const N; end`, N rewritten in as many bytes.
      const copy = [...wasm.subarray(start, end)];
      let [, first] = leb(wasm, body);
      if (wasm[first] !== 0x7f || wasm[first + 1] !== 1 || wasm[first + 2] !== 0x41) throw new Error('global 0 is not the stack pointer');
      let p = first + 3;
      let n = 1;
      while (wasm[p + n - 1] & 0x80) n += 1;
      let v = stack;
      for (let i = 0; i < n; i++) { copy[p - start + i] = (v & 0x7f) | (i < n - 1 ? 0x80 : 0); v = Math.floor(v / 128); }
      if (v) throw new Error(`a stack of ${stack} B does not fit the global's ${n} bytes`);
      out.push(...copy);
    } else {
      for (let i = start; i < end; i++) out.push(wasm[i]);
    }
    at = end;
  }
  return Buffer.from(out);
}
const STACK = Number(process.env.TUNNELSCOPE_STACK ?? 0);

/** The proxy: plain bodies for HTML, main.js and the module, rewritten; the rest passed on. */
async function probingProxy(target) {
  const proxy = http.createServer((req, res) => {
    const pathname = new URL(req.url, target).pathname;
    if (pathname === '/__probe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      res.end(probe);
      return;
    }
    const rewrite = pathname.endsWith('/') || pathname.endsWith('.html') || pathname.endsWith('/main.js') || pathname.endsWith('.wasm');
    const headers = { ...req.headers };
    if (rewrite) delete headers['accept-encoding'];
    const up = http.request(`${target}${req.url}`, { method: req.method, headers }, (r) => {
      if (!rewrite || r.statusCode !== 200) { res.writeHead(r.statusCode, r.headers); r.pipe(res); return; }
      const chunks = [];
      r.on('data', (d) => chunks.push(d));
      r.on('end', () => {
        let body = Buffer.concat(chunks);
        if (pathname.endsWith('.wasm')) body = instrument(body, STACK);
        else body = pathname.endsWith('main.js')
          ? body.toString().replace('await init(', 'window.__wasm = await init(')
          : body.toString().replace(/<script src="[^"]*boot\.js"><\/script>/, (m) => `<script src="/__probe.js"></script>${m}`);
        const h = { ...r.headers };
        delete h['content-length'];
        delete h['content-encoding'];
        res.writeHead(200, h);
        res.end(body);
      });
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise((r) => proxy.listen(port, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${port}`, stop: () => { proxy.closeAllConnections(); proxy.close(); } };
}

const LIVE = () => performance.getEntriesByName('tunnelscope-first-frame').length > 0
  && document.documentElement.dataset.live === 'app' && !document.querySelector('[data-prerendered]');
/** The probe's record: errors so far, and the stack's high-water mark. */
const REPORT = () => ({ banner: document.querySelector('#panic.shown')?.textContent ?? null, sp: window.__probe?.stackPointer(), errors: window.__probe?.errors ?? ['no probe'], stackLeft: window.__probe?.stackUsed() ?? null, memory: window.__probe?.memoryBytes() ?? null });

const b64 = (text) => Buffer.from(text).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const worst = readFileSync(path.join(root, 'tests/worst-case.toml'), 'utf8');

const server = await serve(await freePort());
const proxy = await probingProxy(server.origin);
// Also when stopped by a signal (startWebKit exits the process then).
process.on('exit', () => { proxy.stop(); server.stop(); });
let wk = await startWebKit({ log: (m) => console.log(`      ${m}`) });
let s = wk.session;
const tally = { rounds: 0, traps: 0, stuck: 0, sessionDeaths: 0 };
const deepest = {}; // per visit kind: the fewest stack bytes left untouched
const logOf = (n) => path.join(out, `webkit-stress-${n}.log`);

async function fresh(width) {
  await s.setViewport(width, 844);
  await s.navigate('about:blank');
}

/** One visit: `url` opened fresh, `until` (a page function) awaited; what was seen. */
async function visit(name, url, until, ms) {
  await s.navigate(url);
  const t0 = Date.now();
  let outcome = 'ok';
  try {
    await waitFor(name, async () => {
      const [done, errors] = await s.exec(`return [(${until})(), window.__probe ? window.__probe.errors.length : 0];`);
      if (errors > 0) return 'error';
      return done ? 'done' : null;
    }, ms, 100);
  } catch (e) { outcome = `stuck: ${e.message}`; }
  const r = await s.exec(REPORT);
  if (r.errors.length) outcome = 'trap';
  if (r.stackLeft !== null) deepest[name] = Math.min(deepest[name] ?? Infinity, r.stackLeft);
  return { outcome, ms: Date.now() - t0, ...r };
}

const plan = [];
const settledWith = (css) => `() => document.documentElement.dataset.live === 'app' && !!document.querySelector(${JSON.stringify(css)})`;
if (mode === 'hostile' || mode === 'all') {
  plan.push(['nested-toml', 1280, () => `${proxy.origin}/#s=${b64(`title = "deep"\nios = "17.0"\nx = ${'['.repeat(100000)}1${']'.repeat(100000)}\n`)}`, settledWith('.errors'), 30000]);
  plan.push(['2mb-fragment', 1280, () => `${proxy.origin}/#s=${'A'.repeat(2_000_000)}&t=0`, settledWith('.notice'), 30000]);
  plan.push(['unknown-key', 1280, () => `${proxy.origin}/#s=${b64('title = "x"\nios = "17.0"\ncolour = "red"\n')}`, settledWith('.errors'), 30000]);
  plan.push(['ab-link', 1280, () => `${proxy.origin}/s/localnet-leak-without-ian.html#t=10000&ab=include_all_networks`, () => document.documentElement.dataset.live === 'app' && document.querySelectorAll('.views.ab .topology').length === 2, 30000]);
  plan.push(['support-390', 390, () => `${proxy.origin}/support/no-internet-after-update.html`, settledWith('.support h2'), 30000]);
}
if (['takeover', 'both', 'all'].includes(mode)) plan.push(['takeover-390', 390, () => `${proxy.origin}/s/wifi-to-cellular.html#t=21000`, LIVE, 30000]);
if (['worst', 'both', 'all'].includes(mode)) plan.push(['worst-case', 1280, () => `${proxy.origin}/#s=${b64(worst)}`, () => document.documentElement.dataset.live === 'app' && !document.querySelector('.notice.running') && !!document.querySelector('.notice.budget'), 180000]);

for (let i = 1; i <= rounds; i++) {
  for (const [name, width, url, until, ms] of plan) {
    tally.rounds += 1;
    let line;
    try {
      await fresh(width);
      const r = await visit(name, url(), until, ms);
      if (r.outcome === 'trap') tally.traps += 1;
      if (r.outcome.startsWith('stuck')) tally.stuck += 1;
      line = `${String(i).padStart(3)} ${name.padEnd(13)} ${r.outcome.padEnd(5)} ${String(r.ms).padStart(6)} ms  stack never reached ${r.stackLeft} B  sp ${JSON.stringify(r.sp)}  memory ${r.memory} B${r.banner ? `\n      banner: ${r.banner}` : ''}${r.errors.length ? `\n      ${r.errors.join('\n      ')}` : ''}`;
      if (r.outcome !== 'ok') writeFileSync(logOf(`${name}-${i}`), `${line}\n\n--- WebKit's stderr ---\n${wk.driverStderr()}`);
    } catch (e) {
      tally.sessionDeaths += 1;
      line = `${String(i).padStart(3)} ${name.padEnd(13)} SESSION: ${e.message}`;
      writeFileSync(logOf(`${name}-${i}`), `${line}\n\n--- WebKit's stderr ---\n${wk.driverStderr()}`);
      await wk.stop();
      wk = await startWebKit({ log: (m) => console.log(`      ${m}`) });
      s = wk.session;
    }
    console.log(line);
  }
}
console.log(`webkit-stress: ${tally.rounds} visits, ${tally.traps} traps, ${tally.stuck} stuck, ${tally.sessionDeaths} session deaths; least stack never reached (bytes) ${JSON.stringify(deepest)}`);
await wk.stop();
proxy.stop();
server.stop();
process.exit(tally.traps + tally.stuck + tally.sessionDeaths === 0 ? 0 : 1);
