//! The learn pages (www/learn/*.html) are static text with live scenarios
//! mounted into them. Their references must hold: every embedded or linked
//! scenario and symptom exists, every compared property and selected flow
//! exists in it, every relative link leads to a file, and every page ends
//! with sources that carry an evidence kind.

use std::path::Path;
use tunnelscope::facts::{self, Evidence};
use tunnelscope::{library, support};

/// Every value of `attr="…"` in `html`.
fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').expect("closed attribute")]
        })
        .collect()
}

fn pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = std::fs::read_dir("www/learn")
        .expect("www/learn exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    pages.sort();
    pages
}

#[test]
fn there_are_five_explanations_and_an_index_listing_them() {
    let pages = pages();
    let index = &pages
        .iter()
        .find(|(n, _)| n == "index.html")
        .expect("index")
        .1;
    let listed = attributes(index, "href");
    let explanations: Vec<_> = pages.iter().filter(|(n, _)| n != "index.html").collect();
    assert!(explanations.len() >= 5, "{} pages", explanations.len());
    for (name, _) in &explanations {
        assert!(
            listed.contains(&name.as_str()),
            "index does not list {name}"
        );
    }
}

#[test]
fn every_embed_names_a_real_scenario_property_and_flow() {
    let mut embeds = 0;
    for (name, html) in pages() {
        for tag in html.split("<figure").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            let Some(scenario) = attributes(tag, "data-scenario").first().copied() else {
                continue;
            };
            embeds += 1;
            let built_in =
                library::find(scenario).unwrap_or_else(|| panic!("{name}: no scenario {scenario}"));
            let parsed = built_in.parse().unwrap();
            for key in attributes(tag, "data-compare") {
                assert!(facts::property_by_key(key).is_some(), "{name}: {key}");
            }
            for flow in attributes(tag, "data-select") {
                assert!(
                    parsed.flows.iter().any(|f| f.name == flow),
                    "{name}: {scenario} has no flow {flow}"
                );
            }
        }
        if name != "index.html" {
            assert!(html.contains("data-scenario="), "{name} embeds nothing");
            assert!(
                html.contains("src=\"../embed.js\""),
                "{name} never mounts its embeds"
            );
        }
    }
    assert!(embeds >= 5);
}

#[test]
fn every_link_leads_somewhere() {
    for (name, html) in pages() {
        for href in attributes(&html, "href") {
            // pkg/ is the build's output (make www), not a committed file.
            if href.starts_with("http") || href.starts_with("data:") || href.starts_with("../pkg/")
            {
                continue;
            }
            let href = href.replace("&amp;", "&");
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            // Scenario and symptom pages are written by the site build.
            if let Some(stem) = file
                .strip_prefix("../s/")
                .and_then(|f| f.strip_suffix(".html"))
            {
                assert!(library::find(stem).is_some(), "{name}: {file}");
            } else if let Some(id) = file
                .strip_prefix("../support/")
                .and_then(|f| f.strip_suffix(".html"))
            {
                assert!(support::symptom(id).is_some(), "{name}: {file}");
            } else if !file.is_empty() {
                assert!(
                    Path::new("www/learn").join(file).is_file(),
                    "{name}: {file}"
                );
            }
            for part in fragment.split('&') {
                match part.split_once('=') {
                    Some(("lib", s)) => assert!(library::find(s).is_some(), "{name}: {s}"),
                    Some(("sup", s)) => assert!(support::symptom(s).is_some(), "{name}: {s}"),
                    Some(("ab", key)) => assert!(facts::property_by_key(key).is_some()),
                    _ => assert!(part.is_empty(), "{name}: {part}"),
                }
            }
        }
    }
}

#[test]
fn every_explanation_ends_with_sources_that_say_their_evidence() {
    let kinds: Vec<&str> = Evidence::ALL.iter().map(|e| e.as_str()).collect();
    for (name, html) in pages() {
        if name == "index.html" {
            continue;
        }
        let sources = html
            .split("<section class=\"sources\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{name} has no sources section"));
        assert!(
            !sources.contains("data-scenario"),
            "{name}: sources must come last"
        );
        let items = sources.matches("<li>").count();
        let badges = attributes(sources, "class")
            .into_iter()
            .filter_map(|c| c.strip_prefix("badge "))
            .collect::<Vec<_>>();
        assert!(items >= 3, "{name}: {items} sources");
        assert_eq!(
            badges.len(),
            items,
            "{name}: every source says its evidence"
        );
        for badge in badges {
            assert!(
                kinds.contains(&badge),
                "{name}: {badge} is not an evidence kind"
            );
        }
    }
}

#[test]
fn every_outside_link_is_a_clean_link_to_a_primary_host() {
    let mut problems = Vec::new();
    let mut pages = pages();
    for extra in ["www/index.html", "www/glossary.html"] {
        pages.push((extra.into(), std::fs::read_to_string(extra).unwrap()));
    }
    for (name, html) in &pages {
        for href in attributes(html, "href") {
            let url = href.replace("&amp;", "&");
            if !url.starts_with("http") {
                continue;
            }
            if let Some(problem) = facts::link_problem(&url) {
                problems.push(format!("{name}: {url} {problem}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
