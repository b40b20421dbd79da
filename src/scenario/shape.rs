//! A first pass over the TOML document that reports *every* syntax error,
//! unknown key and misplaced table at once, before the typed pass (which
//! stops at its first problem) runs.

use crate::facts;
use crate::model::list_choices;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub const TOP_KEYS: [&str; 10] = [
    "title", "ios", "network", "duration", "seed", "vpn", "assume", "flow", "event", "expect",
];
pub const FLOW_KEYS: [&str; 4] = ["name", "kind", "open", "close"];
pub const EVENT_KEYS: [&str; 2] = ["at", "do"];
pub const EXPECT_KEYS: [&str; 5] = ["flow", "at", "route", "seen_as", "interface"];

/// A problem found by the first pass: where, and what.
pub type Problem = (Range<usize>, String);

pub fn check(text: &str) -> Vec<Problem> {
    let (document, syntax) = DeTable::parse_recoverable(text);
    if !syntax.is_empty() {
        return syntax
            .iter()
            .map(|e| (e.span().unwrap_or(0..0), e.message().trim_end().to_string()))
            .collect();
    }
    let vpn_keys: Vec<&str> = facts::PROPERTIES.iter().map(|p| p.key).collect();
    let mut problems = Vec::new();
    for (key, value) in document.get_ref().iter() {
        let name: &str = key.get_ref();
        match name {
            "vpn" => match value.get_ref() {
                DeValue::Table(table) => unknown_keys(table, &vpn_keys, "[vpn]", &mut problems),
                _ => problems.push((
                    key.span(),
                    "`vpn` must be a table: write [vpn] on its own line and the properties below it"
                        .to_string(),
                )),
            },
            "assume" => {
                if !matches!(value.get_ref(), DeValue::Table(_)) {
                    problems.push((
                        key.span(),
                        "`assume` must be a table: write [assume] on its own line and the assumptions below it"
                            .to_string(),
                    ));
                }
            }
            "flow" => array_of_tables(key, value, &FLOW_KEYS, &mut problems),
            "event" => array_of_tables(key, value, &EVENT_KEYS, &mut problems),
            "expect" => array_of_tables(key, value, &EXPECT_KEYS, &mut problems),
            other if TOP_KEYS.contains(&other) => {}
            other => problems.push((key.span(), unknown(other, "at the top level", &TOP_KEYS))),
        }
    }
    problems.sort_by_key(|(span, _)| span.start);
    problems
}

fn array_of_tables(
    key: &Spanned<std::borrow::Cow<'_, str>>,
    value: &Spanned<DeValue<'_>>,
    keys: &[&str],
    problems: &mut Vec<Problem>,
) {
    let name: &str = key.get_ref();
    let DeValue::Array(items) = value.get_ref() else {
        problems.push((
            key.span(),
            format!("`{name}` must be a list of tables: write [[{name}]] (double brackets) before each one"),
        ));
        return;
    };
    for item in items.iter() {
        match item.get_ref() {
            DeValue::Table(table) => unknown_keys(table, keys, &format!("[[{name}]]"), problems),
            _ => problems.push((
                item.span(),
                format!("each `{name}` must be a table: write [[{name}]] and its keys below it"),
            )),
        }
    }
}

fn unknown_keys(table: &DeTable<'_>, known: &[&str], place: &str, problems: &mut Vec<Problem>) {
    for (key, _) in table.iter() {
        let name: &str = key.get_ref();
        if !known.contains(&name) {
            problems.push((key.span(), unknown(name, &format!("in {place}"), known)));
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
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_key() {
        assert_eq!(closest("netwrok", &TOP_KEYS), Some("network"));
        assert_eq!(closest("asume", &TOP_KEYS), Some("assume"));
        assert_eq!(closest("banana", &TOP_KEYS), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
