//! The built-in scenario library: every file in `simulations/`, embedded at
//! build time (see `build.rs`).

use crate::scenario::{self, Scenario, ScenarioErrors};

/// One embedded scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    /// The file's stem, e.g. `ian-ios16-1-apple-leak`.
    pub name: &'static str,
    /// Its `title`, read at build time (the stem when it could not be).
    pub title: &'static str,
    /// Its path in the repository.
    pub file: &'static str,
    pub text: &'static str,
}

impl BuiltIn {
    pub fn parse(&self) -> Result<Scenario, ScenarioErrors> {
        scenario::parse(self.text)
    }
}

include!(concat!(env!("OUT_DIR"), "/library.rs"));

/// The path of a built-in scenario's page in the playground's site, from
/// its root.
pub fn page_path(name: &str) -> String {
    format!("s/{name}.html")
}

pub fn find(name: &str) -> Option<&'static BuiltIn> {
    let stem = name.strip_suffix(".toml").unwrap_or(name);
    let stem = stem.strip_prefix("simulations/").unwrap_or(stem);
    LIBRARY.iter().find(|b| b.name == stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_parses_and_its_expectations_pass() {
        assert!(
            LIBRARY.len() >= 12,
            "the library needs at least 12 scenarios"
        );
        for built_in in LIBRARY {
            let scenario = built_in
                .parse()
                .unwrap_or_else(|e| panic!("{}", e.render(built_in.file)));
            assert!(
                !scenario.expects.is_empty(),
                "{} checks nothing",
                built_in.file
            );
            assert_eq!(built_in.title, scenario.title, "{}", built_in.file);
            let trace = crate::timeline::run(&scenario);
            let failures: Vec<_> = trace.failures().collect();
            assert!(failures.is_empty(), "{}: {failures:#?}", built_in.file);
        }
    }

    #[test]
    fn finds_by_stem_or_path() {
        let first = LIBRARY[0];
        assert_eq!(find(first.name).map(|b| b.file), Some(first.file));
        assert_eq!(find(first.file).map(|b| b.file), Some(first.file));
        assert!(find("no-such-scenario").is_none());
    }
}
