//! The playground's model, natively: what the page does, without a page.

use super::*;
use crate::model::Route;

fn start() -> Rc<Playground> {
    Rc::new(Playground::default())
}

#[test]
fn opens_on_a_meaningful_default() {
    let p = start();
    assert_eq!(p.origin, Origin::Library(DEFAULT_SCENARIO));
    assert!(p.errors.is_none());
    assert!(!p.analysis.trace.flows.is_empty());
    assert!(!p.analysis.run.packets.is_empty());
}

#[test]
fn toggling_include_all_networks_changes_the_routes() {
    let p = start().reduce(Action::LoadLibrary("full-tunnel-ios15".into()));
    let before = p.analysis.trace.clone();
    let p = p.reduce(Action::SetVpnFlag(
        "include_all_networks".into(),
        Some(true),
    ));
    assert!(p.errors.is_none(), "{:?}", p.errors);
    assert_eq!(p.origin, Origin::Edited);
    assert!(p.text.contains("include_all_networks = true"));
    // The printer's LAN traffic: direct without IAN, still direct with it
    // (excludeLocalNetworks defaults to YES); the VPN now has IAN on.
    assert_eq!(
        before.scenario.vpn.as_ref().unwrap().include_all_networks,
        Some(false)
    );
    assert_eq!(
        p.analysis
            .trace
            .scenario
            .vpn
            .as_ref()
            .unwrap()
            .include_all_networks,
        Some(true)
    );
    let p = p.reduce(Action::SetVpnFlag(
        "exclude_local_networks".into(),
        Some(false),
    ));
    let printer = p.analysis.trace.flow("printer").unwrap();
    assert_eq!(printer.segment_at(10_000).unwrap().route, Route::Tunnel);
}

#[test]
fn a_bad_edit_keeps_the_text_and_the_last_good_run() {
    let p = start();
    let good = Rc::clone(&p.analysis);
    let p = p.reduce(Action::EditText("title = \"x\"\nios = \"20.0\"\n".into()));
    let errors = p.errors.as_ref().expect("errors shown");
    assert_eq!(errors.0[0].line, 2);
    assert!(p.text.contains("20.0"), "the user's text is kept");
    assert!(
        Rc::ptr_eq(&p.analysis, &good),
        "the last good run stays on screen"
    );
    // Controls cannot edit text that is not TOML, and say so.
    let p = p.reduce(Action::EditText("title = \"x".into()));
    let p = p.reduce(Action::SetTop("ios", "17.4".into()));
    assert!(
        p.notice
            .as_deref()
            .unwrap()
            .contains("fix the scenario text")
    );
    assert_eq!(p.text, "title = \"x");
}

#[test]
fn comparing_lists_the_flows_that_differ() {
    let p = start().reduce(Action::LoadLibrary("ian-ios15".into()));
    let p = p.reduce(Action::Compare(Some("include_all_networks".into())));
    let (key, other) = p.compare.as_ref().expect("a comparison");
    assert_eq!(key, "include_all_networks");
    assert_eq!(
        other.scenario.vpn.as_ref().unwrap().include_all_networks,
        Some(false)
    );
    let Some(Ok(difference)) = p.difference() else {
        panic!("a comparison to say");
    };
    let differ: Vec<&str> = difference.flows.iter().map(|f| f.name.as_str()).collect();
    // Without IAN the push connection from before the tunnel stays outside.
    assert!(differ.contains(&"push"), "{differ:?}");
    assert!(!differ.contains(&"printer"), "{differ:?}");
}

/// A scenario too large for one slice, well within the budget: 60 app
/// flows for two hours.
fn large_text() -> String {
    let mut text = String::from(
        "title = \"large\"\nios = \"18.2\"\nduration = \"2h\"\n[vpn]\ninclude_all_networks = true\n",
    );
    for i in 0..60 {
        text.push_str(&format!(
            "[[flow]]\nname = \"f{i}\"\nkind = \"app\"\nopen = \"{i}s\"\n"
        ));
    }
    text
}

#[test]
fn a_large_scenario_runs_in_slices_showing_its_flows_meanwhile() {
    let text = large_text();
    let p = start().reduce(Action::EditText(text.clone()));
    assert!(p.errors.is_none(), "{:?}", p.errors);
    let running = p.running.clone().expect("more than one slice of work");
    assert_eq!(running.progress_ms.1, 2 * 3_600_000);
    // Meanwhile the page shows the scenario's flows and routes, no packets.
    assert_eq!(p.analysis.scenario.title, "large");
    assert_eq!(p.analysis.trace.flows.len(), 60);
    assert!(p.analysis.run.packets.is_empty());
    // The comparison (the kill switch, by default) is queued behind it:
    // nothing to compare until the scenario's own run is done, and the
    // summary says it is being worked out.
    let mut p = p.reduce(Action::Compare(Some("include_all_networks".into())));
    assert!(p.compare.is_none());
    assert_eq!(p.difference(), None);
    let mut progress = Vec::new();
    while let Some(running) = &p.running {
        progress.push(running.progress_ms.0);
        assert!(progress.len() < 1_000, "the run never ends");
        p = p.reduce(Action::Continue(SLICE));
    }
    assert!(progress.len() > 2, "{progress:?}");
    // Slices change nothing: the same run as at once, both sides.
    let whole = Analysis::of(scenario::parse(&text).unwrap());
    let fingerprint = |a: &Analysis| engine::fingerprint(&a.trace, &a.run);
    assert_eq!(fingerprint(&p.analysis), fingerprint(&whole));
    let (_, compared) = p.compare.as_ref().unwrap();
    assert!(!compared.run.packets.is_empty());
    assert_eq!(
        compared.scenario.vpn.as_ref().unwrap().include_all_networks,
        Some(false)
    );
    assert!(p.analysis.trace.stopped.is_none());
}

#[test]
fn an_edit_while_running_replaces_the_run() {
    let p = start().reduce(Action::EditText(large_text()));
    assert!(p.running.is_some());
    let p = p.reduce(Action::LoadLibrary("no-vpn".into()));
    assert!(p.running.is_none(), "the library scenario is done at once");
    assert!(!p.analysis.run.packets.is_empty());
    // A slice arriving late changes nothing.
    let later = p.reduce(Action::Continue(SLICE));
    assert!(Rc::ptr_eq(&later.analysis, &p.analysis));
}

#[test]
fn the_clock_plays_steps_and_stops_at_the_end() {
    let p = start().reduce(Action::Seek(0)).reduce(Action::Play(true));
    let p = p.reduce(Action::Tick(3_000));
    assert_eq!(p.time_ms, 3_000);
    let p = p.reduce(Action::Step(Step::NextEvent));
    assert!(!p.playing);
    assert_eq!(p.time_ms, 5_000, "the connect event");
    let p = p.reduce(Action::Step(Step::PreviousEvent));
    assert!(p.time_ms < 5_000);
    let p = p.reduce(Action::Step(Step::NextPacket));
    assert!(
        p.analysis
            .run
            .packets
            .iter()
            .any(|x| x.at_us / 1_000 == p.time_ms)
    );
    let p = p
        .reduce(Action::Play(true))
        .reduce(Action::Tick(10_000_000));
    assert_eq!(p.time_ms, p.end_ms() - 1);
    assert!(!p.playing);
}

#[test]
fn a_share_link_restores_the_same_view() {
    let p = start()
        .reduce(Action::LoadLibrary("ian-ios15".into()))
        .reduce(Action::SetVpnFlag("on_demand".into(), Some(true)))
        .reduce(Action::Compare(Some("include_all_networks".into())))
        .reduce(Action::Select(Some("push".into())))
        .reduce(Action::Seek(12_345))
        .reduce(Action::SetSpeed(5_000));
    let fragment = url::to_fragment(&p);
    let q = url::from_fragment(&fragment);
    assert!(q.notice.is_none(), "{:?}", q.notice);
    assert_eq!(q.text, p.text);
    assert_eq!(q.origin, Origin::Edited);
    assert_eq!(q.time_ms, 12_345);
    assert_eq!(q.selected.as_deref(), Some("push"));
    assert_eq!(q.speed, 5_000);
    assert_eq!(
        q.compare.as_ref().map(|c| c.0.as_str()),
        Some("include_all_networks")
    );
    assert_eq!(url::to_fragment(&q), fragment);
    // An unedited library scenario makes a short link.
    let short = url::to_fragment(&start());
    assert!(
        short.starts_with(&format!("lib={DEFAULT_SCENARIO}&")),
        "{short}"
    );
}

#[test]
fn a_damaged_link_says_so_and_shows_what_it_can() {
    let q = url::from_fragment("#lib=no-such&t=abc&bogus=1");
    let notice = q.notice.as_deref().unwrap();
    assert!(notice.contains("not a time"), "{notice}");
    assert!(notice.contains("no built-in scenario"), "{notice}");
    assert_eq!(q.origin, Origin::Library(DEFAULT_SCENARIO));
    let q = url::from_fragment("#s=%%%");
    assert!(q.notice.as_deref().unwrap().contains("damaged"));
    // A scenario that decodes but does not parse is kept, with its errors.
    let broken = url::encode64(b"title = \"mine\"\nios = \"99\"\n");
    let q = url::from_fragment(&format!("#s={broken}"));
    assert!(q.errors.is_some());
    assert!(q.text.contains("mine"));
}

#[test]
fn hostile_links_get_a_notice_and_a_working_page() {
    // 2 MB: longer than any scenario file, not even decoded.
    let q = url::from_fragment(&format!("#s={}&t=5", "A".repeat(2 << 20)));
    let notice = q.notice.as_deref().unwrap();
    assert!(
        notice.contains("more than a scenario file may be (1024 KB)"),
        "{notice}"
    );
    assert_eq!(q.origin, Origin::Library(DEFAULT_SCENARIO));
    assert_eq!(q.time_ms, 5);
    // Nested a hundred thousand deep: an error with its place, text kept.
    let deep = format!(
        "title = \"deep\"\nios = \"17.0\"\nx = {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let q = url::from_fragment(&format!("#s={}", url::encode64(deep.as_bytes())));
    let errors = q.errors.as_ref().expect("too deep to read");
    assert_eq!(
        (errors.0[0].line, errors.0[0].column),
        (3, 85),
        "{errors:?}"
    );
    assert_eq!(q.text, deep);
    assert!(
        !q.analysis.run.packets.is_empty(),
        "the last good run is still shown"
    );
    // Unknown keys: each named, with the keys that exist.
    let unknown = "title = \"x\"\nios = \"17.0\"\ncolour = \"red\"\n";
    let q = url::from_fragment(&format!("#s={}", url::encode64(unknown.as_bytes())));
    let errors = q.errors.as_ref().expect("an unknown key is an error");
    assert!(errors.0[0].message.contains("colour"), "{errors:?}");
    assert_eq!(errors.0[0].line, 3);
}

#[test]
fn events_are_added_moved_and_removed() {
    let p = start().reduce(Action::LoadLibrary("ian-ios15".into()));
    let p = p.reduce(Action::AddEvent {
        at_ms: 30_000,
        action: "disconnect".into(),
    });
    assert!(p.errors.is_none(), "{:?}", p.errors);
    assert!(
        p.analysis
            .trace
            .events
            .iter()
            .any(|e| e.at_ms == 30_000 && e.action == "disconnect")
    );
    let index = p.analysis.scenario.events.len() - 1;
    let p = p.reduce(Action::MoveEvent(index, 40_000));
    assert!(
        p.analysis
            .trace
            .events
            .iter()
            .any(|e| e.at_ms == 40_000 && e.action == "disconnect")
    );
    let p = p.reduce(Action::RemoveEvent(index));
    assert!(
        !p.analysis
            .trace
            .events
            .iter()
            .any(|e| e.action == "disconnect")
    );
}

#[test]
fn changing_the_release_drops_settings_it_lacks() {
    let p = start().reduce(Action::LoadLibrary("ian-ios16-4-no-exclusions".into()));
    let p = p.reduce(Action::SetIos("16.1".into()));
    assert!(p.errors.is_none(), "{:?}", p.errors);
    assert_eq!(p.analysis.scenario.ios.to_string(), "16.1");
    let notice = p.notice.as_deref().unwrap();
    assert!(
        notice.contains("exclude_apns") && notice.contains("exclude_cellular_services"),
        "{notice}"
    );
}

#[test]
fn support_mode_loads_the_symptoms_scenario_and_survives_the_link() {
    let p = start().reduce(Action::Support(Some("no-internet-after-update".into())));
    assert_eq!(p.support, Some("no-internet-after-update"));
    assert_eq!(p.origin, Origin::Library("update-loop-ian"));
    let fragment = url::to_fragment(&p);
    assert_eq!(p.time_ms, 30_000, "it opens where the phone is cut off");
    assert!(
        fragment.starts_with("sup=no-internet-after-update&t=30000"),
        "{fragment}"
    );
    let q = url::from_fragment(&fragment);
    assert_eq!((q.support, q.origin), (p.support, p.origin));
    assert!(q.notice.is_none(), "{:?}", q.notice);

    // Flipping a setting keeps the answer (its narrative follows the run);
    // the edited text travels with the link and wins over the symptom's file.
    let edited = p.reduce(Action::SetVpnFlag(
        "include_all_networks".into(),
        Some(false),
    ));
    assert_eq!(edited.support, Some("no-internet-after-update"));
    let r = url::from_fragment(&url::to_fragment(&edited));
    assert_eq!(r.support, Some("no-internet-after-update"));
    assert_eq!(r.text, edited.text);
    assert_eq!(r.origin, Origin::Edited);

    // Another library scenario leaves support mode; so does closing it.
    let other = p.reduce(Action::LoadLibrary("ian-ios15".into()));
    assert_eq!(other.support, None);
    assert_eq!(p.reduce(Action::Support(None)).support, None);
}

#[test]
fn an_unknown_symptom_says_which_exist_and_changes_nothing_else() {
    let p = start().reduce(Action::Support(Some("printer-on-fire".into())));
    assert_eq!(p.support, None);
    assert_eq!(p.origin, Origin::Library(DEFAULT_SCENARIO));
    let notice = p.notice.as_deref().unwrap();
    assert!(notice.contains("\"push-missing\""), "{notice}");
    let q = url::from_fragment("#sup=printer-on-fire");
    assert!(q.notice.as_deref().unwrap().contains("not a symptom"));
}

#[test]
fn each_scenario_and_symptom_has_its_own_page() {
    use url::Page;
    assert_eq!(Page::from_path("/s/no-vpn.html"), Page::Scenario("no-vpn"));
    assert_eq!(
        Page::from_path("/mirror/tunnelscope/support/push-missing.html"),
        Page::Symptom("push-missing")
    );
    for path in [
        "/",
        "/index.html",
        "/s/no-such.html",
        "/support/x.html",
        "/s/",
    ] {
        assert_eq!(Page::from_path(path), Page::Index, "{path}");
    }
    // Every page's path names it again.
    for page in Page::all() {
        assert_eq!(Page::from_path(&format!("/{}", page.path())), page);
    }
}

#[test]
fn the_address_names_the_page_and_the_fragment_the_rest() {
    let p = start().reduce(Action::LoadLibrary("no-vpn".into()));
    assert_eq!(url::address(&p), "s/no-vpn.html#t=0&speed=2000");
    let answered = start().reduce(Action::Support(Some("push-missing".into())));
    let address = url::address(&answered);
    assert!(
        address.starts_with("support/push-missing.html#t="),
        "{address}"
    );
    assert!(!address.contains("sup="), "the page says it: {address}");
    let edited = p.reduce(Action::SetVpn(true));
    assert!(url::address(&edited).starts_with("index.html#s="));
}

#[test]
fn a_page_and_its_fragment_reopen_the_same_view() {
    let views = [
        start()
            .reduce(Action::LoadLibrary("localnet-leak-without-ian".into()))
            .reduce(Action::Compare(Some("include_all_networks".into())))
            .reduce(Action::Select(Some("printer".into())))
            .reduce(Action::Seek(10_000)),
        start().reduce(Action::Support(Some("no-internet-after-update".into()))),
        start()
            .reduce(Action::LoadLibrary("no-vpn".into()))
            .reduce(Action::SetVpn(true))
            .reduce(Action::Seek(3_000)),
    ];
    for view in views {
        let address = url::address(&view);
        let (path, fragment) = address.split_once('#').unwrap();
        let reopened = url::open(url::Page::from_path(&format!("/{path}")), fragment);
        assert!(
            reopened.notice.is_none(),
            "{address}: {:?}",
            reopened.notice
        );
        assert_eq!(url::address(&reopened), address);
        assert_eq!(reopened.text, view.text);
        assert_eq!(reopened.time_ms, view.time_ms);
    }
}

#[test]
fn an_older_link_on_any_page_opens_what_it_names() {
    // `#lib=` and `#sup=` links keep working, whatever page they land on.
    let q = url::open(
        url::Page::Scenario("no-vpn"),
        "#lib=wifi-to-cellular&t=21000",
    );
    assert_eq!(q.origin, Origin::Library("wifi-to-cellular"));
    assert_eq!(q.time_ms, 21_000);
    let q = url::open(url::Page::Index, "sup=push-missing");
    assert_eq!(q.support, Some("push-missing"));
    // A page without a fragment opens on its own scenario or symptom.
    let q = url::open(url::Page::Symptom("hotspot-clients-offline"), "");
    assert_eq!(q.support, Some("hotspot-clients-offline"));
    assert!(q.notice.is_none());
}

#[test]
fn removing_the_vpn_keeps_the_events_that_need_none() {
    // A reboot needs no VPN (the format allows it without one): it stays,
    // as network and airplane events do; the VPN's own events go.
    let text = "title = \"t\"\nios = \"17.4\"\n[vpn]\n[[flow]]\nname = \"web\"\nkind = \"app\"\nopen = \"0s\"\n\
        [[event]]\nat = \"2s\"\ndo = \"tunnel:lost\"\n[[event]]\nat = \"4s\"\ndo = \"reboot\"\n\
        [[event]]\nat = \"6s\"\ndo = \"airplane:on\"\n[[event]]\nat = \"8s\"\ndo = \"set:include_all_networks=true\"\n";
    let p = start().reduce(Action::EditText(text.into()));
    assert!(p.errors.is_none(), "{:?}", p.errors);
    let p = p.reduce(Action::SetVpn(false));
    assert!(p.errors.is_none(), "{:?}", p.errors);
    let kept: Vec<&str> = p
        .analysis
        .scenario
        .events
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(kept, ["reboot", "airplane:on"]);
    assert!(p.analysis.scenario.vpn.is_none());
}

#[test]
fn the_wifi_can_be_made_an_attackers_and_home_again() {
    let p = start().reduce(Action::LoadLibrary("localnet-leak-without-ian".into()));
    let p = p.reduce(Action::SetAttack(Some(crate::model::Attack::TunnelVision)));
    let parsed = crate::scenario::parse(&p.text).unwrap_or_else(|e| panic!("{e}\n{}", p.text));
    assert_eq!(parsed.attack, Some(crate::model::Attack::TunnelVision));
    assert_eq!(parsed.flows.len(), 2, "the flows are still flows");
    assert!(p.errors.is_none());
    assert_eq!(p.analysis.trace.scenario.attack, parsed.attack);
    let p = p.reduce(Action::SetAttack(None));
    assert_eq!(crate::scenario::parse(&p.text).unwrap().attack, None);
}

#[test]
fn a_networks_ip_mode_can_be_set_and_the_packets_follow() {
    use crate::model::{Family, IpMode, Network};
    // An IPv4-only tunnel on IPv4-only Wi-Fi: nothing is IPv6.
    let p = start().reduce(Action::LoadLibrary("ipv6-leak-ipv4-only-tunnel".into()));
    let p = p.reduce(Action::SetIpMode(Network::Wifi, IpMode::Ipv4Only));
    assert!(
        !p.text.contains("wifi_ip"),
        "the default is left out:\n{}",
        p.text
    );
    let v6 = |p: &Playground| {
        p.analysis
            .run
            .packets
            .iter()
            .filter(|x| crate::engine::packet::family(&x.bytes) == Some(Family::V6))
            .count()
    };
    assert_eq!(v6(&p), 0);
    // Dual-stack again: the browser's packets leave en0 as IPv6.
    let p = p.reduce(Action::SetIpMode(Network::Wifi, IpMode::DualStack));
    let parsed = crate::scenario::parse(&p.text).unwrap_or_else(|e| panic!("{e}\n{}", p.text));
    assert_eq!(parsed.ip.wifi, IpMode::DualStack);
    assert_eq!(p.analysis.trace.scenario.wifi_ip, IpMode::DualStack);
    assert!(v6(&p) > 0);
    let browser = p.analysis.trace.flow("browser").unwrap();
    assert_eq!(browser.segments.last().unwrap().family, Family::V6);
}

#[test]
fn a_preset_can_be_picked_and_detached_without_changing_the_vpn() {
    let p = start().reduce(Action::LoadLibrary("localnet-without-ian".into()));
    let p = p.reduce(Action::SetPreset(Some("mullvad-force-all-apps".into())));
    let picked = crate::scenario::parse(&p.text).unwrap_or_else(|e| panic!("{e}\n{}", p.text));
    assert_eq!(picked.preset, Some("mullvad-force-all-apps"));
    let vpn = picked.vpn.clone().unwrap();
    assert_eq!(
        (vpn.include_all_networks, vpn.exclude_local_networks),
        (Some(true), Some(false)),
        "the scenario's own include_all_networks = false gave way to the preset"
    );
    let p = p.reduce(Action::SetPreset(None));
    let detached = crate::scenario::parse(&p.text).unwrap();
    assert_eq!(detached.preset, None);
    assert_eq!(detached.vpn, picked.vpn, "the same VPN, now written out");
}

// Native only: the profile is parsed with the plist crate here.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn an_imported_profile_rewrites_the_vpn_flags_and_a_bad_one_changes_nothing() {
    let p = start().reduce(Action::LoadLibrary("localnet-preset-proton".into()));
    let before = p.text.clone();
    let bad = p.reduce(Action::ImportProfile(crate::profile::parse(
        b"bplist00garbage",
    )));
    assert_eq!(bad.text, before, "a bad profile leaves the scenario alone");
    assert!(
        bad.notice
            .as_deref()
            .unwrap()
            .contains("binary property list")
    );
    let profile = include_bytes!("../../tests/profiles/ikev2-kill-switch.mobileconfig");
    let p = p.reduce(Action::ImportProfile(crate::profile::parse(profile)));
    let parsed = crate::scenario::parse(&p.text).unwrap_or_else(|e| panic!("{e}\n{}", p.text));
    assert_eq!(parsed.preset, None, "the profile replaces the preset");
    let vpn = parsed.vpn.unwrap();
    assert_eq!(
        (
            vpn.include_all_networks,
            vpn.exclude_local_networks,
            vpn.on_demand
        ),
        (Some(true), Some(false), true)
    );
    let notice = p.notice.as_deref().unwrap();
    assert!(
        notice.contains("Example Corp VPN") && notice.contains("IKEv2.RemoteAddress"),
        "{notice}"
    );
}

#[test]
fn a_contested_outcome_can_be_picked_and_reset() {
    let p = start().reduce(Action::LoadLibrary("toggle-ian-leak".into()));
    let p = p.reduce(Action::SetAssumptionChoice(
        "existing_connection_under_ian".into(),
        Some("moved".into()),
    ));
    let parsed = crate::scenario::parse(&p.text).unwrap_or_else(|e| panic!("{e}\n{}", p.text));
    assert_eq!(
        parsed
            .assume
            .choice(crate::facts::AssumptionId::ExistingConnectionUnderIan),
        "moved"
    );
    let browser = p.analysis.trace.flow("browser").unwrap();
    assert!(
        browser
            .segments
            .iter()
            .any(|s| s.rules.iter().any(|r| r.id == "ian.moves-existing"))
    );
    let p = p.reduce(Action::SetAssumptionChoice(
        "existing_connection_under_ian".into(),
        None,
    ));
    assert!(!p.text.contains("existing_connection_under_ian"));
}

// Round trip for arbitrary views (issue 14): playground state → address →
// state. proptest is a native-only dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod round_trip {
    use super::*;
    use crate::library::LIBRARY;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn any_view_reopens_from_its_address(
            scenario in 0..LIBRARY.len(),
            moment in 0u64..1_000,
            speed in 100u32..600_000,
            pick in proptest::option::of(0usize..8),
            flip in proptest::option::of(0usize..8),
            flipped_side in any::<bool>(),
            edited in any::<bool>(),
        ) {
            let mut view = start().reduce(Action::LoadLibrary(LIBRARY[scenario].name.into()));
            if edited {
                view = view.reduce(Action::SetIpMode(
                    crate::model::Network::Wifi,
                    crate::model::IpMode::DualStack,
                ));
            }
            let duration = view.analysis.scenario.duration_ms;
            view = view
                .reduce(Action::Seek(duration * moment / 1_000))
                .reduce(Action::SetSpeed(speed));
            let flows = &view.analysis.scenario.flows;
            if let Some(flow) = pick.and_then(|i| flows.get(i % flows.len().max(1))) {
                let name = flow.name.clone();
                view = view.reduce(Action::Select(Some(name)));
            }
            let flags: Vec<&str> = crate::facts::PROPERTIES
                .iter()
                .filter(|p| matches!(p.default, crate::facts::PropDefault::Bool(_)))
                .map(|p| p.key)
                .collect();
            // No comparison (the reader turned it off), or one by any switch.
            match flip {
                Some(7) => view = view.reduce(Action::Compare(None)),
                Some(i) => view = view.reduce(Action::Compare(Some(flags[i % flags.len()].into()))),
                None => {}
            }
            if flipped_side {
                view = view.reduce(Action::Show(Side::Flipped));
            }
            let address = url::address(&view);
            let (path, fragment) = address.split_once('#').unwrap();
            let reopened = url::open(url::Page::from_path(&format!("/{path}")), fragment);
            prop_assert_eq!(&reopened.notice, &None, "{}", address);
            prop_assert_eq!(url::address(&reopened), address);
            prop_assert_eq!(&reopened.text, &view.text);
            prop_assert_eq!(reopened.time_ms, view.time_ms);
            prop_assert_eq!(reopened.speed, view.speed);
            prop_assert_eq!(&reopened.selected, &view.selected);
            prop_assert_eq!(
                reopened.compare.as_ref().map(|(k, _)| k.clone()),
                view.compare.as_ref().map(|(k, _)| k.clone())
            );
            prop_assert_eq!(reopened.comparing, view.comparing);
            prop_assert_eq!(reopened.side, view.side);
        }
    }
}

#[test]
fn slices_are_sized_to_take_about_their_share_of_a_task() {
    // On time: the same again; twice as slow: half; a fast device grows,
    // at most twice per slice; never under 1,000 nor over 200,000 events.
    assert_eq!(next_slice(20_000, SLICE_MS), 20_000);
    assert_eq!(next_slice(20_000, SLICE_MS * 2.0), 10_000);
    assert_eq!(next_slice(20_000, SLICE_MS * 10.0), 10_000);
    assert_eq!(next_slice(20_000, 1.0), 40_000);
    assert_eq!(next_slice(20_000, 0.0), 40_000);
    assert_eq!(next_slice(20_000, f64::NAN), 40_000);
    assert_eq!(next_slice(1_000, 1_000.0), 1_000);
    assert_eq!(next_slice(150_000, 1.0), 200_000);
}

/// An event added before the others is listed first (in time order) but
/// written last in the file: the controls edit it at its place in the file,
/// not at its place in the list.
#[test]
fn an_event_is_edited_at_its_place_in_the_file_not_the_list() {
    let p = start().reduce(Action::LoadLibrary("wifi-to-cellular".into()));
    let before = p.analysis.scenario.events.clone();
    assert!(!before.is_empty() && before[0].at_ms > 1_000);
    let p = p.reduce(Action::AddEvent {
        at_ms: 1_000,
        action: "reboot".into(),
    });
    let first = &p.analysis.scenario.events[0];
    assert_eq!((first.at_ms, first.text.as_str()), (1_000, "reboot"));
    assert_eq!(first.position, before.len(), "written after the others");
    let moved = p.reduce(Action::MoveEvent(first.position, 2_000));
    assert_eq!(moved.analysis.scenario.events[0].at_ms, 2_000);
    assert_eq!(moved.analysis.scenario.events[0].text, "reboot");
    let removed = p.reduce(Action::RemoveEvent(first.position));
    let texts = |events: &[crate::scenario::Event]| -> Vec<(u64, String)> {
        events.iter().map(|e| (e.at_ms, e.text.clone())).collect()
    };
    assert_eq!(texts(&removed.analysis.scenario.events), texts(&before));
}

/// Reading a link's scenario ahead (the page does it a task before opening
/// the link) changes nothing but when the reading happens; a scenario read
/// ahead for another text is not used.
#[test]
fn a_link_read_ahead_opens_as_it_would_have() {
    let edited = LIBRARY[3].text.replace("title = \"", "title = \"Edited: ");
    let fragment = format!("s={}&t=5000", url::encode64(edited.as_bytes()));
    let open = |fragment: &str| start().reduce(Action::OpenLink(url::Page::Index, fragment.into()));
    let direct = open(&fragment);
    url::prepare(&fragment);
    let ahead = open(&fragment);
    assert!(ahead.analysis.scenario.title.starts_with("Edited: "));
    assert_eq!(url::to_fragment(&ahead), url::to_fragment(&direct));
    assert_eq!(ahead.analysis.scenario, direct.analysis.scenario);
    assert_eq!(
        crate::engine::fingerprint(&ahead.analysis.trace, &ahead.analysis.run),
        crate::engine::fingerprint(&direct.analysis.trace, &direct.analysis.run)
    );
    // Read ahead, then another text is opened: that text is read itself.
    url::prepare(&fragment);
    let other = format!("s={}", url::encode64(LIBRARY[4].text.as_bytes()));
    assert_eq!(open(&other).analysis.scenario, LIBRARY[4].parse().unwrap());
}

#[test]
fn the_summary_says_why_nothing_can_be_compared_and_never_goes_stale() {
    use crate::difference::NoComparison;
    // A release without the kill switch: the comparison is gone, and said.
    let p = start().reduce(Action::SetIos("13.3.1".into()));
    assert!(p.compare.is_none());
    assert!(matches!(
        p.difference(),
        Some(Err(NoComparison::NotOnRelease { .. }))
    ));
    let said = crate::words::no_comparison(match p.difference() {
        Some(Err(why)) => why,
        other => panic!("{other:?}"),
    });
    assert!(said.contains("no kill switch"), "{said}");
    // Back on a release with it: compared again, without being asked.
    let p = p.reduce(Action::SetIos("16.1".into()));
    assert!(matches!(p.difference(), Some(Ok(_))));
    // No VPN at all.
    let p = p.reduce(Action::SetVpn(false));
    assert_eq!(p.difference(), Some(Err(NoComparison::NoVpn)));
    // The reader turned the comparison off: nothing to say, and the link
    // keeps it off.
    let off = start().reduce(Action::Compare(None));
    assert_eq!(off.difference(), None);
    assert!(url::to_fragment(&off).contains("ab=none"));
    let reopened = url::from_fragment(&url::to_fragment(&off));
    assert_eq!(reopened.comparing, None);
}

#[test]
fn the_flipped_side_is_explained_and_survives_a_link() {
    let p = Rc::new(Playground::of_library(
        crate::library::find("localnet-leak-without-ian").unwrap(),
    ))
    .reduce(Action::Show(Side::Flipped))
    .reduce(Action::Select(Some("printer".into())));
    let shown = p.shown();
    assert_eq!(
        shown.scenario.vpn.as_ref().unwrap().include_all_networks,
        Some(true),
        "the flipped run has the kill switch on"
    );
    let fragment = url::to_fragment(&p);
    assert!(fragment.contains("side=flipped"), "{fragment}");
    let reopened = url::from_fragment(&fragment);
    assert_eq!(reopened.side, Side::Flipped);
    assert!(Rc::ptr_eq(
        reopened.shown(),
        &reopened.compare.as_ref().unwrap().1
    ));
}

#[test]
fn a_support_answer_says_what_the_kill_switch_changes_in_its_scenario() {
    for symptom in crate::support::SYMPTOMS {
        let p = start().reduce(Action::Support(Some(symptom.id.into())));
        let scenario = &p.analysis.scenario;
        let has_switch = scenario
            .vpn
            .as_ref()
            .is_some_and(|v| v.include_all_networks.is_some());
        match p.difference() {
            Some(Ok(_)) => assert!(has_switch, "{}", symptom.id),
            Some(Err(_)) => assert!(!has_switch, "{}", symptom.id),
            None => panic!("{}: nothing said (was stuck 'working out')", symptom.id),
        }
    }
}
