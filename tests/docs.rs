//! The README and the CLI's help say what the code does: the lists and
//! counts in them are checked against the tables they describe.

#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;
use tunnelscope::engine::CapturePoint;
use tunnelscope::library::LIBRARY;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn the_readme_names_every_pcap_the_run_writes() {
    let readme = readme();
    for point in CapturePoint::ALL {
        assert!(
            readme.contains(&format!("`{}.pcap`", point.as_str())),
            "README.md does not name {}.pcap",
            point.as_str()
        );
    }
}

#[test]
fn the_run_help_names_every_capture_point() {
    let help = Command::new(env!("CARGO_BIN_EXE_tunnelscope"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for point in CapturePoint::ALL {
        assert!(
            help.contains(point.as_str()),
            "run --help: {}",
            point.as_str()
        );
    }
}

#[test]
fn the_readme_counts_the_library_right() {
    let readme = readme();
    let claim = format!("checks all {} files' expectations", LIBRARY.len());
    assert!(readme.contains(&claim), "README.md should say: {claim}");
}
