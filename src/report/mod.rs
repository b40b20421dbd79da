//! Renders traces, check results, the matrix and the knowledge base as text,
//! Markdown or JSON. Strings in, strings out: the CLI prints them, the
//! browser shows them.

pub mod document;
mod matrix;
pub mod presets;

pub use matrix::{Matrix, MatrixCell, MatrixOptions, default_releases as matrix_releases, matrix};

use crate::facts::{self, Evidence};
use crate::model::TunnelState;
use crate::model::list_choices;
use crate::scenario::duration;
use crate::trace::{AssumptionUse, ExpectationResult, RuleRef, Trace};
use crate::words;
use core::fmt::Write;
pub use document::{Block, Detail, Document, Item, Table};

/// The output formats a report can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Text, Format::Json, Format::Markdown];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Markdown => "markdown",
        }
    }

    pub fn parse(text: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a format: choose {}",
                    list_choices(Format::ALL.iter().map(|f| f.as_str()))
                )
            })
    }
}

fn span(from_ms: u64, to_ms: u64) -> String {
    format!("{}–{}", duration::format(from_ms), duration::format(to_ms))
}

fn chain(rules: &[RuleRef]) -> String {
    rules
        .iter()
        .map(|r| format!("{} [{}]", r.id, r.provenance.as_str()))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn flag(value: Option<bool>) -> String {
    match value {
        Some(true) => "on".into(),
        Some(false) => "off".into(),
        None => "n/a".into(),
    }
}

fn vpn_line(trace: &Trace) -> String {
    match &trace.scenario.vpn {
        None => "no VPN configured".to_string(),
        Some(v) => {
            let mut line = format!(
                "includeAllNetworks {} · excludeLocalNetworks {} · excludeAPNs {} · excludeCellularServices {} · excludeDeviceCommunication {} · enforceRoutes {} · on-demand {}",
                flag(v.include_all_networks),
                flag(v.exclude_local_networks),
                flag(v.exclude_apns),
                flag(v.exclude_cellular_services),
                flag(v.exclude_device_communication),
                flag(v.enforce_routes),
                flag(Some(v.on_demand)),
            );
            let join = |routes: &[crate::addresses::Cidr]| {
                routes
                    .iter()
                    .map(|r| r.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = write!(line, " · routes in: {}", join(&v.included_routes));
            if !v.excluded_routes.is_empty() {
                let _ = write!(line, " · routes out: {}", join(&v.excluded_routes));
            }
            line
        }
    }
}

/// Every rule cited in the trace, once, in order of first appearance.
pub(crate) fn cited_rules(trace: &Trace) -> Vec<&RuleRef> {
    let mut cited: Vec<&RuleRef> = Vec::new();
    for rule in trace
        .flows
        .iter()
        .flat_map(|f| &f.segments)
        .flat_map(|s| &s.rules)
    {
        if !cited.iter().any(|c| c.id == rule.id && c.says == rule.says) {
            cited.push(rule);
        }
    }
    cited
}

fn expectation_line(e: &ExpectationResult) -> String {
    let mut want = e.want.as_str().to_string();
    let mut got = e.got.as_str().to_string();
    if let Some(seen) = e.want_seen_as {
        let _ = write!(want, ", seen as {seen}");
        let _ = write!(got, ", seen as {}", e.got_seen_as);
    }
    if let Some(interface) = e.want_interface {
        let _ = write!(want, " on {interface}");
        let _ = write!(got, " on {}", e.got_interface);
    }
    if let Some(family) = e.want_family {
        let _ = write!(want, " over {}", crate::words::family(family));
        let _ = write!(got, " over {}", crate::words::family(e.got_family));
    }
    if e.ok {
        format!("{} at {}: {got}", e.flow, duration::format(e.at_ms))
    } else {
        format!(
            "{} at {}: want {want}, got {got}",
            e.flow,
            duration::format(e.at_ms)
        )
    }
}

/// A cited rule as a list item: what it says, its sources, and the
/// assumption it depends on with the value the run used.
pub(crate) fn rule_item(rule: &RuleRef, assumptions: &[AssumptionUse]) -> Item {
    let mut details = vec![
        Detail::Text(rule.says.to_string()),
        Detail::Cited("Source", rule.source),
    ];
    details.extend(rule.also.iter().map(|also| Detail::Cited("Also", also)));
    if let Some(key) = rule.assumption {
        let value = assumptions
            .iter()
            .find(|a| a.key == key)
            .map_or("?", |a| a.value.as_str());
        details.push(Detail::Text(format!(
            "Depends on the assumption `{key}` = {value} (flip it under [assume])"
        )));
    }
    Item {
        text: format!("`{}` [{}]", rule.id, rule.provenance.as_str()),
        details,
    }
}

fn heading(text: &str) -> Block {
    Block::Heading {
        text: text.to_string(),
        essential: true,
    }
}

fn table(header: &[&'static str], rows: Vec<Vec<String>>) -> Block {
    Block::Table(Table {
        header: header.to_vec(),
        rows,
    })
}

/// A run as a document: the setup, events, tunnel states, each flow's
/// segments with their rule chains, what the data plane and the servers
/// saw, the expectations, and every cited rule with its source.
pub fn document(trace: &Trace) -> Document {
    let s = &trace.scenario;
    let mut blocks = vec![
        Block::Paragraph(format!(
            "iOS {} · starts on {} · {} simulated · seed {}",
            s.ios,
            s.network,
            duration::format(s.duration_ms),
            s.seed
        )),
        Block::Paragraph(format!(
            "VPN: {}{}",
            vpn_line(trace),
            s.preset
                .and_then(crate::presets::find)
                .map(|p| format!(" (preset `{}`: {}, {})", p.name, p.vendor, p.setting))
                .or_else(|| s
                    .profile
                    .as_ref()
                    .map(|name| format!(" (from the profile \u{201c}{name}\u{201d})")))
                .unwrap_or_default()
        )),
    ];
    if let Some(stop) = &trace.stopped {
        blocks.push(Block::Paragraph(words::stopped(stop, s.duration_ms)));
    }
    if let Some(attack) = s.attack {
        blocks.push(Block::Paragraph(format!(
            "Wi-Fi: {} (`attack = \"{attack}\"`)",
            words::attack(attack)
        )));
    }
    let changed: Vec<String> = s
        .assumptions
        .iter()
        .filter(|a| !a.is_default)
        .map(|a| format!("`{} = {}`", a.key, a.value))
        .collect();
    blocks.push(Block::Paragraph(format!(
        "Assumptions: {}",
        if changed.is_empty() {
            "all at their defaults (see `tunnelscope facts`)".to_string()
        } else {
            format!("{} (others at their defaults)", changed.join(", "))
        }
    )));

    if !trace.events.is_empty() {
        blocks.push(heading("Events"));
        blocks.push(table(
            &["at", "event", "effect"],
            trace
                .events
                .iter()
                .map(|e| {
                    vec![
                        duration::format(e.at_ms),
                        format!("`{}`", e.action),
                        words::effect(&e.effect),
                    ]
                })
                .collect(),
        ));
    }
    blocks.push(heading("Phone and tunnel"));
    blocks.push(table(
        &["time", "network", "tunnel"],
        trace
            .states
            .iter()
            .map(|st| {
                vec![
                    span(st.from_ms, st.to_ms),
                    match (st.network, st.tunnel) {
                        (Some(n), _) => n.as_str(),
                        (None, TunnelState::Rebooting) => "none",
                        (None, _) => "airplane",
                    }
                    .to_string(),
                    format!(
                        "{}{}",
                        st.tunnel,
                        if st.include_all_networks {
                            " (includeAllNetworks set)"
                        } else {
                            ""
                        }
                    ),
                ]
            })
            .collect(),
    ));
    blocks.push(heading("Flows"));
    for flow in &trace.flows {
        let counts = match (flow.packets, flow.bytes, flow.dropped) {
            (Some(p), Some(b), Some(d)) => {
                format!(": {p} packets, {b} bytes, {d} dropped at the phone")
            }
            _ => String::new(),
        };
        blocks.push(Block::Paragraph(format!(
            "`{}` ({}){counts}",
            flow.name, flow.kind
        )));
        // A world with IPv6 says which version each segment uses.
        let with_ip = trace.scenario.has_ipv6();
        let headers: &[&str] = if with_ip {
            &[
                "time",
                "route",
                "interface",
                "IP",
                "seen as",
                "change",
                "rules",
            ]
        } else {
            &["time", "route", "interface", "seen as", "change", "rules"]
        };
        blocks.push(table(
            headers,
            flow.segments
                .iter()
                .map(|seg| {
                    let mut row = vec![
                        span(seg.from_ms, seg.to_ms),
                        seg.route.to_string(),
                        seg.interface.to_string(),
                        seg.seen_as.to_string(),
                        seg.change.as_str().to_string(),
                        chain(&seg.rules),
                    ];
                    if with_ip {
                        row.insert(3, crate::words::family(seg.on_wire).to_string());
                    }
                    row
                })
                .collect(),
        ));
    }
    if !trace.data_plane_events.is_empty() {
        blocks.push(heading("Data plane"));
        blocks.push(table(
            &["at", "flow", "what", "rule"],
            trace
                .data_plane_events
                .iter()
                .map(|e| {
                    vec![
                        duration::format(e.at_ms),
                        e.flow.clone(),
                        words::data_plane(e.what).to_string(),
                        format!("`{}`", e.rule),
                    ]
                })
                .collect(),
        ));
    }
    if !trace.observations.is_empty() {
        blocks.push(heading("What the servers saw"));
        blocks.push(table(
            &["at", "server", "flow", "source", "seen as"],
            trace
                .observations
                .iter()
                .map(|o| {
                    vec![
                        duration::format(o.at_ms),
                        o.server.to_string(),
                        o.flow.clone(),
                        o.source.clone(),
                        o.seen_as.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    if !trace.intercepted.is_empty() {
        blocks.push(heading("What the attacker's Wi-Fi read"));
        blocks.push(table(
            &["at", "flow", "from", "to"],
            trace
                .intercepted
                .iter()
                .map(|x| {
                    vec![
                        duration::format(x.at_ms),
                        x.flow.clone(),
                        x.source.clone(),
                        x.destination.clone(),
                    ]
                })
                .collect(),
        ));
    }
    if !trace.expectations.is_empty() {
        blocks.push(heading("Expectations"));
        blocks.push(table(
            &["", "expectation"],
            trace
                .expectations
                .iter()
                .map(|e| {
                    vec![
                        if e.ok { "ok" } else { "FAIL" }.to_string(),
                        expectation_line(e),
                    ]
                })
                .collect(),
        ));
    }
    blocks.push(heading("Rules cited"));
    blocks.push(Block::List {
        ordered: false,
        items: cited_rules(trace)
            .into_iter()
            .map(|r| rule_item(r, &s.assumptions))
            .collect(),
    });
    Document {
        title: s.title.clone(),
        blocks,
    }
}

/// A run as readable text ([`document`] for the terminal).
pub fn text(trace: &Trace) -> String {
    document(trace).text()
}

/// A run as Markdown, for support tickets and documentation.
pub fn markdown(trace: &Trace) -> String {
    document(trace).markdown()
}

/// The trace as pretty JSON (the stable contract described in the README).
pub fn json(trace: &Trace) -> String {
    serde_json::to_string_pretty(trace).expect("a trace always serializes")
}

/// Renders a run in the chosen format.
pub fn render(trace: &Trace, format: Format) -> String {
    match format {
        Format::Text => text(trace),
        Format::Json => json(trace) + "\n",
        Format::Markdown => markdown(trace),
    }
}

/// The result of `check` for one file: a summary line, then each failure as
/// want/got with the rule chain behind what was got.
pub fn check(file: &str, trace: &Trace) -> String {
    let total = trace.expectations.len();
    let failures: Vec<&ExpectationResult> = trace.failures().collect();
    let mut out = String::new();
    if let Some(stop) = &trace.stopped {
        let _ = writeln!(
            out,
            "STOP  {file}: {} Expectations from {} on were not checked.",
            words::stopped(stop, trace.scenario.duration_ms),
            duration::format(stop.at_ms)
        );
    }
    if failures.is_empty() {
        if trace.stopped.is_none() {
            let _ = writeln!(out, "ok    {file}: {total} expectations hold");
        }
        return out;
    }
    let _ = writeln!(
        out,
        "FAIL  {file}: {} of {total} expectations failed",
        failures.len()
    );
    for e in failures {
        let _ = writeln!(out, "  {file}:{}: {}", e.line, expectation_line(e));
        for (i, rule) in e.rules.iter().enumerate() {
            let _ = writeln!(
                out,
                "      {}. {} [{}] {}",
                i + 1,
                rule.id,
                rule.provenance.as_str(),
                rule.says
            );
            let _ = writeln!(out, "         source: {}", rule.source);
        }
    }
    out
}

/// The knowledge base as text or Markdown: properties, rules, assumptions.
pub fn facts(format: Format) -> String {
    match format {
        Format::Json => facts_json(),
        Format::Markdown => facts_document().markdown(),
        Format::Text => facts_document().text(),
    }
}

/// The knowledge base as a document: every property, rule and assumption
/// with its source, then every source once.
pub fn facts_document() -> Document {
    let properties = facts::PROPERTIES.iter().map(|p| {
        let default = match p.default {
            facts::PropDefault::Bool(b) => b.to_string(),
            facts::PropDefault::Routes(r) => format!("[{}]", r.join(", ")),
        };
        Item {
            text: format!(
                "`{}` ({}), iOS {}+, default {}",
                p.key, p.apple_name, p.since, default
            ),
            details: vec![
                Detail::Text(p.meaning.to_string()),
                Detail::Cited("Source", p.source),
            ],
        }
    });
    let rules = facts::RULES.iter().map(|r| {
        let assumption = r
            .assumption
            .map(|a| format!(" (assumption `{}`)", facts::assumption(a).key))
            .unwrap_or_default();
        Item {
            text: format!("`{}`, {}, {}{assumption}", r.id, r.ios, r.evidence.as_str()),
            details: vec![
                Detail::Text(r.says.to_string()),
                Detail::Cited("Source", r.source),
            ],
        }
    });
    let assumptions = facts::ASSUMPTIONS.iter().map(|a| {
        let (default, others) = match a.default {
            facts::AssumptionValue::Bool(b) => (b.to_string(), String::new()),
            facts::AssumptionValue::Millis(ms) => {
                (format!("\"{}\"", duration::format(ms)), String::new())
            }
            facts::AssumptionValue::Choice { value, of } => (
                format!("\"{value}\""),
                format!(
                    " (or {})",
                    crate::model::list_choices(of.iter().copied().filter(|c| *c != value))
                ),
            ),
        };
        Item {
            text: format!("`{} = {default}`{others}", a.key),
            details: vec![
                Detail::Text(a.meaning.to_string()),
                Detail::Labelled("Why an assumption", a.why.to_string()),
                Detail::Cited("Basis", a.basis),
            ],
        }
    });
    let list = |items: Vec<Item>| Block::List {
        ordered: false,
        items,
    };
    Document {
        title: "The tunnelscope knowledge base".into(),
        blocks: vec![
            Block::Paragraph(format!(
                "Generated by `tunnelscope facts` from `src/facts.rs`. Evidence: {}.",
                Evidence::ALL
                    .iter()
                    .map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(" / ")
            )),
            heading("Properties"),
            list(properties.collect()),
            heading("Rules"),
            list(rules.collect()),
            heading("Assumptions (flip under [assume])"),
            list(assumptions.collect()),
            heading("Every source cited"),
            list(
                facts::all_sources()
                    .into_iter()
                    .map(|source| Item {
                        text: source.to_string(),
                        details: Vec::new(),
                    })
                    .collect(),
            ),
        ],
    }
}

fn facts_json() -> String {
    let rules: Vec<RuleRef> = facts::RULES.iter().map(RuleRef::from).collect();
    let with_ranges: Vec<serde_json::Value> = facts::RULES
        .iter()
        .zip(rules)
        .map(|(r, rule_ref)| {
            let mut value = serde_json::to_value(rule_ref).expect("rules serialize");
            value["ios"] = serde_json::Value::String(r.ios.to_string());
            value
        })
        .collect();
    let properties: Vec<serde_json::Value> = facts::PROPERTIES
        .iter()
        .map(|p| {
            serde_json::json!({
                "key": p.key,
                "apple_name": p.apple_name,
                "since": p.since.to_string(),
                "default": match p.default {
                    facts::PropDefault::Bool(b) => serde_json::json!(b),
                    facts::PropDefault::Routes(r) => serde_json::json!(r),
                },
                "meaning": p.meaning,
                "provenance": p.evidence,
                "source": p.source,
            })
        })
        .collect();
    let assumptions: Vec<serde_json::Value> = facts::ASSUMPTIONS
        .iter()
        .map(|a| {
            serde_json::json!({
                "key": a.key,
                "default": match a.default {
                    facts::AssumptionValue::Bool(b) => serde_json::json!(b),
                    facts::AssumptionValue::Millis(ms) => serde_json::json!(duration::format(ms)),
                    facts::AssumptionValue::Choice { value, .. } => serde_json::json!(value),
                },
                "meaning": a.meaning,
                "why": a.why,
                "basis": a.basis,
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "properties": properties,
        "rules": with_ranges,
        "assumptions": assumptions,
    }))
    .expect("facts serialize")
        + "\n"
}
