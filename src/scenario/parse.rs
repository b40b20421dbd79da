//! TOML text → validated [`Scenario`], with a line and column for every
//! problem.

use super::document::{Node, Table, Value};
use super::duration;
use super::{
    Action, Event, Expect, Flow, MAX_EVENTS, MAX_EXPECTS, MAX_FILE_BYTES, MAX_FLOWS, MAX_ROUTES,
    MAX_TITLE_CHARS, Scenario, ScenarioError, ScenarioErrors, Setting,
};
use crate::addresses::Cidr;
use crate::config::{Assumptions, VpnConfig};
use crate::facts::{self, AssumptionValue, PropDefault};
use crate::model::{
    Attack, Family, FamilyChoice, FlowKind, Interface, IpMode, IpModes, Network, Route, SeenAs,
    list_choices,
};
use crate::presets;
use crate::version::IosVersion;
use std::ops::Range;

/// A time in milliseconds and where the file wrote it.
type TimeAt = (u64, Range<usize>);

/// Maps byte offsets to 1-based line and column (in characters). The
/// lines' starts are found once: every flow and event asks for its line.
struct Positions<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Positions<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Positions { text, line_starts }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|start| *start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.text[line_start..offset].chars().count() + 1;
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

    /// What the file wrote at `span`, shortened for a message.
    fn written(&self, span: &Range<usize>) -> String {
        let text = self.positions.text;
        let start = floor_char_boundary(text, span.start);
        let end = floor_char_boundary(text, span.end.max(start));
        let written = &text[start..end];
        match written.char_indices().nth(40) {
            Some((cut, _)) => format!("{}…", &written[..cut]),
            None => written.to_string(),
        }
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        self.positions.at(span.start).0
    }
}

/// Parses and validates a scenario file's text.
pub fn parse(text: &str) -> Result<Scenario, ScenarioErrors> {
    let mut problems = Problems {
        positions: Positions::new(text),
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
    let document = match Table::parse(text) {
        Ok(document) => document,
        Err(syntax) => {
            for (span, message) in syntax {
                problems.at(span, message);
            }
            return Err(ScenarioErrors(problems.list));
        }
    };
    let shape_problems = super::shape::check(&document);
    if !shape_problems.is_empty() {
        for (span, message) in shape_problems {
            problems.at(span, message);
        }
        return Err(ScenarioErrors(problems.list));
    }
    let scenario = validate(&document, &mut problems);
    match scenario {
        Some(s) if problems.list.is_empty() => Ok(s),
        _ => {
            problems.list.sort_by_key(|e| (e.line, e.column));
            Err(ScenarioErrors(problems.list))
        }
    }
}

/// The value under `key` when it has the expected type; a wrong type is
/// reported where it is written, naming what was expected.
fn typed<'t, T>(
    table: &'t Table,
    key: &str,
    expected: &str,
    read: impl Fn(&'t Value) -> Option<T>,
    problems: &mut Problems<'_>,
) -> Option<(T, Range<usize>)> {
    let node = table.get(key)?;
    match read(&node.value) {
        Some(value) => Some((value, node.span.clone())),
        None => {
            let found = problems.written(&node.span);
            problems.at(
                node.span.clone(),
                format!(
                    "`{key}` must be {expected} (found {} `{found}`)",
                    node.value.type_name()
                ),
            );
            None
        }
    }
}

fn string<'t>(
    table: &'t Table,
    key: &str,
    problems: &mut Problems<'_>,
) -> Option<(&'t str, Range<usize>)> {
    typed(table, key, "a quoted string", Value::as_str, problems)
}

fn boolean(table: &Table, key: &str, problems: &mut Problems<'_>) -> Option<(bool, Range<usize>)> {
    typed(table, key, "true or false", Value::as_bool, problems)
}

fn as_list(value: &Value) -> Option<&Vec<Node>> {
    match value {
        Value::Array(items) => Some(items),
        _ => None,
    }
}

/// The tables of an array of tables (the shape pass has checked them).
fn tables<'t>(document: &'t Table, key: &str) -> Vec<(&'t Table, Range<usize>)> {
    match document.get(key).map(|n| &n.value) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| i.value.as_table().map(|t| (t, i.span.clone())))
            .collect(),
        _ => Vec::new(),
    }
}

/// A string naming one of a set (`attack`, `preset`): what it names, or a
/// problem listing the valid names.
fn named<T>(
    table: &Table,
    key: &str,
    what: &str,
    find: impl Fn(&str) -> Option<T>,
    choices: impl Fn() -> String,
    problems: &mut Problems<'_>,
) -> Option<T> {
    let (text, span) = string(table, key, problems)?;
    let found = find(text);
    if found.is_none() {
        problems.at(
            span,
            format!("`{text}` is not {what}: choose {}", choices()),
        );
    }
    found
}

fn whole_file() -> Range<usize> {
    0..0
}

fn validate(document: &Table, problems: &mut Problems<'_>) -> Option<Scenario> {
    let has_title = document.get("title").is_some();
    let title = match string(document, "title", problems) {
        None if has_title => String::new(),
        None => {
            problems.at(
                whole_file(),
                "missing `title`: every scenario needs a one-line title, e.g. title = \"iOS 16.1: push leaves the tunnel\"",
            );
            String::new()
        }
        Some((value, span)) => {
            if value.trim().is_empty() {
                problems.at(span, "`title` is empty: give the scenario a one-line title");
            } else if value.chars().count() > MAX_TITLE_CHARS {
                problems.at(
                    span,
                    format!("`title` is longer than {MAX_TITLE_CHARS} characters"),
                );
            }
            value.to_string()
        }
    };

    let has_ios = document.get("ios").is_some();
    let ios = match string(document, "ios", problems) {
        None if has_ios => None,
        None => {
            problems.at(
                whole_file(),
                "missing `ios`: say which iOS release the phone runs, e.g. ios = \"16.4\"",
            );
            None
        }
        Some((text, span)) => match IosVersion::parse(text) {
            Ok(version) => Some(version),
            Err(message) => {
                problems.at(span, message);
                None
            }
        },
    };

    let network = match string(document, "network", problems) {
        None => Network::Wifi,
        Some((text, span)) => Network::parse(text).unwrap_or_else(|| {
            problems.at(
                span,
                format!("`{text}` is not a network: choose {}", Network::choices()),
            );
            Network::Wifi
        }),
    };

    let mut ip_mode = |key| {
        named(
            document,
            key,
            "an IP mode",
            IpMode::parse,
            IpMode::choices,
            problems,
        )
        .unwrap_or(IpMode::Ipv4Only)
    };
    let ip = IpModes {
        wifi: ip_mode("wifi_ip"),
        cellular: ip_mode("cellular_ip"),
    };
    let attack = named(
        document,
        "attack",
        "an attack",
        Attack::parse,
        Attack::choices,
        problems,
    );

    let integer = |v: &Value| match v {
        Value::Integer(n) => Some(*n),
        _ => None,
    };
    let seed = match typed(document, "seed", "a whole number", integer, problems) {
        None => 0,
        Some((n, span)) if n < 0 => {
            problems.at(span, "`seed` must be zero or a positive whole number");
            0
        }
        Some((n, _)) => n as u64,
    };

    let notifications = boolean(document, "notifications", problems).is_none_or(|(on, _)| on);

    // Without a valid release nothing version-dependent can be checked; the
    // rest of the file is still checked for the problems it can have.
    let ios_for_checks = ios.unwrap_or(IosVersion::new(26, 0, 0));
    let preset = named(
        document,
        "preset",
        "a preset",
        presets::find,
        presets::choices,
        problems,
    );
    // A preset configures the VPN; `[vpn]` keys override what it sets.
    let base = || {
        preset.map_or_else(
            || VpnConfig::defaults(ios_for_checks),
            |p| p.config(ios_for_checks),
        )
    };
    let vpn = match document.get("vpn").and_then(|v| v.value.as_table()) {
        Some(table) => Some(validate_vpn(
            table,
            base(),
            ios_for_checks,
            ios.is_some(),
            problems,
        )),
        None => preset.map(|_| base()),
    };
    let assume = match document.get("assume").and_then(|a| a.value.as_table()) {
        Some(table) => {
            let assume = validate_assume(table, problems);
            if let Some(ios) = ios {
                assumptions_the_release_has(table, &assume, ios, problems);
            }
            assume
        }
        None => Assumptions::default(),
    };

    let (raw_flows, raw_events, raw_expects) = (
        tables(document, "flow"),
        tables(document, "event"),
        tables(document, "expect"),
    );
    for (list, limit, what) in [
        (&raw_flows, MAX_FLOWS, "flows"),
        (&raw_events, MAX_EVENTS, "events"),
        (&raw_expects, MAX_EXPECTS, "expectations"),
    ] {
        if list.len() > limit {
            problems.at(
                list[limit].1.clone(),
                format!("{} {what}: a scenario may have at most {limit}", list.len()),
            );
            return None;
        }
    }

    let flows: Vec<(Flow, Option<TimeAt>)> = raw_flows
        .into_iter()
        .map(|f| validate_flow(f, problems))
        .collect();
    // Each name's first line, looked up rather than searched for: a file
    // may have a thousand flows.
    // (Its index too: flows written inline may share a line.)
    let mut first_lines: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for (i, (flow, _)) in flows.iter().enumerate() {
        if flow.name.is_empty() {
            continue;
        }
        let (first, line) = *first_lines
            .entry(flow.name.as_str())
            .or_insert((i, flow.line));
        if first != i {
            let message = format!(
                "flow name `{}` is already used on line {line}: names must be unique",
                flow.name
            );
            problems.list.push(ScenarioError {
                line: flow.line,
                column: 1,
                message,
            });
        }
    }

    let mut events: Vec<Event> = raw_events
        .into_iter()
        .enumerate()
        .filter_map(|(position, e)| {
            validate_event(e, ios_for_checks, ios.is_some(), vpn.is_some(), problems)
                .map(|event| Event { position, ..event })
        })
        .collect();
    events.sort_by_key(|e| e.at_ms);

    let last_event = events.iter().map(|e| e.at_ms).max().unwrap_or(0);
    let last_open = flows.iter().map(|(f, _)| f.open_ms).max().unwrap_or(0);
    let duration_ms = match document.get("duration") {
        None => (last_event.max(last_open) + 30_000).min(duration::MAX_MS),
        Some(d) => match duration_value(d, "duration", problems) {
            Some(0) => {
                problems.at(d.span.clone(), "`duration` must be longer than 0s");
                1
            }
            Some(ms) => ms,
            None => duration::MAX_MS,
        },
    };

    let moment_ms = document.get("moment").and_then(|m| {
        let ms = duration_value(m, "moment", problems)?;
        if ms >= duration_ms {
            problems.at(
                m.span.clone(),
                format!(
                    "`moment` ({}) is not before the scenario's end ({})",
                    duration::format(ms),
                    duration::format(duration_ms)
                ),
            );
            return None;
        }
        Some(ms)
    });

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

    // Each name's first flow, looked up for every expectation (a file may
    // have ten thousand, naming a thousand flows).
    let mut by_name: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, flow) in flows.iter().enumerate() {
        by_name.entry(flow.name.as_str()).or_insert(i);
    }
    let expects: Vec<Expect> = raw_expects
        .into_iter()
        .filter_map(|e| validate_expect(e, (&flows, &by_name), duration_ms, problems))
        .collect();

    Some(Scenario {
        title,
        ios: ios?,
        network,
        attack,
        ip,
        duration_ms,
        moment_ms,
        seed,
        notifications,
        vpn,
        preset: preset.map(|p| p.name),
        profile: None,
        assume,
        flows,
        events,
        expects,
    })
}

fn duration_value(node: &Node, key: &str, problems: &mut Problems<'_>) -> Option<u64> {
    match &node.value {
        Value::String(text) => match duration::parse(text) {
            Ok(ms) => Some(ms),
            Err(message) => {
                problems.at(node.span.clone(), format!("`{key}`: {message}"));
                None
            }
        },
        other => {
            let found = problems.written(&node.span);
            problems.at(
                node.span.clone(),
                format!(
                    "`{key}` must be a quoted duration with a unit, e.g. {key} = \"5s\" (found {} `{found}`)",
                    other.type_name()
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
    table: &Table,
    mut vpn: VpnConfig,
    ios: IosVersion,
    ios_known: bool,
    problems: &mut Problems<'_>,
) -> VpnConfig {
    for property in facts::PROPERTIES {
        let key = property.key;
        match property.default {
            PropDefault::Bool(_) => {
                let Some((value, span)) = boolean(table, key, problems) else {
                    continue;
                };
                if check_available(key, span, ios, ios_known, problems) {
                    Setting::Flag(property.prop, value).apply(&mut vpn);
                }
            }
            PropDefault::Routes(_) => {
                let Some((items, span)) = typed(table, key, "a list of routes", as_list, problems)
                else {
                    continue;
                };
                if items.len() > MAX_ROUTES {
                    problems.at(span, format!("`{key}` lists more than {MAX_ROUTES} routes"));
                    continue;
                }
                if !check_available(key, span, ios, ios_known, problems) {
                    continue;
                }
                let mut routes = Vec::new();
                for item in items {
                    match item.value.as_str().map(Cidr::parse) {
                        Some(Ok(cidr)) => routes.push(cidr),
                        Some(Err(message)) => {
                            problems.at(item.span.clone(), format!("`{key}`: {message}"))
                        }
                        None => problems.at(
                            item.span.clone(),
                            format!(
                                "`{key}` lists routes in quotes, e.g. \"10.0.0.0/8\" (found {})",
                                item.value.type_name()
                            ),
                        ),
                    }
                }
                Setting::Routes(property.prop, routes).apply(&mut vpn);
            }
        }
    }
    vpn
}

/// An assumption set away from its default on a release where none of its
/// rules exists would change nothing: an error naming the releases it
/// speaks for (e.g. `push_without_kill_switch` on iOS 16.4).
fn assumptions_the_release_has(
    table: &Table,
    assume: &Assumptions,
    ios: IosVersion,
    problems: &mut Problems<'_>,
) {
    for (key, _) in &table.entries {
        let Some(assumption) = facts::assumption_by_key(&key.name) else {
            continue;
        };
        if assume.value(assumption.id) == assumption.default {
            continue;
        }
        if facts::assumption_applies(assumption.id, ios) {
            continue;
        }
        let releases = facts::assumption_releases_in_words(assumption.id);
        problems.at(
            key.span.clone(),
            format!(
                "`{}` changes nothing on iOS {ios}: it applies to {releases}",
                assumption.key
            ),
        );
    }
}

fn validate_assume(table: &Table, problems: &mut Problems<'_>) -> Assumptions {
    let mut assume = Assumptions::default();
    for (key, node) in &table.entries {
        let Some(assumption) = facts::assumption_by_key(&key.name) else {
            problems.at(
                key.span.clone(),
                format!(
                    "unknown assumption `{}`: the assumptions are {}",
                    key.name,
                    list_choices(facts::ASSUMPTIONS.iter().map(|a| a.key))
                ),
            );
            continue;
        };
        match assumption.default {
            AssumptionValue::Bool(_) => {
                if let Some((b, _)) = boolean(table, assumption.key, problems) {
                    assume.set(assumption.id, AssumptionValue::Bool(b));
                }
            }
            AssumptionValue::Millis(_) => {
                if let Some(ms) = duration_value(node, assumption.key, problems) {
                    assume.set(assumption.id, AssumptionValue::Millis(ms));
                }
            }
            AssumptionValue::Choice { of, .. } => {
                if let Some((text, span)) = string(table, assumption.key, problems) {
                    match of.iter().find(|c| **c == text) {
                        Some(value) => {
                            assume.set(assumption.id, AssumptionValue::Choice { value, of })
                        }
                        None => problems.at(
                            span,
                            format!(
                                "`{text}` is not an outcome of `{}`: choose {}",
                                assumption.key,
                                list_choices(of.iter().copied())
                            ),
                        ),
                    }
                }
            }
        }
    }
    assume
}

fn validate_flow(
    (table, table_span): (&Table, Range<usize>),
    problems: &mut Problems<'_>,
) -> (Flow, Option<TimeAt>) {
    let line = problems.line_of(&table_span);
    let name = match string(table, "name", problems) {
        Some((n, _)) if !n.trim().is_empty() => n.to_string(),
        Some((_, span)) => {
            problems.at(span, "flow `name` is empty");
            String::new()
        }
        None if table.get("name").is_some() => String::new(),
        None => {
            problems.at(
                table_span.clone(),
                "this [[flow]] has no `name`: give it one, e.g. name = \"push\"",
            );
            String::new()
        }
    };
    let kind = match string(table, "kind", problems) {
        Some((k, span)) => FlowKind::parse(k).unwrap_or_else(|| {
            problems.at(
                span,
                format!("`{k}` is not a flow kind: choose {}", FlowKind::choices()),
            );
            FlowKind::App
        }),
        None if table.get("kind").is_some() => FlowKind::App,
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
    let open_ms = match table.get("open") {
        Some(o) => duration_value(o, "open", problems).unwrap_or(0),
        None => {
            problems.at(
                table_span,
                format!("flow `{name}` has no `open` time: add e.g. open = \"0s\""),
            );
            0
        }
    };
    let family = named(
        table,
        "family",
        "an IP version choice",
        FamilyChoice::parse,
        FamilyChoice::choices,
        problems,
    )
    .unwrap_or(FamilyChoice::Auto);
    let close = table
        .get("close")
        .and_then(|c| duration_value(c, "close", problems).map(|ms| (ms, c.span.clone())));
    let flow = Flow {
        name,
        kind,
        family,
        open_ms,
        close_ms: 0,
        line,
    };
    (flow, close)
}

fn validate_event(
    (table, table_span): (&Table, Range<usize>),
    ios: IosVersion,
    ios_known: bool,
    has_vpn: bool,
    problems: &mut Problems<'_>,
) -> Option<Event> {
    let line = problems.line_of(&table_span);
    let at_ms = match table.get("at") {
        Some(a) => duration_value(a, "at", problems),
        None => {
            problems.at(
                table_span.clone(),
                "this [[event]] has no `at` time: add e.g. at = \"5s\"",
            );
            None
        }
    };
    let has_action = table.get("do").is_some();
    let Some((text, span)) = string(table, "do", problems) else {
        if !has_action {
            problems.at(
                table_span,
                format!(
                    "this [[event]] has no `do`: choose {}",
                    super::event_choices()
                ),
            );
        }
        return None;
    };
    let action = match text {
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
        "update-available" => Some(Action::UpdateAvailable),
        "app-update" => {
            let length = match table.get("duration") {
                Some(d) => match duration_value(d, "duration", problems) {
                    Some(0) => {
                        problems.at(d.span.clone(), "an update takes longer than 0s");
                        None
                    }
                    other => other,
                },
                None => Some(super::DEFAULT_UPDATE_MS),
            };
            length.map(Action::AppUpdate)
        }
        "reboot" => Some(Action::Reboot),
        other => {
            problems.at(
                span.clone(),
                format!(
                    "`{other}` is not an event: choose {}",
                    super::event_choices()
                ),
            );
            None
        }
    }?;
    if let Some(d) = table.get("duration")
        && !matches!(action, Action::AppUpdate(_))
    {
        problems.at(
            d.span.clone(),
            format!("only an \"app-update\" event takes a `duration`; `{text}` does not"),
        );
    }
    let needs_vpn = super::event_keyword(text).is_some_and(|k| k.needs_vpn);
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
        text: text.to_string(),
        line,
        position: 0,
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
    let parsed = Table::parse(&format!("value = {}", value.trim()));
    let value = parsed
        .ok()
        .and_then(|t| t.get("value").map(|n| n.value.clone()));
    match (property.default, value) {
        (PropDefault::Bool(_), Some(Value::Boolean(b))) => Some(Setting::Flag(property.prop, b)),
        (PropDefault::Bool(_), _) => {
            problems.at(span, format!("`set:{key}=…` takes true or false"));
            None
        }
        (PropDefault::Routes(_), Some(Value::Array(items))) => {
            let mut routes = Vec::new();
            for item in items {
                match item.value.as_str().map(Cidr::parse) {
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
    (table, table_span): (&Table, Range<usize>),
    (flows, by_name): (&[Flow], &std::collections::BTreeMap<&str, usize>),
    duration_ms: u64,
    problems: &mut Problems<'_>,
) -> Option<Expect> {
    let line = problems.line_of(&table_span);
    let names = || {
        let mut unique: Vec<&str> = Vec::new();
        for flow in flows {
            if !unique.contains(&flow.name.as_str()) {
                unique.push(&flow.name);
            }
        }
        list_choices(unique.into_iter())
    };
    let flow = match string(table, "flow", problems) {
        None if table.get("flow").is_some() => None,
        None => {
            problems.at(
                table_span.clone(),
                "this [[expect]] has no `flow`: name the flow it checks",
            );
            None
        }
        Some((name, span)) => match by_name.get(name).map(|i| &flows[*i]) {
            Some(flow) => Some((flow, span)),
            None => {
                let message = if flows.is_empty() {
                    format!("no flow is named `{name}`: the file has no [[flow]]")
                } else {
                    format!("no flow is named `{name}`: the flows are {}", names())
                };
                problems.at(span, message);
                None
            }
        },
    };
    let at = match table.get("at") {
        None => {
            problems.at(
                table_span.clone(),
                "this [[expect]] has no `at` time: add e.g. at = \"6s\"",
            );
            None
        }
        Some(a) => duration_value(a, "at", problems).map(|ms| (ms, a.span.clone())),
    };
    let route = match string(table, "route", problems) {
        None if table.get("route").is_some() => None,
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
        Some((r, span)) => {
            let parsed = Route::parse(r);
            if parsed.is_none() {
                problems.at(
                    span,
                    format!("`{r}` is not a route: choose {}", Route::choices()),
                );
            }
            parsed
        }
    };
    let seen_as = string(table, "seen_as", problems).and_then(|(s, span)| {
        let parsed = SeenAs::parse(s);
        if parsed.is_none() {
            problems.at(
                span,
                format!("`{s}` is not a seen_as value: choose {}", SeenAs::choices()),
            );
        }
        parsed
    });
    let interface = string(table, "interface", problems).and_then(|(s, span)| {
        let parsed = Interface::parse(s);
        if parsed.is_none() {
            problems.at(
                span,
                format!("`{s}` is not an interface: choose {}", Interface::choices()),
            );
        }
        parsed
    });
    let family = named(
        table,
        "family",
        "an IP version",
        Family::parse,
        Family::choices,
        problems,
    );
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
        family,
        line,
    })
}
