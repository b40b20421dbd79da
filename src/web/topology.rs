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
use crate::engine::{CapturePoint, packet};
use crate::model::{Interface, Route};
use crate::playground::{Action, Analysis};
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
    en0: Point,
    pdp: Point,
    ipsec: Point,
    bluetooth: Point,
    /// utun0 and the tunnel process: every tunnelled route passes both.
    utun: Point,
    process: Point,
    router: Point,
    lan: Point,
    carrier: Point,
    ims: Point,
    watch: Point,
    internet: Point,
    relay: Point,
    servers: Point,
    /// Boxes: centre, width, title, subtitle.
    nodes: &'static [(Point, i32, &'static str, &'static str)],
    links: &'static [(Point, Point)],
    /// Interface labels inside the phone: where, text.
    ports: &'static [(Point, &'static str)],
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
    en0: (266, 120),
    pdp: (266, 250),
    ipsec: (266, 330),
    bluetooth: (266, 470),
    utun: (200, 380),
    process: (200, 440),
    router: (400, 120),
    lan: (400, 40),
    carrier: (400, 250),
    ims: (400, 330),
    watch: (400, 470),
    internet: (600, 185),
    relay: (600, 400),
    servers: (830, 185),
    nodes: &[
        ((400, 120), 124, "home router", "NAT 198.51.100.7"),
        ((400, 40), 124, "LAN devices", "printer · Mac · Watch"),
        ((400, 250), 124, "carrier", "CGNAT 198.51.100.200"),
        ((400, 330), 124, "carrier IMS", "VoLTE"),
        ((400, 470), 124, "Apple Watch", "Bluetooth"),
        ((600, 185), 124, "internet", ""),
        ((600, 400), 124, "VPN relay", "exit 203.0.113.11"),
        ((830, 185), 124, "servers", "Apple 17/8 · web · DNS"),
    ],
    links: &[
        ((266, 120), (400, 120)),
        ((400, 120), (400, 40)),
        ((400, 120), (600, 185)),
        ((266, 250), (400, 250)),
        ((400, 250), (600, 185)),
        ((266, 330), (400, 330)),
        ((266, 470), (400, 470)),
        ((600, 185), (830, 185)),
        ((600, 185), (600, 400)),
    ],
    ports: &[
        ((268, 104), "en0"),
        ((268, 234), "pdp_ip0"),
        ((268, 314), "ipsec1"),
        ((268, 456), "bluetooth"),
        ((160, 372), "utun0"),
        ((130, 462), "tunnel process"),
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
    en0: (42, 256),
    pdp: (126, 256),
    ipsec: (206, 256),
    bluetooth: (270, 256),
    utun: (262, 204),
    process: (318, 224),
    router: (42, 312),
    lan: (42, 380),
    carrier: (126, 312),
    ims: (206, 312),
    watch: (281, 312),
    internet: (160, 380),
    relay: (316, 380),
    servers: (180, 452),
    nodes: &[
        ((42, 312), 78, "router", "NAT"),
        ((42, 380), 80, "LAN", "printer · Mac"),
        ((126, 312), 80, "carrier", "CGNAT"),
        ((206, 312), 70, "IMS", "VoLTE"),
        ((281, 312), 70, "Watch", "Bluetooth"),
        ((160, 380), 84, "internet", ""),
        ((316, 380), 80, "VPN relay", "exit"),
        ((180, 452), 220, "servers", "Apple 17/8 · web · DNS"),
    ],
    links: &[
        ((42, 256), (42, 312)),
        ((42, 312), (42, 380)),
        ((42, 312), (160, 380)),
        ((126, 256), (126, 312)),
        ((126, 312), (160, 380)),
        ((206, 256), (206, 312)),
        ((270, 256), (281, 312)),
        ((160, 380), (180, 452)),
        ((160, 380), (316, 380)),
        ((318, 224), (318, 358)),
    ],
    ports: &[
        ((30, 248), "en0"),
        ((104, 248), "pdp_ip0"),
        ((186, 248), "ipsec1"),
        ((254, 248), "bt"),
        ((236, 196), "utun0"),
        ((292, 244), "tunnel"),
    ],
};

impl Geometry {
    /// The path a flow's traffic takes now, as points.
    fn route_points(
        &self,
        route: Route,
        interface: Interface,
        destination_local: bool,
        flow_y: i32,
    ) -> Vec<Point> {
        let start = (self.start_x, flow_y);
        match (route, interface) {
            // A LAN address inside the tunnel ends at the relay: it cannot
            // reach the phone's home network (`flow.tunnel-cannot-reach-lan`).
            (Route::Tunnel, _) if destination_local => {
                vec![start, self.utun, self.process, self.relay]
            }
            (Route::Tunnel, _) => vec![
                start,
                self.utun,
                self.process,
                self.relay,
                self.internet,
                self.servers,
            ],
            (Route::Direct, Interface::En0) if destination_local => {
                vec![start, self.en0, self.router, self.lan]
            }
            (Route::Direct, Interface::En0) => {
                vec![start, self.en0, self.router, self.internet, self.servers]
            }
            (Route::Direct, Interface::PdpIp0) => {
                vec![start, self.pdp, self.carrier, self.internet, self.servers]
            }
            (Route::Direct, Interface::Ipsec1) => vec![start, self.ipsec, self.ims],
            (Route::Direct, Interface::Bluetooth) => vec![start, self.bluetooth, self.watch],
            (Route::Blocked, _) => vec![start, (self.start_x + self.blocked_stub, flow_y)],
            _ => vec![start],
        }
    }

    /// The link a capture point stands for, outward (phone side first).
    fn link(&self, point: CapturePoint) -> (Point, Point) {
        match point {
            CapturePoint::En0 => (self.en0, self.router),
            CapturePoint::PdpIp0 => (self.pdp, self.carrier),
            // Both on every tunnelled route's line.
            CapturePoint::Utun0 => (self.utun, self.process),
            CapturePoint::Ipsec1 => (self.ipsec, self.ims),
            CapturePoint::Bluetooth => (self.bluetooth, self.watch),
            CapturePoint::RelayInternet => (self.relay, self.internet),
            CapturePoint::TunnelProcess => (self.process, self.relay),
        }
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

fn polyline(points: &[Point]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn node(((x, y), width, title, subtitle): &(Point, i32, &'static str, &'static str)) -> Html {
    html! {
        <g class="node">
            <rect x={(x - width / 2).to_string()} y={(y - 22).to_string()} width={width.to_string()} height="44" rx="8" />
            <text x={x.to_string()} y={(y - 3).to_string()} text-anchor="middle" class="node-title">{ *title }</text>
            <text x={x.to_string()} y={(y + 13).to_string()} text-anchor="middle" class="node-sub">{ *subtitle }</text>
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
    pub dispatch: Callback<Action>,
}

/// The picture of one run at one moment, in one or both layouts.
#[component]
pub fn Topology(props: &Props) -> Html {
    let flows = props.analysis.trace.flows.len();
    let geometries = props.layout.geometries().iter().map(|geometry| {
        let shift = geometry.shift(flows);
        html! {
            <svg key={geometry.name} class={geometry.name}
                viewBox={format!("0 0 {} {}", geometry.view.0, geometry.view.1 - shift)}
                role="img" aria-label="Network topology with each flow's route">
                <Background geometry={geometry.name} {shift} ios={props.analysis.trace.scenario.ios.to_string()} />
                <FlowRoutes geometry={geometry.name} analysis={props.analysis.clone()}
                    routes={routes_at(&props.analysis, props.now)} selected={props.selected.clone()}
                    dispatch={props.dispatch.clone()} />
                <Packets geometry={geometry.name} analysis={props.analysis.clone()} now={props.now} speed={props.speed} />
            </svg>
        }
    });
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
            </p>
        </figure>
    }
}

fn geometry(name: &str) -> &'static Geometry {
    if name == TALL.name { &TALL } else { &WIDE }
}

/// Each flow's route and interface now: what the route lines depend on
/// (they re-render when this changes, not on every tick).
fn routes_at(analysis: &Analysis, now: u64) -> Vec<Option<(Route, Interface)>> {
    analysis
        .trace
        .flows
        .iter()
        .map(|f| f.segment_at(now).map(|s| (s.route, s.interface)))
        .collect()
}

#[derive(Properties, PartialEq)]
struct BackgroundProps {
    geometry: &'static str,
    /// How far the part below the flows moves up ([`Geometry::shift`]).
    shift: i32,
    ios: AttrValue,
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
                { for g.links.iter().map(|((x1, y1), (x2, y2))| html! {
                    <line x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
                }) }
            </g>
            </g>
            <g class="phone">
                <rect x={px.to_string()} y={py.to_string()} width={pw.to_string()} height={ph.to_string()} rx="26" />
                <text x={g.title.0.to_string()} y={g.title.1.to_string()} class="node-title">{ format!("iPhone · iOS {}", props.ios) }</text>
                <g transform={format!("translate(0,{})", -props.shift)}>
                { for g.ports.iter().map(|((x, y), label)| html! {
                    <text x={x.to_string()} y={y.to_string()} class="port">{ *label }</text>
                }) }
                </g>
            </g>
            <g transform={format!("translate(0,{})", -props.shift)}>{ for g.nodes.iter().map(node) }</g>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FlowRoutesProps {
    geometry: &'static str,
    analysis: Shared<Analysis>,
    routes: Vec<Option<(Route, Interface)>>,
    selected: Option<AttrValue>,
    dispatch: Callback<Action>,
}

/// Each flow's label and the line of its current route.
#[component]
fn FlowRoutes(props: &FlowRoutesProps) -> Html {
    let g = geometry(props.geometry);
    let flows = &props.analysis.trace.flows;
    let shift = g.shift(flows.len());
    let lines = flows.iter().zip(&props.routes).enumerate().map(|(i, (flow, now))| {
        let y = g.flow_y(i, flows.len());
        let selected = props.selected.as_deref() == Some(flow.name.as_str());
        let onclick = {
            let name = flow.name.clone();
            props.dispatch.reform(move |_| Action::Select(Some(name.clone())))
        };
        let label_text = match now {
            Some((route, _)) => format!("{} · {}", flow.name, route_style(*route).mark),
            None => format!("{} (closed)", flow.name),
        };
        let path = now.map(|(route, interface)| {
            let local = addresses::is_local(addresses::destination(flow.kind));
            let RouteStyle { colour, dash, mark } = route_style(route);
            let points: Vec<Point> = g
                .route_points(route, interface, local, y)
                .into_iter()
                .map(|p| g.placed(p, shift))
                .collect();
            let (end_x, end_y) = *points.last().unwrap_or(&(g.start_x, y));
            // The route's mark sits halfway along its last leg, clear of
            // the boxes at either end.
            let (from_x, from_y) = points.len().checked_sub(2).map_or((end_x, end_y), |i| points[i]);
            let (mark_x, mark_y) = ((from_x + end_x) / 2, (from_y + end_y) / 2);
            html! {
                <g class={classes!("route", selected.then_some("selected"))}>
                    <polyline data-route={route.as_str()} points={polyline(&points)} fill="none" stroke={colour}
                        stroke-width={if selected { "4" } else { "2" }} stroke-dasharray={dash} />
                    if route == Route::Tunnel && local {
                        <text x={(end_x + 40).min(g.view.0 - 4).to_string()} y={(end_y + 40).to_string()} text-anchor="end" class="blocked-mark" fill={route_style(Route::Blocked).colour}>{ "✕ LAN unreachable from the relay" }</text>
                    } else if route == Route::Blocked {
                        <text x={(end_x + 4).to_string()} y={(end_y + 5).to_string()} class="blocked-mark" fill={route_style(Route::Blocked).colour}>{ "✕ blocked" }</text>
                    } else {
                        <text x={(mark_x + 4).to_string()} y={(mark_y - 4).to_string()} class="route-mark" fill={colour}>{ mark }</text>
                    }
                </g>
            }
        });
        html! {
            <g key={flow.name.clone()} class="flow" {onclick} role="button" tabindex="0" aria-label={format!("flow {}", flow.name)}>
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
    let shift = g.shift(flows.len());
    let dots = analysis
        .run
        .packets
        .iter()
        .filter(|p| p.at_us >= from_us && p.at_us <= to_us)
        .take(200)
        .map(|p| {
            let (phone_side, far_side) = g.link(p.point);
            let (phone_side, far_side) = (g.placed(phone_side, shift), g.placed(far_side, shift));
            // Away from the phone: sent by it, or by the relay's exit.
            let outward = packet::ends(&p.bytes).is_some_and(|e| {
                addresses::PHONE_ADDRESSES.contains(&e.src) || e.src == addresses::RELAY_EXIT
            });
            let (a, b) = if outward { (phone_side, far_side) } else { (far_side, phone_side) };
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
                Some(Route::Tunnel) | None if matches!(p.point, CapturePoint::Utun0 | CapturePoint::RelayInternet | CapturePoint::TunnelProcess) => html! {
                    <circle cx={x.to_string()} cy={y.to_string()} r="5" class="packet tunnel" fill={route_style(Route::Tunnel).colour} />
                },
                _ => html! {
                    <rect x={(x - 4).to_string()} y={(y - 4).to_string()} width="9" height="9" class="packet direct" fill={route_style(Route::Direct).colour} />
                },
            }
        });
    html! { <g class="packets">{ for dots }</g> }
}

#[derive(Properties, PartialEq)]
pub struct DrawingsProps {
    pub analysis: Shared<Analysis>,
    /// The comparison's run and the property it flips, when comparing.
    pub compared: Option<(AttrValue, Shared<Analysis>)>,
    pub now: u64,
    pub speed: u32,
    pub selected: Option<AttrValue>,
    pub layout: Layout,
    pub dispatch: Callback<Action>,
}

/// The scenario's drawing, and beside it the comparison's when comparing.
#[component]
pub fn Drawings(props: &DrawingsProps) -> Html {
    let drawing = |analysis: &Shared<Analysis>, label: AttrValue| {
        html! {
            <Topology analysis={analysis.clone()} now={props.now} speed={props.speed}
                selected={props.selected.clone()} {label} layout={props.layout}
                dispatch={props.dispatch.clone()} />
        }
    };
    let compared = props
        .compared
        .as_ref()
        .map(|(key, other)| drawing(other, format!("{key} flipped").into()));
    html! {
        <div class={classes!("views", props.compared.is_some().then_some("ab"))}>
            { drawing(&props.analysis, "as configured".into()) }
            { for compared }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(g: &Geometry) -> Vec<Point> {
        vec![
            g.en0,
            g.pdp,
            g.ipsec,
            g.bluetooth,
            g.utun,
            g.process,
            g.router,
            g.lan,
            g.carrier,
            g.ims,
            g.watch,
            g.internet,
            g.relay,
            g.servers,
        ]
    }

    #[test]
    fn every_box_sits_on_a_point_routes_use_and_inside_the_view() {
        for g in [&WIDE, &TALL] {
            let (width, height) = g.view;
            for ((x, y), w, title, _) in g.nodes {
                assert!(
                    points(g).contains(&(*x, *y)),
                    "{}: {title} is off the routes",
                    g.name
                );
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
            for (a, b) in g.links {
                for (x, y) in [a, b] {
                    assert!(
                        (0..=width).contains(x) && (0..=height).contains(y),
                        "{}",
                        g.name
                    );
                }
            }
            let (px, py, pw, ph) = g.phone;
            assert!(px >= 0 && py >= 0 && px + pw <= width && py + ph <= height);
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
            let utun = TALL.placed(TALL.utun, shift);
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
