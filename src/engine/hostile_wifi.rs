//! An attacker's Wi-Fi (a scenario's `attack`): its router is the phone's
//! gateway on Wi-Fi, so it reads every packet that leaves `en0` outside the
//! tunnel, and it mounts one attack:
//!
//! - LocalNet and TunnelVision need nothing more here: the control plane
//!   sends the target's traffic out of `en0` (the attacker's "local" subnet,
//!   its DHCP option 121 route), and the router reads it on its way.
//! - ServerIP: the phone resolved the VPN server's name through the
//!   attacker, which answered with the target's address, so the tunnel
//!   process sends its transport there; the router forwards it to the real
//!   relay and rewrites the answers back, so the tunnel works.
//! - TunnelVision's DHCP answer carries the pushed route (option 121).

use super::*;
use crate::model::Attack;

impl Engine {
    /// The attack the phone's network mounts now (only the Wi-Fi is hostile).
    pub(super) fn attack_now(&self) -> Option<Attack> {
        self.scenario
            .attack
            .filter(|_| self.current.0 == Some(Network::Wifi))
    }

    /// A host's name in what it records: on an attacker's Wi-Fi the router
    /// is the attacker's.
    pub(super) fn server_name(&self, node: Node) -> &'static str {
        if node == Node::HomeRouter && self.scenario.attack.is_some() {
            "attacker's Wi-Fi"
        } else {
            row(node).name
        }
    }

    /// Where the tunnel process sends its transport: the relay, or on a
    /// ServerIP attacker's Wi-Fi the address its DNS answer gave.
    /// On an IPv6-only network the system gives the tunnel the relay's
    /// NAT64 address (`ip.nat64-synthesis`).
    pub(super) fn tunnel_endpoint(&self) -> IpAddr {
        let relay = if self.attack_now() == Some(Attack::ServerIp) {
            ATTACK_TARGET
        } else {
            RELAY_PUBLIC
        };
        // The network of the interface the transport's socket is on.
        let network = self.tunnel.node.and_then(topology::network_of);
        match network {
            Some(network) if self.ipv6_only(network) => IpAddr::V6(nat64(relay)),
            _ => IpAddr::V4(relay),
        }
    }

    /// A packet from the phone crosses the attacker's router towards the
    /// internet: the tunnel's transport is forwarded (to the real relay, for
    /// ServerIP) and cannot be read; anything else is read in the clear.
    pub(super) fn hostile_router_out(&mut self, bytes: &mut [u8], e: &packet::Ends, now: u64) {
        let transport = e.protocol == packet::Protocol::Udp && e.src_port == TRANSPORT_PORT;
        if transport {
            // The spoofed address, or on an IPv6-only Wi-Fi its NAT64 form.
            let relay = if e.dst == IpAddr::V4(ATTACK_TARGET) {
                Some(IpAddr::V4(RELAY_PUBLIC))
            } else if e.dst == IpAddr::V6(nat64(ATTACK_TARGET)) {
                Some(IpAddr::V6(nat64(RELAY_PUBLIC)))
            } else {
                None
            };
            if let Some(relay) = relay.filter(|_| self.scenario.attack == Some(Attack::ServerIp)) {
                packet::rewrite(bytes, None, Some((relay, e.dst_port)));
            }
            return;
        }
        let Some(&(flow, connection)) = self.ports.get(&e.src_port) else {
            return;
        };
        if self.intercepted.insert((flow, connection)) {
            self.run.interceptions.push(Interception {
                at_ms: now / 1_000,
                flow: self.flows[flow].name.clone(),
                source: e.src,
                destination: e.dst,
                destination_port: e.dst_port,
            });
        }
    }

    /// A packet from the internet to the Wi-Fi's public address: on a
    /// ServerIP attacker's Wi-Fi the relay's answers are made to look as if
    /// they came from the address the phone was given.
    pub(super) fn hostile_router_in(&self, bytes: &mut [u8], e: &packet::Ends) {
        if self.scenario.attack == Some(Attack::ServerIp)
            && e.src == IpAddr::V4(RELAY_PUBLIC)
            && e.protocol == packet::Protocol::Udp
        {
            packet::rewrite(bytes, Some((IpAddr::V4(ATTACK_TARGET), e.src_port)), None);
        }
    }
}
