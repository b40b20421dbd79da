//! The control plane: given the release, the VPN configuration, the device and
//! tunnel state and one flow, decide where the flow's traffic goes and why.
//!
//! Pure functions over small values; no bytes, no time, no I/O. Which fact is
//! relevant is decided here; *what* each fact says, and on which releases, is
//! looked up in [`crate::facts`].

pub use crate::config::{Assumptions, VpnConfig};

use crate::addresses;
use crate::facts::{self, AssumptionId, Fact, Rule};
use crate::model::{
    Attack, Family, FamilyChoice, FlowKind, Interface, IpModes, Network, Route, SeenAs, TunnelState,
};
use crate::version::IosVersion;
use core::net::IpAddr;
use serde::Serialize;

#[cfg(test)]
mod tests;

/// Everything the policy needs to know about the moment.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub ios: IosVersion,
    pub vpn: Option<&'a VpnConfig>,
    pub assume: &'a Assumptions,
    /// The primary network; `None` in airplane mode.
    pub network: Option<Network>,
    /// Which IP versions each network gives the phone.
    pub ip: IpModes,
    pub tunnel: TunnelState,
    /// The user disconnected after the tunnel provider was lost (what that
    /// does is an assumption, so the rule chain must say so).
    pub disconnected_after_loss: bool,
    /// The phone is restarting.
    pub rebooting: bool,
    /// The VPN is off because the phone restarted without on-demand.
    pub off_after_reboot: bool,
    /// The scenario's Wi-Fi is an attacker's, mounting this attack.
    pub attack: Option<Attack>,
    /// The tunnel has just (re)started and connected, and includeAllNetworks
    /// has not engaged yet (`kill_switch_delay`).
    pub kill_switch_engaging: bool,
    /// The user has just disconnected, and includeAllNetworks still blocks
    /// (`kill_switch_delay`).
    pub kill_switch_releasing: bool,
}

impl<'a> Context<'a> {
    /// A steady moment: the tunnel in `tunnel` state, nothing else going on
    /// (no restart, no reboot, no attack, no kill-switch delay).
    pub fn steady(
        ios: IosVersion,
        vpn: Option<&'a VpnConfig>,
        assume: &'a Assumptions,
        network: Option<Network>,
        tunnel: TunnelState,
    ) -> Context<'a> {
        Context {
            ios,
            vpn,
            assume,
            network,
            ip: IpModes::IPV4_ONLY,
            tunnel,
            disconnected_after_loss: false,
            rebooting: false,
            off_after_reboot: false,
            attack: None,
            kill_switch_engaging: false,
            kill_switch_releasing: false,
        }
    }

    /// The attack aimed at a flow of this kind now: the phone is on the
    /// attacker's Wi-Fi and the flow goes to the attack's target.
    /// The attacks are IPv4's (a DHCPv4 route, an IPv4 subnet, a spoofed A
    /// record), so an IPv6 connection is not aimed at.
    pub fn attack_on(&self, kind: FlowKind, family: Family) -> Option<Attack> {
        self.attack.filter(|_| {
            self.network == Some(Network::Wifi)
                && family == Family::V4
                && addresses::destination(kind) == IpAddr::V4(addresses::ATTACK_TARGET)
        })
    }

    /// includeAllNetworks is on and the tunnel is meant to be up, so the
    /// kill-switch policy is in force.
    pub fn ian_in_force(&self) -> bool {
        self.vpn.is_some_and(VpnConfig::ian)
            && self.tunnel.is_meant_up()
            && !self.kill_switch_engaging
    }
}

/// The path an already-open connection is using.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Connection {
    pub route: Route,
    pub interface: Interface,
    pub family: Family,
}

/// What happened to the flow's connection at this decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Continuity {
    /// A new connection.
    Opened,
    /// The connection carries on where it was.
    Kept,
    /// The system moved the connection onto another path.
    Moved,
    /// The connection broke; the app reconnects on the new path.
    Reset,
}

impl Continuity {
    pub fn as_str(self) -> &'static str {
        match self {
            Continuity::Opened => "opened",
            Continuity::Kept => "kept",
            Continuity::Moved => "moved",
            Continuity::Reset => "reset",
        }
    }
}

/// The policy's answer for one flow at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub route: Route,
    pub interface: Interface,
    /// The IP version of the app's connection (its socket).
    pub family: Family,
    /// The IP version of its packets as they leave the phone on
    /// `interface`: IPv6 where the phone's CLAT, or an address the VPN
    /// app had synthesized for the network's NAT64, carries an IPv4
    /// connection over an IPv6-only network; `family` everywhere else.
    pub on_wire: Family,
    pub seen_as: SeenAs,
    /// The rules that decided, in the order they were applied; the last one
    /// settled the route.
    pub rules: Vec<&'static Rule>,
    pub continuity: Continuity,
    /// The connection the flow holds afterwards (`None` once it is dead).
    pub connection: Option<Connection>,
}

impl Decision {
    /// The rule that settled the route.
    pub fn deciding_rule(&self) -> &'static Rule {
        self.rules
            .last()
            .copied()
            .expect("every decision names at least one rule")
    }
}

/// A path for a new connection, and the rules that chose it.
struct Path {
    route: Route,
    interface: Interface,
    family: Family,
    seen_as: SeenAs,
    rules: Vec<&'static Rule>,
}

impl Path {
    /// Packets get through (in the tunnel or outside it).
    fn works(&self) -> bool {
        matches!(self.route, Route::Tunnel | Route::Direct)
    }
}

/// Collects the rule chain while the decision is made.
struct Chain {
    ios: IosVersion,
    family: Family,
    rules: Vec<&'static Rule>,
}

impl Chain {
    fn new(ios: IosVersion, family: Family) -> Chain {
        Chain {
            ios,
            family,
            rules: Vec::new(),
        }
    }

    fn push(&mut self, fact: Fact) {
        if let Some(rule) = facts::lookup(fact, self.ios) {
            self.rules.push(rule);
        }
    }

    fn finish(self, route: Route, interface: Interface, seen_as: SeenAs) -> Path {
        Path {
            route,
            interface,
            family: self.family,
            seen_as,
            rules: self.rules,
        }
    }

    fn offline(mut self, fact: Fact) -> Path {
        self.push(fact);
        self.finish(Route::Offline, Interface::None, SeenAs::None)
    }
}

/// The row of `fact` for this release, if it exists there and its
/// assumption (if any) holds.
pub(crate) fn holds(fact: Fact, ctx: &Context<'_>) -> bool {
    facts::lookup(fact, ctx.ios)
        .is_some_and(|rule| rule.assumption.is_none_or(|a| ctx.assume.flag(a)))
}

fn seen_from_outside(kind: FlowKind) -> SeenAs {
    // A host has one address per family, local or not in both.
    if addresses::is_local(addresses::destination(kind)) {
        SeenAs::Local
    } else {
        SeenAs::Device
    }
}

/// Decide the path of `kind` now, for an app that uses either IP version
/// (see [`decide_as`]).
pub fn decide(ctx: &Context<'_>, kind: FlowKind, existing: Option<Connection>) -> Decision {
    decide_as(ctx, kind, FamilyChoice::Auto, existing)
}

/// Decide the path of `kind` now, for an app that may use the IP versions
/// `choice` names. `existing` is the connection the flow already holds, if
/// it was opened earlier: some rules keep, move or reset it. A connection
/// keeps its IP version while it lasts; a new one takes the first version
/// that gets through.
pub fn decide_as(
    ctx: &Context<'_>,
    kind: FlowKind,
    choice: FamilyChoice,
    existing: Option<Connection>,
) -> Decision {
    let decision = decide_connection(ctx, kind, choice, existing);
    Decision {
        on_wire: on_wire(ctx, &decision),
        ..decision
    }
}

/// The IP version on the wire (see [`Decision::on_wire`]): an IPv4
/// connection leaving on a network that carries no IPv4 goes out as IPv6
/// (the policy only lets it out there through the CLAT or NAT64).
fn on_wire(ctx: &Context<'_>, decision: &Decision) -> Family {
    let network = match decision.interface {
        Interface::En0 => Network::Wifi,
        Interface::PdpIp0 => Network::Cellular,
        _ => return decision.family,
    };
    let translated = decision.route == Route::Direct
        && decision.family == Family::V4
        && !ctx.ip.of(network).carries(Family::V4);
    if translated {
        Family::V6
    } else {
        decision.family
    }
}

fn decide_connection(
    ctx: &Context<'_>,
    kind: FlowKind,
    choice: FamilyChoice,
    existing: Option<Connection>,
) -> Decision {
    let (preface, best) = best_family(ctx, kind, choice);
    let Some(prev) = existing else {
        return settle(with_rules_before(preface, best), Continuity::Opened);
    };
    if prev.family == best.family {
        return carry_on(ctx, kind, prev, with_rules_before(preface, best));
    }
    let carried = carry_on(ctx, kind, prev, new_connection(ctx, kind, prev.family));
    let gets_through = matches!(carried.route, Route::Tunnel | Route::Direct);
    if (gets_through && carried.continuity != Continuity::Reset) || !best.works() {
        // Kept, moved or staying outside in its own version; or held (or
        // gone) with nothing better to go to.
        return carried;
    }
    // The connection broke, or its version is dropped now: the app's next
    // connection takes the version that gets through.
    let mut rules = Vec::new();
    if prev.route == Route::Direct && interface_gone(ctx, prev.interface) {
        rules.extend(facts::lookup(Fact::InterfaceGoneResets, ctx.ios));
    }
    if !gets_through {
        rules.extend(why(&carried.rules));
        rules.extend(facts::lookup(Fact::FamilyFallback, ctx.ios));
    }
    settle(with_rules_before(rules, best), Continuity::Reset)
}

/// `rules` first, then the path's own.
fn with_rules_before(mut rules: Vec<&'static Rule>, path: Path) -> Path {
    if rules.is_empty() {
        return path;
    }
    for rule in path.rules {
        if !rules.iter().any(|r| r.id == rule.id) {
            rules.push(rule);
        }
    }
    Path { rules, ..path }
}

/// What a path that does not get through says about why: the rules that
/// follow an assumption, and the one that decided.
fn why(rules: &[&'static Rule]) -> Vec<&'static Rule> {
    let mut out: Vec<&'static Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.assumption.is_some())
        .collect();
    if let Some(last) = rules.last().filter(|r| !out.iter().any(|o| o.id == r.id)) {
        out.push(last);
    }
    out
}

/// A new connection's path in the first IP version that gets through, in
/// the order the phone tries them (`ip.prefers-ipv6`); if none does, the
/// first that has a path at all. Returned with the rules that explain the
/// choice (a preference, or a version passed over and why), apart from the
/// path's own. A version the phone has no route for is passed over without
/// a word, so an IPv4-only world reads as before.
fn best_family(
    ctx: &Context<'_>,
    kind: FlowKind,
    choice: FamilyChoice,
) -> (Vec<&'static Rule>, Path) {
    // An IPv4-only world has one version to try.
    if !ctx.ip.has_ipv6() && choice.speaks(Family::V4) {
        return (Vec::new(), new_connection(ctx, kind, Family::V4));
    }
    let prefers_ipv6 = holds(Fact::PrefersIpv6, ctx);
    let order = if prefers_ipv6 {
        [Family::V6, Family::V4]
    } else {
        [Family::V4, Family::V6]
    };
    let speaks_both = choice == FamilyChoice::Auto;
    let mut tried: Vec<Path> = Vec::new();
    for family in order.into_iter().filter(|f| choice.speaks(*f)) {
        let path = if family == Family::V6 && !ctx.ip.has_ipv6() {
            if speaks_both {
                continue;
            }
            Chain::new(ctx.ios, family).offline(Fact::NoIpv6)
        } else if addresses::destination_in(kind, family).is_none() {
            if speaks_both {
                continue;
            }
            Chain::new(ctx.ios, family).offline(Fact::NoAddressInFamily)
        } else {
            new_connection(ctx, kind, family)
        };
        if path.works() {
            let mut preface = Vec::new();
            // A version that would be dropped: Happy Eyeballs moves on.
            if let Some(dropped) = tried.iter().find(|p| p.route != Route::Offline) {
                preface.extend(why(&dropped.rules));
                preface.extend(facts::lookup(Fact::FamilyFallback, ctx.ios));
            } else if family == Family::V6 && choice == FamilyChoice::Auto && prefers_ipv6 {
                preface.extend(facts::lookup(Fact::PrefersIpv6, ctx.ios));
            }
            return (preface, path);
        }
        tried.push(path);
    }
    // Nothing gets through: the first version with a path (held, blocked),
    // else one offline for a reason of its own (airplane mode, say) rather
    // than for lacking IPv6 here, else the first tried.
    let lacks_ipv6 = |p: &Path| p.rules.last().is_some_and(|r| r.fact == Fact::NoIpv6);
    let i = tried
        .iter()
        .position(|p| p.route != Route::Offline)
        .or_else(|| tried.iter().position(|p| !lacks_ipv6(p)))
        .unwrap_or(0);
    (Vec::new(), tried.swap_remove(i))
}

/// An open connection meets its path now (`fresh`, in its own IP version).
fn carry_on(ctx: &Context<'_>, kind: FlowKind, prev: Connection, fresh: Path) -> Decision {
    if fresh.route == prev.route && fresh.interface == prev.interface {
        return settle(fresh, Continuity::Kept);
    }
    let mut chain = Chain::new(ctx.ios, prev.family);
    match (prev.route, fresh.route) {
        // No path: the connection is dead; the app reconnects when it can.
        (_, Route::Offline) => settle(fresh, Continuity::Reset).without_connection(),
        (Route::Direct, _) if interface_gone(ctx, prev.interface) => {
            chain.push(Fact::InterfaceGoneResets);
            chain.rules.extend(fresh.rules);
            settle(
                chain.finish(fresh.route, fresh.interface, fresh.seen_as),
                Continuity::Reset,
            )
        }
        // Dropped for now: the connection itself waits for the tunnel.
        (_, Route::Blocked) => settle_holding(fresh, prev),
        (Route::Direct, Route::Tunnel) if kind.is_long_lived_connection() => {
            if ctx.ian_in_force() {
                // The sources disagree on what iOS does here; the
                // assumption picks.
                let mut rules = fresh.rules;
                match ctx.assume.choice(AssumptionId::ExistingConnectionUnderIan) {
                    "moved" => {
                        rules.extend(facts::lookup(Fact::IanMovesExisting, ctx.ios));
                        settle(Path { rules, ..fresh }, Continuity::Moved)
                    }
                    "stays" => {
                        rules.extend(facts::lookup(Fact::IanKeepsExisting, ctx.ios));
                        stays_outside(rules, prev, kind)
                    }
                    _ => {
                        rules.extend(facts::lookup(Fact::IanResetsExisting, ctx.ios));
                        settle(Path { rules, ..fresh }, Continuity::Reset)
                    }
                }
            } else if holds(Fact::ExistingStaysOutside, ctx) {
                let mut rules = fresh.rules;
                rules.extend(facts::lookup(Fact::ExistingStaysOutside, ctx.ios));
                stays_outside(rules, prev, kind)
            } else if let Some(moved) = facts::lookup(Fact::ExistingMovedIntoTunnel, ctx.ios) {
                let mut rules = fresh.rules;
                rules.push(moved);
                settle(Path { rules, ..fresh }, Continuity::Moved)
            } else {
                settle(fresh, Continuity::Reset)
            }
        }
        (Route::Tunnel, _) => {
            chain.push(Fact::TunnelGoneResets);
            chain.rules.extend(fresh.rules);
            settle(
                chain.finish(fresh.route, fresh.interface, fresh.seen_as),
                Continuity::Reset,
            )
        }
        _ => settle(fresh, Continuity::Reset),
    }
}

/// An open connection that keeps its path outside the tunnel, for `rules`.
fn stays_outside(rules: Vec<&'static Rule>, prev: Connection, kind: FlowKind) -> Decision {
    let path = Path {
        route: Route::Direct,
        interface: prev.interface,
        family: prev.family,
        seen_as: seen_from_outside(kind),
        rules,
    };
    settle(path, Continuity::Kept)
}

fn interface_gone(ctx: &Context<'_>, interface: Interface) -> bool {
    match interface {
        Interface::En0 | Interface::PdpIp0 => {
            ctx.network.map(Network::interface) != Some(interface)
        }
        _ => ctx.network.is_none(),
    }
}

fn settle(path: Path, continuity: Continuity) -> Decision {
    let connection = path.works().then_some(Connection {
        route: path.route,
        interface: path.interface,
        family: path.family,
    });
    Decision {
        route: path.route,
        interface: path.interface,
        family: path.family,
        on_wire: path.family,
        seen_as: path.seen_as,
        rules: path.rules,
        continuity,
        connection,
    }
}

/// Blocked: the packets are dropped, but the connection itself is still
/// held and carries on once the tunnel is back.
fn settle_holding(path: Path, prev: Connection) -> Decision {
    Decision {
        connection: Some(prev),
        ..settle(path, Continuity::Kept)
    }
}

impl Decision {
    fn without_connection(mut self) -> Decision {
        self.connection = None;
        self
    }
}

/// Where a connection opened now in `family` would go: the route the
/// settings give, then whether that path carries the IP version.
fn new_connection(ctx: &Context<'_>, kind: FlowKind, family: Family) -> Path {
    let path = route_for(ctx, kind, family);
    family_on_path(ctx, kind, path)
}

/// Whether a path carries its IP version: the phone's network (natively,
/// or IPv4 through the CLAT and NAT64 on an IPv6-only network), the tunnel
/// (IPv6 only if its routes include an IPv6 prefix). A version the phone
/// has no route for at all is `Offline` with no rule of its own.
fn family_on_path(ctx: &Context<'_>, kind: FlowKind, mut path: Path) -> Path {
    let family = path.family;
    match path.route {
        Route::Direct if matches!(path.interface, Interface::En0 | Interface::PdpIp0) => {
            let Some(network) = ctx.network else {
                return path;
            };
            let mode = ctx.ip.of(network);
            if mode.carries(family) {
                return path;
            }
            if family == Family::V4 && addresses::is_local(destination_in(kind, Family::V4)) {
                // Nothing on an IPv6-only link speaks IPv4, and NAT64
                // maps only public addresses.
                let mut chain = Chain::new(ctx.ios, family);
                chain.rules = path.rules;
                return chain.offline(Fact::NoIpv4Link);
            }
            if family == Family::V4 {
                // An IPv6-only network: the VPN's transport to its IPv4
                // relay gets a NAT64 address; IPv4 sockets go through the
                // CLAT.
                let fact = match network {
                    _ if kind == FlowKind::VpnTransport => Fact::Nat64Synthesis,
                    Network::Cellular => Fact::Clat,
                    Network::Wifi => Fact::ClatOnWifi,
                };
                if holds(fact, ctx) {
                    path.rules
                        .push(facts::lookup(fact, ctx.ios).expect("holds"));
                    return path;
                }
                let mut chain = Chain::new(ctx.ios, family);
                chain.rules = path.rules;
                return chain.offline(fact);
            }
            Chain::new(ctx.ios, family).offline(Fact::NoIpv6)
        }
        Route::Tunnel if family == Family::V6 && !tunnel_carries_ipv6(ctx.vpn) => {
            let mut chain = Chain::new(ctx.ios, family);
            chain.rules = path.rules;
            chain.push(Fact::TunnelWithoutIpv6);
            chain.finish(Route::Blocked, Interface::None, SeenAs::None)
        }
        _ => path,
    }
}

/// The tunnel has IPv6 (an address and routes) when its included routes
/// name an IPv6 prefix; it always has IPv4.
fn tunnel_carries_ipv6(vpn: Option<&VpnConfig>) -> bool {
    vpn.is_some_and(|v| v.included_routes.iter().any(|r| r.addr.is_ipv6()))
}

/// The route the settings give a new connection of `kind` in `family`.
fn route_for(ctx: &Context<'_>, kind: FlowKind, family: Family) -> Path {
    let mut chain = Chain::new(ctx.ios, family);
    if ctx.rebooting {
        return chain.offline(Fact::Rebooting);
    }
    let Some(network) = ctx.network else {
        return chain.offline(Fact::NoNetwork);
    };
    let physical = network.interface();
    let on_wifi = network == Network::Wifi;
    let ian = ctx.ian_in_force();

    // Traffic whose path no VPN setting changes.
    match kind {
        FlowKind::Volte => {
            chain.push(Fact::CarrierOnlyServices);
            return chain.finish(Route::Direct, Interface::Ipsec1, SeenAs::Device);
        }
        FlowKind::Dhcp => {
            if !on_wifi {
                return chain.offline(Fact::NoLan);
            }
            chain.push(if ian {
                Fact::IanExcludesNetworkControl
            } else {
                Fact::DhcpOnLink
            });
            return chain.finish(Route::Direct, Interface::En0, SeenAs::Local);
        }
        FlowKind::Companion => {
            chain.push(if ian {
                Fact::IanExcludesCompanion
            } else {
                Fact::CompanionOutside
            });
            let link = if on_wifi {
                Interface::En0
            } else {
                Interface::Bluetooth
            };
            return chain.finish(Route::Direct, link, SeenAs::Local);
        }
        FlowKind::CaptivePortal => {
            chain.push(if ian {
                Fact::IanExcludesCaptive
            } else {
                Fact::CaptiveProbeOutside
            });
            return chain.finish(Route::Direct, physical, SeenAs::Device);
        }
        FlowKind::LocalNetwork | FlowKind::DeviceCommunication if !on_wifi => {
            return chain.offline(Fact::NoLan);
        }
        FlowKind::HotspotClient if on_wifi => return chain.offline(Fact::HotspotNeedsCellular),
        _ => {}
    }

    let outside = |mut chain: Chain, fact: Fact| {
        chain.push(fact);
        chain.finish(Route::Direct, physical, seen_from_outside(kind))
    };

    // The tunnel's own packets exist only while its provider runs.
    if kind == FlowKind::VpnTransport
        && !matches!(
            ctx.tunnel,
            TunnelState::Connecting
                | TunnelState::Connected
                | TunnelState::Reasserting
                | TunnelState::Restarting
        )
    {
        return chain.offline(Fact::TransportIdle);
    }
    // The tunnel process only has something to probe through while the
    // tunnel is up.
    if kind == FlowKind::TunnelProbe && (ctx.vpn.is_none() || ctx.tunnel != TunnelState::Connected)
    {
        return chain.offline(Fact::ProbeNeedsTunnel);
    }
    let Some(vpn) = ctx.vpn else {
        return outside(chain, Fact::NoVpn);
    };
    match ctx.tunnel {
        TunnelState::Absent => return outside(chain, Fact::NoVpn),
        TunnelState::Off if ctx.off_after_reboot => return outside(chain, Fact::OffAfterReboot),
        TunnelState::Off if ctx.kill_switch_releasing && vpn.ian() => {
            chain.push(Fact::UserDisconnected);
            chain.push(Fact::IanReleasing);
            return chain.finish(Route::Blocked, Interface::None, SeenAs::None);
        }
        TunnelState::Off => {
            if ctx.disconnected_after_loss {
                chain.push(Fact::DisconnectAfterLoss);
            }
            return outside(chain, Fact::UserDisconnected);
        }
        TunnelState::Restarting => return outside(chain, Fact::TunnelRestarting),
        _ => {}
    }

    // The VPN's own traffic.
    match kind {
        FlowKind::VpnTransport => return outside(chain, Fact::VpnTransportOutside),
        // With the provider gone, only the app itself is left to call.
        FlowKind::VpnApi if !matches!(ctx.tunnel, TunnelState::Lost | TunnelState::Updating) => {
            if vpn.ian()
                && ctx.tunnel.is_meant_up()
                && ctx.assume.choice(AssumptionId::VpnControlUnderKillSwitch) == "captured"
            {
                chain.push(Fact::VpnControlCaptured);
                return chain.finish(Route::Blocked, Interface::None, SeenAs::None);
            }
            return outside(chain, Fact::ProviderApiOutside);
        }
        FlowKind::TunnelProbe => {
            if vpn.ian() {
                chain.push(Fact::ProbeBindFailsUnderIan);
                chain.push(Fact::ProbeUserspaceStack);
            } else {
                chain.push(Fact::ProbeBoundSocket);
            }
            return chain.finish(Route::Tunnel, Interface::Utun0, SeenAs::Vpn);
        }
        _ => {}
    }

    if ian {
        with_include_all_networks(ctx, vpn, kind, chain, physical)
    } else {
        if ctx.kill_switch_engaging && vpn.ian() {
            chain.push(Fact::IanEngaging);
        }
        without_include_all_networks(ctx, vpn, kind, chain, physical)
    }
}

/// The attack aimed at the flow, if it lands. TunnelCrack's ServerIP needs
/// two things of the app: that it looks its server up by name (else the
/// spoofed answer is never asked for), and that it reports the server's
/// real address as the tunnel's remote address (else iOS keeps no real
/// address outside the tunnel). Without either, the rule that says so
/// joins the chain and the flow is routed as if there were no attack.
fn attack_that_lands(
    ctx: &Context<'_>,
    vpn: &VpnConfig,
    kind: FlowKind,
    chain: &mut Chain,
) -> Option<Attack> {
    let attack = ctx.attack_on(kind, chain.family);
    if attack != Some(Attack::ServerIp) {
        return attack;
    }
    if !vpn.server_by_name {
        chain.push(Fact::ServerIpNeedsName);
        return None;
    }
    if !vpn.reports_server_address {
        chain.push(Fact::ServerIpNeedsRealAddress);
        return None;
    }
    attack
}

/// Against a route the Wi-Fi's DHCP pushed (TunnelVision), whether
/// enforceRoutes keeps the traffic on the tunnel's route: a non-default
/// route of the tunnel wins (Apple documents it); where only the default
/// route covers the address, Apple's texts disagree and the assumption
/// picks. Pushes the rule that decided.
fn enforced_route_wins(
    ctx: &Context<'_>,
    vpn: &VpnConfig,
    kind: FlowKind,
    chain: &mut Chain,
) -> bool {
    if vpn.enforce_routes != Some(true) {
        return false;
    }
    let destination = destination_in(kind, chain.family);
    let covers = |default: bool| {
        (vpn.included_routes.iter()).any(|r| (r.len == 0) == default && r.contains(destination))
    };
    if covers(false) {
        chain.push(Fact::EnforcedRouteBeatsPushed);
        return true;
    }
    if !covers(true) {
        return false;
    }
    if holds(Fact::EnforcedDefaultRouteWins, ctx) {
        chain.push(Fact::EnforcedDefaultRouteWins);
        true
    } else {
        chain.push(Fact::PushedRouteBeatsDefault);
        false
    }
}

/// Push without the kill switch on 17 and later, as the assumption reads
/// the reports: whether it leaves outside the tunnel here. Pushes the rule
/// that says which reading decided.
fn push_outside_without_ian(ctx: &Context<'_>, chain: &mut Chain, on_wifi: bool) -> bool {
    match ctx.assume.choice(AssumptionId::PushWithoutKillSwitch) {
        "outside" => {
            chain.push(Fact::PushOutsideWithoutIan);
            true
        }
        "tunnel" => {
            chain.push(Fact::PushFollowsRoutes);
            false
        }
        _ if on_wifi => {
            chain.push(Fact::PushInTunnelOnWifi);
            false
        }
        _ => {
            chain.push(Fact::PushOutsideOnCellular);
            true
        }
    }
}

/// An exclusion property's verdict: on keeps the traffic outside, off sends
/// it to the tunnel, absent (older release) means includeAllNetworks takes it.
fn exclusion(chain: &mut Chain, value: Option<bool>, on: Fact, off: Fact) -> bool {
    match value {
        Some(true) => {
            chain.push(on);
            true
        }
        Some(false) => {
            chain.push(off);
            false
        }
        None => {
            chain.push(Fact::IanNoSuchExclusion);
            false
        }
    }
}

fn with_include_all_networks(
    ctx: &Context<'_>,
    vpn: &VpnConfig,
    kind: FlowKind,
    mut chain: Chain,
    physical: Interface,
) -> Path {
    let seen = seen_from_outside(kind);
    if ctx.disconnected_after_loss && ctx.tunnel == TunnelState::Lost {
        chain.push(Fact::DisconnectAfterLoss);
    }
    if ctx.tunnel == TunnelState::Updating {
        chain.push(Fact::UpdateStopsProvider);
    }
    // While the app is replaced the block is the update loop Mullvad saw.
    let blocked = if ctx.tunnel == TunnelState::Updating {
        Fact::UpdateBlocksEverything
    } else {
        Fact::IanBlocksWhileDown
    };
    if kind == FlowKind::HotspotClient {
        chain.push(Fact::IanBlocksHotspot);
        return chain.finish(Route::Blocked, Interface::None, SeenAs::None);
    }
    let attack = attack_that_lands(ctx, vpn, kind, &mut chain);
    let excluded = match kind {
        // The attacker's "local" subnet is local-network traffic to iOS:
        // excludeLocalNetworks decides, as TunnelCrack's fix says.
        _ if attack == Some(Attack::LocalNet) => {
            chain.push(Fact::AttackLocalNet);
            exclusion(
                &mut chain,
                vpn.exclude_local_networks,
                Fact::ExcludeLocalOn,
                Fact::ExcludeLocalOff,
            )
        }
        _ if attack == Some(Attack::ServerIp) => {
            chain.push(Fact::AttackServerIp);
            chain.push(Fact::IanStopsServerIp);
            if ctx.assume.flag(AssumptionId::IanStopsServerIp) {
                false
            } else {
                chain.push(Fact::TunnelServerExcluded);
                true
            }
        }
        _ if attack == Some(Attack::TunnelVision) => {
            chain.push(Fact::AttackTunnelVision);
            chain.push(Fact::IanStopsTunnelVision);
            false
        }
        FlowKind::LocalNetwork => {
            if vpn.enforce_routes == Some(true) {
                chain.push(Fact::IanIgnoresEnforceRoutes);
            }
            exclusion(
                &mut chain,
                vpn.exclude_local_networks,
                Fact::ExcludeLocalOn,
                Fact::ExcludeLocalOff,
            )
        }
        FlowKind::DeviceCommunication => exclusion(
            &mut chain,
            vpn.exclude_device_communication,
            Fact::IanExcludeDeviceOn,
            Fact::IanExcludeDeviceOff,
        ),
        FlowKind::CellularServices => exclusion(
            &mut chain,
            vpn.exclude_cellular_services,
            Fact::IanExcludeCellularOn,
            Fact::IanExcludeCellularOff,
        ),
        // One report: on Wi-Fi the switch has no effect (an assumption).
        FlowKind::Apns
            if ctx.network == Some(Network::Wifi)
                && vpn.exclude_apns.is_some()
                && holds(Fact::ApnsExclusionIgnoredOnWifi, ctx) =>
        {
            chain.push(Fact::ApnsExclusionIgnoredOnWifi);
            false
        }
        FlowKind::Apns => match vpn.exclude_apns {
            // From 16.4 Apple documents the switch; the model infers it
            // explains the push leak reported on those releases.
            Some(false) if holds(Fact::AppleTrafficBypass, ctx) => {
                chain.push(Fact::IanExcludeApnsOff);
                chain.push(Fact::ApnsSettingWins);
                false
            }
            Some(_) => exclusion(
                &mut chain,
                vpn.exclude_apns,
                Fact::IanExcludeApnsOn,
                Fact::IanExcludeApnsOff,
            ),
            None if holds(Fact::AppleTrafficBypass, ctx) => {
                chain.push(Fact::AppleTrafficBypass);
                true
            }
            None if facts::lookup(Fact::AppleInsideWithIan, ctx.ios).is_some() => {
                chain.push(Fact::AppleInsideWithIan);
                false
            }
            None => {
                chain.push(Fact::IanNoSuchExclusion);
                false
            }
        },
        FlowKind::AppleMaps if holds(Fact::AppleTrafficBypass, ctx) => {
            chain.push(Fact::AppleTrafficBypass);
            true
        }
        FlowKind::AppleServices | FlowKind::AppStore if holds(Fact::UnverifiedAppleBypass, ctx) => {
            chain.push(Fact::UnverifiedAppleBypass);
            true
        }
        FlowKind::AppleMaps | FlowKind::AppleServices | FlowKind::AppStore => {
            chain.push(Fact::AppleInsideWithIan);
            false
        }
        _ => false,
    };
    if excluded {
        if ctx.tunnel == TunnelState::Connected {
            return chain.finish(Route::Direct, physical, seen);
        }
        // The tunnel is meant to be up but is not: nobody documents whether
        // the exclusions still hold then.
        chain.push(Fact::IanExclusionsWhileDown);
        if ctx.assume.flag(AssumptionId::ExclusionsHoldWhileTunnelDown) {
            return chain.finish(Route::Direct, physical, seen);
        }
        chain.push(blocked);
        return chain.finish(Route::Blocked, Interface::None, SeenAs::None);
    }

    let destination = destination_in(kind, chain.family);
    if vpn.excluded_routes.iter().any(|r| r.contains(destination)) {
        chain.push(Fact::IanIgnoresExcludedRoutes);
        if ctx.assume.flag(AssumptionId::IanHonoursExcludedRoutes) {
            chain.push(Fact::ExcludedRoute);
            return chain.finish(Route::Direct, physical, seen);
        }
    }
    if kind == FlowKind::Dns {
        chain.push(Fact::DnsFollowsTunnel);
    }
    if chain.family == Family::V6 {
        // Nothing public says what includeAllNetworks does with IPv6: by
        // the other reading, IPv6 is routed as if the flag were off.
        chain.push(Fact::IanCoversIpv6);
        if !holds(Fact::IanCoversIpv6, ctx) {
            return without_include_all_networks(ctx, vpn, kind, chain, physical);
        }
    }
    if ctx.tunnel == TunnelState::Connected {
        chain.push(Fact::IanAllTraffic);
        into_tunnel(kind, chain)
    } else {
        chain.push(blocked);
        chain.finish(Route::Blocked, Interface::None, SeenAs::None)
    }
}

/// Without the flag, a tunnel that is not (really) up: its state decides.
/// `Err` hands the chain back when it does not.
fn while_not_connected(
    ctx: &Context<'_>,
    mut chain: Chain,
    physical: Interface,
    seen: SeenAs,
) -> Result<Path, Chain> {
    match ctx.tunnel {
        TunnelState::Connecting => {
            chain.push(Fact::TunnelConnecting);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        TunnelState::Lost => {
            chain.push(Fact::TunnelLost);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        TunnelState::Updating => {
            chain.push(Fact::UpdateStopsProvider);
            chain.push(Fact::UpdateLeaksWithoutIan);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        TunnelState::AppearsConnected if facts::lookup(Fact::PostUpdateLeak, ctx.ios).is_some() => {
            chain.push(Fact::PostUpdateLeak);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        _ => {}
    }

    Err(chain)
}

/// Without the flag, the kinds whose path a rule of their own decides
/// (local traffic, Apple's, DNS, carrier services, the hotspot, apps that
/// pick their interface). `Err` hands the chain back for the routes.
fn by_kind_without_ian(
    ctx: &Context<'_>,
    vpn: &VpnConfig,
    kind: FlowKind,
    mut chain: Chain,
    physical: Interface,
) -> Result<Path, Chain> {
    let seen = seen_from_outside(kind);
    let push_is_contested =
        kind == FlowKind::Apns && facts::lookup(Fact::PushFollowsRoutes, ctx.ios).is_some();
    if push_is_contested && push_outside_without_ian(ctx, &mut chain, physical == Interface::En0) {
        return Ok(chain.finish(Route::Direct, physical, seen));
    }
    match kind {
        FlowKind::LocalNetwork | FlowKind::DeviceCommunication => {
            if vpn.enforce_routes == Some(true) {
                chain.push(Fact::EnforceRoutesLocal);
                let keep_out = exclusion(
                    &mut chain,
                    vpn.exclude_local_networks,
                    Fact::ExcludeLocalOn,
                    Fact::ExcludeLocalOff,
                );
                if keep_out {
                    return Ok(chain.finish(Route::Direct, physical, seen));
                }
                return Ok(through_tunnel(ctx, kind, chain));
            }
            chain.push(if kind == FlowKind::LocalNetwork {
                Fact::LocalNetworkBypass
            } else {
                Fact::DeviceCommunicationLocal
            });
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        // Push on 17 and later: the reports disagree (an assumption).
        FlowKind::Apns if push_is_contested => {}
        FlowKind::Apns | FlowKind::AppleMaps if holds(Fact::AppleTrafficBypassWithoutIan, ctx) => {
            chain.push(Fact::AppleTrafficBypassWithoutIan);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::AppleServices | FlowKind::AppStore if holds(Fact::UnverifiedAppleBypass, ctx) => {
            chain.push(Fact::UnverifiedAppleBypass);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::Dns
            if physical == Interface::PdpIp0 && holds(Fact::DnsSkipsTunnelOnCellular, ctx) =>
        {
            chain.push(Fact::DnsSkipsTunnelOnCellular);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::Dns => {
            let default_route = vpn
                .included_routes
                .iter()
                .any(|r| r.len == 0 && r.contains(destination_in(kind, chain.family)));
            if default_route {
                chain.push(Fact::DnsFollowsTunnel);
                return Ok(through_tunnel(ctx, kind, chain));
            }
            chain.push(Fact::DnsSplitTunnel);
            if chain.family == Family::V6 && !tunnel_carries_ipv6(Some(vpn)) {
                chain.push(Fact::Ipv4OnlyTunnelLeaksIpv6);
            }
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::ScopedApp if vpn.enforce_routes == Some(true) => {
            chain.push(Fact::EnforceRoutesOverridesScoping);
            return Ok(through_tunnel(ctx, kind, chain));
        }
        FlowKind::ScopedApp => {
            chain.push(Fact::ScopedAppOutside);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::CellularServices if holds(Fact::WifiCallingOutside, ctx) => {
            chain.push(Fact::WifiCallingOutside);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::CellularServices => chain.push(Fact::CellularServicesRouted),
        FlowKind::HotspotClient if holds(Fact::HotspotOutside, ctx) => {
            chain.push(Fact::HotspotOutside);
            return Ok(chain.finish(Route::Direct, physical, seen));
        }
        FlowKind::HotspotClient
            if ctx.tunnel.is_meant_up() && vpn.included_routes.iter().any(|r| r.len == 0) =>
        {
            chain.push(Fact::HotspotNoInternet);
            return Ok(chain.finish(Route::Blocked, Interface::None, SeenAs::None));
        }
        _ => {}
    }

    Err(chain)
}

fn without_include_all_networks(
    ctx: &Context<'_>,
    vpn: &VpnConfig,
    kind: FlowKind,
    chain: Chain,
    physical: Interface,
) -> Path {
    let seen = seen_from_outside(kind);
    let chain = match while_not_connected(ctx, chain, physical, seen) {
        Ok(path) => return path,
        Err(chain) => chain,
    };
    let mut chain = match by_kind_without_ian(ctx, vpn, kind, chain, physical) {
        Ok(path) => return path,
        Err(chain) => chain,
    };
    match attack_that_lands(ctx, vpn, kind, &mut chain) {
        // The attacker's subnet is local, and local subnets bypass the
        // tunnel (unless enforceRoutes sends them in).
        Some(Attack::LocalNet) => {
            chain.push(Fact::AttackLocalNet);
            if vpn.enforce_routes == Some(true) {
                chain.push(Fact::EnforceRoutesLocal);
                let keep_out = exclusion(
                    &mut chain,
                    vpn.exclude_local_networks,
                    Fact::ExcludeLocalOn,
                    Fact::ExcludeLocalOff,
                );
                if !keep_out {
                    return through_tunnel(ctx, kind, chain);
                }
            } else {
                chain.push(Fact::LocalNetworkBypass);
            }
            return chain.finish(Route::Direct, physical, seen);
        }
        Some(Attack::ServerIp) => {
            chain.push(Fact::AttackServerIp);
            chain.push(Fact::TunnelServerExcluded);
            return chain.finish(Route::Direct, physical, seen);
        }
        Some(Attack::TunnelVision) => {
            chain.push(Fact::AttackTunnelVision);
            if enforced_route_wins(ctx, vpn, kind, &mut chain) {
                return through_tunnel(ctx, kind, chain);
            }
            return chain.finish(Route::Direct, physical, seen);
        }
        None => {}
    }
    let destination = destination_in(kind, chain.family);
    if vpn.excluded_routes.iter().any(|r| r.contains(destination)) {
        chain.push(Fact::ExcludedRoute);
        return chain.finish(Route::Direct, physical, seen);
    }
    if vpn.included_routes.iter().any(|r| r.contains(destination)) {
        chain.push(Fact::IncludedRoute);
        // Reported on iPadOS 26.0 (an assumption): enforceRoutes with any
        // excluded route drops what should enter the tunnel.
        if vpn.enforce_routes == Some(true)
            && !vpn.excluded_routes.is_empty()
            && holds(Fact::EnforceRoutesDrops, ctx)
        {
            chain.push(Fact::EnforceRoutesDrops);
            return chain.finish(Route::Blocked, Interface::None, SeenAs::None);
        }
        return through_tunnel(ctx, kind, chain);
    }
    chain.push(Fact::NotInIncludedRoutes);
    if chain.family == Family::V6 && !tunnel_carries_ipv6(Some(vpn)) {
        chain.push(Fact::Ipv4OnlyTunnelLeaksIpv6);
    }
    chain.finish(Route::Direct, physical, seen)
}

/// Where a flow of `kind` goes in `family` (its IPv4 address for a server
/// that has no other: the policy never asks for one that does not exist).
fn destination_in(kind: FlowKind, family: Family) -> IpAddr {
    addresses::destination_in(kind, family).unwrap_or_else(|| addresses::destination(kind))
}

/// Into the tunnel, without includeAllNetworks: packets wait in it while it
/// reasserts.
fn through_tunnel(ctx: &Context<'_>, kind: FlowKind, mut chain: Chain) -> Path {
    if ctx.tunnel == TunnelState::Reasserting {
        chain.push(Fact::TunnelReasserting);
    }
    into_tunnel(kind, chain)
}

/// A flow inside the tunnel: the destination sees the relay's exit address,
/// unless it is on the phone's LAN, which the relay cannot reach.
fn into_tunnel(kind: FlowKind, mut chain: Chain) -> Path {
    if addresses::is_local(addresses::destination(kind)) {
        chain.push(Fact::TunnelCannotReachLan);
        return chain.finish(Route::Tunnel, Interface::Utun0, SeenAs::None);
    }
    chain.finish(Route::Tunnel, Interface::Utun0, SeenAs::Vpn)
}
