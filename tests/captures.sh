#!/usr/bin/env bash
# Every library scenario's run.pcapng (`run --pcap DIR`), read by tshark:
# every packet the engine recorded is there, every checksum tshark can check
# is good (IPv4 header, TCP, UDP, ICMP, ICMPv6), every packet carries its
# comment; and the IPv6 scenarios show IPv6 outside the tunnel, inside it
# and to NAT64 addresses. `make test` installs tshark
# (tools/ensure-browser-tools.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tshark >/dev/null || {
  echo "captures: tshark is missing (make test installs it: tools/ensure-browser-tools.sh)" >&2
  exit 1
}
cargo build --quiet
bin=target/debug/tunnelscope
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=(-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE)
fail=0
files=0
frames=0
for file in simulations/*.toml; do
  name=$(basename "$file" .toml)
  dir="$work/$name"
  "$bin" run "$file" --pcap "$dir" >/dev/null 2>&1
  want=$("$bin" run "$file" --packets | tail -n +2 | wc -l)
  # One line per frame: comment | the five checksum statuses (0 bad, 1 good,
  # 2 not checked; empty where the header is absent).
  tshark -r "$dir/run.pcapng" "${checks[@]}" -T fields -E separator='|' \
    -e frame.comment -e ip.checksum.status -e tcp.checksum.status \
    -e udp.checksum.status -e icmp.checksum.status -e icmpv6.checksum.status \
    2>/dev/null >"$dir/fields"
  got=$(wc -l <"$dir/fields")
  bad=$(awk -F'|' '{ for (i = 2; i <= NF; i++) if ($i ~ /(^|,)0(,|$)/) { print; break } }' "$dir/fields" | wc -l)
  bare=$(awk -F'|' '$1 == ""' "$dir/fields" | wc -l)
  if [ "$got" != "$want" ] || [ "$bad" != 0 ] || [ "$bare" != 0 ]; then
    echo "captures: $name: $got frames in run.pcapng for $want packets, $bad with a bad checksum, $bare without a comment" >&2
    fail=1
  fi
  files=$((files + 1))
  frames=$((frames + got))
done

# What the IPv6 scenarios must show, as a Wireshark user would filter it.
count() { tshark -r "$work/$1/run.pcapng" -Y "$2" 2>/dev/null | wc -l; }
expect_some() {
  local n
  n=$(count "$1" "$2")
  if [ "$n" = 0 ]; then
    echo "captures: $1: no frame matches: $2 ($3)" >&2
    fail=1
  else
    echo "captures: $1: $n frames: $3"
  fi
}
expect_none() {
  local n
  n=$(count "$1" "$2")
  if [ "$n" != 0 ]; then
    echo "captures: $1: $n frames match: $2 (want none: $3)" >&2
    fail=1
  fi
}
expect_some ipv6-leak-ipv4-only-tunnel 'frame.interface_name == "en0" && ipv6 && tcp.port == 443' "the browser's IPv6 outside the tunnel, on en0"
expect_none ipv6-leak-ipv4-only-tunnel 'frame.interface_name == "utun0" && ipv6' "nothing IPv6 in an IPv4-only tunnel"
expect_some ipv6-kept-in-dual-stack-tunnel 'frame.interface_name == "utun0" && ipv6 && tcp.port == 443' "the browser's IPv6 inside the tunnel"
expect_some ipv6-kept-in-dual-stack-tunnel 'frame.interface_name == "utun0" && icmpv6.type == 128' "the probe's ICMPv6 echo inside the tunnel"
expect_none ipv6-kept-in-dual-stack-tunnel 'frame.interface_name == "en0" && ipv6' "no IPv6 outside a dual-stack tunnel"
expect_some ipv6-only-cellular-nat64-transport 'frame.interface_name == "pdp_ip0" && ipv6.dst == 64:ff9b::/96 && wg' "the tunnel's transport to the relay's NAT64 address"
expect_some ipv6-only-cellular-clat 'frame.interface_name == "pdp_ip0" && ipv6.src == 2001:db8:c::464:23 && ipv6.dst == 64:ff9b::/96' "an IPv4-only app through the CLAT to NAT64"
expect_some ipv6-leak-ipv4-only-tunnel 'frame.comment contains "routes.ipv4-only-tunnel-leaks-ipv6"' "the leak's packets name its rule"
for name in ipv6-only-cellular-clat ipv6-only-cellular-nat64-transport ipv6-wifi-to-ipv6-only-cellular; do
  expect_none "$name" 'frame.interface_name == "pdp_ip0" && ip' "no IPv4 on an IPv6-only carrier's link"
done
expect_some ipv6-only-wifi-clat-ios18 'frame.interface_name == "en0" && ipv6.src == 2001:db8:1::464:23 && ipv6.dst == 64:ff9b::/96' "iOS 18's CLAT on an IPv6-only Wi-Fi"
expect_none ipv6-only-wifi-ipv4-app-ios17 'ipv6.src == 2001:db8:1::464:23 || ip' "no CLAT and no IPv4 on iOS 17.4's IPv6-only Wi-Fi"

if [ "$fail" != 0 ]; then
  exit 1
fi
echo "captures: $files scenarios, $frames frames in their run.pcapng: all read by tshark, every checksum good, every packet commented"
