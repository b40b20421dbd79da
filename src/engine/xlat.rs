//! IPv6-only networks: the phone's CLAT (464XLAT) turns its IPv4-only
//! sockets' packets into IPv6 towards the network's NAT64, and the NAT64
//! (the carrier's, or the Wi-Fi router's) carries IPv6 to NAT64 addresses
//! (64:ff9b::/96) on as IPv4 from the network's public address, and the
//! answers back. Both are stateless translations (`packet::translate`);
//! the NAT64 remembers which of the phone's addresses each port is for.

use super::*;
use crate::model::IpMode;
use core::net::Ipv4Addr;

impl Engine<'_> {
    /// The phone's CLAT address on a physical interface's network, when
    /// that network is IPv6-only.
    fn clat_address(&self, node: Node) -> Option<Ipv6Addr> {
        let network = topology::network_of(node)?;
        (self.scenario.ip.of(network) == IpMode::Ipv6Only).then_some(match network {
            Network::Wifi => PHONE_LAN_CLAT_V6,
            Network::Cellular => PHONE_CLAT_V6,
        })
    }

    /// An IPv4 packet leaving an interface on an IPv6-only network goes
    /// through the CLAT first: it is on the wire as IPv6.
    pub(super) fn clat_out(&self, node: Node, bytes: Vec<u8>) -> Vec<u8> {
        let Some(clat) = self.clat_address(node) else {
            return bytes;
        };
        match packet::ends(&bytes).map(|e| e.dst) {
            Some(IpAddr::V4(dst)) => {
                let to = IpAddr::V6(nat64(dst));
                packet::translate(&bytes, IpAddr::V6(clat), to).unwrap_or(bytes)
            }
            _ => bytes,
        }
    }

    /// An IPv6 packet for the CLAT's address goes back to the IPv4 socket.
    pub(super) fn clat_in(&self, node: Node, bytes: Vec<u8>) -> Vec<u8> {
        let Some(clat) = self.clat_address(node) else {
            return bytes;
        };
        match packet::ends(&bytes).map(|e| (e.src, e.dst)) {
            Some((IpAddr::V6(src), dst)) if dst == IpAddr::V6(clat) => {
                let Some(from) = from_nat64(src) else {
                    return bytes;
                };
                packet::translate(&bytes, IpAddr::V4(from), IpAddr::V4(PHONE_CLAT)).unwrap_or(bytes)
            }
            _ => bytes,
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
        self.nat64_sessions.insert(e.src_port, phone);
        packet::translate(bytes, IpAddr::V4(public), IpAddr::V4(server))
    }

    /// An answer to the network's public address on an IPv6-only network:
    /// back to the phone's IPv6 address its session came from (`None`
    /// without a session: dropped).
    pub(super) fn nat64_in(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let e = packet::ends(bytes)?;
        let IpAddr::V4(server) = e.src else {
            return None;
        };
        let phone = *self.nat64_sessions.get(&e.dst_port)?;
        packet::translate(bytes, IpAddr::V6(nat64(server)), IpAddr::V6(phone))
    }

    /// The network `node` is on is IPv6-only.
    pub(super) fn ipv6_only(&self, network: Network) -> bool {
        self.scenario.ip.of(network) == IpMode::Ipv6Only
    }
}
