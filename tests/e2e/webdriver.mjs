// A small W3C WebDriver client over Node's built-in fetch, and the start and
// stop of WebKitGTK's driver on a private Xvfb display. No npm dependency.
//
//   const wk = await startWebKit();          // Xvfb + WebKitWebDriver + a session
//   await wk.session.navigate(url); ...
//   await wk.stop();                          // always: quits, kills what it started
//
// Every call is bounded in time; a call that fails throws an Error naming the
// command and WebDriver's own message.
//
// Known limits of WebKitGTK 2.50's driver: no log endpoint (GET /log/types is
// an "unknown command") and no WebDriver BiDi (webSocketUrl fails to match);
// MiniBrowser's --enable-write-console-messages-to-stdout does not reach the
// web views an automation session opens. Collect errors inside the page.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
export const DRIVER = 'WebKitWebDriver';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `probe` (async, returns a truthy value when done) until `ms` runs
 * out. A probe's error is taken as "not yet", except one made by
 * `giveUp`: the state waited for can no longer come.
 */
export async function waitFor(what, probe, ms = 10000, every = 50) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      if (e.giveUp) throw new Error(`gave up waiting for ${what}: ${e.message}`);
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await sleep(every);
  }
}

/** An error that ends a `waitFor` at once. */
export const giveUp = (message) => Object.assign(new Error(message), { giveUp: true });

export class WebDriverError extends Error {
  constructor(command, status, value) {
    super(`${command}: ${value?.error ?? `HTTP ${status}`}${value?.message ? `: ${value.message}` : ''}`);
    this.code = value?.error;
  }
}

/** One WebDriver session. */
export class Session {
  constructor(base, id, capabilities) {
    this.base = base;
    this.id = id;
    this.capabilities = capabilities;
  }

  static async create(base, capabilities, ms = 30000) {
    const value = await call(base, 'POST', '/session', { capabilities }, ms);
    return new Session(base, value.sessionId, value.capabilities);
  }

  cmd(method, path, body, ms = 20000) {
    return call(this.base, method, `/session/${this.id}${path}`, body, ms);
  }

  timeouts(t) { return this.cmd('POST', '/timeouts', t); }
  navigate(url, ms = 40000) { return this.cmd('POST', '/url', { url }, ms); }
  url() { return this.cmd('GET', '/url'); }
  title() { return this.cmd('GET', '/title'); }
  /** Runs `fn` (a function or a function body) in the page with `args`. */
  exec(fn, ...args) {
    return this.cmd('POST', '/execute/sync', { script: body(fn), args });
  }
  /** Like exec, but the script's last argument is the callback to call with the result. */
  execAsync(fn, ...args) {
    return this.cmd('POST', '/execute/async', { script: body(fn), args }, 60000);
  }
  /** The first element matching the CSS selector, or null. */
  async find(css) {
    try {
      const v = await this.cmd('POST', '/element', { using: 'css selector', value: css });
      return v[ELEMENT];
    } catch (e) {
      if (e.code === 'no such element') return null;
      throw e;
    }
  }
  async findAll(css) {
    const v = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return v.map((e) => e[ELEMENT]);
  }
  click(el) { return this.cmd('POST', `/element/${el}/click`, {}); }
  text(el) { return this.cmd('GET', `/element/${el}/text`); }
  /** A PNG of the viewport, as a Buffer. */
  async screenshot() { return Buffer.from(await this.cmd('GET', '/screenshot', undefined, 30000), 'base64'); }
  async elementScreenshot(el) { return Buffer.from(await this.cmd('GET', `/element/${el}/screenshot`, undefined, 30000), 'base64'); }
  windowRect() { return this.cmd('GET', '/window/rect'); }
  setWindowRect(r) { return this.cmd('POST', '/window/rect', r); }
  /**
   * Sizes the window so that the page's viewport (innerWidth × innerHeight)
   * is width × height: sets the outer size, measures, corrects once.
   */
  async setViewport(width, height) {
    // WebKitGTK now and then refuses a size while the window is still
    // settling, reports no viewport yet, or reports the previous size for a
    // moment after a resize: measure until two readings agree, correct the
    // window by the difference between what was asked and what the page got,
    // and repeat until the page's viewport is the one asked for.
    const settle = () => new Promise((r) => setTimeout(r, 300));
    const reading = async () => {
      const size = await this.exec(() => [innerWidth, innerHeight]);
      return Array.isArray(size) && size.every((v) => Number.isInteger(v) && v > 0) ? size : null;
    };
    const measure = async () => {
      let last = null;
      for (let i = 0; i < 10; i++) {
        const size = await reading();
        if (size && last && size[0] === last[0] && size[1] === last[1]) return size;
        last = size;
        await settle();
      }
      if (last) return last;
      throw new Error('the page reports no viewport size');
    };
    const resize = async (rect) => {
      for (let i = 0; ; i++) {
        try { return await this.setWindowRect(rect); } catch (error) { if (i >= 3) throw error; await settle(); }
      }
    };
    const clamp = (v) => Math.min(4000, Math.max(200, Math.round(v)));
    let window = { width, height };
    let size = [0, 0];
    for (let attempt = 0; attempt < 4; attempt++) {
      await resize(window);
      size = await measure();
      if (size[0] === width && size[1] === height) return size;
      window = { width: clamp(window.width + (width - size[0])), height: clamp(window.height + (height - size[1])) };
    }
    return size;
  }
  quit(ms = 10000) { return call(this.base, 'DELETE', `/session/${this.id}`, undefined, ms); }
}

function body(fn) {
  return typeof fn === 'function' ? `return (${fn}).apply(null, arguments);` : fn;
}

async function call(base, method, path, payload, ms) {
  const command = `${method} ${path.replace(/^\/session\/[^/]+/, '')  || '/'}`;
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: AbortSignal.timeout(ms),
    });
  } catch (e) {
    throw new Error(`${command}: ${e.name === 'TimeoutError' ? `no answer within ${ms} ms` : e.message}`);
  }
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { throw new Error(`${command}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`); }
  if (!res.ok || (json.value && json.value.error)) throw new WebDriverError(command, res.status, json.value);
  return json.value;
}

/**
 * Starts Xvfb, WebKitWebDriver (127.0.0.1 only) and a MiniBrowser session
 * (extra `capabilities` merged into alwaysMatch). Resolves to { session,
 * openSession(capabilities), driverBase, display, stop }. `stop` quits the
 * session and kills the driver's and Xvfb's process groups; it is safe to call
 * more than once and is also run on exit and on SIGINT/SIGTERM.
 */
export async function startWebKit({ log = () => {}, capabilities = {} } = {}) {
  const children = [];
  let stopped = false;
  let session = null;
  const killAll = () => {
    for (const c of [...children].reverse()) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      try { process.kill(-c.pid, 'SIGTERM'); } catch { try { c.kill('SIGTERM'); } catch {} }
    }
  };
  const onExit = () => { killAll(); try { rmSync(children.home, { recursive: true, force: true }); } catch {} };
  const onSignal = (sig) => { killAll(); process.exit(sig === 'SIGINT' ? 130 : 143); };
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (session) { try { await session.quit(); } catch (e) { log(`session quit: ${e.message}`); } }
    killAll();
    // Give them a moment, then make sure.
    const end = Date.now() + 3000;
    while (Date.now() < end && children.some((c) => c.exitCode === null && c.signalCode === null)) await sleep(50);
    for (const c of children) {
      if (c.exitCode === null && c.signalCode === null) { try { process.kill(-c.pid, 'SIGKILL'); } catch {} }
    }
    rmSync(home, { recursive: true, force: true });
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };

  // Each child leads its own process group (detached), so that stopping it
  // also stops what it started (the driver starts MiniBrowser and WebKit's
  // helper processes) and nothing else.
  const start = (cmd, args, env = {}, stdio = ['ignore', 'ignore', 'pipe']) => {
    const c = spawn(cmd, args, { detached: true, stdio, env: { ...process.env, ...env } });
    // The newest 64 KB of what it says: a crash is reported last.
    c.stderrText = '';
    const keep = (d) => { c.stderrText = (c.stderrText + d).slice(-65536); };
    c.stderr.on('data', keep);
    c.stdout?.on('data', keep);
    c.on('error', (e) => { c.startError = e; });
    children.push(c);
    return c;
  };

  // A private XDG home: WebKit's caches and storage stay out of ~/.cache and
  // are gone after the run, and a GTK style sheet shrinks MiniBrowser's
  // toolbar, whose minimum width (447 px) would keep the window wider than a
  // phone.
  const home = mkdtempSync(path.join(os.tmpdir(), 'webkit-e2e-'));
  mkdirSync(path.join(home, 'config/gtk-3.0'), { recursive: true });
  writeFileSync(path.join(home, 'config/gtk-3.0/gtk.css'),
    'headerbar, headerbar *, toolbar, toolbar *, entry, button { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; }\n');
  const xdg = { XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'), XDG_DATA_HOME: path.join(home, 'data') };
  children.home = home;

  try {
    // Xvfb picks a free display number itself and writes it to fd 3.
    const xvfb = start('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], {}, ['ignore', 'ignore', 'pipe', 'pipe']);
    let picked = '';
    xvfb.stdio[3].on('data', (d) => { picked += d; });
    const display = await waitFor('Xvfb to pick a display', () => {
      if (xvfb.startError) throw new Error(`Xvfb: ${xvfb.startError.message} (install it: tools/ensure-browser-tools.sh)`);
      if (xvfb.exitCode !== null) throw new Error(`Xvfb exited: ${xvfb.stderrText.trim().slice(-300)}`);
      const n = picked.match(/^(\d+)\n/)?.[1];
      return n === undefined ? null : { n: Number(n) }; // written once it accepts clients
    }, 10000).then(({ n }) => n).catch((e) => { throw new Error(`${e.message}; Xvfb said: ${xvfb.stderrText.trim().slice(-300) || 'nothing'}`); });
    log(`Xvfb on :${display} (pid ${xvfb.pid})`);

    const port = await freePort();
    // MiniBrowser and WebKit's web processes inherit the driver's output:
    // their own messages (a crash, a JavaScriptCore option's report) land
    // in driverStderr().
    const driver = start(DRIVER, [`--port=${port}`, '--host=local'], { DISPLAY: `:${display}`, ...xdg }, ['ignore', 'pipe', 'pipe']);
    const driverBase = `http://127.0.0.1:${port}`;
    await waitFor(`${DRIVER} on ${driverBase}`, async () => {
      if (driver.startError) throw new Error(`${DRIVER}: ${driver.startError.message} (install it: tools/ensure-browser-tools.sh)`);
      if (driver.exitCode !== null) throw new Error(`${DRIVER} exited: ${driver.stderrText.trim().slice(-300)}`);
      const r = await fetch(driverBase + '/status', { signal: AbortSignal.timeout(1000) });
      return r.ok;
    }, 10000, 100);
    log(`${DRIVER} on ${driverBase} (pid ${driver.pid})`);

    if (!existsSync(MINIBROWSER)) throw new Error(`${MINIBROWSER} is missing (apt package libwebkit2gtk-4.1-0)`);
    // One session at a time: a new one quits the previous one first.
    const openSession = async (extra = {}) => {
      if (session) { const old = session; session = null; await old.quit(); }
      session = await Session.create(driverBase, {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
          ...extra,
        },
      });
      await session.timeouts({ script: 30000, pageLoad: 30000, implicit: 0 });
      log(`session ${session.id}: ${session.capabilities.browserName} ${session.capabilities.browserVersion}, page load strategy ${session.capabilities.pageLoadStrategy}`);
      return session;
    };
    await openSession(capabilities);
    return { get session() { return session; }, openSession, driverBase, display, stop, driverStderr: () => driver.stderrText };
  } catch (e) {
    await stop();
    throw e;
  }
}
