//! The internet: routing by destination address, and the home router's and
//! the carrier's NATs (or NAT64s, on an IPv6-only network) on the way back.
//! IPv6 is routed without NAT.

use super::*;
use crate::model::Family;

impl Engine {
    /// The internet routes by destination address.
    pub(super) fn internet(&mut self, bytes: Vec<u8>, at: u64) {
        if let Some(e) = packet::ends(&bytes) {
            self.route(bytes, e, at);
        }
    }

    /// The same, for a packet whose ends the caller has already read.
    pub(super) fn route(&mut self, mut bytes: Vec<u8>, e: Ends, at: u64) {
        let to_home = at + latency::HOME_UPLINK + latency::WIFI_TO_ROUTER;
        match e.dst {
            IpAddr::V4(dst) if dst == HOME_PUBLIC => {
                if self.scenario.attack.is_some() {
                    self.hostile_router_in(&mut bytes, &e);
                }
                if let Some(bytes) = self.in_through_nat(bytes, &e, Network::Wifi) {
                    self.schedule(to_home, Dest::Host(Node::PhoneEn0), bytes);
                }
            }
            IpAddr::V4(dst) if dst == CARRIER_PUBLIC => {
                if let Some(bytes) = self.in_through_nat(bytes, &e, Network::Cellular) {
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
            // IPv6 reaches the phone on a network that carries it.
            IpAddr::V6(dst) if dst == PHONE_LAN_V6 || dst == PHONE_LAN_CLAT_V6 => {
                if self.scenario.ip.wifi.carries(Family::V6) {
                    self.schedule(to_home, Dest::Host(Node::PhoneEn0), bytes);
                }
            }
            IpAddr::V6(dst) if dst == PHONE_CELLULAR_V6 || dst == PHONE_CLAT_V6 => {
                if self.scenario.ip.cellular.carries(Family::V6) {
                    self.schedule(at + latency::CELLULAR, Dest::Host(Node::PhonePdp), bytes);
                }
            }
            dst => {
                // Only public addresses are reachable across the internet.
                if let Some(node) = node_of(dst).filter(|_| !is_local(dst)) {
                    self.schedule(at + latency::SERVERS, Dest::Host(node), bytes);
                }
            }
        }
    }

    /// An answer to a network's public address, back through its NAT to
    /// the phone's address there, or through its NAT64 on an IPv6-only
    /// network (`None`: no session, dropped). The way out is
    /// `out_through_nat`.
    fn in_through_nat(&self, mut bytes: Vec<u8>, e: &Ends, network: Network) -> Option<Vec<u8>> {
        if self.ipv6_only(network) {
            return self.nat64_in(&bytes);
        }
        let phone = match network {
            Network::Wifi => PHONE_LAN,
            Network::Cellular => PHONE_CELLULAR,
        };
        packet::rewrite(&mut bytes, None, Some((IpAddr::V4(phone), e.dst_port)));
        Some(bytes)
    }
}
