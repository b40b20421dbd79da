//! Support mode: what a customer says ("no internet after updating the VPN
//! app") → the scenario that plays it out, a plain-language answer, and the
//! vendor-documented steps with what each one exposes. [`explain`] turns any
//! run into the text of a support ticket; the CLI prints it as text or
//! Markdown and the playground shows the same blocks on the page.
//!
//! The answers only repeat what the fact table and the scenario show: steps
//! cite rule ids from [`crate::facts::RULES`] (their evidence and sources
//! come from there), and what is reported but not modelled is listed as
//! such, with its own evidence kind.

use crate::facts::{self, AssumptionId, Evidence, Rule, Source};
use crate::model::{Network, Route};
use crate::report::{Block, Detail, Document, Item, rule_item};
use crate::scenario::duration;
use crate::trace::{Effect, RuleRef, Segment, Trace};
use crate::words;

/// Something a customer reports, and the answer.
#[derive(Debug)]
pub struct Symptom {
    /// Stable id, used by `tunnelscope explain` and in share links.
    pub id: &'static str,
    /// The symptom in the customer's words.
    pub asks: &'static str,
    /// The built-in scenario that plays it out.
    pub scenario: &'static str,
    /// The moment of that scenario where the symptom shows (the playground
    /// opens there, and a printed ticket shows the drawing then), and a flow
    /// whose route shows it.
    pub moment_ms: u64,
    pub shows: (&'static str, Route),
    /// The message for the customer, ready to send.
    pub customer: Customer,
    /// For the agent: what is going on, with the evidence named, one
    /// paragraph each.
    pub answer: &'static [&'static str],
    pub steps: &'static [Step],
    /// Reports that bear on the symptom but that the model does not play out.
    pub reports: &'static [Report],
    /// The assumptions the answer depends on: where the record is silent
    /// or the sources disagree.
    pub depends_on: &'static [AssumptionId],
}

/// The customer's part of an answer: plain words, no rule ids, file paths
/// or API names beyond a setting's name in the app; at most about 150
/// words in all (a test checks).
#[derive(Debug)]
pub struct Customer {
    /// What is going on, in a few sentences.
    pub says: &'static str,
    /// What to do, in order.
    pub steps: &'static [&'static str],
    /// Where reports disagree, said plainly ("" where they do not).
    pub differ: &'static str,
}

/// One thing the customer can do.
#[derive(Debug)]
pub struct Step {
    pub does: &'static str,
    /// What the step exposes, or costs, while it is in effect.
    pub exposes: &'static str,
    /// The rules (ids in the fact table) that say so.
    pub rules: &'static [&'static str],
    /// A built-in scenario that plays this step out.
    pub shown_in: Option<&'static str>,
}

/// A report the model does not play out, with its own evidence kind.
#[derive(Debug)]
pub struct Report {
    pub evidence: Evidence,
    pub says: &'static str,
    pub source: &'static Source,
}

mod finder;
mod symptoms;

pub use finder::{Finding, Match, find, find_symptoms};
pub use symptoms::SYMPTOMS;

pub fn symptom(id: &str) -> Option<&'static Symptom> {
    SYMPTOMS.iter().find(|s| s.id == id)
}

/// The symptom a built-in scenario answers, if any.
pub fn symptom_for_scenario(name: &str) -> Option<&'static Symptom> {
    SYMPTOMS.iter().find(|s| s.scenario == name)
}

pub fn symptom_choices() -> String {
    crate::model::list_choices(SYMPTOMS.iter().map(|s| s.id))
}

/// The fact-table row a step cites: the one for the scenario's release, or
/// the first row of that id.
fn step_rule(id: &str, ios: &str) -> Option<&'static Rule> {
    let ios = crate::version::IosVersion::parse(ios).ok();
    let rows = || facts::RULES.iter().filter(move |r| r.id == id);
    rows()
        .find(|r| ios.is_some_and(|v| r.ios.contains(v)))
        .or_else(|| rows().next())
}

fn same_path(a: &Segment, b: &Segment) -> bool {
    a.route == b.route && a.interface == b.interface && a.seen_as == b.seen_as
}

/// The run, moment by moment: what happened and where each flow went.
fn moments(trace: &Trace) -> Vec<Item> {
    let mut times: Vec<u64> = trace.events.iter().map(|e| e.at_ms).collect();
    times.extend(trace.states.iter().map(|s| s.from_ms));
    for flow in &trace.flows {
        times.extend(flow.segments.iter().map(|s| s.from_ms));
    }
    times.sort_unstable();
    times.dedup();

    let mut items = Vec::new();
    for at in times {
        let mut happened: Vec<String> = trace
            .events
            .iter()
            .filter(|e| e.at_ms == at)
            .map(|e| match &e.effect {
                // Which setting: the effect's words only say that one changed.
                Effect::SettingChanged { setting, .. } => {
                    format!("{} ({})", words::effect(&e.effect), words::setting(setting))
                }
                effect => words::effect(effect),
            })
            .collect();
        // State changes no event explains (a connect finishing, the reboot
        // completing): said in words of their own.
        if let Some(i) = trace.states.iter().position(|s| s.from_ms == at)
            && happened.is_empty()
        {
            let now = &trace.states[i];
            let before = i.checked_sub(1).map(|j| &trace.states[j]);
            if before.is_none_or(|b| b.network != now.network) {
                happened.push(words::network(now.network).to_string());
            }
            if before.is_none_or(|b| b.tunnel != now.tunnel) {
                happened.push(words::tunnel(now.tunnel).to_string());
            }
        }
        let mut details = Vec::new();
        let mut only_opening = true;
        for flow in &trace.flows {
            let Some(i) = flow.segments.iter().position(|s| s.from_ms == at) else {
                continue;
            };
            let segment = &flow.segments[i];
            let changed = i
                .checked_sub(1)
                .is_none_or(|j| !same_path(&flow.segments[j], segment));
            if changed {
                let opens = if i == 0 { " (opens)" } else { "" };
                only_opening &= i == 0;
                details.push(Detail::Text(format!(
                    "{}{opens}: {}",
                    flow.name,
                    words::route(segment)
                )));
            }
        }
        if happened.is_empty() && details.is_empty() {
            continue;
        }
        let text = if happened.is_empty() {
            let what = if only_opening {
                "a new connection opens"
            } else {
                "where traffic goes changes"
            };
            format!("{}: {what}", duration::format(at))
        } else {
            format!(
                "{}: {}",
                duration::format(at),
                capitalised(&happened.join("; "))
            )
        };
        items.push(Item { text, details });
    }
    items
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The path of a symptom's page in the playground's site, from its root.
pub fn page_path(id: &str) -> String {
    format!("support/{id}.html")
}

/// The ticket text for a run; with `symptom`, its answer and steps too.
/// `scenario_file` names where the scenario came from (a path or a name);
/// `playground` is the address of the playground's root (ending in `/`),
/// when known, for a link to the page that plays the run.
pub fn explain(
    trace: &Trace,
    scenario_file: &str,
    symptom: Option<&Symptom>,
    playground: Option<&str>,
) -> Document {
    let s = &trace.scenario;
    let title = symptom.map_or_else(|| s.title.clone(), |sy| sy.asks.to_string());
    let mut blocks = introduction(trace, scenario_file, symptom, playground);
    blocks.extend(what_the_simulation_shows(trace));
    // The steps' rules first, then the run's (as the trace carries them).
    let mut cited: Vec<RuleRef> = Vec::new();
    if let Some(sy) = symptom {
        blocks.extend(what_to_do(sy, &s.ios, &mut cited));
    }
    for rule in crate::report::cited_rules(trace) {
        cite(&mut cited, rule.clone());
    }
    blocks.extend(sources_and_assumptions(trace, symptom, &cited));
    Document { title, blocks }
}

/// A rule, once (the same id and words are cited once).
fn cite(cited: &mut Vec<RuleRef>, rule: RuleRef) {
    if !cited.iter().any(|c| c.id == rule.id && c.says == rule.says) {
        cited.push(rule);
    }
}

/// The scenario in a line, the link to its page, and what is happening.
fn introduction(
    trace: &Trace,
    scenario_file: &str,
    symptom: Option<&Symptom>,
    playground: Option<&str>,
) -> Vec<Block> {
    let s = &trace.scenario;
    let mut blocks = vec![Block::Paragraph(format!(
        "Scenario: {} ({scenario_file}), iOS {}, {}. {}.",
        s.title,
        s.ios,
        if s.network == Network::Wifi {
            "Wi-Fi"
        } else {
            "cellular"
        },
        match &s.vpn {
            None => "No VPN configured".to_string(),
            Some(v) => format!(
                "Kill switch (includeAllNetworks) {}",
                if v.include_all_networks == Some(true) {
                    "on"
                } else {
                    "off"
                }
            ),
        }
    ))];
    // The playground's own page for this answer or scenario.
    let page = match (symptom, crate::library::find(scenario_file)) {
        (Some(sy), _) => Some(page_path(sy.id)),
        (None, Some(built_in)) => Some(crate::library::page_path(built_in.name)),
        (None, None) => None,
    };
    match (page, playground) {
        (Some(page), Some(base)) => blocks.push(Block::Link {
            lead: "Watch it packet by packet: ".into(),
            address: format!("{base}{page}"),
        }),
        (Some(page), None) => blocks.push(Block::Paragraph(format!(
            "Watch it packet by packet in the tunnelscope playground (`make serve`): open `{page}` there."
        ))),
        (None, _) => {}
    }
    if let Some(sy) = symptom {
        blocks.push(Block::Heading {
            text: "What is happening".into(),
            essential: true,
        });
        blocks.extend(sy.answer.iter().map(|p| Block::Paragraph(p.to_string())));
    }
    blocks
}

fn plain_items(texts: impl IntoIterator<Item = String>) -> Vec<Item> {
    (texts.into_iter())
        .map(|text| Item {
            text,
            details: Vec::new(),
        })
        .collect()
}

/// The run moment by moment, and the packets the phone dropped.
fn what_the_simulation_shows(trace: &Trace) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading {
            text: "What the simulation shows".into(),
            essential: false,
        },
        Block::List {
            ordered: false,
            items: moments(trace),
        },
    ];
    let drops: Vec<String> = trace
        .flows
        .iter()
        .filter_map(|f| {
            let dropped = f.dropped.filter(|d| *d > 0)?;
            Some(format!(
                "{}: {dropped} packets dropped on the phone{} ({})",
                f.name,
                f.packets
                    .map_or(String::new(), |p| format!(", {p} sent or received")),
                f.kind.describe(),
            ))
        })
        .collect();
    if !drops.is_empty() {
        blocks.push(Block::Paragraph(
            "Packets the phone dropped, counted in the packet simulation (retransmissions included):".into(),
        ));
        blocks.push(Block::List {
            ordered: false,
            items: plain_items(drops),
        });
    }
    blocks
}

/// The steps, each with what it exposes and the rules that say so (cited
/// into `cited`), and the reports the model does not play out.
fn what_to_do(sy: &Symptom, ios: &str, cited: &mut Vec<RuleRef>) -> Vec<Block> {
    let mut items = Vec::new();
    for step in sy.steps {
        let rules: Vec<&'static Rule> = (step.rules.iter())
            .filter_map(|id| step_rule(id, ios))
            .collect();
        let mut details = vec![Detail::Labelled("Exposes", step.exposes.to_string())];
        details.push(Detail::Labelled(
            "Why",
            rules
                .iter()
                .map(|r| format!("`{}` [{}]", r.id, r.evidence.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        if let Some(built_in) = step.shown_in.and_then(crate::library::find) {
            details.push(Detail::PlayedOut(built_in));
        }
        for rule in rules {
            cite(cited, RuleRef::from(rule));
        }
        items.push(Item {
            text: step.does.to_string(),
            details,
        });
    }
    let mut blocks = vec![
        Block::Heading {
            text: "What to do".into(),
            essential: true,
        },
        Block::List {
            ordered: true,
            items,
        },
    ];
    if !sy.reports.is_empty() {
        blocks.push(Block::Heading {
            text: "Also reported (not played out by the model)".into(),
            essential: false,
        });
        blocks.push(Block::List {
            ordered: false,
            items: (sy.reports.iter())
                .map(|r| Item {
                    text: format!("[{}] {}", r.evidence.as_str(), r.says),
                    details: vec![Detail::Cited("Source", r.source)],
                })
                .collect(),
        });
    }
    blocks
}

/// Every cited rule with its evidence and source, then the assumptions the
/// answer relies on: set by the scenario, named by the symptom, or behind a
/// cited rule.
fn sources_and_assumptions(
    trace: &Trace,
    symptom: Option<&Symptom>,
    cited: &[RuleRef],
) -> Vec<Block> {
    let s = &trace.scenario;
    let mut blocks = vec![
        Block::Heading {
            text: "Sources".into(),
            essential: false,
        },
        Block::Paragraph(
            "Each rule says what kind of evidence it rests on: documented by Apple, observed by a vendor or researcher, reported in an issue or the press, inferred by tunnelscope, or unknown (the model follows a stated assumption).".into(),
        ),
        Block::List {
            ordered: false,
            items: cited.iter().map(|r| rule_item(r, &s.assumptions)).collect(),
        },
    ];
    let relied: Vec<Item> = s
        .assumptions
        .iter()
        .filter(|a| {
            let answer_needs = symptom.is_some_and(|sy| {
                (sy.depends_on.iter()).any(|d| facts::assumption(*d).key == a.key)
            });
            !a.is_default || answer_needs || cited.iter().any(|r| r.assumption == Some(a.key))
        })
        .map(|a| Item {
            text: format!(
                "`{}` = {}{}",
                a.key,
                a.value,
                if a.is_default {
                    ""
                } else {
                    " (set by this scenario)"
                }
            ),
            details: vec![Detail::Text(a.meaning.to_string())],
        })
        .collect();
    if !relied.is_empty() {
        blocks.push(Block::Heading {
            text: "Assumptions".into(),
            essential: false,
        });
        blocks.push(Block::Paragraph(
            "Where the public record is silent the model follows these; each can be flipped in the scenario's [assume] table or the playground.".into(),
        ));
        blocks.push(Block::List {
            ordered: false,
            items: relied,
        });
    }
    blocks
}

/// Who an answer is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The message to send: plain words and numbered steps.
    Customer,
    /// The notes behind it: rules, evidence, assumptions, sources.
    Agent,
    /// The message first, then the notes (the ticket, the Markdown export).
    Both,
}

/// The customer's message as blocks: what is going on, the steps, and
/// where reports differ.
fn customer_blocks(sy: &Symptom) -> Vec<Block> {
    let c = &sy.customer;
    let mut blocks = vec![
        Block::Paragraph(c.says.to_string()),
        Block::List {
            ordered: true,
            items: plain_items(c.steps.iter().map(|step| step.to_string())),
        },
    ];
    if !c.differ.is_empty() {
        blocks.push(Block::Paragraph(format!("Reports differ: {}", c.differ)));
    }
    blocks
}

/// The customer's message as text to paste into a reply, with the link
/// to the view when there is one.
pub fn customer_text(sy: &Symptom, link: Option<&str>) -> String {
    let c = &sy.customer;
    let mut out = format!("{}\n\n", c.says);
    for (i, step) in c.steps.iter().enumerate() {
        out.push_str(&format!("{}. {step}\n", i + 1));
    }
    if !c.differ.is_empty() {
        out.push_str(&format!("\nReports differ: {}\n", c.differ));
    }
    if let Some(link) = link {
        out.push_str(&format!(
            "\nYou can watch what happens, step by step: {link}\n"
        ));
    }
    out
}

/// The answer for `audience`: the customer's message, the agent's notes
/// ([`explain`]), or both, the message first. Without a symptom there is
/// only the notes.
pub fn answer(
    trace: &Trace,
    scenario_file: &str,
    symptom: Option<&Symptom>,
    playground: Option<&str>,
    audience: Audience,
) -> Document {
    let notes = explain(trace, scenario_file, symptom, playground);
    let Some(sy) = symptom else { return notes };
    let link = notes
        .blocks
        .iter()
        .find(|b| matches!(b, Block::Link { .. }))
        .cloned();
    match audience {
        Audience::Agent => notes,
        Audience::Customer => {
            let mut blocks = customer_blocks(sy);
            blocks.extend(link);
            Document {
                title: sy.asks.to_string(),
                blocks,
            }
        }
        Audience::Both => {
            let mut blocks = vec![Block::Heading {
                text: "Message for the customer".into(),
                essential: true,
            }];
            blocks.extend(customer_blocks(sy));
            blocks.extend(link);
            blocks.push(Block::Heading {
                text: "Notes for the agent".into(),
                essential: true,
            });
            blocks.push(Block::Paragraph(
                "The rules behind the message, their evidence, the assumptions it depends on and every source.".into(),
            ));
            blocks.extend((notes.blocks.into_iter()).filter(|b| !matches!(b, Block::Link { .. })));
            Document {
                title: sy.asks.to_string(),
                blocks,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library;

    fn explained(sy: &Symptom) -> (Trace, Document) {
        let built_in = library::find(sy.scenario).expect("the scenario is built in");
        let scenario = built_in.parse().expect("built-ins parse");
        let (trace, _) = crate::engine::simulate(&scenario);
        let explanation = explain(&trace, built_in.file, Some(sy), None);
        (trace, explanation)
    }

    /// The customer's part is ready to send: short, numbered, in plain
    /// words: no rule id, file path, snake_case key or API name.
    #[test]
    fn every_customer_message_is_short_and_plain() {
        let api_names = [
            "includeAllNetworks",
            "excludeLocalNetworks",
            "excludeAPNs",
            "excludeCellularServices",
            "excludeDeviceCommunication",
            "enforceRoutes",
            "tunnelRemoteAddress",
            "NEVPN",
            "APNs",
        ];
        for sy in SYMPTOMS {
            let built_in = library::find(sy.scenario).unwrap();
            let trace = crate::timeline::run(&built_in.parse().unwrap());
            let link = "https://tunnelscope.example/support/x/";
            let doc = answer(
                &trace,
                built_in.file,
                Some(sy),
                Some("https://tunnelscope.example/"),
                Audience::Customer,
            );
            let text = doc.text();
            let message = customer_text(sy, None);
            let words = message.split_whitespace().count();
            assert!(words <= 150, "{}: {words} words", sy.id);
            assert!(
                text.contains("\n1. "),
                "{}: steps are numbered\n{text}",
                sy.id
            );
            assert!(customer_text(sy, Some(link)).contains(link));
            for word in text.split_whitespace() {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                let snake = word.contains('_');
                let path = !word.starts_with("http")
                    && (word.contains(".toml") || word.contains(".swift") || word.contains("src/"));
                assert!(!snake && !path, "{}: {word:?} in\n{text}", sy.id);
            }
            for rule in crate::facts::RULES {
                assert!(
                    !text.contains(rule.id),
                    "{}: rule {} in\n{text}",
                    sy.id,
                    rule.id
                );
            }
            for name in api_names {
                assert!(!text.contains(name), "{}: {name} in\n{text}", sy.id);
            }
            assert_eq!(
                text.contains("Reports differ: "),
                !sy.customer.differ.is_empty(),
                "{}",
                sy.id
            );
        }
    }

    /// The agent's part carries what the customer's leaves out: the rules
    /// with their evidence, the assumptions the answer depends on, and
    /// every source as a link.
    #[test]
    fn the_agent_notes_name_rules_assumptions_and_linked_sources() {
        for sy in SYMPTOMS {
            let built_in = library::find(sy.scenario).unwrap();
            let trace = crate::timeline::run(&built_in.parse().unwrap());
            let md = answer(&trace, built_in.file, Some(sy), None, Audience::Agent).markdown();
            assert!(md.contains("## Sources"), "{}", sy.id);
            for step in sy.steps {
                for rule in step.rules {
                    assert!(md.contains(&format!("`{rule}`")), "{}: {rule}", sy.id);
                }
            }
            for id in sy.depends_on {
                let key = crate::facts::assumption(*id).key;
                assert!(md.contains(&format!("`{key}`")), "{}: {key}\n{md}", sy.id);
            }
            for line in md.lines().filter(|l| l.contains("Source: ")) {
                let rest = line.split("Source: ").nth(1).unwrap();
                assert!(
                    rest.starts_with("https://")
                        || rest.starts_with("inferred by tunnelscope")
                        || rest.starts_with("press accounts"),
                    "{}: {line}",
                    sy.id
                );
            }
            let both = answer(&trace, built_in.file, Some(sy), None, Audience::Both).markdown();
            let message = both.find("## Message for the customer").unwrap();
            let notes = both.find("## Notes for the agent").unwrap();
            assert!(message < notes, "{}", sy.id);
        }
    }

    #[test]
    fn there_are_sixteen_symptoms_or_more_covering_every_theme() {
        assert!(SYMPTOMS.len() >= 16, "{}", SYMPTOMS.len());
        // facts-round3.md's second list, a symptom each.
        for id in [
            "connected-no-internet",
            "webrtc-leak",
            "dns-cellular",
            "captive-portal",
            "carplay",
            "apple-watch",
            "app-store-icloud",
            "push-only-wifi",
            "vpn-stuck-kill-switch",
        ] {
            assert!(symptom(id).is_some(), "{id}");
        }
    }

    #[test]
    fn every_symptom_the_issue_lists_is_answered() {
        for id in [
            "no-internet-after-update",
            "push-missing",
            "airdrop-airplay-broken",
            "mms-wifi-calling-broken",
            "hotspot-clients-offline",
            "leaks-during-update",
        ] {
            assert!(symptom(id).is_some(), "no answer for {id}");
        }
        let mut ids: Vec<_> = SYMPTOMS.iter().map(|s| s.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), SYMPTOMS.len(), "symptom ids are unique");
    }

    #[test]
    fn each_symptom_maps_to_a_scenario_whose_expectations_hold() {
        for sy in SYMPTOMS {
            let (trace, _) = explained(sy);
            assert!(
                !trace.expectations.is_empty(),
                "{} checks nothing",
                sy.scenario
            );
            let failures: Vec<_> = trace.failures().collect();
            assert!(failures.is_empty(), "{}: {failures:#?}", sy.id);
            assert!(
                library::find(sy.id).is_none(),
                "symptom id {} is also a scenario name",
                sy.id
            );
            for step in sy.steps {
                if let Some(name) = step.shown_in {
                    let other = library::find(name)
                        .unwrap_or_else(|| panic!("{}: no scenario {name}", sy.id));
                    let trace = crate::timeline::run(&other.parse().expect("parses"));
                    assert_eq!(trace.failures().count(), 0, "{name}");
                }
            }
        }
    }

    #[test]
    fn each_symptom_shows_at_its_moment() {
        for sy in SYMPTOMS {
            let (trace, _) = explained(sy);
            assert!(sy.moment_ms < trace.scenario.duration_ms, "{}", sy.id);
            let (flow, route) = sy.shows;
            let got = trace
                .flow(flow)
                .unwrap_or_else(|| panic!("{}: no flow {flow}", sy.id))
                .segment_at(sy.moment_ms)
                .map(|s| s.route);
            assert_eq!(got, Some(route), "{}: {flow} at {} ms", sy.id, sy.moment_ms);
        }
    }

    #[test]
    fn every_step_cites_rules_that_exist_and_says_what_it_exposes() {
        for sy in SYMPTOMS {
            assert!(!sy.steps.is_empty(), "{} has no steps", sy.id);
            for step in sy.steps {
                assert!(
                    !step.rules.is_empty(),
                    "{}: {} cites nothing",
                    sy.id,
                    step.does
                );
                assert!(!step.exposes.is_empty());
                for id in step.rules {
                    assert!(step_rule(id, "18.2").is_some(), "{}: no rule `{id}`", sy.id);
                }
            }
        }
    }

    #[test]
    fn the_update_loop_answer_plays_out_and_cites_its_sources() {
        let sy = symptom("no-internet-after-update").unwrap();
        let (_, explanation) = explained(sy);
        let md = explanation.markdown();
        assert!(
            md.starts_with("# No internet after updating the VPN app\n"),
            "{md}"
        );
        for needle in [
            "## What is happening",
            "## What the simulation shows",
            "## What to do",
            "1. Restart the iPhone.",
            "4. If your VPN app warns about updates",
            "   - Exposes: Everything goes outside the tunnel",
            "`update.ian-blocks-all` [observed]",
            "https://mullvad.net/en/blog/why-we-still-dont-use-includeallnetworks",
            "`update_retry_delay` = 40s (set by this scenario)",
            "app-store: is dropped on the phone: no connection",
            "browser: goes through the VPN tunnel; servers see the VPN's address",
        ] {
            assert!(md.contains(needle), "missing {needle:?} in\n{md}");
        }
        // The moments come in time order, and the App Store's dropped
        // retransmissions are counted.
        let shows = md.split("## What the simulation shows").nth(1).unwrap();
        let at = |t: &str| {
            shows
                .find(&format!("- {t}: "))
                .unwrap_or_else(|| panic!("{t}"))
        };
        assert!(at("0s") < at("20s") && at("20s") < at("1m30s"));
        assert!(
            md.contains("- app-store: 10 packets dropped on the phone"),
            "{md}"
        );
    }

    #[test]
    fn text_and_markdown_say_the_same() {
        let sy = symptom("hotspot-clients-offline").unwrap();
        let (_, explanation) = explained(sy);
        let text = explanation.text();
        let md = explanation.markdown();
        assert!(text.starts_with("Devices on my Personal Hotspot have no internet\n====="));
        assert!(!text.contains('`'));
        for needle in [
            "ian.blocks-hotspot [reported]",
            "hotspot_clients_outside_tunnel = false",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
            assert!(
                md.contains(
                    &needle
                        .replace("ian.blocks-hotspot", "`ian.blocks-hotspot`")
                        .replace(
                            "hotspot_clients_outside_tunnel",
                            "`hotspot_clients_outside_tunnel`"
                        )
                ),
                "{needle:?} in\n{md}"
            );
        }
    }

    #[test]
    fn a_scenario_without_a_symptom_still_explains_itself() {
        let built_in = library::find("wifi-to-cellular").unwrap();
        let trace = crate::timeline::run(&built_in.parse().unwrap());
        let explanation = explain(&trace, built_in.file, None, None);
        let md = explanation.markdown();
        assert!(md.starts_with(&format!("# {}\n", trace.scenario.title)));
        assert!(!md.contains("## What to do"));
        assert!(md.contains("## Sources"));
        assert!(md.contains("cellular (pdp_ip0)"), "{md}");
    }
}
