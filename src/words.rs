//! Where values become words: every sentence the run's data is said in —
//! an event's effect, a data-plane happening, where a route goes, the
//! tunnel's and the network's state — is written here, once, for the
//! terminal, Markdown, JSON and the page alike. Nothing reads these words
//! back: code that needs to know what happened matches on the values in
//! [`crate::trace`].

use crate::budget::{Limit, Stop};
use crate::difference::{Difference, FlowChange, NoComparison, Path, Span};
use crate::engine::CapturePoint;
use crate::facts::{Evidence, Prop};
use crate::model::{
    Attack, Family, FlowKind, Interface, IpMode, Network, Route, SeenAs, TunnelState,
};
use crate::playground::case::{App, Case, Place as CasePlace};
use crate::playground::edits::Edit;
use crate::scenario::{Setting, duration};
use crate::trace::{
    AfterReboot, Cited, DataPlaneHappening, Disconnect, Effect, Installed, Segment, SettingRestart,
    Transition, Unchanged, UpdateStart,
};

/// ` (rule.id)`, or nothing when no rule covers the release.
fn cite(rule: Cited) -> String {
    rule.map(|id| format!(" ({id})")).unwrap_or_default()
}

fn until(transition: Transition) -> String {
    match transition.until_ms {
        Some(at) => format!("until {}", duration::format(at)),
        None => "until there is a network again".to_string(),
    }
}

/// What an event did, in one sentence (rule ids in parentheses).
pub fn effect(effect: &Effect) -> String {
    match effect {
        Effect::Unchanged { why } => unchanged(*why),
        Effect::UpdateNotice { .. }
        | Effect::UpdateStarts { .. }
        | Effect::UpdateRetried { .. }
        | Effect::UpdateInstalled { .. }
        | Effect::Reboots { .. }
        | Effect::RebootDone { .. } => update_effect(effect),
        Effect::Connecting { until: done } => format!("the tunnel is connecting {}", until(*done)),
        Effect::Disconnected { how } => match how {
            Disconnect::ByUser => {
                "the user disconnects the VPN; on-demand does not bring it back".to_string()
            }
            Disconnect::AppearsConnected => {
                "the user disconnects the VPN that only appeared connected".to_string()
            }
            Disconnect::AfterLoss {
                rule,
                recovers: false,
            } => format!(
                "the user disconnects, but the lost tunnel keeps blocking ({}: disconnect_recovers_lost_tunnel = false)",
                rule.unwrap_or_default()
            ),
            Disconnect::AfterLoss {
                rule,
                recovers: true,
            } => format!(
                "the user disconnects after the loss and the VPN turns off ({}: disconnect_recovers_lost_tunnel = true)",
                rule.unwrap_or_default()
            ),
        },
        Effect::ProviderGone {
            restarted: Some(restarted),
        } => format!(
            "the tunnel provider is gone; on-demand starts it again{} and it is connecting {}",
            cite(restarted.rule),
            until(restarted.until)
        ),
        Effect::ProviderGone { restarted: None } => {
            "the tunnel provider is gone and nothing restarts it (on_demand is off)".to_string()
        }
        Effect::NetworkChanged {
            from,
            to,
            reasserts,
        } => {
            let mut out = match from {
                Some(old) => format!("the phone moves from {old} to {to}"),
                None => format!("{to} comes up while in airplane mode"),
            };
            if let Some(done) = reasserts {
                out.push_str(&format!(
                    "; the tunnel reasserts on the new network {}",
                    until(*done)
                ));
            }
            out
        }
        Effect::AirplaneOn => "airplane mode: every radio is off".to_string(),
        Effect::AirplaneOff { back_on, reasserts } => {
            let mut out = format!("airplane mode off: back on {back_on}");
            if let Some(done) = reasserts {
                out.push_str(&format!("; the tunnel reasserts {}", until(*done)));
            }
            out
        }
        Effect::SettingChanged { restart, .. } => match restart {
            SettingRestart::TunnelOff => {
                "the setting changes; the tunnel is off, so nothing restarts".to_string()
            }
            SettingRestart::NoNetwork { rule } => format!(
                "the setting changes and the tunnel restarts with no network up, so nothing is exposed{}; it connects with the new setting once there is a network",
                cite(*rule)
            ),
            SettingRestart::Restarts { until: done } => format!(
                "the setting changes and the tunnel restarts {}",
                until(*done)
            ),
        },
    }
}

/// The App Store update's effects and the reboot that may follow it
/// ([`effect`] sends only these here; any other says nothing).
fn update_effect(effect: &Effect) -> String {
    match effect {
        Effect::UpdateNotice {
            include_all_networks,
            notifications,
            rule,
        } => {
            let rule = cite(*rule);
            match (include_all_networks, notifications) {
                (true, true) => format!(
                    "a newer version is in the App Store: the tunnel process posts \"Update available\" (turn off Force all apps or disconnect before updating) and the app shows a banner{rule}"
                ),
                (true, false) => format!(
                    "a newer version is in the App Store, but notifications are off: the warning never arrives; only the in-app banner shows, if the app is opened{rule}"
                ),
                (false, _) => format!(
                    "a newer version is in the App Store; without Force all apps the app warns about nothing{rule}"
                ),
            }
        }
        Effect::UpdateStarts { start } => update_start(*start),
        Effect::UpdateRetried { rule, start } => format!(
            "the App Store retries the update{}; {}",
            cite(*rule),
            update_start(*start)
        ),
        Effect::UpdateInstalled { then } => match then {
            Installed::AppearsConnected { rule } => format!(
                "the update is installed and the app shows Connected, but nothing goes into the tunnel until the user reconnects{}",
                cite(*rule)
            ),
            Installed::Reconnects { rule } => format!(
                "the update is installed and the new version's tunnel reconnects{}",
                cite(*rule)
            ),
            Installed::VpnAsItWas => {
                "the update is installed; the VPN stays as it was (the app does not reconnect by itself)"
                    .to_string()
            }
        },
        Effect::Reboots {
            back_at_ms,
            update_pending,
            rule,
        } => format!(
            "the phone restarts: every connection is reset{}, back at {}{}",
            cite(*rule),
            duration::format(*back_at_ms),
            if *update_pending {
                "; the unfinished update stays pending"
            } else {
                ""
            }
        ),
        Effect::RebootDone { vpn, retry } => {
            let mut out = String::from("the phone is back");
            match vpn {
                Some(AfterReboot::OnDemandStarts { rule }) => {
                    out.push_str(&format!("; on-demand starts the VPN{}", cite(*rule)));
                }
                Some(AfterReboot::StaysOff { rule }) => {
                    out.push_str(&format!(
                        "; without on-demand the VPN stays off{}",
                        cite(*rule)
                    ));
                }
                None => {}
            }
            if let Some(retry) = retry {
                out.push_str(&format!(
                    "; the App Store will retry the update at {}{}",
                    duration::format(retry.at_ms),
                    cite(retry.rule)
                ));
            }
            out
        }
        _ => String::new(),
    }
}

fn unchanged(why: Unchanged) -> String {
    match why {
        Unchanged::PhoneRestarting => "nothing happens: the phone is restarting".to_string(),
        Unchanged::BeingUpdated { rule } => format!(
            "no change: the VPN app is being replaced by the update{}",
            cite(rule)
        ),
        Unchanged::TunnelAlready { state } => format!("no change: the tunnel is already {state}"),
        Unchanged::TunnelIs { state } => format!("no change: the tunnel is {state}"),
        Unchanged::AlreadyOn { network } => format!("no change: the phone is already on {network}"),
        Unchanged::AirplaneAlready { on: true } => {
            "no change: airplane mode is already on".to_string()
        }
        Unchanged::AirplaneAlready { on: false } => {
            "no change: airplane mode is already off".to_string()
        }
        Unchanged::NoVpn => "no VPN to change".to_string(),
    }
}

fn update_start(start: UpdateStart) -> String {
    match start {
        UpdateStart::NothingRunning => {
            "the App Store installs the update; the VPN is not running, so nothing is stopped"
                .to_string()
        }
        UpdateStart::StopsProvider {
            rule,
            include_all_networks,
            meanwhile,
        } => format!(
            "the App Store starts installing the update: the VPN app and its tunnel provider are stopped{}{}{}",
            cite(rule),
            if include_all_networks {
                "; with includeAllNetworks on, traffic goes to the absent tunnel and is dropped, the download included"
            } else {
                "; without includeAllNetworks, traffic goes outside the tunnel meanwhile"
            },
            cite(meanwhile)
        ),
    }
}

/// A setting as a scenario writes it after `set:`, e.g.
/// `include_all_networks=false`.
pub fn setting(setting: &Setting) -> String {
    match setting {
        Setting::Flag(_, value) => format!("{}={value}", setting.key()),
        Setting::Routes(_, routes) => {
            let quoted: Vec<String> = routes.iter().map(|r| format!("\"{r}\"")).collect();
            format!("{}=[{}]", setting.key(), quoted.join(", "))
        }
    }
}

/// A data-plane happening in one sentence.
pub fn data_plane(what: DataPlaneHappening) -> &'static str {
    match what {
        DataPlaneHappening::BindToTunnelFails => {
            "bind(IP_BOUND_IF utun0) fails under includeAllNetworks; the probe uses the tunnel process's own userspace stack"
        }
    }
}

/// An interface as a customer knows it.
pub fn interface(interface: Interface) -> &'static str {
    match interface {
        Interface::En0 => "Wi-Fi (en0)",
        Interface::PdpIp0 => "cellular (pdp_ip0)",
        Interface::Ipsec1 => "the carrier's own voice link (ipsec1)",
        Interface::Bluetooth => "Bluetooth",
        Interface::Utun0 => "the tunnel (utun0)",
        Interface::None => "no interface",
    }
}

/// Where a segment's traffic goes, in words a customer can follow. The IP
/// version is named only where it is IPv6, not the one everyone assumes.
pub fn route(segment: &Segment) -> String {
    let v6 = segment.family == Family::V6;
    let over = match segment.app_family {
        Some(_) => " as IPv6 (the phone translates its IPv4 for the network's NAT64)",
        None => over_family(segment.on_wire),
    };
    let own = if v6 {
        "own IPv6 address"
    } else {
        "own address"
    };
    match (segment.route, segment.seen_as) {
        (Route::Tunnel, SeenAs::None) => format!(
            "goes into the VPN tunnel{over} but never arrives (the VPN server cannot reach the home network)"
        ),
        (Route::Tunnel, _) => {
            format!("goes through the VPN tunnel{over}; servers see the VPN's address")
        }
        (Route::Direct, SeenAs::Local) => format!(
            "goes straight to the device on the local network, over {}",
            interface(segment.interface)
        ),
        (Route::Direct, _) => format!(
            "goes outside the tunnel{over}, {} {}; servers see the phone's {own}",
            if v6 { "on" } else { "over" },
            interface(segment.interface)
        ),
        (Route::Blocked, _) => "is dropped on the phone: no connection".into(),
        (Route::Offline, _) => "has no network at all".into(),
    }
}

/// The tunnel's state as a sentence.
pub fn tunnel(state: TunnelState) -> &'static str {
    match state {
        TunnelState::Absent => "no VPN is configured",
        TunnelState::Off => "the VPN is off",
        TunnelState::Connecting => "the VPN is connecting",
        TunnelState::Connected => "the VPN is connected",
        TunnelState::Reasserting => "the VPN is reconnecting after the network change",
        TunnelState::Lost => "the VPN's tunnel process is gone",
        TunnelState::Restarting => "the tunnel is restarting",
        TunnelState::Updating => "the App Store is replacing the VPN app; its tunnel is stopped",
        TunnelState::AppearsConnected => {
            "the VPN app shows \"Connected\", but nothing goes into the tunnel"
        }
        TunnelState::Rebooting => "the phone is restarting",
    }
}

/// Whose Wi-Fi it is and what it does, in a phrase.
pub fn attack(attack: Attack) -> &'static str {
    match attack {
        Attack::LocalNet => {
            "an attacker's, announcing the web site's public subnet as its local network (TunnelCrack LocalNet)"
        }
        Attack::ServerIp => {
            "an attacker's, which answered the VPN server's name with the web site's address and forwards the tunnel there (TunnelCrack ServerIP)"
        }
        Attack::TunnelVision => {
            "an attacker's, whose DHCP pushes a route to the web site (option 121: TunnelVision)"
        }
    }
}

/// An attack's name, as the drawing labels the attacker's Wi-Fi.
pub fn attack_name(attack: Attack) -> &'static str {
    match attack {
        Attack::LocalNet => "LocalNet",
        Attack::ServerIp => "ServerIP",
        Attack::TunnelVision => "TunnelVision",
    }
}

/// An attack as a picker offers it: its name and what it does.
pub fn attack_choice(attack: Attack) -> &'static str {
    match attack {
        Attack::LocalNet => "LocalNet (public subnet as \"local\")",
        Attack::ServerIp => "ServerIP (spoofed VPN server address)",
        Attack::TunnelVision => "TunnelVision (DHCP option 121)",
    }
}

/// A capture point as the pcapng's interface description says it.
pub fn capture_point(point: CapturePoint) -> &'static str {
    match point {
        CapturePoint::En0 => "the phone's Wi-Fi",
        CapturePoint::PdpIp0 => "the phone's cellular data",
        CapturePoint::Utun0 => "the phone's VPN tunnel interface",
        CapturePoint::Ipsec1 => "the phone's carrier voice link (IMS)",
        CapturePoint::Bluetooth => "the phone's Bluetooth link to the Watch",
        CapturePoint::RelayInternet => "the VPN relay's internet side, after its NAT",
        CapturePoint::TunnelProcess => {
            "the tunnel process's own stack, and packets it held or could not send"
        }
    }
}

/// A captured packet's comment: its flow, the rule that decided its path,
/// and whether the phone dropped it.
pub fn packet_comment(flow: Option<(&str, FlowKind)>, rule: &str, dropped: bool) -> String {
    let who = match flow {
        Some((name, kind)) => format!("flow {name} ({kind})"),
        None => "the tunnel's own transport".to_string(),
    };
    let rule = if rule.is_empty() { "no rule" } else { rule };
    if dropped {
        format!("{who} · rule {rule} · DROPPED at the phone: never on the wire")
    } else {
        format!("{who} · rule {rule}")
    }
}

/// " over IPv6" where a connection uses IPv6; nothing for IPv4, the
/// version everyone assumes.
pub fn over_family(family: Family) -> &'static str {
    match family {
        Family::V4 => "",
        Family::V6 => " over IPv6",
    }
}

/// An IP version as people write it.
pub fn family(family: Family) -> &'static str {
    match family {
        Family::V4 => "IPv4",
        Family::V6 => "IPv6",
    }
}

/// How the drawing labels a network's gateway when the network has IPv6
/// (`None`: IPv4 only, the layout's own label). `tall` is the phone layout.
pub fn gateway(network: Network, mode: IpMode, tall: bool) -> Option<&'static str> {
    Some(match (network, mode, tall) {
        (_, IpMode::Ipv4Only, _) => return None,
        (Network::Wifi, IpMode::DualStack, false) => "NAT 198.51.100.7 + IPv6",
        (Network::Wifi, IpMode::DualStack, true) => "NAT+IPv6",
        (Network::Wifi, IpMode::Ipv6Only, false) => "NAT64 198.51.100.7",
        (Network::Cellular, IpMode::DualStack, false) => "CGNAT + IPv6",
        (Network::Cellular, IpMode::DualStack, true) => "CGNAT+IPv6",
        (Network::Cellular, IpMode::Ipv6Only, false) => "NAT64 198.51.100.200",
        (_, IpMode::Ipv6Only, true) => "NAT64",
    })
}

/// A network's IP mode, as a picker offers it (an IPv6-only network has
/// NAT64; the drawing says so on its gateway).
pub fn ip_mode(mode: IpMode) -> &'static str {
    match mode {
        IpMode::Ipv4Only => "IPv4 only",
        IpMode::DualStack => "dual-stack",
        IpMode::Ipv6Only => "IPv6 only",
    }
}

/// The phone's network as a sentence (`None` is airplane mode).
pub fn network(network: Option<Network>) -> &'static str {
    match network {
        Some(Network::Wifi) => "the phone is on Wi-Fi",
        Some(Network::Cellular) => "the phone is on cellular",
        None => "the phone is in airplane mode",
    }
}

/// Why a run ended before its scenario's end, and what to change.
pub fn stopped(stop: &Stop, duration_ms: u64) -> String {
    let (what, shrink) = match stop.limit {
        Limit::Segments => (
            "route segments (a flow gets one each time its route may change)",
            "use fewer events or fewer flows",
        ),
        Limit::PacketEvents => (
            "packet events",
            "open fewer flows, close them sooner (`close`) or shorten `duration`",
        ),
        Limit::RetainedPackets => (
            "captured packets",
            "open fewer flows, close them sooner (`close`) or shorten `duration`",
        ),
    };
    format!(
        "This run stopped at {} of {}: it reached its budget of {} {what}. \
         Every run is held to the same budget, so that any scenario or link \
         opens quickly anywhere; everything before that moment is shown. \
         To see the whole run, {shrink}.",
        duration::format(stop.at_ms),
        duration::format(duration_ms),
        thousands(stop.budget),
    )
}

/// A run still under way, while its packets are computed.
pub fn running(done_ms: u64, of_ms: u64) -> String {
    format!(
        "Computing the packets: {} of {} simulated. Routes are shown already; the page stays usable.",
        duration::format(done_ms - done_ms % 1_000),
        duration::format(of_ms)
    )
}

/// Above the box that shows any flow by name, when only the first `drawn`
/// of `total` are drawn.
pub fn more_flows(total: usize, drawn: usize) -> String {
    format!("{total} flows: the first {drawn} are drawn. ")
}

/// The button under a list of events showing the first `shown` of `total`.
pub fn more_events(shown: usize, total: usize, step: usize) -> String {
    let next = step.min(total.saturating_sub(shown));
    format!(
        "Show {next} more ({} of {} events listed; the text has them all)",
        shown.min(total),
        thousands(total as u64)
    )
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A setting in plain words, as a sentence uses it ("Here the kill switch
/// changes…"). Its API name is shown beside it where that matters.
pub fn setting_name(prop: Prop) -> &'static str {
    match prop {
        Prop::IncludeAllNetworks => "the kill switch",
        Prop::ExcludeLocalNetworks => "keeping local network traffic outside the VPN",
        Prop::ExcludeApns => "keeping push notifications outside the VPN",
        Prop::ExcludeCellularServices => "keeping Wi-Fi Calling and MMS outside the VPN",
        Prop::ExcludeDeviceCommunication => "keeping Xcode's link to the phone outside the VPN",
        Prop::EnforceRoutes => "enforcing the VPN's routes",
        Prop::OnDemand => "VPN on demand",
        Prop::ServerByName => "looking the VPN server up by name",
        Prop::ReportsServerAddress => "telling iOS the VPN server's real address",
        Prop::IncludedRoutes => "the VPN's routes",
        Prop::ExcludedRoutes => "the routes kept outside the VPN",
    }
}

/// A setting's label beside its switch: what it does, in words (the API
/// key goes beside it in small type).
pub fn setting_label(prop: Prop) -> &'static str {
    match prop {
        Prop::IncludeAllNetworks => "Kill switch: send everything through the VPN",
        Prop::ExcludeLocalNetworks => {
            "Keep local network traffic — AirDrop, printers — outside the VPN"
        }
        Prop::ExcludeApns => "Keep push notifications outside the VPN",
        Prop::ExcludeCellularServices => "Keep Wi-Fi Calling, MMS and voicemail outside the VPN",
        Prop::ExcludeDeviceCommunication => "Keep Xcode's link to the phone outside the VPN",
        Prop::EnforceRoutes => "Make the VPN's routes win over the network's",
        Prop::OnDemand => "Connect on demand (restart the VPN by itself)",
        Prop::ServerByName => "The app looks its VPN server up by name (not by address)",
        Prop::ReportsServerAddress => "The app tells iOS its VPN server's real address",
        Prop::IncludedRoutes => "Addresses sent through the VPN",
        Prop::ExcludedRoutes => "Addresses kept outside the VPN",
    }
}

/// A flow as a sentence names it: what it is, not its kind's key.
pub fn flow_noun(kind: FlowKind, name: &str) -> String {
    let noun = match kind {
        FlowKind::App if name.contains("app") || name.contains("browser") => {
            return format!("the {name}");
        }
        FlowKind::App => return format!("the {name} app"),
        FlowKind::Dns => "DNS",
        FlowKind::Apns => "push",
        FlowKind::AppleMaps => "Apple Maps",
        FlowKind::AppleServices => "iCloud",
        FlowKind::AppStore => "the App Store",
        FlowKind::LocalNetwork => return format!("{name} (on the local network)"),
        FlowKind::CellularServices => "Wi-Fi Calling",
        FlowKind::Volte => "VoLTE calling",
        FlowKind::DeviceCommunication => "Xcode's link to the phone",
        FlowKind::Companion => "the Apple Watch",
        FlowKind::ScopedApp => "the call's WebRTC connection",
        FlowKind::Dhcp => "DHCP",
        FlowKind::CaptivePortal => "the captive-portal check",
        FlowKind::VpnTransport => "the VPN's own connection to its server",
        FlowKind::TunnelProbe => "the VPN's health check",
        FlowKind::VpnApi => "the VPN app's own requests",
        FlowKind::HotspotClient => "the laptop on the hotspot",
    };
    noun.to_string()
}

/// An interface in the fewest words ("Wi-Fi", "cellular").
fn interface_short(interface: Interface) -> &'static str {
    match interface {
        Interface::En0 => "Wi-Fi",
        Interface::PdpIp0 => "cellular",
        Interface::Ipsec1 => "the carrier's voice link",
        Interface::Bluetooth => "Bluetooth",
        Interface::Utun0 => "the VPN",
        Interface::None => "no interface",
    }
}

/// Where a flow's traffic goes, as a verb phrase ("goes outside the VPN
/// over Wi-Fi").
pub fn path(path: &Path) -> String {
    route_phrase(path.route, path.interface, path.seen_as)
}

/// A packet in a sentence, for the narration under the drawing: "push's
/// packet went outside the VPN over Wi-Fi; the server sees the phone's
/// own address".
pub fn packet_narration(noun: &str, dropped: bool, segment: Option<&Segment>) -> String {
    let Some(segment) = segment else {
        return format!("a packet of {noun} passed.");
    };
    if dropped {
        return format!("the phone dropped a packet of {noun}: it is blocked, so nothing leaves.");
    }
    let goes = route_phrase(segment.route, segment.interface, segment.seen_as);
    let sees = match segment.seen_as {
        SeenAs::Vpn => "; the server sees the VPN's address, not yours",
        SeenAs::Device => "; the server sees your own address",
        SeenAs::Local => "; it stays on the local network",
        SeenAs::None => "",
    };
    format!("a packet of {noun} {goes}{sees}.")
}

fn route_phrase(route: Route, interface: Interface, seen_as: SeenAs) -> String {
    match (route, seen_as) {
        (Route::Tunnel, SeenAs::None) => "goes into the VPN but never arrives".to_string(),
        (Route::Tunnel, _) => "goes through the VPN".to_string(),
        (Route::Direct, SeenAs::Local) => format!(
            "goes straight to the local network over {}",
            interface_short(interface)
        ),
        (Route::Direct, _) => format!("goes outside the VPN over {}", interface_short(interface)),
        (Route::Blocked, _) => "is blocked".to_string(),
        (Route::Offline, _) => "has no network".to_string(),
    }
}

/// When a span holds, as a phrase: "for 1 s while the VPN connects",
/// "from 5 s on".
pub fn span_when(span: &Span, end_ms: u64) -> String {
    let while_ = match span.tunnel {
        TunnelState::Connecting => " while the VPN connects",
        TunnelState::Reasserting => " while the VPN reconnects",
        TunnelState::Off => " while the VPN is off",
        TunnelState::Lost => " after the VPN's tunnel process is gone",
        TunnelState::Restarting => " while the VPN restarts",
        TunnelState::Updating => " while the App Store updates the VPN app",
        TunnelState::AppearsConnected => " while the VPN only appears connected",
        TunnelState::Rebooting => " while the phone restarts",
        TunnelState::Connected | TunnelState::Absent => "",
    };
    if span.to_ms >= end_ms {
        if span.from_ms == 0 {
            format!("the whole time{while_}")
        } else {
            format!("from {} on{while_}", duration::format(span.from_ms))
        }
    } else {
        format!(
            "for {} from {}{while_}",
            duration::format(span.to_ms - span.from_ms),
            duration::format(span.from_ms)
        )
    }
}

/// Capitalises a sentence's first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One flow's change in a sentence: what it does with the setting on, and
/// with it off.
pub fn flow_change(change: &FlowChange, end_ms: u64) -> String {
    let noun = flow_noun(change.kind, &change.name);
    let Some(first) = change.spans.first() else {
        return format!("{noun} goes the same way either way");
    };
    let more = match change.spans.len() {
        1 => String::new(),
        n => format!(
            " (and {} more time{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    format!(
        "when it is on, {noun} {on} {when}{more}; when it is off, {noun} {off}",
        on = path(&first.on),
        when = span_when(first, end_ms),
        off = path(&first.off),
    )
}

/// The one-line answer to "what changes if I flip this setting here?".
pub fn difference_headline(difference: &Difference, end_ms: u64) -> String {
    let setting = setting_name(difference.prop);
    let here = sentence(&format!("here {setting}"));
    match difference.flows.as_slice() {
        [] => format!(
            "{here} changes nothing you can see: every flow goes the same way with it on or off."
        ),
        [one] => format!("{here} changes one thing: {}.", flow_change(one, end_ms)),
        many => {
            let nouns: Vec<String> = many.iter().map(|f| flow_noun(f.kind, &f.name)).collect();
            format!(
                "{here} changes where {} flows go: {}.",
                many.len(),
                list(&nouns)
            )
        }
    }
}

/// What stays the same either way and matters: the flows that leave the
/// connected VPN with the setting on and off alike.
pub fn outside_either_way(difference: &Difference) -> Option<String> {
    let outside = &difference.outside_either_way;
    let first = outside.first()?;
    let nouns: Vec<String> = outside.iter().map(|o| flow_noun(o.kind, &o.name)).collect();
    let over = interface_short(first.interface);
    Some(format!(
        "Either way, {} {} outside the VPN (over {over}) while it is connected, from {}.",
        list(&nouns),
        if nouns.len() == 1 { "goes" } else { "go" },
        duration::format(
            outside
                .iter()
                .map(|o| o.from_ms)
                .min()
                .unwrap_or(first.from_ms)
        ),
    ))
}

/// "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Why there is no comparison to show, in a sentence.
pub fn no_comparison(why: NoComparison) -> String {
    match why {
        NoComparison::NoVpn => {
            "No VPN is configured here, so there is no kill switch to turn on or off.".to_string()
        }
        NoComparison::NotOnRelease {
            prop: Prop::IncludeAllNetworks,
            since,
        } => format!(
            "This iOS release has no kill switch: Apple added it (includeAllNetworks) in iOS {since}."
        ),
        NoComparison::NotOnRelease { prop, since } => format!(
            "This iOS release does not have “{}”: Apple added it in iOS {since}.",
            setting_label(prop)
        ),
    }
}

/// A setting as a heading or a switch names it: "Kill switch".
pub fn setting_title(prop: Prop) -> String {
    match prop {
        Prop::IncludeAllNetworks => "Kill switch".to_string(),
        _ => sentence(setting_name(prop)),
    }
}

/// A setting's state as a column or switch says it: "Kill switch on".
pub fn setting_state(prop: Prop, on: bool) -> String {
    let state = if on { "on" } else { "off" };
    match prop {
        Prop::IncludeAllNetworks => format!("Kill switch {state}"),
        _ => format!("{}: {state}", setting_title(prop)),
    }
}

/// A setting's state within a sentence: "kill switch off". (Written, not
/// lower-cased: `str::to_lowercase` would bring Unicode's case tables into
/// every visitor's download, and would lower "VPN" too.)
fn setting_state_inline(prop: Prop, on: bool) -> String {
    let state = if on { "on" } else { "off" };
    match prop {
        Prop::IncludeAllNetworks => format!("kill switch {state}"),
        _ => format!("{}: {state}", setting_name(prop)),
    }
}

/// What a kind of evidence means, for a reader who meets its badge.
pub fn evidence_meaning(evidence: Evidence) -> &'static str {
    match evidence {
        Evidence::Documented => "documented: Apple says so in its documentation or SDK headers",
        Evidence::Observed => "observed: a VPN vendor or researcher saw it happen and published it",
        Evidence::Reported => "reported: someone reported it in an issue, a forum or the press",
        Evidence::Inferred => {
            "inferred: no source says it; this project derives it from sourced facts"
        }
        Evidence::Unknown => {
            "unknown: the public record is silent; the model follows a stated assumption you can flip"
        }
    }
}

/// What an edited view changed, as a list ("iOS 18.0, Mullvad's settings").
pub fn edits(edits: &[Edit]) -> String {
    let said: Vec<String> = edits
        .iter()
        .map(|edit| match edit {
            Edit::Release(version) => format!("iOS {version}"),
            Edit::Network(Network::Wifi) => "on Wi-Fi".to_string(),
            Edit::Network(Network::Cellular) => "on cellular".to_string(),
            Edit::Attack(Some(attack)) => format!("a hostile Wi-Fi ({})", attack_name(*attack)),
            Edit::Attack(None) => "a home Wi-Fi".to_string(),
            Edit::Preset(Some(name)) => crate::presets::find(name).map_or_else(
                || format!("{name}'s settings"),
                |p| format!("{}'s settings", p.vendor),
            ),
            Edit::Preset(None) => "the app's own settings".to_string(),
            Edit::Vpn(true) => "a VPN added".to_string(),
            Edit::Vpn(false) => "no VPN".to_string(),
            Edit::Switch(prop, on) => setting_state_inline(*prop, *on),
            Edit::Assumptions => "an assumption changed".to_string(),
            Edit::Flows => "flows changed".to_string(),
            Edit::Events => "events changed".to_string(),
        })
        .collect();
    said.join(", ")
}

/// A VPN app's preset by the app and its setting, in words
/// ("Mullvad, force all apps"), not by its key.
pub fn preset(preset: &crate::presets::Preset) -> String {
    let rest = preset
        .name
        .split_once('-')
        .map_or("its default settings".to_string(), |(_, rest)| {
            rest.replace('-', " ")
        });
    format!("{}, {rest}", preset.vendor)
}

/// A reader's VPN app: "Mullvad, force all apps", "another app, kill
/// switch on".
pub fn app(app: App) -> String {
    match app {
        App::Preset(preset) => self::preset(preset),
        App::Other { kill_switch: true } => "another app, kill switch on".to_string(),
        App::Other { kill_switch: false } => "another app, kill switch off".to_string(),
    }
}

/// Where the phone is, as a picker offers it and a title says it.
pub fn place(place: CasePlace) -> &'static str {
    match place {
        CasePlace::HomeWifi => "at home, on Wi-Fi",
        CasePlace::Cellular => "on cellular",
        CasePlace::PublicWifi => "on a café's or hotel's Wi-Fi (assume it is hostile)",
    }
}

/// What leads to the support answer for a place (the answer's question
/// follows, as its link).
pub fn place_advice(place: CasePlace) -> &'static str {
    match place {
        CasePlace::PublicWifi => "What to set on a public Wi-Fi, step by step: ",
        CasePlace::HomeWifi | CasePlace::Cellular => "What to set: ",
    }
}

/// A reader's case as its view's title.
pub fn case_title(case: &Case) -> String {
    let place = match case.place {
        CasePlace::PublicWifi => "on a hostile café Wi-Fi",
        other => self::place(other),
    };
    format!("Your iPhone: iOS {}, {}, {place}", case.ios, app(case.app))
}

/// What the ≠ beside a flow's label means, for the drawing's legend.
pub fn changed_mark(prop: Prop) -> String {
    format!("≠ goes another way now with {} flipped", setting_name(prop))
}

/// What flipping the setting changes at this moment, in a sentence, and a
/// moment worth going to when it changes nothing now.
pub fn at_this_moment(difference: &Difference, now: u64, end_ms: u64) -> (String, Option<u64>) {
    let setting = setting_name(difference.prop);
    let now_flows: Vec<String> = difference
        .flows_at(now)
        .map(|f| flow_noun(f.kind, &f.name))
        .collect();
    if !now_flows.is_empty() {
        let verb = if now_flows.len() == 1 { "goes" } else { "go" };
        return (
            format!(
                "At {}, flipping {setting} changes where {} {verb} (marked ≠).",
                duration::format(now),
                list(&now_flows)
            ),
            None,
        );
    }
    match difference
        .next_span(now)
        .or(difference.flows.iter().flat_map(|f| &f.spans).next())
    {
        Some(span) => (
            format!(
                "At {}, the two runs look the same; they differ {}.",
                duration::format(now),
                span_when(span, end_ms)
            ),
            Some(span.from_ms),
        ),
        None => (
            format!("Here flipping {setting} changes nothing you can see, at any moment."),
            None,
        ),
    }
}

/// A flow's changes beyond those the summary lists.
pub fn more_spans(total: usize, listed: usize) -> String {
    format!(
        "It differs {total} times in all; the first {listed} are listed, and the timeline marks each."
    )
}

/// A flow's second or later change, in the row under its first.
pub fn then_again() -> &'static str {
    "then again"
}

/// How many flows that go another way the summary does not list.
pub fn more_changes(unlisted: usize) -> String {
    format!(
        "…and {unlisted} more flow{} that go another way (the timeline shows each)",
        if unlisted == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::addresses::Cidr;
    use crate::facts::Prop;

    #[test]
    fn a_setting_reads_as_the_scenario_writes_it() {
        assert_eq!(
            setting(&Setting::Flag(Prop::IncludeAllNetworks, false)),
            "include_all_networks=false"
        );
        let routes = vec![Cidr::parse("10.0.0.0/8").unwrap()];
        assert_eq!(
            setting(&Setting::Routes(Prop::ExcludedRoutes, routes)),
            "excluded_routes=[\"10.0.0.0/8\"]"
        );
    }

    #[test]
    fn a_transition_without_a_network_waits_for_one() {
        let waiting = Effect::Connecting {
            until: Transition { until_ms: None },
        };
        assert_eq!(
            effect(&waiting),
            "the tunnel is connecting until there is a network again"
        );
        let timed = Effect::AirplaneOff {
            back_on: Network::Cellular,
            reasserts: Some(Transition {
                until_ms: Some(21_000),
            }),
        };
        assert_eq!(
            effect(&timed),
            "airplane mode off: back on cellular; the tunnel reasserts until 21s"
        );
    }

    #[test]
    fn a_rule_missing_for_the_release_leaves_no_empty_parentheses() {
        let notice = Effect::UpdateNotice {
            include_all_networks: false,
            notifications: true,
            rule: None,
        };
        assert!(!effect(&notice).contains("()"), "{}", effect(&notice));
    }
}
