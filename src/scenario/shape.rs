//! A first pass over the TOML document that reports every unknown key and
//! misplaced table at once, before the typed pass looks at values.

use super::document::{Key, Node, Problem, Table, Value};
use crate::facts;
use crate::model::list_choices;

pub const TOP_KEYS: [&str; 16] = [
    "title",
    "ios",
    "network",
    "wifi_ip",
    "cellular_ip",
    "attack",
    "preset",
    "duration",
    "moment",
    "seed",
    "notifications",
    "vpn",
    "assume",
    "flow",
    "event",
    "expect",
];
pub const FLOW_KEYS: [&str; 5] = ["name", "kind", "open", "close", "family"];
pub const EVENT_KEYS: [&str; 3] = ["at", "do", "duration"];
pub const EXPECT_KEYS: [&str; 6] = ["flow", "at", "route", "seen_as", "interface", "family"];

pub fn check(document: &Table) -> Vec<Problem> {
    let vpn_keys: Vec<&str> = facts::PROPERTIES.iter().map(|p| p.key).collect();
    let mut problems = Vec::new();
    for (key, node) in &document.entries {
        match key.name.as_str() {
            "vpn" => match &node.value {
                Value::Table(table) => unknown_keys(table, &vpn_keys, "[vpn]", &mut problems),
                _ => problems.push((
                    key.span.clone(),
                    "`vpn` must be a table: write [vpn] on its own line and the properties below it"
                        .to_string(),
                )),
            },
            "assume" => {
                if !matches!(node.value, Value::Table(_)) {
                    problems.push((
                        key.span.clone(),
                        "`assume` must be a table: write [assume] on its own line and the assumptions below it"
                            .to_string(),
                    ));
                }
            }
            "flow" => array_of_tables(key, node, &FLOW_KEYS, &mut problems),
            "event" => array_of_tables(key, node, &EVENT_KEYS, &mut problems),
            "expect" => array_of_tables(key, node, &EXPECT_KEYS, &mut problems),
            other if TOP_KEYS.contains(&other) => {}
            other => problems.push((
                key.span.clone(),
                unknown(other, "at the top level", &TOP_KEYS),
            )),
        }
    }
    problems.sort_by_key(|(span, _)| span.start);
    problems
}

fn array_of_tables(key: &Key, node: &Node, keys: &[&str], problems: &mut Vec<Problem>) {
    let name = key.name.as_str();
    let Value::Array(items) = &node.value else {
        problems.push((
            key.span.clone(),
            format!("`{name}` must be a list of tables: write [[{name}]] (double brackets) before each one"),
        ));
        return;
    };
    for item in items {
        match &item.value {
            Value::Table(table) => unknown_keys(table, keys, &format!("[[{name}]]"), problems),
            _ => problems.push((
                item.span.clone(),
                format!("each `{name}` must be a table: write [[{name}]] and its keys below it"),
            )),
        }
    }
}

fn unknown_keys(table: &Table, known: &[&str], place: &str, problems: &mut Vec<Problem>) {
    for (key, _) in &table.entries {
        if !known.contains(&key.name.as_str()) {
            problems.push((
                key.span.clone(),
                unknown(&key.name, &format!("in {place}"), known),
            ));
        }
    }
}

fn unknown(name: &str, place: &str, known: &[&str]) -> String {
    let hint = closest(name, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    format!(
        "unknown key `{name}` {place}{hint}; the keys are {}",
        list_choices(known.iter().copied())
    )
}

/// The known key within two edits of `name`, if there is one.
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(closest("netwrok", &TOP_KEYS), Some("network"));
        assert_eq!(closest("asume", &TOP_KEYS), Some("assume"));
        assert_eq!(closest("banana", &TOP_KEYS), None);
    }
}
