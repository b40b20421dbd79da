//! The engine against the control plane, for every scenario in the library.

use super::*;
use crate::library::LIBRARY;
use crate::policy::Continuity;

/// Every library scenario, and each IPv4-only one again on dual-stack and
/// on IPv6-only networks (with and without a CLAT on Wi-Fi), so that every
/// consistency check here also holds for IPv6 with LAN, DHCP, attacks and
/// network changes the IPv6 scenarios themselves do not have.
fn runs() -> Vec<(String, Scenario, Trace, PacketRun)> {
    use crate::model::{IpMode, IpModes};
    let variants = [
        (IpMode::DualStack, IpMode::DualStack),
        (IpMode::Ipv6Only, IpMode::Ipv6Only),
        (IpMode::DualStack, IpMode::Ipv6Only),
    ];
    let mut out = Vec::new();
    for built_in in LIBRARY {
        let scenario = built_in.parse().unwrap();
        let mut all = vec![(built_in.name.to_string(), scenario.clone())];
        if !scenario.ip.has_ipv6() {
            for (wifi, cellular) in variants {
                let mut variant = scenario.clone();
                variant.ip = IpModes { wifi, cellular };
                all.push((
                    format!("{} [wifi {wifi}, cellular {cellular}]", built_in.name),
                    variant,
                ));
            }
        }
        for (name, scenario) in all {
            let trace = crate::timeline::run(&scenario);
            let packets = run(&scenario, &trace);
            out.push((name, scenario, trace, packets));
        }
    }
    out
}

/// The segment of `flow` in force at a packet's time.
fn segment_in_force(trace: &Trace, flow: usize, at_us: u64) -> &crate::trace::Segment {
    let flow = &trace.flows[flow];
    let index = flow
        .last_begun(at_us / 1_000)
        .expect("a flow's packets fall within its segments");
    &flow.segments[index]
}

/// The segment an observation belongs to.
fn segment_of<'t>(
    trace: &'t Trace,
    run: &PacketRun,
    o: &Observation,
) -> Option<&'t crate::trace::Segment> {
    let flow = trace.flows.iter().position(|f| f.name == o.flow)?;
    let segments = &trace.flows[flow].segments;
    if o.connection == BY_TIME {
        return trace.flows[flow].last_begun(o.at_ms).map(|i| &segments[i]);
    }
    let index = *run.connection_segments[flow].get(o.connection as usize)?;
    segments.get(index)
}

#[test]
fn what_servers_saw_agrees_with_the_policy_for_every_scenario() {
    for (name, _, trace, run) in runs() {
        let something_arrives = trace.flows.iter().any(|f| {
            f.segments.iter().any(|s| {
                matches!(s.route, Route::Tunnel | Route::Direct) && s.seen_as != SeenAs::None
            })
        });
        assert_eq!(
            !run.observations.is_empty(),
            something_arrives,
            "{name}: what servers saw and what the policy says arrives"
        );
        for o in &run.observations {
            let segment = segment_of(&trace, &run, o).unwrap_or_else(|| panic!("{name}: {o:?}"));
            if matches!(segment.route, Route::Offline | Route::Blocked) {
                // A packet that left before the change and landed after it.
                continue;
            }
            assert_eq!(o.seen_as, segment.seen_as, "{name}: {o:?} vs {segment:?}");
        }
    }
}

#[test]
fn every_connection_shows_up_where_the_policy_says() {
    for (name, scenario, trace, run) in runs() {
        for (i, flow) in trace.flows.iter().enumerate() {
            for segment in &flow.segments {
                let long = segment.to_ms - segment.from_ms >= 1_000;
                let fresh = segment.change != Continuity::Kept;
                let point = match (segment.route, segment.interface) {
                    (Route::Direct, Interface::En0) => Some(CapturePoint::En0),
                    (Route::Direct, Interface::PdpIp0) => Some(CapturePoint::PdpIp0),
                    (Route::Direct, Interface::Ipsec1) => Some(CapturePoint::Ipsec1),
                    (Route::Direct, Interface::Bluetooth) => Some(CapturePoint::Bluetooth),
                    (Route::Tunnel, _) if flow.kind == FlowKind::TunnelProbe => None,
                    (Route::Tunnel, _) => Some(CapturePoint::Utun0),
                    _ => None,
                };
                let (Some(point), true, true) = (point, long, fresh) else {
                    continue;
                };
                let (from, to) = (segment.from_ms * 1_000, segment.to_ms * 1_000);
                let seen = run.packets.iter().any(|p| {
                    p.flow == Some(i)
                        && p.point == point
                        && !p.dropped
                        && p.at_us >= from
                        && p.at_us < to
                });
                assert!(
                    seen,
                    "{name}: flow {} ({}) sent nothing on {} during {}–{} ms",
                    flow.name,
                    scenario.flows[i].kind,
                    point.as_str(),
                    segment.from_ms,
                    segment.to_ms
                );
            }
        }
    }
}

#[test]
fn every_drop_is_explained_by_the_policy() {
    let mut drops = 0;
    for (name, _, trace, run) in runs() {
        for p in run.packets.iter().filter(|p| p.dropped) {
            let flow = p.flow.expect("drops are attributed to a flow");
            let segment = segment_in_force(&trace, flow, p.at_us);
            match p.point {
                // The relay cannot reach the phone's LAN.
                CapturePoint::RelayInternet => {
                    assert_eq!(p.rule, "flow.tunnel-cannot-reach-lan", "{name}: {p:?}")
                }
                // Held or refused by the tunnel process while it had no tunnel.
                CapturePoint::TunnelProcess => {}
                // Dropped at the phone: blocked, or its interface is gone.
                _ if p.rule == "flow.interface-gone-resets" => {}
                _ => {
                    assert!(
                        matches!(segment.route, Route::Blocked | Route::Offline),
                        "{name}: {p:?}"
                    );
                    assert_eq!(p.rule, segment.rules.last().unwrap().id);
                    drops += 1;
                }
            }
        }
    }
    assert!(
        drops > 0,
        "the library has blocked traffic, so the phone must drop some"
    );
}

#[test]
fn every_connection_that_should_reach_a_server_is_seen_by_it() {
    for (name, _, trace, run) in runs() {
        for (i, flow) in trace.flows.iter().enumerate() {
            for (index, segment) in flow.segments.iter().enumerate() {
                let fresh = segment.change != Continuity::Kept;
                let long = segment.to_ms - segment.from_ms >= 1_000;
                let reaches = matches!(segment.route, Route::Tunnel | Route::Direct)
                    && segment.seen_as != SeenAs::None;
                if !(fresh && long && reaches) || flow.kind == FlowKind::VpnTransport {
                    continue;
                }
                let seen: Vec<_> = run
                    .observations
                    .iter()
                    .filter(|o| {
                        o.flow == flow.name
                            && run.connection_segments[i].get(o.connection as usize) == Some(&index)
                    })
                    .collect();
                assert!(
                    !seen.is_empty(),
                    "{name}: nobody saw {} ({}) during {}–{} ms",
                    flow.name,
                    flow.kind,
                    segment.from_ms,
                    segment.to_ms
                );
                // In the IP version the policy chose: IPv6 arrives as IPv6,
                // IPv4 as IPv4 (through NAT64 on an IPv6-only network too).
                for o in seen {
                    let source: IpAddr = o.source.parse().expect("an address");
                    let family = if source.is_ipv6() {
                        crate::model::Family::V6
                    } else {
                        crate::model::Family::V4
                    };
                    assert_eq!(
                        family, segment.family,
                        "{name}: {} saw {} from {}",
                        o.server, flow.name, o.source
                    );
                }
            }
        }
    }
}

#[test]
fn what_leaves_the_phone_leaves_where_the_policy_says() {
    use crate::model::Network;
    for (name, scenario, trace, run) in runs() {
        for p in run.packets.iter().filter(|p| !p.dropped) {
            // An IPv6-only network carries only IPv6 (IPv4 is translated by
            // the CLAT and NAT64); a network without IPv6 none of it.
            let network = match p.point {
                CapturePoint::En0 => Some(Network::Wifi),
                CapturePoint::PdpIp0 => Some(Network::Cellular),
                _ => None,
            };
            if let (Some(network), Some(family)) = (network, packet::family(&p.bytes)) {
                assert!(
                    scenario.ip.of(network).carries(family),
                    "{name}: {} on {} ({}): {}",
                    crate::words::family(family),
                    p.point.as_str(),
                    scenario.ip.of(network),
                    packet::summary(&p.bytes)
                );
            }
            let phone_sends = packet::ends(&p.bytes).is_some_and(|e| is_phone(e.src));
            let point_interface = match p.point {
                CapturePoint::En0 => Interface::En0,
                CapturePoint::PdpIp0 => Interface::PdpIp0,
                CapturePoint::Utun0 => Interface::Utun0,
                CapturePoint::Ipsec1 => Interface::Ipsec1,
                CapturePoint::Bluetooth => Interface::Bluetooth,
                _ => continue,
            };
            let Some(flow) = p.flow else { continue };
            if !phone_sends {
                continue;
            }
            let segment = segment_in_force(&trace, flow, p.at_us);
            // The segment's `family` is the version on the wire: what a
            // capture on its interface shows, CLAT and NAT64 included.
            if matches!(segment.route, Route::Tunnel | Route::Direct) {
                assert_eq!(
                    packet::family(&p.bytes),
                    Some(segment.on_wire),
                    "{name}: {} in a segment that says {}: {}",
                    trace.flows[flow].name,
                    crate::words::family(segment.on_wire),
                    packet::summary(&p.bytes)
                );
            }
            if trace.flows[flow].kind == FlowKind::VpnTransport {
                continue;
            }
            assert_eq!(
                segment.interface,
                point_interface,
                "{name}: {} left on {} during a {} segment: {}",
                trace.flows[flow].name,
                p.point.as_str(),
                segment.route,
                packet::summary(&p.bytes)
            );
        }
    }
}

#[test]
fn with_ian_the_tunnel_probe_fails_to_bind_and_succeeds_through_the_userspace_stack() {
    let built_in = crate::library::find("ian-user-disconnect").unwrap();
    let scenario = built_in.parse().unwrap();
    let trace = crate::timeline::run(&scenario);
    let run = run(&scenario, &trace);
    let event = run
        .events
        .iter()
        .find(|e| e.flow == "probe")
        .expect("a bind event");
    assert_eq!(event.rule, "probe.bind-fails-under-ian");
    // The relay gateway accepted the probe's in-tunnel TCP from the tunnel address.
    assert!(run.observations.iter().any(|o| o.flow == "probe"
        && o.server == "VPN relay gateway"
        && o.source == PHONE_TUNNEL.to_string()));
    // The probe's packets never appear on utun0: they bypass it.
    let probe = scenario
        .flows
        .iter()
        .position(|f| f.name == "probe")
        .unwrap();
    assert!(
        !run.packets
            .iter()
            .any(|p| p.flow == Some(probe) && p.point == CapturePoint::Utun0)
    );
}

#[test]
fn without_ian_the_tunnel_probe_uses_a_socket_bound_to_utun() {
    let text = "title = \"probe\"\nios = \"17.4\"\nduration = \"20s\"\n[vpn]\n[[flow]]\nname = \"probe\"\nkind = \"tunnel-probe\"\nopen = \"0s\"\n";
    let scenario = crate::scenario::parse(text).unwrap();
    let trace = crate::timeline::run(&scenario);
    let run = run(&scenario, &trace);
    assert!(run.events.is_empty());
    let on_utun: Vec<String> = run
        .packets
        .iter()
        .filter(|p| p.point == CapturePoint::Utun0)
        .map(|p| packet::summary(&p.bytes))
        .collect();
    assert!(
        on_utun.iter().any(|s| s.contains("ICMP echo request")),
        "{on_utun:#?}"
    );
    assert!(
        on_utun.iter().any(|s| s.contains("ICMP echo reply")),
        "{on_utun:#?}"
    );
}

#[test]
fn the_same_scenario_gives_the_same_packets() {
    let built_in = crate::library::find("wifi-to-cellular").unwrap();
    let scenario = built_in.parse().unwrap();
    let trace = crate::timeline::run(&scenario);
    let a = run(&scenario, &trace);
    let b = run(&scenario, &trace);
    assert_eq!(a.packets, b.packets);
    assert_eq!(a.observations, b.observations);
}

#[test]
fn every_captured_packet_has_valid_checksums() {
    let (mut checked, mut ipv6, mut icmpv6) = (0, 0, 0);
    for (name, _, _, run) in runs() {
        for p in run.packets.iter().filter(|p| !p.dropped) {
            assert!(
                packet::checksums_valid(&p.bytes),
                "{name}: bad checksum {}",
                packet::summary(&p.bytes)
            );
            checked += 1;
            if packet::family(&p.bytes) == Some(crate::model::Family::V6) {
                ipv6 += 1;
                icmpv6 += usize::from(packet::summary(&p.bytes).contains("ICMPv6"));
            }
        }
    }
    assert!(checked > 1_000, "only {checked} packets checked");
    assert!(
        ipv6 > 100 && icmpv6 > 0,
        "{ipv6} IPv6 packets, {icmpv6} ICMPv6"
    );
}

#[test]
fn no_host_has_more_addresses_than_its_stack_holds() {
    use crate::model::{IpMode, IpModes};
    // smoltcp keeps two addresses per interface here; more would be lost.
    for wifi in IpMode::ALL {
        for cellular in IpMode::ALL {
            let ip = IpModes {
                wifi: *wifi,
                cellular: *cellular,
            };
            for row in &topology::HOSTS {
                let addresses = topology::stack_addresses(row.node, ip);
                assert!(addresses.len() <= 2, "{}: {addresses:?}", row.name);
            }
        }
    }
}

#[test]
fn the_pcapng_names_every_interface_and_comments_every_packet() {
    use pcap_file::pcapng::blocks::Block;
    use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketOption;
    use pcap_file::pcapng::blocks::interface_description::InterfaceDescriptionOption;
    let scenario = crate::library::find("ipv6-only-cellular-nat64-transport")
        .unwrap()
        .parse()
        .unwrap();
    let (_, run) = simulate(&scenario);
    let file = pcapng(&scenario, &run);
    let mut reader = pcap_file::pcapng::PcapNgReader::new(&file[..]).unwrap();
    let (mut names, mut comments) = (Vec::new(), Vec::new());
    let (mut times, mut directions) = (Vec::new(), Vec::new());
    while let Some(block) = reader.next_block() {
        match block.unwrap() {
            Block::InterfaceDescription(idb) => {
                names.extend(idb.options.iter().filter_map(|o| match o {
                    InterfaceDescriptionOption::IfName(name) => Some(name.to_string()),
                    _ => None,
                }))
            }
            Block::EnhancedPacket(epb) => {
                let comment = epb.options.iter().find_map(|o| match o {
                    EnhancedPacketOption::Comment(c) => Some(c.to_string()),
                    _ => None,
                });
                let flags = epb.options.iter().find_map(|o| match o {
                    EnhancedPacketOption::Flags(f) => Some(*f),
                    _ => None,
                });
                comments.push((
                    epb.interface_id,
                    comment.expect("every packet is commented"),
                ));
                times.push(epb.timestamp);
                directions.push(flags.expect("every packet has its direction"));
            }
            _ => {}
        }
    }
    assert_eq!(
        names,
        CapturePoint::ALL.map(|p| p.as_str().to_string()).to_vec()
    );
    assert_eq!(comments.len(), run.packets.len());
    let at: Vec<_> = run
        .packets
        .iter()
        .map(|p| std::time::Duration::from_micros(p.at_us))
        .collect();
    assert_eq!(times, at);
    let outbound: Vec<u32> = run
        .packets
        .iter()
        .map(|p| if packet::outbound(&p.bytes) { 2 } else { 1 })
        .collect();
    assert_eq!(directions, outbound);
    assert!(directions.contains(&1) && directions.contains(&2));
    // The transport's first packet: on pdp_ip0, decided by NAT64 synthesis.
    let pdp = CapturePoint::ALL
        .iter()
        .position(|p| *p == CapturePoint::PdpIp0);
    assert_eq!(Some(comments[0].0 as usize), pdp);
    assert_eq!(
        comments[0].1,
        "flow wireguard (vpn-transport) · rule ip.nat64-synthesis"
    );
}

#[test]
fn pcaps_have_the_libpcap_header_and_every_packet() {
    let built_in = crate::library::find("wifi-to-cellular").unwrap();
    let scenario = built_in.parse().unwrap();
    let (_, run) = simulate(&scenario);
    for point in CapturePoint::ALL {
        let file = pcap(&run, point);
        assert_eq!(&file[..4], &0xa1b2_c3d4u32.to_ne_bytes(), "magic");
        assert_eq!(
            u32::from_ne_bytes(file[20..24].try_into().unwrap()),
            101,
            "raw IP link type"
        );
        let packets: Vec<&PacketRecord> = run
            .packets
            .iter()
            .filter(|p| p.point == point && !p.dropped)
            .collect();
        let expected: usize = 24 + packets.iter().map(|p| 16 + p.bytes.len()).sum::<usize>();
        assert_eq!(file.len(), expected, "{}", point.as_str());
    }
}

#[test]
fn every_instant_of_every_scenario_settles_within_the_bound() {
    for (name, _, _, run) in runs() {
        assert!(
            run.unsettled_at_us.is_empty(),
            "{name}: work cut off at {:?} µs",
            run.unsettled_at_us
        );
    }
}

#[test]
fn the_engine_sends_each_flow_where_the_policy_decides_for() {
    // The control plane and the data plane name one destination per kind;
    // only the cases the engine knows better (the VPN's resolver, the
    // Watch over Bluetooth, DHCP renewed by unicast to the router) differ.
    use crate::model::Family;
    for kind in crate::model::FlowKind::ALL {
        for family in Family::ALL {
            let engine = apps::destination(*kind, false, false, *family);
            let policy = crate::addresses::destination_in(*kind, *family);
            if *kind == crate::model::FlowKind::Dhcp {
                assert_eq!(engine, IpAddr::V4(crate::addresses::HOME_ROUTER_LAN));
            } else if let Some(policy) = policy {
                assert_eq!(engine, policy, "{kind:?} {family}");
            }
        }
    }
}

#[test]
fn every_kind_goes_to_a_host_that_serves_it() {
    // The kinds table names a destination, the engine's traffic a port: the
    // host there must offer that service (the tunnel's own transport and
    // probe are driven by the tunnel process, not a service).
    for kind in crate::model::FlowKind::ALL {
        let shape = apps::traffic(*kind);
        let transport = match shape.transport {
            apps::Transport::Tcp | apps::Transport::Udp => shape.transport,
            apps::Transport::Probe | apps::Transport::Tunnel => continue,
        };
        for family in crate::model::Family::ALL {
            let destination = apps::destination(*kind, false, false, *family);
            let host = topology::node_of(destination)
                .unwrap_or_else(|| panic!("{kind:?}: no host at {destination}"));
            assert!(
                topology::row(host)
                    .services
                    .contains(&(transport, shape.port)),
                "{kind:?}: {} does not serve {:?} {}",
                topology::row(host).name,
                transport,
                shape.port
            );
        }
    }
}

/// On an attacker's Wi-Fi the router reads exactly the connections the
/// policy sends outside the tunnel on en0, and nothing that is tunnelled;
/// under ServerIP the tunnel still works through the attacker's redirect.
#[test]
fn the_attacker_reads_what_leaves_outside_the_tunnel_and_nothing_else() {
    let mut attacked = 0;
    for (name, scenario, trace, run) in runs() {
        let Some(attack) = scenario.attack else {
            assert!(run.interceptions.is_empty(), "{name}: nobody to intercept");
            continue;
        };
        attacked += 1;
        for flow in &trace.flows {
            for segment in &flow.segments {
                let read = run.interceptions.iter().any(|x| {
                    x.flow == flow.name && segment.from_ms <= x.at_ms && x.at_ms < segment.to_ms
                });
                let leaks = segment.route == Route::Direct
                    && segment.interface == Interface::En0
                    && !crate::addresses::is_local(crate::addresses::destination(flow.kind));
                let opened = segment.change != Continuity::Kept;
                if leaks && opened {
                    assert!(
                        read,
                        "{name}: {} leaked at {} unread",
                        flow.name, segment.from_ms
                    );
                }
                if segment.route == Route::Tunnel {
                    assert!(!read, "{name}: {} read inside the tunnel", flow.name);
                }
            }
        }
        let tunnelled = trace
            .flows
            .iter()
            .flat_map(|f| &f.segments)
            .any(|s| s.route == Route::Tunnel);
        if tunnelled {
            assert!(
                run.observations.iter().any(|o| o.seen_as == SeenAs::Vpn),
                "{name} ({attack}): the tunnel carried nothing"
            );
        }
    }
    assert!(attacked >= 6, "the library has the attack scenarios");
}

#[test]
fn a_run_in_slices_is_the_run_at_once() {
    for built_in in LIBRARY {
        let scenario = built_in.parse().unwrap();
        let (trace, run) = simulate(&scenario);
        let mut simulation = Simulation::start(Rc::new(scenario.clone()));
        let mut slices = 0;
        while !simulation.advance(7) {
            slices += 1;
            assert!(slices < 10_000, "{}: the run never ends", built_in.name);
        }
        let (sliced_trace, sliced_run) = simulation.finish();
        assert!(
            slices > 1 || run.packet_events < 50,
            "{}: it was not sliced",
            built_in.name
        );
        assert_eq!(
            fingerprint(&sliced_trace, &sliced_run),
            fingerprint(&trace, &run),
            "{}",
            built_in.name
        );
    }
}

#[test]
fn the_worst_case_stops_at_its_budget_and_keeps_what_came_before() {
    let scenario = crate::scenario::parse(&crate::workload::worst_case_text()).unwrap();
    let (trace, run) = simulate(&scenario);
    let stop = trace
        .stopped
        .expect("the worst case does not fit the budget");
    assert_eq!(run.stopped, Some(stop));
    assert!(stop.at_ms < scenario.duration_ms);
    // The limits hold, give or take the last instant's packets.
    assert!(run.packet_events < budget::PACKET_EVENTS + 1_000);
    assert!(run.packets.len() < budget::RETAINED_PACKETS + 1_000);
    let segments: usize = trace.flows.iter().map(|f| f.segments.len()).sum();
    assert!(segments <= budget::SEGMENTS, "{segments} segments");
    // Nothing after the stop; everything before it.
    assert!(run.packets.iter().all(|p| p.at_us < stop.at_ms * 1_000));
    assert!(run.packets.last().unwrap().at_us >= (stop.at_ms - 1) * 1_000);
    trace.assert_ends_at(stop.at_ms);
    // Flows opened before the stop were run and seen.
    assert!(trace.flows.iter().filter(|f| f.packets > Some(0)).count() > 900);
    let json = crate::report::json(&trace);
    assert!(json.len() < 40 << 20, "{} bytes of JSON", json.len());
    assert!(json.contains("\"stopped\": {\n    \"limit\": \"retained-packets\""));
}

/// The page finds the packets of a moment by binary search: they must be
/// recorded in time order, and the search must find what a scan finds.
#[test]
fn packets_are_recorded_in_time_order_and_found_by_time() {
    for (name, _, _, run) in runs() {
        assert!(
            run.packets.windows(2).all(|w| w[0].at_us <= w[1].at_us),
            "{name}"
        );
        let Some(last) = run.packets.last() else {
            continue;
        };
        for (from_us, to_us) in [
            (0, 0),
            (0, last.at_us),
            (last.at_us / 3, last.at_us / 2),
            (last.at_us / 2, last.at_us / 3),
            (last.at_us + 1, u64::MAX),
        ] {
            let scanned: Vec<&PacketRecord> = run
                .packets
                .iter()
                .filter(|p| from_us <= p.at_us && p.at_us <= to_us)
                .collect();
            let found: Vec<&PacketRecord> = run.packets_between(from_us, to_us).iter().collect();
            assert_eq!(found.len(), scanned.len(), "{name} {from_us}..={to_us}");
            assert!(
                found
                    .iter()
                    .zip(&scanned)
                    .all(|(a, b)| std::ptr::eq(*a, *b))
            );
        }
        let mid = last.at_us / 2;
        assert!(std::ptr::eq(
            run.last_at_or_before(mid).unwrap_or(last),
            run.packets
                .iter()
                .rev()
                .find(|p| p.at_us <= mid)
                .unwrap_or(last)
        ));
    }
}
