//! One test per rule, each naming its source, then property tests for the
//! invariants the model must never break.

use super::*;
use crate::addresses::Cidr;
use crate::facts::AssumptionValue;
use crate::facts::Evidence;
use crate::model::FlowKind::*;

fn ios(text: &str) -> IosVersion {
    IosVersion::parse(text).unwrap()
}

/// A phone on `ios`, on Wi-Fi, with a full-tunnel VPN at Apple's defaults.
struct Phone {
    ios: IosVersion,
    vpn: Option<VpnConfig>,
    assume: Assumptions,
    network: Option<Network>,
    tunnel: TunnelState,
    attack: Option<Attack>,
    ip: IpModes,
    family: FamilyChoice,
}

impl Phone {
    fn new(release: &str) -> Phone {
        let ios = ios(release);
        Phone {
            ios,
            vpn: Some(VpnConfig::defaults(ios)),
            assume: Assumptions::default(),
            network: Some(Network::Wifi),
            tunnel: TunnelState::Connected,
            attack: None,
            ip: IpModes::IPV4_ONLY,
            family: FamilyChoice::Auto,
        }
    }

    fn ip(mut self, wifi: crate::model::IpMode, cellular: crate::model::IpMode) -> Phone {
        self.ip = IpModes { wifi, cellular };
        self
    }

    /// The app speaks only these IP versions.
    fn speaks(mut self, family: FamilyChoice) -> Phone {
        self.family = family;
        self
    }

    fn attacked(mut self, attack: Attack) -> Phone {
        self.attack = Some(attack);
        self
    }

    fn ian(mut self) -> Phone {
        self.vpn.as_mut().unwrap().include_all_networks = Some(true);
        self
    }

    fn no_vpn(mut self) -> Phone {
        self.vpn = None;
        self.tunnel = TunnelState::Absent;
        self
    }

    fn tunnel(mut self, state: TunnelState) -> Phone {
        self.tunnel = state;
        self
    }

    fn network(mut self, network: Option<Network>) -> Phone {
        self.network = network;
        self
    }

    fn vpn(mut self, change: impl FnOnce(&mut VpnConfig)) -> Phone {
        change(self.vpn.as_mut().unwrap());
        self
    }

    fn assume(mut self, id: AssumptionId, value: bool) -> Phone {
        self.assume.set(id, AssumptionValue::Bool(value));
        self
    }

    fn decide(&self, kind: FlowKind) -> Decision {
        self.decide_existing(kind, None)
    }

    fn decide_existing(&self, kind: FlowKind, existing: Option<Connection>) -> Decision {
        let ctx = Context {
            attack: self.attack,
            ip: self.ip,
            ..Context::steady(
                self.ios,
                self.vpn.as_ref(),
                &self.assume,
                self.network,
                self.tunnel,
            )
        };
        decide_as(&ctx, kind, self.family, existing)
    }
}

fn ids(decision: &Decision) -> Vec<&'static str> {
    decision.rules.iter().map(|r| r.id).collect()
}

fn direct_on(interface: Interface) -> Option<Connection> {
    Some(Connection {
        route: Route::Direct,
        interface,
        family: Family::V4,
    })
}

// --- the device and the VPN's state ---------------------------------------

#[test]
fn no_vpn_means_direct_with_the_public_address() {
    let d = Phone::new("17.4").no_vpn().decide(App);
    assert_eq!(
        (d.route, d.interface, d.seen_as),
        (Route::Direct, Interface::En0, SeenAs::Device)
    );
    assert_eq!(ids(&d), ["vpn.none"]);
}

#[test]
fn airplane_mode_leaves_no_path() {
    let d = Phone::new("18.2").ian().network(None).decide(App);
    assert_eq!((d.route, d.seen_as), (Route::Offline, SeenAs::None));
    assert_eq!(ids(&d), ["device.airplane-mode"]);
}

#[test]
fn lan_flows_have_no_path_off_wifi() {
    let phone = Phone::new("17.4").network(Some(Network::Cellular));
    assert_eq!(phone.decide(LocalNetwork).route, Route::Offline);
    assert_eq!(phone.decide(Dhcp).route, Route::Offline);
    assert_eq!(ids(&phone.decide(DeviceCommunication)), ["device.no-lan"]);
}

#[test]
fn user_disconnect_goes_direct_even_with_ian() {
    // Mullvad NewAppVersionSystemNotificationHandler.swift: disconnect (or turn
    // Force all apps off) before updating so you do not lose connectivity.
    let d = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Off)
        .decide(App);
    assert_eq!((d.route, d.seen_as), (Route::Direct, SeenAs::Device));
    assert_eq!(ids(&d), ["vpn.not-connected"]);
    assert_eq!(d.deciding_rule().evidence, Evidence::Observed);
}

#[test]
fn without_ian_connecting_and_lost_tunnels_leave_traffic_direct() {
    // Inferred: the tunnel's routes exist only while the provider runs.
    let phone = Phone::new("17.4");
    let connecting = phone.tunnel(TunnelState::Connecting).decide(App);
    assert_eq!(ids(&connecting), ["vpn.connecting-no-routes"]);
    assert_eq!(connecting.route, Route::Direct);
    let lost = Phone::new("17.4").tunnel(TunnelState::Lost).decide(App);
    assert_eq!(ids(&lost), ["vpn.provider-gone-routes-removed"]);
    assert_eq!(lost.route, Route::Direct);
}

#[test]
fn without_ian_a_reasserting_tunnel_holds_traffic() {
    let d = Phone::new("17.4")
        .tunnel(TunnelState::Reasserting)
        .decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert_eq!(ids(&d), ["routes.included", "vpn.reasserting-holds"]);
}

#[test]
fn a_restart_exposes_traffic_even_with_ian() {
    // Mullvad IncludeAllNetworksSettingsViewModel.swift: toggling restarts the
    // tunnel, which briefly exposes traffic.
    let d = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Restarting)
        .decide(App);
    assert_eq!((d.route, d.seen_as), (Route::Direct, SeenAs::Device));
    assert_eq!(ids(&d), ["vpn.restart-exposes"]);
}

// --- traffic with its own fixed path ----------------------------------------

#[test]
fn volte_never_enters_the_tunnel() {
    // Apple doc excludecellularservices: cellular-only services such as VoLTE
    // are always excluded; rvi_capture shows them on ipsec interfaces.
    for release in ["13.3.1", "15.7", "16.4", "26.1"] {
        let mut phone = Phone::new(release);
        if release != "13.3.1" {
            phone = phone
                .ian()
                .vpn(|v| v.exclude_cellular_services = v.exclude_cellular_services.map(|_| false));
        }
        let d = phone.decide(Volte);
        assert_eq!(
            (d.route, d.interface),
            (Route::Direct, Interface::Ipsec1),
            "{release}"
        );
    }
    let old = Phone::new("15.7").decide(Volte);
    assert_eq!(old.deciding_rule().evidence, Evidence::Observed);
    let new = Phone::new("16.4").decide(Volte);
    assert_eq!(new.deciding_rule().evidence, Evidence::Documented);
}

#[test]
fn vpn_transport_is_always_outside() {
    // Apple doc excludedRoutes: the tunnel server's address is excluded.
    let d = Phone::new("18.2").ian().decide(VpnTransport);
    assert_eq!(
        (d.route, d.interface, d.seen_as),
        (Route::Direct, Interface::En0, SeenAs::Device)
    );
    assert_eq!(ids(&d), ["vpn.transport-outside"]);
    let connecting = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Connecting)
        .decide(VpnTransport);
    assert_eq!(connecting.route, Route::Direct);
}

#[test]
fn provider_api_calls_leave_outside() {
    // Proton PacketTunnelProvider.swift: API calls go through URLSession,
    // outside the tunnel, when includeAllNetworks is on.
    let d = Phone::new("17.4").ian().decide(VpnApi);
    assert_eq!(d.route, Route::Direct);
    assert_eq!(ids(&d), ["vpn.api-outside"]);
}

#[test]
fn the_tunnel_probe_binds_to_utun_without_ian_and_uses_a_userspace_stack_with_it() {
    // Mullvad Pinger.swift (IP_BOUND_IF) before IAN; smoltcp_network/mod.rs and
    // wireguard-apple router.go under IAN.
    let plain = Phone::new("17.4").decide(TunnelProbe);
    assert_eq!(plain.route, Route::Tunnel);
    assert_eq!(ids(&plain), ["probe.bound-socket"]);
    let ian = Phone::new("17.4").ian().decide(TunnelProbe);
    assert_eq!(ian.route, Route::Tunnel);
    assert_eq!(
        ids(&ian),
        ["probe.bind-fails-under-ian", "probe.userspace-stack"]
    );
    let down = Phone::new("17.4")
        .ian()
        .tunnel(TunnelState::Connecting)
        .decide(TunnelProbe);
    assert_eq!(
        (down.route, ids(&down)),
        (Route::Offline, vec!["probe.needs-tunnel"])
    );
}

#[test]
fn dhcp_captive_and_companion_are_always_excluded_under_ian() {
    // NEVPNProtocol.h (iOS 18 SDK): network control (DHCP), captive-network
    // traffic and companion devices are always excluded.
    let phone = Phone::new("18.2").ian().tunnel(TunnelState::Connecting);
    let dhcp = phone.decide(Dhcp);
    assert_eq!((dhcp.route, dhcp.seen_as), (Route::Direct, SeenAs::Local));
    assert_eq!(ids(&dhcp), ["ian.always-excluded.network-control"]);
    assert_eq!(dhcp.deciding_rule().evidence, Evidence::Documented);
    assert_eq!(
        ids(&phone.decide(CaptivePortal)),
        ["ian.always-excluded.captive"]
    );
    assert_eq!(phone.decide(CaptivePortal).route, Route::Direct);
    assert_eq!(
        ids(&phone.decide(Companion)),
        ["ian.always-excluded.companion"]
    );
    // Before 16.4 Apple had not listed them: same path, inferred.
    let older = Phone::new("15.7").ian().decide(Dhcp);
    assert_eq!(older.route, Route::Direct);
    assert_eq!(older.deciding_rule().evidence, Evidence::Inferred);
    // Off Wi-Fi the Watch is reached over Bluetooth.
    let watch = Phone::new("18.2")
        .ian()
        .network(Some(Network::Cellular))
        .decide(Companion);
    assert_eq!(watch.interface, Interface::Bluetooth);
}

#[test]
fn without_ian_dhcp_captive_and_companion_are_outside_too() {
    let phone = Phone::new("17.4");
    assert_eq!(ids(&phone.decide(Dhcp)), ["net.dhcp-on-link"]);
    assert_eq!(
        ids(&phone.decide(CaptivePortal)),
        ["net.captive-probe-outside"]
    );
    assert_eq!(ids(&phone.decide(Companion)), ["net.companion-outside"]);
    assert_eq!(
        ids(&phone.decide(DeviceCommunication)),
        ["net.device-communication-local"]
    );
}

// --- routing without includeAllNetworks -------------------------------------

#[test]
fn included_excluded_and_unrouted_destinations() {
    // Apple doc NEIPv6Settings includedRoutes / excludedRoutes.
    let full = Phone::new("15.7").decide(App);
    assert_eq!((full.route, full.seen_as), (Route::Tunnel, SeenAs::Vpn));
    assert_eq!(ids(&full), ["routes.included"]);

    let excluded = Phone::new("15.7")
        .vpn(|v| v.excluded_routes = vec![Cidr::parse("203.0.113.0/24").unwrap()])
        .decide(App);
    assert_eq!(
        (excluded.route, ids(&excluded)),
        (Route::Direct, vec!["routes.excluded"])
    );

    let split = Phone::new("15.7")
        .vpn(|v| v.included_routes = vec![Cidr::parse("10.0.0.0/8").unwrap()])
        .decide(App);
    assert_eq!(
        (split.route, ids(&split)),
        (Route::Direct, vec!["routes.not-included"])
    );
}

#[test]
fn localnet_leaks_without_ian() {
    // TunnelCrack LocalNet (IVPN's assessment): local subnets bypass a full
    // tunnel; excludeLocalNetworks alone does not change that.
    let d = Phone::new("17.4")
        .vpn(|v| v.exclude_local_networks = Some(false))
        .decide(LocalNetwork);
    assert_eq!((d.route, d.seen_as), (Route::Direct, SeenAs::Local));
    assert_eq!(ids(&d), ["routes.localnet-bypass"]);
}

#[test]
fn enforce_routes_makes_exclude_local_networks_count() {
    // Apple doc excludeLocalNetworks: applies when includeAllNetworks *or*
    // enforceRoutes is on.
    let kept_out = Phone::new("17.4")
        .vpn(|v| v.enforce_routes = Some(true))
        .decide(LocalNetwork);
    assert_eq!(kept_out.route, Route::Direct);
    assert_eq!(
        ids(&kept_out),
        ["routes.enforce-routes-local", "vpn.exclude-local-networks"]
    );
    let pulled_in = Phone::new("17.4")
        .vpn(|v| {
            v.enforce_routes = Some(true);
            v.exclude_local_networks = Some(false);
        })
        .decide(LocalNetwork);
    assert_eq!(pulled_in.route, Route::Tunnel);
}

#[test]
fn dns_follows_the_tunnel_resolver() {
    // Apple doc NEDNSSettings.matchDomains: ignored when the tunnel is the
    // default route; its servers become the default resolver.
    let d = Phone::new("16.4").decide(Dns);
    assert_eq!(d.route, Route::Tunnel);
    assert_eq!(ids(&d), ["dns.tunnel-resolver"]);
    let ian = Phone::new("16.4").ian().decide(Dns);
    assert_eq!(ids(&ian), ["dns.tunnel-resolver", "ian.tunnel"]);
}

#[test]
fn cellular_services_without_ian_follow_the_contested_assumption() {
    // The one test (Outline's maintainer): Wi-Fi Calling bypasses the VPN.
    let d = Phone::new("17.4").decide(CellularServices);
    assert_eq!((d.route, d.interface), (Route::Direct, Interface::En0));
    assert_eq!(ids(&d), ["carrier.wifi-calling-outside"]);
    assert_eq!(
        d.deciding_rule().assumption,
        Some(AssumptionId::WifiCallingBypassesTunnel)
    );
    // The other reading: the routes decide (inferred).
    let routed = Phone::new("17.4")
        .assume(AssumptionId::WifiCallingBypassesTunnel, false)
        .decide(CellularServices);
    assert_eq!(routed.route, Route::Tunnel);
    assert_eq!(routed.rules[0].id, "carrier.services-routed");
    assert_eq!(routed.rules[0].evidence, Evidence::Inferred);
}

/// Push without the kill switch on 17+: three readings of the reports.
#[test]
fn push_without_the_kill_switch_follows_the_contested_reading() {
    use crate::facts::PUSH_WITHOUT_KILL_SWITCH;
    let on = |value: &'static str, network| {
        let mut phone = Phone::new("18.2").network(Some(network));
        phone.assume.set(
            AssumptionId::PushWithoutKillSwitch,
            AssumptionValue::Choice {
                value,
                of: PUSH_WITHOUT_KILL_SWITCH,
            },
        );
        let d = phone.decide(Apns);
        (d.route, d.rules.first().map(|r| r.id).unwrap_or(""))
    };
    let (wifi, cellular) = (Network::Wifi, Network::Cellular);
    // The default: the 2026 reports, by network.
    let default = Phone::new("18.2").decide(Apns);
    assert_eq!(default.route, Route::Tunnel);
    assert_eq!(
        on("by-network", wifi),
        (Route::Tunnel, "push.tunnel-on-wifi")
    );
    assert_eq!(
        on("by-network", cellular),
        (Route::Direct, "push.outside-on-cellular")
    );
    for network in [wifi, cellular] {
        assert_eq!(
            on("outside", network),
            (Route::Direct, "push.outside-without-kill-switch")
        );
        assert_eq!(
            on("tunnel", network),
            (Route::Tunnel, "push.follows-routes")
        );
    }
    // Before 17 the 16.1 report still decides; with the kill switch,
    // excludeAPNs does.
    assert_eq!(Phone::new("16.4").decide(Apns).route, Route::Direct);
    assert!(
        !ids(&Phone::new("18.2").ian().decide(Apns))
            .iter()
            .any(|id| id.starts_with("push."))
    );
}

#[test]
fn dns_of_a_split_tunnel_uses_the_networks_resolver() {
    // Apple doc matchDomains: the tunnel's servers are the default resolver
    // only when the tunnel is the default route.
    let d = Phone::new("17.4")
        .vpn(|v| v.included_routes = vec![Cidr::parse("10.0.0.0/8").unwrap()])
        .decide(Dns);
    assert_eq!(
        (d.route, ids(&d)),
        (Route::Direct, vec!["dns.split-tunnel"])
    );
}

#[test]
fn a_connection_from_before_the_tunnel_stays_outside_without_ian() {
    // Proton 2020 (13.3.1, via cfcs.dk); Horowitz 2022 up to 15.6.
    let d = Phone::new("13.3.1").decide_existing(Apns, direct_on(Interface::En0));
    assert_eq!((d.route, d.continuity), (Route::Direct, Continuity::Kept));
    assert_eq!(ids(&d), ["routes.included", "flow.existing-stays-outside"]);
    assert_eq!(d.deciding_rule().evidence, Evidence::Observed);

    // From 16 on it is an assumption, and flipping it changes the answer.
    let assumed = Phone::new("18.2").decide_existing(App, direct_on(Interface::En0));
    assert_eq!(assumed.route, Route::Direct);
    assert_eq!(assumed.deciding_rule().evidence, Evidence::Unknown);
    // The other reading (thread 782696): iOS moves the flow into the
    // tunnel with a host route.
    let flipped = Phone::new("18.2")
        .assume(AssumptionId::ExistingConnectionsStayOutside, false)
        .decide_existing(App, direct_on(Interface::En0));
    assert_eq!(
        (flipped.route, flipped.continuity),
        (Route::Tunnel, Continuity::Moved)
    );
    assert_eq!(flipped.deciding_rule().id, "flow.existing-moved");
    // Request/response traffic starts afresh each time.
    let dns = Phone::new("13.3.1").decide_existing(Dns, direct_on(Interface::En0));
    assert_eq!(dns.route, Route::Tunnel);
}

// --- includeAllNetworks -------------------------------------------------------

#[test]
fn ian_takes_everything_not_excluded_into_the_tunnel() {
    // Apple doc includeAllNetworks; the 2021 header said "all traffic".
    let old = Phone::new("15.7").ian().decide(App);
    assert_eq!((old.route, ids(&old)), (Route::Tunnel, vec!["ian.tunnel"]));
    assert!(old.deciding_rule().source.url.contains("MacOSX12.1"));
    let new = Phone::new("16.4").ian().decide(App);
    assert!(new.deciding_rule().says.contains("most traffic"));
}

#[test]
fn ian_blocks_while_the_tunnel_is_not_connected() {
    // 2021 header: traffic is dropped while the tunnel is down; Mullvad 2025:
    // the phone loses all connectivity when the provider is gone.
    for state in [
        TunnelState::Connecting,
        TunnelState::Reasserting,
        TunnelState::Lost,
    ] {
        let d = Phone::new("18.2").ian().tunnel(state).decide(App);
        assert_eq!(
            (d.route, d.seen_as),
            (Route::Blocked, SeenAs::None),
            "{state}"
        );
        assert_eq!(ids(&d), ["ian.blocks-while-down"]);
    }
    let old = Phone::new("15.7")
        .ian()
        .tunnel(TunnelState::Lost)
        .decide(App);
    assert_eq!(old.deciding_rule().evidence, Evidence::Documented);
}

#[test]
fn exclude_local_networks_decides_lan_traffic_under_ian() {
    // NEVPNProtocol.h: excludeLocalNetworks (14.2+) defaults to YES on iOS.
    let default = Phone::new("18.2").ian().decide(LocalNetwork);
    assert_eq!(
        (default.route, ids(&default)),
        (Route::Direct, vec!["vpn.exclude-local-networks"])
    );
    let off = Phone::new("18.2")
        .ian()
        .vpn(|v| v.exclude_local_networks = Some(false))
        .decide(LocalNetwork);
    // Into the tunnel, where the relay cannot reach the printer.
    assert_eq!((off.route, off.seen_as), (Route::Tunnel, SeenAs::None));
    assert_eq!(
        ids(&off),
        [
            "vpn.include-local-networks",
            "ian.tunnel",
            "flow.tunnel-cannot-reach-lan"
        ]
    );
    // 14.0 and 14.1 have includeAllNetworks but no excludeLocalNetworks.
    let early = Phone::new("14.0").ian().decide(LocalNetwork);
    assert_eq!(early.route, Route::Tunnel);
    assert_eq!(
        ids(&early),
        [
            "ian.no-exclusion-on-this-release",
            "ian.tunnel",
            "flow.tunnel-cannot-reach-lan"
        ]
    );
    // MDM schema: enforceRoutes is ignored when includeAllNetworks is on.
    let enforced = Phone::new("18.2")
        .ian()
        .vpn(|v| v.enforce_routes = Some(true))
        .decide(LocalNetwork);
    assert_eq!(enforced.rules[0].id, "ian.ignores-enforce-routes");
}

#[test]
fn exclude_apns_decides_push_from_16_4() {
    // Apple doc excludeAPNs (16.4+, default YES, only with includeAllNetworks).
    let default = Phone::new("16.4").ian().decide(Apns);
    assert_eq!(
        (default.route, ids(&default)),
        (Route::Direct, vec!["ian.exclude-apns"])
    );
    let off = Phone::new("16.4")
        .ian()
        .vpn(|v| v.exclude_apns = Some(false))
        .decide(Apns);
    assert_eq!(off.route, Route::Tunnel);
    // That the switch beats the 2023 push-leak report is this project's
    // inference (IVPN issue #360), and the chain says so.
    assert_eq!(
        ids(&off),
        ["ian.include-apns", "apple.apns-setting-wins", "ian.tunnel"]
    );
    assert_eq!(off.rules[1].evidence, Evidence::Inferred);
    // Where the leak is assumed fixed there is nothing to infer.
    let fixed = Phone::new("26.1")
        .ian()
        .assume(AssumptionId::AppleServicesBypass, false)
        .vpn(|v| v.exclude_apns = Some(false))
        .decide(Apns);
    assert_eq!(ids(&fixed), ["ian.include-apns", "ian.tunnel"]);
}

#[test]
fn exclusions_while_the_tunnel_is_down_follow_the_assumption() {
    // Mullvad 2025: with excludeAPNs at YES the phone still lost all
    // connectivity when the provider was gone.
    let down = Phone::new("18.2").ian().tunnel(TunnelState::Lost);
    let d = down.decide(Apns);
    assert_eq!(d.route, Route::Blocked);
    assert_eq!(
        ids(&d),
        [
            "ian.exclude-apns",
            "ian.exclusions-while-down",
            "ian.blocks-while-down"
        ]
    );
    let held = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Lost)
        .assume(AssumptionId::ExclusionsHoldWhileTunnelDown, true)
        .decide(Apns);
    assert_eq!(held.route, Route::Direct);
    // Apple's always-excluded list is not affected.
    assert_eq!(down.decide(Dhcp).route, Route::Direct);
    assert_eq!(down.decide(Volte).route, Route::Direct);
}

#[test]
fn exclude_cellular_services_decides_wifi_calling_from_16_4() {
    let default = Phone::new("16.4").ian().decide(CellularServices);
    assert_eq!(ids(&default), ["ian.exclude-cellular-services"]);
    assert_eq!(default.route, Route::Direct);
    let off = Phone::new("16.4")
        .ian()
        .vpn(|v| v.exclude_cellular_services = Some(false))
        .decide(CellularServices);
    assert_eq!(off.route, Route::Tunnel);
    // Before 16.4 there is no such switch: in the tunnel.
    let early = Phone::new("15.7").ian().decide(CellularServices);
    assert_eq!(
        (early.route, early.rules[0].id),
        (Route::Tunnel, "ian.no-exclusion-on-this-release")
    );
}

#[test]
fn exclude_device_communication_decides_xcode_from_17_4() {
    // Apple doc excludeDeviceCommunication (17.4+, default YES).
    let default = Phone::new("17.4").ian().decide(DeviceCommunication);
    assert_eq!(
        (default.route, default.seen_as),
        (Route::Direct, SeenAs::Local)
    );
    assert_eq!(ids(&default), ["ian.exclude-device-communication"]);
    let off = Phone::new("17.4")
        .ian()
        .vpn(|v| v.exclude_device_communication = Some(false))
        .decide(DeviceCommunication);
    assert_eq!(
        (off.route, off.rules[0].id),
        (Route::Tunnel, "ian.include-device-communication")
    );
    let early = Phone::new("17.0").ian().decide(DeviceCommunication);
    assert_eq!(early.route, Route::Tunnel);
}

#[test]
fn excluded_routes_under_ian_follow_the_assumption() {
    let phone = || {
        Phone::new("18.2")
            .ian()
            .vpn(|v| v.excluded_routes = vec![Cidr::parse("203.0.113.0/24").unwrap()])
    };
    let d = phone().decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert_eq!(ids(&d), ["ian.excluded-routes", "ian.tunnel"]);
    let honoured = phone()
        .assume(AssumptionId::IanHonoursExcludedRoutes, true)
        .decide(App);
    assert_eq!(honoured.route, Route::Direct);
    assert_eq!(ids(&honoured), ["ian.excluded-routes", "routes.excluded"]);
}

/// The sources disagree on a connection opened before includeAllNetworks
/// came into force; each outcome is the assumption's, with its own rule.
#[test]
fn a_connection_from_before_ian_follows_the_contested_assumption() {
    let choose = |value: &'static str| {
        let mut phone = Phone::new("15.7").ian();
        phone.assume.set(
            AssumptionId::ExistingConnectionUnderIan,
            AssumptionValue::Choice {
                value,
                of: crate::facts::EXISTING_UNDER_IAN,
            },
        );
        phone.decide_existing(App, direct_on(Interface::En0))
    };
    // The default: Mozilla VPN's developer, closed and reopened inside.
    let reset = Phone::new("15.7")
        .ian()
        .decide_existing(App, direct_on(Interface::En0));
    assert_eq!(
        (reset.route, reset.continuity),
        (Route::Tunnel, Continuity::Reset)
    );
    assert_eq!(ids(&reset), ["ian.tunnel", "ian.resets-existing"]);
    assert_eq!(choose("reset"), reset);
    let moved = choose("moved");
    assert_eq!(
        (moved.route, moved.continuity),
        (Route::Tunnel, Continuity::Moved)
    );
    assert_eq!(ids(&moved), ["ian.tunnel", "ian.moves-existing"]);
    let stays = choose("stays");
    assert_eq!(
        (stays.route, stays.interface, stays.continuity),
        (Route::Direct, Interface::En0, Continuity::Kept)
    );
    assert_eq!(stays.deciding_rule().id, "ian.keeps-existing");
    // Proton's page speaks of Apple's DNS staying and of every non-Apple
    // connection being blocked: it backs "reset" for an app, and nothing
    // first-hand backs "stays" (facts-round3: ian.keeps-existing).
    assert_eq!(reset.deciding_rule().evidence, Evidence::Reported);
    assert_eq!(moved.deciding_rule().evidence, Evidence::Reported);
    assert_eq!(stays.deciding_rule().evidence, Evidence::Unknown);
    assert!(
        stays
            .deciding_rule()
            .says
            .contains("No source says this of an app's connection")
    );
    let proton = "https://protonvpn.com/support/what-is-kill-switch/";
    assert!(
        crate::facts::supporting_sources("ian.resets-existing")
            .iter()
            .any(|s| s.url == proton)
    );
    assert!(
        !crate::facts::supporting_sources("ian.keeps-existing")
            .iter()
            .any(|s| s.url.contains("protonvpn.com"))
    );
    for d in [&reset, &moved, &stays] {
        assert_eq!(
            d.deciding_rule().assumption,
            Some(AssumptionId::ExistingConnectionUnderIan)
        );
    }
}

// --- Apple's own traffic ------------------------------------------------------

#[test]
fn apple_maps_and_push_leave_the_tunnel_on_16_1() {
    // IVPN 2023-08-01 (restoreprivacy): Apple Maps and APNs leak on 16.1+,
    // even with includeAllNetworks.
    let phone = Phone::new("16.1").ian();
    for kind in [Apns, AppleMaps] {
        let d = phone.decide(kind);
        assert_eq!(
            (d.route, d.seen_as),
            (Route::Direct, SeenAs::Device),
            "{kind}"
        );
        assert_eq!(ids(&d), ["apple.bypass-16-1"]);
        assert_eq!(d.deciding_rule().evidence, Evidence::Observed);
    }
    // Without includeAllNetworks it is reported, not observed: IVPN's "even
    // with ... kill switch enabled", Mysk and Disconnect.
    let plain = Phone::new("16.1").decide(AppleMaps);
    assert_eq!(
        (plain.route, ids(&plain)),
        (Route::Direct, vec!["apple.bypass-without-ian"])
    );
    assert_eq!(plain.deciding_rule().evidence, Evidence::Reported);
    // Not on 16.0 or 15: the report says 16.1+; on 15 IVPN's QA saw Apple
    // traffic inside the tunnel.
    let fifteen = Phone::new("15.7").ian().decide(Apns);
    assert_eq!(ids(&fifteen), ["apple.inside-with-ian-15", "ian.tunnel"]);
    assert_eq!(fifteen.rules[0].evidence, Evidence::Observed);
    assert_eq!(
        Phone::new("16.0").ian().decide(AppleMaps).route,
        Route::Tunnel
    );
    assert_eq!(Phone::new("15.7").ian().decide(Apns).route, Route::Tunnel);
}

#[test]
fn the_apple_leak_after_16_is_an_assumption_that_can_be_flipped() {
    let assumed = Phone::new("26.1").ian().decide(AppleMaps);
    assert_eq!(assumed.route, Route::Direct);
    assert_eq!(assumed.deciding_rule().evidence, Evidence::Unknown);
    assert_eq!(
        assumed.deciding_rule().assumption,
        Some(AssumptionId::AppleServicesBypass)
    );
    let fixed = Phone::new("26.1")
        .ian()
        .assume(AssumptionId::AppleServicesBypass, false)
        .decide(AppleMaps);
    assert_eq!(fixed.route, Route::Tunnel);
}

#[test]
fn unverified_apple_services_stay_inside_unless_assumed_otherwise() {
    // Mysk 2022 (press only): iCloud, App Store and others talk to Apple
    // outside the tunnel. Unverified, so off by default.
    let d = Phone::new("17.4").ian().decide(AppleServices);
    assert_eq!(d.route, Route::Tunnel);
    let assumed = Phone::new("17.4")
        .ian()
        .assume(AssumptionId::UnverifiedAppleServicesBypass, true)
        .decide(AppStore);
    assert_eq!(
        (assumed.route, ids(&assumed)),
        (Route::Direct, vec!["apple.unverified-services"])
    );
}

// --- connections over time ----------------------------------------------------

#[test]
fn a_tunnel_connection_resets_when_the_tunnel_goes() {
    let inside = Some(Connection {
        route: Route::Tunnel,
        interface: Interface::Utun0,
        family: Family::V4,
    });
    let d = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Off)
        .decide_existing(App, inside);
    assert_eq!((d.route, d.continuity), (Route::Direct, Continuity::Reset));
    assert_eq!(ids(&d), ["flow.tunnel-gone-resets", "vpn.not-connected"]);
    // Blocked: the packets are dropped but the connection is held.
    let held = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Lost)
        .decide_existing(App, inside);
    assert_eq!(
        (held.route, held.continuity, held.connection),
        (Route::Blocked, Continuity::Kept, inside)
    );
}

#[test]
fn a_connection_resets_when_its_interface_goes() {
    let d = Phone::new("18.2")
        .ian()
        .network(Some(Network::Cellular))
        .decide_existing(Apns, direct_on(Interface::En0));
    assert_eq!(
        (d.route, d.interface, d.continuity),
        (Route::Direct, Interface::PdpIp0, Continuity::Reset)
    );
    assert_eq!(ids(&d), ["flow.interface-gone-resets", "ian.exclude-apns"]);
    // Going offline ends the connection.
    let off = Phone::new("18.2")
        .network(None)
        .decide_existing(App, direct_on(Interface::En0));
    assert_eq!((off.route, off.connection), (Route::Offline, None));
}

// --- a hostile Wi-Fi ------------------------------------------------------------

/// Each attack against a full tunnel without includeAllNetworks: the target's
/// traffic leaves outside on en0, for the attack's own reason.
#[test]
fn every_attack_pulls_the_target_out_of_a_tunnel_without_ian() {
    for (attack, chain) in [
        (
            Attack::LocalNet,
            &["attack.localnet", "routes.localnet-bypass"][..],
        ),
        (
            Attack::ServerIp,
            &["attack.serverip", "routes.tunnel-server-excluded"][..],
        ),
        (Attack::TunnelVision, &["attack.tunnelvision"][..]),
    ] {
        let d = Phone::new("18.2").attacked(attack).decide(App);
        assert_eq!((d.route, d.interface), (Route::Direct, Interface::En0));
        assert_eq!(ids(&d), chain, "{attack}");
        // Traffic to anything but the target is untouched.
        let dns = Phone::new("18.2").attacked(attack).decide(Dns);
        assert_eq!(dns.route, Route::Tunnel, "{attack}");
    }
}

/// ServerIP needs the app to look its server up by name and to report the
/// server's real address (facts-round3): an app that does neither, as the
/// vendors' code shows, keeps the target in the tunnel, with the reason.
#[test]
fn serverip_needs_a_lookup_and_the_real_remote_address() {
    let by_ip = Phone::new("18.2")
        .vpn(|v| v.server_by_name = false)
        .attacked(Attack::ServerIp)
        .decide(App);
    assert_eq!(by_ip.route, Route::Tunnel);
    assert_eq!(ids(&by_ip)[0], "attack.serverip-needs-name");
    let loopback = Phone::new("18.2")
        .vpn(|v| v.reports_server_address = false)
        .attacked(Attack::ServerIp)
        .decide(App);
    assert_eq!(loopback.route, Route::Tunnel);
    assert_eq!(ids(&loopback)[0], "attack.serverip-needs-real-address");
    // Under includeAllNetworks too, and whatever its assumption says.
    let ian = Phone::new("18.2")
        .ian()
        .assume(AssumptionId::IanStopsServerIp, false)
        .vpn(|v| v.reports_server_address = false)
        .attacked(Attack::ServerIp)
        .decide(App);
    assert_eq!(ian.route, Route::Tunnel);
    assert!(!ids(&ian).contains(&"routes.tunnel-server-excluded"));
}

/// Each preset carries its code's answer to ServerIP's two preconditions;
/// none of them is hit, while Apple's defaults (the built-in client's) are.
#[test]
fn no_vendor_preset_is_hit_by_serverip() {
    let ios = crate::version::IosVersion::new(18, 2, 0);
    for preset in crate::presets::PRESETS {
        let vpn = preset.config(ios);
        assert!(
            !(vpn.server_by_name && vpn.reports_server_address),
            "{} looks its server up by name and reports its address",
            preset.name
        );
        let mut phone = Phone::new("18.2").attacked(Attack::ServerIp);
        phone.vpn = Some(vpn);
        let d = phone.decide(App);
        assert_ne!(d.route, Route::Direct, "{}", preset.name);
    }
    let default = Phone::new("18.2").attacked(Attack::ServerIp).decide(App);
    assert_eq!(default.route, Route::Direct);
}

/// enforceRoutes against TunnelVision's pushed route (facts-round3): the
/// tunnel's non-default routes win (Apple, DuckDuckGo's fix); with the
/// default route alone Apple's texts disagree and each reading plays out.
#[test]
fn enforce_routes_against_a_pushed_route() {
    use crate::addresses::Cidr;
    let split: Vec<Cidr> = ["0.0.0.0/1", "128.0.0.0/1", "::/0"]
        .iter()
        .map(|r| Cidr::parse(r).unwrap())
        .collect();
    let enforced = |routes: Option<Vec<Cidr>>| {
        Phone::new("18.2")
            .vpn(|v| {
                v.enforce_routes = Some(true);
                if let Some(routes) = routes {
                    v.included_routes = routes;
                }
            })
            .attacked(Attack::TunnelVision)
    };
    let d = enforced(Some(split)).decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert!(
        ids(&d).contains(&"routes.enforced-beat-pushed"),
        "{:?}",
        ids(&d)
    );
    let narrow = enforced(None).decide(App);
    assert_eq!(
        (narrow.route, narrow.interface),
        (Route::Direct, Interface::En0)
    );
    assert_eq!(narrow.deciding_rule().id, "routes.pushed-beats-default");
    let broad = enforced(None)
        .assume(AssumptionId::EnforcedDefaultRouteWins, true)
        .decide(App);
    assert_eq!(broad.route, Route::Tunnel);
    assert!(ids(&broad).contains(&"routes.enforced-default-wins"));
    // Without enforceRoutes, the pushed route wins as before.
    let plain = Phone::new("18.2")
        .attacked(Attack::TunnelVision)
        .decide(App);
    assert_eq!(plain.route, Route::Direct);
}

#[test]
fn an_attack_needs_the_attackers_wifi() {
    let d = Phone::new("18.2")
        .attacked(Attack::TunnelVision)
        .network(Some(Network::Cellular))
        .decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert!(!ids(&d).contains(&"attack.tunnelvision"));
}

/// TunnelCrack's fix on iOS: includeAllNetworks *and* excludeLocalNetworks
/// off. With local network sharing on (iOS's default) the site leaks.
#[test]
fn localnet_under_ian_follows_exclude_local_networks() {
    let sharing = Phone::new("18.2")
        .ian()
        .attacked(Attack::LocalNet)
        .decide(App);
    assert_eq!(sharing.route, Route::Direct);
    assert_eq!(
        ids(&sharing),
        ["attack.localnet", "vpn.exclude-local-networks"]
    );
    let fixed = Phone::new("18.2")
        .ian()
        .vpn(|v| v.exclude_local_networks = Some(false))
        .attacked(Attack::LocalNet)
        .decide(App);
    assert_eq!((fixed.route, fixed.seen_as), (Route::Tunnel, SeenAs::Vpn));
}

/// With enforceRoutes (and no includeAllNetworks) excludeLocalNetworks
/// decides too, as Apple documents for local traffic.
#[test]
fn localnet_with_enforce_routes_follows_exclude_local_networks() {
    let d = Phone::new("18.2")
        .vpn(|v| {
            v.enforce_routes = Some(true);
            v.exclude_local_networks = Some(false);
        })
        .attacked(Attack::LocalNet)
        .decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert_eq!(
        ids(&d)[..3],
        [
            "attack.localnet",
            "routes.enforce-routes-local",
            "vpn.include-local-networks"
        ]
    );
}

#[test]
fn serverip_under_ian_follows_its_assumption() {
    let held = Phone::new("18.2")
        .ian()
        .attacked(Attack::ServerIp)
        .decide(App);
    assert_eq!(held.route, Route::Tunnel);
    assert_eq!(
        ids(&held),
        ["attack.serverip", "ian.stops-serverip", "ian.tunnel"]
    );
    let leaks = Phone::new("18.2")
        .ian()
        .assume(AssumptionId::IanStopsServerIp, false)
        .attacked(Attack::ServerIp)
        .decide(App);
    assert_eq!(
        (leaks.route, leaks.interface),
        (Route::Direct, Interface::En0)
    );
    assert_eq!(leaks.deciding_rule().id, "routes.tunnel-server-excluded");
}

#[test]
fn tunnelvision_takes_nothing_out_of_an_ian_tunnel() {
    let d = Phone::new("18.2")
        .ian()
        .attacked(Attack::TunnelVision)
        .decide(App);
    assert_eq!(d.route, Route::Tunnel);
    assert_eq!(
        ids(&d),
        [
            "attack.tunnelvision",
            "ian.stops-tunnelvision",
            "ian.tunnel"
        ]
    );
    // While the tunnel is down the kill switch blocks it like anything else.
    let down = Phone::new("18.2")
        .ian()
        .tunnel(TunnelState::Lost)
        .attacked(Attack::TunnelVision)
        .decide(App);
    assert_eq!(down.route, Route::Blocked);
}

// --- contested reports, as assumptions ------------------------------------------

#[test]
fn push_on_wifi_ignores_exclude_apns_only_when_assumed() {
    let documented = Phone::new("18.2").ian().decide(Apns);
    assert_eq!(
        documented.route,
        Route::Direct,
        "excludeAPNs holds by default"
    );
    let reported = Phone::new("18.2")
        .ian()
        .assume(AssumptionId::ApnsExclusionIgnoredOnWifi, true)
        .decide(Apns);
    assert_eq!(reported.route, Route::Tunnel);
    assert_eq!(ids(&reported)[0], "apns.exclusion-ignored-on-wifi");
    // On cellular the report says excludeAPNs works.
    let cellular = Phone::new("18.2")
        .ian()
        .network(Some(Network::Cellular))
        .assume(AssumptionId::ApnsExclusionIgnoredOnWifi, true)
        .decide(Apns);
    assert_eq!(cellular.route, Route::Direct);
}

#[test]
fn enforce_routes_on_26_drops_the_tunnels_traffic_only_when_assumed() {
    let split = |phone: Phone| {
        phone.vpn(|v| {
            v.enforce_routes = Some(true);
            v.excluded_routes = vec![Cidr::parse("192.0.2.101/32").unwrap()];
        })
    };
    let documented = split(Phone::new("26.1")).decide(App);
    assert_eq!(documented.route, Route::Tunnel);
    let reported = split(Phone::new("26.1"))
        .assume(AssumptionId::EnforceRoutesDropsOn26, true)
        .decide(App);
    assert_eq!(reported.route, Route::Blocked);
    assert_eq!(
        reported.deciding_rule().id,
        "routes.enforce-routes-drops-26"
    );
    // The excluded route still goes outside; 18.x is not affected.
    // (Wi-Fi Calling's ePDG is 192.0.2.101.)
    let excluded = split(Phone::new("26.1"))
        .assume(AssumptionId::EnforceRoutesDropsOn26, true)
        .decide(CellularServices);
    assert_eq!(excluded.route, Route::Direct);
    let older = split(Phone::new("18.2"))
        .assume(AssumptionId::EnforceRoutesDropsOn26, true)
        .decide(App);
    assert_eq!(older.route, Route::Tunnel);
}

// IPv4 and IPv6 -------------------------------------------------------------
use crate::model::IpMode::{DualStack, Ipv4Only, Ipv6Only};

fn v4_only_tunnel(vpn: &mut VpnConfig) {
    vpn.included_routes = vec![Cidr::parse("0.0.0.0/0").unwrap()];
}

/// netbirdio/ios-client PR #99: an IPv4-only tunnel leaks IPv6; Apple's
/// Happy Eyeballs prefers IPv6 where both work.
#[test]
fn an_ipv4_only_tunnel_leaves_ipv6_on_a_dual_stack_wifi() {
    let phone = Phone::new("18.2")
        .ip(DualStack, Ipv4Only)
        .vpn(v4_only_tunnel);
    let d = phone.decide(App);
    assert_eq!(
        (d.route, d.interface, d.family),
        (Route::Direct, Interface::En0, Family::V6)
    );
    assert_eq!(
        ids(&d),
        [
            "ip.prefers-ipv6",
            "routes.not-included",
            "routes.ipv4-only-tunnel-leaks-ipv6"
        ]
    );
    // DNS too, to the ISP's IPv6 resolver.
    let dns = phone.decide(Dns);
    assert_eq!((dns.route, dns.family), (Route::Direct, Family::V6));
    assert!(ids(&dns).contains(&"routes.ipv4-only-tunnel-leaks-ipv6"));
    // The default full tunnel routes ::/0 too: IPv6 stays inside.
    let full = Phone::new("18.2").ip(DualStack, Ipv4Only).decide(App);
    assert_eq!(
        (full.route, full.family, full.seen_as),
        (Route::Tunnel, Family::V6, SeenAs::Vpn)
    );
}

#[test]
fn an_ipv4_only_world_has_no_ipv6_even_in_a_dual_stack_tunnel() {
    for kind in FlowKind::ALL {
        assert_eq!(
            Phone::new("18.2").decide(*kind).family,
            Family::V4,
            "{kind}"
        );
        assert_eq!(
            Phone::new("18.2").no_vpn().decide(*kind).family,
            Family::V4,
            "{kind}"
        );
    }
}

/// Unknown: what includeAllNetworks does with IPv6 (ian_covers_ipv6).
#[test]
fn includeallnetworks_with_an_ipv4_only_tunnel_follows_its_ipv6_assumption() {
    let phone = Phone::new("18.2")
        .ip(DualStack, Ipv4Only)
        .vpn(v4_only_tunnel)
        .ian();
    let d = phone.decide(App);
    assert_eq!((d.route, d.family), (Route::Tunnel, Family::V4));
    // Why IPv6 was passed over is part of the chain: an assumption.
    assert_eq!(
        ids(&d),
        [
            "ian.covers-ipv6",
            "routes.tunnel-without-ipv6",
            "ip.falls-back",
            "ian.tunnel"
        ]
    );
    let only_v6 = phone.speaks(FamilyChoice::Ipv6).decide(App);
    assert_eq!(
        (only_v6.route, only_v6.family),
        (Route::Blocked, Family::V6)
    );
    assert_eq!(
        ids(&only_v6),
        [
            "ian.covers-ipv6",
            "ian.tunnel",
            "routes.tunnel-without-ipv6"
        ]
    );
    let leaks = Phone::new("18.2")
        .ip(DualStack, Ipv4Only)
        .vpn(v4_only_tunnel)
        .ian()
        .assume(AssumptionId::IanCoversIpv6, false)
        .decide(App);
    assert_eq!(
        (leaks.route, leaks.interface, leaks.family),
        (Route::Direct, Interface::En0, Family::V6)
    );
    // As if the flag were off: the leak's rule decides, after the unknown.
    assert_eq!(
        ids(&leaks),
        [
            "ip.prefers-ipv6",
            "ian.covers-ipv6",
            "routes.not-included",
            "routes.ipv4-only-tunnel-leaks-ipv6"
        ]
    );
    // With ::/0 in the tunnel, the other reading still sends IPv6 in.
    let full = Phone::new("18.2")
        .ip(DualStack, Ipv4Only)
        .ian()
        .assume(AssumptionId::IanCoversIpv6, false)
        .decide(App);
    assert_eq!((full.route, full.family), (Route::Tunnel, Family::V6));
}

/// Apple documents NAT64 address synthesis; algo #1385 logged WireGuard
/// going to 64:ff9b:: on an IPv6-only carrier.
#[test]
fn on_ipv6_only_cellular_the_transport_goes_through_nat64_and_ipv4_apps_through_the_clat() {
    let phone = Phone::new("18.2")
        .ip(Ipv4Only, Ipv6Only)
        .network(Some(Network::Cellular));
    let transport = phone.decide(VpnTransport);
    assert_eq!(
        (transport.route, transport.interface, transport.family),
        (Route::Direct, Interface::PdpIp0, Family::V4)
    );
    assert_eq!(transport.deciding_rule().id, "ip.nat64-synthesis");
    let no_vpn = Phone::new("18.2")
        .no_vpn()
        .ip(Ipv4Only, Ipv6Only)
        .network(Some(Network::Cellular));
    let ipv4_app = no_vpn.speaks(FamilyChoice::Ipv4).decide(App);
    assert_eq!(
        (ipv4_app.route, ipv4_app.family),
        (Route::Direct, Family::V4)
    );
    assert_eq!(ipv4_app.deciding_rule().id, "ip.clat");
    let without_clat = Phone::new("18.2")
        .no_vpn()
        .ip(Ipv4Only, Ipv6Only)
        .network(Some(Network::Cellular))
        .speaks(FamilyChoice::Ipv4)
        .assume(AssumptionId::ClatOnCellular, false)
        .decide(App);
    assert_eq!(without_clat.route, Route::Offline);
    // An app that speaks both uses IPv6 natively.
    let browser = Phone::new("18.2")
        .no_vpn()
        .ip(Ipv4Only, Ipv6Only)
        .network(Some(Network::Cellular))
        .decide(App);
    assert_eq!((browser.route, browser.family), (Route::Direct, Family::V6));
}

/// Observed on iOS 18 and 26 (a CLAT on IPv6-only Wi-Fi); unknown before.
#[test]
fn on_ipv6_only_wifi_an_ipv4_only_app_needs_a_clat_seen_from_ios_18() {
    let app = |release: &str| {
        Phone::new(release)
            .no_vpn()
            .ip(Ipv6Only, Ipv4Only)
            .speaks(FamilyChoice::Ipv4)
            .decide(App)
    };
    let old = app("17.4");
    assert_eq!(old.route, Route::Offline);
    assert_eq!(old.deciding_rule().evidence, Evidence::Unknown);
    let new = app("18.2");
    assert_eq!((new.route, new.interface), (Route::Direct, Interface::En0));
    assert_eq!(new.deciding_rule().evidence, Evidence::Observed);
}

#[test]
fn an_open_connection_keeps_its_ip_version_until_that_version_has_no_path() {
    let ipv6_on_wifi = Some(Connection {
        route: Route::Direct,
        interface: Interface::En0,
        family: Family::V6,
    });
    // Still on the dual-stack Wi-Fi without a VPN: kept, in IPv6.
    let phone = Phone::new("18.2").no_vpn().ip(DualStack, Ipv4Only);
    let kept = phone.decide_existing(App, ipv6_on_wifi);
    assert_eq!(
        (kept.continuity, kept.family),
        (Continuity::Kept, Family::V6)
    );
    // Onto IPv4-only cellular: the Wi-Fi is gone and IPv6 with it; the app
    // reconnects over IPv4.
    let moved = Phone::new("18.2")
        .no_vpn()
        .ip(DualStack, Ipv4Only)
        .network(Some(Network::Cellular))
        .decide_existing(App, ipv6_on_wifi);
    assert_eq!(
        (moved.continuity, moved.route, moved.interface, moved.family),
        (
            Continuity::Reset,
            Route::Direct,
            Interface::PdpIp0,
            Family::V4
        )
    );
    assert_eq!(
        ids(&moved)[..3],
        ["flow.interface-gone-resets", "ip.no-ipv6", "ip.falls-back"]
    );
}

#[test]
fn an_app_speaking_only_ipv6_to_an_ipv4_only_server_cannot_connect() {
    let d = Phone::new("18.2")
        .ip(DualStack, Ipv4Only)
        .speaks(FamilyChoice::Ipv6)
        .decide(LocalNetwork);
    assert_eq!(
        (d.route, d.deciding_rule().id),
        (Route::Offline, "ip.no-address")
    );
}

// --- invariants ----------------------------------------------------------------

// proptest is a native-only dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn release() -> impl Strategy<Value = IosVersion> {
        prop::sample::select(vec![
            "13.3.1", "13.4", "14.0", "14.2", "14.8", "15.7", "16.0", "16.1", "16.3", "16.4",
            "16.7", "17.0", "17.4", "18.0", "18.2", "26.0", "26.1",
        ])
        .prop_map(ios)
    }

    fn kind() -> impl Strategy<Value = FlowKind> {
        prop::sample::select(FlowKind::ALL.to_vec())
    }

    fn tunnel() -> impl Strategy<Value = TunnelState> {
        prop::sample::select(TunnelState::ALL.to_vec())
    }

    fn network() -> impl Strategy<Value = Option<Network>> {
        prop::sample::select(vec![Some(Network::Wifi), Some(Network::Cellular), None])
    }

    fn existing() -> impl Strategy<Value = Option<Connection>> {
        prop::sample::select(vec![
            None,
            direct_on(Interface::En0),
            direct_on(Interface::PdpIp0),
            Some(Connection {
                route: Route::Tunnel,
                interface: Interface::Utun0,
                family: Family::V4,
            }),
        ])
    }

    /// A VPN with every flag drawn at random where the release has it.
    fn vpn_for(ios: IosVersion, bits: u8) -> Option<VpnConfig> {
        if bits & 1 == 0 {
            return None;
        }
        let mut vpn = VpnConfig::defaults(ios);
        let flags = [
            &mut vpn.include_all_networks,
            &mut vpn.exclude_local_networks,
            &mut vpn.exclude_apns,
            &mut vpn.exclude_cellular_services,
            &mut vpn.exclude_device_communication,
            &mut vpn.enforce_routes,
        ];
        for (bit, slot) in (1..).zip(flags) {
            *slot = slot.map(|_| bits & (1 << bit) != 0);
        }
        vpn.on_demand = bits & 0x80 != 0;
        Some(vpn)
    }

    fn assumptions(bits: u8) -> Assumptions {
        let mut a = Assumptions::default();
        for (i, id) in [
            AssumptionId::AppleServicesBypass,
            AssumptionId::UnverifiedAppleServicesBypass,
            AssumptionId::ExistingConnectionsStayOutside,
            AssumptionId::IanHonoursExcludedRoutes,
            AssumptionId::HotspotClientsOutsideTunnel,
            AssumptionId::ApnsExclusionIgnoredOnWifi,
            AssumptionId::EnforceRoutesDropsOn26,
        ]
        .into_iter()
        .enumerate()
        {
            a.set(id, AssumptionValue::Bool(bits & (1 << i) != 0));
        }
        a
    }

    /// The rules that may send traffic outside a connected
    /// includeAllNetworks tunnel.
    const EXCLUSIONS: [&str; 12] = [
        "ian.always-excluded.network-control",
        "ian.always-excluded.captive",
        "ian.always-excluded.companion",
        "vpn.exclude-local-networks",
        "ian.exclude-apns",
        "ian.exclude-cellular-services",
        "ian.exclude-device-communication",
        "apple.bypass-16-1",
        "apple.unverified-services",
        "carrier.volte-outside",
        "vpn.transport-outside",
        "vpn.api-outside",
    ];

    /// Kinds some exclusion, always-excluded list, observation or
    /// assumption can keep outside an includeAllNetworks tunnel.
    fn may_escape_ian(kind: FlowKind) -> bool {
        !matches!(kind, App | Dns)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn decisions_are_well_formed(
            ios in release(), kind in kind(), tunnel in tunnel(), network in network(),
            existing in existing(), vpn_bits in any::<u8>(), assume_bits in any::<u8>(),
            phase in any::<u8>(),
        ) {
            let vpn = vpn_for(ios, vpn_bits);
            let tunnel = if vpn.is_none() { TunnelState::Absent } else if tunnel == TunnelState::Absent { TunnelState::Off } else { tunnel };
            let assume = assumptions(assume_bits);
            // The lifecycle's phases too: after a loss the user disconnected,
            // the phone rebooting, the VPN off after a reboot.
            let ctx = Context {
                disconnected_after_loss: phase & 1 != 0,
                rebooting: phase & 2 != 0,
                off_after_reboot: phase & 4 != 0,
                attack: [None, Some(Attack::LocalNet), Some(Attack::ServerIp), Some(Attack::TunnelVision)][usize::from(phase >> 3) % 4],
                kill_switch_engaging: phase & 32 != 0,
                kill_switch_releasing: phase & 64 != 0,
                ..Context::steady(ios, vpn.as_ref(), &assume, network, tunnel)
            };
            let d = decide(&ctx, kind, existing);

            // Every decision names at least one rule, each with a source.
            prop_assert!(!d.rules.is_empty());
            prop_assert!(d.rules.iter().all(|r| r.ios.contains(ios) && (r.source.is_linked() || !r.source.note.is_empty())));
            // Route, interface and what the server sees agree.
            match d.route {
                // Inside the tunnel a LAN destination is out of reach.
                Route::Tunnel => {
                    prop_assert_eq!(d.interface, Interface::Utun0);
                    let unreachable = d.rules.last().is_some_and(|r| r.id == "flow.tunnel-cannot-reach-lan");
                    prop_assert_eq!(d.seen_as, if unreachable { SeenAs::None } else { SeenAs::Vpn });
                }
                Route::Blocked | Route::Offline => prop_assert_eq!((d.interface, d.seen_as), (Interface::None, SeenAs::None)),
                Route::Direct => {
                    prop_assert!(!matches!(d.interface, Interface::Utun0 | Interface::None));
                    prop_assert!(matches!(d.seen_as, SeenAs::Device | SeenAs::Local));
                }
            }
            // vpn-transport is never inside the tunnel it carries.
            if kind == VpnTransport {
                prop_assert_ne!(d.route, Route::Tunnel);
            }
            // blocked only with includeAllNetworks on and the tunnel meant to
            // be up but not connected, or for hotspot clients (reported
            // offline with the flag on, connected or not), or in the moment
            // after a disconnect while the kill switch still holds.
            let enforce_drop = d.rules.last().is_some_and(|r| r.id == "routes.enforce-routes-drops-26");
            if d.route == Route::Blocked && enforce_drop {
                prop_assert!(vpn.as_ref().is_some_and(|v| v.enforce_routes == Some(true)));
            } else if d.route == Route::Blocked && d.rules.last().is_some_and(|r| r.id == "hotspot.no-internet") {
                // Reported without the flag, while a full tunnel is up.
                prop_assert!(kind == HotspotClient && tunnel.is_meant_up());
            } else if d.route == Route::Blocked {
                prop_assert!(vpn.as_ref().is_some_and(VpnConfig::ian));
                let releasing = d.rules.last().is_some_and(|r| r.id == "ian.release-delay");
                prop_assert!(tunnel.is_meant_up() || (releasing && tunnel == TunnelState::Off));
                let hotspot = d.rules.last().is_some_and(|r| r.id == "ian.blocks-hotspot");
                prop_assert!(tunnel != TunnelState::Connected || hotspot);
                prop_assert_eq!(hotspot, kind == HotspotClient && !releasing);
            }
            // Without a VPN nothing is tunnelled or blocked.
            if vpn.is_none() {
                prop_assert!(matches!(d.route, Route::Direct | Route::Offline));
            }
        }

        #[test]
        fn with_ian_connected_unexcluded_traffic_is_never_direct(
            ios in release(), kind in kind(), network in prop::sample::select(vec![Network::Wifi, Network::Cellular]),
            vpn_bits in any::<u8>(), assume_bits in any::<u8>(),
        ) {
            let Some(mut vpn) = vpn_for(ios, vpn_bits | 1) else { unreachable!() };
            prop_assume!(vpn.include_all_networks.is_some());
            vpn.include_all_networks = Some(true);
            let assume = assumptions(assume_bits);
            let ctx = Context::steady(ios, Some(&vpn), &assume, Some(network), TunnelState::Connected);
            let d = decide(&ctx, kind, None);
            if !may_escape_ian(kind) && vpn.excluded_routes.is_empty() {
                prop_assert_ne!(d.route, Route::Direct, "{} went direct: {:?}", kind, d.rules);
            }
            // Whatever goes direct does so because of a named exclusion.
            if d.route == Route::Direct {
                let last = d.deciding_rule().id;
                prop_assert!(EXCLUSIONS.contains(&last), "{} went direct by {}", kind, last);
            }
        }

        #[test]
        fn the_same_inputs_give_the_same_decision(
            ios in release(), kind in kind(), tunnel in tunnel(), existing in existing(), vpn_bits in any::<u8>(),
        ) {
            let vpn = vpn_for(ios, vpn_bits | 1);
            let assume = Assumptions::default();
            let ctx = Context::steady(ios, vpn.as_ref(), &assume, Some(Network::Wifi), tunnel);
            prop_assert_eq!(decide(&ctx, kind, existing), decide(&ctx, kind, existing));
        }
    }
}

/// Mozilla VPN issue 3531 (reported); IVPN's and Mullvad's known-issue lists.
#[test]
fn hotspot_clients_are_dropped_with_ian_on_connected_or_not() {
    let cellular = Some(Network::Cellular);
    for state in [TunnelState::Connected, TunnelState::Lost] {
        let d = Phone::new("18.2")
            .ian()
            .network(cellular)
            .tunnel(state)
            .decide(HotspotClient);
        assert_eq!(d.route, Route::Blocked, "{state}");
        assert_eq!(d.deciding_rule().id, "ian.blocks-hotspot");
        assert_eq!(d.deciding_rule().evidence, Evidence::Reported);
    }
    // Disconnected, the flag does not apply: the laptop is online again.
    let off = Phone::new("18.2")
        .ian()
        .network(cellular)
        .tunnel(TunnelState::Off)
        .decide(HotspotClient);
    assert_eq!(
        (off.route, off.interface),
        (Route::Direct, Interface::PdpIp0)
    );
}

/// Without the flag the reports disagree: an assumption decides, and by
/// default the more numerous reports (no internet while a full tunnel is
/// up) hold; the other reading sends the clients outside.
#[test]
fn without_ian_hotspot_clients_follow_the_assumption() {
    let phone = || Phone::new("18.2").network(Some(Network::Cellular));
    let offline = phone().decide(HotspotClient);
    assert_eq!(ids(&offline), ["hotspot.no-internet"]);
    assert_eq!(offline.route, Route::Blocked);
    assert_eq!(offline.deciding_rule().evidence, Evidence::Reported);
    // With the VPN off, the clients are online as without one.
    let vpn_off = phone().tunnel(TunnelState::Off).decide(HotspotClient);
    assert_eq!(vpn_off.route, Route::Direct);
    let outside = phone()
        .assume(AssumptionId::HotspotClientsOutsideTunnel, true)
        .decide(HotspotClient);
    assert_eq!(ids(&outside), ["hotspot.outside-tunnel"]);
    assert_eq!(outside.deciding_rule().evidence, Evidence::Unknown);
    assert_eq!(
        (outside.route, outside.interface, outside.seen_as),
        (Route::Direct, Interface::PdpIp0, SeenAs::Device)
    );
}

/// Personal Hotspot shares the cellular connection (inferred).
#[test]
fn hotspot_clients_need_cellular() {
    let d = Phone::new("18.2").decide(HotspotClient);
    assert_eq!(d.route, Route::Offline);
    assert_eq!(ids(&d), ["hotspot.needs-cellular"]);
}
