# Two commands on a fresh machine: `make test` and `make serve`. Each installs what is missing first; every install
# step is skipped when the right tool is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo
WASM_TARGET := wasm32-unknown-unknown

.PHONY: test serve www e2e bench-web tools browser-tools lint unit wasm-check browser captures scenarios docs bench golden fuzz

# The scenario check runs last: its closing line counts the expectations.
test: tools browser-tools lint unit wasm-check captures browser e2e scenarios

## Tools: the Rust components and the wasm32 target (see shared toolchain notes).
tools:
	@command -v $(CARGO) >/dev/null || { echo "cargo is not installed: install Rust with rustup first" >&2; exit 1; }
	@if command -v rustup >/dev/null; then \
	  installed="$$(rustup component list --installed)"; \
	  grep -q '^rustfmt' <<<"$$installed" || rustup component add rustfmt; \
	  grep -q '^clippy' <<<"$$installed" || rustup component add clippy; \
	  rustup target list --installed | grep -qx '$(WASM_TARGET)' || rustup target add $(WASM_TARGET); \
	fi

## wasm-pack, wasm-bindgen-cli (= Cargo.lock), Chromium, Firefox ESR and their
## drivers, wasm-opt from npm: each skipped when already there.
browser-tools:
	./tools/ensure-browser-tools.sh

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings

unit:
	$(CARGO) test

## The core (everything but the CLI entry) must build for the browser.
wasm-check:
	$(CARGO) clippy --lib --target $(WASM_TARGET) -- -D warnings

## The golden fingerprints and the components, in real browsers: Chromium,
## Firefox, and WebKitGTK (the engine of every iPhone browser; wasm-pack's
## Safari path drives WebKitWebDriver, which needs an X display).
browser:
	wasm-pack test --headless --chrome --firefox -- --test web
	xvfb-run -a wasm-pack test --headless --safari --safaridriver "$$(command -v WebKitWebDriver)" -- --test web

## The served site in headless Chromium (its journeys, then axe-core's
## accessibility rules on every kind of page), then in WebKitGTK under Xvfb
## (screenshots in target/e2e/).
e2e: www
	node tests/e2e/playground.mjs
	node tests/e2e/axe.mjs
	node tests/e2e/labels.mjs
	node tests/e2e/hostile-links.mjs
	node tests/e2e/webkit.mjs

## Every scenario's pcapng read by tshark: every packet, every checksum,
## every comment; IPv6 outside the tunnel, inside it and to NAT64.
captures:
	./tests/captures.sh

## Every scenario in the library must meet its own expectations.
scenarios:
	$(CARGO) run --quiet -- check simulations/*.toml

## Coverage-guided fuzzing of every parser of outside bytes (not part of
## `make test`): each target for FUZZ_SECONDS (default 300), seeded from the
## library, share links, the profile fixtures and captures (fuzz/).
fuzz:
	./fuzz/run.sh

## Regenerates the knowledge-base, matrix and presets pages from the tables.
docs:
	$(CARGO) run --quiet -- facts --format markdown > docs/facts.md
	$(CARGO) run --quiet -- matrix --format markdown > docs/matrix.md
	$(CARGO) run --quiet -- presets --format markdown > docs/presets.md

## Speed of the packet engine against bare smoltcp, then the same workload
## in the wasm build against native (prints its figures; exits 1 when a
## target is missed, after printing them all).
bench: browser-tools
	$(CARGO) build --release --quiet
	wasm-pack --quiet build --profile wasm-release --target nodejs --out-dir target/bench-wasm --no-typescript --no-pack -- --features wasm-bench
	wasm-pack --quiet build --release --target nodejs --out-dir target/bench-wasm-o3 --no-typescript --no-pack -- --features wasm-bench
	status=0; ./target/release/tunnelscope bench || status=1; node tools/bench-wasm.mjs || status=1; exit $$status

## The playground's budgets: transfer size, first paint, toggle time.
bench-web: browser-tools www
	node tests/e2e/bench-web.mjs

## After an intended change to what a run produces (then review the diff
## of tests/golden/: the snapshots show what changed).
golden:
	UPDATE_GOLDEN=1 $(CARGO) test --quiet --test golden

## The playground: the release build of the Wasm, every page prerendered
## (`tunnelscope site`: the same yew components, run natively), brotli and
## gzip copies of each file; served on http://127.0.0.1:8080 by npm's
## http-server, which picks the precompressed copy by Accept-Encoding.
serve: tools browser-tools www
	@echo "tunnelscope playground: http://127.0.0.1:8080/"
	.tools/node_modules/.bin/http-server dist -a 127.0.0.1 -p 8080 --brotli --gzip -c-1

## dist/ is the whole static site: www/ holds its sources. The stylesheet,
## boot script and wasm-bindgen glue are minified, then every file compressed.
www:
	rm -rf dist
	wasm-pack build --profile wasm-release --target web --out-dir dist/pkg --no-typescript --no-pack
	rm -f dist/pkg/.gitignore dist/pkg/package.json
	$(CARGO) run --quiet -- site --from www --out dist
	.tools/node_modules/.bin/esbuild dist/pkg/tunnelscope.js dist/boot.js dist/style.css \
	  --minify --outdir=dist --outbase=dist --allow-overwrite --log-level=warning
	node tools/compress.mjs dist
