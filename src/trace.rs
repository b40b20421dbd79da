//! The trace: what happened in a run, as plain data. Every output (text,
//! JSON, Markdown, the support ticket and the playground) is rendered from
//! a `Trace` (pcaps from the engine's packets beside it).
//!
//! The JSON shape is a public contract: fields may be added, none renamed.

use crate::config::VpnConfig;
use crate::facts::{self, Evidence, Rule};
use crate::model::{FlowKind, Interface, Network, Route, SeenAs, TunnelState};
use crate::policy::Continuity;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trace {
    pub scenario: ScenarioSummary,
    pub flows: Vec<FlowTrace>,
    pub events: Vec<EventTrace>,
    /// The phone's network and the tunnel's state over time, contiguous.
    pub states: Vec<StateSpan>,
    pub expectations: Vec<ExpectationResult>,
    /// What each server recorded as the source of a flow's traffic (the
    /// packet engine's evidence for `seen_as`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<ServerObservation>,
    /// Data-plane happenings that are not packets (a socket bind failing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_plane_events: Vec<DataPlaneEvent>,
    /// Packets sent plus packets delivered, over the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet_events: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerObservation {
    pub at_ms: u64,
    pub server: &'static str,
    pub flow: String,
    pub source: String,
    pub seen_as: SeenAs,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DataPlaneEvent {
    pub at_ms: u64,
    pub flow: String,
    pub what: String,
    pub rule: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioSummary {
    pub title: String,
    pub ios: String,
    pub network: Network,
    pub duration_ms: u64,
    pub seed: u64,
    /// The VPN configuration at the start, with Apple's defaults filled in;
    /// `null` when no VPN is configured.
    pub vpn: Option<VpnConfig>,
    pub assumptions: Vec<AssumptionUse>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssumptionUse {
    pub key: &'static str,
    /// `true`/`false`, or a duration such as `"1s"`.
    pub value: String,
    pub is_default: bool,
    pub meaning: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowTrace {
    pub name: String,
    pub kind: FlowKind,
    pub open_ms: u64,
    pub close_ms: u64,
    /// Contiguous, covering `[open_ms, close_ms)`.
    pub segments: Vec<Segment>,
    /// Packets and IP bytes of this flow that left or reached the phone
    /// (set by the packet engine).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packets: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Packets of this flow the phone dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dropped: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Segment {
    /// Inclusive.
    pub from_ms: u64,
    /// Exclusive.
    pub to_ms: u64,
    pub route: Route,
    pub interface: Interface,
    pub seen_as: SeenAs,
    /// What happened to the flow's connection as this segment began.
    pub change: Continuity,
    pub rules: Vec<RuleRef>,
    /// The server that recorded this segment's source address, when the
    /// packet engine ran and one did; `seen_as` is then what it saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed_by: Option<&'static str>,
}

/// A rule as it appears in output: the fact row flattened, with provenance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    pub id: &'static str,
    pub says: &'static str,
    pub provenance: Evidence,
    pub source: &'static str,
    /// Further sources behind the wording, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<&'static str>,
    /// The `[assume]` key this rule depends on, when the record is silent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<&'static str>,
}

impl From<&'static Rule> for RuleRef {
    fn from(rule: &'static Rule) -> Self {
        RuleRef {
            id: rule.id,
            says: rule.says,
            provenance: rule.evidence,
            source: rule.source,
            also: facts::supporting_sources(rule.id)
                .iter()
                .copied()
                .filter(|s| *s != rule.source)
                .collect(),
            assumption: rule.assumption.map(|a| facts::assumption(a).key),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EventTrace {
    pub at_ms: u64,
    #[serde(rename = "do")]
    pub action: String,
    /// What the event did, in words.
    pub effect: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StateSpan {
    pub from_ms: u64,
    pub to_ms: u64,
    /// `null` in airplane mode.
    pub network: Option<Network>,
    pub tunnel: TunnelState,
    pub include_all_networks: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpectationResult {
    pub flow: String,
    pub at_ms: u64,
    pub want: Route,
    pub got: Route,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_seen_as: Option<SeenAs>,
    pub got_seen_as: SeenAs,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_interface: Option<Interface>,
    pub got_interface: Interface,
    pub ok: bool,
    /// The scenario file line of the `[[expect]]`.
    pub line: usize,
    /// The rules behind what was got.
    pub rules: Vec<RuleRef>,
}

impl Trace {
    pub fn failures(&self) -> impl Iterator<Item = &ExpectationResult> {
        self.expectations.iter().filter(|e| !e.ok)
    }

    pub fn flow(&self, name: &str) -> Option<&FlowTrace> {
        self.flows.iter().find(|f| f.name == name)
    }
}

impl FlowTrace {
    /// The segment in force at `at_ms`, if the flow is open then.
    pub fn segment_at(&self, at_ms: u64) -> Option<&Segment> {
        self.segments
            .iter()
            .find(|s| s.from_ms <= at_ms && at_ms < s.to_ms)
    }

    /// The index of the last segment that began at or before `at_ms`: the
    /// decision a packet still in flight at the flow's close (or a late
    /// observation) belongs to.
    pub fn last_begun(&self, at_ms: u64) -> Option<usize> {
        self.segments.iter().rposition(|s| s.from_ms <= at_ms)
    }
}

impl Trace {
    /// The phone's network and tunnel state at `at_ms` (the first span's
    /// before the run begins).
    pub fn state_at(&self, at_ms: u64) -> Option<&StateSpan> {
        self.states
            .iter()
            .rev()
            .find(|s| s.from_ms <= at_ms)
            .or(self.states.first())
    }
}

#[cfg(test)]
mod tests {
    use crate::library;

    #[test]
    fn a_segment_is_in_force_until_the_next_begins_and_past_the_close() {
        // wifi-to-cellular: the printer's flow changes route over the run.
        let scenario = library::find("wifi-to-cellular").unwrap().parse().unwrap();
        let trace = crate::timeline::run(&scenario);
        let flow = trace.flow("printer").unwrap();
        assert!(flow.segments.len() > 1);
        for (i, s) in flow.segments.iter().enumerate() {
            assert_eq!(flow.last_begun(s.from_ms), Some(i));
            assert_eq!(flow.last_begun(s.to_ms.saturating_sub(1)), Some(i));
            assert_eq!(flow.segment_at(s.from_ms), Some(s));
        }
        let last = flow.segments.len() - 1;
        let end = flow.segments[last].to_ms;
        // After the close: no segment is open, the last one still decides.
        assert_eq!(flow.segment_at(end), None);
        assert_eq!(flow.last_begun(end + 1_000), Some(last));
        if let Some(before) = flow.segments[0].from_ms.checked_sub(1) {
            assert_eq!(flow.last_begun(before), None, "before the flow opens");
        }
        assert_eq!(trace.state_at(0), trace.states.first());
    }
}
