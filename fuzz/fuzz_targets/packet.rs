//! The packet decoder behind the inspector, the listing and the captures:
//! any bytes are described or refused, never a panic; NAT rewrites and
//! NAT64 translation keep a packet's checksums valid.
#![no_main]
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use libfuzzer_sys::fuzz_target;
use tunnelscope::engine::packet;

fuzz_target!(|bytes: &[u8]| {
    let _ = packet::summary(bytes);
    let _ = packet::layers(bytes);
    let _ = packet::udp_payload(bytes);
    let _ = packet::outbound(bytes);
    let valid = packet::checksums_valid(bytes);
    let v4 = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
    let v6 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 0x23));
    for (src, dst) in [(v4, v4), (v6, v6)] {
        if let Some(out) = packet::translate(bytes, src, dst) {
            assert!(packet::checksums_valid(&out), "a translation with a bad checksum");
        }
        let mut copy = bytes.to_vec();
        packet::rewrite(&mut copy, Some((src, 1)), Some((dst, 2)));
        if valid && packet::ends(bytes).is_some() && packet::family(bytes) == packet::family(&copy) {
            let _ = packet::summary(&copy);
        }
    }
});
