//! The benchmark's synthetic workload, one definition for the native bench
//! ([`crate::bench`]) and the wasm one (`bench_wasm`, feature `wasm-bench`),
//! so the two time the same run.

use crate::scenario::{self, Scenario};
use std::fmt::Write;

/// A packet-heavy synthetic scenario: many flows of every chatty kind through
/// an includeAllNetworks tunnel, with a network change and a tunnel loss.
pub fn synthetic() -> Scenario {
    let mut text = String::from(
        "title = \"bench: 300 flows through an includeAllNetworks tunnel\"\nios = \"18.2\"\nduration = \"10m\"\n[vpn]\ninclude_all_networks = true\non_demand = true\n[[event]]\nat = \"4m\"\ndo = \"network:cellular\"\n[[event]]\nat = \"7m\"\ndo = \"tunnel:lost\"\n",
    );
    let kinds = [
        "dns",
        "app",
        "apns",
        "apple-maps",
        "cellular-services",
        "volte",
    ];
    for i in 0..300 {
        let kind = kinds[i % kinds.len()];
        let _ = write!(
            text,
            "[[flow]]\nname = \"f{i}\"\nkind = \"{kind}\"\nopen = \"{}ms\"\n",
            (i * 37) % 5_000
        );
    }
    scenario::parse(&text).expect("the synthetic scenario is valid")
}

/// The largest file the issue on bounded cost describes: 1000 flows of
/// ordinary kinds, 200 events cycling connect / tunnel:lost / disconnect,
/// on-demand on, 24 hours. Every run of it must end within the budget
/// ([`crate::budget`]); `tunnelscope bench` times it, the tests and the
/// page's end-to-end test open it.
pub fn worst_case_text() -> String {
    worst_text(
        "Worst case: 1000 flows, 200 events, 24 h",
        &[
            "app",
            "dns",
            "apns",
            "apple-maps",
            "local-network",
            "captive-portal",
            "vpn-api",
            "app-store",
        ],
        1_000,
        &["connect", "tunnel:lost", "disconnect"],
        200,
    )
}

/// Other shapes at the format's limits, for the benchmark: every event the
/// format allows (1000, changing networks), and 1000 chatty flows with no
/// event at all.
pub fn worst_shapes() -> [(&'static str, String); 3] {
    [
        ("the issue's worst case", worst_case_text()),
        (
            "1000 events",
            worst_text(
                "Worst case: 1000 flows, 1000 network changes, 24 h",
                &[
                    "app",
                    "dns",
                    "apns",
                    "apple-maps",
                    "volte",
                    "cellular-services",
                ],
                1_000,
                &["network:cellular", "network:wifi"],
                1_000,
            ),
        ),
        (
            "1000 app flows",
            worst_text("Worst case: 1000 app flows, 24 h", &["app"], 1_000, &[], 0),
        ),
    ]
}

/// `flows` flows cycling `kinds`, opening every 7 s within the first hour;
/// `events` events cycling `actions`, spread evenly over the 24 hours.
fn worst_text(
    title: &str,
    kinds: &[&str],
    flows: usize,
    actions: &[&str],
    events: usize,
) -> String {
    let mut text = format!(
        "title = \"{title}\"\nios = \"18.2\"\nnetwork = \"wifi\"\nduration = \"24h\"\n\n[vpn]\ninclude_all_networks = true\non_demand = true\n"
    );
    for i in 0..flows {
        let _ = write!(
            text,
            "\n[[flow]]\nname = \"f{i}\"\nkind = \"{}\"\nopen = \"{}s\"\n",
            kinds[i % kinds.len()],
            (i * 7) % 3_600
        );
    }
    let spacing_s = (24 * 3_600) / events.max(1);
    for i in 0..events {
        let _ = write!(
            text,
            "\n[[event]]\nat = \"{}s\"\ndo = \"{}\"\n",
            (i + 1) * spacing_s - spacing_s / 2,
            actions[i % actions.len()]
        );
    }
    text
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    /// The page's end-to-end test opens this file as a link; it must be the
    /// worst case the budget is measured on (`UPDATE_GOLDEN=1` rewrites it).
    #[test]
    fn the_worst_case_fixture_is_the_worst_case() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/worst-case.toml");
        let text = super::worst_case_text();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(path, &text).unwrap();
        }
        let fixture = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            fixture == text,
            "{path} differs from workload::worst_case_text(); rewrite it with UPDATE_GOLDEN=1 cargo test --lib worst_case_fixture"
        );
        assert!(crate::scenario::parse(&text).is_ok());
    }
}
