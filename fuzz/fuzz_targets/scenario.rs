//! The scenario parser (CLI files, uploads, the playground's editor):
//! any text gets a scenario or errors with a line and column, never a
//! panic; the TOML tree the playground edits round-trips what it read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tunnelscope::scenario;

fuzz_target!(|text: &str| {
    if let Err(errors) = scenario::parse(text) {
        for e in &errors.0 {
            assert!(e.line >= 1 && e.column >= 1, "{e:?}");
        }
    }
    let _ = scenario::document::Table::parse(text);
});
