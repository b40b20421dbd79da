//! The data plane: every flow of a scenario as real packets through smoltcp
//! stacks, following the control plane's decisions.
//!
//! Time is simulated microseconds, event-driven: the loop jumps to the next
//! packet delivery, stack timer, application timer or control-plane change.
//! The parts, one job each (this file holds the engine's state and `run`):
//!
//! - `topology`: every host in one table (addresses, services, a phone
//!   interface's capture point, each host's uplink);
//! - `host` and `device`: one smoltcp interface over an in-memory queue;
//! - `scheduler`: the stacks, the packets in flight and the timers; each
//!   instant runs until it settles;
//! - `control`: the network and the tunnel's state as the trace says, and
//!   what changes when they do;
//! - `phone`: the phone's interfaces and its filter (capture, interface up,
//!   the control plane's verdict, record), then each host's uplink;
//! - `internet`: routing by address and the NATs on the way back;
//! - `tunnel_process`: the tunnel process and the relay;
//! - `clients` and `servers`: the apps at both ends, and what servers saw;
//! - `apps`: what each flow kind sends and each server answers;
//! - `packet`: typed views over the bytes; `capture`: pcaps, listings,
//!   the trace annotated with observations.
//!
//! Every address is in [`crate::addresses`]. Routers, NATs and the relay
//! rewrite packets with smoltcp's wire types; blocked packets are dropped at
//! the phone, with the rule that blocked them.

mod apps;
mod capture;
mod clients;
mod control;
mod device;
mod host;
mod hostile_wifi;
mod internet;
pub mod packet;
mod pcapng;
mod phone;
mod scheduler;
mod servers;
mod topology;
mod tunnel_process;
mod xlat;

pub use capture::{Simulation, annotate, fingerprint, listing, pcap, pcapng, simulate};
/// The engine's in-memory device, for the benchmark's smoltcp baseline.
pub use device::QueueDevice as BenchDevice;
pub use topology::{Place, capture_link, path_out, tunnel_path_out};

use crate::addresses::*;
use crate::budget::{self, Stop};
use crate::model::{FlowKind, Interface, Network, Route, SeenAs, TunnelState};
use crate::scenario::Scenario;
use crate::trace::Trace;
use apps::{Transport, traffic};
use core::net::{IpAddr, Ipv6Addr};
use host::Host;
use packet::{Ends, Protocol, tunnel};
use serde::Serialize;
use smoltcp::iface::SocketHandle;
use smoltcp::socket::{icmp, tcp, udp};
use smoltcp::wire::IpAddress;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::rc::Rc;
use topology::{HOSTS, Node, Up, Uplink, node_of, row, stack_addresses};

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

/// A request an attacker's Wi-Fi read in the clear: the first packet of one
/// of a flow's connections that crossed its router outside the tunnel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interception {
    pub at_ms: u64,
    pub flow: String,
    /// The phone's own address on the Wi-Fi.
    pub source: IpAddr,
    pub destination: IpAddr,
    pub destination_port: u16,
}

/// Something the engine did that is not a packet (a socket bind failing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngineEvent {
    pub at_ms: u64,
    pub flow: String,
    pub what: crate::trace::DataPlaneHappening,
    pub rule: &'static str,
}

/// The result of a packet run.
#[derive(Clone, Debug, Default)]
pub struct PacketRun {
    pub packets: Vec<PacketRecord>,
    pub observations: Vec<Observation>,
    /// What an attacker's Wi-Fi read (empty on a benign network).
    pub interceptions: Vec<Interception>,
    pub events: Vec<EngineEvent>,
    /// Packet events: every transmission and every delivery.
    pub packet_events: u64,
    /// For each flow: the segment index each of its connections began in.
    pub connection_segments: Vec<Vec<usize>>,
    /// Instants (µs) whose work was cut off at the settle bound instead of
    /// settling: empty in every sound run (a test checks the library).
    pub unsettled_at_us: Vec<u64>,
    /// Where the run stopped, having reached a limit of its budget.
    pub stopped: Option<Stop>,
}

fn seen_as(source: IpAddr) -> SeenAs {
    match source {
        IpAddr::V4(a) if a == RELAY_EXIT || a == PHONE_TUNNEL => SeenAs::Vpn,
        IpAddr::V4(a) if a == HOME_PUBLIC || a == CARRIER_PUBLIC || a == PHONE_IMS => {
            SeenAs::Device
        }
        IpAddr::V4(a) if a.is_private() || a.is_link_local() => SeenAs::Local,
        IpAddr::V6(a) if a == RELAY_EXIT_V6 || a == PHONE_TUNNEL_V6 => SeenAs::Vpn,
        a if is_local(a) => SeenAs::Local,
        // The phone's own global IPv6 address (there is no NAT for IPv6),
        // or its network's public IPv4 one.
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
    remote: IpAddr,
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

struct Engine {
    scenario: Rc<Scenario>,
    trace: Rc<Trace>,
    /// Every instant the control plane changes something, in order, and
    /// the next one to apply.
    boundaries: Vec<u64>,
    boundary: usize,
    /// The instant the main loop is at, and where the run ends.
    now_us: u64,
    end_us: u64,
    finished: bool,
    /// Every smoltcp stack: the first `HOSTS.len()` are the hosts
    /// themselves; the rest are per-connection stacks (a phone-side client,
    /// or one server connection), each with its own few sockets, so that a
    /// poll never scans hundreds of them.
    stacks: Vec<Stack>,
    in_flight: BinaryHeap<Reverse<InFlight>>,
    seq: u64,
    flows: Vec<FlowState>,
    /// The flow that stands for the tunnel's own transport, if any (looked
    /// up for every tunnel packet).
    transport_flow: Option<usize>,
    tunnel: TunnelProcess,
    relay_peer: Option<(IpAddr, u16)>,
    relay_counter: u64,
    /// Connections (flow, connection) the attacker's Wi-Fi has read.
    intercepted: BTreeSet<(usize, u32)>,
    /// Server-side TCP connections already recorded, by (stack, handle).
    observed: BTreeMap<(usize, SocketHandle), ()>,
    /// Server connection stacks, by (server, client address, client port).
    server_conns: BTreeMap<(Node, IpAddr, u16), usize>,
    /// The NAT64s' sessions: which of the phone's IPv6 addresses each
    /// translated port belongs to (the port is kept, as the NATs keep it).
    nat64_sessions: BTreeMap<xlat::Nat64Key, Ipv6Addr>,
    /// Which flow and which of its connections owns each phone-side port
    /// (and ICMP identifier).
    ports: BTreeMap<u16, (usize, u32)>,
    next_port: u16,
    /// The phone's network and the tunnel's state now.
    current: (Option<Network>, TunnelState),
    /// Scratch lists reused at every instant.
    scratch_clients: Vec<usize>,
    scratch_polled: Vec<usize>,
    /// Stacks with something to do at this instant.
    dirty_list: Vec<usize>,
    /// Stack timers (smoltcp's poll_at) and application timers, as heaps of
    /// (when, index); an entry is stale once its index has a newer time.
    poll_timers: BinaryHeap<Reverse<(u64, usize)>>,
    client_timers: BinaryHeap<Reverse<(u64, usize)>>,

    run: PacketRun,
}

/// One smoltcp stack and what the scheduler keeps about it.
struct Stack {
    host: Host,
    /// The host it belongs to (a connection's stack has its host's addresses).
    owner: Node,
    /// It has something to do at this instant (it is in `dirty_list`).
    dirty: bool,
    /// When it next needs a poll.
    next_poll: Option<u64>,
    /// The flows whose clients use it.
    flows: Vec<usize>,
    /// A server connection's key, so a closed connection forgets it.
    conn_key: Option<(Node, IpAddr, u16)>,
}

impl Stack {
    fn new(owner: Node, host: Host) -> Stack {
        Stack {
            host,
            owner,
            dirty: false,
            next_poll: None,
            flows: Vec::new(),
            conn_key: None,
        }
    }
}

/// The phone's ephemeral ports: each new connection takes the next one.
const FIRST_PORT: u16 = 40_000;
const LAST_PORT: u16 = 65_000;
/// DHCP clients always use port 68.
const DHCP_CLIENT_PORT: u16 = 68;

/// Runs the scenario's flows as packets, following `trace` (the control
/// plane's answer for the same scenario), to its end or its budget.
pub fn run(scenario: &Scenario, trace: &Trace) -> PacketRun {
    let mut run = PacketRun::start(Rc::new(scenario.clone()), Rc::new(trace.clone()));
    run.advance(u64::MAX);
    run.finish()
}

/// A packet run under way: [`PacketRun::start`], then
/// [`advance`](Self::advance) until it says it is done (the browser
/// advances a slice per task so the page never freezes), then
/// [`finish`](Self::finish). The slicing does not change the result.
pub struct RunningPackets {
    engine: Engine,
}

impl PacketRun {
    pub fn start(scenario: Rc<Scenario>, trace: Rc<Trace>) -> RunningPackets {
        RunningPackets {
            engine: Engine::new(scenario, trace),
        }
    }

    /// The packets captured from `from_us` to `to_us`, both included.
    /// Packets are recorded in time order, so this is a binary search: the
    /// page asks on every tick, and a run may keep half a million.
    pub fn packets_between(&self, from_us: u64, to_us: u64) -> &[PacketRecord] {
        let start = self.packets.partition_point(|p| p.at_us < from_us);
        let end = self.packets.partition_point(|p| p.at_us <= to_us);
        &self.packets[start..end.max(start)]
    }

    /// The last packet captured at or before `at_us`.
    pub fn last_at_or_before(&self, at_us: u64) -> Option<&PacketRecord> {
        self.packets_between(0, at_us).last()
    }
}

impl RunningPackets {
    /// Runs until about `packet_events` more packet events have happened
    /// (whole instants only) or the run is over; true when it is over.
    pub fn advance(&mut self, packet_events: u64) -> bool {
        let until = self.engine.run.packet_events.saturating_add(packet_events);
        self.engine.main_loop(until);
        self.engine.finished
    }

    /// How far the run has got, in simulated milliseconds, and where it ends.
    pub fn progress_ms(&self) -> (u64, u64) {
        (self.engine.now_us / 1_000, self.engine.end_us / 1_000)
    }

    pub fn finish(self) -> PacketRun {
        self.engine.run
    }
}

impl Engine {
    fn new(scenario: Rc<Scenario>, trace: Rc<Trace>) -> Engine {
        let seed = scenario.seed;
        let stacks = HOSTS
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let host = Host::new(
                    &stack_addresses(h.node, scenario.ip),
                    seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ i as u64,
                );
                // Every host's stack is polled at the first instant.
                Stack {
                    dirty: true,
                    ..Stack::new(h.node, host)
                }
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
        let transport_flow = scenario
            .flows
            .iter()
            .position(|f| f.kind == FlowKind::VpnTransport);
        // Every instant the control plane changes something, in order.
        let mut boundaries: Vec<u64> = trace
            .flows
            .iter()
            .flat_map(|f| f.segments.iter().map(|s| s.from_ms).chain([f.close_ms]))
            .chain(trace.states.iter().map(|s| s.from_ms))
            .map(|ms| ms * 1_000)
            .collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        // A trace the control plane stopped early ends the packets there too.
        let end_ms = trace
            .stopped
            .map_or(scenario.duration_ms, |s| s.at_ms.min(scenario.duration_ms));
        let mut engine = Engine {
            boundaries,
            boundary: 0,
            now_us: 0,
            end_us: end_ms * 1_000,
            finished: false,
            scenario: Rc::clone(&scenario),
            trace: Rc::clone(&trace),
            stacks,
            in_flight: BinaryHeap::new(),
            seq: 0,
            flows,
            transport_flow,
            tunnel: TunnelProcess {
                held: Vec::new(),
                node: None,
                handle: None,
                counter: 0,
            },
            relay_peer: None,
            relay_counter: 0,
            observed: BTreeMap::new(),
            intercepted: BTreeSet::new(),
            ports: BTreeMap::new(),
            current: (Some(scenario.network), TunnelState::Absent),
            scratch_clients: Vec::new(),
            scratch_polled: Vec::new(),
            next_port: FIRST_PORT,
            server_conns: BTreeMap::new(),
            nat64_sessions: BTreeMap::new(),
            dirty_list: (0..HOSTS.len()).collect(),
            poll_timers: BinaryHeap::new(),
            client_timers: BinaryHeap::new(),
            run: PacketRun {
                connection_segments: vec![Vec::new(); scenario.flows.len()],
                ..PacketRun::default()
            },
        };
        engine.start_servers();
        engine
    }
}

/// smoltcp's address as the standard library's.
fn ip(addr: IpAddress) -> IpAddr {
    addr.into()
}

#[cfg(test)]
mod tests;
