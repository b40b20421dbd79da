//! The data plane: every flow of a scenario as real packets through smoltcp
//! stacks, following the control plane's decisions.
//!
//! The topology is one table, [`topology::HOSTS`] (every address is in
//! [`crate::addresses`]). Each endpoint is a smoltcp [`host::Host`]. Routers, NATs and the relay
//! rewrite packets with smoltcp's wire types. The phone's egress filter
//! applies the control plane's decision for the flow a packet belongs to:
//! blocked packets are dropped there, with the rule that blocked them.
//!
//! Time is simulated microseconds, event-driven: the loop jumps to the next
//! packet delivery, stack timer, application timer or control-plane change.

mod apps;
mod capture;
mod device;
mod host;
pub mod packet;
mod topology;

pub use capture::{annotate, fingerprint, listing, pcap, simulate};
/// The engine's in-memory device, for the benchmark's smoltcp baseline.
pub use device::QueueDevice as BenchDevice;

use crate::addresses::*;
use crate::model::{FlowKind, Interface, Network, Route, SeenAs, TunnelState};
use crate::scenario::Scenario;
use crate::trace::Trace;
use apps::{Transport, traffic};
use core::net::{IpAddr, Ipv4Addr};
use host::Host;
use packet::{Ends, Protocol, tunnel};
use serde::Serialize;
use smoltcp::iface::SocketHandle;
use smoltcp::phy::ChecksumCapabilities;
use smoltcp::socket::{icmp, tcp, udp};
use smoltcp::wire::{Icmpv4Packet, Icmpv4Repr, IpAddress, Ipv4Packet, UdpPacket};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use topology::{HOSTS, Node, Up, Uplink, node_of, row};

/// Where a packet is seen: the pcap files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapturePoint {
    En0,
    PdpIp0,
    Utun0,
    Ipsec1,
    Bluetooth,
    /// The relay's internet side, after its NAT.
    RelayInternet,
    /// The tunnel process itself: its userspace stack's own packets, which
    /// never cross utun0, and packets it held or could not send.
    TunnelProcess,
}

impl CapturePoint {
    pub const ALL: [CapturePoint; 7] = [
        CapturePoint::En0,
        CapturePoint::PdpIp0,
        CapturePoint::Utun0,
        CapturePoint::Ipsec1,
        CapturePoint::Bluetooth,
        CapturePoint::RelayInternet,
        CapturePoint::TunnelProcess,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CapturePoint::En0 => "en0",
            CapturePoint::PdpIp0 => "pdp_ip0",
            CapturePoint::Utun0 => "utun0",
            CapturePoint::Ipsec1 => "ipsec1",
            CapturePoint::Bluetooth => "bluetooth",
            CapturePoint::RelayInternet => "relay-internet",
            CapturePoint::TunnelProcess => "tunnel-process",
        }
    }
}

/// One packet seen at a capture point, or dropped at the phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketRecord {
    pub at_us: u64,
    pub point: CapturePoint,
    pub bytes: Vec<u8>,
    /// Index into the scenario's flows.
    pub flow: Option<usize>,
    /// The rule that decided this packet's path (or dropped it).
    pub rule: &'static str,
    pub dropped: bool,
}

/// A server (or the relay) recording where a flow's traffic came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Observation {
    pub at_ms: u64,
    pub server: &'static str,
    pub flow: String,
    pub source: String,
    pub seen_as: SeenAs,
    /// Which of the flow's connections (0 = the first) it belongs to.
    #[serde(skip)]
    pub connection: u32,
}

/// Something the engine did that is not a packet (a socket bind failing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngineEvent {
    pub at_ms: u64,
    pub flow: String,
    pub what: String,
    pub rule: &'static str,
}

/// The result of a packet run.
#[derive(Clone, Debug, Default)]
pub struct PacketRun {
    pub packets: Vec<PacketRecord>,
    pub observations: Vec<Observation>,
    pub events: Vec<EngineEvent>,
    /// Packet events: every transmission and every delivery.
    pub packet_events: u64,
    /// For each flow: the segment index each of its connections began in.
    pub connection_segments: Vec<Vec<usize>>,
    /// Instants (µs) whose work was cut off at the settle bound instead of
    /// settling: empty in every sound run (a test checks the library).
    pub unsettled_at_us: Vec<u64>,
}

fn seen_as(source: Ipv4Addr) -> SeenAs {
    match source {
        a if a == RELAY_EXIT || a == PHONE_TUNNEL => SeenAs::Vpn,
        a if a == HOME_PUBLIC || a == CARRIER_PUBLIC || a == PHONE_IMS => SeenAs::Device,
        a if a.is_private() || a.is_link_local() => SeenAs::Local,
        _ => SeenAs::Device,
    }
}

/// A packet on its way.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct InFlight {
    at_us: u64,
    seq: u64,
    to: Dest,
    bytes: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dest {
    Host(Node),
    RelayTransport,
    RelayExit,
}

/// Link latencies, in microseconds.
mod latency {
    pub const LAN: u64 = 1_000;
    pub const WIFI_TO_ROUTER: u64 = 2_000;
    pub const HOME_UPLINK: u64 = 8_000;
    pub const CELLULAR: u64 = 25_000;
    pub const SERVERS: u64 = 10_000;
    pub const RELAY: u64 = 15_000;
    pub const IMS: u64 = 25_000;
    pub const BLUETOOTH: u64 = 5_000;
}

/// The phone-side client of one flow.
struct Client {
    flow: usize,
    /// The phone interface the client's connection uses.
    node: Node,
    /// Its own stack (the tunnel process's stack for IAN probes).
    stack: usize,
    handle: SocketHandle,
    tcp_handle: Option<SocketHandle>,
    local_port: u16,
    remote: Ipv4Addr,
    next_send_us: u64,
    sent_request: bool,
    echo_seq: u16,
}

struct FlowState {
    kind: FlowKind,
    traffic: apps::Traffic,
    name: String,
    /// Index of the segment in force.
    segment: usize,
    client: Option<Client>,
    /// How many connections the flow has opened so far.
    connections: u32,
}

/// A bound on the rounds of work at one instant; zero-latency hops (utun to
/// the tunnel process to en0) take a few, a real instant never nears this.
/// An instant that reaches it is recorded in [`PacketRun::unsettled_at_us`].
const SETTLE_ROUNDS: usize = 10_000;

/// How many packets the tunnel process keeps while it reconnects.
const HELD_PACKETS: usize = 64;

/// The tunnel process: encapsulates utun0's packets to the relay.
struct TunnelProcess {
    /// Packets waiting for the tunnel to be connected.
    held: Vec<Vec<u8>>,
    node: Option<Node>,
    handle: Option<SocketHandle>,
    counter: u64,
}

const TRANSPORT_PORT: u16 = 51821;

/// An observation matched to the flow's segments by time, not connection.
const BY_TIME: u32 = u32::MAX;

struct Engine<'a> {
    scenario: &'a Scenario,
    trace: &'a Trace,
    hosts: Vec<Host>,
    in_flight: BinaryHeap<Reverse<InFlight>>,
    seq: u64,
    flows: Vec<FlowState>,
    tunnel: TunnelProcess,
    relay_peer: Option<(Ipv4Addr, u16)>,
    relay_counter: u64,
    /// Server-side TCP connections already recorded, by (stack, handle).
    observed: BTreeMap<(usize, SocketHandle), ()>,
    /// The topology node each stack belongs to: the first `HOSTS.len()`
    /// stacks are the nodes themselves; the rest are per-connection stacks
    /// (a phone-side client, or one server connection), each with its own
    /// few sockets, so that a poll never scans hundreds of them.
    owner: Vec<Node>,
    /// Server connection stacks, by (server, client address, client port).
    server_conns: BTreeMap<(Node, Ipv4Addr, u16), usize>,
    /// Which flow and which of its connections owns each phone-side port
    /// (and ICMP identifier).
    ports: BTreeMap<u16, (usize, u32)>,
    next_port: u16,
    /// Server connection stacks' keys, so a closed connection forgets it.
    conn_key: Vec<Option<(Node, Ipv4Addr, u16)>>,
    /// The phone's network and the tunnel's state now.
    current: (Option<Network>, TunnelState),
    /// Scratch lists reused at every instant.
    scratch_clients: Vec<usize>,
    scratch_polled: Vec<usize>,
    /// Stacks with something to do at this instant (flag and list).
    dirty: Vec<bool>,
    dirty_list: Vec<usize>,
    /// Stack timers (smoltcp's poll_at) and application timers, as heaps of
    /// (when, index); an entry is stale once its index has a newer time.
    poll_timers: BinaryHeap<Reverse<(u64, usize)>>,
    client_timers: BinaryHeap<Reverse<(u64, usize)>>,
    /// The flow whose client owns each stack, if any.
    stack_flow: Vec<Vec<usize>>,
    /// When each host's stack next needs a poll.
    next_poll: Vec<Option<u64>>,

    run: PacketRun,
}

/// The phone's ephemeral ports: each new connection takes the next one.
const FIRST_PORT: u16 = 40_000;
const LAST_PORT: u16 = 65_000;
/// DHCP clients always use port 68.
const DHCP_CLIENT_PORT: u16 = 68;

/// Runs the scenario's flows as packets, following `trace` (the control
/// plane's answer for the same scenario).
pub fn run(scenario: &Scenario, trace: &Trace) -> PacketRun {
    let seed = scenario.seed;
    let hosts = HOSTS
        .iter()
        .enumerate()
        .map(|(i, h)| {
            Host::new(
                h.addresses,
                seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ i as u64,
            )
        })
        .collect();
    let flows = scenario
        .flows
        .iter()
        .map(|f| FlowState {
            kind: f.kind,
            traffic: traffic(f.kind),
            name: f.name.clone(),
            segment: 0,
            client: None,
            connections: 0,
        })
        .collect();
    let mut engine = Engine {
        scenario,
        trace,
        hosts,
        in_flight: BinaryHeap::new(),
        seq: 0,
        flows,
        tunnel: TunnelProcess {
            held: Vec::new(),
            node: None,
            handle: None,
            counter: 0,
        },
        relay_peer: None,
        relay_counter: 0,
        observed: BTreeMap::new(),
        owner: HOSTS.iter().map(|h| h.node).collect(),
        ports: BTreeMap::new(),
        current: (Some(scenario.network), TunnelState::Absent),
        scratch_clients: Vec::new(),
        scratch_polled: Vec::new(),
        next_port: FIRST_PORT,
        conn_key: vec![None; HOSTS.len()],
        server_conns: BTreeMap::new(),
        dirty: vec![true; HOSTS.len()],
        dirty_list: (0..HOSTS.len()).collect(),
        poll_timers: BinaryHeap::new(),
        client_timers: BinaryHeap::new(),
        stack_flow: vec![Vec::new(); HOSTS.len()],
        next_poll: vec![None; HOSTS.len()],
        run: PacketRun {
            connection_segments: vec![Vec::new(); scenario.flows.len()],
            ..PacketRun::default()
        },
    };
    engine.start_servers();
    engine.main_loop();
    engine.run
}

impl Engine<'_> {
    fn host(&mut self, node: Node) -> &mut Host {
        &mut self.hosts[node as usize]
    }

    /// UDP services run on the server's own stack; each TCP connection gets
    /// a stack of its own when its SYN arrives (see `stack_for`).
    fn start_servers(&mut self) {
        for h in &HOSTS {
            for (transport, port) in h.services {
                if *transport == Transport::Udp {
                    self.host(h.node).add_udp(*port);
                }
            }
        }
    }

    /// A new stack with `owner`'s addresses.
    fn new_stack(&mut self, owner: Node) -> usize {
        let addrs = row(owner).addresses;
        let index = self.hosts.len();
        let seed = self.scenario.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index as u64;
        self.hosts.push(Host::new(addrs, seed));
        self.owner.push(owner);
        self.dirty.push(false);
        self.next_poll.push(None);
        self.stack_flow.push(Vec::new());
        self.conn_key.push(None);
        index
    }

    /// The stack that receives a packet arriving at `node`: the flow's own
    /// client stack on the phone, a server connection's stack, or the
    /// node's stack (which answers unknown connections with a reset).
    fn stack_for(&mut self, node: Node, bytes: &[u8]) -> usize {
        let Some(e) = packet::ends(bytes) else {
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
        let host = &mut self.hosts[stack];
        let handle = host.add_tcp();
        let _ = host
            .sockets
            .get_mut::<tcp::Socket>(handle)
            .listen(e.dst_port);
        self.server_conns.insert(key, stack);
        self.conn_key[stack] = Some(key);
        stack
    }

    fn allocate_port(&mut self, flow: usize, connection: u32) -> u16 {
        let port = if self.flows[flow].kind == FlowKind::Dhcp {
            DHCP_CLIENT_PORT
        } else {
            let port = self.next_port;
            self.next_port = if port >= LAST_PORT {
                FIRST_PORT
            } else {
                port + 1
            };
            port
        };
        self.ports.insert(port, (flow, connection));
        port
    }

    fn port_flow(&self, port: u16) -> Option<usize> {
        self.ports.get(&port).map(|(flow, _)| *flow)
    }

    fn push_rx(&mut self, node: Node, bytes: Vec<u8>) {
        let stack = self.stack_for(node, &bytes);
        self.hosts[stack].device.rx.push_back(bytes);
        self.mark_dirty(stack);
    }

    fn state_at(&self, at_ms: u64) -> (Option<Network>, TunnelState) {
        self.trace
            .state_at(at_ms)
            .map_or((Some(self.scenario.network), TunnelState::Absent), |s| {
                (s.network, s.tunnel)
            })
    }

    fn main_loop(&mut self) {
        let end_us = self.scenario.duration_ms * 1_000;
        // Every instant the control plane changes something, in order.
        let mut boundaries: Vec<u64> = self
            .trace
            .flows
            .iter()
            .flat_map(|f| f.segments.iter().map(|s| s.from_ms).chain([f.close_ms]))
            .chain(self.trace.states.iter().map(|s| s.from_ms))
            .map(|ms| ms * 1_000)
            .collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        let mut boundary = 0;
        let mut now = 0u64;
        loop {
            if boundaries.get(boundary) == Some(&now) || now == 0 {
                self.control(now);
                while boundaries.get(boundary).is_some_and(|b| *b <= now) {
                    boundary += 1;
                }
            }
            self.settle(now);
            let next = [
                self.in_flight.peek().map(|Reverse(p)| p.at_us),
                self.next_stack_timer(),
                self.next_client_timer(),
                boundaries.get(boundary).copied(),
            ]
            .into_iter()
            .flatten()
            .map(|t| t.max(now + 1))
            .min();
            match next {
                Some(t) if t < end_us => now = t,
                _ => break,
            }
        }
    }

    fn mark_dirty(&mut self, stack: usize) {
        if !self.dirty[stack] {
            self.dirty[stack] = true;
            self.dirty_list.push(stack);
        }
    }

    /// The earliest stack timer still valid (stale heap entries are dropped).
    fn next_stack_timer(&mut self) -> Option<u64> {
        while let Some(Reverse((at, stack))) = self.poll_timers.peek().copied() {
            if self.next_poll[stack] == Some(at) {
                return Some(at);
            }
            self.poll_timers.pop();
        }
        None
    }

    /// The earliest application timer still valid.
    fn next_client_timer(&mut self) -> Option<u64> {
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
    fn settle(&mut self, now: u64) {
        while let Some(Reverse((at, stack))) = self.poll_timers.peek().copied() {
            if at > now {
                break;
            }
            self.poll_timers.pop();
            if self.next_poll[stack] == Some(at) {
                self.next_poll[stack] = None;
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
                self.dirty[stack] = false;
                self.hosts[stack].poll(now);
            }
            self.servers(now, &polled);
            let mut clients: Vec<usize> = polled
                .iter()
                .flat_map(|s| self.stack_flow[*s].iter().copied())
                .collect();
            if round == 0 {
                clients.append(&mut due_clients);
            }
            clients.sort_unstable();
            clients.dedup();
            self.clients(now, &clients);
            self.tunnel_receive(now);
            for &stack in &polled {
                while let Some(bytes) = self.hosts[stack].device.tx.pop_front() {
                    self.egress(self.owner[stack], bytes, now);
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
            let next = self.hosts[stack].poll_at(now);
            self.next_poll[stack] = next;
            if let Some(at) = next {
                self.poll_timers.push(Reverse((at.max(now + 1), stack)));
                self.next_poll[stack] = Some(at.max(now + 1));
            }
        }
        self.scratch_polled = polled_all;
        self.scratch_clients = due_clients;
    }

    /// Applies the control plane's decisions that take effect at `now`.
    fn control(&mut self, now: u64) {
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

    /// Ends a client's connection. The socket goes away without a word:
    /// the connection broke because its path changed (an interface or the
    /// tunnel went away, or the flow closed at the scenario's say-so), so
    /// nothing of it is sent on the new path.
    fn close_client(&mut self, client: Client) {
        self.stack_flow[client.stack].retain(|f| *f != client.flow);
        let host = &mut self.hosts[client.stack];
        for handle in [Some(client.handle), client.tcp_handle]
            .into_iter()
            .flatten()
        {
            host.sockets.remove(handle);
        }
    }

    fn open_client(&mut self, flow: usize, segment: usize, now: u64) {
        let kind = self.flows[flow].kind;
        let seg = &self.trace.flows[flow].segments[segment];
        let t = traffic(kind);
        if t.transport == Transport::Tunnel {
            return;
        }
        let ian = self.trace.scenario.vpn.as_ref().is_some_and(|v| v.ian());
        let node = match seg.interface {
            Interface::En0 => Node::PhoneEn0,
            Interface::PdpIp0 => Node::PhonePdp,
            Interface::Ipsec1 => Node::PhoneIpsec,
            Interface::Bluetooth => Node::PhoneBluetooth,
            Interface::Utun0 | Interface::None => {
                if kind == FlowKind::TunnelProbe && ian {
                    Node::TunnelStack
                } else {
                    Node::PhoneUtun
                }
            }
        };
        if kind == FlowKind::TunnelProbe && ian {
            let rule = crate::facts::lookup(
                crate::facts::Fact::ProbeBindFailsUnderIan,
                self.scenario.ios,
            )
            .map_or("probe.bind-fails-under-ian", |r| r.id);
            self.run.events.push(EngineEvent {
                at_ms: now / 1_000,
                flow: self.flows[flow].name.clone(),
                what: "bind(IP_BOUND_IF utun0) fails under includeAllNetworks; the probe uses the tunnel process's own userspace stack".into(),
                rule,
            });
        }
        let through_tunnel = matches!(node, Node::PhoneUtun | Node::TunnelStack);
        let remote = apps::destination(kind, through_tunnel, node == Node::PhoneBluetooth);
        let connection = self.flows[flow].connections;
        self.flows[flow].connections += 1;
        self.run.connection_segments[flow].push(segment);
        let local_port = self.allocate_port(flow, connection);
        // The tunnel process has one userspace stack; every other client
        // gets a stack of its own with the interface's address.
        let stack = if node == Node::TunnelStack {
            Node::TunnelStack as usize
        } else {
            self.new_stack(node)
        };
        let host = &mut self.hosts[stack];
        let (handle, tcp_handle) = match t.transport {
            Transport::Tcp => {
                let handle = host.add_tcp();
                let socket = host.sockets.get_mut::<tcp::Socket>(handle);
                socket.set_keep_alive(t.keepalive_us.map(smoltcp::time::Duration::from_micros));
                let _ = socket.connect(
                    host.iface.context(),
                    (IpAddress::Ipv4(remote), t.port),
                    local_port,
                );
                (handle, None)
            }
            Transport::Udp => (host.add_udp(local_port), None),
            Transport::Probe => {
                let icmp = host.add_icmp(local_port);
                let tcp_handle = host.add_tcp();
                let socket = host.sockets.get_mut::<tcp::Socket>(tcp_handle);
                let _ = socket.connect(
                    host.iface.context(),
                    (IpAddress::Ipv4(remote), t.port),
                    local_port,
                );
                (icmp, Some(tcp_handle))
            }
            Transport::Tunnel => return,
        };
        self.mark_dirty(stack);
        self.stack_flow[stack].push(flow);
        self.client_timers.push(Reverse((now, flow)));
        self.flows[flow].client = Some(Client {
            flow,
            node,
            stack,
            handle,
            tcp_handle,
            local_port,
            remote,
            next_send_us: now,
            sent_request: false,
            echo_seq: 0,
        });
    }

    /// Phone-side application behaviour.
    /// The clients of `flows` react: to new data or a connection on their
    /// stack, or to a due timer.
    fn clients(&mut self, now: u64, flows: &[usize]) {
        for &i in flows {
            let FlowState {
                kind,
                traffic: t,
                client,
                ..
            } = &mut self.flows[i];
            let (kind, t) = (*kind, *t);
            let Some(client) = client.as_mut() else {
                continue;
            };
            let host = &mut self.hosts[client.stack];
            let mut acted = false;
            match t.transport {
                Transport::Tcp => {
                    let socket = host.sockets.get_mut::<tcp::Socket>(client.handle);
                    if socket.can_recv() {
                        let mut sink = [0u8; 2048];
                        while socket.recv_slice(&mut sink).unwrap_or(0) > 0 {}
                        if kind == FlowKind::CaptivePortal || kind == FlowKind::VpnApi {
                            socket.close();
                            acted = true;
                        }
                    }
                    if !client.sent_request && socket.may_send() {
                        let _ = socket.send_slice(t.request);
                        client.sent_request = true;
                        acted = true;
                    }
                    client.next_send_us = u64::MAX;
                }
                Transport::Udp => {
                    let socket = host.sockets.get_mut::<udp::Socket>(client.handle);
                    let mut sink = [0u8; 2048];
                    while socket.recv_slice(&mut sink).is_ok() {}
                    if now >= client.next_send_us {
                        let payload = if kind == FlowKind::Dhcp {
                            apps::dhcp_request(PHONE_LAN)
                        } else {
                            t.request.to_vec()
                        };
                        let _ =
                            socket.send_slice(&payload, (IpAddress::Ipv4(client.remote), t.port));
                        client.next_send_us = now + t.every_us.unwrap_or(u64::MAX / 2);
                        acted = true;
                    }
                }
                Transport::Probe => {
                    if let Some(tcp_handle) = client.tcp_handle {
                        let socket = host.sockets.get_mut::<tcp::Socket>(tcp_handle);
                        let mut sink = [0u8; 2048];
                        while socket.can_recv() && socket.recv_slice(&mut sink).unwrap_or(0) > 0 {}
                        if !client.sent_request && socket.may_send() {
                            let _ = socket.send_slice(t.request);
                            client.sent_request = true;
                            acted = true;
                        }
                    }
                    let socket = host.sockets.get_mut::<icmp::Socket>(client.handle);
                    let mut sink = [0u8; 512];
                    while socket.recv_slice(&mut sink).is_ok() {}
                    if now >= client.next_send_us && socket.can_send() {
                        let repr = Icmpv4Repr::EchoRequest {
                            ident: client.local_port,
                            seq_no: client.echo_seq,
                            data: b"tunnelscope ping",
                        };
                        let mut bytes = vec![0; repr.buffer_len()];
                        repr.emit(
                            &mut Icmpv4Packet::new_unchecked(&mut bytes),
                            &ChecksumCapabilities::default(),
                        );
                        let _ = socket.send_slice(&bytes, IpAddress::Ipv4(client.remote));
                        client.echo_seq = client.echo_seq.wrapping_add(1);
                        client.next_send_us = now + t.every_us.unwrap_or(5_000_000);
                        acted = true;
                    }
                }
                Transport::Tunnel => {}
            }
            let (stack, next) = (client.stack, client.next_send_us);
            if acted {
                // The stack has something new to send at this instant.
                self.mark_dirty(stack);
            }
            if next > now && next < u64::MAX / 4 {
                self.client_timers.push(Reverse((next, i)));
            }
        }
    }

    /// Server-side behaviour: answer, record who asked, keep a listener.
    fn servers(&mut self, now: u64, polled: &[usize]) {
        for &stack in polled {
            let node = self.owner[stack];
            if row(node).services.is_empty() {
                continue;
            }
            let name = row(node).name;
            let host = &mut self.hosts[stack];
            let mut finished = Vec::new();
            let mut answered = false;
            let mut observations = Vec::new();
            for (handle, socket) in host.sockets.iter_mut() {
                match socket {
                    smoltcp::socket::Socket::Tcp(socket) => {
                        if socket.state() == tcp::State::Listen {
                            continue;
                        }
                        if socket.state() == tcp::State::Closed {
                            finished.push(handle);
                            continue;
                        }
                        if let Some(remote) = socket.remote_endpoint()
                            && socket.state() == tcp::State::Established
                            && self.observed.insert((stack, handle), ()).is_none()
                        {
                            observations.push((v4(remote.addr), remote.port));
                        }
                        if socket.can_recv() {
                            let mut request = [0u8; 2048];
                            let size = socket.recv_slice(&mut request).unwrap_or(0);
                            if size > 0 {
                                answered = true;
                                let port = socket.local_endpoint().map_or(0, |e| e.port);
                                let _ = socket.send_slice(&apps::response(
                                    port,
                                    &request[..size],
                                    PHONE_LAN,
                                ));
                            }
                        }
                        if socket.state() == tcp::State::CloseWait {
                            socket.close();
                        }
                    }
                    smoltcp::socket::Socket::Udp(socket) => {
                        let port = socket.endpoint().port;
                        let mut request = [0u8; 2048];
                        while let Ok((size, meta)) = socket.recv_slice(&mut request) {
                            let source = v4(meta.endpoint.addr);
                            observations.push((source, meta.endpoint.port));
                            let answer = apps::response(port, &request[..size], source);
                            let _ = socket.send_slice(&answer, meta.endpoint);
                            answered = true;
                        }
                    }
                    _ => {}
                }
            }
            for handle in finished {
                host.sockets.remove(handle);
                self.observed.remove(&(stack, handle));
            }
            // A closed server connection forgets its client's address and
            // port, which a later connection may use again.
            if host.sockets.iter().next().is_none()
                && let Some(key) = self.conn_key[stack].take()
            {
                self.server_conns.remove(&key);
            }
            if answered {
                self.mark_dirty(stack);
            }
            for (source, port) in observations {
                if let Some((flow, connection)) = self.ports.get(&port).copied() {
                    self.observe(now, name, flow, source, connection);
                }
            }
        }
    }

    fn observe(
        &mut self,
        now: u64,
        server: &'static str,
        flow: usize,
        source: Ipv4Addr,
        connection: u32,
    ) {
        self.run.observations.push(Observation {
            at_ms: now / 1_000,
            server,
            flow: self.flows[flow].name.clone(),
            source: source.to_string(),
            seen_as: seen_as(source),
            connection,
        });
    }

    fn schedule(&mut self, at_us: u64, to: Dest, bytes: Vec<u8>) {
        self.seq += 1;
        self.run.packet_events += 1;
        self.in_flight.push(Reverse(InFlight {
            at_us,
            seq: self.seq,
            to,
            bytes,
        }));
    }

    fn deliver(&mut self, now: u64) {
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

    /// A packet reaches a host; the phone's interfaces capture and filter it.
    fn arrive(&mut self, node: Node, bytes: Vec<u8>, now: u64) {
        // Packets into utun0 and the tunnel's stack are filtered where the
        // tunnel process hands them over (`tunnel_receive`).
        let physical = row(node).phone.filter(|(point, _)| {
            !matches!(point, CapturePoint::Utun0 | CapturePoint::TunnelProcess)
        });
        if let Some((point, up)) = physical {
            let flow = self.flow_of(&packet::ends(&bytes), false);
            if !self.phone_filter(point, Some(up), &bytes, flow, now) {
                return;
            }
        }
        self.push_rx(node, bytes);
    }

    /// The phone's filter, for a packet of `flow` crossing `point` now:
    /// the packet is recorded with the rule that decided it, and dropped
    /// (`false`) when its interface is not `up` or the policy blocks the
    /// flow.
    fn phone_filter(
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
    fn flow_of(&self, ends: &Option<Ends>, outgoing: bool) -> Option<usize> {
        let ends = ends.as_ref()?;
        let port = if outgoing {
            ends.src_port
        } else {
            ends.dst_port
        };
        if ends.protocol == Protocol::Udp && port == TRANSPORT_PORT {
            return self
                .flows
                .iter()
                .position(|f| f.kind == FlowKind::VpnTransport);
        }
        self.port_flow(port)
    }

    /// The control plane's verdict for a flow's packet now: its deciding
    /// rule, and whether the phone drops it.
    fn verdict(&self, flow: Option<usize>, now: u64) -> (&'static str, bool) {
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

    fn record(
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
    fn egress(&mut self, node: Node, mut bytes: Vec<u8>, now: u64) {
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
                if e.dst == HOME_ROUTER_LAN || e.dst.is_broadcast() {
                    self.schedule(now + latency::LAN, Dest::Host(Node::HomeRouter), bytes);
                } else if let Some(lan) = node_of(e.dst).filter(|n| row(*n).uplink == Uplink::Lan) {
                    self.schedule(now + latency::LAN, Dest::Host(lan), bytes);
                } else {
                    packet::rewrite(&mut bytes, Some((HOME_PUBLIC, e.src_port)), None);
                    self.internet(bytes, now + latency::WIFI_TO_ROUTER + latency::HOME_UPLINK);
                }
            }
            Uplink::Cellular => {
                packet::rewrite(&mut bytes, Some((CARRIER_PUBLIC, e.src_port)), None);
                self.internet(bytes, now + latency::CELLULAR);
            }
            Uplink::ImsLink => self.schedule(now + latency::IMS, Dest::Host(Node::Ims), bytes),
            Uplink::BluetoothLink => {
                self.schedule(now + latency::BLUETOOTH, Dest::Host(Node::Watch), bytes)
            }
            // LAN devices talk to the phone only.
            Uplink::Lan => {
                if e.dst == PHONE_LAN {
                    self.schedule(now + latency::LAN, Dest::Host(Node::PhoneEn0), bytes)
                } else if e.dst == PHONE_BLUETOOTH {
                    let at = now + latency::BLUETOOTH;
                    self.schedule(at, Dest::Host(Node::PhoneBluetooth), bytes)
                }
            }
            Uplink::ImsCore => {
                self.schedule(now + latency::IMS, Dest::Host(Node::PhoneIpsec), bytes)
            }
            Uplink::Relay => self.relay_to_phone(bytes, now),
            Uplink::Internet => self.internet(bytes, now + latency::SERVERS),
        }
    }

    /// The internet routes by destination address.
    fn internet(&mut self, mut bytes: Vec<u8>, at: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        if e.dst == HOME_PUBLIC {
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

    /// The tunnel process wraps a packet from utun0 (or from its own stack)
    /// and sends it to the relay.
    fn tunnel_send(&mut self, inner: Vec<u8>, now: u64) {
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

    fn send_transport(&mut self, kind: u8, inner: &[u8]) {
        let (Some(node), Some(handle)) = (self.tunnel.node, self.tunnel.handle) else {
            return;
        };
        self.tunnel.counter += 1;
        let payload = tunnel::wrap(kind, 1, self.tunnel.counter, inner);
        let socket = self.hosts[node as usize]
            .sockets
            .get_mut::<udp::Socket>(handle);
        let _ = socket.send_slice(&payload, (IpAddress::Ipv4(RELAY_PUBLIC), tunnel::PORT));
        self.mark_dirty(node as usize);
    }

    /// Packets from the relay reach the tunnel process's UDP socket.
    fn tunnel_receive(&mut self, now: u64) {
        let (Some(node), Some(handle)) = (self.tunnel.node, self.tunnel.handle) else {
            return;
        };
        let mut inners = Vec::new();
        {
            let socket = self.hosts[node as usize]
                .sockets
                .get_mut::<udp::Socket>(handle);
            let mut buffer = [0u8; 4096];
            while let Ok((size, _)) = socket.recv_slice(&mut buffer) {
                if let Some((tunnel::DATA, inner)) = tunnel::unwrap(&buffer[..size])
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
    fn relay_transport(&mut self, bytes: Vec<u8>, now: u64) {
        let Some(e) = packet::ends(&bytes) else {
            return;
        };
        let Ok(ip) = Ipv4Packet::new_checked(&bytes[..]) else {
            return;
        };
        let Ok(udp) = UdpPacket::new_checked(ip.payload()) else {
            return;
        };
        let Some((kind, inner)) = tunnel::unwrap(udp.payload()) else {
            return;
        };
        // WireGuard roams: the peer is wherever its last packet came from,
        // and the relay sees the phone's public address.
        let peer = (e.src, e.src_port);
        if self.relay_peer != Some(peer) {
            self.relay_peer = Some(peer);
            if let Some(flow) = self
                .flows
                .iter()
                .position(|f| f.kind == FlowKind::VpnTransport)
            {
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
                if i.dst == RELAY_GATEWAY {
                    self.push_rx(Node::RelayGateway, inner);
                } else if is_local(IpAddr::V4(i.dst)) {
                    // The relay has no route to the phone's home network.
                    let flow = self.port_flow(i.src_port);
                    let (rule, _) = self.verdict(flow, now);
                    self.record(now, CapturePoint::RelayInternet, inner, flow, rule, true);
                } else {
                    packet::rewrite(&mut inner, Some((RELAY_EXIT, i.src_port)), None);
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
    fn relay_exit(&mut self, mut bytes: Vec<u8>, now: u64) {
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
        packet::rewrite(&mut bytes, None, Some((PHONE_TUNNEL, e.dst_port)));
        self.relay_to_phone(bytes, now);
    }

    fn relay_to_phone(&mut self, inner: Vec<u8>, now: u64) {
        self.relay_to_peer(tunnel::DATA, &inner, now);
    }

    fn relay_to_peer(&mut self, kind: u8, inner: &[u8], now: u64) {
        let Some((peer, port)) = self.relay_peer else {
            return;
        };
        self.relay_counter += 1;
        let payload = tunnel::wrap(kind, 1, self.relay_counter, inner);
        let bytes = packet::udp_packet((RELAY_PUBLIC, tunnel::PORT), (peer, port), &payload);
        self.internet(bytes, now + latency::RELAY);
    }
}

/// The model is IPv4-only (smoltcp is built without IPv6).
fn v4(addr: IpAddress) -> Ipv4Addr {
    match addr {
        IpAddress::Ipv4(a) => a,
    }
}

#[cfg(test)]
mod tests;
