//! `tunnelscope bench`: the packet engine's speed, measured against bare
//! smoltcp on the same machine in the same run. Native only (it reads the
//! wall clock, which the simulation itself never does).

use crate::engine;
use crate::library::LIBRARY;
use crate::scenario::{self, Scenario};
use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::socket::tcp;
use smoltcp::time::Instant as SimInstant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};
use std::fmt::Write;
use std::time::Instant;

/// How many times the timed parts run; the median is reported.
const REPEATS: usize = 7;

/// A packet-heavy synthetic scenario: many flows of every chatty kind through
/// an includeAllNetworks tunnel, with a network change and a tunnel loss.
pub fn synthetic() -> Scenario {
    let mut text = String::from(
        "title = \"bench: 300 flows through an includeAllNetworks tunnel\"\nios = \"18.2\"\nduration = \"10m\"\n[vpn]\ninclude_all_networks = true\non_demand = true\n[[event]]\nat = \"4m\"\ndo = \"network:cellular\"\n[[event]]\nat = \"7m\"\ndo = \"tunnel:lost\"\n",
    );
    let kinds = [
        "dns",
        "app",
        "apns",
        "apple-maps",
        "cellular-services",
        "volte",
    ];
    for i in 0..300 {
        let kind = kinds[i % kinds.len()];
        let _ = write!(
            text,
            "[[flow]]\nname = \"f{i}\"\nkind = \"{kind}\"\nopen = \"{}ms\"\n",
            (i * 37) % 5_000
        );
    }
    scenario::parse(&text).expect("the synthetic scenario is valid")
}

/// smoltcp alone: two interfaces streaming TCP through in-memory queues.
/// Returns nanoseconds per packet.
fn smoltcp_loopback_ns_per_packet(bytes: usize) -> (f64, u64) {
    let mut client_dev = engine_device();
    let mut server_dev = engine_device();
    let mut client = iface(&mut client_dev, [10, 0, 0, 1]);
    let mut server = iface(&mut server_dev, [10, 0, 0, 2]);
    let mut client_sockets = SocketSet::new(Vec::new());
    let mut server_sockets = SocketSet::new(Vec::new());
    let buffer = || tcp::SocketBuffer::new(vec![0; 65_536]);
    let c = client_sockets.add(tcp::Socket::new(buffer(), buffer()));
    let s = server_sockets.add(tcp::Socket::new(buffer(), buffer()));
    let _ = server_sockets.get_mut::<tcp::Socket>(s).listen(80);
    let _ = client_sockets.get_mut::<tcp::Socket>(c).connect(
        client.context(),
        (IpAddress::v4(10, 0, 0, 2), 80),
        49_152,
    );
    let chunk = vec![0x5a; 16_384];
    let (mut sent, mut received, mut packets) = (0usize, 0usize, 0u64);
    let mut now = 0i64;
    let started = Instant::now();
    while received < bytes {
        now += 100;
        let t = SimInstant::from_micros(now);
        client.poll(t, &mut client_dev, &mut client_sockets);
        server.poll(t, &mut server_dev, &mut server_sockets);
        let socket = client_sockets.get_mut::<tcp::Socket>(c);
        if socket.can_send() && sent < bytes {
            sent += socket.send_slice(&chunk).unwrap_or(0);
        }
        let socket = server_sockets.get_mut::<tcp::Socket>(s);
        while socket.can_recv() {
            received += socket.recv(|b| (b.len(), b.len())).unwrap_or(0);
        }
        while let Some(p) = client_dev.tx.pop_front() {
            packets += 1;
            server_dev.rx.push_back(p);
        }
        while let Some(p) = server_dev.tx.pop_front() {
            packets += 1;
            client_dev.rx.push_back(p);
        }
    }
    let ns = started.elapsed().as_nanos() as f64 / packets.max(1) as f64;
    (ns, packets)
}

fn engine_device() -> engine::BenchDevice {
    engine::BenchDevice::default()
}

fn iface(device: &mut engine::BenchDevice, addr: [u8; 4]) -> Interface {
    let mut iface = Interface::new(
        Config::new(HardwareAddress::Ip),
        device,
        SimInstant::from_micros(0),
    );
    iface.update_ip_addrs(|a| {
        let _ = a.push(IpCidr::new(
            IpAddress::v4(addr[0], addr[1], addr[2], addr[3]),
            24,
        ));
    });
    iface
}

/// Runs the benchmark; returns its report and whether every budget held.
pub fn run() -> (String, bool) {
    let mut out = String::new();
    // The whole library, control plane and packets.
    let scenarios: Vec<Scenario> = LIBRARY
        .iter()
        .map(|b| b.parse().expect("library files are valid"))
        .collect();
    let started = Instant::now();
    let mut library_events = 0u64;
    for s in &scenarios {
        let (_, run) = engine::simulate(s);
        library_events += run.packet_events;
    }
    let library_wall = started.elapsed();

    // The packet engine alone: the control plane's answer is computed first.
    let heavy = synthetic();
    let started = Instant::now();
    let trace = crate::timeline::run(&heavy);
    let control_wall = started.elapsed();
    // The median of several runs, so one preempted run does not decide.
    // Engine and smoltcp alternate, so both see the same machine at the
    // same moment; the medians are reported, and the ratio is the median of
    // the per-pair ratios.
    let mut run = engine::run(&heavy, &trace);
    let mut walls = Vec::new();
    let mut baselines = Vec::new();
    let mut ratios = Vec::new();
    for _ in 0..REPEATS {
        let started = Instant::now();
        run = engine::run(&heavy, &trace);
        let wall = started.elapsed();
        let (baseline_ns, _) = smoltcp_loopback_ns_per_packet(32 << 20);
        ratios.push(wall.as_nanos() as f64 / run.packet_events.max(1) as f64 / baseline_ns);
        walls.push(wall);
        baselines.push(baseline_ns);
    }
    walls.sort();
    baselines.sort_by(f64::total_cmp);
    ratios.sort_by(f64::total_cmp);
    let heavy_wall = walls[REPEATS / 2];
    let events_per_second = run.packet_events as f64 / heavy_wall.as_secs_f64();
    let engine_ns = heavy_wall.as_nanos() as f64 / run.packet_events.max(1) as f64;
    let (_, smoltcp_packets) = smoltcp_loopback_ns_per_packet(1 << 20);
    let smoltcp_ns = baselines[REPEATS / 2];
    let ratio = ratios[REPEATS / 2];

    let _ = writeln!(
        out,
        "tunnelscope bench (release build recommended: cargo run --release -- bench)"
    );
    let _ = writeln!(
        out,
        "library:   {} scenarios, {} packet events, {:.1} ms wall ({})",
        scenarios.len(),
        library_events,
        library_wall.as_secs_f64() * 1e3,
        verdict(library_wall.as_secs_f64() < 1.0, "budget < 1 s")
    );
    let _ = writeln!(
        out,
        "synthetic: {} flows, {} packet events in {:.1} ms (median of {REPEATS}): {:.0} packet events/s, {:.0} ns per event, {:.0} ns per packet hop ({})",
        heavy.flows.len(),
        run.packet_events,
        heavy_wall.as_secs_f64() * 1e3,
        events_per_second,
        engine_ns,
        engine_ns * 2.0,
        verdict(events_per_second >= 1_000_000.0, "budget >= 1,000,000/s")
    );
    let _ = writeln!(
        out,
        "           (its control plane, computed first and not counted: {:.1} ms)",
        control_wall.as_secs_f64() * 1e3
    );
    let _ = writeln!(
        out,
        "smoltcp:   bare loopback TCP, 32 MiB in 1460-byte segments: {smoltcp_ns:.0} ns per packet (median of {REPEATS}; {smoltcp_packets} packets per MiB)"
    );
    let _ = writeln!(
        out,
        "ratio:     engine per event / smoltcp per packet = {ratio:.2}, median of paired runs ({}); per packet hop = {:.2}",
        verdict(ratio <= 2.0, "budget <= 2x"),
        ratio * 2.0
    );
    let _ = writeln!(
        out,
        "(a packet event is one transmission or one delivery, so a packet hop is two)"
    );
    let ok = library_wall.as_secs_f64() < 1.0 && events_per_second >= 1_000_000.0 && ratio <= 2.0;
    (out, ok)
}

fn verdict(ok: bool, budget: &str) -> String {
    format!("{} {budget}", if ok { "within" } else { "OVER" })
}
