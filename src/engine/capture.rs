//! What the packet engine hands on: the trace annotated with what the
//! servers saw, one pcap per capture point, one pcapng for the whole run
//! (every capture point an interface, every packet commented with its flow
//! and rule), and a packet listing.

use super::{BY_TIME, CapturePoint, PacketRun, RunningPackets, packet};
use crate::model::Route;
use crate::scenario::Scenario;
use crate::trace::{DataPlaneEvent, Interception, ServerObservation, Trace};
use smoltcp::phy::{PcapLinkType, PcapSink};
use std::rc::Rc;

/// Adds the data plane's evidence to a control-plane trace: per-flow packet
/// and byte counts, the server observations, and `seen_as` taken from them.
pub fn annotate(trace: &mut Trace, run: &PacketRun) {
    if let Some(stop) = run.stopped {
        trace.stop_at(stop);
    }
    let mut counts = vec![(0u64, 0u64, 0u64); trace.flows.len()];
    for p in &run.packets {
        // The relay's side is not the phone's: count each packet once.
        if p.point == CapturePoint::RelayInternet {
            continue;
        }
        if let Some(c) = p.flow.and_then(|f| counts.get_mut(f)) {
            c.0 += 1;
            c.1 += p.bytes.len() as u64;
            c.2 += u64::from(p.dropped);
        }
    }
    for (flow, (packets, bytes, dropped)) in trace.flows.iter_mut().zip(counts) {
        flow.packets = Some(packets);
        flow.bytes = Some(bytes);
        flow.dropped = Some(dropped);
    }
    for o in &run.observations {
        let Some(flow) = trace.flows.iter().position(|f| f.name == o.flow) else {
            continue;
        };
        let index = if o.connection == BY_TIME {
            trace.flows[flow].last_begun(o.at_ms)
        } else {
            run.connection_segments[flow]
                .get(o.connection as usize)
                .copied()
        };
        let Some(segment) = index.and_then(|i| trace.flows[flow].segments.get_mut(i)) else {
            continue;
        };
        if matches!(segment.route, Route::Tunnel | Route::Direct) && segment.observed_by.is_none() {
            segment.seen_as = o.seen_as;
            segment.observed_by = Some(o.server);
        }
    }
    trace.observations = run
        .observations
        .iter()
        .map(|o| ServerObservation {
            at_ms: o.at_ms,
            server: o.server,
            flow: o.flow.clone(),
            source: o.source.clone(),
            seen_as: o.seen_as,
        })
        .collect();
    trace.intercepted = run
        .interceptions
        .iter()
        .map(|i| Interception {
            at_ms: i.at_ms,
            flow: i.flow.clone(),
            source: i.source.to_string(),
            destination: core::net::SocketAddr::new(i.destination, i.destination_port).to_string(),
        })
        .collect();
    trace.data_plane_events = run
        .events
        .iter()
        .map(|e| DataPlaneEvent {
            at_ms: e.at_ms,
            flow: e.flow.clone(),
            what: e.what,
            rule: e.rule,
        })
        .collect();
    trace.packet_events = Some(run.packet_events);
}

/// A pcap file being written to memory.
struct PcapBuffer(Vec<u8>);

impl PcapSink for PcapBuffer {
    fn write(&mut self, data: &[u8]) {
        self.0.extend_from_slice(data);
    }
}

/// The pcap file (libpcap format, raw IP link type) of one capture point.
/// Dropped packets are left out: they never reached the wire.
pub fn pcap(run: &PacketRun, point: CapturePoint) -> Vec<u8> {
    let mut sink = PcapBuffer(Vec::new());
    sink.global_header(PcapLinkType::Ip);
    for p in run
        .packets
        .iter()
        .filter(|p| p.point == point && !p.dropped)
    {
        let at = smoltcp::time::Instant::from_micros(p.at_us as i64);
        sink.packet(at, &p.bytes);
    }
    sink.0
}

/// The whole run as one pcapng file, as Wireshark users expect: an
/// interface per capture point, named as on the phone (`en0`, `pdp_ip0`,
/// `utun0`, …), and on every packet a comment naming its flow and the rule
/// that decided it, and its direction. Packets the phone dropped are in it
/// too, on the interface where they were dropped, and their comment says
/// they never reached the wire (the per-point pcaps leave them out).
pub fn pcapng(scenario: &Scenario, run: &PacketRun) -> Vec<u8> {
    use super::pcapng::{Direction, PcapNg};
    let mut file = PcapNg::new();
    for point in CapturePoint::ALL {
        file.interface(point.as_str(), crate::words::capture_point(point));
    }
    for p in &run.packets {
        let interface = CapturePoint::ALL
            .iter()
            .position(|point| *point == p.point)
            .unwrap_or(0) as u32;
        let flow = p.flow.and_then(|f| scenario.flows.get(f));
        let comment = crate::words::packet_comment(
            flow.map(|f| (f.name.as_str(), f.kind)),
            p.rule,
            p.dropped,
        );
        // From the phone, or from the relay's exit out to the internet.
        let direction = if packet::outbound(&p.bytes) {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        file.packet(interface, p.at_us, &p.bytes, &comment, direction);
    }
    file.into_bytes()
}

/// One line per packet: time, capture point, summary, flow and rule.
pub fn listing(scenario: &Scenario, run: &PacketRun) -> String {
    let mut out = String::new();
    out.push_str("     time  point           flow              verdict  packet  [rule]\n");
    for p in &run.packets {
        let flow = p
            .flow
            .and_then(|f| scenario.flows.get(f))
            .map_or("(tunnel)", |f| f.name.as_str());
        out.push_str(&format!(
            "{:>9.3}  {:<14}  {:<16}  {:<7}  {}  [{}]\n",
            p.at_us as f64 / 1_000_000.0,
            p.point.as_str(),
            flow,
            if p.dropped { "DROP" } else { "pass" },
            packet::summary(&p.bytes),
            p.rule
        ));
    }
    out
}

/// The control plane, then the data plane: the full trace of a scenario
/// (to its end or its budget).
pub fn simulate(scenario: &Scenario) -> (Trace, PacketRun) {
    let mut simulation = Simulation::start(Rc::new(scenario.clone()));
    simulation.advance(u64::MAX);
    simulation.finish()
}

/// A whole run under way, in slices: the control plane's trace at once
/// (its cost is bounded by the budget's segments), then the packets a
/// slice at a time, then the trace annotated.
pub struct Simulation {
    scenario: Rc<Scenario>,
    trace: Rc<Trace>,
    packets: RunningPackets,
}

impl Simulation {
    pub fn start(scenario: Rc<Scenario>) -> Simulation {
        let trace = Rc::new(crate::timeline::run(&scenario));
        let packets = PacketRun::start(Rc::clone(&scenario), Rc::clone(&trace));
        Simulation {
            scenario,
            trace,
            packets,
        }
    }

    pub fn scenario(&self) -> &Rc<Scenario> {
        &self.scenario
    }

    /// The control plane's trace, before the packets' evidence is added.
    pub fn control_plane(&self) -> &Rc<Trace> {
        &self.trace
    }

    /// See [`RunningPackets::advance`]; true when the run is over.
    pub fn advance(&mut self, packet_events: u64) -> bool {
        self.packets.advance(packet_events)
    }

    /// How far the packets have got and where they end, in simulated ms.
    pub fn progress_ms(&self) -> (u64, u64) {
        self.packets.progress_ms()
    }

    pub fn finish(self) -> (Trace, PacketRun) {
        let run = self.packets.finish();
        // The engine, gone with `finish`, held the only other reference
        // (a preview of the run may still hold one).
        let mut trace = Rc::unwrap_or_clone(self.trace);
        annotate(&mut trace, &run);
        (trace, run)
    }
}

/// A stable 64-bit FNV-1a hash, the same on every target: the golden value
/// of a run (its JSON trace and every pcap).
pub fn fingerprint(trace: &Trace, run: &PacketRun) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(crate::report::json(trace).as_bytes());
    for point in CapturePoint::ALL {
        feed(&pcap(run, point));
    }
    // Which flow and rule each packet was put down to, dropped ones too.
    for p in &run.packets {
        feed(&p.at_us.to_le_bytes());
        feed(&(p.flow.map_or(u64::MAX, |f| f as u64)).to_le_bytes());
        feed(p.rule.as_bytes());
        feed(&[u8::from(p.dropped)]);
    }
    hash
}
