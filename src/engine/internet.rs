//! The internet: routing by destination address, and the home router's and
//! the carrier's NATs on the way back.

use super::*;

impl Engine<'_> {
    /// The internet routes by destination address.
    pub(super) fn internet(&mut self, mut bytes: Vec<u8>, at: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        if e.dst == HOME_PUBLIC {
            if self.scenario.attack.is_some() {
                self.hostile_router_in(&mut bytes, &e);
            }
            packet::rewrite(&mut bytes, None, Some((PHONE_LAN, e.dst_port)));
            self.schedule(
                at + latency::HOME_UPLINK + latency::WIFI_TO_ROUTER,
                Dest::Host(Node::PhoneEn0),
                bytes,
            );
        } else if e.dst == CARRIER_PUBLIC {
            packet::rewrite(&mut bytes, None, Some((PHONE_CELLULAR, e.dst_port)));
            self.schedule(at + latency::CELLULAR, Dest::Host(Node::PhonePdp), bytes);
        } else if e.dst == RELAY_PUBLIC {
            self.schedule(at + latency::RELAY, Dest::RelayTransport, bytes);
        } else if e.dst == RELAY_EXIT {
            self.schedule(at + latency::RELAY, Dest::RelayExit, bytes);
        } else if let Some(node) = node_of(e.dst).filter(|_| !is_local(IpAddr::V4(e.dst))) {
            // Only public addresses are reachable across the internet.
            self.schedule(at + latency::SERVERS, Dest::Host(node), bytes);
        }
    }
}
