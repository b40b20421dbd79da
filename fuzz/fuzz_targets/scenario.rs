//! The scenario parser (CLI files, uploads, the playground's editor):
//! any text gets a scenario or errors with a line and column, never a
//! panic; a scenario it reads is written back (`scenario::write`) to text
//! that reads as the same scenario; the TOML tree the playground edits
//! round-trips what it read.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tunnelscope::scenario::{self, Scenario};

/// What a file's text does not carry over a rewrite: the lines things were
/// on, the events' order in the file and the spelling of each `do`.
fn comparable(mut s: Scenario) -> Scenario {
    s.flows.iter_mut().for_each(|f| f.line = 0);
    s.expects.iter_mut().for_each(|e| e.line = 0);
    for event in &mut s.events {
        event.line = 0;
        event.position = 0;
        event.text = scenario::write::action_text(&event.action);
    }
    s
}

fuzz_target!(|text: &str| {
    match scenario::parse(text) {
        Ok(read) => {
            let written = scenario::write(&read);
            // Written with [[sections]], a file near the size limit that
            // used inline tables can come out longer than the limit.
            if written.len() > scenario::MAX_FILE_BYTES {
                return;
            }
            let again = scenario::parse(&written)
                .unwrap_or_else(|e| panic!("what was written does not read: {e}\n{written}"));
            assert!(
                comparable(again) == comparable(read),
                "written back as another scenario:\n{written}"
            );
        }
        Err(errors) => {
            for e in &errors.0 {
                assert!(e.line >= 1 && e.column >= 1, "{e:?}");
            }
        }
    }
    let _ = scenario::document::Table::parse(text);
});
