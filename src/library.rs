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

/// A group of scenarios about one question, as the playground's picker
/// lists them.
pub struct Topic {
    pub title: &'static str,
    /// Stems that start with one of these belong here (the first topic
    /// that claims a stem has it; the last claims the rest).
    pub prefixes: &'static [&'static str],
}

/// The library by topic, in the order a learner meets the questions.
pub static TOPICS: [Topic; 7] = [
    Topic {
        title: "Start here: the kill switch on and off",
        prefixes: &[
            "no-vpn",
            "mullvad-force-all-apps",
            "full-tunnel-",
            "ian-ios15",
        ],
    },
    Topic {
        title: "Apple's own traffic: push, Maps, iCloud",
        prefixes: &["ian-ios16", "apple-leak-", "push-"],
    },
    Topic {
        title: "A hostile or public Wi-Fi (TunnelCrack, TunnelVision)",
        prefixes: &["localnet-", "serverip-", "tunnelvision-"],
    },
    Topic {
        title: "Updating the VPN app",
        prefixes: &["update-", "post-update-"],
    },
    Topic {
        title: "The tunnel dropping, the network changing",
        prefixes: &[
            "ian-tunnel-",
            "ian-user-",
            "ian-existing-",
            "ios13-",
            "airplane-",
            "wifi-to-",
            "kill-switch-delay",
            "toggle-",
        ],
    },
    Topic {
        title: "IPv6",
        prefixes: &["ipv6-"],
    },
    Topic {
        title: "Local devices, calls and carrier services",
        prefixes: &[],
    },
];

/// The topic a built-in scenario is listed under.
pub fn topic(name: &str) -> &'static Topic {
    TOPICS
        .iter()
        .find(|t| t.prefixes.iter().any(|p| name.starts_with(p)))
        .unwrap_or(&TOPICS[TOPICS.len() - 1])
}

/// The built-in scenarios of a topic, by title.
pub fn in_topic(topic: &'static Topic) -> impl Iterator<Item = &'static BuiltIn> {
    let mut of: Vec<&'static BuiltIn> = LIBRARY
        .iter()
        .filter(|b| std::ptr::eq(self::topic(b.name), topic))
        .collect();
    of.sort_by_key(|b| b.title);
    of.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_is_listed_under_one_topic_and_every_topic_has_some() {
        let listed: usize = TOPICS.iter().map(|t| in_topic(t).count()).sum();
        assert_eq!(listed, LIBRARY.len());
        for topic in &TOPICS {
            assert!(in_topic(topic).count() > 0, "{}", topic.title);
        }
    }

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
