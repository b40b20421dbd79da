//! Every scenario's run, checked two ways:
//!
//! - a snapshot a person can read, `tests/golden/runs/NAME.txt`: the trace
//!   as `tunnelscope run` prints it, then every packet as `run --packets`
//!   lists it. A change shows as the lines that differ.
//! - a fingerprint of the JSON trace and every pcap, byte for byte
//!   (`tests/golden/fingerprints.txt`); `tests/web.rs` checks the same values
//!   in real browsers: equal hashes mean the native and wasm builds produce
//!   byte-identical runs.
//!
//! After an intended change: `make golden` (`UPDATE_GOLDEN=1 cargo test
//! --test golden`), then review the diff of tests/golden/.

// Native only: the browsers check the fingerprints in tests/web.rs.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write;
use std::path::Path;
use tunnelscope::library::LIBRARY;
use tunnelscope::{engine, report};

const GOLDEN: &str = include_str!("golden/fingerprints.txt");
const RUNS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/runs");

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

/// The readable record of one run.
fn snapshot(scenario: &tunnelscope::scenario::Scenario) -> String {
    let (trace, run) = engine::simulate(scenario);
    format!(
        "{}\n--- packets ---\n{}",
        report::render(&trace, report::Format::Text),
        engine::listing(scenario, &run)
    )
}

/// What changed from `want` to `got`, as a unified diff (a few lines of
/// context, at most `MAX_DIFF_LINES` lines).
fn difference(want: &str, got: &str) -> String {
    const MAX_DIFF_LINES: usize = 60;
    let diff = similar::TextDiff::from_lines(want, got)
        .unified_diff()
        .context_radius(2)
        .header("golden", "now")
        .to_string();
    let lines: Vec<&str> = diff.lines().collect();
    let mut out = lines[..lines.len().min(MAX_DIFF_LINES)].join("\n");
    if lines.len() > MAX_DIFF_LINES {
        let _ = write!(out, "\n… {} more lines", lines.len() - MAX_DIFF_LINES);
    }
    out
}

#[test]
fn every_run_matches_its_readable_snapshot() {
    let mut changed = Vec::new();
    for built_in in LIBRARY {
        let scenario = built_in.parse().expect("library files are valid");
        let now = snapshot(&scenario);
        let path = Path::new(RUNS).join(format!("{}.txt", built_in.name));
        if updating() {
            std::fs::create_dir_all(RUNS).expect("tests/golden/runs is writable");
            std::fs::write(&path, &now).expect("the snapshot is writable");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if want != now {
            changed.push(format!("{}:\n{}", built_in.name, difference(&want, &now)));
        }
    }
    assert!(
        changed.is_empty(),
        "{} run(s) changed (if intended: make golden, and review the diff)\n\n{}",
        changed.len(),
        changed.join("\n")
    );
}

#[test]
fn every_scenario_matches_its_golden_fingerprint() {
    let mut now = String::new();
    for built_in in LIBRARY {
        let scenario = built_in.parse().expect("library files are valid");
        let (trace, run) = engine::simulate(&scenario);
        let _ = writeln!(
            now,
            "{} {:016x}",
            built_in.name,
            engine::fingerprint(&trace, &run)
        );
    }
    if updating() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/fingerprints.txt");
        std::fs::write(path, &now).expect("the golden file is writable");
        return;
    }
    assert_eq!(
        now, GOLDEN,
        "a run's bytes changed (the snapshots above say how, if they changed too): if intended, make golden and review the diff"
    );
}

#[test]
fn a_changed_run_shows_which_lines_changed() {
    let shown = difference("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nX\nd\ne\nf\ng\n");
    assert!(shown.contains("\n b\n-c\n+X\n d\n"), "{shown}");
    assert!(
        !shown.lines().any(|l| l == " g"),
        "only the lines near the change: {shown}"
    );
}
