//! The wasm half of the wasm/native comparison in `make bench`: the same
//! synthetic scenario's packet engine, built for Node with the feature
//! `wasm-bench` and timed by `tools/bench-wasm.mjs` (the simulation reads no
//! clock; the timing is the caller's). Not in the playground's build.

use crate::{engine, scenario::Scenario, timeline, trace::Trace, workload};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static PREPARED: RefCell<Option<(Scenario, Trace)>> = const { RefCell::new(None) };
}

/// Parses the synthetic scenario and computes its control plane (not timed).
#[wasm_bindgen]
pub fn bench_prepare() {
    let scenario = workload::synthetic();
    let trace = timeline::run(&scenario);
    PREPARED.with(|p| *p.borrow_mut() = Some((scenario, trace)));
}

/// One run of the packet engine; returns its packet events.
#[wasm_bindgen]
pub fn bench_engine_once() -> f64 {
    PREPARED.with(|p| {
        p.borrow().as_ref().map_or(0.0, |(scenario, trace)| {
            engine::run(scenario, trace).packet_events as f64
        })
    })
}
