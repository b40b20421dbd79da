//! Every scenario's golden fingerprint (its JSON trace and every pcap),
//! natively. `tests/web.rs` checks the same values in real browsers: equal
//! hashes mean the native and wasm builds produce byte-identical runs.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test --test golden`,
//! then review the diff of tests/golden/fingerprints.txt with the pcaps.

use tunnelscope::engine;
use tunnelscope::library::LIBRARY;

const GOLDEN: &str = include_str!("golden/fingerprints.txt");

fn fingerprints() -> String {
    let mut out = String::new();
    for built_in in LIBRARY {
        let scenario = built_in.parse().expect("library files are valid");
        let (trace, run) = engine::simulate(&scenario);
        out.push_str(&format!(
            "{} {:016x}\n",
            built_in.name,
            engine::fingerprint(&trace, &run)
        ));
    }
    out
}

#[test]
fn every_scenario_matches_its_golden_fingerprint() {
    let now = fingerprints();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/fingerprints.txt");
        std::fs::write(path, &now).expect("the golden file is writable");
        return;
    }
    assert_eq!(
        now, GOLDEN,
        "a run changed: if intended, UPDATE_GOLDEN=1 cargo test --test golden and review the diff"
    );
}
