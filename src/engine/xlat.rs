//! IPv6-only networks: the phone's CLAT (464XLAT) turns its IPv4-only
//! sockets' packets into IPv6 towards the network's NAT64, and the NAT64
//! (the carrier's, or the Wi-Fi router's) carries IPv6 to NAT64 addresses
//! (64:ff9b::/96) on as IPv4 from the network's public address, and the
//! answers back. Each packet is translated on its own (`packet::translate`,
//! RFC 7915); the NAT64 keeps one thing per session: which of the phone's
//! IPv6 addresses a port on its public address belongs to.

use super::*;
use core::net::Ipv4Addr;

/// A NAT64 session: the network's public address, the transport and the
/// port (kept, as the NATs keep it).
pub(super) type Nat64Key = (Ipv4Addr, Protocol, u16);

impl Engine {
    /// The network is IPv6-only (with NAT64).
    pub(super) fn ipv6_only(&self, network: Network) -> bool {
        self.scenario.ip.of(network).is_ipv6_only()
    }

    /// The phone's CLAT address on a physical interface's network, when
    /// that network is IPv6-only.
    pub(super) fn clat_address(&self, node: Node) -> Option<Ipv6Addr> {
        let network = topology::network_of(node).filter(|n| self.ipv6_only(*n))?;
        Some(match network {
            Network::Wifi => PHONE_LAN_CLAT_V6,
            Network::Cellular => PHONE_CLAT_V6,
        })
    }

    /// An IPv4 packet leaving an interface on an IPv6-only network goes
    /// through the CLAT first, so it is on the wire as IPv6. `None`: what
    /// the CLAT cannot carry (a private or local destination, which NAT64
    /// never maps; anything but TCP, UDP and echo) is dropped there.
    pub(super) fn clat_out(&self, node: Node, bytes: Vec<u8>) -> Option<Vec<u8>> {
        let Some(clat) = self.clat_address(node) else {
            return Some(bytes);
        };
        match packet::ends(&bytes).map(|e| e.dst) {
            Some(IpAddr::V4(dst)) => {
                if is_local(IpAddr::V4(dst)) || dst.is_unspecified() {
                    return None;
                }
                packet::translate(&bytes, IpAddr::V6(clat), IpAddr::V6(nat64(dst)))
            }
            _ => Some(bytes),
        }
    }

    /// An IPv6 packet for the CLAT's address goes back to the IPv4 socket
    /// (`None` if it cannot be translated).
    pub(super) fn clat_in(&self, node: Node, bytes: Vec<u8>) -> Option<Vec<u8>> {
        let Some(clat) = self.clat_address(node) else {
            return Some(bytes);
        };
        match packet::ends(&bytes).map(|e| (e.src, e.dst)) {
            Some((IpAddr::V6(src), dst)) if dst == IpAddr::V6(clat) => {
                let from = from_nat64(src)?;
                packet::translate(&bytes, IpAddr::V4(from), IpAddr::V4(PHONE_CLAT))
            }
            _ => Some(bytes),
        }
    }

    /// A packet from the phone to a NAT64 address: translated to IPv4 from
    /// the network's `public` address (`None` if it is not for NAT64).
    pub(super) fn nat64_out(&mut self, bytes: &[u8], public: Ipv4Addr) -> Option<Vec<u8>> {
        let e = packet::ends(bytes)?;
        let (IpAddr::V6(phone), IpAddr::V6(to)) = (e.src, e.dst) else {
            return None;
        };
        let server = from_nat64(to)?;
        self.nat64_sessions
            .insert((public, e.protocol, e.src_port), phone);
        packet::translate(bytes, IpAddr::V4(public), IpAddr::V4(server))
    }

    /// An answer to the network's public address on an IPv6-only network:
    /// back to the phone's IPv6 address its session came from (`None`
    /// without a session: dropped).
    pub(super) fn nat64_in(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let e = packet::ends(bytes)?;
        let (IpAddr::V4(server), IpAddr::V4(public)) = (e.src, e.dst) else {
            return None;
        };
        let phone = *self.nat64_sessions.get(&(public, e.protocol, e.dst_port))?;
        packet::translate(bytes, IpAddr::V6(nat64(server)), IpAddr::V6(phone))
    }
}
