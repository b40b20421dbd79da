//! TOML text → validated [`Scenario`], with a line and column for every
//! problem.

use super::duration;
use super::{
    Action, Event, Expect, Flow, MAX_EVENTS, MAX_EXPECTS, MAX_FILE_BYTES, MAX_FLOWS, MAX_ROUTES,
    MAX_TITLE_CHARS, Scenario, ScenarioError, ScenarioErrors, Setting,
};
use crate::addresses::Cidr;
use crate::facts::{self, AssumptionValue, Prop, PropDefault};
use crate::model::{FlowKind, Interface, Network, Route, SeenAs, list_choices};
use crate::policy::{Assumptions, VpnConfig};
use crate::version::IosVersion;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    title: Option<Spanned<String>>,
    ios: Option<Spanned<String>>,
    network: Option<Spanned<String>>,
    duration: Option<Spanned<toml::Value>>,
    seed: Option<Spanned<i64>>,
    vpn: Option<Spanned<RawVpn>>,
    assume: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    #[serde(default)]
    flow: Vec<Spanned<RawFlow>>,
    #[serde(default)]
    event: Vec<Spanned<RawEvent>>,
    #[serde(default)]
    expect: Vec<Spanned<RawExpect>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVpn {
    include_all_networks: Option<Spanned<bool>>,
    exclude_local_networks: Option<Spanned<bool>>,
    exclude_apns: Option<Spanned<bool>>,
    exclude_cellular_services: Option<Spanned<bool>>,
    exclude_device_communication: Option<Spanned<bool>>,
    enforce_routes: Option<Spanned<bool>>,
    included_routes: Option<Spanned<Vec<Spanned<String>>>>,
    excluded_routes: Option<Spanned<Vec<Spanned<String>>>>,
    on_demand: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlow {
    name: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    open: Option<Spanned<toml::Value>>,
    close: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    at: Option<Spanned<toml::Value>>,
    #[serde(rename = "do")]
    action: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    flow: Option<Spanned<String>>,
    at: Option<Spanned<toml::Value>>,
    route: Option<Spanned<String>>,
    seen_as: Option<Spanned<String>>,
    interface: Option<Spanned<String>>,
}

/// A time in milliseconds and where the file wrote it.
type TimeAt = (u64, Range<usize>);

const EVENT_CHOICES: &str = "\"connect\", \"disconnect\", \"network:wifi\", \"network:cellular\", \"airplane:on\", \"airplane:off\", \"tunnel:lost\" or \"set:<vpn property>=<value>\"";
const RESERVED_EVENTS: [&str; 3] = ["update-available", "app-update", "reboot"];

/// Maps byte offsets to 1-based line and column (in characters).
struct Positions<'a> {
    text: &'a str,
}

impl Positions<'_> {
    fn at(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Collects problems; parsing carries on after each one so that a file's
/// problems are all reported at once.
struct Problems<'a> {
    positions: Positions<'a>,
    list: Vec<ScenarioError>,
}

impl Problems<'_> {
    fn at(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = self.positions.at(span.start);
        self.list.push(ScenarioError {
            line,
            column,
            message: message.into(),
        });
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        self.positions.at(span.start).0
    }
}

/// Parses and validates a scenario file's text.
pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
    let mut problems = Problems {
        positions: Positions { text },
        list: Vec::new(),
    };
    if text.len() > MAX_FILE_BYTES {
        problems.at(
            0..0,
            format!(
                "the file is {} bytes; a scenario may be at most {MAX_FILE_BYTES} bytes",
                text.len()
            ),
        );
        return Err(ScenarioErrors(problems.list));
    }
    let shape_problems = super::shape::check(text);
    if !shape_problems.is_empty() {
        for (span, message) in shape_problems {
            problems.at(span, message);
        }
        return Err(ScenarioErrors(problems.list));
    }
    let raw: RawScenario = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            problems.at(span, syntax_message(error.message()));
            return Err(ScenarioErrors(problems.list));
        }
    };
    let scenario = validate(raw, &mut problems);
    match scenario {
        Some(s) if problems.list.is_empty() => Ok(s),
        _ => {
            problems.list.sort_by_key(|e| (e.line, e.column));
            Err(ScenarioErrors(problems.list))
        }
    }
}

/// toml's messages are good; add the valid choices where it names a table
/// key we know.
fn syntax_message(message: &str) -> String {
    let message = message.trim_end();
    if message.contains("expected i64") {
        return "this number is too large: whole numbers go up to 9223372036854775807".to_string();
    }
    // The typed pass names its own structs; say what the file should hold.
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("struct Raw") {
        out.push_str(&rest[..at]);
        out.push_str("a table");
        rest = rest[at..]
            .find(|c: char| !c.is_alphanumeric() && c != ' ')
            .map_or("", |end| &rest[at + end..]);
        if rest.is_empty() {
            break;
        }
    }
    out.push_str(rest);
    out
}

fn whole_file() -> Range<usize> {
    0..0
}

fn validate(raw: RawScenario, problems: &mut Problems<'_>) -> Option<Scenario> {
    let title = match raw.title {
        None => {
            problems.at(
                whole_file(),
                "missing `title`: every scenario needs a one-line title, e.g. title = \"iOS 16.1: push leaves the tunnel\"",
            );
            String::new()
        }
        Some(t) => {
            let span = t.span();
            let value = t.into_inner();
            if value.trim().is_empty() {
                problems.at(span, "`title` is empty: give the scenario a one-line title");
            } else if value.chars().count() > MAX_TITLE_CHARS {
                problems.at(
                    span,
                    format!("`title` is longer than {MAX_TITLE_CHARS} characters"),
                );
            }
            value
        }
    };

    let ios = match raw.ios {
        None => {
            problems.at(
                whole_file(),
                "missing `ios`: say which iOS release the phone runs, e.g. ios = \"16.4\"",
            );
            None
        }
        Some(v) => match IosVersion::parse(v.get_ref()) {
            Ok(version) => Some(version),
            Err(message) => {
                problems.at(v.span(), message);
                None
            }
        },
    };

    let network = match raw.network {
        None => Network::Wifi,
        Some(n) => Network::parse(n.get_ref()).unwrap_or_else(|| {
            problems.at(
                n.span(),
                format!(
                    "`{}` is not a network: choose {}",
                    n.get_ref(),
                    Network::choices()
                ),
            );
            Network::Wifi
        }),
    };

    let seed = match raw.seed {
        None => 0,
        Some(s) if *s.get_ref() < 0 => {
            problems.at(s.span(), "`seed` must be zero or a positive whole number");
            0
        }
        Some(s) => *s.get_ref() as u64,
    };

    // Without a valid release nothing version-dependent can be checked; the
    // rest of the file is still checked for the problems it can have.
    let ios_for_checks = ios.unwrap_or(IosVersion::new(26, 0, 0));
    let vpn = raw
        .vpn
        .map(|v| validate_vpn(v.into_inner(), ios_for_checks, ios.is_some(), problems));
    let assume = validate_assume(raw.assume.unwrap_or_default(), problems);

    if raw.flow.len() > MAX_FLOWS {
        problems.at(
            raw.flow[MAX_FLOWS].span(),
            format!(
                "{} flows: a scenario may have at most {MAX_FLOWS}",
                raw.flow.len()
            ),
        );
        return None;
    }
    if raw.event.len() > MAX_EVENTS {
        problems.at(
            raw.event[MAX_EVENTS].span(),
            format!(
                "{} events: a scenario may have at most {MAX_EVENTS}",
                raw.event.len()
            ),
        );
        return None;
    }
    if raw.expect.len() > MAX_EXPECTS {
        problems.at(
            raw.expect[MAX_EXPECTS].span(),
            format!(
                "{} expectations: a scenario may have at most {MAX_EXPECTS}",
                raw.expect.len()
            ),
        );
        return None;
    }

    let flows: Vec<(Flow, Option<TimeAt>)> = raw
        .flow
        .into_iter()
        .map(|f| validate_flow(f, problems))
        .collect();
    for (i, (flow, _)) in flows.iter().enumerate() {
        if let Some((first, _)) = flows[..i]
            .iter()
            .find(|(other, _)| !flow.name.is_empty() && other.name == flow.name)
        {
            let message = format!(
                "flow name `{}` is already used on line {}: names must be unique",
                flow.name, first.line
            );
            problems.list.push(ScenarioError {
                line: flow.line,
                column: 1,
                message,
            });
        }
    }

    let mut events: Vec<Event> = raw
        .event
        .into_iter()
        .filter_map(|e| validate_event(e, ios_for_checks, ios.is_some(), vpn.is_some(), problems))
        .collect();
    events.sort_by_key(|e| e.at_ms);

    let last_event = events.iter().map(|e| e.at_ms).max().unwrap_or(0);
    let last_open = flows.iter().map(|(f, _)| f.open_ms).max().unwrap_or(0);
    let duration_ms = match raw.duration {
        None => (last_event.max(last_open) + 30_000).min(duration::MAX_MS),
        Some(d) => match duration_value(&d, "duration", problems) {
            Some(0) => {
                problems.at(d.span(), "`duration` must be longer than 0s");
                1
            }
            Some(ms) => ms,
            None => duration::MAX_MS,
        },
    };

    // Everything must happen inside the scenario.
    for event in &events {
        if event.at_ms >= duration_ms {
            problems.list.push(ScenarioError {
                line: event.line,
                column: 1,
                message: format!(
                    "event `{}` at {} is not before the scenario's end ({})",
                    event.text,
                    duration::format(event.at_ms),
                    duration::format(duration_ms)
                ),
            });
        }
    }
    let flows: Vec<Flow> = flows
        .into_iter()
        .map(|(mut flow, close)| {
            if flow.open_ms >= duration_ms {
                problems.list.push(ScenarioError {
                    line: flow.line,
                    column: 1,
                    message: format!(
                        "flow `{}` opens at {}, which is not before the scenario's end ({})",
                        flow.name,
                        duration::format(flow.open_ms),
                        duration::format(duration_ms)
                    ),
                });
            }
            flow.close_ms = match close {
                Some((close_ms, span)) => {
                    if close_ms <= flow.open_ms {
                        problems.at(
                            span,
                            format!(
                                "flow `{}` closes at {}, which is not after it opens ({})",
                                flow.name,
                                duration::format(close_ms),
                                duration::format(flow.open_ms)
                            ),
                        );
                    }
                    close_ms.min(duration_ms)
                }
                None => duration_ms,
            };
            flow
        })
        .collect();

    let expects: Vec<Expect> = raw
        .expect
        .into_iter()
        .filter_map(|e| validate_expect(e, &flows, duration_ms, problems))
        .collect();

    Some(Scenario {
        title,
        ios: ios?,
        network,
        duration_ms,
        seed,
        vpn,
        assume,
        flows,
        events,
        expects,
    })
}

fn duration_value(
    value: &Spanned<toml::Value>,
    key: &str,
    problems: &mut Problems<'_>,
) -> Option<u64> {
    match value.get_ref() {
        toml::Value::String(text) => match duration::parse(text) {
            Ok(ms) => Some(ms),
            Err(message) => {
                problems.at(value.span(), format!("`{key}`: {message}"));
                None
            }
        },
        other => {
            problems.at(
                value.span(),
                format!(
                    "`{key}` must be a quoted duration with a unit, e.g. {key} = \"5s\" (found {} `{other}`)",
                    other.type_str()
                ),
            );
            None
        }
    }
}

/// Checks that `key` exists on the scenario's release.
fn check_available(
    key: &str,
    span: Range<usize>,
    ios: IosVersion,
    ios_known: bool,
    problems: &mut Problems<'_>,
) -> bool {
    let Some(property) = facts::property_by_key(key) else {
        return false;
    };
    if ios_known && ios < property.since {
        problems.at(
            span,
            format!(
                "`{key}` needs iOS {} or later (Apple added {} in iOS {}); this scenario is iOS {ios}",
                property.since, property.apple_name, property.since
            ),
        );
        return false;
    }
    true
}

fn validate_vpn(
    raw: RawVpn,
    ios: IosVersion,
    ios_known: bool,
    problems: &mut Problems<'_>,
) -> VpnConfig {
    let mut vpn = VpnConfig::defaults(ios);
    let flags = [
        (Prop::IncludeAllNetworks, raw.include_all_networks),
        (Prop::ExcludeLocalNetworks, raw.exclude_local_networks),
        (Prop::ExcludeApns, raw.exclude_apns),
        (Prop::ExcludeCellularServices, raw.exclude_cellular_services),
        (
            Prop::ExcludeDeviceCommunication,
            raw.exclude_device_communication,
        ),
        (Prop::EnforceRoutes, raw.enforce_routes),
        (Prop::OnDemand, raw.on_demand),
    ];
    for (prop, value) in flags {
        let Some(value) = value else { continue };
        let key = facts::property(prop).key;
        if check_available(key, value.span(), ios, ios_known, problems) {
            Setting::Flag(prop, *value.get_ref()).apply(&mut vpn);
        }
    }
    for (prop, value) in [
        (Prop::IncludedRoutes, raw.included_routes),
        (Prop::ExcludedRoutes, raw.excluded_routes),
    ] {
        let Some(list) = value else { continue };
        let key = facts::property(prop).key;
        if list.get_ref().len() > MAX_ROUTES {
            problems.at(
                list.span(),
                format!("`{key}` lists more than {MAX_ROUTES} routes"),
            );
            continue;
        }
        let mut routes = Vec::new();
        for route in list.into_inner() {
            match Cidr::parse(route.get_ref()) {
                Ok(cidr) => routes.push(cidr),
                Err(message) => problems.at(route.span(), format!("`{key}`: {message}")),
            }
        }
        Setting::Routes(prop, routes).apply(&mut vpn);
    }
    vpn
}

fn validate_assume(
    raw: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    problems: &mut Problems<'_>,
) -> Assumptions {
    let mut assume = Assumptions::default();
    for (key, value) in raw {
        let Some(assumption) = facts::assumption_by_key(key.get_ref()) else {
            problems.at(
                key.span(),
                format!(
                    "unknown assumption `{}`: the assumptions are {}",
                    key.get_ref(),
                    list_choices(facts::ASSUMPTIONS.iter().map(|a| a.key))
                ),
            );
            continue;
        };
        match (assumption.default, value.get_ref()) {
            (AssumptionValue::Bool(_), toml::Value::Boolean(b)) => {
                assume.set(assumption.id, AssumptionValue::Bool(*b));
            }
            (AssumptionValue::Bool(_), other) => problems.at(
                value.span(),
                format!(
                    "`{}` is true or false (found {} `{other}`)",
                    assumption.key,
                    other.type_str()
                ),
            ),
            (AssumptionValue::Millis(_), _) => {
                if let Some(ms) = duration_value(&value, assumption.key, problems) {
                    assume.set(assumption.id, AssumptionValue::Millis(ms));
                }
            }
        }
    }
    assume
}

fn validate_flow(raw: Spanned<RawFlow>, problems: &mut Problems<'_>) -> (Flow, Option<TimeAt>) {
    let table_span = raw.span();
    let line = problems.line_of(&table_span);
    let raw = raw.into_inner();
    let name = match raw.name {
        Some(n) if !n.get_ref().trim().is_empty() => n.into_inner(),
        Some(n) => {
            problems.at(n.span(), "flow `name` is empty");
            String::new()
        }
        None => {
            problems.at(
                table_span.clone(),
                "this [[flow]] has no `name`: give it one, e.g. name = \"push\"",
            );
            String::new()
        }
    };
    let kind = match raw.kind {
        Some(k) => FlowKind::parse(k.get_ref()).unwrap_or_else(|| {
            problems.at(
                k.span(),
                format!(
                    "`{}` is not a flow kind: choose {}",
                    k.get_ref(),
                    FlowKind::choices()
                ),
            );
            FlowKind::App
        }),
        None => {
            problems.at(
                table_span.clone(),
                format!(
                    "flow `{name}` has no `kind`: choose {}",
                    FlowKind::choices()
                ),
            );
            FlowKind::App
        }
    };
    let open_ms = match raw.open {
        Some(o) => duration_value(&o, "open", problems).unwrap_or(0),
        None => {
            problems.at(
                table_span,
                format!("flow `{name}` has no `open` time: add e.g. open = \"0s\""),
            );
            0
        }
    };
    let close = raw.close.and_then(|c| {
        let span = c.span();
        duration_value(&c, "close", problems).map(|ms| (ms, span))
    });
    let flow = Flow {
        name,
        kind,
        open_ms,
        close_ms: 0,
        line,
    };
    (flow, close)
}

fn validate_event(
    raw: Spanned<RawEvent>,
    ios: IosVersion,
    ios_known: bool,
    has_vpn: bool,
    problems: &mut Problems<'_>,
) -> Option<Event> {
    let table_span = raw.span();
    let line = problems.line_of(&table_span);
    let raw = raw.into_inner();
    let at_ms = match raw.at {
        Some(a) => duration_value(&a, "at", problems),
        None => {
            problems.at(
                table_span.clone(),
                "this [[event]] has no `at` time: add e.g. at = \"5s\"",
            );
            None
        }
    };
    let Some(action_text) = raw.action else {
        problems.at(
            table_span,
            format!("this [[event]] has no `do`: choose {EVENT_CHOICES}"),
        );
        return None;
    };
    let span = action_text.span();
    let text = action_text.into_inner();
    let action = match text.as_str() {
        "connect" => Some(Action::Connect),
        "disconnect" => Some(Action::Disconnect),
        "tunnel:lost" => Some(Action::TunnelLost),
        "airplane:on" => Some(Action::Airplane(true)),
        "airplane:off" => Some(Action::Airplane(false)),
        other if other.starts_with("network:") => {
            let name = &other["network:".len()..];
            match Network::parse(name) {
                Some(n) => Some(Action::Network(n)),
                None => {
                    problems.at(
                        span.clone(),
                        format!(
                            "`{name}` is not a network: write \"network:wifi\" or \"network:cellular\""
                        ),
                    );
                    None
                }
            }
        }
        other if other.starts_with("set:") => parse_setting(
            &other["set:".len()..],
            span.clone(),
            ios,
            ios_known,
            problems,
        )
        .map(Action::Set),
        other if RESERVED_EVENTS.contains(&other) => {
            problems.at(
                span.clone(),
                format!(
                    "`{other}` is reserved for the app-update lifecycle scenarios and not supported by this version; the events are {EVENT_CHOICES}"
                ),
            );
            None
        }
        other => {
            problems.at(
                span.clone(),
                format!("`{other}` is not an event: choose {EVENT_CHOICES}"),
            );
            None
        }
    }?;
    let needs_vpn = matches!(
        action,
        Action::Connect | Action::Disconnect | Action::TunnelLost | Action::Set(_)
    );
    if needs_vpn && !has_vpn {
        problems.at(
            span,
            format!("`{text}` needs a VPN: add a [vpn] table to the scenario"),
        );
        return None;
    }
    Some(Event {
        at_ms: at_ms?,
        action,
        text,
        line,
    })
}

fn parse_setting(
    text: &str,
    span: Range<usize>,
    ios: IosVersion,
    ios_known: bool,
    problems: &mut Problems<'_>,
) -> Option<Setting> {
    let keys = || list_choices(facts::PROPERTIES.iter().map(|p| p.key));
    let Some((key, value)) = text.split_once('=') else {
        problems.at(
            span,
            format!(
                "`set:{text}` needs a value: write set:<property>=<value>, e.g. \"set:include_all_networks=true\"; the properties are {}",
                keys()
            ),
        );
        return None;
    };
    let key = key.trim();
    let Some(property) = facts::property_by_key(key) else {
        problems.at(
            span,
            format!("`{key}` is not a VPN property: choose {}", keys()),
        );
        return None;
    };
    if !check_available(key, span.clone(), ios, ios_known, problems) {
        return None;
    }
    let parsed: Result<toml::Table, _> = toml::from_str(&format!("value = {}", value.trim()));
    let value = parsed.ok().and_then(|mut t| t.remove("value"));
    match (property.default, value) {
        (PropDefault::Bool(_), Some(toml::Value::Boolean(b))) => {
            Some(Setting::Flag(property.prop, b))
        }
        (PropDefault::Bool(_), _) => {
            problems.at(span, format!("`set:{key}=…` takes true or false"));
            None
        }
        (PropDefault::Routes(_), Some(toml::Value::Array(items))) => {
            let mut routes = Vec::new();
            for item in items {
                match item.as_str().map(Cidr::parse) {
                    Some(Ok(cidr)) => routes.push(cidr),
                    Some(Err(message)) => {
                        problems.at(span.clone(), format!("`set:{key}`: {message}"));
                        return None;
                    }
                    None => {
                        problems.at(
                            span.clone(),
                            format!("`set:{key}=…` takes a list of quoted routes"),
                        );
                        return None;
                    }
                }
            }
            Some(Setting::Routes(property.prop, routes))
        }
        (PropDefault::Routes(_), _) => {
            problems.at(
                span,
                format!(
                    "`set:{key}=…` takes a list of routes, e.g. set:{key}=[\"192.168.0.0/16\"]"
                ),
            );
            None
        }
    }
}

fn validate_expect(
    raw: Spanned<RawExpect>,
    flows: &[Flow],
    duration_ms: u64,
    problems: &mut Problems<'_>,
) -> Option<Expect> {
    let table_span = raw.span();
    let line = problems.line_of(&table_span);
    let raw = raw.into_inner();
    let names = || {
        let mut unique: Vec<&str> = Vec::new();
        for flow in flows {
            if !unique.contains(&flow.name.as_str()) {
                unique.push(&flow.name);
            }
        }
        list_choices(unique.into_iter())
    };
    let flow = match raw.flow {
        None => {
            problems.at(
                table_span.clone(),
                "this [[expect]] has no `flow`: name the flow it checks",
            );
            None
        }
        Some(name) => match flows.iter().find(|f| f.name == *name.get_ref()) {
            Some(flow) => Some((flow, name.span())),
            None => {
                let message = if flows.is_empty() {
                    format!(
                        "no flow is named `{}`: the file has no [[flow]]",
                        name.get_ref()
                    )
                } else {
                    format!(
                        "no flow is named `{}`: the flows are {}",
                        name.get_ref(),
                        names()
                    )
                };
                problems.at(name.span(), message);
                None
            }
        },
    };
    let at = match raw.at {
        None => {
            problems.at(
                table_span.clone(),
                "this [[expect]] has no `at` time: add e.g. at = \"6s\"",
            );
            None
        }
        Some(a) => duration_value(&a, "at", problems).map(|ms| (ms, a.span())),
    };
    let route = match raw.route {
        None => {
            problems.at(
                table_span,
                format!(
                    "this [[expect]] has no `route`: choose {}",
                    Route::choices()
                ),
            );
            None
        }
        Some(r) => {
            let parsed = Route::parse(r.get_ref());
            if parsed.is_none() {
                problems.at(
                    r.span(),
                    format!(
                        "`{}` is not a route: choose {}",
                        r.get_ref(),
                        Route::choices()
                    ),
                );
            }
            parsed
        }
    };
    let seen_as = raw.seen_as.and_then(|s| {
        let parsed = SeenAs::parse(s.get_ref());
        if parsed.is_none() {
            problems.at(
                s.span(),
                format!(
                    "`{}` is not a seen_as value: choose {}",
                    s.get_ref(),
                    SeenAs::choices()
                ),
            );
        }
        parsed
    });
    let interface = raw.interface.and_then(|s| {
        let parsed = Interface::parse(s.get_ref());
        if parsed.is_none() {
            problems.at(
                s.span(),
                format!(
                    "`{}` is not an interface: choose {}",
                    s.get_ref(),
                    Interface::choices()
                ),
            );
        }
        parsed
    });
    let ((flow, _), (at_ms, at_span)) = (flow?, at?);
    if at_ms < flow.open_ms || at_ms >= flow.close_ms || at_ms >= duration_ms {
        problems.at(
            at_span,
            format!(
                "flow `{}` is not open at {}: it is open from {} until (not including) {}",
                flow.name,
                duration::format(at_ms),
                duration::format(flow.open_ms),
                duration::format(flow.close_ms)
            ),
        );
        return None;
    }
    Some(Expect {
        flow: flow.name.clone(),
        at_ms,
        route: route?,
        seen_as,
        interface,
        line,
    })
}
