#!/usr/bin/env bash
# Installs what the browser tests and the playground need, each step skipped
# when the right version is already there. Versions and traps:
# shared/reference/toolchain.md (wasm-bindgen-cli must equal Cargo.lock;
# never Debian's binaryen; geckodriver from crates.io).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "tools: $*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# wasm-bindgen-cli: exactly the version in Cargo.lock.
want_bindgen="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
if ! have wasm-bindgen || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$want_bindgen" ]; then
  say "cargo install wasm-bindgen-cli $want_bindgen (a few minutes, once)"
  # --locked fails for 0.2.130: its lockfile pins a webpki-roots the registry lacks.
  cargo install -q wasm-bindgen-cli --version "$want_bindgen" --force
fi

if ! have wasm-pack; then
  say "cargo install wasm-pack (a few minutes, once)"
  cargo install -q wasm-pack --locked
fi

apt_install chromium chromium-driver firefox-esr

if ! have geckodriver; then
  say "cargo install geckodriver (Debian has no package)"
  cargo install -q geckodriver --locked
fi

# wasm-opt from npm's binaryen, never Debian's (version 108 cannot read
# current wasm-bindgen output). wasm-pack uses whatever wasm-opt is on PATH.
if ! have wasm-opt || ! wasm-opt --version | grep -q "version 1[2-9][0-9]"; then
  if dpkg -s binaryen >/dev/null 2>&1; then
    say "removing Debian's binaryen (its wasm-opt breaks wasm-pack)"
    apt-get remove -y -qq binaryen >/dev/null
  fi
  say "npm install binaryen@132"
  mkdir -p .tools
  npm install --silent --prefix .tools binaryen@132.0.0 >/dev/null
  mkdir -p "$HOME/.cargo/bin"
  ln -sf "$PWD/.tools/node_modules/binaryen/bin/wasm-opt" "$HOME/.cargo/bin/wasm-opt"
fi
# The end-to-end test drives Debian's Chromium with playwright-core (it never
# downloads a browser of its own).
if [ ! -f .tools/node_modules/playwright-core/package.json ]; then
  say "npm install playwright-core@1.65.1"
  mkdir -p .tools
  npm install --silent --prefix .tools playwright-core@1.65.1 >/dev/null
fi
# The static server behind `make serve` and the browser tests: it serves the
# precompressed .br/.gz files the build writes, by the request's Accept-Encoding.
if [ ! -f .tools/node_modules/http-server/package.json ]; then
  say "npm install http-server@14.1.1"
  mkdir -p .tools
  npm install --silent --prefix .tools http-server@14.1.1 >/dev/null
fi
# esbuild minifies the site's stylesheet, boot script and the wasm-bindgen
# glue (`make www`): 3 KB less (brotli) for every visitor.
if [ ! -f .tools/node_modules/esbuild/package.json ]; then
  say "npm install esbuild@0.25.12"
  mkdir -p .tools
  npm install --silent --prefix .tools esbuild@0.25.12 >/dev/null
fi
# axe-core's accessibility rules, injected into each page by tests/e2e/axe.mjs.
if [ ! -f .tools/node_modules/axe-core/package.json ]; then
  say "npm install axe-core@4.11.0"
  mkdir -p .tools
  npm install --silent --prefix .tools axe-core@4.11.0 >/dev/null
fi
# WebKitGTK, the engine of iPhone browsers, for tests/e2e/webkit.mjs: its
# WebDriver (which drives the MiniBrowser it ships) and a virtual X display.
apt_install webkit2gtk-driver xvfb
# tshark reads every scenario's pcapng in tests/captures.sh.
apt_install tshark
say "ready: $(wasm-bindgen --version), $(wasm-pack --version), $(geckodriver --version 2>/dev/null | sed -n 1p)"
