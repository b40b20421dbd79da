// `make bench`, second half: the synthetic scenario's packet engine in the
// wasm build (the playground's release profile, built for Node with the
// feature `wasm-bench`) against the native release build, alternating, in
// one run. Prints the wasm/native time ratio against its target; exits 1
// when it is missed. For comparison it also times the same module built for
// speed (opt-level 3), if `make bench` built it: the playground ships the
// size-optimised one.
//
//   node tools/bench-wasm.mjs   (after the build steps in the Makefile)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const native = path.join(root, 'target/release/tunnelscope');
const REPEATS = 7;
const TARGET = 1.6;
const builds = [
  { dir: 'target/bench-wasm', what: 'the playground\'s build: opt-level "z", smoltcp at "s"', judged: true },
  { dir: 'target/bench-wasm-o3', what: 'the same at opt-level 3, for comparison', judged: false },
].filter((b) => existsSync(path.join(root, b.dir, 'tunnelscope.js')));

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (ns) => (ns / 1e6).toFixed(1);
let ok = true;
for (const build of builds) {
  const wasm = require(path.join(root, build.dir, 'tunnelscope.js'));
  wasm.bench_prepare();
  wasm.bench_engine_once(); // the first run compiles and warms the module
  const pairs = [];
  for (let i = 0; i < REPEATS; i++) {
    const nativeNs = Number(execFileSync(native, ['bench', '--synthetic-once'], { encoding: 'utf8' }).trim());
    const started = performance.now();
    const events = wasm.bench_engine_once();
    const wasmNs = (performance.now() - started) * 1e6;
    pairs.push({ nativeNs, wasmNs, ratio: wasmNs / nativeNs, events });
  }
  const ratios = pairs.map((p) => p.ratio);
  const ratio = median(ratios);
  const verdict = build.judged ? ` (${ratio <= TARGET ? 'within' : 'OVER'} target <= ${TARGET}x)` : '';
  if (build.judged) ok = ok && ratio <= TARGET;
  console.log(`wasm/native: ${ratio.toFixed(2)}${verdict}, median of ${REPEATS} alternating pairs [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]: the synthetic scenario's packet engine (${pairs[0].events} packet events), wasm ${ms(median(pairs.map((p) => p.wasmNs)))} ms in Node ${process.versions.node} (${build.what}) against native ${ms(median(pairs.map((p) => p.nativeNs)))} ms`);
}
process.exit(ok && builds.some((b) => b.judged) ? 0 : 1);
