//! The internet: routing by destination address, and the home router's and
//! the carrier's NATs (or NAT64s, on an IPv6-only network) on the way back.
//! IPv6 is routed without NAT.

use super::*;

impl Engine<'_> {
    /// The internet routes by destination address.
    pub(super) fn internet(&mut self, mut bytes: Vec<u8>, at: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        let to_home = at + latency::HOME_UPLINK + latency::WIFI_TO_ROUTER;
        match e.dst {
            IpAddr::V4(dst) if dst == HOME_PUBLIC => {
                if self.scenario.attack.is_some() {
                    self.hostile_router_in(&mut bytes, &e);
                }
                let bytes = if self.ipv6_only(Network::Wifi) {
                    self.nat64_in(&bytes)
                } else {
                    let to = IpAddr::V4(PHONE_LAN);
                    packet::rewrite(&mut bytes, None, Some((to, e.dst_port)));
                    Some(bytes)
                };
                if let Some(bytes) = bytes {
                    self.schedule(to_home, Dest::Host(Node::PhoneEn0), bytes);
                }
            }
            IpAddr::V4(dst) if dst == CARRIER_PUBLIC => {
                let bytes = if self.ipv6_only(Network::Cellular) {
                    self.nat64_in(&bytes)
                } else {
                    let to = IpAddr::V4(PHONE_CELLULAR);
                    packet::rewrite(&mut bytes, None, Some((to, e.dst_port)));
                    Some(bytes)
                };
                if let Some(bytes) = bytes {
                    self.schedule(at + latency::CELLULAR, Dest::Host(Node::PhonePdp), bytes);
                }
            }
            IpAddr::V4(dst) if dst == RELAY_PUBLIC => {
                self.schedule(at + latency::RELAY, Dest::RelayTransport, bytes);
            }
            IpAddr::V4(dst) if dst == RELAY_EXIT => {
                self.schedule(at + latency::RELAY, Dest::RelayExit, bytes);
            }
            IpAddr::V6(dst) if dst == RELAY_EXIT_V6 => {
                self.schedule(at + latency::RELAY, Dest::RelayExit, bytes);
            }
            IpAddr::V6(dst) if dst == PHONE_LAN_V6 || dst == PHONE_LAN_CLAT_V6 => {
                self.schedule(to_home, Dest::Host(Node::PhoneEn0), bytes);
            }
            IpAddr::V6(dst) if dst == PHONE_CELLULAR_V6 || dst == PHONE_CLAT_V6 => {
                self.schedule(at + latency::CELLULAR, Dest::Host(Node::PhonePdp), bytes);
            }
            dst => {
                // Only public addresses are reachable across the internet.
                if let Some(node) = node_of(dst).filter(|_| !is_local(dst)) {
                    self.schedule(at + latency::SERVERS, Dest::Host(node), bytes);
                }
            }
        }
    }
}
