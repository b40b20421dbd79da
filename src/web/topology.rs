//! The topology: the phone (its flows, the tunnel process, its interfaces),
//! the home router and LAN, the carrier, the internet, the VPN relay and the
//! servers, as one SVG. Each flow's current route is drawn, and the packets
//! of the last moments move along the links they crossed.
//!
//! Routes are told apart by colour *and* line pattern *and* label: tunnel is
//! a solid blue line marked T, direct a dashed orange line marked D, blocked
//! a dotted vermillion stub that ends in a cross at the phone.

use super::Shared;
use crate::addresses;
use crate::engine::{CapturePoint, packet};
use crate::model::{Interface, Route};
use crate::playground::{Action, Analysis, Playground};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub state: Shared<Playground>,
    pub analysis: Shared<Analysis>,
    pub label: AttrValue,
    pub dispatch: Callback<Action>,
}

/// Where things are drawn (viewBox 0 0 960 540).
mod at {
    pub const PHONE: (f64, f64, f64, f64) = (16.0, 36.0, 250.0, 480.0);
    pub const EN0: (f64, f64) = (266.0, 120.0);
    pub const PDP: (f64, f64) = (266.0, 250.0);
    pub const UTUN: (f64, f64) = (200.0, 380.0);
    pub const TUNNEL_PROCESS: (f64, f64) = (200.0, 440.0);
    pub const IPSEC: (f64, f64) = (266.0, 330.0);
    pub const BLUETOOTH: (f64, f64) = (266.0, 470.0);
    pub const ROUTER: (f64, f64) = (400.0, 120.0);
    pub const LAN: (f64, f64) = (400.0, 40.0);
    pub const CARRIER: (f64, f64) = (400.0, 250.0);
    pub const IMS: (f64, f64) = (400.0, 330.0);
    pub const WATCH: (f64, f64) = (400.0, 470.0);
    pub const INTERNET: (f64, f64) = (600.0, 185.0);
    pub const RELAY: (f64, f64) = (600.0, 400.0);
    pub const SERVERS: (f64, f64) = (830.0, 185.0);
}

const TUNNEL_COLOUR: &str = "#0072B2";
const DIRECT_COLOUR: &str = "#E69F00";
const BLOCKED_COLOUR: &str = "#D55E00";

fn route_style(route: Route) -> (&'static str, &'static str, &'static str) {
    match route {
        Route::Tunnel => (TUNNEL_COLOUR, "none", "T"),
        Route::Direct => (DIRECT_COLOUR, "9 5", "D"),
        Route::Blocked => (BLOCKED_COLOUR, "2 4", "X"),
        Route::Offline => ("#888888", "1 6", "–"),
    }
}

/// The path a flow's traffic takes now, as points.
fn route_points(
    route: Route,
    interface: Interface,
    destination_local: bool,
    flow_y: f64,
) -> Vec<(f64, f64)> {
    let start = (150.0, flow_y);
    match (route, interface) {
        // A LAN address inside the tunnel ends at the relay: it cannot reach
        // the phone's home network (the `flow.tunnel-cannot-reach-lan` rule).
        (Route::Tunnel, _) if destination_local => {
            vec![start, at::UTUN, at::TUNNEL_PROCESS, at::RELAY]
        }
        (Route::Tunnel, _) => vec![
            start,
            at::UTUN,
            at::TUNNEL_PROCESS,
            at::RELAY,
            at::INTERNET,
            at::SERVERS,
        ],
        (Route::Direct, Interface::En0) if destination_local => {
            vec![start, at::EN0, at::ROUTER, at::LAN]
        }
        (Route::Direct, Interface::En0) => {
            vec![start, at::EN0, at::ROUTER, at::INTERNET, at::SERVERS]
        }
        (Route::Direct, Interface::PdpIp0) => {
            vec![start, at::PDP, at::CARRIER, at::INTERNET, at::SERVERS]
        }
        (Route::Direct, Interface::Ipsec1) => vec![start, at::IPSEC, at::IMS],
        (Route::Direct, Interface::Bluetooth) => vec![start, at::BLUETOOTH, at::WATCH],
        (Route::Blocked, _) => vec![start, (250.0, flow_y)],
        _ => vec![start],
    }
}

fn polyline(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x:.0},{y:.0}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The link a capture point stands for, outward (phone side first).
fn link(point: CapturePoint) -> ((f64, f64), (f64, f64)) {
    match point {
        CapturePoint::En0 => (at::EN0, at::ROUTER),
        CapturePoint::PdpIp0 => (at::PDP, at::CARRIER),
        CapturePoint::Utun0 => ((150.0, 380.0), at::UTUN),
        CapturePoint::Ipsec1 => (at::IPSEC, at::IMS),
        CapturePoint::Bluetooth => (at::BLUETOOTH, at::WATCH),
        CapturePoint::RelayInternet => (at::RELAY, at::INTERNET),
        CapturePoint::TunnelProcess => ((150.0, 440.0), at::TUNNEL_PROCESS),
    }
}

fn node(x: f64, y: f64, title: &str, subtitle: &str) -> Html {
    html! {
        <g class="node">
            <rect x={format!("{}", x - 62.0)} y={format!("{}", y - 22.0)} width="124" height="44" rx="8" />
            <text x={format!("{x}")} y={format!("{}", y - 3.0)} text-anchor="middle" class="node-title">{ title.to_string() }</text>
            <text x={format!("{x}")} y={format!("{}", y + 13.0)} text-anchor="middle" class="node-sub">{ subtitle.to_string() }</text>
        </g>
    }
}

#[component]
pub fn Topology(props: &Props) -> Html {
    let analysis = &props.analysis;
    let now = props.state.time_ms;
    let flows = &analysis.trace.flows;
    let spacing = (300.0 / flows.len().max(1) as f64).min(34.0);

    let lines = flows.iter().enumerate().map(|(i, flow)| {
        let y = 80.0 + spacing * i as f64;
        let segment = flow.segment_at(now);
        let selected = props.state.selected.as_deref() == Some(flow.name.as_str());
        let onclick = {
            let name = flow.name.clone();
            props.dispatch.reform(move |_| Action::Select(Some(name.clone())))
        };
        let label_text = match segment {
            Some(s) => format!("{} · {}", flow.name, route_style(s.route).2),
            None => format!("{} (closed)", flow.name),
        };
        let path = segment.map(|s| {
            let local = addresses::is_local(addresses::destination(flow.kind));
            let (colour, dash, mark) = route_style(s.route);
            let points = route_points(s.route, s.interface, local, y);
            let end = *points.last().unwrap_or(&(150.0, y));
            html! {
                <g class={classes!("route", selected.then_some("selected"))}>
                    <polyline points={polyline(&points)} fill="none" stroke={colour}
                        stroke-width={if selected { "4" } else { "2" }} stroke-dasharray={dash} />
                    if s.route == Route::Tunnel && local {
                        <text x={format!("{}", end.0 - 40.0)} y={format!("{}", end.1 + 40.0)} class="blocked-mark" fill={BLOCKED_COLOUR}>{ "✕ LAN unreachable from the relay" }</text>
                    } else if s.route == Route::Blocked {
                        <text x={format!("{}", end.0 + 4.0)} y={format!("{}", end.1 + 5.0)} class="blocked-mark" fill={BLOCKED_COLOUR}>{ "✕ blocked" }</text>
                    } else {
                        <text x={format!("{}", end.0 - 14.0)} y={format!("{}", end.1 - 6.0)} class="route-mark" fill={colour}>{ mark }</text>
                    }
                </g>
            }
        });
        html! {
            <g class="flow" {onclick} role="button" tabindex="0" aria-label={format!("flow {}", flow.name)}>
                { for path }
                <text x="30" y={format!("{}", y + 4.0)} class={classes!("flow-label", selected.then_some("selected"))}>{ label_text }</text>
            </g>
        }
    });

    // Packets seen in the last moments move along their link.
    let window_ms = (props.state.speed / 5).clamp(40, 2_000) as u64;
    let from_us = now.saturating_sub(window_ms) * 1_000;
    let to_us = now * 1_000 + 999;
    let dots = analysis
        .run
        .packets
        .iter()
        .filter(|p| p.at_us >= from_us && p.at_us <= to_us)
        .take(200)
        .map(|p| {
            let (phone_side, far_side) = link(p.point);
            // Away from the phone: sent by it, or by the relay's exit.
            let outward = packet::ends(&p.bytes).is_some_and(|e| {
                addresses::PHONE_ADDRESSES.contains(&e.src) || e.src == addresses::RELAY_EXIT
            });
            let (a, b) = if outward { (phone_side, far_side) } else { (far_side, phone_side) };
            let progress = ((now * 1_000).saturating_sub(p.at_us)) as f64 / (window_ms * 1_000) as f64;
            let progress = progress.clamp(0.0, 1.0);
            let route = p
                .flow
                .and_then(|f| flows.get(f))
                .and_then(|f| f.segment_at(now))
                .map(|s| s.route);
            if p.dropped {
                // Dropped packets stop where they were dropped.
                return html! {
                    <text x={format!("{:.0}", a.0 - 6.0)} y={format!("{:.0}", a.1 + 5.0)} class="packet dropped" fill={BLOCKED_COLOUR}>{ "✕" }</text>
                };
            }
            let x = a.0 + (b.0 - a.0) * progress;
            let y = a.1 + (b.1 - a.1) * progress;
            match route {
                Some(Route::Tunnel) | None if matches!(p.point, CapturePoint::Utun0 | CapturePoint::RelayInternet | CapturePoint::TunnelProcess) => html! {
                    <circle cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="5" class="packet tunnel" fill={TUNNEL_COLOUR} />
                },
                _ => html! {
                    <rect x={format!("{:.1}", x - 4.5)} y={format!("{:.1}", y - 4.5)} width="9" height="9" class="packet direct" fill={DIRECT_COLOUR} />
                },
            }
        });

    html! {
        <figure class="topology">
            <figcaption>{ props.label.clone() }<span class="pan-hint">{ " · swipe sideways for the relay and the servers →" }</span></figcaption>
            <div class="canvas">
            <svg viewBox="0 0 960 540" role="img" aria-label="Network topology with each flow's route">
                <g class="links">
                    <line x1="266" y1="120" x2="400" y2="120" />
                    <line x1="400" y1="120" x2="400" y2="40" />
                    <line x1="400" y1="120" x2="600" y2="185" />
                    <line x1="266" y1="250" x2="400" y2="250" />
                    <line x1="400" y1="250" x2="600" y2="185" />
                    <line x1="266" y1="330" x2="400" y2="330" />
                    <line x1="266" y1="470" x2="400" y2="470" />
                    <line x1="600" y1="185" x2="830" y2="185" />
                    <line x1="600" y1="185" x2="600" y2="400" />
                </g>
                <g class="phone">
                    <rect x={format!("{}", at::PHONE.0)} y={format!("{}", at::PHONE.1)} width={format!("{}", at::PHONE.2)} height={format!("{}", at::PHONE.3)} rx="26" />
                    <text x="30" y="62" class="node-title">{ format!("iPhone · iOS {}", analysis.trace.scenario.ios) }</text>
                    <text x="268" y="104" class="port">{ "en0" }</text>
                    <text x="268" y="234" class="port">{ "pdp_ip0" }</text>
                    <text x="268" y="314" class="port">{ "ipsec1" }</text>
                    <text x="268" y="456" class="port">{ "bluetooth" }</text>
                    <text x="160" y="372" class="port">{ "utun0" }</text>
                    <text x="130" y="462" class="port">{ "tunnel process" }</text>
                </g>
                { node(at::ROUTER.0, at::ROUTER.1, "home router", "NAT 198.51.100.7") }
                { node(at::LAN.0, at::LAN.1, "LAN devices", "printer · Mac · Watch") }
                { node(at::CARRIER.0, at::CARRIER.1, "carrier", "CGNAT 198.51.100.200") }
                { node(at::IMS.0, at::IMS.1, "carrier IMS", "VoLTE") }
                { node(at::WATCH.0, at::WATCH.1, "Apple Watch", "Bluetooth") }
                { node(at::INTERNET.0, at::INTERNET.1, "internet", "") }
                { node(at::RELAY.0, at::RELAY.1, "VPN relay", "exit 203.0.113.11") }
                { node(at::SERVERS.0, at::SERVERS.1, "servers", "Apple 17/8 · web · DNS") }
                <g class="flows">{ for lines }</g>
                <g class="packets">{ for dots }</g>
            </svg>
            </div>
            <p class="legend">
                <span class="key tunnel">{ "━ T tunnel" }</span>
                <span class="key direct">{ "╍ D direct" }</span>
                <span class="key blocked">{ "┈ ✕ blocked at the phone" }</span>
                <span class="key">{ "● packet in the tunnel  ■ packet outside it" }</span>
            </p>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
pub struct DrawingsProps {
    pub state: Shared<Playground>,
    pub dispatch: Callback<Action>,
}

/// The scenario's drawing, and beside it the comparison's when comparing.
#[component]
pub fn Drawings(props: &DrawingsProps) -> Html {
    let state = &props.state;
    let compared = state.compare.as_ref().map(|(key, other)| {
        html! {
            <Topology state={state.clone()} analysis={Shared(other.clone())} label={format!("{key} flipped")} dispatch={props.dispatch.clone()} />
        }
    });
    html! {
        <div class={classes!("views", state.compare.is_some().then_some("ab"))}>
            <Topology state={state.clone()} analysis={Shared(state.analysis.clone())} label="as configured" dispatch={props.dispatch.clone()} />
            { for compared }
        </div>
    }
}
