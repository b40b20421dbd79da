//! The same golden fingerprints as tests/golden.rs, computed in a real
//! browser by the wasm build: native/wasm parity.
#![cfg(target_arch = "wasm32")]

use tunnelscope::engine;
use tunnelscope::library;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/fingerprints.txt");

#[wasm_bindgen_test]
fn every_scenario_matches_its_native_fingerprint_in_the_browser() {
    let mut checked = 0;
    for line in GOLDEN.lines() {
        let (name, want) = line.split_once(' ').expect("name and hash");
        let built_in = library::find(name).expect("a library scenario");
        let scenario = built_in.parse().expect("valid");
        let (trace, run) = engine::simulate(&scenario);
        let got = format!("{:016x}", engine::fingerprint(&trace, &run));
        assert_eq!(got, want, "{name} differs between native and wasm");
        checked += 1;
    }
    assert_eq!(checked, library::LIBRARY.len());
}
