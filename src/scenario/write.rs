//! [`Scenario`] → TOML text that [`super::parse`] reads back to the same
//! scenario: the inverse of the parser, through the same document tree the
//! playground's controls edit. "The same" up to what a file's layout alone
//! decides: the lines things are on, the events' order in the file (they
//! are written in time order, the order the scenario holds them in) and
//! the spelling of each `do` (written as [`action_text`] spells it).
//!
//! The text is written with `[[flow]]`, `[[event]]` and `[[expect]]`
//! sections, so a file near the format's 1 MB limit that wrote its tables
//! inline may be written longer than that limit (and then refused when
//! read back); every other valid scenario reads back.
//!
//! It writes what a person would: every key the format requires, and of the
//! optional ones only those that differ from what the parser assumes when
//! the key is missing (a `[vpn]` key only where it differs from the preset,
//! or from Apple's default for the release). Comments and the file's own
//! spelling are not part of a [`Scenario`], so they are not written.

use super::document::{Table, Value};
use super::{Action, DEFAULT_UPDATE_MS, Event, Expect, Flow, Scenario, Setting, duration};
use crate::config::{Assumptions, VpnConfig};
use crate::facts::{self, AssumptionValue, PropDefault};
use crate::model::{FamilyChoice, IpMode, Network};
use crate::presets;

/// The scenario as a scenario file's text.
pub fn write(scenario: &Scenario) -> String {
    document(scenario).to_toml()
}

/// The scenario as the document tree a file's text is read into.
pub fn document(scenario: &Scenario) -> Table {
    let mut table = Table::default();
    let text = |s: &str| Value::String(s.to_string());
    table.insert("title", text(&scenario.title));
    table.insert("ios", text(&scenario.ios.to_string()));
    if scenario.network != Network::Wifi {
        table.insert("network", text(scenario.network.as_str()));
    }
    for (key, mode) in [
        ("wifi_ip", scenario.ip.wifi),
        ("cellular_ip", scenario.ip.cellular),
    ] {
        if mode != IpMode::Ipv4Only {
            table.insert(key, text(mode.as_str()));
        }
    }
    if let Some(attack) = scenario.attack {
        table.insert("attack", text(attack.as_str()));
    }
    if let Some(preset) = scenario.preset {
        table.insert("preset", text(preset));
    }
    table.insert("duration", millis(scenario.duration_ms));
    if let Some(moment) = scenario.moment_ms {
        table.insert("moment", millis(moment));
    }
    if scenario.seed != 0 {
        // The parser refuses a negative seed, so a seed past i64 cannot be
        // written either: it is clamped rather than wrapped to a negative.
        table.insert(
            "seed",
            Value::Integer(i64::try_from(scenario.seed).unwrap_or(i64::MAX)),
        );
    }
    if !scenario.notifications {
        table.insert("notifications", Value::Boolean(false));
    }
    if let Some(vpn) = &scenario.vpn {
        let base = match scenario.preset.and_then(presets::find) {
            Some(preset) => preset.config(scenario.ios),
            None => VpnConfig::defaults(scenario.ios),
        };
        let written = vpn_table(vpn, &base);
        // A preset alone configures the VPN; without one, `[vpn]` is what
        // says there is a VPN at all, even when every key is at its default.
        if !written.entries.is_empty() || scenario.preset.is_none() {
            table.insert("vpn", Value::Table(written));
        }
    }
    let assume = assume_table(&scenario.assume);
    if !assume.entries.is_empty() {
        table.insert("assume", Value::Table(assume));
    }
    let list = |tables: Vec<Table>| {
        Value::Array(
            tables
                .into_iter()
                .map(|t| super::document::Node::new(Value::Table(t)))
                .collect(),
        )
    };
    if !scenario.flows.is_empty() {
        let flows = scenario
            .flows
            .iter()
            .map(|f| flow(f, scenario.duration_ms))
            .collect();
        table.insert("flow", list(flows));
    }
    if !scenario.events.is_empty() {
        table.insert("event", list(scenario.events.iter().map(event).collect()));
    }
    if !scenario.expects.is_empty() {
        table.insert(
            "expect",
            list(scenario.expects.iter().map(expect).collect()),
        );
    }
    table
}

/// How an event's action is written after `do =` (the keyword, and for
/// `set:` its property and value).
pub fn action_text(action: &Action) -> String {
    match action {
        Action::Connect => "connect".into(),
        Action::Disconnect => "disconnect".into(),
        Action::Network(network) => format!("network:{}", network.as_str()),
        Action::Airplane(on) => format!("airplane:{}", if *on { "on" } else { "off" }),
        Action::TunnelLost => "tunnel:lost".into(),
        Action::Set(Setting::Flag(prop, value)) => {
            format!("set:{}={value}", facts::property(*prop).key)
        }
        Action::Set(Setting::Routes(prop, routes)) => {
            let quoted: Vec<String> = routes.iter().map(|r| format!("\"{r}\"")).collect();
            format!("set:{}=[{}]", facts::property(*prop).key, quoted.join(", "))
        }
        Action::UpdateAvailable => "update-available".into(),
        Action::AppUpdate(_) => "app-update".into(),
        Action::Reboot => "reboot".into(),
    }
}

fn millis(ms: u64) -> Value {
    Value::String(duration::format(ms))
}

fn routes(list: &[crate::addresses::Cidr]) -> Value {
    Value::Array(
        list.iter()
            .map(|r| super::document::Node::new(Value::String(r.to_string())))
            .collect(),
    )
}

/// The properties whose value differs from `base`, in the fact table's
/// order (the order the docs list them).
fn vpn_table(vpn: &VpnConfig, base: &VpnConfig) -> Table {
    let mut table = Table::default();
    for property in facts::PROPERTIES {
        match property.default {
            PropDefault::Bool(_) => {
                if let Some(value) = vpn.flag(property.prop)
                    && base.flag(property.prop) != Some(value)
                {
                    table.insert(property.key, Value::Boolean(value));
                }
            }
            PropDefault::Routes(_) => {
                let (mine, theirs) = match property.prop {
                    facts::Prop::IncludedRoutes => (&vpn.included_routes, &base.included_routes),
                    _ => (&vpn.excluded_routes, &base.excluded_routes),
                };
                if mine != theirs {
                    table.insert(property.key, routes(mine));
                }
            }
        }
    }
    table
}

/// The assumptions whose value differs from the fact table's default.
fn assume_table(assume: &Assumptions) -> Table {
    let mut table = Table::default();
    for (id, value) in assume.iter() {
        let assumption = facts::assumption(id);
        if value == assumption.default {
            continue;
        }
        let written = match value {
            AssumptionValue::Bool(b) => Value::Boolean(b),
            AssumptionValue::Millis(ms) => millis(ms),
            AssumptionValue::Choice { value, .. } => Value::String(value.to_string()),
        };
        table.insert(assumption.key, written);
    }
    table
}

fn flow(flow: &Flow, duration_ms: u64) -> Table {
    let mut table = Table::default();
    table.insert("name", Value::String(flow.name.clone()));
    table.insert("kind", Value::String(flow.kind.as_str().into()));
    table.insert("open", millis(flow.open_ms));
    // A flow without `close` stays open until the scenario's end.
    if flow.close_ms < duration_ms {
        table.insert("close", millis(flow.close_ms));
    }
    if flow.family != FamilyChoice::Auto {
        table.insert("family", Value::String(flow.family.as_str().into()));
    }
    table
}

fn event(event: &Event) -> Table {
    let mut table = Table::default();
    table.insert("at", millis(event.at_ms));
    table.insert("do", Value::String(action_text(&event.action)));
    if let Action::AppUpdate(ms) = event.action
        && ms != DEFAULT_UPDATE_MS
    {
        table.insert("duration", millis(ms));
    }
    table
}

fn expect(expect: &Expect) -> Table {
    let mut table = Table::default();
    table.insert("flow", Value::String(expect.flow.clone()));
    table.insert("at", millis(expect.at_ms));
    table.insert("route", Value::String(expect.route.as_str().into()));
    if let Some(seen_as) = expect.seen_as {
        table.insert("seen_as", Value::String(seen_as.as_str().into()));
    }
    if let Some(interface) = expect.interface {
        table.insert("interface", Value::String(interface.as_str().into()));
    }
    if let Some(family) = expect.family {
        table.insert("family", Value::String(family.as_str().into()));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::LIBRARY;

    /// What the writer does not keep: the lines things were written on,
    /// the events' order in the file (it writes them in time order), and
    /// the spelling of each `do` (it spells the action its own way).
    fn comparable(mut scenario: Scenario) -> Scenario {
        for flow in &mut scenario.flows {
            flow.line = 0;
        }
        for event in &mut scenario.events {
            event.line = 0;
            event.position = 0;
            event.text = action_text(&event.action);
        }
        for expect in &mut scenario.expects {
            expect.line = 0;
        }
        scenario
    }

    fn reread(scenario: &Scenario) -> Scenario {
        let text = write(scenario);
        super::super::parse(&text).unwrap_or_else(|e| panic!("{e}\nin what was written:\n{text}"))
    }

    #[test]
    fn every_library_scenario_is_written_back_to_itself() {
        for built_in in LIBRARY {
            let scenario = built_in.parse().expect("valid");
            assert_eq!(
                comparable(reread(&scenario)),
                comparable(scenario),
                "{}",
                built_in.name
            );
        }
    }

    /// The largest shapes the format allows (a thousand flows, a thousand
    /// events) are written back within the size limit, to themselves.
    #[test]
    fn scenarios_at_the_formats_limits_are_written_back_to_themselves() {
        for (name, text) in crate::workload::worst_shapes() {
            let scenario = super::super::parse(&text).expect("valid");
            let written = write(&scenario);
            assert!(written.len() <= super::super::MAX_FILE_BYTES, "{name}");
            assert_eq!(
                comparable(reread(&scenario)),
                comparable(scenario),
                "{name}"
            );
        }
    }

    #[test]
    fn writes_only_what_differs_from_the_defaults() {
        let scenario = super::super::parse(
            "title = \"t\"\nios = \"18.2\"\npreset = \"mullvad-force-all-apps\"\n\
             [vpn]\nexclude_apns = false\n[[flow]]\nname = \"push\"\nkind = \"apns\"\nopen = \"0s\"\n\
             [[event]]\nat = \"5s\"\ndo = \"set:excluded_routes = [ '10.0.0.0/8' ]\"\n\
             [[event]]\nat = \"6s\"\ndo = \"app-update\"\n",
        )
        .unwrap();
        assert_eq!(
            write(&scenario),
            "title = \"t\"\nios = \"18.2\"\npreset = \"mullvad-force-all-apps\"\nduration = \"36s\"\n\
             \n[vpn]\nexclude_apns = false\n\
             \n[[flow]]\nname = \"push\"\nkind = \"apns\"\nopen = \"0s\"\n\
             \n[[event]]\nat = \"5s\"\ndo = 'set:excluded_routes=[\"10.0.0.0/8\"]'\n\
             \n[[event]]\nat = \"6s\"\ndo = \"app-update\"\n"
        );
    }

    #[test]
    fn a_vpn_at_its_defaults_keeps_its_table_and_a_preset_needs_none() {
        let plain = super::super::parse("title = \"t\"\nios = \"16.1\"\n[vpn]\n").unwrap();
        assert!(write(&plain).ends_with("\n[vpn]\n"), "{}", write(&plain));
        let preset =
            super::super::parse("title = \"t\"\nios = \"16.1\"\npreset = \"ivpn\"\n").unwrap();
        assert!(!write(&preset).contains("[vpn]"), "{}", write(&preset));
        assert_eq!(reread(&preset), preset);
    }

    // Any valid scenario, not only the library's: written, then read back,
    // it is the same value. proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    mod round_trip {
        use super::*;
        use crate::addresses::Cidr;
        use crate::facts::Prop;
        use crate::model::{Attack, Family, FlowKind, Interface, IpModes, Route, SeenAs};
        use crate::version::IosVersion;
        use proptest::prelude::*;
        use proptest::sample::select;

        fn release() -> impl Strategy<Value = IosVersion> {
            (select(&IosVersion::MAJORS[..]), 0u8..8, 0u8..4)
                .prop_map(|(major, minor, patch)| IosVersion::new(major, minor, patch))
                .prop_filter("modelled", |v| *v >= IosVersion::OLDEST)
        }

        /// Any text a person could put in a title or a flow's name: quotes,
        /// backslashes, newlines, control characters and any script.
        fn words(most: usize) -> impl Strategy<Value = String> {
            proptest::collection::vec(any::<char>(), 1..most)
                .prop_map(|chars| chars.into_iter().collect::<String>())
                .prop_filter("not blank", |s| !s.trim().is_empty())
        }

        fn cidr() -> impl Strategy<Value = Cidr> {
            prop_oneof![
                (any::<u32>(), 0u8..=32).prop_map(|(a, len)| Cidr {
                    addr: std::net::Ipv4Addr::from(a).into(),
                    len
                }),
                (any::<u128>(), 0u8..=128).prop_map(|(a, len)| Cidr {
                    addr: std::net::Ipv6Addr::from(a).into(),
                    len
                }),
            ]
        }

        /// An expectation's flow, time, route and optional seen-as,
        /// interface and family, as raw picks.
        type RawExpect = (
            usize,
            u64,
            usize,
            Option<usize>,
            Option<usize>,
            Option<usize>,
        );

        /// Raw choices the scenario is built from (so that what depends on
        /// the release or the duration is drawn within them).
        #[derive(Debug, Clone)]
        struct Raw {
            flags: Vec<bool>,
            routes: Vec<Vec<Cidr>>,
            assume: Vec<u64>,
            flows: Vec<(String, usize, usize, u64, u64)>,
            events: Vec<(u64, usize, bool, Vec<Cidr>, u64)>,
            expects: Vec<RawExpect>,
        }

        fn raw() -> impl Strategy<Value = Raw> {
            let routes = || proptest::collection::vec(cidr(), 0..4);
            (
                proptest::collection::vec(any::<bool>(), facts::PROPERTIES.len()),
                proptest::collection::vec(routes(), 2),
                proptest::collection::vec(any::<u64>(), facts::ASSUMPTIONS.len()),
                proptest::collection::vec(
                    (
                        words(12),
                        any::<usize>(),
                        any::<usize>(),
                        any::<u64>(),
                        any::<u64>(),
                    ),
                    0..6,
                ),
                proptest::collection::vec(
                    (
                        any::<u64>(),
                        any::<usize>(),
                        any::<bool>(),
                        routes(),
                        any::<u64>(),
                    ),
                    0..8,
                ),
                proptest::collection::vec(
                    (
                        any::<usize>(),
                        any::<u64>(),
                        any::<usize>(),
                        any::<Option<usize>>(),
                        any::<Option<usize>>(),
                        any::<Option<usize>>(),
                    ),
                    0..6,
                ),
            )
                .prop_map(|(flags, routes, assume, flows, events, expects)| Raw {
                    flags,
                    routes,
                    assume,
                    flows,
                    events,
                    expects,
                })
        }

        fn pick<T: Copy>(all: &[T], raw: usize) -> T {
            all[raw % all.len()]
        }

        fn vpn_of(raw: &Raw, base: VpnConfig, ios: IosVersion, on_demand: bool) -> VpnConfig {
            let mut vpn = base;
            for (i, property) in facts::PROPERTIES.iter().enumerate() {
                if ios < property.since {
                    continue;
                }
                let setting = match property.default {
                    PropDefault::Bool(_) => Setting::Flag(property.prop, raw.flags[i]),
                    PropDefault::Routes(_) => {
                        let which = usize::from(property.prop == Prop::ExcludedRoutes);
                        Setting::Routes(property.prop, raw.routes[which].clone())
                    }
                };
                setting.apply(&mut vpn);
            }
            vpn.on_demand = on_demand;
            vpn
        }

        fn assumptions(raw: &Raw, ios: IosVersion) -> Assumptions {
            let mut assume = Assumptions::default();
            // Only what can change something on the release (else the
            // parser refuses it).
            let applies = |a: &&facts::Assumption| facts::assumption_applies(a.id, ios);
            for (assumption, n) in facts::ASSUMPTIONS
                .iter()
                .zip(&raw.assume)
                .filter(|(a, _)| applies(a))
            {
                let value = match assumption.default {
                    AssumptionValue::Bool(_) => AssumptionValue::Bool(n % 2 == 1),
                    AssumptionValue::Millis(_) => {
                        AssumptionValue::Millis(n % (duration::MAX_MS + 1))
                    }
                    AssumptionValue::Choice { of, .. } => AssumptionValue::Choice {
                        value: pick(of, *n as usize),
                        of,
                    },
                };
                assume.set(assumption.id, value);
            }
            assume
        }

        fn action(
            (kind, flag, routes, n): (usize, bool, &[Cidr], u64),
            ios: IosVersion,
            has_vpn: bool,
        ) -> Option<Action> {
            let available: Vec<&facts::Property> = facts::PROPERTIES
                .iter()
                .filter(|p| ios >= p.since)
                .collect();
            let action = match kind % 11 {
                0 => Action::Connect,
                1 => Action::Disconnect,
                2 => Action::Network(pick(Network::ALL, n as usize)),
                3 => Action::Airplane(flag),
                4 => Action::TunnelLost,
                5 => Action::UpdateAvailable,
                6 => Action::AppUpdate(1 + n % duration::MAX_MS),
                7 => Action::Reboot,
                _ => {
                    let property = pick(&available, n as usize);
                    Action::Set(match property.default {
                        PropDefault::Bool(_) => Setting::Flag(property.prop, flag),
                        PropDefault::Routes(_) => Setting::Routes(property.prop, routes.to_vec()),
                    })
                }
            };
            let keyword = action_text(&action);
            let needs_vpn =
                super::super::super::event_keyword(&keyword).is_some_and(|k| k.needs_vpn);
            (has_vpn || !needs_vpn).then_some(action)
        }

        #[allow(clippy::too_many_arguments)]
        fn scenario(
            title: String,
            ios: IosVersion,
            (network, attack, ip): (Network, Option<Attack>, IpModes),
            (duration_ms, seed, notifications): (u64, u64, bool),
            (vpn_at_all, preset, on_demand): (bool, Option<usize>, bool),
            raw: Raw,
        ) -> Scenario {
            let preset = preset.map(|i| &presets::PRESETS[i % presets::PRESETS.len()]);
            let vpn = match preset {
                Some(p) => Some(vpn_of(&raw, p.config(ios), ios, on_demand)),
                None if vpn_at_all => Some(vpn_of(&raw, VpnConfig::defaults(ios), ios, on_demand)),
                None => None,
            };
            let mut flows: Vec<Flow> = Vec::new();
            for (i, (name, kind, family, open, close)) in raw.flows.iter().enumerate() {
                let open_ms = open % duration_ms;
                flows.push(Flow {
                    // Unique, whatever else the name holds.
                    name: format!("{name}#{i}"),
                    kind: pick(FlowKind::ALL, *kind),
                    family: pick(FamilyChoice::ALL, *family),
                    open_ms,
                    close_ms: open_ms + 1 + close % (duration_ms - open_ms),
                    line: 0,
                });
            }
            let mut events: Vec<Event> = raw
                .events
                .iter()
                .filter_map(|(at, kind, flag, routes, n)| {
                    let action = action((*kind, *flag, routes, *n), ios, vpn.is_some())?;
                    Some(Event {
                        at_ms: at % duration_ms,
                        text: action_text(&action),
                        action,
                        line: 0,
                        position: 0,
                    })
                })
                .collect();
            events.sort_by_key(|e| e.at_ms);
            let expects = if flows.is_empty() {
                Vec::new()
            } else {
                raw.expects
                    .iter()
                    .map(|(flow, at, route, seen_as, interface, family)| {
                        let flow = &flows[flow % flows.len()];
                        Expect {
                            flow: flow.name.clone(),
                            at_ms: flow.open_ms + at % (flow.close_ms - flow.open_ms),
                            route: pick(Route::ALL, *route),
                            seen_as: seen_as.map(|i| pick(SeenAs::ALL, i)),
                            interface: interface.map(|i| pick(Interface::ALL, i)),
                            family: family.map(|i| pick(Family::ALL, i)),
                            line: 0,
                        }
                    })
                    .collect()
            };
            Scenario {
                title,
                ios,
                network,
                attack,
                ip,
                duration_ms,
                // Any moment before the end, or none.
                moment_ms: (seed % 3 == 0).then_some(seed % duration_ms),
                seed,
                notifications,
                vpn,
                preset: preset.map(|p| p.name),
                profile: None,
                assume: assumptions(&raw, ios),
                flows,
                events,
                expects,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_valid_scenario_is_written_back_to_itself(
                title in words(MAX_TITLE_CHARS_IN_TEST),
                ios in release(),
                network in select(Network::ALL),
                attack in proptest::option::of(select(Attack::ALL)),
                wifi in select(IpMode::ALL),
                cellular in select(IpMode::ALL),
                duration_ms in prop_oneof![1u64..120_000, 1u64..=duration::MAX_MS],
                seed in 0..=i64::MAX as u64,
                notifications in any::<bool>(),
                vpn in (any::<bool>(), proptest::option::of(any::<usize>()), any::<bool>()),
                raw in raw(),
            ) {
                let scenario = scenario(
                    title,
                    ios,
                    (network, attack, IpModes { wifi, cellular }),
                    (duration_ms, seed, notifications),
                    vpn,
                    raw,
                );
                let text = write(&scenario);
                let again = super::super::super::parse(&text)
                    .map_err(|e| TestCaseError::fail(format!("{e}\nin what was written:\n{text}")))?;
                prop_assert_eq!(comparable(again), scenario, "written as:\n{}", text);
            }
        }

        /// Titles in the test stay under the format's 200 characters (the
        /// strategy counts chars, as the parser does).
        const MAX_TITLE_CHARS_IN_TEST: usize = super::super::super::MAX_TITLE_CHARS;
    }
}
