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
