//! The views rendered natively, as the site build renders them: what a
//! person sees before any script runs.

use super::*;
use crate::library;
use crate::playground::DEFAULT_SCENARIO;

fn text_of(html: &str) -> String {
    // Tags out, entities of the kinds yew writes back.
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// The opening tags of the topology drawings (not the timeline's lanes).
fn drawings(html: &str) -> Vec<&str> {
    html.split("<svg")
        .skip(1)
        .map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())])
        .filter(|tag| tag.contains("Network topology"))
        .collect()
}

#[test]
fn the_index_shows_the_default_scenario_drawn_in_both_layouts() {
    let html = app(Page::Index);
    let default = library::find(DEFAULT_SCENARIO).unwrap();
    assert!(
        text_of(&html).contains(default.title),
        "the title is on the page"
    );
    // The scenario and, beside it, the same with the kill switch flipped:
    // each in both layouts (the stylesheet shows what fits).
    let svgs = drawings(&html);
    assert_eq!(svgs.len(), 4, "{svgs:?}");
    assert!(svgs[0].contains("class=\"wide\""), "the wide drawing");
    assert!(svgs[1].contains("class=\"tall\""), "the tall drawing");
    assert!(
        html.contains("class=\"side-switch\""),
        "the phone's On | Off switch"
    );
    assert!(text_of(&html).contains("Kill switch off"));
    // Every flow of the scenario is labelled in each drawing.
    let flows = default.parse().unwrap().flows;
    for flow in &flows {
        assert_eq!(
            html.matches(&format!("class=\"flow-label\">{} ", flow.name))
                .count(),
            4,
            "{} is labelled once per layout and side",
            flow.name
        );
    }
    assert!(
        html.contains("name=\"include_all_networks\""),
        "the controls"
    );
}

#[test]
fn a_scenario_page_shows_that_scenario_and_no_other() {
    let html = app(Page::Scenario("wifi-to-cellular"));
    let wanted = library::find("wifi-to-cellular").unwrap().title;
    let default = library::find(DEFAULT_SCENARIO).unwrap().title;
    let text = text_of(&html);
    assert!(text.contains(wanted));
    assert!(!text.contains(&format!("{default}iPhone")), "{text}");
    assert!(
        html.contains("href=\"../learn/index.html\""),
        "links climb to the root"
    );
}

#[test]
fn a_support_page_carries_the_answer_and_its_steps() {
    let html = app(Page::Symptom("no-internet-after-update"));
    let text = text_of(&html);
    assert!(
        text.contains("No internet after updating the VPN app"),
        "{text}"
    );
    assert!(text.contains("Restart the iPhone."), "the first step");
    // The customer's message (its own numbered steps) comes first, then the
    // agent's notes with theirs.
    assert_eq!(html.matches("<ol class=\"steps\">").count(), 2);
    let message = text.find("Message for the customer").expect("the message");
    let notes = text.find("Notes for the agent").expect("the notes");
    assert!(message < notes, "{text}");
    assert!(text.contains("Copy the customer message"), "{text}");
    assert!(
        html.contains("aria-label=\"The customer's words, to find the symptom\""),
        "the finder"
    );
    assert!(text.contains("The update loop"), "its scenario's title");
    // The steps' scenarios are linked by their own pages.
    assert!(
        html.contains("href=\"../s/update-workaround-disconnect.html\""),
        "{html}"
    );
}

#[test]
fn every_page_renders() {
    for page in Page::all() {
        let html = app(page);
        assert!(
            drawings(&html)
                .iter()
                .any(|svg| svg.contains("class=\"tall\"")),
            "{page:?}"
        );
        assert!(html.contains("class=\"scenario-title\""), "{page:?}");
        assert!(
            !html.contains("class=\"notice\""),
            "{page:?} opens without a notice"
        );
    }
}

#[test]
fn an_embed_renders_its_comparison_and_selection() {
    let html = embed(
        "localnet-leak-without-ian",
        Some("include_all_networks"),
        Some("printer"),
        "../",
    );
    assert!(
        html.contains("class=\"views ab shown-configured\""),
        "two drawings"
    );
    assert_eq!(html.matches("<figure class=\"topology\"").count(), 2);
    assert!(text_of(&html).contains("Kill switch off (as configured)"));
    assert!(text_of(&html).contains("What the kill switch changes here"));
    assert!(
        html.contains("embed-inspector"),
        "the selected flow's inspector"
    );
    assert!(
        html.contains("href=\"../s/localnet-leak-without-ian.html#"),
        "{html}"
    );
}

/// The values of `attribute` on the elements whose tag contains `marker`.
fn attributes_where<'a>(html: &'a str, marker: &str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    html.split('<')
        .filter(|tag| tag.contains(marker))
        .filter_map(|tag| {
            let start = tag.find(&needle)? + needle.len();
            Some(&tag[start..start + tag[start..].find('"')?])
        })
        .collect()
}

#[test]
fn a_route_has_one_colour_in_the_drawing_and_the_timeline() {
    // At 21 s the printer has no path (offline): drawn in the topology and
    // in its lane, in the same colour.
    let html = app_with(Page::Scenario("wifi-to-cellular"), "t=21000");
    assert!(
        html.contains(">printer · –<"),
        "the printer is offline then"
    );
    let mut compared = Vec::new();
    for route in ["offline", "tunnel", "direct", "blocked"] {
        let lanes = attributes_where(&html, &format!("class=\"seg {route}\""), "fill");
        let drawn = attributes_where(&html, &format!("data-route=\"{route}\""), "stroke");
        // Routes in force now are drawn; the lanes show the whole run.
        if let (Some(lane), false) = (lanes.first(), drawn.is_empty()) {
            assert!(
                drawn.iter().all(|d| d == lane),
                "{route}: lanes {lane}, drawing {drawn:?}"
            );
            compared.push(route);
        }
    }
    assert!(compared.contains(&"offline"), "{compared:?}");
    assert!(compared.len() >= 2, "{compared:?}");
}

#[test]
fn an_attackers_wifi_is_drawn_as_the_attackers_and_its_reads_listed() {
    let html = app(Page::Scenario("tunnelvision-without-ian"));
    let text = text_of(&html);
    assert!(
        text.contains("attacker's Wi-Fi"),
        "the wide drawing names it"
    );
    assert!(text.contains("TunnelVision"), "and the attack");
    assert_eq!(
        html.matches("class=\"node hostile\"").count(),
        4,
        "in both layouts, on both sides"
    );
    // A benign Wi-Fi is the home router.
    let home = app(Page::Scenario("localnet-leak-without-ian"));
    assert!(!home.contains("node hostile"));
    assert!(text_of(&home).contains("home router"));
}

#[test]
fn a_presets_values_are_labelled_as_the_presets() {
    let html = app(Page::Scenario("localnet-preset-mullvad-force-all-apps"));
    let text = text_of(&html);
    // Mullvad keeps excludeLocalNetworks off with Force all apps on: the
    // unwritten setting shows the preset's value, not Apple's default (on).
    assert!(
        text.contains("Mullvad, force all apps: off"),
        "the preset's value"
    );
    assert!(
        text.contains("Mullvad, force all apps: on"),
        "its includeAllNetworks"
    );
    assert!(
        text.contains("default (on)"),
        "what the preset leaves is Apple's"
    );
    assert!(!text.contains("mullvad-force-all-apps ("), "not by its key");
}

/// A scenario with many events lists the first page of them and a button
/// for more, not a row per event (the worst case has 200; the format
/// allows 1000).
#[test]
fn the_controls_list_events_a_page_at_a_time() {
    use crate::playground::{Action as PlaygroundAction, Playground};
    use crate::web::Shared;
    use crate::web::panels::{Controls, ControlsProps};
    let html = render::<Controls>(|| {
        let text = crate::workload::worst_case_text();
        let view = std::rc::Rc::new(Playground::default())
            .reduce(PlaygroundAction::EditText(text.clone()));
        assert_eq!(view.analysis.scenario.events.len(), 200);
        ControlsProps {
            analysis: Shared(std::rc::Rc::clone(&view.analysis)),
            text: text.into(),
            library: None,
            dispatch: yew::Callback::noop(),
        }
    });
    let rows = html.matches("aria-label=\"remove event ").count();
    assert_eq!(rows, 25, "one page of events");
    assert!(
        text_of(&html).contains("Show 25 more (25 of 200 events listed; the text has them all)"),
        "{}",
        text_of(&html)
    );
}
