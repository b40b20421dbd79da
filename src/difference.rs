//! What flipping one setting changes in a scenario: the run as configured
//! and the run with the setting flipped, compared flow by flow, as values.
//! [`crate::words`] says them; the page, the learn figures and the CLI
//! show them.
//!
//! Two runs differ for a flow where, at the same moment, its traffic takes
//! another route or leaves on another interface. Each stretch of time where
//! they differ is a [`Span`], with the deciding rule on each side, so the
//! reader sees why as well as what.

use crate::facts::Prop;
use crate::model::{FlowKind, Interface, Route, SeenAs, TunnelState};
use crate::trace::{FlowTrace, RuleRef, Segment, StateSpan, Trace};

/// The two runs compared: the one with the setting on and the one with it
/// off (whichever of them is the scenario as configured).
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The setting flipped.
    pub prop: Prop,
    /// The scenario as configured has the setting on.
    pub configured_on: bool,
    /// Each flow whose traffic goes another way, in the scenario's order.
    pub flows: Vec<FlowChange>,
    /// Flows that leave the VPN while it is connected with the setting on
    /// and off alike: what flipping it does not change, and a reader
    /// most needs to know (Apple's own traffic on some releases).
    pub outside_either_way: Vec<Outside>,
}

/// A flow that goes outside the connected VPN either way.
#[derive(Clone, Debug, PartialEq)]
pub struct Outside {
    pub name: String,
    pub kind: FlowKind,
    /// The first moment it does.
    pub from_ms: u64,
    pub interface: Interface,
}

/// One flow that goes another way with the setting flipped.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowChange {
    pub name: String,
    pub kind: FlowKind,
    /// Where the two runs differ, in time order, never overlapping.
    pub spans: Vec<Span>,
}

impl FlowChange {
    /// The stretch in force at `at_ms`, if the runs differ then.
    pub fn span_at(&self, at_ms: u64) -> Option<&Span> {
        self.spans
            .iter()
            .find(|s| s.from_ms <= at_ms && at_ms < s.to_ms)
    }
}

/// A stretch of time where a flow goes one way with the setting on and
/// another with it off.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub from_ms: u64,
    /// Exclusive.
    pub to_ms: u64,
    pub on: Path,
    pub off: Path,
    /// The tunnel's state when the span begins, in the run with the
    /// setting on (where the kill switch acts, its state says why).
    pub tunnel: TunnelState,
}

/// Where a flow's traffic goes, and the rule that decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub route: Route,
    pub interface: Interface,
    pub seen_as: SeenAs,
    pub rule: RuleRef,
}

impl Path {
    fn of(segment: &Segment) -> Path {
        Path {
            route: segment.route,
            interface: segment.interface,
            seen_as: segment.seen_as,
            rule: segment
                .rules
                .last()
                .cloned()
                .expect("every segment names its deciding rule"),
        }
    }

    /// The same way for the reader: the route and the interface it leaves
    /// on (another rule deciding the same path is no difference).
    fn same_way(&self, other: &Path) -> bool {
        self.route == other.route && self.interface == other.interface
    }
}

impl Difference {
    /// `configured` and `flipped` compared: the same scenario run with
    /// `prop` as configured (`configured_on`) and flipped.
    pub fn between(prop: Prop, configured_on: bool, configured: &Trace, flipped: &Trace) -> Self {
        let mut outside_either_way = Vec::new();
        let flows = configured
            .flows
            .iter()
            .enumerate()
            .filter_map(|(index, flow)| {
                // The same scenario has the same flows in the same order;
                // look the name up only if it is not where expected.
                let twin = flipped
                    .flows
                    .get(index)
                    .filter(|f| f.name == flow.name)
                    .or_else(|| flipped.flow(&flow.name))?;
                let (on, off, on_states) = if configured_on {
                    (flow, twin, &configured.states)
                } else {
                    (twin, flow, &flipped.states)
                };
                if let Some(outside) = outside(on, off, on_states) {
                    outside_either_way.push(outside);
                }
                let spans = spans(on, off, on_states);
                (!spans.is_empty()).then(|| FlowChange {
                    name: flow.name.clone(),
                    kind: flow.kind,
                    spans,
                })
            })
            .collect();
        Difference {
            prop,
            configured_on,
            flows,
            outside_either_way,
        }
    }

    /// The moment a page should open at to show the difference: the first
    /// at which the two runs differ once the tunnel is up, else the first
    /// at which they differ at all, else when the tunnel first comes up.
    /// `None` when nothing differs and no tunnel ever comes up.
    pub fn telling_moment(&self, states: &[StateSpan]) -> Option<u64> {
        let up = states
            .iter()
            .find(|s| s.tunnel == TunnelState::Connected)
            .map(|s| s.from_ms);
        let mut spans: Vec<&Span> = self.flows.iter().flat_map(|f| &f.spans).collect();
        spans.sort_by_key(|s| s.from_ms);
        let once_up = up.and_then(|up| {
            spans
                .iter()
                .find(|s| s.to_ms > up)
                .map(|s| s.from_ms.max(up))
        });
        once_up.or(spans.first().map(|s| s.from_ms)).or(up)
    }

    /// The flows that go another way at `at_ms`.
    pub fn flows_at(&self, at_ms: u64) -> impl Iterator<Item = &FlowChange> {
        self.flows
            .iter()
            .filter(move |f| f.span_at(at_ms).is_some())
    }

    /// The first stretch at or after `at_ms` where the runs differ.
    pub fn next_span(&self, at_ms: u64) -> Option<&Span> {
        self.flows
            .iter()
            .flat_map(|f| &f.spans)
            .filter(|s| s.to_ms > at_ms)
            .min_by_key(|s| s.from_ms)
    }

    /// The flow's change, if it has one.
    pub fn flow(&self, name: &str) -> Option<&FlowChange> {
        self.flows.iter().find(|f| f.name == name)
    }
}

/// Why there is nothing to compare: the scenario has no VPN, or its release
/// does not have the setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoComparison {
    NoVpn,
    NotOnRelease {
        prop: Prop,
        since: crate::version::IosVersion,
    },
}

/// Where `on` and `off` differ, merged where consecutive stretches differ
/// the same way.
fn spans(on: &FlowTrace, off: &FlowTrace, states: &[StateSpan]) -> Vec<Span> {
    let mut times: Vec<u64> = on
        .segments
        .iter()
        .chain(&off.segments)
        .flat_map(|s| [s.from_ms, s.to_ms])
        .collect();
    times.sort_unstable();
    times.dedup();
    let mut out: Vec<Span> = Vec::new();
    for window in times.windows(2) {
        let (from, to) = (window[0], window[1]);
        let (Some(a), Some(b)) = (segment_at(on, from), segment_at(off, from)) else {
            continue;
        };
        let (a, b) = (Path::of(a), Path::of(b));
        if a.same_way(&b) {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.to_ms == from && last.on.same_way(&a) && last.off.same_way(&b) => {
                last.to_ms = to;
            }
            _ => out.push(Span {
                from_ms: from,
                to_ms: to,
                on: a,
                off: b,
                tunnel: tunnel_at(states, from),
            }),
        }
    }
    out
}

/// The first moment `on` and `off` both send the flow outside the VPN
/// while it is connected (in the run with the setting on), if any.
fn outside(on: &FlowTrace, off: &FlowTrace, states: &[StateSpan]) -> Option<Outside> {
    // The VPN's own connection to its relay is outside the tunnel by design.
    if matches!(on.kind, FlowKind::VpnTransport | FlowKind::TunnelProbe) {
        return None;
    }
    let leaves = |s: &Segment| s.route == Route::Direct && s.seen_as == SeenAs::Device;
    on.segments
        .iter()
        .filter(|s| leaves(s))
        .find_map(|segment| {
            // The segment's start, and each time the tunnel changes within
            // it (states are in time order: those within, found by halves).
            let first = states.partition_point(|s| s.from_ms < segment.from_ms);
            let last = states.partition_point(|s| s.from_ms < segment.to_ms);
            let within = states.get(first..last).unwrap_or_default();
            let moments = std::iter::once(segment.from_ms).chain(within.iter().map(|s| s.from_ms));
            moments
                .filter(|t| tunnel_at(states, *t) == TunnelState::Connected)
                .find(|t| segment_at(off, *t).is_some_and(leaves))
                .map(|from_ms| Outside {
                    name: on.name.clone(),
                    kind: on.kind,
                    from_ms,
                    interface: segment.interface,
                })
        })
}

/// The segment in force at `at_ms`, found by halves: a flow of a large run
/// has thousands, and the page compares every flow of both runs.
fn segment_at(flow: &FlowTrace, at_ms: u64) -> Option<&Segment> {
    let segment = &flow.segments[flow.last_begun(at_ms)?];
    (at_ms < segment.to_ms).then_some(segment)
}

/// The tunnel's state at `at_ms` (states are contiguous and in time order,
/// so found by halves), or the last one after the end.
fn tunnel_at(states: &[StateSpan], at_ms: u64) -> TunnelState {
    let begun = states.partition_point(|s| s.from_ms <= at_ms);
    begun
        .checked_sub(1)
        .and_then(|i| states.get(i))
        .filter(|s| at_ms < s.to_ms)
        .or(states.last())
        .map_or(TunnelState::Absent, |s| s.tunnel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library;

    fn both(name: &str) -> (Trace, Trace) {
        let scenario = library::find(name).unwrap().parse().unwrap();
        let flipped = scenario
            .with_flag_flipped(Prop::IncludeAllNetworks)
            .expect("the scenario has a VPN on a release with the kill switch");
        (
            crate::timeline::run(&scenario),
            crate::timeline::run(&flipped),
        )
    }

    #[test]
    fn the_same_run_twice_differs_nowhere() {
        let (trace, _) = both("ian-ios16-1-apple-leak");
        let d = Difference::between(Prop::IncludeAllNetworks, true, &trace, &trace);
        assert!(d.flows.is_empty());
    }

    #[test]
    fn every_library_scenario_with_a_kill_switch_compares_consistently() {
        for built_in in library::LIBRARY {
            let scenario = built_in.parse().unwrap();
            let Some(flipped) = scenario.with_flag_flipped(Prop::IncludeAllNetworks) else {
                continue;
            };
            let on = scenario
                .vpn
                .as_ref()
                .and_then(|v| v.flag(Prop::IncludeAllNetworks))
                .unwrap();
            let (a, b) = (
                crate::timeline::run(&scenario),
                crate::timeline::run(&flipped),
            );
            let d = Difference::between(Prop::IncludeAllNetworks, on, &a, &b);
            let back = Difference::between(Prop::IncludeAllNetworks, !on, &b, &a);
            // Seen from either run, the same flows differ the same way.
            assert_eq!(d.flows, back.flows, "{}", built_in.name);
            for change in &d.flows {
                for span in &change.spans {
                    assert!(span.from_ms < span.to_ms, "{}", built_in.name);
                    assert!(!span.on.same_way(&span.off), "{}", built_in.name);
                    // Each side is what that run's trace says at that moment.
                    let (with, without) = if on { (&a, &b) } else { (&b, &a) };
                    let at = |t: &Trace| {
                        t.flow(&change.name)
                            .unwrap()
                            .segment_at(span.from_ms)
                            .unwrap()
                            .route
                    };
                    assert_eq!(at(with), span.on.route, "{}", built_in.name);
                    assert_eq!(at(without), span.off.route, "{}", built_in.name);
                }
                for pair in change.spans.windows(2) {
                    assert!(pair[0].to_ms <= pair[1].from_ms, "{}", built_in.name);
                }
            }
        }
    }

    #[test]
    fn push_held_while_the_tunnel_connects_is_one_span_on_the_kill_switch_side() {
        let (on, off) = both("ian-ios16-1-apple-leak");
        let d = Difference::between(Prop::IncludeAllNetworks, true, &on, &off);
        assert!(
            !d.flows.is_empty(),
            "the kill switch changes something here"
        );
        // Spans of one flow never touch with the same two paths (merged).
        for change in &d.flows {
            for pair in change.spans.windows(2) {
                let merged = pair[0].to_ms == pair[1].from_ms
                    && pair[0].on.same_way(&pair[1].on)
                    && pair[0].off.same_way(&pair[1].off);
                assert!(!merged, "{}: {:?}", change.name, pair);
            }
        }
    }

    #[test]
    fn the_telling_moment_shows_a_difference_once_the_tunnel_is_up_if_there_is_one() {
        for built_in in library::LIBRARY {
            let state = crate::playground::Playground::of_library(built_in);
            let Some(Ok(d)) = state.difference() else {
                continue;
            };
            let states = &state.analysis.trace.states;
            let up = states
                .iter()
                .find(|s| s.tunnel == TunnelState::Connected)
                .map(|s| s.from_ms);
            let spans: Vec<&Span> = d.flows.iter().flat_map(|f| &f.spans).collect();
            let moment = d.telling_moment(states);
            let differs_at = |t: u64| spans.iter().any(|s| s.from_ms <= t && t < s.to_ms);
            match (spans.is_empty(), up) {
                (true, up) => assert_eq!(moment, up, "{}", built_in.name),
                (false, up) => {
                    let moment = moment.unwrap();
                    assert!(differs_at(moment), "{}: {moment}", built_in.name);
                    let after_up = up.is_some_and(|up| spans.iter().any(|s| s.to_ms > up));
                    if let (true, Some(up)) = (after_up, up) {
                        assert!(moment >= up, "{}: {moment} < {up}", built_in.name);
                    }
                    // The page opens there, unless the file names its moment.
                    let scenario_moment = state.analysis.scenario.moment_ms;
                    assert_eq!(
                        state.time_ms,
                        scenario_moment.unwrap_or(moment),
                        "{}",
                        built_in.name
                    );
                }
            }
        }
    }

    #[test]
    fn the_default_scenario_says_push_is_blocked_while_the_vpn_connects() {
        let (on, off) = both("ian-ios16-1-apple-leak");
        let d = Difference::between(Prop::IncludeAllNetworks, true, &on, &off);
        assert_eq!(
            crate::words::difference_headline(&d, 120_000),
            "Here the kill switch changes one thing: when it is on, push is blocked for 1s from 5s while the VPN connects; when it is off, push goes outside the VPN over Wi-Fi."
        );
        // Before the tunnel is up is the only difference, so the page opens there.
        assert_eq!(d.telling_moment(&on.states), Some(5_000));
        // Nothing differs: the tunnel's coming up is the moment.
        let same = Difference::between(Prop::IncludeAllNetworks, true, &on, &on);
        assert_eq!(same.telling_moment(&on.states), Some(6_000));
        assert_eq!(same.telling_moment(&[]), None);
    }

    #[test]
    fn what_flipping_changes_now_is_said_with_where_to_look_when_nothing_does() {
        let (on, off) = both("ian-ios16-1-apple-leak");
        let d = Difference::between(Prop::IncludeAllNetworks, true, &on, &off);
        assert_eq!(d.flows_at(5_500).count(), 1);
        assert_eq!(d.flows_at(20_000).count(), 0);
        let (now, go) = crate::words::at_this_moment(&d, 5_500, 120_000);
        assert!(now.contains("changes where push goes"), "{now}");
        assert_eq!(go, None);
        let (later, go) = crate::words::at_this_moment(&d, 20_000, 120_000);
        assert!(later.contains("look the same"), "{later}");
        assert!(later.contains("from 5s while the VPN connects"), "{later}");
        assert_eq!(go, Some(5_000), "the page offers to go where they differ");
        let same = Difference::between(Prop::IncludeAllNetworks, true, &on, &on);
        let (nothing, go) = crate::words::at_this_moment(&same, 20_000, 120_000);
        assert!(nothing.contains("changes nothing"), "{nothing}");
        assert_eq!(go, None);
    }
}
