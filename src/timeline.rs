//! The control plane over time: a scenario's events drive the phone's network
//! and the tunnel's state; at every change the policy re-decides each open
//! flow, and the answers become the flows' segments.
//!
//! Discrete and event-driven: time jumps from one instant (an event, a flow
//! opening or closing, the tunnel finishing a transition) to the next.

use crate::budget::{self, Limit, Stop};
use crate::facts::{self, AssumptionId, AssumptionValue, Fact};
use crate::model::{Attack, Network, Route, TunnelState};
use crate::policy::{self, Assumptions, Connection, Context, Decision, VpnConfig};
use crate::scenario::{Action, Scenario, duration};
use crate::trace::{
    AfterReboot, AssumptionUse, Cited, Disconnect, Effect, EventTrace, ExpectationResult,
    FlowTrace, Installed, Restarted, Retry, RuleRef, ScenarioSummary, Segment, SettingRestart,
    StateSpan, Trace, Transition, Unchanged, UpdateStart,
};
use crate::version::IosVersion;

/// The phone and tunnel as the events leave them.
#[derive(Clone, Debug)]
struct World {
    ios: IosVersion,
    network: Option<Network>,
    /// The network to come back to when airplane mode ends.
    network_before_airplane: Network,
    tunnel: TunnelState,
    vpn: Option<VpnConfig>,
    /// When the tunnel's current transition (connecting, reasserting,
    /// restarting) completes, if it is progressing.
    transition_done_at: Option<u64>,
    /// The user disconnected while the provider was lost.
    disconnected_after_loss: bool,
    /// Whether the user lets apps post notifications.
    notifications: bool,
    /// An App Store update of the VPN app has started and not finished;
    /// its length when nothing stops the download.
    update: Option<u64>,
    /// The App Store is working on it (a reboot interrupts it until the
    /// App Store retries).
    update_active: bool,
    /// When the update finishes, while its download can make progress.
    update_done_at: Option<u64>,
    /// When the App Store retries an unfinished update after a reboot.
    retry_at: Option<u64>,
    /// While restarting: when the phone is back, and on which network.
    rebooting_until: Option<u64>,
    network_before_reboot: Option<Network>,
    /// The VPN is off because the phone restarted without on-demand.
    off_after_reboot: bool,
    /// The scenario's Wi-Fi is an attacker's.
    attack: Option<Attack>,
    ip: crate::model::IpModes,
    /// Until when includeAllNetworks has not yet engaged after the tunnel
    /// (re)started and connected (`kill_switch_delay`).
    engaging_until: Option<u64>,
    /// Until when it still blocks after a user disconnect.
    releasing_until: Option<u64>,
    /// The current instant, for the two windows above.
    now: u64,
}

impl World {
    fn start(scenario: &Scenario) -> World {
        let tunnel = match &scenario.vpn {
            None => TunnelState::Absent,
            // A file whose first tunnel event is `connect` starts disconnected;
            // otherwise the tunnel is already up when the scenario begins.
            Some(_) if first_tunnel_action_is_connect(scenario) => TunnelState::Off,
            Some(_) => TunnelState::Connected,
        };
        World {
            ios: scenario.ios,
            network: Some(scenario.network),
            network_before_airplane: scenario.network,
            tunnel,
            vpn: scenario.vpn.clone(),
            transition_done_at: None,
            disconnected_after_loss: false,
            notifications: scenario.notifications,
            update: None,
            update_active: false,
            update_done_at: None,
            retry_at: None,
            rebooting_until: None,
            network_before_reboot: None,
            off_after_reboot: false,
            attack: scenario.attack,
            ip: scenario.ip,
            engaging_until: None,
            releasing_until: None,
            now: 0,
        }
    }

    /// Starts (or restarts) the clock on the tunnel's transition; it only
    /// progresses while there is a network.
    fn schedule(&mut self, now: u64, assume: &Assumptions) {
        let wait = match self.tunnel {
            TunnelState::Connecting | TunnelState::Restarting => {
                assume.millis(AssumptionId::ConnectTime)
            }
            TunnelState::Reasserting => assume.millis(AssumptionId::ReassertTime),
            _ => {
                self.transition_done_at = None;
                return;
            }
        };
        self.transition_done_at = self.network.map(|_| now + wait);
    }

    fn ian(&self) -> bool {
        self.vpn.as_ref().is_some_and(VpnConfig::ian)
    }

    /// The tunnel provider is running (so an update has something to stop).
    fn provider_running(&self) -> bool {
        matches!(
            self.tunnel,
            TunnelState::Connecting
                | TunnelState::Connected
                | TunnelState::Reasserting
                | TunnelState::Restarting
                | TunnelState::AppearsConnected
        )
    }

    fn context<'a>(&'a self, assume: &'a Assumptions) -> Context<'a> {
        Context {
            ios: self.ios,
            vpn: self.vpn.as_ref(),
            assume,
            network: self.network,
            ip: self.ip,
            tunnel: self.tunnel,
            disconnected_after_loss: self.disconnected_after_loss,
            rebooting: self.rebooting_until.is_some(),
            off_after_reboot: self.off_after_reboot,
            attack: self.attack,
            kill_switch_engaging: self.engaging_until.is_some_and(|t| self.now < t),
            kill_switch_releasing: self.releasing_until.is_some_and(|t| self.now < t),
        }
    }
}

/// The rule for this release behind a fact, as an effect cites it.
fn cite(fact: Fact, ios: IosVersion) -> Cited {
    facts::lookup(fact, ios).map(|r| r.id)
}

fn first_tunnel_action_is_connect(scenario: &Scenario) -> bool {
    scenario
        .events
        .iter()
        .find(|e| {
            matches!(
                e.action,
                Action::Connect
                    | Action::Disconnect
                    | Action::TunnelLost
                    | Action::Set(_)
                    | Action::AppUpdate(_)
                    | Action::Reboot
            )
        })
        .is_some_and(|e| e.action == Action::Connect)
}

/// When the tunnel's current transition ends.
fn transition(world: &World) -> Transition {
    Transition {
        until_ms: world.transition_done_at,
    }
}

/// Applies one scenario event; returns what it did.
fn apply(world: &mut World, action: &Action, now: u64, assume: &Assumptions) -> Effect {
    let unchanged = |why| Effect::Unchanged { why };
    match action {
        _ if world.rebooting_until.is_some() && !matches!(action, Action::Reboot) => {
            unchanged(Unchanged::PhoneRestarting)
        }
        Action::Connect | Action::Disconnect | Action::Set(_)
            if world.tunnel == TunnelState::Updating =>
        {
            unchanged(Unchanged::BeingUpdated {
                rule: if world.ian() {
                    cite(Fact::UpdateBlocksEverything, world.ios)
                } else {
                    cite(Fact::UpdateStopsProvider, world.ios)
                },
            })
        }
        Action::UpdateAvailable => Effect::UpdateNotice {
            include_all_networks: world.ian(),
            notifications: world.notifications,
            rule: cite(Fact::UpdateNotice, world.ios),
        },
        Action::AppUpdate(length) => Effect::UpdateStarts {
            start: start_update(world, *length),
        },
        Action::Reboot => {
            let back = now + assume.millis(AssumptionId::RebootTime);
            if world.rebooting_until.is_none() {
                world.network_before_reboot = world.network;
            }
            world.rebooting_until = Some(back);
            world.network = None;
            world.transition_done_at = None;
            world.update_done_at = None;
            world.update_active = false;
            world.retry_at = None;
            world.disconnected_after_loss = false;
            world.off_after_reboot = false;
            if world.tunnel != TunnelState::Absent {
                world.tunnel = TunnelState::Rebooting;
            }
            Effect::Reboots {
                back_at_ms: back,
                update_pending: world.update.is_some(),
                rule: cite(Fact::Rebooting, world.ios),
            }
        }
        Action::Connect => match world.tunnel {
            TunnelState::Off | TunnelState::Lost => {
                world.off_after_reboot = false;
                world.disconnected_after_loss = false;
                world.tunnel = TunnelState::Connecting;
                world.schedule(now, assume);
                Effect::Connecting {
                    until: transition(world),
                }
            }
            state => unchanged(Unchanged::TunnelAlready { state }),
        },
        Action::Disconnect => {
            if world.tunnel == TunnelState::Off {
                return unchanged(Unchanged::TunnelAlready {
                    state: TunnelState::Off,
                });
            }
            if world.tunnel == TunnelState::Lost && world.ian() {
                world.disconnected_after_loss = true;
                let rule = cite(Fact::DisconnectAfterLoss, world.ios);
                let recovers = assume.flag(AssumptionId::DisconnectRecoversLostTunnel);
                if recovers {
                    world.tunnel = TunnelState::Off;
                    world.schedule(now, assume);
                }
                return Effect::Disconnected {
                    how: Disconnect::AfterLoss { rule, recovers },
                };
            }
            let was_stale = world.tunnel == TunnelState::AppearsConnected;
            world.tunnel = TunnelState::Off;
            world.off_after_reboot = false;
            world.schedule(now, assume);
            let delay = assume.millis(AssumptionId::KillSwitchDelay);
            if world.ian() && delay > 0 && !was_stale {
                world.releasing_until = Some(now + delay);
            }
            Effect::Disconnected {
                how: if was_stale {
                    Disconnect::AppearsConnected
                } else {
                    Disconnect::ByUser
                },
            }
        }
        Action::TunnelLost => {
            if !world.tunnel.is_meant_up() || world.tunnel == TunnelState::Lost {
                return unchanged(Unchanged::TunnelIs {
                    state: world.tunnel,
                });
            }
            let on_demand = world.vpn.as_ref().is_some_and(|v| v.on_demand);
            if on_demand {
                world.tunnel = TunnelState::Connecting;
                world.schedule(now, assume);
                Effect::ProviderGone {
                    restarted: Some(Restarted {
                        rule: cite(Fact::OnDemandRestarts, world.ios),
                        until: transition(world),
                    }),
                }
            } else {
                world.tunnel = TunnelState::Lost;
                world.schedule(now, assume);
                Effect::ProviderGone { restarted: None }
            }
        }
        Action::Network(network) => {
            if world.network == Some(*network) {
                return unchanged(Unchanged::AlreadyOn { network: *network });
            }
            let from = world.network;
            world.network = Some(*network);
            let reasserts = matches!(
                world.tunnel,
                TunnelState::Connected | TunnelState::Reasserting
            );
            if reasserts {
                world.tunnel = TunnelState::Reasserting;
            }
            world.schedule(now, assume);
            Effect::NetworkChanged {
                from,
                to: *network,
                reasserts: reasserts.then(|| transition(world)),
            }
        }
        Action::Airplane(true) => {
            let Some(network) = world.network else {
                return unchanged(Unchanged::AirplaneAlready { on: true });
            };
            world.network_before_airplane = network;
            world.network = None;
            if world.tunnel == TunnelState::Connected {
                world.tunnel = TunnelState::Reasserting;
            }
            world.schedule(now, assume);
            Effect::AirplaneOn
        }
        Action::Airplane(false) => {
            if world.network.is_some() {
                return unchanged(Unchanged::AirplaneAlready { on: false });
            }
            world.network = Some(world.network_before_airplane);
            world.schedule(now, assume);
            Effect::AirplaneOff {
                back_on: world.network_before_airplane,
                reasserts: (world.tunnel == TunnelState::Reasserting).then(|| transition(world)),
            }
        }
        Action::Set(setting) => {
            let Some(vpn) = world.vpn.as_mut() else {
                return unchanged(Unchanged::NoVpn);
            };
            setting.apply(vpn);
            let restart = if matches!(world.tunnel, TunnelState::Off | TunnelState::Absent) {
                SettingRestart::TunnelOff
            } else if world.network.is_none() {
                // With no radio up the restart exposes nothing: the tunnel
                // is stopped and then waits to connect with the new
                // setting. Mullvad suggests airplane mode before switching
                // for this reason.
                world.tunnel = TunnelState::Connecting;
                world.schedule(now, assume);
                SettingRestart::NoNetwork {
                    rule: cite(Fact::TunnelRestarting, world.ios),
                }
            } else {
                world.tunnel = TunnelState::Restarting;
                world.schedule(now, assume);
                SettingRestart::Restarts {
                    until: transition(world),
                }
            };
            Effect::SettingChanged {
                setting: setting.clone(),
                restart,
            }
        }
    }
}

/// The App Store starts installing the VPN app (by the user, or retrying
/// after a reboot).
fn start_update(world: &mut World, length: u64) -> UpdateStart {
    world.update = Some(length);
    world.update_active = true;
    world.update_done_at = None;
    world.retry_at = None;
    if !world.provider_running() && world.tunnel != TunnelState::Lost {
        return UpdateStart::NothingRunning;
    }
    world.tunnel = TunnelState::Updating;
    world.transition_done_at = None;
    UpdateStart::StopsProvider {
        rule: cite(Fact::UpdateStopsProvider, world.ios),
        include_all_networks: world.ian(),
        meanwhile: if world.ian() {
            cite(Fact::UpdateBlocksEverything, world.ios)
        } else {
            cite(Fact::UpdateLeaksWithoutIan, world.ios)
        },
    }
}

/// What happens by itself at `now` (a restart or an update finishing, the
/// App Store retrying), as (what, effect) lines for the trace.
fn happenings(world: &mut World, now: u64, assume: &Assumptions) -> Vec<(&'static str, Effect)> {
    let mut out = Vec::new();
    if world.rebooting_until == Some(now) {
        world.rebooting_until = None;
        world.network = world.network_before_reboot.take();
        let vpn = match world.vpn.as_ref().map(|v| v.on_demand) {
            Some(true) => {
                world.tunnel = TunnelState::Connecting;
                world.schedule(now, assume);
                Some(AfterReboot::OnDemandStarts {
                    rule: cite(Fact::OnDemandRestarts, world.ios),
                })
            }
            Some(false) => {
                world.tunnel = TunnelState::Off;
                world.off_after_reboot = true;
                Some(AfterReboot::StaysOff {
                    rule: cite(Fact::OffAfterReboot, world.ios),
                })
            }
            None => None,
        };
        let retry = world.update.map(|_| {
            let at = now + assume.millis(AssumptionId::UpdateRetryDelay);
            world.retry_at = Some(at);
            Retry {
                at_ms: at,
                rule: cite(Fact::UpdateRetries, world.ios),
            }
        });
        out.push(("reboot done", Effect::RebootDone { vpn, retry }));
    }
    if world.update_done_at == Some(now) {
        world.update_done_at = None;
        world.update = None;
        world.update_active = false;
        world.retry_at = None;
        let then = if world.tunnel == TunnelState::Updating {
            let stale = policy::holds(Fact::PostUpdateLeak, &world.context(assume));
            if stale && !world.ian() {
                world.tunnel = TunnelState::AppearsConnected;
                Installed::AppearsConnected {
                    rule: cite(Fact::PostUpdateLeak, world.ios),
                }
            } else {
                world.tunnel = TunnelState::Connecting;
                world.schedule(now, assume);
                Installed::Reconnects {
                    rule: cite(Fact::UpdateReconnects, world.ios),
                }
            }
        } else {
            Installed::VpnAsItWas
        };
        out.push(("app-update done", Effect::UpdateInstalled { then }));
    }
    if world.retry_at == Some(now) {
        let length = world.update.unwrap_or(crate::scenario::DEFAULT_UPDATE_MS);
        let rule = cite(Fact::UpdateRetries, world.ios);
        let start = start_update(world, length);
        out.push(("app-update (retry)", Effect::UpdateRetried { rule, start }));
    }
    out
}

/// An update's download makes progress only while the App Store can reach
/// its servers; cut off, it starts again when it can (a simplification).
fn track_update(world: &mut World, now: u64, assume: &Assumptions) {
    let Some(length) = world.update.filter(|_| world.update_active) else {
        world.update_done_at = None;
        return;
    };
    let reachable = matches!(
        policy::decide(
            &world.context(assume),
            crate::model::FlowKind::AppStore,
            None
        )
        .route,
        Route::Direct | Route::Tunnel
    );
    if !reachable {
        world.update_done_at = None;
    } else if world.update_done_at.is_none() {
        world.update_done_at = Some(now + length);
    }
}

/// A flow's progress through the run.
struct FlowRun {
    connection: Option<Connection>,
    /// Its last decision left its connection as it found it: at a moment
    /// like the last, deciding again would give the same answer.
    settled: bool,
    trace: FlowTrace,
}

/// What the policy reads of the moment, owned (the release and the
/// assumptions never change within a run): at an instant whose moment is
/// the last one's, a settled flow's decision stands.
#[derive(PartialEq)]
struct Moment {
    vpn: Option<VpnConfig>,
    network: Option<Network>,
    ip: crate::model::IpModes,
    tunnel: TunnelState,
    disconnected_after_loss: bool,
    rebooting: bool,
    off_after_reboot: bool,
    attack: Option<Attack>,
    kill_switch_engaging: bool,
    kill_switch_releasing: bool,
}

impl Moment {
    fn of(ctx: &Context<'_>) -> Moment {
        Moment {
            vpn: ctx.vpn.cloned(),
            network: ctx.network,
            ip: ctx.ip,
            tunnel: ctx.tunnel,
            disconnected_after_loss: ctx.disconnected_after_loss,
            rebooting: ctx.rebooting,
            off_after_reboot: ctx.off_after_reboot,
            attack: ctx.attack,
            kill_switch_engaging: ctx.kill_switch_engaging,
            kill_switch_releasing: ctx.kill_switch_releasing,
        }
    }
}

/// Equal text; the same static text (the usual case) without reading it.
fn same_words(a: &'static str, b: &'static str) -> bool {
    std::ptr::eq(a, b) || a == b
}

fn same_segment(segment: &Segment, decision: &Decision) -> bool {
    segment.route == decision.route
        && segment.interface == decision.interface
        && segment.family == decision.family
        && segment.on_wire == decision.on_wire
        && segment.seen_as == decision.seen_as
        && segment.rules.len() == decision.rules.len()
        && segment
            .rules
            .iter()
            .zip(&decision.rules)
            .all(|(a, b)| same_words(a.id, b.id) && same_words(a.says, b.says))
}

fn segment_from(decision: Decision, from_ms: u64) -> Segment {
    Segment {
        from_ms,
        to_ms: from_ms,
        route: decision.route,
        interface: decision.interface,
        on_wire: decision.on_wire,
        app_family: (decision.on_wire != decision.family).then_some(decision.family),
        family: decision.family,
        seen_as: decision.seen_as,
        change: decision.continuity,
        rules: decision.rules.into_iter().map(RuleRef::from).collect(),
        observed_by: None,
    }
}

/// What a decision depends on besides the moment.
type DecisionKey = (
    crate::model::FlowKind,
    crate::model::FamilyChoice,
    Option<Connection>,
);

/// Runs a validated scenario through the control plane.
pub fn run(scenario: &Scenario) -> Trace {
    let assume = &scenario.assume;
    let end = scenario.duration_ms;
    let mut world = World::start(scenario);
    let mut flows: Vec<FlowRun> = scenario
        .flows
        .iter()
        .map(|f| FlowRun {
            connection: None,
            settled: false,
            trace: FlowTrace {
                name: f.name.clone(),
                kind: f.kind,
                open_ms: f.open_ms,
                close_ms: f.close_ms,
                segments: Vec::new(),
                packets: None,
                bytes: None,
                dropped: None,
            },
        })
        .collect();
    let mut events = Vec::new();
    let mut states: Vec<StateSpan> = Vec::new();
    let mut next_event = 0;
    let mut now = 0;
    let mut segment_count = 0;
    let mut stopped = None;
    let mut last_moment: Option<Moment> = None;
    // When flows open and close, in order (for the next instant).
    let mut flow_times: Vec<u64> = scenario
        .flows
        .iter()
        .flat_map(|f| [f.open_ms, f.close_ms])
        .collect();
    flow_times.sort_unstable();

    loop {
        // Flows closing now end their last segment here.
        for (flow, run) in scenario.flows.iter().zip(&mut flows) {
            if flow.close_ms == now
                && let Some(last) = run.trace.segments.last_mut()
            {
                last.to_ms = now;
            }
        }
        // The tunnel finishes a transition before the user acts at the same instant.
        world.now = now;
        if world.transition_done_at == Some(now) {
            // A tunnel that (re)started engages includeAllNetworks only
            // after `kill_switch_delay` (IVPN's report; 0 by default).
            let started = matches!(
                world.tunnel,
                TunnelState::Connecting | TunnelState::Restarting
            );
            let delay = assume.millis(AssumptionId::KillSwitchDelay);
            if started && world.ian() && delay > 0 {
                world.engaging_until = Some(now + delay);
            }
            world.tunnel = TunnelState::Connected;
            world.transition_done_at = None;
        }
        if world.tunnel != TunnelState::Connected {
            world.engaging_until = None;
        }
        if world.tunnel != TunnelState::Off {
            world.releasing_until = None;
        }
        for (action, effect) in happenings(&mut world, now, assume) {
            events.push(EventTrace {
                at_ms: now,
                action: action.to_string(),
                effect,
            });
        }
        while let Some(event) = scenario.events.get(next_event).filter(|e| e.at_ms == now) {
            let effect = apply(&mut world, &event.action, now, assume);
            events.push(EventTrace {
                at_ms: now,
                action: event.text.clone(),
                effect,
            });
            next_event += 1;
        }
        track_update(&mut world, now, assume);
        record_state(&mut states, &world, now);

        let ctx = world.context(assume);
        let moment = Moment::of(&ctx);
        let quiet = last_moment.as_ref() == Some(&moment);
        last_moment = Some(moment);
        // The policy is a function of the moment and the flow's kind, IP
        // choice and connection: flows alike share one decision per instant
        // (a thousand flows are a handful of kinds).
        let mut decided: Vec<(DecisionKey, Decision)> = Vec::new();
        for (flow, run) in scenario.flows.iter().zip(&mut flows) {
            let open = flow.open_ms <= now && now < flow.close_ms;
            if !open {
                continue;
            }
            if quiet && run.settled && flow.open_ms != now {
                continue;
            }
            let existing = if flow.open_ms == now {
                None
            } else {
                run.connection
            };
            let key = (flow.kind, flow.family, existing);
            let index = match decided.iter().position(|(k, _)| *k == key) {
                Some(index) => index,
                None => {
                    let decision = policy::decide_as(&ctx, flow.kind, flow.family, existing);
                    decided.push((key, decision));
                    decided.len() - 1
                }
            };
            let decision = &decided[index].1;
            let unchanged = run
                .trace
                .segments
                .last()
                .is_some_and(|s| flow.open_ms != now && same_segment(s, decision));
            run.settled = existing == decision.connection;
            run.connection = decision.connection;
            if unchanged {
                continue;
            }
            if let Some(last) = run.trace.segments.last_mut() {
                last.to_ms = now;
            }
            run.trace.segments.push(segment_from(decision.clone(), now));
            segment_count += 1;
        }
        // Past the budget the run ends here, before this instant's changes.
        if segment_count > budget::SEGMENTS {
            stopped = Some(Stop::new(Limit::Segments, now));
            break;
        }

        let next = [
            scenario.events.get(next_event).map(|e| e.at_ms),
            world.transition_done_at,
            world.engaging_until,
            world.releasing_until,
            world.update_done_at,
            world.rebooting_until,
            world.retry_at,
            flow_times
                .get(flow_times.partition_point(|t| *t <= now))
                .copied(),
        ]
        .into_iter()
        .flatten()
        .filter(|t| *t > now)
        .min();
        match next {
            Some(t) if t < end => now = t,
            _ => break,
        }
    }

    for run in &mut flows {
        if let Some(last) = run.trace.segments.last_mut()
            && last.to_ms <= last.from_ms
        {
            last.to_ms = run.trace.close_ms;
        }
    }
    if let Some(last) = states.last_mut() {
        last.to_ms = end;
    }
    let flows: Vec<FlowTrace> = flows.into_iter().map(|r| r.trace).collect();
    let expectations = check_expectations(scenario, &flows);
    let mut trace = Trace {
        scenario: summarize(scenario),
        flows,
        events,
        states,
        expectations,
        observations: Vec::new(),
        intercepted: Vec::new(),
        data_plane_events: Vec::new(),
        packet_events: None,
        stopped: None,
    };
    if let Some(stop) = stopped {
        trace.stop_at(stop);
    }
    trace
}

fn record_state(states: &mut Vec<StateSpan>, world: &World, now: u64) {
    let span = StateSpan {
        from_ms: now,
        to_ms: now,
        network: world.network,
        tunnel: world.tunnel,
        include_all_networks: world.ian(),
    };
    if let Some(last) = states.last_mut() {
        if last.network == span.network
            && last.tunnel == span.tunnel
            && last.include_all_networks == span.include_all_networks
        {
            return;
        }
        last.to_ms = now;
    }
    states.push(span);
}

fn check_expectations(scenario: &Scenario, flows: &[FlowTrace]) -> Vec<ExpectationResult> {
    scenario
        .expects
        .iter()
        .filter_map(|expect| {
            let segment = flows
                .iter()
                .find(|f| f.name == expect.flow)?
                .segment_at(expect.at_ms)?;
            let ok = segment.route == expect.route
                && expect.seen_as.is_none_or(|s| s == segment.seen_as)
                && expect.interface.is_none_or(|i| i == segment.interface)
                && expect.family.is_none_or(|f| f == segment.on_wire);
            Some(ExpectationResult {
                flow: expect.flow.clone(),
                at_ms: expect.at_ms,
                want: expect.route,
                got: segment.route,
                want_seen_as: expect.seen_as,
                got_seen_as: segment.seen_as,
                want_interface: expect.interface,
                got_interface: segment.interface,
                want_family: expect.family,
                got_family: segment.on_wire,
                ok,
                line: expect.line,
                rules: segment.rules.clone(),
            })
        })
        .collect()
}

fn summarize(scenario: &Scenario) -> ScenarioSummary {
    let vpn = scenario.vpn.clone();
    let assumptions = scenario
        .assume
        .iter()
        .map(|(id, value)| {
            let fact = facts::assumption(id);
            AssumptionUse {
                key: fact.key,
                value: match value {
                    AssumptionValue::Bool(b) => b.to_string(),
                    AssumptionValue::Millis(ms) => duration::format(ms),
                    AssumptionValue::Choice { value, .. } => value.to_string(),
                },
                is_default: value == fact.default,
                meaning: fact.meaning,
            }
        })
        .collect();
    ScenarioSummary {
        title: scenario.title.clone(),
        ios: scenario.ios.to_string(),
        network: scenario.network,
        attack: scenario.attack,
        wifi_ip: scenario.ip.wifi,
        cellular_ip: scenario.ip.cellular,
        duration_ms: scenario.duration_ms,
        seed: scenario.seed,
        vpn,
        preset: scenario.preset,
        profile: scenario.profile.clone(),
        assumptions,
    }
}

/// Routes a flow takes over its life, for quick checks in tests.
pub fn routes_of(trace: &Trace, flow: &str) -> Vec<(u64, Route)> {
    trace
        .flow(flow)
        .map(|f| f.segments.iter().map(|s| (s.from_ms, s.route)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::LIBRARY;
    use crate::scenario;

    fn trace(text: &str) -> Trace {
        run(&scenario::parse(text).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn segments_are_contiguous_and_cover_each_flow_in_every_library_file() {
        for built_in in LIBRARY {
            let t = run(&built_in.parse().unwrap());
            for flow in &t.flows {
                let first = flow.segments.first().expect("a flow has segments");
                assert_eq!(
                    first.from_ms, flow.open_ms,
                    "{} {}",
                    built_in.name, flow.name
                );
                assert_eq!(flow.segments.last().unwrap().to_ms, flow.close_ms);
                for pair in flow.segments.windows(2) {
                    assert_eq!(
                        pair[0].to_ms, pair[1].from_ms,
                        "{} {}",
                        built_in.name, flow.name
                    );
                }
                assert!(
                    flow.segments
                        .iter()
                        .all(|s| s.from_ms < s.to_ms && !s.rules.is_empty())
                );
            }
            let states = &t.states;
            assert_eq!(states.first().unwrap().from_ms, 0);
            assert_eq!(states.last().unwrap().to_ms, t.scenario.duration_ms);
            assert!(states.windows(2).all(|p| p[0].to_ms == p[1].from_ms));
        }
    }

    #[test]
    fn the_same_scenario_gives_the_same_json_every_time() {
        for built_in in LIBRARY {
            let a = crate::report::json(&run(&built_in.parse().unwrap()));
            let b = crate::report::json(&run(&built_in.parse().unwrap()));
            assert_eq!(a, b, "{}", built_in.name);
        }
    }

    const IAN_PHONE: &str = "title = \"t\"\nios = \"18.2\"\nduration = \"1m\"\n[vpn]\ninclude_all_networks = true\n[[flow]]\nname = \"web\"\nkind = \"app\"\nopen = \"0s\"\n";

    /// IVPN's reported delay, when assumed: for `kill_switch_delay` after the
    /// tunnel connects the flag has not engaged (LAN traffic it would send
    /// into the tunnel still goes out directly), and after a disconnect it
    /// still blocks.
    #[test]
    fn the_kill_switch_delay_exposes_lan_traffic_and_holds_after_a_disconnect() {
        let text = "title = \"t\"\nios = \"18.2\"\nduration = \"1m\"\n[vpn]\ninclude_all_networks = true\nexclude_local_networks = false\n[assume]\nkill_switch_delay = \"2s\"\n[[flow]]\nname = \"printer\"\nkind = \"local-network\"\nopen = \"0s\"\n[[flow]]\nname = \"web\"\nkind = \"app\"\nopen = \"0s\"\n[[event]]\nat = \"10s\"\ndo = \"connect\"\n[[event]]\nat = \"30s\"\ndo = \"disconnect\"\n";
        let t = trace(text);
        assert_eq!(
            routes_of(&t, "printer"),
            [
                (0, Route::Direct),
                (10_000, Route::Blocked),
                (11_000, Route::Direct),
                (13_000, Route::Tunnel),
                (30_000, Route::Blocked),
                (32_000, Route::Direct)
            ]
        );
        let printer = t.flow("printer").unwrap();
        assert_eq!(printer.segments[2].rules[0].id, "ian.engage-delay");
        assert_eq!(
            printer.segments[4].rules.last().unwrap().id,
            "ian.release-delay"
        );
        // Without the assumption (the default): no window either way.
        let t = trace(&text.replace("kill_switch_delay = \"2s\"", ""));
        assert_eq!(
            routes_of(&t, "printer"),
            [
                (0, Route::Direct),
                (10_000, Route::Blocked),
                (11_000, Route::Tunnel),
                (30_000, Route::Direct)
            ]
        );
    }

    #[test]
    fn a_file_whose_first_tunnel_event_is_connect_starts_disconnected() {
        let t = trace(&format!(
            "{IAN_PHONE}[[event]]\nat = \"10s\"\ndo = \"connect\"\n"
        ));
        assert_eq!(
            routes_of(&t, "web"),
            [
                (0, Route::Direct),
                (10_000, Route::Blocked),
                (11_000, Route::Tunnel)
            ]
        );
        // Otherwise the tunnel is up from the start.
        let t = trace(&format!(
            "{IAN_PHONE}[[event]]\nat = \"10s\"\ndo = \"disconnect\"\n"
        ));
        assert_eq!(
            routes_of(&t, "web"),
            [(0, Route::Tunnel), (10_000, Route::Direct)]
        );
    }

    #[test]
    fn connect_time_is_the_assumption() {
        let t = trace(&format!(
            "{IAN_PHONE}[assume]\nconnect_time = \"4s\"\n[[event]]\nat = \"10s\"\ndo = \"connect\"\n"
        ));
        assert_eq!(routes_of(&t, "web")[2], (14_000, Route::Tunnel));
    }

    #[test]
    fn a_lost_tunnel_comes_back_only_with_on_demand() {
        let lost = format!("{IAN_PHONE}[[event]]\nat = \"10s\"\ndo = \"tunnel:lost\"\n");
        let t = trace(&lost);
        assert_eq!(
            routes_of(&t, "web"),
            [(0, Route::Tunnel), (10_000, Route::Blocked)]
        );
        let t = trace(&lost.replace(
            "include_all_networks = true",
            "include_all_networks = true\non_demand = true",
        ));
        assert_eq!(
            routes_of(&t, "web"),
            [
                (0, Route::Tunnel),
                (10_000, Route::Blocked),
                (11_000, Route::Tunnel)
            ]
        );
        assert!(matches!(
            t.events[0].effect,
            Effect::ProviderGone {
                restarted: Some(Restarted {
                    rule: Some("vpn.on-demand-connect"),
                    until: Transition {
                        until_ms: Some(11_000)
                    }
                })
            }
        ));
    }

    #[test]
    fn a_disconnect_after_a_loss_follows_the_assumption() {
        let lost = format!(
            "{IAN_PHONE}[[event]]\nat = \"10s\"\ndo = \"tunnel:lost\"\n[[event]]\nat = \"20s\"\ndo = \"disconnect\"\n"
        );
        let t = trace(&lost);
        assert_eq!(
            routes_of(&t, "web"),
            [
                (0, Route::Tunnel),
                (10_000, Route::Blocked),
                (20_000, Route::Direct)
            ]
        );
        assert_eq!(
            t.events[1].effect,
            Effect::Disconnected {
                how: Disconnect::AfterLoss {
                    rule: Some("vpn.disconnect-after-loss"),
                    recovers: true
                }
            }
        );
        // The flow's own rule chain names the assumption it depends on.
        let after = &t.flow("web").unwrap().segments[2];
        let ids: Vec<&str> = after.rules.iter().map(|r| r.id).collect();
        assert_eq!(
            ids,
            [
                "flow.tunnel-gone-resets",
                "vpn.disconnect-after-loss",
                "vpn.not-connected"
            ]
        );
        assert_eq!(
            after.rules[1].assumption,
            Some("disconnect_recovers_lost_tunnel")
        );
        let t = trace(&lost.replace(
            "[[flow]]",
            "[assume]\ndisconnect_recovers_lost_tunnel = false\n[[flow]]",
        ));
        assert_eq!(
            routes_of(&t, "web"),
            [
                (0, Route::Tunnel),
                (10_000, Route::Blocked),
                (20_000, Route::Blocked)
            ]
        );
        let still_blocked = &t.flow("web").unwrap().segments[2];
        assert_eq!(still_blocked.rules[0].id, "vpn.disconnect-after-loss");
        assert!(matches!(
            t.events[1].effect,
            Effect::Disconnected {
                how: Disconnect::AfterLoss {
                    recovers: false,
                    ..
                }
            }
        ));
    }

    #[test]
    fn connecting_during_airplane_mode_waits_for_a_network() {
        let t = trace(&format!(
            "{IAN_PHONE}[[event]]\nat = \"5s\"\ndo = \"airplane:on\"\n[[event]]\nat = \"10s\"\ndo = \"tunnel:lost\"\n[[event]]\nat = \"12s\"\ndo = \"connect\"\n[[event]]\nat = \"20s\"\ndo = \"airplane:off\"\n"
        ));
        assert_eq!(
            routes_of(&t, "web"),
            [
                (0, Route::Tunnel),
                (5_000, Route::Offline),
                (20_000, Route::Blocked),
                (21_000, Route::Tunnel)
            ]
        );
    }

    #[test]
    fn a_setting_change_restarts_the_tunnel_and_then_applies() {
        let t = trace(&format!(
            "{IAN_PHONE}[[flow]]\nname = \"lan\"\nkind = \"local-network\"\nopen = \"0s\"\n[[event]]\nat = \"10s\"\ndo = \"set:exclude_local_networks=false\"\n"
        ));
        assert_eq!(
            routes_of(&t, "lan"),
            [
                (0, Route::Direct),
                (10_000, Route::Direct),
                (11_000, Route::Tunnel)
            ]
        );
        let lan = t.flow("lan").unwrap();
        assert_eq!(lan.segments.len(), 3, "the restart is its own segment");
        assert_eq!(lan.segments[1].rules[0].id, "vpn.restart-exposes");
        assert_eq!(t.states[1].tunnel, TunnelState::Restarting);
    }

    /// Mullvad's advice: switch in airplane mode, and the restart exposes
    /// nothing; the flag is in force when the radios come back.
    #[test]
    fn a_setting_changed_in_airplane_mode_restarts_with_nothing_exposed() {
        let t = trace(&format!(
            "{IAN_PHONE}[[flow]]\nname = \"lan\"\nkind = \"local-network\"\nopen = \"0s\"\n[[event]]\nat = \"5s\"\ndo = \"airplane:on\"\n[[event]]\nat = \"10s\"\ndo = \"set:exclude_local_networks=false\"\n[[event]]\nat = \"20s\"\ndo = \"airplane:off\"\n"
        ));
        assert_eq!(
            routes_of(&t, "lan"),
            [
                (0, Route::Direct),
                (5_000, Route::Offline),
                (20_000, Route::Blocked),
                (21_000, Route::Tunnel)
            ]
        );
        assert!(
            matches!(
                t.events[1].effect,
                Effect::SettingChanged {
                    restart: SettingRestart::NoNetwork { .. },
                    ..
                }
            ),
            "{:?}",
            t.events[1].effect
        );
        assert!(t.states.iter().all(|s| s.tunnel != TunnelState::Restarting));
    }

    #[test]
    fn redundant_events_say_they_changed_nothing() {
        let t = trace(&format!(
            "{IAN_PHONE}[[event]]\nat = \"5s\"\ndo = \"network:wifi\"\n[[event]]\nat = \"6s\"\ndo = \"airplane:off\"\n"
        ));
        assert_eq!(
            t.events.iter().map(|e| &e.effect).collect::<Vec<_>>(),
            [
                &Effect::Unchanged {
                    why: Unchanged::AlreadyOn {
                        network: Network::Wifi
                    }
                },
                &Effect::Unchanged {
                    why: Unchanged::AirplaneAlready { on: false }
                }
            ]
        );
        assert_eq!(t.flows[0].segments.len(), 1);
    }

    #[test]
    fn a_failed_expectation_reports_what_was_got_and_why() {
        let t = trace(&format!(
            "{IAN_PHONE}[[expect]]\nflow = \"web\"\nat = \"5s\"\nroute = \"direct\"\nseen_as = \"device\"\n"
        ));
        let e = &t.expectations[0];
        assert!(!e.ok);
        assert_eq!(
            (e.want, e.got, e.got_seen_as),
            (Route::Direct, Route::Tunnel, crate::model::SeenAs::Vpn)
        );
        assert_eq!(e.line, 10);
        assert_eq!(e.rules[0].id, "ian.tunnel");
    }

    #[test]
    fn the_json_keeps_the_documented_field_names() {
        let t = trace(&format!(
            "{IAN_PHONE}[[event]]\nat = \"5s\"\ndo = \"disconnect\"\n[[expect]]\nflow = \"web\"\nat = \"6s\"\nroute = \"direct\"\n"
        ));
        let v: serde_json::Value = serde_json::from_str(&crate::report::json(&t)).unwrap();
        assert_eq!(v["scenario"]["title"], "t");
        assert_eq!(v["scenario"]["ios"], "18.2");
        let seg = &v["flows"][0]["segments"][0];
        assert_eq!(v["flows"][0]["name"], "web");
        assert_eq!(v["flows"][0]["kind"], "app");
        assert_eq!(seg["from_ms"], 0);
        assert_eq!(seg["to_ms"], 5000);
        assert_eq!(seg["route"], "tunnel");
        assert_eq!(seg["interface"], "utun0");
        assert_eq!(seg["seen_as"], "vpn");
        let rule = &seg["rules"][0];
        assert_eq!(rule["id"], "ian.tunnel");
        assert_eq!(rule["provenance"], "documented");
        assert!(rule["says"].is_string() && rule["source"].is_string());
        assert_eq!(v["events"][0]["at_ms"], 5000);
        assert_eq!(v["events"][0]["do"], "disconnect");
        let e = &v["expectations"][0];
        assert_eq!(
            (&e["flow"], &e["at_ms"], &e["want"], &e["got"], &e["ok"]),
            (
                &"web".into(),
                &6000.into(),
                &"direct".into(),
                &"direct".into(),
                &true.into()
            )
        );
    }

    #[test]
    fn past_the_segment_budget_the_control_plane_stops_there() {
        let [_, (_, every_event), _] = crate::workload::worst_shapes();
        let scenario = crate::scenario::parse(&every_event).unwrap();
        let trace = run(&scenario);
        let stop = trace
            .stopped
            .expect("1000 flows × 1000 network changes is over budget");
        assert_eq!(stop.limit, Limit::Segments);
        let segments: usize = trace.flows.iter().map(|f| f.segments.len()).sum();
        assert!(segments <= budget::SEGMENTS && segments > budget::SEGMENTS - 1_000);
        trace.assert_ends_at(stop.at_ms);
        assert!(
            trace.events.len() > 20,
            "the events before the stop are kept"
        );
        // The packets stop there too.
        let packets = crate::engine::run(&scenario, &trace);
        assert!(packets.packets.iter().all(|p| p.at_us < stop.at_ms * 1_000));
    }
}
