//! "Your iPhone": a reader's own case — their iOS release, their VPN app
//! (a vendor's settings, or another app with its kill switch on or off)
//! and where they are — as a scenario the page can run, with the flows
//! a phone has everywhere (a browser, DNS, push, Maps) and the ones the
//! place adds (a printer at home, a hostile router at a café).

use crate::model::Attack;
use crate::presets::{self, Preset};
use crate::version::IosVersion;

/// The VPN app a reader uses.
#[derive(Clone, Copy, Debug)]
pub enum App {
    /// A vendor's app, as its code configures the VPN.
    Preset(&'static Preset),
    /// Another app, with its kill switch on or off.
    Other { kill_switch: bool },
}

/// Where the phone is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    HomeWifi,
    Cellular,
    /// A café's or a hotel's Wi-Fi, here an attacker's: TunnelCrack's
    /// LocalNet, the attack that needs nothing but the network.
    PublicWifi,
}

impl Place {
    pub const ALL: [Place; 3] = [Place::HomeWifi, Place::Cellular, Place::PublicWifi];

    /// The support answer that says what to set in this place, when there
    /// is one (a symptom of [`crate::support::SYMPTOMS`]): the view shows
    /// what happens, the answer what to do about it.
    pub fn advice(self) -> Option<&'static str> {
        match self {
            Place::PublicWifi => Some("public-wifi"),
            Place::HomeWifi | Place::Cellular => None,
        }
    }

    /// Its key in the page's form.
    pub fn key(self) -> &'static str {
        match self {
            Place::HomeWifi => "home",
            Place::Cellular => "cellular",
            Place::PublicWifi => "public",
        }
    }

    pub fn from_key(key: &str) -> Option<Place> {
        Place::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Apps are the same when their keys are (a preset is a table row).
impl PartialEq for App {
    fn eq(&self, other: &App) -> bool {
        self.key() == other.key()
    }
}

impl Eq for App {}

impl App {
    /// Its key in the page's form: a preset's name, or `other-on` /
    /// `other-off`.
    pub fn key(self) -> &'static str {
        match self {
            App::Preset(preset) => preset.name,
            App::Other { kill_switch: true } => "other-on",
            App::Other { kill_switch: false } => "other-off",
        }
    }

    pub fn from_key(key: &str) -> Option<App> {
        match key {
            "other-on" => Some(App::Other { kill_switch: true }),
            "other-off" => Some(App::Other { kill_switch: false }),
            name => presets::find(name).map(App::Preset),
        }
    }
}

/// One reader's case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    pub ios: IosVersion,
    pub app: App,
    pub place: Place,
}

impl Case {
    /// The case a scenario is closest to: its release (or the newest
    /// modelled one before it), its vendor's settings or its kill switch,
    /// and where its phone starts.
    pub fn of(scenario: &crate::scenario::Scenario) -> Case {
        let ios = crate::version::MODELLED
            .iter()
            .map(|m| m.version)
            .rfind(|v| *v <= scenario.ios)
            .unwrap_or(scenario.ios);
        let app = match (scenario.preset.and_then(presets::find), &scenario.vpn) {
            (Some(preset), _) => App::Preset(preset),
            (None, Some(vpn)) => App::Other {
                kill_switch: vpn.include_all_networks == Some(true),
            },
            (None, None) => App::Other { kill_switch: false },
        };
        let place = match (scenario.attack, scenario.network) {
            (Some(_), _) => Place::PublicWifi,
            (None, crate::model::Network::Cellular) => Place::Cellular,
            (None, crate::model::Network::Wifi) => Place::HomeWifi,
        };
        Case { ios, app, place }
    }

    /// The case as a scenario file: the VPN connects at 2s, and the page
    /// opens at 10s, once every flow is open and the tunnel is up.
    pub fn scenario_text(&self) -> String {
        // A TOML string, quoted and escaped as TOML writes it.
        let mut title = String::new();
        let _ = toml_writer::TomlWrite::value(&mut title, crate::words::case_title(self));
        let mut text = format!(
            "title = {title}\nios = \"{}\"\nnetwork = \"{}\"\n",
            self.ios,
            if self.place == Place::Cellular {
                "cellular"
            } else {
                "wifi"
            }
        );
        if self.place == Place::PublicWifi {
            text.push_str(&format!("attack = \"{}\"\n", Attack::LocalNet.as_str()));
        }
        match self.app {
            App::Preset(preset) => {
                text.push_str(&format!("preset = \"{}\"\n", preset.name));
            }
            App::Other { .. } => {}
        }
        text.push_str("duration = \"40s\"\nmoment = \"10s\"\n\n[vpn]\n");
        let has_kill_switch =
            self.ios >= crate::facts::property(crate::facts::Prop::IncludeAllNetworks).since;
        if let (App::Other { kill_switch }, true) = (self.app, has_kill_switch) {
            text.push_str(&format!("include_all_networks = {kill_switch}\n"));
        }
        let mut flows = vec![
            ("browser", "app"),
            ("lookup", "dns"),
            ("push", "apns"),
            ("maps", "apple-maps"),
        ];
        if self.place == Place::HomeWifi {
            flows.push(("printer", "local-network"));
        }
        flows.push(("tunnel", "vpn-transport"));
        for (name, kind) in flows {
            text.push_str(&format!(
                "\n[[flow]]\nname = \"{name}\"\nkind = \"{kind}\"\nopen = \"{}\"\n",
                if kind == "vpn-transport" { "2s" } else { "1s" }
            ));
        }
        text.push_str("\n[[event]]\nat = \"2s\"\ndo = \"connect\"\n");
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::{Action, Playground};
    use crate::version::MODELLED;
    use std::rc::Rc;

    #[test]
    fn a_cafe_links_to_the_answer_that_says_what_to_set() {
        let answer = Place::PublicWifi.advice().and_then(crate::support::symptom);
        let answer = answer.expect("the public-Wi-Fi case names a symptom");
        // The answer's scenario is the same attack the case shows.
        let shown = crate::library::find(answer.scenario)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            shown.attack.map(|a| a.as_str()),
            Some(Attack::LocalNet.as_str())
        );
        assert!(
            answer
                .steps
                .iter()
                .any(|s| s.does.contains("local network sharing off"))
        );
        assert_eq!(Place::HomeWifi.advice(), None);
        assert_eq!(Place::Cellular.advice(), None);
    }

    fn apps() -> Vec<App> {
        presets::PRESETS
            .iter()
            .map(App::Preset)
            .chain([true, false].map(|kill_switch| App::Other { kill_switch }))
            .collect()
    }

    #[test]
    fn every_case_is_a_valid_scenario_that_the_page_compares() {
        for modelled in MODELLED {
            for app in apps() {
                for place in Place::ALL {
                    let case = Case {
                        ios: modelled.version,
                        app,
                        place,
                    };
                    let text = case.scenario_text();
                    let scenario = crate::scenario::parse(&text)
                        .unwrap_or_else(|e| panic!("{case:?}: {e}\n{text}"));
                    assert_eq!(scenario.ios, case.ios);
                    assert_eq!(scenario.attack.is_some(), place == Place::PublicWifi);
                    if let App::Preset(preset) = app {
                        assert_eq!(scenario.preset, Some(preset.name));
                    }
                }
            }
        }
    }

    #[test]
    fn a_case_opens_as_its_own_view_with_its_summary() {
        let case = Case {
            ios: IosVersion::new(18, 0, 0),
            app: App::from_key("mullvad-force-all-apps").unwrap(),
            place: Place::HomeWifi,
        };
        let state = Rc::new(Playground::default()).reduce(Action::FindCase(case));
        assert_eq!(state.time_ms, 10_000, "the moment every flow is open");
        assert!(state.heading().contains("iOS 18.0"), "{}", state.heading());
        assert!(state.heading().contains("Mullvad"), "{}", state.heading());
        assert!(matches!(state.difference(), Some(Ok(_))));
        // The form opens on the case shown.
        assert_eq!(Case::of(&state.analysis.scenario), case);
        // Keys round-trip.
        for app in apps() {
            assert_eq!(App::from_key(app.key()), Some(app));
        }
        for place in Place::ALL {
            assert_eq!(Place::from_key(place.key()), Some(place));
        }
    }
}
