//! The scheduler: the stacks (one per host, and one per connection), the
//! packets in flight and the timers; each instant runs until it settles.

use super::*;

impl Engine {
    pub(super) fn host(&mut self, node: Node) -> &mut Host {
        &mut self.stacks[node as usize].host
    }

    /// A new stack with `owner`'s addresses.
    pub(super) fn new_stack(&mut self, owner: Node) -> usize {
        let addrs = stack_addresses(owner, self.scenario.ip);
        let index = self.stacks.len();
        let seed = self.scenario.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index as u64;
        self.stacks.push(Stack::new(owner, Host::new(&addrs, seed)));
        index
    }

    /// The stack that receives a packet arriving at `node`: the flow's own
    /// client stack on the phone, a server connection's stack, or the
    /// node's stack (which answers unknown connections with a reset).
    pub(super) fn stack_for(&mut self, node: Node, bytes: &[u8], ends: Option<Ends>) -> usize {
        let Some(e) = ends else {
            return node as usize;
        };
        let phone_side = matches!(
            node,
            Node::PhoneEn0
                | Node::PhonePdp
                | Node::PhoneUtun
                | Node::PhoneIpsec
                | Node::PhoneBluetooth
        );
        if phone_side {
            return self
                .port_flow(e.dst_port)
                .and_then(|f| self.flows[f].client.as_ref())
                .filter(|c| c.node == node)
                .map_or(node as usize, |c| c.stack);
        }
        let tcp_service = e.protocol == Protocol::Tcp
            && row(node)
                .services
                .iter()
                .any(|(t, p)| *t == Transport::Tcp && *p == e.dst_port);
        if !tcp_service {
            return node as usize;
        }
        let key = (node, e.src, e.src_port);
        if let Some(stack) = self.server_conns.get(&key) {
            return *stack;
        }
        if !packet::is_syn(bytes) {
            return node as usize;
        }
        let stack = self.new_stack(node);
        let host = &mut self.stacks[stack].host;
        let handle = host.add_tcp();
        let _ = host
            .sockets
            .get_mut::<tcp::Socket>(handle)
            .listen(e.dst_port);
        self.server_conns.insert(key, stack);
        self.stacks[stack].conn_key = Some(key);
        stack
    }

    pub(super) fn push_rx(&mut self, node: Node, bytes: Vec<u8>) {
        let ends = packet::ends(&bytes);
        self.push_rx_read(node, bytes, ends);
    }

    /// The same, for a packet whose ends the caller has already read.
    pub(super) fn push_rx_read(&mut self, node: Node, bytes: Vec<u8>, ends: Option<Ends>) {
        let stack = self.stack_for(node, &bytes, ends);
        self.stacks[stack].host.device.rx.push_back(bytes);
        self.mark_dirty(stack);
    }

    /// Runs instants until the run is over or `until` packet events have
    /// happened; resumes where it left off.
    pub(super) fn main_loop(&mut self, until: u64) {
        while !self.finished && self.run.packet_events < until {
            let now = self.now_us;
            if self.boundaries.get(self.boundary) == Some(&now) || now == 0 {
                self.control(now);
                while self
                    .boundaries
                    .get(self.boundary)
                    .is_some_and(|b| *b <= now)
                {
                    self.boundary += 1;
                }
            }
            self.settle(now);
            // Past the budget the run ends after this instant.
            if let Some(limit) =
                budget::engine_limit(self.run.packet_events, self.run.packets.len())
            {
                self.run.stopped = Some(Stop::new(limit, now / 1_000 + 1));
                self.finished = true;
                break;
            }
            let next = [
                self.in_flight.peek().map(|Reverse(p)| p.at_us),
                self.next_stack_timer(),
                self.next_client_timer(),
                self.boundaries.get(self.boundary).copied(),
            ]
            .into_iter()
            .flatten()
            .map(|t| t.max(now + 1))
            .min();
            match next {
                Some(t) if t < self.end_us => self.now_us = t,
                _ => self.finished = true,
            }
        }
    }

    pub(super) fn mark_dirty(&mut self, stack: usize) {
        if !self.stacks[stack].dirty {
            self.stacks[stack].dirty = true;
            self.dirty_list.push(stack);
        }
    }

    /// The earliest stack timer still valid (stale heap entries are dropped).
    pub(super) fn next_stack_timer(&mut self) -> Option<u64> {
        while let Some(Reverse((at, stack))) = self.poll_timers.peek().copied() {
            if self.stacks[stack].next_poll == Some(at) {
                return Some(at);
            }
            self.poll_timers.pop();
        }
        None
    }

    /// The earliest application timer still valid.
    pub(super) fn next_client_timer(&mut self) -> Option<u64> {
        while let Some(Reverse((at, flow))) = self.client_timers.peek().copied() {
            if self.flows[flow]
                .client
                .as_ref()
                .is_some_and(|c| c.next_send_us == at)
            {
                return Some(at);
            }
            self.client_timers.pop();
        }
        None
    }

    /// Everything that happens at exactly `now`: deliveries, stack polls,
    /// application reactions, repeated until nothing more happens at this
    /// instant. Only stacks with work (a packet, a due timer, new socket
    /// data) are polled, in index order so that runs are reproducible.
    pub(super) fn settle(&mut self, now: u64) {
        while let Some(Reverse((at, stack))) = self.poll_timers.peek().copied() {
            if at > now {
                break;
            }
            self.poll_timers.pop();
            if self.stacks[stack].next_poll == Some(at) {
                self.stacks[stack].next_poll = None;
                self.mark_dirty(stack);
            }
        }
        let mut due_clients = std::mem::take(&mut self.scratch_clients);
        due_clients.clear();
        while let Some(Reverse((at, flow))) = self.client_timers.peek().copied() {
            if at > now {
                break;
            }
            self.client_timers.pop();
            if self.flows[flow]
                .client
                .as_ref()
                .is_some_and(|c| c.next_send_us == at)
            {
                due_clients.push(flow);
            }
        }
        let mut polled_all = std::mem::take(&mut self.scratch_polled);
        polled_all.clear();
        let mut settled = false;
        for round in 0..SETTLE_ROUNDS {
            self.deliver(now);
            let mut polled = std::mem::take(&mut self.dirty_list);
            polled.sort_unstable();
            for &stack in &polled {
                self.stacks[stack].dirty = false;
                self.stacks[stack].host.poll(now);
            }
            self.servers(now, &polled);
            let mut clients: Vec<usize> = polled
                .iter()
                .flat_map(|s| self.stacks[*s].flows.iter().copied())
                .collect();
            if round == 0 {
                clients.append(&mut due_clients);
            }
            clients.sort_unstable();
            clients.dedup();
            self.clients(now, &clients);
            self.tunnel_receive(now);
            for &stack in &polled {
                while let Some(bytes) = self.stacks[stack].host.device.tx.pop_front() {
                    self.egress(self.stacks[stack].owner, bytes, now);
                }
            }
            let nothing = polled.is_empty();
            polled_all.extend_from_slice(&polled);
            // Give the list's storage back for the next round.
            polled.clear();
            if self.dirty_list.is_empty() {
                self.dirty_list = polled;
            }
            let due = self
                .in_flight
                .peek()
                .is_some_and(|Reverse(p)| p.at_us <= now);
            if nothing && !due && self.dirty_list.is_empty() {
                settled = true;
                break;
            }
        }
        if !settled {
            self.run.unsettled_at_us.push(now);
        }
        polled_all.sort_unstable();
        polled_all.dedup();
        for &stack in &polled_all {
            let next = self.stacks[stack].host.poll_at(now);
            self.stacks[stack].next_poll = next;
            if let Some(at) = next {
                self.poll_timers.push(Reverse((at.max(now + 1), stack)));
                self.stacks[stack].next_poll = Some(at.max(now + 1));
            }
        }
        self.scratch_polled = polled_all;
        self.scratch_clients = due_clients;
    }

    pub(super) fn schedule(&mut self, at_us: u64, to: Dest, bytes: Vec<u8>) {
        self.seq += 1;
        self.run.packet_events += 1;
        self.in_flight.push(Reverse(InFlight {
            at_us,
            seq: self.seq,
            to,
            bytes,
        }));
    }

    pub(super) fn deliver(&mut self, now: u64) {
        while self
            .in_flight
            .peek()
            .is_some_and(|Reverse(p)| p.at_us <= now)
        {
            let Reverse(packet) = self.in_flight.pop().expect("peeked");
            self.run.packet_events += 1;
            match packet.to {
                Dest::Host(node) => self.arrive(node, packet.bytes, now),
                Dest::RelayTransport => self.relay_transport(packet.bytes, now),
                Dest::RelayExit => self.relay_exit(packet.bytes, now),
            }
        }
    }
}
