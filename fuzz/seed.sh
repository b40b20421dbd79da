#!/usr/bin/env bash
# Seeds each fuzz target's corpus from what real input looks like: the
# scenario library, share links (library names and edited scenarios),
# the profile fixtures, and every packet of a few runs' captures. The
# corpora live in fuzz/corpus/ (not in git); libFuzzer adds what it finds.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
mkdir -p "$corpus"/{scenario,fragment,profile,packet}
cp simulations/*.toml "$corpus/scenario/"
cp tests/profiles/*.mobileconfig "$corpus/profile/"
cargo build --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in ipv6-only-cellular-nat64-transport ipv6-kept-in-dual-stack-tunnel wifi-to-cellular tunnelvision-without-ian ian-tunnel-lost; do
  target/debug/tunnelscope run "$name" --pcap "$work/$name" >/dev/null 2>&1
done
python3 - "$corpus" "$work" <<'PY'
import base64, glob, os, struct, sys
corpus, work = sys.argv[1], sys.argv[2]
# Share links: a library name, an edited scenario, a selection.
for i, path in enumerate(sorted(glob.glob('simulations/*.toml'))[:20]):
    name = os.path.basename(path)[:-5]
    text = open(path, 'rb').read()
    s = base64.urlsafe_b64encode(text).rstrip(b'=').decode()
    sel = base64.urlsafe_b64encode(b'browser').rstrip(b'=').decode()
    open(f'{corpus}/fragment/lib-{i}', 'w').write(f'lib={name}&t=10000&sel={sel}&speed=2000')
    open(f'{corpus}/fragment/s-{i}', 'w').write(f's={s}&t=0&ab=include_all_networks')
# Every packet of the captures (classic pcap: 24-byte header, then
# 16-byte record headers).
n = 0
for pcap in sorted(glob.glob(f'{work}/*/*.pcap')):
    data = open(pcap, 'rb').read()
    at = 24
    while at + 16 <= len(data):
        length = struct.unpack_from('<I', data, at + 8)[0]
        packet = data[at + 16:at + 16 + length]
        at += 16 + length
        if n < 400:
            open(f'{corpus}/packet/p-{n}', 'wb').write(packet)
            n += 1
PY
for t in scenario fragment profile packet; do
  echo "fuzz: $t corpus seeded with $(ls "$corpus/$t" | wc -l) inputs"
done
