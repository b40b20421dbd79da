//! The trace: what happened in a run, as plain data. Every output (text,
//! JSON, Markdown, the support ticket and the playground) is rendered from
//! a `Trace` (pcaps from the engine's packets beside it).
//!
//! The JSON shape is a public contract: fields may be added, none renamed.

use crate::budget::Stop;
use crate::config::VpnConfig;
use crate::facts::{self, Evidence, Rule};
use crate::model::{Family, FlowKind, Interface, IpMode, Network, Route, SeenAs, TunnelState};
use crate::policy::Continuity;
use crate::scenario::Setting;
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
    /// What an attacker's Wi-Fi read in the clear (a scenario with an
    /// `attack`): the first packet of each connection that crossed it
    /// outside the tunnel.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intercepted: Vec<Interception>,
    /// Data-plane happenings that are not packets (a socket bind failing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_plane_events: Vec<DataPlaneEvent>,
    /// Packets sent plus packets delivered, over the whole run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub packet_events: Option<u64>,
    /// Where the run stopped early, having reached a limit of its budget
    /// ([`crate::budget`]); everything before it is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<Stop>,
}

/// A connection an attacker's Wi-Fi read: who sent it (the phone's own
/// address) and where to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Interception {
    pub at_ms: u64,
    pub flow: String,
    pub source: String,
    pub destination: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerObservation {
    pub at_ms: u64,
    pub server: &'static str,
    pub flow: String,
    pub source: String,
    pub seen_as: SeenAs,
}

/// A data-plane happening that is not a packet.
///
/// In JSON: `at_ms`, `flow`, `what` (in words, from [`crate::words`]),
/// `kind` and `rule`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataPlaneEvent {
    pub at_ms: u64,
    pub flow: String,
    pub what: DataPlaneHappening,
    pub rule: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataPlaneHappening {
    /// A socket bound to the tunnel interface fails under
    /// includeAllNetworks, so the probe uses the tunnel process's own
    /// userspace stack.
    BindToTunnelFails,
}

impl Serialize for DataPlaneEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("DataPlaneEvent", 5)?;
        out.serialize_field("at_ms", &self.at_ms)?;
        out.serialize_field("flow", &self.flow)?;
        out.serialize_field("what", crate::words::data_plane(self.what))?;
        out.serialize_field("kind", &self.what)?;
        out.serialize_field("rule", &self.rule)?;
        out.end()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioSummary {
    pub title: String,
    pub ios: String,
    pub network: Network,
    /// The Wi-Fi is an attacker's, mounting this attack.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attack: Option<crate::model::Attack>,
    /// Each network's IP versions (left out when IPv4 only).
    #[serde(skip_serializing_if = "IpMode::is_ipv4_only")]
    pub wifi_ip: IpMode,
    #[serde(skip_serializing_if = "IpMode::is_ipv4_only")]
    pub cellular_ip: IpMode,
    pub duration_ms: u64,
    pub seed: u64,
    /// The VPN configuration at the start, with Apple's defaults filled in;
    /// `null` when no VPN is configured.
    pub vpn: Option<VpnConfig>,
    /// The vendor preset it started from (`tunnelscope presets`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<&'static str>,
    /// The configuration profile the VPN came from (its name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub assumptions: Vec<AssumptionUse>,
}

impl ScenarioSummary {
    /// The world has IPv6 (a network gives it).
    pub fn has_ipv6(&self) -> bool {
        crate::model::IpModes {
            wifi: self.wifi_ip,
            cellular: self.cellular_ip,
        }
        .has_ipv6()
    }
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
    /// The IP version of the flow's packets as they leave the phone on
    /// `interface` (inside the tunnel, its inner packets): what a capture
    /// on that interface shows. Written as `family` on every segment.
    #[serde(rename = "family")]
    pub on_wire: Family,
    /// The IP version of the app's connection, when the wire's differs:
    /// an IPv4 connection that the phone's CLAT, or a NAT64-synthesized
    /// address, carries over an IPv6-only network.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_family: Option<Family>,
    /// The IP version of the app's connection (the socket), always.
    #[serde(skip)]
    pub family: Family,
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
///
/// In JSON: `id`, `says`, `provenance`, `source` (the primary link, or the
/// note where nothing public can be linked), `source_note` (what the link
/// is, when it says), `also` (every further link: the source's secondary
/// copies, then the other sources behind the wording) and `assumption`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef {
    pub id: &'static str,
    pub says: &'static str,
    pub provenance: Evidence,
    pub source: &'static facts::Source,
    /// Further sources behind the wording, if any.
    pub also: Vec<&'static facts::Source>,
    /// The `[assume]` key this rule depends on, when the record is silent.
    pub assumption: Option<&'static str>,
}

impl Serialize for RuleRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry("says", self.says)?;
        map.serialize_entry("provenance", &self.provenance)?;
        if self.source.is_linked() {
            map.serialize_entry("source", self.source.url)?;
            if !self.source.note.is_empty() {
                map.serialize_entry("source_note", self.source.note)?;
            }
        } else {
            map.serialize_entry("source", self.source.note)?;
        }
        let also: Vec<&str> = (self.source.also.iter().copied())
            .chain(self.also.iter().flat_map(|s| s.links()))
            .collect();
        if !also.is_empty() {
            map.serialize_entry("also", &also)?;
        }
        if let Some(key) = self.assumption {
            map.serialize_entry("assumption", key)?;
        }
        map.end()
    }
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

/// One line of the run's events: a scenario event, or something that
/// happened by itself (`reboot done`, `app-update done`, a retry).
///
/// In JSON: `at_ms`, `do`, `effect` (the effect in words, from
/// [`crate::words`]) and `outcome` (the same effect as data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventTrace {
    pub at_ms: u64,
    /// The event as the scenario wrote it, or the name of what happened.
    pub action: String,
    /// What it did.
    pub effect: Effect,
}

impl Serialize for EventTrace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("EventTrace", 4)?;
        out.serialize_field("at_ms", &self.at_ms)?;
        out.serialize_field("do", &self.action)?;
        out.serialize_field("effect", &crate::words::effect(&self.effect))?;
        out.serialize_field("outcome", &self.effect)?;
        out.end()
    }
}

/// The id of a rule an effect rests on, in the row for the run's release
/// (`None` when no row covers it).
pub type Cited = Option<&'static str>;

/// What an event did to the phone and the tunnel, as values. Each is said
/// in words in one place, [`crate::words::effect`]; nothing reads the words
/// back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Nothing changed, and why.
    Unchanged {
        why: Unchanged,
    },
    /// A newer version of the VPN app is in the App Store: what the user
    /// is told.
    UpdateNotice {
        include_all_networks: bool,
        notifications: bool,
        rule: Cited,
    },
    /// The App Store starts installing the VPN app.
    UpdateStarts {
        start: UpdateStart,
    },
    /// The App Store retries an unfinished update after a reboot.
    UpdateRetried {
        rule: Cited,
        start: UpdateStart,
    },
    /// The update finished installing.
    UpdateInstalled {
        then: Installed,
    },
    /// The phone restarts.
    Reboots {
        back_at_ms: u64,
        update_pending: bool,
        rule: Cited,
    },
    /// The phone is back after a restart.
    RebootDone {
        /// What the VPN does then; `None` without a VPN.
        vpn: Option<AfterReboot>,
        /// When the App Store retries an unfinished update.
        retry: Option<Retry>,
    },
    /// The tunnel starts connecting.
    Connecting {
        until: Transition,
    },
    /// The user disconnects.
    Disconnected {
        how: Disconnect,
    },
    /// The tunnel provider goes away by itself.
    ProviderGone {
        /// On-demand starts it again; `None` when nothing restarts it.
        restarted: Option<Restarted>,
    },
    /// The phone moves to another network (or one comes up in airplane
    /// mode, `from: None`).
    NetworkChanged {
        from: Option<Network>,
        to: Network,
        /// The tunnel reasserts on the new network.
        reasserts: Option<Transition>,
    },
    AirplaneOn,
    AirplaneOff {
        back_on: Network,
        reasserts: Option<Transition>,
    },
    /// A VPN setting changes.
    SettingChanged {
        setting: Setting,
        restart: SettingRestart,
    },
}

/// Why an event changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unchanged {
    /// The phone is restarting.
    PhoneRestarting,
    /// The VPN app is being replaced by an update.
    BeingUpdated {
        rule: Cited,
    },
    /// `connect` or `disconnect` when the tunnel already is so.
    TunnelAlready {
        state: TunnelState,
    },
    /// `tunnel:lost` when there is no running tunnel to lose.
    TunnelIs {
        state: TunnelState,
    },
    AlreadyOn {
        network: Network,
    },
    AirplaneAlready {
        on: bool,
    },
    /// A setting event without a VPN.
    NoVpn,
}

/// When a tunnel transition (connecting, reasserting, restarting) ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// `None` while there is no network: it waits for one.
    pub until_ms: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UpdateStart {
    /// The VPN is not running, so nothing is stopped.
    NothingRunning,
    /// The VPN app and its tunnel provider are stopped (`rule`); where
    /// traffic goes meanwhile depends on includeAllNetworks (`meanwhile`).
    StopsProvider {
        rule: Cited,
        include_all_networks: bool,
        meanwhile: Cited,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Installed {
    /// The app shows Connected but nothing goes into the tunnel.
    AppearsConnected { rule: Cited },
    /// The new version's tunnel reconnects.
    Reconnects { rule: Cited },
    /// The VPN was not stopped by the update and stays as it was.
    VpnAsItWas,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AfterReboot {
    OnDemandStarts { rule: Cited },
    StaysOff { rule: Cited },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Retry {
    pub at_ms: u64,
    pub rule: Cited,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disconnect {
    /// From a working (or connecting) tunnel.
    ByUser,
    /// From a tunnel that only appeared connected after an update.
    AppearsConnected,
    /// After the provider was lost with includeAllNetworks on: whether the
    /// VPN turns off follows an assumption.
    AfterLoss { rule: Cited, recovers: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Restarted {
    pub rule: Cited,
    pub until: Transition,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingRestart {
    /// The tunnel is off, so nothing restarts.
    TunnelOff,
    /// No radio is up: the restart exposes nothing; it connects with the
    /// new setting once there is a network.
    NoNetwork {
        rule: Cited,
    },
    Restarts {
        until: Transition,
    },
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub want_family: Option<Family>,
    #[serde(skip_serializing_if = "Family::is_v4")]
    pub got_family: Family,
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
    ///
    /// Segments begin in time order (the timeline adds at most one per flow
    /// per instant), so this is a binary search: the engine asks it for
    /// every packet, and a flow may have thousands of segments.
    pub fn last_begun(&self, at_ms: u64) -> Option<usize> {
        self.segments
            .partition_point(|s| s.from_ms <= at_ms)
            .checked_sub(1)
    }
}

impl Trace {
    /// Ends the run at `stop.at_ms`: what began from then on is dropped,
    /// what was under way is cut there (an earlier stop stands).
    pub fn stop_at(&mut self, stop: Stop) {
        if self.stopped.is_some_and(|s| s.at_ms <= stop.at_ms) {
            return;
        }
        let at = stop.at_ms;
        for flow in &mut self.flows {
            flow.segments.retain(|s| s.from_ms < at);
            if let Some(last) = flow.segments.last_mut() {
                last.to_ms = last.to_ms.min(at);
            }
        }
        self.states.retain(|s| s.from_ms < at);
        if let Some(last) = self.states.last_mut() {
            last.to_ms = last.to_ms.min(at);
        }
        self.events.retain(|e| e.at_ms < at);
        self.expectations.retain(|e| e.at_ms < at);
        self.observations.retain(|o| o.at_ms < at);
        self.intercepted.retain(|i| i.at_ms < at);
        self.data_plane_events.retain(|e| e.at_ms < at);
        self.stopped = Some(stop);
    }

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

/// Test support for runs that stop at their budget.
#[cfg(test)]
impl Trace {
    /// Asserts that the run ends at `at_ms`: no segment, event or
    /// observation from then on, and the phone's last state cut there.
    pub(crate) fn assert_ends_at(&self, at_ms: u64) {
        for flow in &self.flows {
            assert!(
                flow.segments
                    .iter()
                    .all(|s| s.from_ms < at_ms && s.to_ms <= at_ms),
                "{} has a segment past {at_ms} ms",
                flow.name
            );
        }
        assert!(self.events.iter().all(|e| e.at_ms < at_ms));
        assert!(self.observations.iter().all(|o| o.at_ms < at_ms));
        assert_eq!(self.states.last().map(|s| s.to_ms), Some(at_ms));
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

    /// `last_begun` searches by halves: it relies on every flow's segments
    /// beginning in time order, one per instant at most.
    #[test]
    fn every_flows_segments_begin_in_time_order() {
        let worst = crate::workload::worst_shapes();
        let texts = library::LIBRARY
            .iter()
            .map(|b| b.text.to_string())
            .chain(worst.into_iter().map(|(_, text)| text));
        for text in texts {
            let scenario = crate::scenario::parse(&text).unwrap();
            let trace = crate::timeline::run(&scenario);
            for flow in &trace.flows {
                assert!(
                    flow.segments
                        .windows(2)
                        .all(|w| w[0].from_ms < w[1].from_ms),
                    "{}: {}",
                    scenario.title,
                    flow.name
                );
            }
        }
    }
}
