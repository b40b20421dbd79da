#!/usr/bin/env bash
# Runs every fuzz target for a fixed time (FUZZ_SECONDS, default 300) and
# prints one line each: executions, and the crash found if any (its input
# is kept in fuzz/artifacts/TARGET/; make it a regression test in the
# ordinary suite). Exits 1 if any target crashed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-"scenario fragment profile packet"}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
./fuzz/seed.sh
cargo fuzz build -s none -O
status=0
for target in $targets; do
  log=$(mktemp)
  cargo fuzz run -s none -O "$target" -- -max_total_time="$seconds" -max_len=65536 >"$log" 2>&1
  runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
  crash=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -n 1)
  if [ -n "$crash" ]; then
    last=$(grep -oE '^#[0-9]+' "$log" | tail -n 1)
    echo "fuzz: $target: CRASH after ${last#\#} executions: ${crash#Test unit written to }"
    grep -m 1 -A 2 "panicked" "$log" | sed 's/^/fuzz:   /'
    status=1
  else
    read -r _ count _ _ took _ <<<"$runs"
    echo "fuzz: $target: $count runs in $took s, no crash"
  fi
  rm -f "$log"
done
exit $status
