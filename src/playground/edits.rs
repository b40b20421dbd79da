//! What an edited view changed from the built-in scenario it started from,
//! as values: the heading and the tab title say them ("Edited: iOS 18.0,
//! Mullvad's settings"), so they always describe the view shown.

use crate::facts::{self, Prop};
use crate::model::{Attack, Network};
use crate::scenario::Scenario;
use crate::version::IosVersion;

/// One thing that differs from the built-in scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Release(IosVersion),
    Network(Network),
    /// The Wi-Fi's attack (`None`: the home Wi-Fi again).
    Attack(Option<Attack>),
    /// The vendor's settings (`None`: no preset).
    Preset(Option<&'static str>),
    /// The VPN added (`true`) or removed.
    Vpn(bool),
    /// A `[vpn]` switch, as it now starts.
    Switch(Prop, bool),
    Assumptions,
    Flows,
    Events,
}

/// What `now` changed from `base`, in the order a reader cares about.
pub fn between(base: &Scenario, now: &Scenario) -> Vec<Edit> {
    let mut edits = Vec::new();
    if base.ios != now.ios {
        edits.push(Edit::Release(now.ios));
    }
    if base.network != now.network {
        edits.push(Edit::Network(now.network));
    }
    if base.attack != now.attack {
        edits.push(Edit::Attack(now.attack));
    }
    if base.preset != now.preset {
        edits.push(Edit::Preset(now.preset));
    }
    match (&base.vpn, &now.vpn) {
        (Some(_), None) => edits.push(Edit::Vpn(false)),
        (None, Some(_)) => edits.push(Edit::Vpn(true)),
        (Some(was), Some(is)) => {
            for property in &facts::PROPERTIES {
                // A release change fills Apple's defaults in: say only
                // switches both releases have, set differently.
                if let (Some(a), Some(b)) = (was.flag(property.prop), is.flag(property.prop))
                    && a != b
                    && base.preset == now.preset
                {
                    edits.push(Edit::Switch(property.prop, b));
                }
            }
        }
        (None, None) => {}
    }
    if base.assume != now.assume {
        edits.push(Edit::Assumptions);
    }
    // Where a flow or event sits in the file is no edit: an edit through
    // the controls rewrites the text, and every line moves.
    // (Compared in place: the heading is made on every frame.)
    let same_flow = |a: &crate::scenario::Flow, b: &crate::scenario::Flow| {
        (&a.name, a.kind, a.family, a.open_ms, a.close_ms)
            == (&b.name, b.kind, b.family, b.open_ms, b.close_ms)
    };
    if base.flows.len() != now.flows.len()
        || !base
            .flows
            .iter()
            .zip(&now.flows)
            .all(|(a, b)| same_flow(a, b))
    {
        edits.push(Edit::Flows);
    }
    let same_event = |a: &crate::scenario::Event, b: &crate::scenario::Event| {
        a.at_ms == b.at_ms && a.action == b.action
    };
    if base.events.len() != now.events.len()
        || !base
            .events
            .iter()
            .zip(&now.events)
            .all(|(a, b)| same_event(a, b))
    {
        edits.push(Edit::Events);
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::{Action, Playground};
    use crate::words;
    use std::rc::Rc;

    #[test]
    fn a_changed_release_and_preset_are_said_in_the_heading() {
        let start = Rc::new(Playground::default());
        assert_eq!(start.heading(), start.analysis.scenario.title);
        let edited = start
            .reduce(Action::SetIos("18.0".into()))
            .reduce(Action::SetPreset(Some("mullvad".into())));
        let heading = edited.heading();
        assert!(
            heading.ends_with("Edited: iOS 18.0, Mullvad's settings"),
            "{heading}"
        );
        assert!(
            heading.contains(&start.analysis.scenario.title),
            "{heading}"
        );
        assert_eq!(
            words::edits(&[Edit::Switch(Prop::IncludeAllNetworks, false)]),
            "kill switch off"
        );
    }

    #[test]
    fn the_unedited_scenario_has_no_edits() {
        for built_in in crate::library::LIBRARY {
            let s = built_in.parse().unwrap();
            assert!(between(&s, &s).is_empty(), "{}", built_in.name);
        }
    }
}
