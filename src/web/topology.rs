//! The topology: the phone (its flows, the tunnel process, its interfaces),
//! the home router and LAN, the carrier, the internet, the VPN relay and the
//! servers, as one SVG. Each flow's current route is drawn, and the packets
//! of the last moments move along the links they crossed.
//!
//! Routes are told apart by colour *and* line pattern *and* label: tunnel is
//! a solid blue line marked T, direct a dashed orange line marked D, blocked
//! a dotted vermillion stub that ends in a cross at the phone.
//!
//! The same picture has two layouts ([`Geometry`]): wide, left to right, for
//! screens with room; tall, top to bottom, so the whole path fits a phone's
//! width with legible labels. Coordinates are whole SVG units.

use super::Shared;
use super::style::{RouteStyle, route_style};
use crate::addresses;
use crate::engine::{self, CapturePoint, Place, packet};
use crate::model::{Attack, Family, Interface, IpModes, Network, Route};
use crate::playground::{Action, Analysis, drawn_flows};
use crate::words;
use yew::prelude::*;

/// Which layout a drawing uses. Prerendered pages carry both and let the
/// stylesheet pick by the screen's width (no script needed); the live app
/// draws the one that fits (`hooks::use_layout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Tall,
    Both,
}

impl Layout {
    /// The CSS media query under which the tall layout is shown; the
    /// stylesheet uses the same width.
    pub const TALL_QUERY: &'static str = "screen and (max-width: 760px)";

    fn geometries(self) -> &'static [&'static Geometry] {
        match self {
            Layout::Wide => &[&WIDE],
            Layout::Tall => &[&TALL],
            Layout::Both => &[&WIDE, &TALL],
        }
    }
}

type Point = (i32, i32);

/// Where everything is drawn in one layout.
struct Geometry {
    /// `wide` or `tall`: the SVG's class, which the stylesheet keys on.
    name: &'static str,
    view: (i32, i32),
    /// The phone's outline: x, y, width, height.
    phone: (i32, i32, i32, i32),
    title: Point,
    /// Flow labels start at `label_x`; their lines at `start_x`.
    label_x: i32,
    start_x: i32,
    first_flow_y: i32,
    /// The height the flows share, and the most each gets.
    flows_height: i32,
    max_spacing: i32,
    /// How far a blocked flow's stub reaches.
    blocked_stub: i32,
    /// Everything from this height down moves up by the room a few flows
    /// leave unused (the tall layout, so a phone sees more at once).
    compact_below: Option<i32>,
    /// Where each place of the host table ([`Place`]) is drawn.
    places: &'static [(Place, Point)],
    /// Boxes: the place at their centre, width, title, subtitle.
    nodes: &'static [(Place, i32, &'static str, &'static str)],
    links: &'static [(Place, Place)],
    /// Interface labels inside the phone: beside which place (an offset
    /// from it), text.
    ports: &'static [(Place, Point, &'static str)],
}

/// Left to right: phone, access networks, internet and relay, servers.
const WIDE: Geometry = Geometry {
    name: "wide",
    view: (960, 540),
    phone: (16, 36, 250, 480),
    title: (30, 62),
    label_x: 30,
    start_x: 150,
    first_flow_y: 80,
    flows_height: 300,
    max_spacing: 34,
    blocked_stub: 100,
    compact_below: None,
    places: &[
        (Place::PhoneEn0, (266, 120)),
        (Place::PhonePdpIp0, (266, 250)),
        (Place::PhoneIpsec1, (266, 330)),
        (Place::PhoneBluetooth, (266, 470)),
        (Place::PhoneUtun0, (200, 380)),
        (Place::TunnelProcess, (200, 440)),
        (Place::HomeRouter, (400, 120)),
        (Place::Lan, (400, 40)),
        (Place::Carrier, (400, 250)),
        (Place::CarrierIms, (400, 330)),
        (Place::Watch, (400, 470)),
        (Place::Internet, (600, 185)),
        (Place::Relay, (600, 400)),
        (Place::Servers, (830, 185)),
    ],
    nodes: &[
        (Place::HomeRouter, 124, "home router", "NAT 198.51.100.7"),
        (Place::Lan, 124, "LAN devices", "printer · Mac · Watch"),
        (Place::Carrier, 124, "carrier", "CGNAT 198.51.100.200"),
        (Place::CarrierIms, 124, "carrier IMS", "VoLTE"),
        (Place::Watch, 124, "Apple Watch", "Bluetooth"),
        (Place::Internet, 124, "internet", ""),
        (Place::Relay, 124, "VPN relay", "exit 203.0.113.11"),
        (Place::Servers, 124, "servers", "Apple 17/8 · web · DNS"),
    ],
    links: &[
        (Place::PhoneEn0, Place::HomeRouter),
        (Place::HomeRouter, Place::Lan),
        (Place::HomeRouter, Place::Internet),
        (Place::PhonePdpIp0, Place::Carrier),
        (Place::Carrier, Place::Internet),
        (Place::PhoneIpsec1, Place::CarrierIms),
        (Place::PhoneBluetooth, Place::Watch),
        (Place::Internet, Place::Servers),
        (Place::Internet, Place::Relay),
    ],
    ports: &[
        (Place::PhoneEn0, (2, -16), "en0"),
        (Place::PhonePdpIp0, (2, -16), "pdp_ip0"),
        (Place::PhoneIpsec1, (2, -16), "ipsec1"),
        (Place::PhoneBluetooth, (2, -14), "bluetooth"),
        (Place::PhoneUtun0, (-40, -8), "utun0"),
        (Place::TunnelProcess, (-70, 22), "tunnel process"),
    ],
};

/// Top to bottom, for a phone's width: the phone with its interfaces along
/// its lower edge; under it the access networks; then the internet, the
/// relay (on the right, straight under the tunnel process) and the servers.
const TALL: Geometry = Geometry {
    name: "tall",
    view: (360, 484),
    phone: (6, 6, 348, 250),
    title: (18, 28),
    label_x: 16,
    start_x: 126,
    first_flow_y: 50,
    flows_height: 140,
    max_spacing: 22,
    blocked_stub: 44,
    compact_below: Some(196),
    places: &[
        (Place::PhoneEn0, (42, 256)),
        (Place::PhonePdpIp0, (126, 256)),
        (Place::PhoneIpsec1, (206, 256)),
        (Place::PhoneBluetooth, (270, 256)),
        (Place::PhoneUtun0, (262, 204)),
        (Place::TunnelProcess, (318, 224)),
        (Place::HomeRouter, (42, 312)),
        (Place::Lan, (42, 380)),
        (Place::Carrier, (126, 312)),
        (Place::CarrierIms, (206, 312)),
        (Place::Watch, (281, 312)),
        (Place::Internet, (160, 380)),
        (Place::Relay, (318, 380)),
        (Place::Servers, (180, 452)),
    ],
    nodes: &[
        (Place::HomeRouter, 78, "router", "NAT"),
        (Place::Lan, 80, "LAN", "printer · Mac"),
        (Place::Carrier, 80, "carrier", "CGNAT"),
        (Place::CarrierIms, 70, "IMS", "VoLTE"),
        (Place::Watch, 70, "Watch", "Bluetooth"),
        (Place::Internet, 84, "internet", ""),
        (Place::Relay, 80, "VPN relay", "exit"),
        (Place::Servers, 220, "servers", "Apple 17/8 · web · DNS"),
    ],
    links: &[
        (Place::PhoneEn0, Place::HomeRouter),
        (Place::HomeRouter, Place::Lan),
        (Place::HomeRouter, Place::Internet),
        (Place::PhonePdpIp0, Place::Carrier),
        (Place::Carrier, Place::Internet),
        (Place::PhoneIpsec1, Place::CarrierIms),
        (Place::PhoneBluetooth, Place::Watch),
        (Place::Internet, Place::Servers),
        (Place::Internet, Place::Relay),
        (Place::TunnelProcess, Place::Relay),
    ],
    ports: &[
        (Place::PhoneEn0, (-12, -8), "en0"),
        (Place::PhonePdpIp0, (-22, -8), "pdp_ip0"),
        (Place::PhoneIpsec1, (-20, -8), "ipsec1"),
        (Place::PhoneBluetooth, (-16, -8), "bt"),
        (Place::PhoneUtun0, (-26, -8), "utun0"),
        (Place::TunnelProcess, (-26, 20), "tunnel"),
    ],
};

impl Geometry {
    /// Where a place is drawn (every place has a point in both layouts; a
    /// test checks).
    fn at(&self, place: Place) -> Point {
        self.places
            .iter()
            .find(|(p, _)| *p == place)
            .map_or((0, 0), |(_, point)| *point)
    }

    /// The path a flow's traffic takes now, as points: from its label, out
    /// through the places the host table gives its interface and uplink, to
    /// the place of what it reaches. Through the tunnel that is the way
    /// its packets really go: over `carrier` (the network the phone is on)
    /// to the relay, then on.
    fn route_points(
        &self,
        (route, interface): (Route, Interface),
        to: Destination,
        carrier: Option<Interface>,
        flow_y: i32,
    ) -> Vec<Point> {
        let start = (self.start_x, flow_y);
        if route == Route::Blocked {
            return vec![start, (self.start_x + self.blocked_stub, flow_y)];
        }
        let places = match route {
            Route::Tunnel => tunnel_places(carrier, to),
            Route::Direct => route_places(interface, to),
            Route::Blocked | Route::Offline => Vec::new(),
        };
        std::iter::once(start)
            .chain(places.into_iter().map(|p| self.at(p)))
            .collect()
    }

    /// The link a capture point stands for, outward (phone side first).
    fn link(&self, point: CapturePoint) -> (Point, Point) {
        let (near, far) = engine::capture_link(point);
        (self.at(near), self.at(far))
    }

    /// How far the lower part moves up for `flows` flows.
    fn shift(&self, flows: usize) -> i32 {
        let spacing = (self.flows_height / flows.max(1) as i32).min(self.max_spacing);
        self.compact_below.map_or(0, |_| {
            (self.flows_height - spacing * flows.max(1) as i32).max(0)
        })
    }

    /// A point after the move.
    fn placed(&self, (x, y): Point, shift: i32) -> Point {
        match self.compact_below {
            Some(below) if y >= below => (x, y - shift),
            _ => (x, y),
        }
    }

    fn flow_y(&self, index: usize, flows: usize) -> i32 {
        let spacing = (self.flows_height / flows.max(1) as i32).min(self.max_spacing);
        self.first_flow_y + spacing * index as i32
    }
}

/// What a flow's traffic is for: the servers on the internet, a device on
/// the home network, or the VPN's relay (the tunnel's own transport).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Destination {
    Servers,
    Lan,
    Relay,
}

impl Destination {
    fn of(kind: crate::model::FlowKind) -> Destination {
        if kind == crate::model::FlowKind::VpnTransport {
            Destination::Relay
        } else if addresses::is_local(addresses::destination(kind)) {
            Destination::Lan
        } else {
            Destination::Servers
        }
    }
}

/// The places a flow leaving by `interface` passes: out to the internet and
/// the servers (or the relay, for the tunnel's transport); to a LAN
/// address, from the router to the LAN.
fn route_places(interface: Interface, to: Destination) -> Vec<Place> {
    let mut places = engine::path_out(interface);
    if places.last() == Some(&Place::Internet) {
        match to {
            Destination::Lan => {
                places.pop();
                if places.last() == Some(&Place::HomeRouter) {
                    places.push(Place::Lan);
                }
            }
            Destination::Relay => places.push(Place::Relay),
            Destination::Servers => places.push(Place::Servers),
        }
    }
    places
}

/// The places a flow through the tunnel passes: out over the network the
/// phone is on to the relay, then from the relay's exit to the servers (a
/// LAN address ends at the relay, which cannot reach the phone's home
/// network: `flow.tunnel-cannot-reach-lan`).
fn tunnel_places(carrier: Option<Interface>, to: Destination) -> Vec<Place> {
    let mut places = engine::tunnel_path_out(carrier);
    if places.last() == Some(&Place::Relay) && to == Destination::Servers {
        places.push(Place::Servers);
    }
    places
}

fn polyline(points: &[Point]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn node(
    g: &Geometry,
    (place, width, title, subtitle): &(Place, i32, &'static str, &'static str),
    attack: Option<Attack>,
    ip: IpModes,
) -> Html {
    let (x, y) = g.at(*place);
    // A network with IPv6 says so on its gateway (NAT64 when IPv6-only).
    let network = match place {
        Place::HomeRouter => Some(Network::Wifi),
        Place::Carrier => Some(Network::Cellular),
        _ => None,
    };
    let subtitle = network
        .and_then(|n| words::gateway(n, ip.of(n), g.name == TALL.name))
        .unwrap_or(subtitle);
    // On an attacker's Wi-Fi the router is the attacker's.
    let (title, subtitle, class) = match attack {
        Some(attack) if *place == Place::HomeRouter => (
            if g.name == TALL.name {
                "attacker"
            } else {
                "attacker's Wi-Fi"
            },
            words::attack_name(attack),
            "node hostile",
        ),
        _ => (*title, subtitle, "node"),
    };
    html! {
        <g {class}>
            <rect x={(x - width / 2).to_string()} y={(y - 22).to_string()} width={width.to_string()} height="44" rx="8" />
            <text x={x.to_string()} y={(y - 3).to_string()} text-anchor="middle" class="node-title">{ title }</text>
            <text x={x.to_string()} y={(y + 13).to_string()} text-anchor="middle" class="node-sub">{ subtitle }</text>
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub analysis: Shared<Analysis>,
    /// Simulated time shown, ms.
    pub now: u64,
    /// Simulated ms per real second: how long a packet stays visible.
    pub speed: u32,
    pub selected: Option<AttrValue>,
    pub label: AttrValue,
    pub layout: Layout,
    /// The flows that go another way in the compared run at this moment
    /// (marked ≠), and what the legend says the mark means.
    #[prop_or_default]
    pub changed: Option<(Vec<AttrValue>, AttrValue)>,
    pub dispatch: Callback<Action>,
}

/// The picture of one run at one moment, in one or both layouts.
#[component]
pub fn Topology(props: &Props) -> Html {
    let drawn = drawn_flows(&props.analysis.trace.flows, props.selected.as_deref());
    let flows = drawn.len();
    let geometries = props.layout.geometries().iter().map(|geometry| {
        let shift = geometry.shift(flows);
        html! {
            <svg key={geometry.name} class={geometry.name}
                viewBox={format!("0 0 {} {}", geometry.view.0, geometry.view.1 - shift)}
                role="group" aria-label="Network topology with each flow's route">
                <Background geometry={geometry.name} {shift} ios={props.analysis.trace.scenario.ios.to_string()} attack={props.analysis.trace.scenario.attack} ip={props.analysis.scenario.ip} />
                <FlowRoutes geometry={geometry.name} analysis={props.analysis.clone()}
                    routes={routes_at(&props.analysis, &drawn, props.now)} carrier={carrier_at(&props.analysis, props.now)}
                    drawn={drawn.clone()} selected={props.selected.clone()} changed={props.changed.clone()}
                    dispatch={props.dispatch.clone()} />
                <Packets geometry={geometry.name} analysis={props.analysis.clone()} now={props.now} speed={props.speed} {flows} />
            </svg>
        }
    });
    let has_ipv6 = props.analysis.scenario.ip.has_ipv6();
    let hint = (props.layout != Layout::Wide).then(|| {
        html! { <span class="tall-hint">{ " · read from the phone at the top down to the servers" }</span> }
    });
    html! {
        <figure class="topology">
            <figcaption>{ props.label.clone() }{ for hint }</figcaption>
            <div class="canvas">{ for geometries }</div>
            <p class="legend">
                <span class="key tunnel">{ "━ T tunnel" }</span>
                <span class="key direct">{ "╍ D direct" }</span>
                <span class="key blocked">{ "┈ ✕ blocked at the phone" }</span>
                <span class="key">{ "● packet in the tunnel  ■ packet outside it" }</span>
                if has_ipv6 {
                    <span class="key">{ "○ □ hollow: an IPv6 packet" }</span>
                }
                if let Some((_, legend)) = &props.changed {
                    <span class="key">{ legend.clone() }</span>
                }
            </p>
        </figure>
    }
}

fn geometry(name: &str) -> &'static Geometry {
    if name == TALL.name { &TALL } else { &WIDE }
}

/// The interface the tunnel's packets ride at `now`: the network the phone
/// is on.
fn carrier_at(analysis: &Analysis, now: u64) -> Option<Interface> {
    let state = analysis
        .trace
        .states
        .iter()
        .find(|s| s.from_ms <= now && now < s.to_ms)?;
    state.network.map(|network| match network {
        Network::Wifi => Interface::En0,
        Network::Cellular => Interface::PdpIp0,
    })
}

/// Each drawn flow's route and interface now: what the route lines depend
/// on (they re-render when this changes, not on every tick).
fn routes_at(analysis: &Analysis, drawn: &[usize], now: u64) -> Vec<Option<(Route, Interface)>> {
    drawn
        .iter()
        .map(|i| {
            analysis.trace.flows[*i]
                .segment_at(now)
                .map(|s| (s.route, s.interface))
        })
        .collect()
}

#[derive(Properties, PartialEq)]
struct BackgroundProps {
    geometry: &'static str,
    /// How far the part below the flows moves up ([`Geometry::shift`]).
    shift: i32,
    ios: AttrValue,
    attack: Option<Attack>,
    ip: IpModes,
}

/// What does not move: links, boxes, the phone and its interfaces.
#[component]
fn Background(props: &BackgroundProps) -> Html {
    let g = geometry(props.geometry);
    let (px, py, pw, ph) = g.phone;
    let ph = ph - props.shift;
    html! {
        <>
            <g transform={format!("translate(0,{})", -props.shift)}>
            <g class="links">
                { for g.links.iter().map(|(from, to)| {
                    let ((x1, y1), (x2, y2)) = (g.at(*from), g.at(*to));
                    html! { <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> }
                }) }
            </g>
            </g>
            <g class="phone">
                <rect x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} rx="26" />
                <text x={g.title.0.to_string()} y={g.title.1.to_string()} class="node-title">{ format!("iPhone · iOS {}", props.ios) }</text>
                <g transform={format!("translate(0,{})", -props.shift)}>
                { for g.ports.iter().map(|(place, (dx, dy), label)| {
                    let (x, y) = g.at(*place);
                    html! { <text x={(x + dx).to_string()} y={(y + dy).to_string()} class="port">{ *label }</text> }
                }) }
                </g>
            </g>
            <g transform={format!("translate(0,{})", -props.shift)}>{ for g.nodes.iter().map(|n| node(g, n, props.attack, props.ip)) }</g>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FlowRoutesProps {
    geometry: &'static str,
    analysis: Shared<Analysis>,
    routes: Vec<Option<(Route, Interface)>>,
    /// The interface the tunnel rides now (Wi-Fi or cellular), if any.
    carrier: Option<Interface>,
    changed: Option<(Vec<AttrValue>, AttrValue)>,
    /// The flows drawn, by index ([`drawn_flows`]).
    drawn: Vec<usize>,
    selected: Option<AttrValue>,
    dispatch: Callback<Action>,
}

/// Each drawn flow's label and the line of its current route.
#[component]
fn FlowRoutes(props: &FlowRoutesProps) -> Html {
    let g = geometry(props.geometry);
    let flows = &props.analysis.trace.flows;
    let count = props.drawn.len();
    let shift = g.shift(count);
    // The relay cannot reach the home network: said once, by the first flow
    // through the tunnel towards it (the note would sit on itself).
    let lan_note = props
        .drawn
        .iter()
        .zip(&props.routes)
        .position(|(index, now)| {
            matches!(now, Some((Route::Tunnel, _)))
                && Destination::of(flows[*index].kind) == Destination::Lan
        });
    let lines = props.drawn.iter().zip(&props.routes).enumerate().map(|(i, (index, now))| {
        let flow = &flows[*index];
        let y = g.flow_y(i, count);
        let selected = props.selected.as_deref() == Some(flow.name.as_str());
        let onclick = {
            let name = flow.name.clone();
            props.dispatch.reform(move |_| Action::Select(Some(name.clone())))
        };
        // A focused flow opens its explanation with Enter or Space, as a
        // button does (an SVG group gets no click from the keyboard).
        let onkeydown = {
            let (name, dispatch) = (flow.name.clone(), props.dispatch.clone());
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    e.stop_propagation();
                    dispatch.emit(Action::Select(Some(name.clone())));
                }
            })
        };
        // A flow that goes another way in the compared run says so: ≠.
        let differs = props
            .changed
            .as_ref()
            .is_some_and(|(names, _)| names.iter().any(|n| n.as_str() == flow.name));
        let label_text = match (now, differs) {
            (Some((route, _)), false) => format!("{} · {}", flow.name, route_style(*route).mark),
            (Some((route, _)), true) => format!("{} · {} ≠", flow.name, route_style(*route).mark),
            (None, _) => format!("{} (closed)", flow.name),
        };
        let path = now.as_ref().map(|(route, interface)| {
            let to = Destination::of(flow.kind);
            // The line's style (solid, dashed, dotted) and the label's mark
            // say the route besides its colour; a mark on the line itself
            // would sit on the others' where routes share a leg.
            let RouteStyle { colour, dash, .. } = route_style(*route);
            let points: Vec<Point> = g
                .route_points((*route, *interface), to, props.carrier, y)
                .into_iter()
                .map(|p| g.placed(p, shift))
                .collect();
            let (end_x, end_y) = *points.last().unwrap_or(&(g.start_x, y));
            html! {
                <g class={classes!("route", selected.then_some("selected"))}>
                    <polyline data-route={route.as_str()} points={polyline(&points)} fill="none" stroke={colour}
                        stroke-width={if selected { "4" } else { "2" }} stroke-dasharray={dash} />
                    if *route == Route::Tunnel && to == Destination::Lan && lan_note == Some(i) {
                        <text x={(end_x + 40).min(g.view.0 - 4).to_string()} y={(end_y + 40).to_string()} text-anchor="end" class="blocked-mark" fill={route_style(Route::Blocked).colour}>{ "✕ LAN unreachable from the relay" }</text>
                    } else if *route == Route::Blocked {
                        <text x={(end_x + 4).to_string()} y={(end_y + 5).to_string()} class="blocked-mark" fill={route_style(Route::Blocked).colour}>{ "✕ blocked" }</text>
                    }
                </g>
            }
        });
        html! {
            <g key={flow.name.clone()} class="flow" {onclick} {onkeydown} role="button" tabindex="0"
                aria-label={format!("{label_text}: why {} goes where it goes", flow.name)}>
                { for path }
                <text x={g.label_x.to_string()} y={(y + 4).to_string()} class={classes!("flow-label", selected.then_some("selected"))}>{ label_text }</text>
            </g>
        }
    });
    html! { <g class="flows">{ for lines }</g> }
}

#[derive(Properties, PartialEq)]
struct PacketsProps {
    geometry: &'static str,
    analysis: Shared<Analysis>,
    now: u64,
    speed: u32,
    /// How many flows are drawn (the drawing's height follows it).
    flows: usize,
}

/// Packets seen in the last moments, moving along their link.
#[component]
fn Packets(props: &PacketsProps) -> Html {
    let g = geometry(props.geometry);
    let analysis = &props.analysis;
    let now = props.now;
    let window_ms = u64::from(props.speed / 5).clamp(40, 2_000);
    let from_us = now.saturating_sub(window_ms) * 1_000;
    let to_us = now * 1_000 + 999;
    let flows = &analysis.trace.flows;
    let shift = g.shift(props.flows);
    let dots = analysis
        .run
        .packets_between(from_us, to_us)
        .iter()
        .take(200)
        .map(|p| {
            let (phone_side, far_side) = g.link(p.point);
            let (phone_side, far_side) = (g.placed(phone_side, shift), g.placed(far_side, shift));
            // Away from the phone: sent by it, or by the relay's exit.
            let outward = packet::outbound(&p.bytes);
            let (a, b) = if outward { (phone_side, far_side) } else { (far_side, phone_side) };
            // IPv6 packets are drawn hollow.
            let v6 = packet::family(&p.bytes) == Some(Family::V6);
            if p.dropped {
                // Dropped packets stop where they were dropped.
                return html! {
                    <text x={(a.0 - 6).to_string()} y={(a.1 + 5).to_string()} class="packet dropped" fill={route_style(Route::Blocked).colour}>{ "✕" }</text>
                };
            }
            // How far along its link, in thousandths.
            let progress = ((now * 1_000).saturating_sub(p.at_us) * 1_000 / (window_ms * 1_000)).min(1_000) as i32;
            let x = a.0 + (b.0 - a.0) * progress / 1_000;
            let y = a.1 + (b.1 - a.1) * progress / 1_000;
            let route = p
                .flow
                .and_then(|f| flows.get(f))
                .and_then(|f| f.segment_at(now))
                .map(|s| s.route);
            match route {
                Some(Route::Tunnel) | None if matches!(p.point, CapturePoint::Utun0 | CapturePoint::RelayInternet | CapturePoint::TunnelProcess) => {
                    let colour = route_style(Route::Tunnel).colour;
                    html! {
                        <circle cx={x.to_string()} cy={y.to_string()} r="5" class={classes!("packet", "tunnel", v6.then_some("v6"))} fill={if v6 { "#fff" } else { colour }} stroke={colour} stroke-width="2" />
                    }
                }
                _ => {
                    let colour = route_style(Route::Direct).colour;
                    html! {
                        <rect x={(x - 4).to_string()} y={(y - 4).to_string()} width="9" height="9" class={classes!("packet", "direct", v6.then_some("v6"))} fill={if v6 { "#fff" } else { colour }} stroke={colour} stroke-width="2" />
                    }
                }
            }
        });
    html! { <g class="packets">{ for dots }</g> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_place_of_the_host_table_is_drawn_once_in_each_layout() {
        for g in [&WIDE, &TALL] {
            for place in Place::ALL {
                let count = g.places.iter().filter(|(p, _)| *p == place).count();
                assert_eq!(count, 1, "{}: {place:?}", g.name);
            }
        }
    }

    #[test]
    fn every_box_link_and_place_is_inside_the_view() {
        for g in [&WIDE, &TALL] {
            let (width, height) = g.view;
            for (place, w, title, _) in g.nodes {
                let (x, y) = g.at(*place);
                assert!(
                    x - w / 2 >= 0 && x + w / 2 <= width,
                    "{}: {title} leaves the view",
                    g.name
                );
                assert!(
                    y - 22 >= 0 && y + 22 <= height,
                    "{}: {title} leaves the view",
                    g.name
                );
            }
            for (_, (x, y)) in g.places {
                assert!(
                    (0..=width).contains(x) && (0..=height).contains(y),
                    "{}",
                    g.name
                );
            }
            let (px, py, pw, ph) = g.phone;
            assert!(px >= 0 && py >= 0 && px + pw <= width && py + ph <= height);
        }
    }

    #[test]
    fn routes_follow_the_host_table() {
        assert_eq!(
            route_places(Interface::En0, Destination::Lan),
            [Place::PhoneEn0, Place::HomeRouter, Place::Lan]
        );
        assert_eq!(
            route_places(Interface::PdpIp0, Destination::Servers),
            [
                Place::PhonePdpIp0,
                Place::Carrier,
                Place::Internet,
                Place::Servers
            ]
        );
        // The tunnel rides the network the phone is on, to the relay, then
        // on to the servers; towards the LAN it ends at the relay.
        assert_eq!(
            tunnel_places(Some(Interface::En0), Destination::Servers),
            [
                Place::PhoneUtun0,
                Place::TunnelProcess,
                Place::PhoneEn0,
                Place::HomeRouter,
                Place::Internet,
                Place::Relay,
                Place::Servers
            ]
        );
        assert_eq!(
            tunnel_places(Some(Interface::PdpIp0), Destination::Lan),
            [
                Place::PhoneUtun0,
                Place::TunnelProcess,
                Place::PhonePdpIp0,
                Place::Carrier,
                Place::Internet,
                Place::Relay
            ]
        );
        // No network under it: the tunnel goes nowhere.
        assert_eq!(
            tunnel_places(None, Destination::Servers),
            [Place::PhoneUtun0, Place::TunnelProcess]
        );
        // The tunnel's own transport ends at the relay.
        assert_eq!(
            route_places(Interface::En0, Destination::Relay),
            [
                Place::PhoneEn0,
                Place::HomeRouter,
                Place::Internet,
                Place::Relay
            ]
        );
        assert_eq!(
            route_places(Interface::Ipsec1, Destination::Servers),
            [Place::PhoneIpsec1, Place::CarrierIms]
        );
        // Every capture point's link joins two drawn places.
        for point in CapturePoint::ALL {
            let (a, b) = WIDE.link(point);
            assert_ne!(a, b, "{}", point.as_str());
        }
    }

    #[test]
    fn the_tall_layout_fits_a_phone() {
        // 390 CSS px, less the page's margins: a unit is at least a pixel,
        // so 11-unit labels are at least 11 px.
        assert!(TALL.view.0 <= 370);
        // However many flows, the last is above the tunnel's interfaces
        // once the lower part has moved up to it.
        for flows in 1..=12 {
            let shift = TALL.shift(flows);
            let utun = TALL.placed(TALL.at(Place::PhoneUtun0), shift);
            assert!(
                TALL.flow_y(flows - 1, flows) + 8 < utun.1 - 8,
                "{flows} flows"
            );
            assert!((0..TALL.flows_height).contains(&shift));
        }
        assert!(TALL.shift(3) > 60, "three flows leave room to spare");
        assert_eq!(WIDE.shift(3), 0, "the wide layout keeps its shape");
    }
}
