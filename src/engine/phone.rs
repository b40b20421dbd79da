//! The phone's interfaces: every packet crossing one is captured and judged
//! by the phone's filter (the control plane's verdict for its flow), then
//! sent on its host's uplink.

use super::*;
use crate::model::Family;

impl Engine {
    /// A packet reaches a host; the phone's interfaces capture and filter it.
    pub(super) fn arrive(&mut self, node: Node, bytes: Vec<u8>, now: u64) {
        // Packets into utun0 and the tunnel's stack are filtered where the
        // tunnel process hands them over (`tunnel_receive`).
        let physical = row(node).phone.filter(|(point, _)| {
            !matches!(point, CapturePoint::Utun0 | CapturePoint::TunnelProcess)
        });
        let ends = packet::ends(&bytes);
        if let Some((point, up)) = physical {
            let flow = self.flow_of(&ends, false);
            if !self.phone_filter(point, Some(up), &bytes, flow, now) {
                return;
            }
        }
        // Captured as it was on the wire; an IPv4 socket behind the CLAT
        // gets it back as IPv4.
        if self.clat_address(node).is_none() {
            self.push_rx_read(node, bytes, ends);
        } else if let Some(bytes) = self.clat_in(node, bytes) {
            self.push_rx(node, bytes);
        }
    }

    /// The phone's filter, for a packet of `flow` crossing `point` now:
    /// the packet is recorded with the rule that decided it, and dropped
    /// (`false`) when its interface is not `up` or the policy blocks the
    /// flow.
    pub(super) fn phone_filter(
        &mut self,
        point: CapturePoint,
        up: Option<Up>,
        bytes: &[u8],
        flow: Option<usize>,
        now: u64,
    ) -> bool {
        let (network, _) = self.current;
        if up.is_some_and(|up| !up.holds(network)) {
            let rule = "flow.interface-gone-resets";
            self.record(now, point, bytes.to_vec(), flow, rule, true);
            return false;
        }
        let (rule, blocked) = self.verdict(flow, now);
        self.record(now, point, bytes.to_vec(), flow, rule, blocked);
        !blocked
    }

    /// Which flow a packet at the phone belongs to (by its phone-side port).
    pub(super) fn flow_of(&self, ends: &Option<Ends>, outgoing: bool) -> Option<usize> {
        let ends = ends.as_ref()?;
        let port = if outgoing {
            ends.src_port
        } else {
            ends.dst_port
        };
        if ends.protocol == Protocol::Udp && port == TRANSPORT_PORT {
            return self.transport_flow;
        }
        self.port_flow(port)
    }

    /// The control plane's verdict for a flow's packet now: its deciding
    /// rule, and whether the phone drops it.
    pub(super) fn verdict(&self, flow: Option<usize>, now: u64) -> (&'static str, bool) {
        let Some(flow) = flow else {
            // The tunnel's own transport when no flow stands for it.
            return ("vpn.transport-outside", false);
        };
        let now_ms = now / 1_000;
        let flow = &self.trace.flows[flow];
        let segment = flow
            .last_begun(now_ms)
            .or((!flow.segments.is_empty()).then_some(0))
            .map(|i| &flow.segments[i]);
        match segment {
            Some(s) => {
                let rule = s.rules.last().map_or("", |r| r.id);
                (rule, matches!(s.route, Route::Blocked | Route::Offline))
            }
            None => ("", false),
        }
    }

    pub(super) fn record(
        &mut self,
        at_us: u64,
        point: CapturePoint,
        bytes: Vec<u8>,
        flow: Option<usize>,
        rule: &'static str,
        dropped: bool,
    ) {
        self.run.packets.push(PacketRecord {
            at_us,
            point,
            bytes,
            flow,
            rule,
            dropped,
        });
    }

    /// A host sent a packet: capture, filter and route it.
    /// A packet leaving `node`: captured, and judged by the phone's filter,
    /// if `node` is a phone interface; then sent on its host's uplink.
    pub(super) fn egress(&mut self, node: Node, bytes: Vec<u8>, now: u64) {
        // On an IPv6-only network IPv4 leaves through the CLAT, as IPv6.
        let Some(mut bytes) = self.clat_out(node, bytes) else {
            return;
        };
        let ends = packet::ends(&bytes);
        let Some(e) = ends else { return };
        let host = row(node);
        if let Some((point, up)) = host.phone {
            let flow = self.flow_of(&ends, true);
            if !self.phone_filter(point, Some(up), &bytes, flow, now) {
                return;
            }
        }
        match host.uplink {
            Uplink::TunnelProcess => self.tunnel_send(bytes, now),
            Uplink::HomeWifi => {
                let to_router = match e.dst {
                    IpAddr::V4(dst) => dst == HOME_ROUTER_LAN || dst.is_broadcast(),
                    IpAddr::V6(_) => false,
                };
                if to_router {
                    self.schedule(now + latency::LAN, Dest::Host(Node::HomeRouter), bytes);
                } else if let Some(lan) = node_of(e.dst).filter(|n| row(*n).uplink == Uplink::Lan) {
                    self.schedule(now + latency::LAN, Dest::Host(lan), bytes);
                } else {
                    let mut e = e;
                    if self.scenario.attack.is_some() {
                        self.hostile_router_out(&mut bytes, &e, now);
                        // ServerIP's router may have readdressed it.
                        let Some(readdressed) = packet::ends(&bytes) else {
                            return;
                        };
                        e = readdressed;
                    }
                    let at = now + latency::WIFI_TO_ROUTER + latency::HOME_UPLINK;
                    self.out_through_nat(bytes, &e, Network::Wifi, at);
                }
            }
            Uplink::Cellular => {
                let at = now + latency::CELLULAR;
                self.out_through_nat(bytes, &e, Network::Cellular, at);
            }
            Uplink::ImsLink => self.schedule(now + latency::IMS, Dest::Host(Node::Ims), bytes),
            Uplink::BluetoothLink => {
                self.schedule(now + latency::BLUETOOTH, Dest::Host(Node::Watch), bytes)
            }
            // LAN devices talk to the phone only.
            Uplink::Lan => {
                if e.dst == IpAddr::V4(PHONE_LAN) {
                    self.schedule(now + latency::LAN, Dest::Host(Node::PhoneEn0), bytes)
                } else if e.dst == IpAddr::V4(PHONE_BLUETOOTH) {
                    let at = now + latency::BLUETOOTH;
                    self.schedule(at, Dest::Host(Node::PhoneBluetooth), bytes)
                }
            }
            Uplink::ImsCore => {
                self.schedule(now + latency::IMS, Dest::Host(Node::PhoneIpsec), bytes)
            }
            Uplink::Relay => self.relay_to_phone(bytes, now),
            Uplink::Internet => self.route(bytes, e, now + latency::SERVERS),
        }
    }

    /// Out of a network towards the internet: IPv4 through the network's
    /// NAT (to its public address), IPv6 to a NAT64 address through an
    /// IPv6-only network's NAT64, other IPv6 routed as it is. A version
    /// the network does not carry goes nowhere. The way back is
    /// `in_through_nat`.
    fn out_through_nat(&mut self, mut bytes: Vec<u8>, e: &Ends, network: Network, at: u64) {
        let public = match network {
            Network::Wifi => HOME_PUBLIC,
            Network::Cellular => CARRIER_PUBLIC,
        };
        let mode = self.scenario.ip.of(network);
        match e.src {
            IpAddr::V4(_) if mode.carries(Family::V4) => {
                let from = IpAddr::V4(public);
                packet::rewrite(&mut bytes, Some((from, e.src_port)), None);
                self.route(bytes, Ends { src: from, ..*e }, at);
            }
            IpAddr::V6(_) if mode.is_ipv6_only() => {
                let bytes = self.nat64_out(&bytes, public).unwrap_or(bytes);
                self.internet(bytes, at);
            }
            IpAddr::V6(_) if mode.carries(Family::V6) => self.internet(bytes, at),
            _ => {}
        }
    }
}
