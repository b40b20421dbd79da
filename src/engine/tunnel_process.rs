//! The tunnel: the tunnel process wraps the phone's packets for the relay
//! and unwraps what comes back; the relay forwards to the internet through
//! its NAT and back.

use super::*;

impl Engine {
    /// The tunnel process wraps a packet from utun0 (or from its own stack)
    /// and sends it to the relay.
    pub(super) fn tunnel_send(&mut self, inner: Vec<u8>, now: u64) {
        let (_, tunnel) = self.current;
        match tunnel {
            TunnelState::Connected => self.send_transport(tunnel::DATA, &inner),
            // The provider holds packets while it (re)connects, as a
            // reasserting tunnel keeps its routes (vpn.reasserting-holds).
            TunnelState::Connecting | TunnelState::Reasserting | TunnelState::Restarting
                if self.tunnel.held.len() < HELD_PACKETS =>
            {
                self.tunnel.held.push(inner);
            }
            // No provider, or too much held: nothing takes the packet.
            _ => {
                let ends = packet::ends(&inner);
                let flow = self.flow_of(&ends, true);
                let (rule, _) = self.verdict(flow, now);
                self.record(now, CapturePoint::TunnelProcess, inner, flow, rule, true);
            }
        }
    }

    pub(super) fn send_transport(&mut self, kind: u8, inner: &[u8]) {
        let (Some(node), Some(handle)) = (self.tunnel.node, self.tunnel.handle) else {
            return;
        };
        self.tunnel.counter += 1;
        let payload = tunnel::wrap(kind, 1, self.tunnel.counter, inner);
        let endpoint = self.tunnel_endpoint();
        let socket = self.stacks[node as usize]
            .host
            .sockets
            .get_mut::<udp::Socket>(handle);
        let _ = socket.send_slice(&payload, (IpAddress::from(endpoint), tunnel::PORT));
        self.mark_dirty(node as usize);
    }

    /// Packets from the relay reach the tunnel process's UDP socket.
    pub(super) fn tunnel_receive(&mut self, now: u64) {
        let (Some(node), Some(handle)) = (self.tunnel.node, self.tunnel.handle) else {
            return;
        };
        let mut inners = Vec::new();
        {
            let socket = self.stacks[node as usize]
                .host
                .sockets
                .get_mut::<udp::Socket>(handle);
            while let Ok((datagram, _)) = socket.recv() {
                if let Some((tunnel::DATA, inner)) = tunnel::unwrap(datagram)
                    && !inner.is_empty()
                {
                    inners.push(inner.to_vec());
                }
            }
        }
        let ian = self.trace.scenario.vpn.as_ref().is_some_and(|v| v.ian());
        for inner in inners {
            let ends = packet::ends(&inner);
            let flow = self.flow_of(&ends, false);
            let to_stack = ian && flow.is_some_and(|f| self.flows[f].kind == FlowKind::TunnelProbe);
            if to_stack {
                let (rule, _) = self.verdict(flow, now);
                self.record(
                    now,
                    CapturePoint::TunnelProcess,
                    inner.clone(),
                    flow,
                    rule,
                    false,
                );
                self.host(Node::TunnelStack).device.rx.push_back(inner);
                self.mark_dirty(Node::TunnelStack as usize);
            } else if self.phone_filter(CapturePoint::Utun0, None, &inner, flow, now) {
                self.push_rx(Node::PhoneUtun, inner);
            }
        }
    }

    /// The relay's UDP 51820: handshakes, and data to unwrap and forward.
    pub(super) fn relay_transport(&mut self, bytes: Vec<u8>, now: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        let Some((kind, inner)) = packet::udp_payload(&bytes).and_then(tunnel::unwrap) else {
            return;
        };
        // WireGuard roams: the peer is wherever its last packet came from,
        // and the relay sees the phone's public address.
        let peer = (e.src, e.src_port);
        if self.relay_peer != Some(peer) {
            self.relay_peer = Some(peer);
            if let Some(flow) = self.transport_flow {
                self.run.observations.push(Observation {
                    at_ms: now / 1_000,
                    server: "VPN relay",
                    flow: self.flows[flow].name.clone(),
                    source: e.src.to_string(),
                    seen_as: seen_as(e.src),
                    connection: BY_TIME,
                });
            }
        }
        match kind {
            tunnel::HANDSHAKE_INITIATION => {
                self.relay_to_peer(tunnel::HANDSHAKE_RESPONSE, &[], now)
            }
            tunnel::DATA if !inner.is_empty() => {
                let mut inner = inner.to_vec();
                let Some(i) = packet::ends(&inner) else {
                    return;
                };
                if i.dst == IpAddr::V4(RELAY_GATEWAY) || i.dst == IpAddr::V6(RELAY_GATEWAY_V6) {
                    self.push_rx(Node::RelayGateway, inner);
                } else if is_local(i.dst) {
                    // The relay has no route to the phone's home network.
                    let flow = self.port_flow(i.src_port);
                    let (rule, _) = self.verdict(flow, now);
                    self.record(now, CapturePoint::RelayInternet, inner, flow, rule, true);
                } else {
                    let exit = match i.src {
                        IpAddr::V4(_) => IpAddr::V4(RELAY_EXIT),
                        IpAddr::V6(_) => IpAddr::V6(RELAY_EXIT_V6),
                    };
                    packet::rewrite(&mut inner, Some((exit, i.src_port)), None);
                    let flow = self.port_flow(i.src_port);
                    let (rule, _) = self.verdict(flow, now);
                    self.record(
                        now,
                        CapturePoint::RelayInternet,
                        inner.clone(),
                        flow,
                        rule,
                        false,
                    );
                    self.internet(inner, now);
                }
            }
            _ => {}
        }
    }

    /// Replies to the relay's exit address go back into the tunnel.
    pub(super) fn relay_exit(&mut self, mut bytes: Vec<u8>, now: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        let flow = self.port_flow(e.dst_port);
        let (rule, _) = self.verdict(flow, now);
        self.record(
            now,
            CapturePoint::RelayInternet,
            bytes.clone(),
            flow,
            rule,
            false,
        );
        let phone = match e.dst {
            IpAddr::V4(_) => IpAddr::V4(PHONE_TUNNEL),
            IpAddr::V6(_) => IpAddr::V6(PHONE_TUNNEL_V6),
        };
        packet::rewrite(&mut bytes, None, Some((phone, e.dst_port)));
        self.relay_to_phone(bytes, now);
    }

    pub(super) fn relay_to_phone(&mut self, inner: Vec<u8>, now: u64) {
        self.relay_to_peer(tunnel::DATA, &inner, now);
    }

    pub(super) fn relay_to_peer(&mut self, kind: u8, inner: &[u8], now: u64) {
        let Some((peer, port)) = self.relay_peer else {
            return;
        };
        self.relay_counter += 1;
        let payload = tunnel::wrap(kind, 1, self.relay_counter, inner);
        // The relay's transport is IPv4 (peers on IPv6-only networks reach
        // it through NAT64).
        let from = (IpAddr::V4(RELAY_PUBLIC), tunnel::PORT);
        if let Some(bytes) = packet::udp_packet(from, (peer, port), &payload) {
            self.internet(bytes, now + latency::RELAY);
        }
    }
}
