//! The control plane's decisions as they take effect: the network and the
//! tunnel's state at each moment, and what changes when they do.

use super::*;

impl Engine {
    pub(super) fn state_at(&self, at_ms: u64) -> (Option<Network>, TunnelState) {
        self.trace
            .state_at(at_ms)
            .map_or((Some(self.scenario.network), TunnelState::Absent), |s| {
                (s.network, s.tunnel)
            })
    }

    /// Applies the control plane's decisions that take effect at `now`.
    pub(super) fn control(&mut self, now: u64) {
        let now_ms = now / 1_000;
        let (network, tunnel) = self.state_at(now_ms);
        // States change only at control-plane boundaries, where this runs.
        self.current = (network, tunnel);
        // The tunnel process keeps its transport on the current network.
        let wanted = match (tunnel, network) {
            (
                TunnelState::Absent
                | TunnelState::Off
                | TunnelState::Lost
                | TunnelState::Updating
                | TunnelState::Rebooting,
                _,
            )
            | (_, None) => None,
            (_, Some(Network::Wifi)) => Some(Node::PhoneEn0),
            (_, Some(Network::Cellular)) => Some(Node::PhonePdp),
        };
        if wanted != self.tunnel.node {
            if let (Some(node), Some(handle)) = (self.tunnel.node, self.tunnel.handle.take()) {
                self.host(node).sockets.remove(handle);
            }
            self.tunnel.node = wanted;
            if let Some(node) = wanted {
                let handle = self.host(node).add_udp(TRANSPORT_PORT);
                self.tunnel.handle = Some(handle);
                self.send_transport(tunnel::HANDSHAKE_INITIATION, &[]);
            }
        }
        // Connected again: what the provider held goes out; gone: it is lost.
        if !self.tunnel.held.is_empty() {
            match tunnel {
                TunnelState::Connected => {
                    for inner in std::mem::take(&mut self.tunnel.held) {
                        self.send_transport(tunnel::DATA, &inner);
                    }
                }
                TunnelState::Off
                | TunnelState::Lost
                | TunnelState::Absent
                | TunnelState::Updating
                | TunnelState::Rebooting => {
                    for inner in std::mem::take(&mut self.tunnel.held) {
                        let ends = packet::ends(&inner);
                        let flow = self.flow_of(&ends, true);
                        let (rule, _) = self.verdict(flow, now);
                        self.record(now, CapturePoint::TunnelProcess, inner, flow, rule, true);
                    }
                }
                _ => {}
            }
        }

        for i in 0..self.flows.len() {
            let flow = &self.trace.flows[i];
            if now_ms >= flow.close_ms {
                if let Some(client) = self.flows[i].client.take() {
                    self.close_client(client);
                }
                continue;
            }
            let Some(index) = flow.last_begun(now_ms) else {
                continue;
            };
            let started = flow.segments[index].from_ms == now_ms && now.is_multiple_of(1_000);
            let first = self.flows[i].client.is_none() && self.flows[i].connections == 0;
            let new_segment = started && index != self.flows[i].segment;
            if !first && !new_segment {
                continue;
            }
            self.flows[i].segment = index;
            let segment = &flow.segments[index];
            use crate::policy::Continuity;
            match (segment.route, segment.change) {
                (Route::Offline, _) => {
                    if let Some(client) = self.flows[i].client.take() {
                        self.close_client(client);
                    }
                }
                (_, Continuity::Kept) if self.flows[i].client.is_some() => {}
                _ => {
                    if let Some(client) = self.flows[i].client.take() {
                        self.close_client(client);
                    }
                    self.open_client(i, index, now);
                }
            }
        }
    }
}
