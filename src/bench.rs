//! `tunnelscope bench`: the packet engine's speed, measured against bare
//! smoltcp on the same machine in the same run. Native only (it reads the
//! wall clock, which the simulation itself never does).

use crate::engine;
use crate::library::LIBRARY;
use crate::scenario::Scenario;
use crate::workload::synthetic;
use smoltcp::iface::{Config, Interface, SocketSet};
use smoltcp::socket::tcp;
use smoltcp::time::Instant as SimInstant;
use smoltcp::wire::{HardwareAddress, IpAddress, IpCidr};
use std::fmt::Write;
use std::time::Instant;

/// How many times the timed parts run; the median is reported.
const REPEATS: usize = 7;

/// One timed run of the synthetic scenario's packet engine (its control
/// plane computed first, not timed), in nanoseconds: the native half of the
/// wasm/native comparison (`tools/bench-wasm.mjs` times the same run in the
/// wasm build, through `bench_wasm`).
pub fn synthetic_once_ns() -> u128 {
    let heavy = synthetic();
    let trace = crate::timeline::run(&heavy);
    let started = Instant::now();
    let run = engine::run(&heavy, &trace);
    let ns = started.elapsed().as_nanos();
    assert!(run.packet_events > 0);
    ns
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

/// Peak resident memory of this process since the last reset, in bytes,
/// and a reset (Linux's `/proc/self/clear_refs`); `None` elsewhere.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The budgets a file at the format's limits is held to: run whole (parsed,
/// simulated, its JSON written) within these, or stopped with a message.
const WORST_SECONDS: f64 = 2.0;
const WORST_BYTES: u64 = 256 << 20;

/// Each worst shape as `tunnelscope run FILE --format json` does it: its
/// time, peak memory and where its budget stopped it.
fn worst_cases(out: &mut String) -> bool {
    let mut ok = true;
    for (name, text) in crate::workload::worst_shapes() {
        let reset = reset_peak_rss();
        let started = Instant::now();
        let scenario = crate::scenario::parse(&text).expect("the worst shapes are valid");
        let (trace, run) = engine::simulate(&scenario);
        let json = crate::report::json(&trace);
        let wall = started.elapsed().as_secs_f64();
        let peak = peak_rss().filter(|_| reset);
        let within = wall <= WORST_SECONDS && peak.is_none_or(|p| p <= WORST_BYTES);
        ok &= within;
        let stop = trace.stopped.map_or("ran whole".to_string(), |s| {
            format!(
                "stopped at {} by its {:?} budget",
                crate::scenario::duration::format(s.at_ms),
                s.limit
            )
        });
        let _ = writeln!(
            out,
            "worst:     {name}: {:.2} s, peak {} ({}), {} packet events, {} packets, {:.1} MB of JSON; {stop}",
            wall,
            peak.map_or("memory n/a".to_string(), |p| format!(
                "{:.0} MB resident",
                p as f64 / f64::from(1 << 20)
            )),
            verdict(within, "budget <= 2 s and 256 MB"),
            run.packet_events,
            run.packets.len(),
            json.len() as f64 / f64::from(1 << 20),
        );
    }
    ok
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
        let fresh = engine::run(&heavy, &trace);
        let wall = started.elapsed();
        // Dropping the previous run's packets is not this run's work.
        run = fresh;
        let (baseline_ns, _) = smoltcp_loopback_ns_per_packet(32 << 20);
        // Like for like: a packet hop is one transmission and one delivery
        // (two packet events); bare smoltcp's packet is one of each too.
        let hops = run.packet_events.max(2) as f64 / 2.0;
        ratios.push(wall.as_nanos() as f64 / hops / baseline_ns);
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
    let (min_ratio, max_ratio) = (ratios[0], ratios[REPEATS - 1]);

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
        "synthetic: {} flows, {} packet events in {:.1} ms (median of {REPEATS}): {:.0} packet events/s ({}), {:.0} ns per event, {:.0} ns per packet hop",
        heavy.flows.len(),
        run.packet_events,
        heavy_wall.as_secs_f64() * 1e3,
        events_per_second,
        verdict(
            events_per_second >= EVENTS_PER_SECOND,
            "target >= 2,000,000/s"
        ),
        engine_ns,
        engine_ns * 2.0,
    );
    let _ = writeln!(
        out,
        "           (its control plane, computed first and not counted: {:.1} ms)",
        control_wall.as_secs_f64() * 1e3
    );
    let _ = writeln!(
        out,
        "smoltcp:   bare loopback TCP, 32 MiB in 1460-byte segments: {smoltcp_ns:.0} ns per packet (one transmission and one delivery; median of {REPEATS}; {smoltcp_packets} packets per MiB)"
    );
    let _ = writeln!(
        out,
        "ratio:     engine per packet hop / smoltcp per packet = {ratio:.2} ({}), median of {REPEATS} alternating pairs [{min_ratio:.2}–{max_ratio:.2}]",
        verdict(ratio <= HOP_RATIO, "target <= 2.5x"),
    );
    // Last, so their gigabyte of freed heap does not slow the timings
    // above: the files at the format's limits.
    let worst_ok = worst_cases(&mut out);
    let _ = writeln!(
        out,
        "(a packet event is one transmission or one delivery, so a packet hop is two; the wasm/native ratio is printed by `make bench` after this)"
    );
    let ok = worst_ok
        && library_wall.as_secs_f64() < 1.0
        && events_per_second >= EVENTS_PER_SECOND
        && ratio <= HOP_RATIO;
    (out, ok)
}

/// The targets (the reshaping issue's).
const EVENTS_PER_SECOND: f64 = 2_000_000.0;
const HOP_RATIO: f64 = 2.5;

fn verdict(ok: bool, budget: &str) -> String {
    format!("{} {budget}", if ok { "within" } else { "OVER" })
}
