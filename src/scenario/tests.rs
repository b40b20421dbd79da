//! The format's contract: what parses, what defaults apply, and one test per
//! validation error, each checking the line and the message.

use super::*;
use crate::facts::AssumptionId;
use std::ops::Not;

const HEAD: &str = "title = \"t\"\nios = \"18.2\"\n";

fn errors(text: &str) -> Vec<ScenarioError> {
    match parse(text) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(ScenarioErrors(list)) => list,
    }
}

/// Asserts that the only problem is on `line` and mentions every `needle`.
fn error_at(text: &str, line: usize, needles: &[&str]) -> ScenarioError {
    let list = errors(text);
    assert_eq!(list.len(), 1, "one error expected, got {list:#?}");
    let error = list.into_iter().next().unwrap();
    assert_eq!(error.line, line, "{error}");
    for needle in needles {
        assert!(error.message.contains(needle), "`{needle}` not in: {error}");
    }
    error
}

fn ok(text: &str) -> Scenario {
    parse(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_issue_example_parses_with_its_values() {
    let s = ok(r#"
title = "iOS 16.1: Apple push leaves the tunnel despite includeAllNetworks"
ios = "16.1"
network = "wifi"
duration = "2m"
seed = 7

[vpn]
include_all_networks = true
exclude_local_networks = true
enforce_routes = false
included_routes = ["0.0.0.0/0", "::/0"]
excluded_routes = []
on_demand = true

[assume]
apple_services_bypass = true

[[flow]]
name = "push"
kind = "apns"
open = "0s"
close = "10m"

[[event]]
at = "5s"
do = "connect"

[[expect]]
flow = "push"
at = "6s"
route = "direct"
seen_as = "device"
"#);
    assert_eq!(s.ios.to_string(), "16.1");
    assert_eq!(s.duration_ms, 120_000);
    assert_eq!(s.seed, 7);
    let vpn = s.vpn.as_ref().unwrap();
    assert_eq!(vpn.include_all_networks, Some(true));
    assert_eq!(vpn.exclude_apns, None, "16.1 has no excludeAPNs");
    assert!(vpn.on_demand);
    // close = 10m is clipped to the 2m scenario.
    assert_eq!((s.flows[0].open_ms, s.flows[0].close_ms), (0, 120_000));
    assert_eq!(s.events[0].action, Action::Connect);
    assert_eq!(s.expects[0].seen_as, Some(SeenAs::Device));
    assert_eq!(s.expects[0].line, 29);
}

#[test]
fn defaults_fill_what_is_omitted() {
    let s = ok(&format!(
        "{HEAD}[vpn]\n[[flow]]\nname = \"a\"\nkind = \"app\"\nopen = \"10s\"\n[[event]]\nat = \"20s\"\ndo = \"disconnect\"\n"
    ));
    assert_eq!(s.network, Network::Wifi);
    assert_eq!(s.seed, 0);
    // Last event (20s) or flow open (10s), plus 30s.
    assert_eq!(s.duration_ms, 50_000);
    let vpn = s.vpn.unwrap();
    // Apple's defaults on 18.2.
    assert_eq!(vpn.include_all_networks, Some(false));
    assert_eq!(vpn.exclude_local_networks, Some(true));
    assert_eq!(vpn.exclude_apns, Some(true));
    assert_eq!(vpn.exclude_device_communication, Some(true));
    assert_eq!(vpn.enforce_routes, Some(false));
    assert_eq!(vpn.included_routes.len(), 2);
    assert!(!vpn.on_demand);
    assert_eq!(s.assume, crate::policy::Assumptions::default());
    // No [vpn] table: no VPN.
    assert!(ok(HEAD).vpn.is_none());
}

#[test]
fn assumptions_and_settings_are_read() {
    let s = ok(&format!(
        "{HEAD}[vpn]\n[assume]\napple_services_bypass = false\nconnect_time = \"3s\"\n[[event]]\nat = \"1s\"\ndo = \"set:excluded_routes=[\\\"192.168.0.0/16\\\"]\"\n[[event]]\nat = \"2s\"\ndo = \"set:include_all_networks = true\"\n"
    ));
    assert!(!s.assume.flag(AssumptionId::AppleServicesBypass));
    assert_eq!(s.assume.millis(AssumptionId::ConnectTime), 3_000);
    assert!(matches!(&s.events[0].action, Action::Set(Setting::Routes(_, r)) if r.len() == 1));
    assert_eq!(
        s.events[1].action,
        Action::Set(Setting::Flag(crate::facts::Prop::IncludeAllNetworks, true))
    );
}

#[test]
fn events_are_sorted_by_time_keeping_file_order() {
    let s = ok(&format!(
        "{HEAD}[vpn]\n[[event]]\nat = \"9s\"\ndo = \"disconnect\"\n[[event]]\nat = \"1s\"\ndo = \"network:cellular\"\n[[event]]\nat = \"1s\"\ndo = \"network:wifi\"\n"
    ));
    let order: Vec<&str> = s.events.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(order, ["network:cellular", "network:wifi", "disconnect"]);
}

// --- syntax and shape -------------------------------------------------------

#[test]
fn toml_syntax_error_has_line_and_column() {
    let e = error_at("title = \"t\"\nios = \"18.2\n", 2, &[]);
    assert!(e.column > 1);
}

#[test]
fn unknown_top_level_key_lists_the_keys() {
    error_at(
        &format!("{HEAD}colour = \"red\"\n"),
        3,
        &["colour", "title", "network"],
    );
}

#[test]
fn unknown_vpn_key_lists_the_keys() {
    error_at(
        &format!("{HEAD}[vpn]\nkill_switch = true\n"),
        4,
        &["kill_switch", "include_all_networks"],
    );
}

#[test]
fn unknown_flow_key_is_reported_where_it_is() {
    error_at(
        &format!("{HEAD}[[flow]]\nname = \"a\"\nkind = \"app\"\nopen = \"0s\"\nport = 443\n"),
        7,
        &["port", "kind"],
    );
}

#[test]
fn wrong_value_type_is_reported() {
    error_at(
        &format!("{HEAD}[vpn]\ninclude_all_networks = \"yes\"\n"),
        4,
        &[
            "`include_all_networks` must be true or false",
            "found a string `\"yes\"`",
        ],
    );
}

#[test]
fn every_wrong_type_is_reported_at_once() {
    let list = errors(&format!(
        "{HEAD}seed = \"7\"\n[vpn]\nexclude_apns = 1\n[[flow]]\nname = 2\nkind = \"app\"\nopen = \"0s\"\n"
    ));
    let lines: Vec<usize> = list.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5, 7], "{list:#?}");
    assert!(list[0].message.contains("whole number"));
    assert!(list[2].message.contains("`name` must be a quoted string"));
}

#[test]
fn missing_title_and_ios_are_both_reported() {
    let list = errors("network = \"wifi\"\n");
    assert_eq!(list.len(), 2);
    assert!(
        list[0].message.contains("missing `title`") || list[1].message.contains("missing `title`")
    );
    assert!(list.iter().any(|e| e.message.contains("missing `ios`")));
}

#[test]
fn empty_or_long_title() {
    error_at("title = \"  \"\nios = \"18.2\"\n", 1, &["empty"]);
    let long = "x".repeat(MAX_TITLE_CHARS + 1);
    error_at(
        &format!("title = \"{long}\"\nios = \"18.2\"\n"),
        1,
        &["200"],
    );
}

#[test]
fn bad_ios_versions() {
    error_at("title = \"t\"\nios = \"16.x\"\n", 2, &["e.g."]);
    error_at("title = \"t\"\nios = \"20.1\"\n", 2, &["18 straight to 26"]);
    error_at("title = \"t\"\nios = \"12.5\"\n", 2, &["13, 14"]);
    error_at("title = \"t\"\nios = \"13.3\"\n", 2, &["older", "13.3.1"]);
}

#[test]
fn bad_network_lists_the_choices() {
    error_at(
        &format!("{HEAD}network = \"ethernet\"\n"),
        3,
        &["\"wifi\" or \"cellular\""],
    );
}

#[test]
fn bad_attack_lists_the_choices() {
    error_at(
        &format!("{HEAD}attack = \"pineapple\"\n"),
        3,
        &[
            "`pineapple` is not an attack",
            "\"localnet\", \"serverip\" or \"tunnelvision\"",
        ],
    );
    error_at(&format!("{HEAD}attack = true\n"), 3, &["quoted string"]);
    let ok = parse(&format!("{HEAD}attack = \"tunnelvision\"\n")).unwrap();
    assert_eq!(ok.attack, Some(crate::model::Attack::TunnelVision));
}

#[test]
fn bad_ip_modes_and_families_list_the_choices() {
    error_at(
        &format!("{HEAD}wifi_ip = \"ipv6\"\n"),
        3,
        &[
            "`ipv6` is not an IP mode",
            "\"ipv4-only\", \"dual-stack\" or \"ipv6-only\"",
        ],
    );
    error_at(&format!("{HEAD}cellular_ip = 6\n"), 3, &["quoted string"]);
    let flow = "\n[[flow]]\nname = \"web\"\nkind = \"app\"\nopen = \"0s\"\n";
    error_at(
        &format!("{HEAD}{flow}family = \"v6\"\n"),
        8,
        &[
            "`v6` is not an IP version choice",
            "\"auto\", \"ipv4\" or \"ipv6\"",
        ],
    );
    let expect = "\n[[expect]]\nflow = \"web\"\nat = \"1s\"\nroute = \"direct\"\n";
    error_at(
        &format!("{HEAD}{flow}{expect}family = \"auto\"\n"),
        13,
        &["`auto` is not an IP version", "\"ipv4\" or \"ipv6\""],
    );
    let ok = parse(&format!(
        "{HEAD}wifi_ip = \"dual-stack\"\ncellular_ip = \"ipv6-only\"\n{flow}family = \"ipv4\"\n{expect}family = \"ipv4\"\n"
    ))
    .unwrap();
    assert_eq!(
        (ok.ip.wifi, ok.ip.cellular),
        (
            crate::model::IpMode::DualStack,
            crate::model::IpMode::Ipv6Only
        )
    );
    assert_eq!(ok.flows[0].family, crate::model::FamilyChoice::Ipv4);
    assert_eq!(ok.expects[0].family, Some(crate::model::Family::V4));
    // Unwritten: both networks IPv4 only, every flow `auto`.
    let plain = parse(&format!("{HEAD}{flow}")).unwrap();
    assert_eq!(plain.ip, crate::model::IpModes::IPV4_ONLY);
    assert_eq!(plain.flows[0].family, crate::model::FamilyChoice::Auto);
}

#[test]
fn a_preset_configures_the_vpn_and_vpn_keys_override_it() {
    let bad = format!("{HEAD}preset = \"nordvpn\"\n");
    error_at(&bad, 3, &["`nordvpn` is not a preset", "\"mullvad\""]);
    let preset = parse(&format!("{HEAD}preset = \"proton-kill-switch\"\n")).unwrap();
    let vpn = preset.vpn.expect("a preset is a VPN");
    assert_eq!(
        (
            vpn.include_all_networks,
            vpn.exclude_local_networks,
            vpn.on_demand
        ),
        (Some(true), Some(true), true)
    );
    assert_eq!(preset.preset, Some("proton-kill-switch"));
    let overridden = parse(&format!(
        "{HEAD}preset = \"proton-kill-switch\"\n[vpn]\nexclude_local_networks = false\n"
    ))
    .unwrap();
    let vpn = overridden.vpn.unwrap();
    assert_eq!(
        (vpn.include_all_networks, vpn.exclude_local_networks),
        (Some(true), Some(false))
    );
}

#[test]
fn a_contested_outcome_lists_the_choices() {
    let text = format!("{HEAD}[assume]\nexisting_connection_under_ian = \"teleported\"\n");
    error_at(
        &text,
        4,
        &[
            "`teleported` is not an outcome of `existing_connection_under_ian`",
            "\"reset\", \"moved\" or \"stays\"",
        ],
    );
    let ok = parse(&format!(
        "{HEAD}[assume]\nexisting_connection_under_ian = \"stays\"\n"
    ))
    .unwrap();
    assert_eq!(
        ok.assume
            .choice(crate::facts::AssumptionId::ExistingConnectionUnderIan),
        "stays"
    );
}

#[test]
fn an_assumption_the_release_does_not_have_names_its_releases() {
    let on = |ios: &str, line: &str| format!("title = \"t\"\nios = \"{ios}\"\n[assume]\n{line}\n");
    error_at(
        &on("16.4", "push_without_kill_switch = \"outside\""),
        4,
        &[
            "`push_without_kill_switch` changes nothing on iOS 16.4",
            "iOS 17.0 and later",
        ],
    );
    error_at(
        &on("18.2", "dns_skips_tunnel_on_cellular = false"),
        4,
        &["iOS 26.4 and later"],
    );
    // Where it applies, or left at its default, it is fine.
    assert!(parse(&on("17.0", "push_without_kill_switch = \"outside\"")).is_ok());
    assert!(parse(&on("16.4", "push_without_kill_switch = \"by-network\"")).is_ok());
}

#[test]
fn negative_seed() {
    error_at(&format!("{HEAD}seed = -1\n"), 3, &["seed"]);
}

// --- properties and their releases -------------------------------------------

#[test]
fn property_before_its_release_names_the_release_that_introduced_it() {
    let text = "title = \"t\"\nios = \"16.1\"\n[vpn]\nexclude_apns = false\n";
    error_at(
        text,
        4,
        &["exclude_apns", "iOS 16.4", "excludeAPNs", "iOS 16.1"],
    );
    let text = "title = \"t\"\nios = \"13.3.1\"\n[vpn]\ninclude_all_networks = true\n";
    error_at(text, 4, &["iOS 14.0", "includeAllNetworks"]);
    let text = "title = \"t\"\nios = \"17.0\"\n[vpn]\nexclude_device_communication = true\n";
    error_at(text, 4, &["iOS 17.4"]);
    let text = "title = \"t\"\nios = \"14.0\"\n[vpn]\nenforce_routes = true\n";
    error_at(text, 4, &["iOS 14.2"]);
    let text = "title = \"t\"\nios = \"16.3\"\n[vpn]\nexclude_cellular_services = true\n";
    error_at(text, 4, &["iOS 16.4"]);
}

#[test]
fn bad_route() {
    error_at(
        &format!("{HEAD}[vpn]\nincluded_routes = [\"0.0.0.0/0\", \"10.0.0.0/40\"]\n"),
        4,
        &["included_routes", "at most 32"],
    );
}

#[test]
fn unknown_assumption_lists_the_assumptions() {
    error_at(
        &format!("{HEAD}[assume]\napple_fixed_it = true\n"),
        4,
        &["apple_fixed_it", "apple_services_bypass", "connect_time"],
    );
}

#[test]
fn assumption_of_the_wrong_type() {
    error_at(
        &format!("{HEAD}[assume]\napple_services_bypass = 1\n"),
        4,
        &["true or false"],
    );
    error_at(
        &format!("{HEAD}[assume]\nconnect_time = 5\n"),
        4,
        &["quoted duration"],
    );
}

// --- durations ------------------------------------------------------------------

#[test]
fn durations_need_a_unit_and_a_string() {
    error_at(&format!("{HEAD}duration = \"90\"\n"), 3, &["no unit"]);
    error_at(
        &format!("{HEAD}duration = \"2d\"\n"),
        3,
        &["ms, s, m and h"],
    );
    error_at(
        &format!("{HEAD}duration = 90\n"),
        3,
        &["quoted duration", "\"5s\""],
    );
    error_at(
        &format!("{HEAD}duration = \"0s\"\n"),
        3,
        &["longer than 0s"],
    );
}

#[test]
fn scenarios_are_bounded_to_a_day() {
    error_at(&format!("{HEAD}duration = \"25h\"\n"), 3, &["24h"]);
}

// --- flows ------------------------------------------------------------------------

fn flow(name: &str, kind: &str, open: &str) -> String {
    format!("[[flow]]\nname = \"{name}\"\nkind = \"{kind}\"\nopen = \"{open}\"\n")
}

#[test]
fn duplicate_flow_names() {
    let text = format!("{HEAD}{}{}", flow("a", "app", "0s"), flow("a", "dns", "0s"));
    error_at(&text, 7, &["`a`", "line 3", "unique"]);
    // Written inline, both flows are on one line: still two flows.
    let inline = format!(
        "{HEAD}flow = [{{ name = \"a\", kind = \"app\", open = \"0s\" }}, {{ name = \"a\", kind = \"dns\", open = \"0s\" }}]\n"
    );
    error_at(&inline, 3, &["`a`", "line 3", "unique"]);
}

#[test]
fn unknown_flow_kind_lists_the_kinds() {
    let text = format!("{HEAD}{}", flow("a", "push", "0s"));
    error_at(&text, 5, &["`push`", "\"apns\"", "\"vpn-api\""]);
}

#[test]
fn flow_missing_its_fields() {
    let list = errors(&format!("{HEAD}[[flow]]\n"));
    assert_eq!(list.len(), 3, "{list:#?}");
    assert!(list.iter().all(|e| e.line == 3));
    assert!(list.iter().any(|e| e.message.contains("no `name`")));
    assert!(list.iter().any(|e| e.message.contains("no `kind`")));
    assert!(list.iter().any(|e| e.message.contains("no `open`")));
}

#[test]
fn flow_closing_before_it_opens() {
    let text = format!("{HEAD}{}close = \"5s\"\n", flow("a", "app", "10s"));
    error_at(&text, 7, &["closes at 5s", "opens (10s)"]);
}

#[test]
fn flow_opening_after_the_end() {
    let text = format!("{HEAD}duration = \"1m\"\n{}", flow("a", "app", "2m"));
    error_at(&text, 4, &["opens at 2m", "end (1m)"]);
}

#[test]
fn too_many_flows() {
    let mut text = HEAD.to_string();
    for i in 0..=MAX_FLOWS {
        text.push_str(&flow(&format!("f{i}"), "app", "0s"));
    }
    error_at(&text, 3 + 4 * MAX_FLOWS, &["1001 flows", "at most 1000"]);
}

#[test]
fn too_big_a_file() {
    let text = format!("{HEAD}# {}\n", "x".repeat(MAX_FILE_BYTES));
    error_at(&text, 1, &["at most"]);
}

// --- events --------------------------------------------------------------------------

fn event(at: &str, action: &str) -> String {
    format!("[[event]]\nat = \"{at}\"\ndo = \"{action}\"\n")
}

#[test]
fn unknown_event_lists_the_events() {
    let text = format!("{HEAD}[vpn]\n{}", event("1s", "reconnect"));
    error_at(
        &text,
        6,
        &[
            "`reconnect`",
            "\"connect\"",
            "\"airplane:on\"",
            "set:<vpn property>=<value>",
        ],
    );
}

#[test]
fn lifecycle_events_parse_with_their_defaults() {
    let text = format!(
        "{HEAD}[vpn]\n{}{}{}[[event]]\nat = \"3s\"\ndo = \"app-update\"\nduration = \"45s\"\n",
        event("1s", "update-available"),
        event("2s", "app-update"),
        event("9s", "reboot")
    );
    let actions: Vec<Action> = ok(&text).events.into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            Action::UpdateAvailable,
            Action::AppUpdate(crate::scenario::DEFAULT_UPDATE_MS),
            Action::AppUpdate(45_000),
            Action::Reboot
        ]
    );
    assert!(
        ok(&format!("{HEAD}notifications = false\n"))
            .notifications
            .not()
    );
    assert!(ok(HEAD).notifications);
}

#[test]
fn lifecycle_events_are_checked() {
    // Only app-update takes a duration.
    let text = format!("{HEAD}[vpn]\n[[event]]\nat = \"1s\"\ndo = \"reboot\"\nduration = \"5s\"\n");
    error_at(&text, 7, &["only an \"app-update\"", "`reboot`"]);
    // Updating the VPN app needs a VPN; a reboot does not.
    error_at(
        &format!("{HEAD}{}", event("1s", "app-update")),
        5,
        &["needs a VPN"],
    );
    assert_eq!(
        ok(&format!("{HEAD}{}", event("1s", "reboot"))).events.len(),
        1
    );
}

#[test]
fn bad_network_event() {
    let text = format!("{HEAD}{}", event("1s", "network:ethernet"));
    error_at(&text, 5, &["network:wifi"]);
}

#[test]
fn set_of_an_unknown_property_lists_the_properties() {
    let text = format!("{HEAD}[vpn]\n{}", event("1s", "set:kill_switch=true"));
    error_at(
        &text,
        6,
        &["kill_switch", "include_all_networks", "on_demand"],
    );
}

#[test]
fn set_with_a_bad_value() {
    let text = format!(
        "{HEAD}[vpn]\n{}",
        event("1s", "set:include_all_networks=maybe")
    );
    error_at(&text, 6, &["true or false"]);
    let text = format!("{HEAD}[vpn]\n{}", event("1s", "set:include_all_networks"));
    error_at(&text, 6, &["needs a value"]);
    let text = format!("{HEAD}[vpn]\n{}", event("1s", "set:included_routes=true"));
    error_at(&text, 6, &["list of routes"]);
}

#[test]
fn set_of_a_property_the_release_lacks() {
    let text = format!(
        "title = \"t\"\nios = \"16.1\"\n[vpn]\n{}",
        event("1s", "set:exclude_apns=false")
    );
    error_at(&text, 6, &["iOS 16.4"]);
}

#[test]
fn vpn_events_need_a_vpn() {
    let text = format!("{HEAD}{}", event("1s", "connect"));
    error_at(&text, 5, &["needs a VPN", "[vpn]"]);
}

#[test]
fn event_after_the_end() {
    let text = format!("{HEAD}duration = \"10s\"\n{}", event("20s", "airplane:on"));
    error_at(&text, 4, &["airplane:on", "end (10s)"]);
}

// --- expectations -------------------------------------------------------------------------

fn expect(flow: &str, at: &str, route: &str) -> String {
    format!("[[expect]]\nflow = \"{flow}\"\nat = \"{at}\"\nroute = \"{route}\"\n")
}

#[test]
fn expectation_of_an_unknown_flow_lists_the_flows() {
    let text = format!(
        "{HEAD}{}{}",
        flow("push", "apns", "0s"),
        expect("pushh", "1s", "direct")
    );
    error_at(&text, 8, &["`pushh`", "\"push\""]);
}

#[test]
fn expectation_when_the_flow_is_not_open() {
    let text = format!(
        "{HEAD}{}{}",
        flow("push", "apns", "5s"),
        expect("push", "1s", "direct")
    );
    error_at(&text, 9, &["not open at 1s", "from 5s"]);
}

#[test]
fn expectation_with_bad_values_lists_the_choices() {
    let base = format!("{HEAD}{}", flow("push", "apns", "0s"));
    error_at(
        &format!("{base}{}", expect("push", "1s", "vpn")),
        10,
        &["\"tunnel\", \"direct\", \"blocked\""],
    );
    error_at(
        &format!(
            "{base}{}seen_as = \"public\"\n",
            expect("push", "1s", "direct")
        ),
        11,
        &["\"vpn\", \"device\", \"local\" or \"none\""],
    );
    error_at(
        &format!(
            "{base}{}interface = \"wlan0\"\n",
            expect("push", "1s", "direct")
        ),
        11,
        &["\"en0\""],
    );
}

#[test]
fn every_problem_in_a_file_is_reported_in_file_order() {
    let text = format!(
        "title = \"t\"\nios = \"16.1\"\nnetwork = \"lte\"\n[vpn]\nexclude_apns = true\n{}",
        flow("a", "bogus", "5")
    );
    let list = errors(&text);
    let lines: Vec<usize> = list.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5, 8, 9], "{list:#?}");
}

#[test]
fn errors_render_as_file_line_column() {
    let rendered = parse("title = \"t\"\nios = \"99\"\n")
        .unwrap_err()
        .render("x.toml");
    assert!(rendered.starts_with("x.toml:2:7: "), "{rendered}");
}

#[test]
fn every_unknown_key_is_reported_at_once_with_a_suggestion() {
    let text = "title = \"t\"\nios = \"18.2\"\nnetwrok = \"wifi\"\n[vpn]\ninclude_all_network = true\n[asume]\nx = 1\n[[flow]]\nname = \"a\"\nkind = \"app\"\nopen = \"0s\"\nclosed = \"5s\"\n";
    let list = errors(text);
    let lines: Vec<usize> = list.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 5, 6, 12], "{list:#?}");
    assert!(list[0].message.contains("did you mean `network`?"));
    assert!(
        list[1]
            .message
            .contains("did you mean `include_all_networks`?")
    );
    assert!(list[2].message.contains("did you mean `assume`?"));
    assert!(list[3].message.contains("did you mean `close`?"));
}

#[test]
fn misplaced_tables_say_how_to_write_them() {
    error_at(
        &format!("{HEAD}[flow]\nname = \"a\"\n"),
        3,
        &["[[flow]]", "double brackets"],
    );
    error_at(&format!("{HEAD}vpn = 5\n"), 3, &["`vpn` must be a table"]);
    error_at(&format!("{HEAD}assume = true\n"), 3, &["[assume]"]);
}

#[test]
fn several_syntax_errors_are_reported_together() {
    let list = errors("title = \"t\nios = \"18.2\"\n[vpn\n");
    assert!(list.len() >= 2, "{list:#?}");
    assert!(list.iter().all(|e| !e.message.contains("Raw")));
}

#[test]
fn messages_never_name_internal_types() {
    let e = error_at(
        &format!("{HEAD}seed = 18446744073709551615\n"),
        3,
        &["too large"],
    );
    assert!(!e.message.contains("i64"));
    let e = error_at(
        &format!("{HEAD}[vpn]\nincluded_routes = \"0.0.0.0/0\"\n"),
        4,
        &[],
    );
    assert!(!e.message.contains("Raw"), "{e}");
}

#[test]
fn every_event_keyword_parses_with_a_vpn_and_says_whether_it_needs_one() {
    for k in crate::scenario::EVENT_KEYWORDS {
        let written = if k.keyword == "set:" {
            "set:include_all_networks=true".to_string()
        } else {
            k.keyword.to_string()
        };
        let event = format!("[[event]]\nat = \"1s\"\ndo = \"{written}\"\n");
        let with_vpn = format!("title = \"t\"\nios = \"17.4\"\n[vpn]\n{event}");
        assert!(crate::scenario::parse(&with_vpn).is_ok(), "{written}");
        let without = format!("title = \"t\"\nios = \"17.4\"\n{event}");
        let refused = crate::scenario::parse(&without)
            .err()
            .is_some_and(|e| e.0.iter().any(|e| e.message.contains("needs a VPN")));
        assert_eq!(refused, k.needs_vpn, "{written}");
    }
    assert_eq!(
        crate::scenario::event_choices(),
        "\"connect\", \"disconnect\", \"network:wifi\", \"network:cellular\", \"airplane:on\", \"airplane:off\", \"tunnel:lost\", \"update-available\", \"app-update\", \"reboot\" or \"set:<vpn property>=<value>\""
    );
}
